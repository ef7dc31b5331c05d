// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {ChallengeId, PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {AdversarialBase} from "./AdversarialBase.sol";

/// @notice Every state-machine boundary, second by second: at `t - 1`, `t` and `t + 1` exactly one of the two
/// exclusive actions is accepted and the other is refused with the exact state error. One identical pledge (or
/// market) per second, all started in the same block, so each second is probed on a fresh object.
contract BoundaryAttacksTest is AdversarialBase {
    IPledgeRegistry.PledgeState internal constant ACTIVE = IPledgeRegistry.PledgeState.Active;
    IPledgeRegistry.PledgeState internal constant CHALLENGED = IPledgeRegistry.PledgeState.Challenged;
    IPledgeRegistry.PledgeState internal constant DISPUTED = IPledgeRegistry.PledgeState.Disputed;
    IPledgeRegistry.PledgeState internal constant SLASHABLE = IPledgeRegistry.PledgeState.Slashable;
    IPledgeRegistry.PledgeState internal constant OVERDUE = IPledgeRegistry.PledgeState.RulingOverdue;
    IPledgeRegistry.PledgeState internal constant RELEASABLE = IPledgeRegistry.PledgeState.Releasable;

    function _three() internal returns (PledgeId[3] memory ids) {
        ids = [_create(), _create(), _create()];
    }

    function test_attack_graceEndBoundary_challengeXorFinalize() public {
        PledgeId[3] memory ids = _three();
        uint256 end = _end(ids[0]); // expiry + grace: challengeable before, releasable from then on
        for (uint256 k; k < 3; ++k) {
            vm.warp(end - 1 + k);
            PledgeId id = ids[k];
            if (block.timestamp < end) {
                _expectUnexpectedState(id, ACTIVE, ALLOWED_FINALIZE);
                registry.finalize(id);
                _challengeAs(challenger, id);
                _assertState(id, CHALLENGED);
            } else {
                _fund(challenger, CHALLENGE_BOND);
                _expectUnexpectedState(id, RELEASABLE, ALLOWED_CHALLENGE);
                vm.prank(challenger);
                registry.challenge(id, EVIDENCE_URI, type(uint256).max);
                assertEq(uint256(registry.finalize(id)), uint256(IPledgeRegistry.Outcome.Honored));
            }
        }
        assertEq(token.balanceOf(address(registry)), 4 * uint256(BOND) + CHALLENGE_BOND, "one challenge bond taken");
        assertEq(registry.claimable(pledger, token), 2 * uint256(BOND), "two pledges honored");
    }

    function test_attack_expiryBoundary_graceZeroEndsAtExpiryGraceKeepsItOpen() public {
        // With no grace the term's expiry is the boundary; with a grace, expiry itself changes nothing.
        IPledgeRegistry.PledgeParams memory params = _params();
        params.grace = 0;
        PledgeId[3] memory bare = [_create(params), _create(params), _create(params)];
        PledgeId[3] memory graced = _three();
        uint256 expiry = registry.getPledge(bare[0]).expiry;
        assertEq(registry.getPledge(graced[0]).expiry, expiry);
        for (uint256 k; k < 3; ++k) {
            vm.warp(expiry - 1 + k);
            if (block.timestamp < expiry) {
                _expectUnexpectedState(bare[k], ACTIVE, ALLOWED_FINALIZE);
                registry.finalize(bare[k]);
                _challengeAs(challenger, bare[k]);
            } else {
                _fund(challenger, CHALLENGE_BOND);
                _expectUnexpectedState(bare[k], RELEASABLE, ALLOWED_CHALLENGE);
                vm.prank(challenger);
                registry.challenge(bare[k], EVIDENCE_URI, type(uint256).max);
                registry.finalize(bare[k]);
            }
            _expectUnexpectedState(graced[k], ACTIVE, ALLOWED_FINALIZE);
            registry.finalize(graced[k]);
            _challengeAs(stranger, graced[k]);
        }
        assertEq(registry.claimable(pledger, token), 2 * uint256(BOND), "two bare pledges honored at expiry");
        assertEq(token.balanceOf(address(registry)), 7 * uint256(BOND) + 4 * uint256(CHALLENGE_BOND));
    }

    function test_attack_livenessBoundary_disputeXorFinalize() public {
        PledgeId[3] memory ids = _three();
        for (uint256 k; k < 3; ++k) {
            _challenge(ids[k]);
        }
        uint256 deadline = block.timestamp + LIVENESS; // disputable before, slashable from then on
        for (uint256 k; k < 3; ++k) {
            vm.warp(deadline - 1 + k);
            PledgeId id = ids[k];
            if (block.timestamp < deadline) {
                _expectUnexpectedState(id, CHALLENGED, ALLOWED_FINALIZE);
                registry.finalize(id);
                _dispute(id);
                _assertState(id, DISPUTED);
            } else {
                _fund(disputer, CHALLENGE_BOND);
                _expectUnexpectedState(id, SLASHABLE, ALLOWED_DISPUTE);
                vm.prank(disputer);
                registry.dispute(id);
                assertEq(uint256(registry.finalize(id)), uint256(IPledgeRegistry.Outcome.Breached));
            }
        }
        assertEq(registry.claimable(challenger, token), 2 * (CHALLENGE_BOND + REWARD), "two stood unopposed");
        assertEq(registry.claimable(beneficiary, token), 2 * BENEFICIARY_SHARE);
        assertEq(arbiter.disputesReceived(), 1, "one dispute, at the last disputable second");
    }

    function test_attack_arbitrationTimeoutBoundary_ruleXorVoid() public {
        PledgeId[3] memory ids = _three();
        ChallengeId[3] memory cids;
        for (uint256 k; k < 3; ++k) {
            cids[k] = _challenge(ids[k]);
            _dispute(ids[k]);
        }
        uint256 deadline = block.timestamp + TIMEOUT; // rulable before, voidable from then on
        for (uint256 k; k < 3; ++k) {
            vm.warp(deadline - 1 + k);
            PledgeId id = ids[k];
            if (block.timestamp < deadline) {
                _expectUnexpectedState(id, DISPUTED, ALLOWED_VOID);
                registry.voidChallenge(id);
                _rule(cids[k], false);
            } else {
                _expectUnexpectedState(id, OVERDUE, ALLOWED_RULE);
                _rule(cids[k], true);
                registry.voidChallenge(id);
            }
            _assertState(id, ACTIVE);
        }
        assertEq(registry.claimable(disputer, token), DISPUTE_WIN + 2 * uint256(CHALLENGE_BOND));
        assertEq(registry.claimable(challenger, token), 2 * uint256(CHALLENGE_BOND), "voided: bonds refunded");
        assertEq(registry.claimable(treasury, token), FEE);
        assertEq(registry.getPledge(ids[0]).rejectedChallenges, 1);
        assertEq(registry.getPledge(ids[1]).rejectedChallenges, 0, "a void is not a rejection");
    }

    function test_attack_breachMarketCloseBoundary_tradeXorResolve() public {
        PledgeId[3] memory ids = [pledgeId, _create(), _create()];
        _open(ids[1]);
        _open(ids[2]);
        uint256 end = _end(ids[0]); // the gate admits trades before, resolve reports HONOR from then on
        for (uint256 k; k < 3; ++k) {
            vm.warp(end - 1 + k);
            PledgeId id = ids[k];
            ConditionId c = markets.conditionOf(id);
            if (block.timestamp < end) {
                _expectPledgeState(id, ACTIVE);
                markets.resolve(id);
                _buy(alice, c, HONOR, SHARES);
            } else {
                _expectPledgeState(id, RELEASABLE);
                _buy(alice, c, HONOR, SHARES);
                assertFalse(markets.resolve(id), "HONOR");
                _expectMarketState(c, ILmsrMarketMaker.MarketState.Resolved, ILmsrMarketMaker.MarketState.Open);
                _buy(alice, c, HONOR, SHARES);
            }
        }
        assertEq(vault.balanceOf(alice, _pos(markets.conditionOf(ids[0]), HONOR)), SHARES);
        assertEq(vault.balanceOf(alice, _pos(markets.conditionOf(ids[1]), HONOR)), 0);
        assertEq(vault.balanceOf(alice, _pos(markets.conditionOf(ids[2]), HONOR)), 0);
    }

    function test_attack_tradeDeadlineBoundary_includedAtDeadlineRefusedAfter() public {
        uint256 deadline = block.timestamp + 100;
        _buy(alice, BREACH, 3 * SHARES);
        for (uint256 k; k < 3; ++k) {
            vm.warp(deadline - 1 + k);
            if (block.timestamp <= deadline) {
                vm.prank(alice);
                maker.buy(conditionId, HONOR, SHARES, type(uint256).max, deadline, alice);
                vm.prank(alice);
                maker.sell(conditionId, BREACH, SHARES, 0, deadline, alice);
            } else {
                bytes memory late =
                    abi.encodeWithSelector(ILmsrMarketMaker.TradeDeadlinePassed.selector, deadline, block.timestamp);
                vm.expectRevert(late);
                vm.prank(alice);
                maker.buy(conditionId, HONOR, SHARES, type(uint256).max, deadline, alice);
                vm.expectRevert(late);
                vm.prank(alice);
                maker.sell(conditionId, BREACH, SHARES, 0, deadline, alice);
            }
        }
        assertEq(_shares(alice, HONOR), 2 * SHARES, "two buys went in: at deadline - 1 and at deadline");
        assertEq(_shares(alice, BREACH), SHARES);
    }
}
