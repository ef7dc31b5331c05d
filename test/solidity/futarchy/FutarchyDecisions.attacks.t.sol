// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TwapOracle} from "../../../contracts/futarchy/libraries/TwapOracle.sol";
import {IConditionalPools} from "../../../contracts/interfaces/IConditionalPools.sol";
import {ProposalId} from "../../../contracts/types/FutarchyIds.sol";
import {ConditionId, PositionId} from "../../../contracts/types/MarketIds.sol";
import {FutarchyFixture} from "./FutarchyFixture.sol";

/// @notice Attacks on a decision: a large trade in the last blocks of the window does not flip it unless the
/// attacker sustains it for the capped number of observations (`TwapOracle.minAttackUpdates`), exactly; a flip
/// that succeeds costs the attacker more than the threshold is worth on the pool's liquidity; a defender who sells
/// into the attack each block stops it and does not lose.
contract FutarchyDecisionsAttacksTest is FutarchyFixture {
    uint256 internal constant ATTACK_SPOT = 2e18; // the attacker doubles the PASS price

    /// The fewest blocks a PASS-only attack must hold: the PASS average must move by the threshold (FAIL stays at
    /// the reference 1.0), in steps of 0.5% of it per block, over the counted window.
    function _kMin() internal pure returns (uint256) {
        return TwapOracle.minAttackUpdates(
            uint128(1e18) * THRESHOLD / 10_000, uint128(1e18) * STEP / 10_000, BLOCK_TIME, WINDOW - DELAY
        );
    }

    /// Attacks a release with no honest trades: at `end - 12 (k + 1)` the attacker buys PASS-metric until the
    /// spot is ATTACK_SPOT, then keeps the oracle updating in each of the next k blocks (pokes), the last one 12 s
    /// before the end. Returns the proposal and the quote the attacker spent and metric it received.
    function _attack(uint256 k, bool defended)
        internal
        returns (ProposalId id, uint256 quoteSpent, uint256 metricGot)
    {
        id = _proposeRelease();
        uint64 end = decisions.getProposal(id).end;
        _splitFor(attacker, id, token, 100_000e18);
        _splitFor(bob, id, lab, 100_000e18);
        uint256 attackAt = end - BLOCK_TIME * (k + 1);
        vm.roll(block.number + (attackAt - block.timestamp) / BLOCK_TIME);
        vm.warp(attackAt);

        (PositionId passMetric, PositionId passQuote) = _positions(id);
        uint256 q0 = vault.balanceOf(attacker, PositionId.unwrap(passQuote));
        _pushTo(attacker, id, PASS, ATTACK_SPOT);
        quoteSpent = q0 - vault.balanceOf(attacker, PositionId.unwrap(passQuote));
        metricGot = vault.balanceOf(attacker, PositionId.unwrap(passMetric));
        for (uint256 i; i < k; ++i) {
            _blocks(1);
            // The defender sells PASS-metric back toward its fair price 1.0 in every block it sees above it.
            if (defended && pools.spotPrice(_pool(id, PASS)) > 1.01e18) _pushTo(bob, id, PASS, 1e18);
            pools.poke(_pool(id, PASS));
        }
        vm.roll(block.number + 1);
        vm.warp(end);
    }

    function _positions(ProposalId id) internal view returns (PositionId metric, PositionId quote) {
        IConditionalPools.Pool memory pool = pools.getPool(_pool(id, PASS));
        return (pool.metric, pool.quote);
    }

    function test_kMin_isTheDocumentedFigure() public pure {
        // q = ceil(0.03 x 20,400 / (0.005 x 12)) = 10,200; 143 x 144 / 2 = 10,296 >= q > 142 x 143 / 2.
        assertEq(_kMin(), 143);
    }

    function test_attack_heldOneBlockTooFew_doesNotFlipTheDecision() public {
        (ProposalId id,,) = _attack(_kMin() - 1, false);
        (uint256 passValue, uint256 failValue, bool passing) = decisions.standing(id);
        assertEq(failValue, 1e18, "FAIL untouched at the reference");
        assertLe(passValue * 10_000, failValue * (10_000 + THRESHOLD), "PASS average short of the threshold");
        assertFalse(passing);
        assertFalse(decisions.finalize(id));
    }

    function test_attack_lastBlockSpike_movesTheAverageByOneStepAtMost() public {
        (ProposalId id,,) = _attack(1, false);
        (uint256 passValue,,) = decisions.standing(id);
        // One observation of +0.5% in effect for 12 of 20,400 counted seconds.
        assertLe(passValue - 1e18, uint256(0.005e18) * BLOCK_TIME / (WINDOW - DELAY) + 1);
        assertFalse(decisions.finalize(id));
    }

    function test_attack_sustainedForTheCappedNumberOfBlocks_flips_andCostsMoreThanTheThreshold() public {
        uint256 k = _kMin();
        (ProposalId id, uint256 quoteSpent, uint256 metricGot) = _attack(k, false);
        (uint256 passValue, uint256 failValue, bool passing) = decisions.standing(id);
        assertGt(passValue * 10_000, failValue * (10_000 + THRESHOLD));
        assertTrue(passing, "held for kMin blocks, the attack flips the decision");
        assertTrue(decisions.finalize(id));
        // The attacker's PASS-metric redeems into LAB worth 1.0 quote each (the fair price it pushed away from),
        // for PASS-quote that now redeems 1:1: its loss at fair value, against what the threshold is worth on
        // the seeded liquidity (3% of one side).
        uint256 loss = quoteSpent - metricGot;
        assertGt(loss, uint256(SEED) * THRESHOLD / 10_000, "the flip costs more than the threshold on the pool");
        // Worked figure: doubling a 10,000/10,000 pool's price spends 10,000 (sqrt 2 - 1) grossed up by the fee,
        // for 10,000 (1 - 1/sqrt 2) LAB: a loss of about 1,213 (plus the fee) against 300.
        assertApproxEqRel(loss, 1_225e18, 0.02e18);
    }

    function test_attack_defenderSellingIntoIt_stopsTheFlip_andDoesNotLose() public {
        uint256 k = _kMin() + 20;
        (ProposalId id,,) = _attack(k, true);
        assertFalse(decisions.finalize(id), "defended: FAIL stands");
        // FAIL: PASS trades are void. The defender redeems its FAIL-metric for exactly the LAB it split.
        uint256 before = lab.balanceOf(bob);
        ConditionId decision = decisions.getProposal(id).decision; // before the prank (it applies to one call)
        vm.prank(bob);
        vault.redeem(lab, ROOT, decision);
        assertEq(lab.balanceOf(bob), before + 100_000e18, "defender whole: split 100,000 LAB, redeemed 100,000");
    }
}
