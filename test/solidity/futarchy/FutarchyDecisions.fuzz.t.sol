// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IFutarchyDecisions} from "../../../contracts/interfaces/IFutarchyDecisions.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {PoolId, ProposalId} from "../../../contracts/types/FutarchyIds.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";

import {FutarchyFixture} from "./FutarchyFixture.sol";

/// @title FutarchyDecisionsFuzzTest
/// @notice Property tests of FutarchyDecisions on the fixture: the decision against arbitrary trade paths, one
/// actor's round trip bounded by its winning positions, and amendments with fuzzed terms.
contract FutarchyDecisionsFuzzTest is FutarchyFixture {
    uint256 internal constant STEPS = 8;
    /// @dev Round trip: the actor's net positions out of the pools, per token (LAB, bond token) and branch.
    int256[2][2] internal _net;

    /// @notice Whatever the trades (size, side, branch, spacing), finalize decides exactly
    /// `decide(Price, twap(PASS), twap(FAIL), threshold)` as read just before it.
    function testFuzz_finalize_equalsDecideOfTwapsReadJustBefore(uint256[STEPS] calldata trades, uint256 tail)
        public
    {
        ProposalId id = _proposeRelease();
        _splitFor(alice, id, token, 60_000e18);
        _splitFor(alice, id, lab, 60_000e18);
        for (uint256 i; i < STEPS; ++i) {
            _blocks(bound(trades[i] >> 128, 1, 200));
            if (block.timestamp >= decisions.getProposal(id).end) break;
            _trade(alice, id, trades[i]);
        }
        // Hold the last prices for up to 60 poked blocks, so the observations can reach them (either decision).
        uint64 end = decisions.getProposal(id).end;
        for (uint256 i = bound(tail >> 8, 0, 60); i > 0 && block.timestamp + BLOCK_TIME < end; --i) {
            _pokeBlocks(id, 1);
        }
        // Sometimes stop exactly at the end, sometimes long after.
        _toEnd(id);
        _blocks(bound(tail, 0, 3) == 3 ? 1_000 : 0);
        uint256 twapPass = pools.twap(_pool(id, PASS));
        uint256 twapFail = pools.twap(_pool(id, FAIL));
        bool expected = decisions.decide(IFutarchyDecisions.Metric.Price, twapPass, twapFail, THRESHOLD);
        (uint256 sp, uint256 sf, bool passing) = decisions.standing(id);
        assertEq(sp, twapPass, "standing reads the PASS TWAP");
        assertEq(sf, twapFail, "standing reads the FAIL TWAP");
        assertEq(passing, expected, "standing agrees with decide");
        assertEq(decisions.finalize(id), expected, "finalize decides as decide(twaps)");
        assertEq(decisions.getProposal(id).passed, expected, "stored as decided");
    }

    /// @notice One actor splits, merges and trades both branches in any order, then the proposal is decided (either
    /// way) and the actor redeems: per token, what it ends with less what it started with is at most its net
    /// winning positions out of the pools; with no trade, exactly zero.
    function testFuzz_roundTrip_returnsAtMostInputPlusWinningPositions(
        uint256[STEPS] calldata ops,
        bool pushPass,
        bool trade
    ) public {
        ProposalId id = _proposeRelease();
        ConditionId decision = decisions.getProposal(id).decision;
        IERC20[2] memory toks = [IERC20(lab), IERC20(token)];
        uint256[2] memory start = [lab.balanceOf(bob), token.balanceOf(bob)];
        _blocks(DELAY / BLOCK_TIME);
        for (uint256 i; i < STEPS; ++i) {
            _bobStep(id, decision, ops[i], trade);
            _blocks(1);
        }
        // The decision, either way (pushed by alice, whose positions are not bob's).
        if (pushPass) {
            _splitFor(alice, id, token, 50_000e18);
            _splitFor(alice, id, lab, 50_000e18);
            _pushTo(alice, id, PASS, 1.2e18);
            _pushTo(alice, id, FAIL, 0.9e18);
            _pokeBlocks(id, 40);
        }
        _toEnd(id);
        uint256 w = decisions.finalize(id) ? PASS : FAIL;
        for (uint256 t; t < 2; ++t) {
            vm.prank(bob);
            vault.redeem(toks[t], ROOT, decision);
            int256 delta = int256(toks[t].balanceOf(bob)) - int256(start[t]);
            assertLe(delta, _net[t][w], "returns at most input plus winning positions");
            if (!trade) assertEq(delta, 0, "split and merge only: exactly the collateral back");
        }
    }

    /// @dev One step of bob's: a split, a merge of what it holds of both branches, or a swap (splitting the input
    /// first if it lacks it), booking its net positions out of the pools in `_net`.
    function _bobStep(ProposalId id, ConditionId decision, uint256 seed, bool trade) internal {
        uint256 op = seed % 4;
        if (!trade && op >= 2) op -= 2; // no trade: splits and merges only
        IERC20 tok = (seed >> 8) % 2 == 0 ? IERC20(lab) : IERC20(token);
        uint256 amount = bound(seed >> 16, 1, 4_000e18);
        if (op == 0) {
            _splitFor(bob, id, tok, amount);
        } else if (op == 1) {
            uint256 most = _min(_posBal(bob, tok, decision, PASS), _posBal(bob, tok, decision, FAIL));
            if (most == 0) return;
            vm.prank(bob);
            vault.merge(tok, ROOT, decision, bound(amount, 1, most));
        } else {
            _bobSwap(id, decision, seed, amount);
        }
    }

    function _bobSwap(ProposalId id, ConditionId decision, uint256 seed, uint256 amount) internal {
        uint256 branch = (seed >> 12) % 2;
        bool metricIn = (seed >> 13) % 2 == 0;
        IERC20 inTok = metricIn ? IERC20(lab) : IERC20(token);
        uint256 held = _posBal(bob, inTok, decision, branch);
        if (held < amount) _splitFor(bob, id, inTok, amount - held);
        uint256 l0 = _posBal(bob, lab, decision, branch);
        uint256 q0 = _posBal(bob, token, decision, branch);
        PoolId pool = _pool(id, branch);
        vm.prank(bob);
        try pools.swap(pool, metricIn, amount, 0, bob) {} catch {}
        _net[0][branch] += int256(_posBal(bob, lab, decision, branch)) - int256(l0);
        _net[1][branch] += int256(_posBal(bob, token, decision, branch)) - int256(q0);
    }

    /// @notice An amendment with fuzzed terms, passed: the pledge carries exactly the stored amendment and the
    /// pledger is credited bond - newBond (and gets its stake back).
    function testFuzz_amend_passAppliesExactlyAndRefundsTheDifference(uint128 bondSeed, uint64 expirySeed, bytes32 terms)
        public
    {
        uint64 end = uint64(block.timestamp) + WINDOW;
        IPledgeRegistry.Amendment memory a = IPledgeRegistry.Amendment({
            termsHash: terms,
            termsURI: "ipfs://fuzzed",
            expiry: uint64(bound(expirySeed, end + BLOCK_TIME, end + 3_650 days)), // still future at finalize
            bond: uint128(bound(bondSeed, 1, BOND))
        });
        vm.prank(pledger);
        ProposalId id = decisions.propose(
            gid, IFutarchyDecisions.Kind.Amend, IFutarchyDecisions.Metric.Price, lab, token, SEED, SEED, a
        );
        IFutarchyDecisions.Proposal memory p = decisions.getProposal(id);
        assertEq(p.termsHash, a.termsHash, "stored terms");
        assertEq(p.expiry, a.expiry, "stored expiry");
        assertEq(p.bond, a.bond, "stored bond");
        uint256 claimable0 = registry.claimable(pledger, token);
        uint256 stake = p.stake;
        _blocks(DELAY / BLOCK_TIME);
        _splitFor(alice, id, token, 5_000e18);
        _splitFor(alice, id, lab, 5_000e18);
        _pushTo(alice, id, PASS, 1.1e18);
        _pushTo(alice, id, FAIL, 0.95e18);
        _pokeBlocks(id, 30);
        _toEnd(id);
        assertTrue(decisions.finalize(id), "pushed to PASS");
        assertTrue(decisions.getProposal(id).executed, "executed at finalize");
        IPledgeRegistry.Pledge memory pl = registry.getPledge(gid);
        assertEq(pl.termsHash, a.termsHash, "terms applied");
        assertEq(pl.expiry, a.expiry, "expiry applied");
        assertEq(pl.bond, a.bond, "bond applied");
        assertEq(registry.claimable(pledger, token) - claimable0, BOND - a.bond, "refund = bond - newBond");
        assertEq(decisions.claimable(pledger, token), stake, "stake refunded to the proposer");
    }

    function _trade(address who, ProposalId id, uint256 seed) internal {
        uint256 branch = seed % 2;
        bool metricIn = (seed >> 1) % 2 == 0;
        uint256 amount = bound(seed >> 8, 1e15, 6_000e18);
        PoolId pool = _pool(id, branch);
        vm.prank(who);
        try pools.swap(pool, metricIn, amount, 0, who) {} catch {}
        if ((seed >> 2) % 2 == 0) {
            pools.poke(_pool(id, PASS));
            pools.poke(_pool(id, FAIL));
        }
    }

    function _posBal(address who, IERC20 tok, ConditionId decision, uint256 branch) internal view returns (uint256) {
        return vault.balanceOf(who, _posOf(tok, decision, branch));
    }

    function _min(uint256 x, uint256 y) internal pure returns (uint256) {
        return x < y ? x : y;
    }
}
