// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IMarketGate} from "../../../contracts/interfaces/IMarketGate.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {LmsrMath} from "../../../contracts/markets/LmsrMath.sol";
import {PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {BreachFixture} from "../breach/BreachFixture.sol";
import {IMintable} from "../utils/RegistryFixture.sol";

/// @notice The full system (BreachFixture) plus what the adversarial battery shares: pledges in any token, plain
/// maker markets in any collateral with this test contract as their oracle (so a test can resolve them at will),
/// and the check that a reentrant call was refused by a reentrancy guard.
abstract contract AdversarialBase is BreachFixture {
    uint128 internal constant B = 1_000e18;
    IMarketGate internal constant NO_GATE = IMarketGate(address(0));

    /// @dev The standard pledge bonded in `tok` (the pledger is funded with the bond).
    function _pledgeWith(IERC20 tok) internal returns (PledgeId id) {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.token = tok;
        id = _create(params);
    }

    /// @dev This contract prepares question `q` (2 outcomes) and opens its market in `tok` with liquidity `b` for
    /// `sponsor`, paying the subsidy itself.
    function _marketIn(IERC20 tok, bytes32 q, uint128 b) internal returns (ConditionId c, uint256 paid) {
        c = vault.prepareCondition(q, 2);
        paid = LmsrMath.subsidy(b, 2);
        IMintable(address(tok)).mint(address(this), paid);
        tok.approve(address(maker), paid);
        assertEq(maker.createMarket(c, tok, b, TRADE_FEE_BPS, sponsor, NO_GATE), paid);
    }

    /// @dev Resolves this contract's question `q` with payouts `[breach, honor]`.
    function _report(bytes32 q, uint256 breach, uint256 honor) internal {
        vault.reportPayouts(q, _payouts(breach, honor));
    }

    /// @dev A reentrant call failed, with OpenZeppelin's guard error.
    function _assertGuardRefused(bool succeeded, bytes memory returnData) internal pure {
        assertFalse(succeeded, "reentrant call succeeded");
        assertEq(
            returnData,
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
            "reentrant call not refused by the guard"
        );
    }

    /// @dev Unknown pledge ids: the next one, one that differs from the standard pledge only above bit 64 (the
    /// width the registry stores a challenge's pledge id in), one above bit 96 (BreachMarkets' cache width), 0, max.
    function _forgedPledgeIds() internal view returns (PledgeId[5] memory ids) {
        uint256 real = PledgeId.unwrap(pledgeId);
        ids = [
            PledgeId.wrap(registry.pledgeCount() + 1),
            PledgeId.wrap((uint256(1) << 64) | real),
            PledgeId.wrap((uint256(1) << 200) | real),
            PledgeId.wrap(0),
            PledgeId.wrap(type(uint256).max)
        ];
    }

    /// @dev Unknown condition ids: a random one, the real one with its top bit flipped, with its low bit flipped.
    function _forgedConditions() internal view returns (ConditionId[3] memory ids) {
        bytes32 real = ConditionId.unwrap(conditionId);
        ids = [
            ConditionId.wrap(keccak256("no such condition")),
            ConditionId.wrap(real ^ bytes32(uint256(1) << 255)),
            ConditionId.wrap(real ^ bytes32(uint256(1)))
        ];
    }
}
