// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {IUmaOOv3Arbiter} from "../../../contracts/interfaces/IUmaOOv3Arbiter.sol";
import {UmaOOv3Arbiter} from "../../../contracts/resolution/adapters/UmaOOv3Arbiter.sol";
import {ChallengeId, PledgeId} from "../../../contracts/types/Ids.sol";
import {MockERC20} from "../../mocks/MockERC20.sol";
import {MockOptimisticOracleV3} from "../../mocks/MockOptimisticOracleV3.sol";
import {RegistryFixture} from "../utils/RegistryFixture.sol";

/// @notice Shared setup for UmaOOv3Arbiter tests: the registry fixture, a mock OOv3 (a test double), an adapter
/// bound to both with a separate 6-decimal bond currency, and helpers that drive a challenge through dispute,
/// assertion and settlement.
abstract contract UmaOOv3Fixture is RegistryFixture {
    bytes32 internal constant ASSERT_TRUTH2 = bytes32("ASSERT_TRUTH2");
    uint64 internal constant OO_LIVENESS = 2 hours;
    uint256 internal constant MIN_BOND = 250e6;
    uint256 internal constant ORACLE_MIN_BOND = 100e6;

    MockOptimisticOracleV3 internal oracle;
    MockERC20 internal usdc;
    UmaOOv3Arbiter internal adapter;
    address internal asserter;
    address internal ooDisputer;

    function setUp() public virtual override {
        super.setUp();
        asserter = makeAddr("asserter");
        ooDisputer = makeAddr("ooDisputer");
        usdc = new MockERC20("USD Coin", "USDC", 6);
        oracle = new MockOptimisticOracleV3(ORACLE_MIN_BOND);
        adapter = _newAdapter(IERC20(address(usdc)), MIN_BOND);
        vm.label(address(oracle), "oov3");
        vm.label(address(adapter), "umaAdapter");
        vm.label(address(usdc), "usdc");
    }

    function _newAdapter(IERC20 currency, uint256 minBond) internal returns (UmaOOv3Arbiter) {
        return new UmaOOv3Arbiter(registry, oracle, ASSERT_TRUTH2, currency, OO_LIVENESS, minBond);
    }

    /// @dev A standard pledge arbitrated by `arb`, challenged and disputed.
    function _disputedPledge(IUmaOOv3Arbiter arb) internal returns (PledgeId id, ChallengeId cid) {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.arbiter = arb;
        id = _create(params);
        cid = _challenge(id);
        _dispute(id);
    }

    function _disputedPledge() internal returns (PledgeId, ChallengeId) {
        return _disputedPledge(adapter);
    }

    /// @dev Mints `amount` of the currency to `who` and lets `spender` pull any amount.
    function _fundCurrency(address who, address spender, uint256 amount) internal {
        usdc.mint(who, amount);
        vm.prank(who);
        usdc.approve(spender, type(uint256).max);
    }

    /// @dev Funds `who` with the required bond and asserts the breach of `cid` as `who`.
    function _assertAs(address who, ChallengeId cid) internal returns (bytes32 aid) {
        uint256 bond = adapter.requiredBond();
        _fundCurrency(who, address(adapter), bond);
        vm.prank(who);
        aid = adapter.assertBreach(cid, bond);
    }

    function _assert(ChallengeId cid) internal returns (bytes32) {
        return _assertAs(asserter, cid);
    }

    /// @dev Disputes an assertion on the mock OOv3 as `ooDisputer`, funding it.
    function _ooDispute(bytes32 aid) internal {
        uint256 bond = oracle.getAssertion(aid).bond;
        _fundCurrency(ooDisputer, address(oracle), bond);
        vm.prank(ooDisputer);
        oracle.disputeAssertion(aid, ooDisputer);
    }

    function _rulingDeadline(ChallengeId cid) internal view returns (uint64) {
        return adapter.getDispute(cid).rulingDeadline;
    }

    function _assertStatus(ChallengeId cid, IUmaOOv3Arbiter.DisputeStatus expected) internal view {
        assertEq(uint256(adapter.disputeStatus(cid)), uint256(expected), "dispute status");
    }
}
