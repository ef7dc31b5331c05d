// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {ChallengeId, PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {AdversarialBase} from "./AdversarialBase.sol";

/// @notice Unbounded work: no call's gas grows with the number of other users, holders or pledges. Each measured
/// call is made by a fresh account after 1 other user and after 100 other users did the same, with the same
/// storage warm or cold in both cases. The two must agree within `SLACK` gas (what the test contract's own memory
/// growth over a hundred rounds costs the measurement): a loop over the 99 extra users would cost at least 99 warm
/// storage reads (9,900 gas), and cold ones 2,100 each.
contract UnboundedWorkAttacksTest is AdversarialBase {
    uint256 internal constant CROWD = 100;
    uint256 internal constant SLACK = 1_000;

    /// @dev Gas of `target.call(data)` from `who`; the call must succeed.
    function _gas(address who, address target, bytes memory data) internal returns (uint256 used) {
        vm.prank(who);
        uint256 start = gasleft();
        (bool ok,) = target.call(data);
        used = start - gasleft();
        assertTrue(ok, "the measured call reverted");
    }

    /// @dev One full pledge cycle by fresh accounts `p` (pledger) and `c` (challenger): create, challenge, finalize
    /// (slashed), claim. Returns the gas of each step.
    function _cycle(address p, address c) internal returns (uint256[4] memory g) {
        _fund(p, BOND);
        _fund(c, CHALLENGE_BOND);
        IPledgeRegistry.PledgeParams memory params = _params();
        g[0] = _gas(p, address(registry), abi.encodeCall(registry.createPledge, (params)));
        PledgeId id = PledgeId.wrap(registry.pledgeCount());
        g[1] = _gas(c, address(registry), abi.encodeCall(registry.challenge, (id, EVIDENCE_URI, type(uint256).max)));
        vm.warp(block.timestamp + LIVENESS);
        g[2] = _gas(c, address(registry), abi.encodeCall(registry.finalize, (id)));
        g[3] = _gas(c, address(registry), abi.encodeCall(registry.claim, (IERC20(token), c)));
    }

    function _user(string memory kind, uint256 i) internal returns (address) {
        return makeAddr(string.concat(kind, vm.toString(i)));
    }

    function test_attack_unboundedWork_registryGasIndependentOfOtherPledges() public {
        _cycle(_user("p", 0), _user("c", 0));
        uint256[4] memory afterOne = _cycle(makeAddr("pledger A"), makeAddr("challenger A"));
        for (uint256 i = 1; i < CROWD; ++i) {
            _cycle(_user("p", i), _user("c", i));
        }
        uint256[4] memory afterHundred = _cycle(makeAddr("pledger B"), makeAddr("challenger B"));
        string[4] memory steps = ["createPledge", "challenge", "finalize", "claim"];
        for (uint256 s; s < 4; ++s) {
            assertApproxEqAbs(afterHundred[s], afterOne[s], SLACK, steps[s]);
        }
        assertEq(registry.pledgeCount(), CROWD + 3);
        assertEq(registry.claimable(beneficiary, token), (CROWD + 2) * BENEFICIARY_SHARE);
        ChallengeId last = registry.openChallenge(PledgeId.wrap(CROWD + 3));
        assertEq(ChallengeId.unwrap(last), CROWD + 2);
    }

    /// @dev `n` fresh traders buy and sell back `SHARES` of both outcomes of `c` (its `q` returns to zero).
    function _crowdTrades(ConditionId c, uint256 n, string memory kind) internal {
        for (uint256 i; i < n; ++i) {
            address t = _user(kind, i);
            _fundTrader(token, t);
            _buy(t, c, BREACH, SHARES);
            _buy(t, c, HONOR, SHARES);
            _sellFor(t, c, BREACH, SHARES, t);
            _sellFor(t, c, HONOR, SHARES, t);
        }
    }

    function test_attack_unboundedWork_marketGasIndependentOfOtherTraders() public {
        bytes32 q1 = keccak256("one other trader");
        bytes32 q100 = keccak256("a hundred other traders");
        (ConditionId one,) = _marketIn(token, q1, B);
        (ConditionId hundred,) = _marketIn(token, q100, B);
        _crowdTrades(one, 1, "x");
        _crowdTrades(hundred, CROWD, "y");
        address a = makeAddr("trader A");
        address b = makeAddr("trader B");
        _fundTrader(token, a);
        _fundTrader(token, b);

        uint256 buyA =
            _gas(a, address(maker), abi.encodeCall(maker.buy, (one, HONOR, SHARES, type(uint256).max, block.timestamp, a)));
        uint256 buyB = _gas(
            b, address(maker), abi.encodeCall(maker.buy, (hundred, HONOR, SHARES, type(uint256).max, block.timestamp, b))
        );
        assertApproxEqAbs(buyB, buyA, SLACK, "buy");
        _report(q1, 0, 1);
        _report(q100, 0, 1);
        bytes memory redeemOne = abi.encodeCall(IOutcomeVault.redeem, (IERC20(token), ROOT, one));
        bytes memory redeemHundred = abi.encodeCall(IOutcomeVault.redeem, (IERC20(token), ROOT, hundred));
        uint256 redeemA = _gas(a, address(vault), redeemOne);
        assertApproxEqAbs(_gas(b, address(vault), redeemHundred), redeemA, SLACK, "redeem");
        // Fresh recipients, so neither withdrawal finds the other's balance slot warm.
        uint256 withdrawOne = _gas(sponsor, address(maker), abi.encodeCall(maker.withdraw, (one, makeAddr("to A"))));
        uint256 withdrawHundred =
            _gas(sponsor, address(maker), abi.encodeCall(maker.withdraw, (hundred, makeAddr("to B"))));
        assertApproxEqAbs(withdrawHundred, withdrawOne, SLACK, "withdraw");
        assertEq(token.balanceOf(a), token.balanceOf(b), "same trade, same result");
    }
}
