// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console} from "forge-std/console.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IConditionalPools} from "../../../contracts/interfaces/IConditionalPools.sol";
import {IFutarchyDecisions} from "../../../contracts/interfaces/IFutarchyDecisions.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {ProposalId} from "../../../contracts/types/FutarchyIds.sol";
import {MockArbiter} from "../../mocks/MockArbiter.sol";
import {MockERC20} from "../../mocks/MockERC20.sol";

import {FutarchyFixture} from "./FutarchyFixture.sol";
import {DecisionsHandler} from "./handlers/DecisionsHandler.sol";
import {DecisionsInvariantSpec as Spec} from "./InvariantSpec.sol";

/// @notice The handler as deployed. Declared here, not in handlers/, because EDR finds a fuzz target's ABI through the
/// artifact of the contract whose code it runs, and `hardhat test solidity <this file>` writes artifacts only for the
/// contracts declared in this file. `corrupt` (never a fuzz target) breaks one ghost on purpose, so the tests below
/// can show that each invariant fails when the model and the contracts disagree.
contract FutarchyDecisionsHandler is DecisionsHandler {
    constructor(
        IPledgeRegistry registry_,
        IConditionalPools pools_,
        IFutarchyDecisions decisions_,
        MockArbiter arbiter_,
        IERC20 bondToken_,
        IERC20 lab_,
        IERC20 usd_
    ) DecisionsHandler(registry_, pools_, decisions_, arbiter_, bondToken_, lab_, usd_) {}

    function corrupt(uint256 which, uint256 pid) external {
        if (which == 0) lockedOf[pid][LAB] += 1;
        else if (which == 1) redeemedOf[pid][USD] += 1;
        else if (which == 2) _poolNet[0][pid][LAB][FAIL] -= 1e24;
        else if (which == 3) stakeCredited += 1;
        else if (which == 4) (_props[pid].refunded, _props[pid].forfeited) = (_props[pid].stake, _props[pid].stake);
        else if (which == 5) _props[pid].lastState = 0;
        else if (which == 6) _props[pid].pledgeIdx = (_props[pid].pledgeIdx + 1) % NPLEDGE;
        else if (which == 7) _props[pid].executedAt = 1;
        else if (which == 8) _poolNet[0][pid][USD][PASS] -= 1e24;
    }
}

/// @title FutarchyDecisionsInvariantTest
/// @notice Invariants of FutarchyDecisions, its vault collateral and its stakes across whole proposal lifecycles,
/// driven by `DecisionsHandler` (three governed pledges, three traders, every action of the lifecycle, time in
/// 12-second blocks). Each invariant's id and statement live in `DecisionsInvariantSpec`; left-hand sides come from
/// the contracts' views and ERC-20/ERC-1155 balances, right-hand sides from the handler's ghosts.
/// @dev INV-3 ("nobody withdraws more than they put in plus what the winning branch grants") is DEC-WITHDRAW-A: the
/// token side is each holder's real ERC-20 balance; the bound is built only from position movements measured around
/// pool calls (and the proposer's seeds), never from the vault's payouts, so a vault paying for a losing position, or
/// twice, breaks it.
contract FutarchyDecisionsInvariantTest is FutarchyFixture {
    FutarchyDecisionsHandler internal handler;
    MockERC20 internal usd;
    uint256 internal constant NH = 6;

    function setUp() public override {
        super.setUp();
        vm.roll(100);
        usd = new MockERC20("Quote Dollar", "USD", 18);
        handler = new FutarchyDecisionsHandler(registry, pools, decisions, arbiter, token, lab, usd);
        assertEq(vault.collateralHeld(lab), 0, "no LAB in the vault before the run");
        assertEq(token.balanceOf(address(decisions)), 0, "no stake before the run");
        targetContract(address(handler));
        bytes4[] memory s = new bytes4[](19);
        s[0] = DecisionsHandler.propose.selector;
        s[1] = DecisionsHandler.split.selector;
        s[2] = DecisionsHandler.merge.selector;
        s[3] = DecisionsHandler.swap.selector;
        s[4] = DecisionsHandler.swap.selector; // swaps and proposals twice as likely
        s[5] = DecisionsHandler.propose.selector;
        s[6] = DecisionsHandler.addLiquidity.selector;
        s[7] = DecisionsHandler.removeLiquidity.selector;
        s[8] = DecisionsHandler.poke.selector;
        s[9] = DecisionsHandler.warp.selector;
        s[10] = DecisionsHandler.jumpToEnd.selector;
        s[11] = DecisionsHandler.finalize.selector;
        s[12] = DecisionsHandler.execute.selector;
        s[13] = DecisionsHandler.redeem.selector;
        s[14] = DecisionsHandler.claim.selector;
        s[15] = DecisionsHandler.challenge.selector;
        s[16] = DecisionsHandler.rule.selector;
        s[17] = DecisionsHandler.jumpToEnd.selector; // reach decisions within the depth
        s[18] = DecisionsHandler.finalize.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: s}));
    }

    // ============================================================== invariants

    function invariant_DEC_LOCK_A_branchSuppliesEqualLocked() public view {
        for (uint256 pid = 1; pid <= handler.count(); ++pid) {
            if (handler.prop(pid).decided) continue;
            for (uint256 t; t < 2; ++t) {
                uint256 locked = handler.lockedOf(pid, t);
                assertEq(handler.trackedSupply(pid, t, PASS), locked, _m(Spec.DEC_LOCK_A, pid, t));
                assertEq(handler.trackedSupply(pid, t, FAIL), locked, _m(Spec.DEC_LOCK_A, pid, t));
            }
        }
    }

    function invariant_DEC_REDEEM_A_oneBranchRedeems() public view {
        for (uint256 pid = 1; pid <= handler.count(); ++pid) {
            DecisionsHandler.Prop memory r = handler.prop(pid);
            if (!r.decided) continue;
            uint256 w = r.passed ? PASS : FAIL;
            for (uint256 t; t < 2; ++t) {
                uint256 atDecision = handler.winAtDecision(pid, t);
                uint256 redeemed = handler.redeemedOf(pid, t);
                assertEq(atDecision, handler.lockedOf(pid, t), _m(Spec.DEC_REDEEM_A, pid, t));
                assertLe(redeemed, atDecision, _m(Spec.DEC_REDEEM_A, pid, t));
                assertEq(handler.trackedSupply(pid, t, w), atDecision - redeemed, _m(Spec.DEC_REDEEM_A, pid, t));
            }
        }
        _noViolation(handler.V_REDEEM(), Spec.DEC_REDEEM_A);
    }

    function invariant_DEC_WITHDRAW_A_outflowBoundedByWinningTakes() public view {
        for (uint256 h; h < NH; ++h) {
            for (uint256 t; t < 2; ++t) {
                IERC20 tok = handler.tokens(t);
                int256 delta = int256(tok.balanceOf(handler.holder(h))) - int256(handler.initialBalance(h, t));
                assertLe(delta, handler.winningBound(h, t), _m(Spec.DEC_WITHDRAW_A, h, t));
            }
        }
    }

    function invariant_DEC_SOLV_A_collateralEqualsObligations() public view {
        for (uint256 t; t < 2; ++t) {
            IERC20 tok = handler.tokens(t);
            uint256 owed;
            for (uint256 pid = 1; pid <= handler.count(); ++pid) {
                owed += handler.lockedOf(pid, t);
                if (handler.prop(pid).decided) owed -= handler.redeemedOf(pid, t);
            }
            assertEq(vault.collateralHeld(tok) + tok.balanceOf(address(decisions)), owed, _m(Spec.DEC_SOLV_A, t, 0));
            assertEq(tok.balanceOf(address(decisions)), 0, _m(Spec.DEC_SOLV_A, t, 1));
        }
    }

    function invariant_DEC_SOLV_B_stakesHeldEqualStakesOwed() public view {
        uint256 held;
        for (uint256 pid = 1; pid <= handler.count(); ++pid) {
            DecisionsHandler.Prop memory r = handler.prop(pid);
            if (!r.decided) held += r.stake;
        }
        uint256 owed = handler.stakeCredited() - handler.stakeClaimed();
        assertEq(token.balanceOf(address(decisions)), held + owed, Spec.DEC_SOLV_B);
        uint256 claimableSum = decisions.claimable(address(0xdEaD), token);
        for (uint256 k; k < 3; ++k) {
            claimableSum += decisions.claimable(handler.holder(3 + k), token);
            if (handler.beneficiaries(k) != address(0)) claimableSum += decisions.claimable(handler.beneficiaries(k), token);
        }
        assertEq(claimableSum, owed, Spec.DEC_SOLV_B);
    }

    function invariant_DEC_STAKE_A_stakeSettledOnce() public view {
        for (uint256 pid = 1; pid <= handler.count(); ++pid) {
            DecisionsHandler.Prop memory r = handler.prop(pid);
            if (!r.decided) {
                assertEq(r.refunded + r.forfeited, 0, _m(Spec.DEC_STAKE_A, pid, 0));
            } else if (r.passed) {
                assertEq(r.refunded, r.stake, _m(Spec.DEC_STAKE_A, pid, 1));
                assertEq(r.forfeited, 0, _m(Spec.DEC_STAKE_A, pid, 1));
            } else {
                assertEq(r.forfeited, r.stake, _m(Spec.DEC_STAKE_A, pid, 2));
                assertEq(r.refunded, 0, _m(Spec.DEC_STAKE_A, pid, 2));
            }
        }
    }

    function invariant_DEC_LIFE_A_lifecycleMonotone() public view {
        for (uint256 pid = 1; pid <= handler.count(); ++pid) {
            DecisionsHandler.Prop memory r = handler.prop(pid);
            IFutarchyDecisions.Proposal memory p = decisions.getProposal(ProposalId.wrap(pid));
            uint8 s = uint8(decisions.proposalState(ProposalId.wrap(pid)));
            // the last state the handler observed, or one step forward of it (time may move after a call)
            uint8 last = r.lastState;
            assertTrue(s == last || (last == 1 && s == 2) || (last == 2 && s >= 3), _m(Spec.DEC_LIFE_A, pid, 0));
            assertEq(p.decided, r.decided, _m(Spec.DEC_LIFE_A, pid, 1));
            if (p.decided) assertEq(p.passed, r.passed, _m(Spec.DEC_LIFE_A, pid, 2));
            if (p.executed) assertTrue(p.passed, _m(Spec.DEC_LIFE_A, pid, 3));
            assertEq(p.executed, r.executedAt != 0, _m(Spec.DEC_LIFE_A, pid, 4));
        }
        _noViolation(handler.V_LIFE(), Spec.DEC_LIFE_A);
    }

    function invariant_DEC_OPEN_A_oneOpenProposalPerPledge() public view {
        uint256[3] memory open;
        uint256[3] memory which;
        for (uint256 pid = 1; pid <= handler.count(); ++pid) {
            if (handler.prop(pid).decided) continue;
            uint256 k = handler.prop(pid).pledgeIdx;
            ++open[k];
            which[k] = pid;
        }
        for (uint256 k; k < 3; ++k) {
            assertLe(open[k], 1, _m(Spec.DEC_OPEN_A, k, 0));
            (ProposalId o,) = decisions.pledgeProposals(handler.pledgeIds(k));
            assertEq(ProposalId.unwrap(o), which[k], _m(Spec.DEC_OPEN_A, k, 1));
        }
    }

    function invariant_DEC_EXEC_A_executionMatchesTheDecision() public view {
        for (uint256 pid = 1; pid <= handler.count(); ++pid) {
            DecisionsHandler.Prop memory r = handler.prop(pid);
            // A released pledge stays Active through its grace period, so a later proposal on it may pass and
            // amend it (a new expiry): the release's expiry holds until the pledge's next executed proposal.
            if (r.executedAt == 0 || r.kind != IFutarchyDecisions.Kind.Release) continue;
            if (handler.lastExecuted(r.pledgeIdx) != pid) continue;
            IPledgeRegistry.Pledge memory pl = registry.getPledge(handler.pledgeIds(r.pledgeIdx));
            assertLe(pl.expiry, r.executedAt, _m(Spec.DEC_EXEC_A, pid, 0));
            assertGe(r.executedAt, r.decidedAt, _m(Spec.DEC_EXEC_A, pid, 1));
        }
        _noViolation(handler.V_EXEC(), Spec.DEC_EXEC_A);
    }

    function invariant_DEC_MODEL_A_callsMatchTheModel() public view {
        _noViolation(handler.V_MODEL(), Spec.DEC_MODEL_A);
    }

    /// @dev Logs what the run exercised, then the end step (no RUN assertion here: the shrinker replays shortened
    /// sequences through it).
    function afterInvariant() public {
        _log();
        _endStep();
    }

    // =================================================================== tests

    /// @notice DEC-RUN-A: scripted lifecycles (a PASS release executed at once, a FAIL amendment with no trade, a
    /// PASS under challenge executed on retry) then a fixed pseudo-random sequence reach every action, both
    /// decisions and refusals, with every invariant holding throughout and at the end.
    function test_DEC_RUN_A_handlerExercisesEveryAction() public {
        _scriptedLifecycles();
        for (uint256 s; s < 300; ++s) {
            uint256 x = uint256(keccak256(abi.encode("decisions", s, 1)));
            uint256 y = uint256(keccak256(abi.encode("decisions", s, 2)));
            _randomAction(s % 17, x, y);
            if (s % 25 == 24) _checkAll();
        }
        _checkAll();
        _log();
        for (uint256 a; a < handler.N_ACTIONS(); ++a) {
            assertGt(handler.ok(a), 0, string.concat(Spec.DEC_RUN_A, ": never succeeded: ", vm.toString(a)));
        }
        assertGt(handler.passedCount(), 0, string.concat(Spec.DEC_RUN_A, ": no PASS"));
        assertGt(handler.failedCount(), 0, string.concat(Spec.DEC_RUN_A, ": no FAIL"));
        assertGt(handler.executeRetriesOk(), 0, string.concat(Spec.DEC_RUN_A, ": no execute retry"));
        assertGt(handler.refused(handler.A_FINALIZE()), 0, string.concat(Spec.DEC_RUN_A, ": finalize never refused"));
        _endStep();
    }

    /// @notice Each invariant fails when the model and the contracts disagree: one ghost broken at a time.
    function test_DEC_invariantsDetectABrokenModel() public {
        _scriptedLifecycles();
        // proposal 4: open, traded (LOCK, WITHDRAW on an open proposal), on pledge 1 once its cooldown ended
        // (pledges 0 and 2 were released: their terms ended, so they take no further proposal).
        (, uint64 cooldownUntil) = decisions.pledgeProposals(handler.pledgeIds(1));
        vm.roll(block.number + (cooldownUntil - block.timestamp) / 12 + 1);
        vm.warp(cooldownUntil);
        handler.propose(1, false, 5_000e18, 7_000e18, 0);
        handler.swap(0, 0, true, true, 1_000e18);
        uint256 open = handler.count();
        _checkAll();
        _expectFail(this.invariant_DEC_LOCK_A_branchSuppliesEqualLocked.selector, 0, open);
        _expectFail(this.invariant_DEC_SOLV_A_collateralEqualsObligations.selector, 1, 1);
        _expectFail(this.invariant_DEC_REDEEM_A_oneBranchRedeems.selector, 1, 1);
        _expectFail(this.invariant_DEC_WITHDRAW_A_outflowBoundedByWinningTakes.selector, 2, open);
        _expectFail(this.invariant_DEC_WITHDRAW_A_outflowBoundedByWinningTakes.selector, 8, 1);
        _expectFail(this.invariant_DEC_SOLV_B_stakesHeldEqualStakesOwed.selector, 3, 1);
        _expectFail(this.invariant_DEC_STAKE_A_stakeSettledOnce.selector, 4, 1);
        _expectFail(this.invariant_DEC_LIFE_A_lifecycleMonotone.selector, 5, 1);
        _expectFail(this.invariant_DEC_OPEN_A_oneOpenProposalPerPledge.selector, 6, open);
        _expectFail(this.invariant_DEC_EXEC_A_executionMatchesTheDecision.selector, 7, 1);
    }

    // ================================================================= helpers

    /// @dev Breaks one ghost in a snapshot, expects `inv` to fail, and reverts to the snapshot.
    function _expectFail(bytes4 inv, uint256 which, uint256 pid) internal {
        uint256 snap = vm.snapshotState();
        handler.corrupt(which, pid);
        (bool success,) = address(this).call(abi.encodeWithSelector(inv));
        assertFalse(success, string.concat("invariant did not fail on corruption ", vm.toString(which)));
        vm.revertToState(snap);
    }

    /// @dev Proposal 1: a release pushed to PASS and executed at finalize. Proposal 2: an amendment nobody trades,
    /// FAIL (a tie). Proposal 3: a release pushed to PASS while its pledge is challenged: refused at finalize,
    /// executed on retry after a "no breach" ruling.
    function _scriptedLifecycles() internal {
        handler.propose(0, false, 10_000e18, 10_000e18, 0);
        _pushPass(1);
        handler.finalize(0);
        handler.propose(1, true, 9_000e18, 11_000e18, 12345);
        handler.jumpToEnd(0, 2);
        handler.finalize(0);
        handler.propose(2, false, 10_000e18, 10_000e18, 0);
        handler.challenge(2, 1);
        _pushPass(3);
        handler.finalize(0);
        handler.execute(0); // refused: still challenged
        handler.rule(2, 1); // dispute, then "no breach"
        handler.execute(0);
        handler.redeem(0, 0, 0);
        handler.redeem(1, 0, 1);
        handler.claim(0);
        handler.claim(5);
    }

    /// @dev Buys PASS-metric and sells FAIL-metric past the delay, holds it for 96 poked blocks, jumps to the end.
    function _pushPass(uint256 pid) internal {
        handler.warp(110); // past the 20-minute delay
        handler.swap(0, 0, false, false, 6_000e18);
        handler.swap(1, 0, true, true, 6_000e18);
        handler.split(2, 0, 0, 3_000e18);
        handler.merge(2, 0, 0, 1_000e18);
        handler.addLiquidity(2, 0, false, 1_000e18);
        for (uint256 i; i < 4; ++i) {
            handler.poke(0, 24);
        }
        handler.removeLiquidity(5, 0, false, 4);
        handler.jumpToEnd(0, 2);
        assertEq(handler.prop(pid).end + 1, block.timestamp, "at end + 1 s");
    }

    function _randomAction(uint256 a, uint256 x, uint256 y) internal {
        if (a == 0 || a == 1) handler.propose(x, y % 2 == 0, x >> 8, y >> 8, y >> 16);
        else if (a == 2) handler.split(x, y, x >> 8, y >> 8);
        else if (a == 3) handler.merge(x, y, x >> 8, y >> 8);
        else if (a == 4 || a == 5) handler.swap(x, y, x % 3 == 0, y % 2 == 0, y >> 8);
        else if (a == 6) handler.addLiquidity(x, y, x % 2 == 0, y >> 8);
        else if (a == 7) handler.removeLiquidity(x, y, x % 2 == 0, y >> 8);
        else if (a == 8) handler.poke(x, y);
        else if (a == 9) handler.warp(x % 400);
        else if (a == 10) handler.jumpToEnd(x, y);
        else if (a == 11) handler.finalize(x);
        else if (a == 12) handler.execute(x);
        else if (a == 13) handler.redeem(x, y, x >> 8);
        else if (a == 14) handler.claim(x);
        else if (a == 15) handler.challenge(x, y);
        else handler.rule(x, y);
    }

    function _endStep() internal {
        handler.endStep();
        _checkAll();
        for (uint256 t; t < 2; ++t) {
            IERC20 tok = handler.tokens(t);
            uint256 dust;
            for (uint256 pid = 1; pid <= handler.count(); ++pid) {
                DecisionsHandler.Prop memory r = handler.prop(pid);
                assertTrue(r.decided, _m(Spec.DEC_END_A, pid, 0));
                uint256 w = r.passed ? PASS : FAIL;
                IConditionalPools.Pool memory pw = pools.getPool(r.pool[w]);
                IConditionalPools.Pool memory pl = pools.getPool(r.pool[1 - w]);
                assertEq(pw.supply, pools.MINIMUM_SHARES(), _m(Spec.DEC_END_A, pid, 1));
                assertEq(pl.supply, pools.MINIMUM_SHARES(), _m(Spec.DEC_END_A, pid, 1));
                uint256 inPool = t == 0 ? pw.reserveMetric : pw.reserveQuote;
                // the only winning positions left are the winning pool's locked reserves
                assertEq(handler.trackedSupply(pid, t, w), inPool, _m(Spec.DEC_END_A, pid, 2));
                assertEq(vault.balanceOf(address(pools), handler.position(pid, t, w)), inPool, _m(Spec.DEC_END_A, pid, 2));
                dust += inPool;
            }
            assertEq(vault.collateralHeld(tok), dust, _m(Spec.DEC_END_A, t, 3));
            assertEq(tok.balanceOf(address(decisions)), 0, _m(Spec.DEC_END_A, t, 4));
        }
        assertEq(token.balanceOf(address(decisions)), 0, _m(Spec.DEC_END_A, 0, 5));
        assertEq(handler.stakeCredited(), handler.stakeClaimed(), _m(Spec.DEC_END_A, 0, 6));
    }

    function _checkAll() internal view {
        invariant_DEC_LOCK_A_branchSuppliesEqualLocked();
        invariant_DEC_REDEEM_A_oneBranchRedeems();
        invariant_DEC_WITHDRAW_A_outflowBoundedByWinningTakes();
        invariant_DEC_SOLV_A_collateralEqualsObligations();
        invariant_DEC_SOLV_B_stakesHeldEqualStakesOwed();
        invariant_DEC_STAKE_A_stakeSettledOnce();
        invariant_DEC_LIFE_A_lifecycleMonotone();
        invariant_DEC_OPEN_A_oneOpenProposalPerPledge();
        invariant_DEC_EXEC_A_executionMatchesTheDecision();
        invariant_DEC_MODEL_A_callsMatchTheModel();
    }

    function _log() internal view {
        string[15] memory names = [
            "propose",
            "split",
            "merge",
            "swap",
            "addLiquidity",
            "removeLiquidity",
            "poke",
            "warp",
            "jumpToEnd",
            "finalize",
            "execute",
            "redeem",
            "claim",
            "challenge",
            "rule"
        ];
        for (uint256 a; a < handler.N_ACTIONS(); ++a) {
            console.log("  %s: ok %d, refused %d", names[a], handler.ok(a), handler.refused(a));
        }
        console.log("  proposals %d, passed %d, failed %d", handler.count(), handler.passedCount(), handler.failedCount());
    }

    function _noViolation(uint256 kind, string memory spec) internal view {
        string memory v = handler.violations(kind);
        assertTrue(bytes(v).length == 0, string.concat(spec, " | ", v));
    }

    function _m(string memory spec, uint256 i, uint256 j) internal pure returns (string memory) {
        return string.concat(spec, " | ", vm.toString(i), ", ", vm.toString(j));
    }
}
