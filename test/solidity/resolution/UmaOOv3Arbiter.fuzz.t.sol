// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {IUmaOOv3Arbiter} from "../../../contracts/interfaces/IUmaOOv3Arbiter.sol";
import {ChallengeId, PledgeId} from "../../../contracts/types/Ids.sol";
import {UmaOOv3Fixture} from "./UmaOOv3Fixture.sol";

/// @notice Properties of UmaOOv3Arbiter over bond amounts, timing and outcomes.
contract UmaOOv3ArbiterFuzzTest is UmaOOv3Fixture {
    uint256 internal constant MAX_AMOUNT = 1e30;

    /// The bond is exactly max(configured minimum, OOv3 minimum); it moves from the caller to OOv3 in full, the
    /// adapter keeps neither tokens nor allowance, and a bond above the caller's max reverts with both values.
    function testFuzz_assertBreach_bondIsTheLargerMinimumAndPassesThrough(
        uint256 configured,
        uint256 oracleMinimum,
        uint256 maxBond
    ) public {
        configured = bound(configured, 1, MAX_AMOUNT);
        oracleMinimum = bound(oracleMinimum, 0, MAX_AMOUNT);
        maxBond = bound(maxBond, 0, MAX_AMOUNT);
        adapter = _newAdapter(IERC20(address(usdc)), configured);
        oracle.setMinimumBond(oracleMinimum);
        (, ChallengeId cid) = _disputedPledge();
        uint256 required = configured > oracleMinimum ? configured : oracleMinimum;
        assertEq(adapter.requiredBond(), required);
        _fundCurrency(asserter, address(adapter), MAX_AMOUNT);

        if (required > maxBond) {
            vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.AssertionBondAboveMax.selector, required, maxBond));
            vm.prank(asserter);
            adapter.assertBreach(cid, maxBond);
            assertEq(usdc.balanceOf(asserter), MAX_AMOUNT);
            return;
        }
        vm.prank(asserter);
        bytes32 aid = adapter.assertBreach(cid, maxBond);
        assertEq(usdc.balanceOf(asserter), MAX_AMOUNT - required);
        assertEq(usdc.balanceOf(address(oracle)), required);
        assertEq(oracle.getAssertion(aid).bond, required);
        assertEq(usdc.balanceOf(address(adapter)), 0);
        assertEq(usdc.allowance(address(adapter), address(oracle)), 0);
    }

    /// An assertion is accepted exactly while it could settle, undisputed, before the ruling deadline.
    function testFuzz_assertBreach_acceptedIffItCanSettleInTime(uint256 delay) public {
        (, ChallengeId cid) = _disputedPledge();
        uint64 deadline = _rulingDeadline(cid);
        delay = bound(delay, 0, 2 * uint256(TIMEOUT));
        vm.warp(block.timestamp + delay);
        _fundCurrency(asserter, address(adapter), MIN_BOND);
        uint256 expiresAt = block.timestamp + OO_LIVENESS;
        if (expiresAt >= deadline) {
            vm.expectRevert(
                abi.encodeWithSelector(IUmaOOv3Arbiter.AssertionWindowClosed.selector, cid, expiresAt, deadline)
            );
            vm.prank(asserter);
            adapter.assertBreach(cid, MIN_BOND);
            return;
        }
        vm.prank(asserter);
        bytes32 aid = adapter.assertBreach(cid, MIN_BOND);
        vm.warp(expiresAt);
        oracle.settleAssertion(aid);
        _assertStatus(cid, IUmaOOv3Arbiter.DisputeStatus.Ruled);
    }

    /// Whatever OOv3 decides, and whenever it decides it, settlement never reverts because of the adapter, and the
    /// registry ends up with exactly the matching outcome: breached iff the assertion was upheld in time, the
    /// challenge rejected iff it failed in time, voidable otherwise.
    function testFuzz_settlement_neverBlockedAndRulesTheOracleOutcome(bool truthful, bool ooDisputed, uint256 dvmDelay)
        public
    {
        (PledgeId id, ChallengeId cid) = _disputedPledge();
        bytes32 aid = _assert(cid);
        uint64 deadline = _rulingDeadline(cid);
        dvmDelay = bound(dvmDelay, OO_LIVENESS, 2 * uint256(TIMEOUT));
        if (ooDisputed) {
            _ooDispute(aid);
            oracle.resolveDispute(aid, truthful);
        } else {
            truthful = true; // undisputed assertions settle as true
        }
        vm.warp(block.timestamp + dvmDelay);
        oracle.settleAssertion(aid); // must not revert

        IUmaOOv3Arbiter.Dispute memory d = adapter.getDispute(cid);
        assertTrue(d.resolved);
        assertEq(d.assertedTruthfully, truthful);
        if (block.timestamp < deadline) {
            assertTrue(d.ruled);
            _assertState(id, truthful ? IPledgeRegistry.PledgeState.Breached : IPledgeRegistry.PledgeState.Active);
        } else {
            assertFalse(d.ruled);
            _assertStatus(cid, IUmaOOv3Arbiter.DisputeStatus.RulingUndelivered);
            _assertState(id, IPledgeRegistry.PledgeState.RulingOverdue);
            registry.voidChallenge(id);
        }
    }
}
