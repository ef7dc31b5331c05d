// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {ICommitteeArbiter} from "../../contracts/interfaces/ICommitteeArbiter.sol";
import {IOptimisticResolution} from "../../contracts/interfaces/IOptimisticResolution.sol";
import {IPledgeRegistry} from "../../contracts/interfaces/IPledgeRegistry.sol";
import {CommitteeArbiter} from "../../contracts/resolution/CommitteeArbiter.sol";
import {FeeOnTransferERC20} from "../mocks/FeeOnTransferERC20.sol";
import {MockArbiter} from "../mocks/MockArbiter.sol";
import {ReentrantERC20} from "../mocks/ReentrantERC20.sol";
import {SwitchableFeeERC20} from "../mocks/SwitchableFeeERC20.sol";
import {ChallengeId, PledgeId} from "../../contracts/types/Ids.sol";
import {RegistryFixture} from "./utils/RegistryFixture.sol";

/// @notice One attack per test. Each asserts that the attack fails with a specific error (or gains
/// nothing) and that nobody else's claimable balance or escrowed bond moved.
contract PledgeRegistryAttacksTest is RegistryFixture {
    ReentrantERC20 internal hook;

    function setUp() public override {
        super.setUp();
        hook = new ReentrantERC20();
        vm.label(address(hook), "hook token");
    }

    // ============================================================ reentrancy

    /// @dev The standard pledge, bonded in the hook token.
    function _hookParams() internal view returns (IPledgeRegistry.PledgeParams memory params) {
        params = _params();
        params.token = hook;
    }

    function _hookClaimable(address who) internal view returns (uint256) {
        return registry.claimable(who, hook);
    }

    /// @dev The hook fired, and the registry refused the nested call with OZ's guard error.
    function _assertReentryRefused() internal view {
        assertTrue(hook.reentered(), "hook did not fire");
        assertFalse(hook.armed(), "hook still armed");
        assertFalse(hook.reentrySucceeded(), "reentrant call succeeded");
        assertEq(
            hook.reentryReturnData(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
            "reentrant call not refused by the guard"
        );
    }

    function test_reentrancy_claimCannotReenterClaim() public {
        // Pledge A honored: the pledger may claim BOND. Pledge B slashed with the hook token contract itself as
        // beneficiary, so a nested claim from the token would have a balance to take.
        PledgeId a = _create(_hookParams());
        IPledgeRegistry.PledgeParams memory paramsB = _hookParams();
        paramsB.beneficiary = address(hook);
        PledgeId b = _create(paramsB);
        _challenge(b);
        vm.warp(START + TERM + GRACE);
        registry.finalize(a);
        registry.finalize(b);
        uint256 escrowed = hook.balanceOf(address(registry));

        hook.arm(address(registry), abi.encodeCall(registry.claim, (IERC20(address(hook)), stranger)));
        vm.prank(pledger);
        uint256 paid = registry.claim(hook, pledger);

        _assertReentryRefused();
        assertEq(paid, BOND);
        assertEq(hook.balanceOf(pledger), BOND, "pledger paid exactly once");
        assertEq(hook.balanceOf(stranger), 0, "nothing leaked to the attacker");
        assertEq(_hookClaimable(pledger), 0);
        assertEq(_hookClaimable(address(hook)), BENEFICIARY_SHARE, "beneficiary balance untouched");
        assertEq(_hookClaimable(challenger), CHALLENGE_BOND + REWARD, "challenger balance untouched");
        assertEq(hook.balanceOf(address(registry)), escrowed - BOND);
    }

    function test_reentrancy_challengeCannotReenterFinalize() public {
        IPledgeRegistry.PledgeParams memory shortParams = _hookParams();
        shortParams.expiry = uint64(block.timestamp + 1 days);
        shortParams.grace = 0;
        PledgeId releasable = _create(shortParams);
        PledgeId target = _create(_hookParams());
        vm.warp(block.timestamp + 1 days);
        _assertState(releasable, IPledgeRegistry.PledgeState.Releasable);

        _fund(hook, challenger, CHALLENGE_BOND);
        hook.arm(address(registry), abi.encodeCall(registry.finalize, (releasable)));
        vm.prank(challenger);
        registry.challenge(target, EVIDENCE_URI, type(uint256).max);

        _assertReentryRefused();
        _assertState(target, IPledgeRegistry.PledgeState.Challenged);
        _assertState(releasable, IPledgeRegistry.PledgeState.Releasable);
        assertEq(_hookClaimable(pledger), 0, "nested finalize credited nothing");
        assertEq(hook.balanceOf(address(registry)), 2 * uint256(BOND) + CHALLENGE_BOND);
    }

    function test_reentrancy_createPledgeCannotReenterChallenge() public {
        _fund(hook, pledger, BOND);
        // While the bond moves, the new pledge (id 1) is stored: try to challenge it from inside the transfer.
        hook.arm(address(registry), abi.encodeCall(registry.challenge, (PledgeId.wrap(1), EVIDENCE_URI, type(uint256).max)));
        vm.prank(pledger);
        PledgeId id = registry.createPledge(_hookParams());

        _assertReentryRefused();
        _assertState(id, IPledgeRegistry.PledgeState.Active);
        assertEq(ChallengeId.unwrap(registry.openChallenge(id)), 0, "no challenge opened");
        assertEq(hook.balanceOf(address(registry)), BOND);
    }

    function test_reentrancy_disputeCannotReenterFinalize() public {
        PledgeId slashable = _create(_hookParams());
        PledgeId target = _create(_hookParams());
        _challenge(slashable);
        vm.warp(block.timestamp + LIVENESS);
        _challengeAs(stranger, target);
        _assertState(slashable, IPledgeRegistry.PledgeState.Slashable);

        IOptimisticResolution.Challenge memory c = registry.getChallenge(registry.openChallenge(target));
        _fund(hook, disputer, c.bond);
        hook.arm(address(registry), abi.encodeCall(registry.finalize, (slashable)));
        vm.prank(disputer);
        registry.dispute(target);

        _assertReentryRefused();
        _assertState(target, IPledgeRegistry.PledgeState.Disputed);
        _assertState(slashable, IPledgeRegistry.PledgeState.Slashable);
        assertEq(_hookClaimable(challenger), 0);
        assertEq(_hookClaimable(beneficiary), 0);
        assertEq(hook.balanceOf(address(registry)), 2 * uint256(BOND) + 3 * uint256(CHALLENGE_BOND));
    }

    function test_reentrancy_topUpCannotReenterVoidChallenge() public {
        PledgeId overdue = _create(_hookParams());
        ChallengeId cid = _challenge(overdue);
        _dispute(overdue);
        vm.warp(block.timestamp + TIMEOUT);
        PledgeId target = _create(_hookParams());

        _fund(hook, pledger, 1_000);
        hook.arm(address(registry), abi.encodeCall(registry.voidChallenge, (overdue)));
        vm.prank(pledger);
        registry.topUp(target, 1_000);

        _assertReentryRefused();
        assertEq(registry.getPledge(target).bond, uint256(BOND) + 1_000);
        _assertState(overdue, IPledgeRegistry.PledgeState.RulingOverdue);
        assertEq(ChallengeId.unwrap(registry.openChallenge(overdue)), ChallengeId.unwrap(cid));
        assertEq(_hookClaimable(challenger), 0);
        assertEq(_hookClaimable(disputer), 0);
    }

    function test_reentrancy_flushBurnedCannotReenterFlush() public {
        IPledgeRegistry.PledgeParams memory params = _hookParams();
        params.beneficiary = address(0);
        PledgeId id = _create(params);
        _challenge(id);
        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(id);

        hook.arm(address(registry), abi.encodeCall(registry.flushBurned, (IERC20(address(hook)))));
        uint256 flushed = registry.flushBurned(hook);

        _assertReentryRefused();
        assertEq(flushed, BENEFICIARY_SHARE);
        assertEq(hook.balanceOf(BURN), BENEFICIARY_SHARE, "burned exactly once");
        assertEq(_hookClaimable(challenger), CHALLENGE_BOND + REWARD);
        assertEq(hook.balanceOf(address(registry)), CHALLENGE_BOND + REWARD);
    }

    // ======================================================= fee-on-transfer

    function test_feeOnTransfer_createRefused() public {
        FeeOnTransferERC20 fot = new FeeOnTransferERC20(100); // 1 %
        IPledgeRegistry.PledgeParams memory params = _params();
        params.token = fot;
        _fund(fot, pledger, BOND);

        // 1 % of 1_234_567 is 12_345 (floor): the registry receives 1_222_222.
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.TokenTransferMismatch.selector, fot, BOND, 1_222_222));
        vm.prank(pledger);
        registry.createPledge(params);

        assertEq(registry.pledgeCount(), 0);
        assertEq(fot.balanceOf(pledger), BOND);
        assertEq(fot.balanceOf(address(registry)), 0);
    }

    /// @dev A pledge in a token whose fee is still off, so it can be created; the test then switches it on.
    function _switchablePledge() internal returns (SwitchableFeeERC20 sft, PledgeId id) {
        sft = new SwitchableFeeERC20();
        IPledgeRegistry.PledgeParams memory params = _params();
        params.token = sft;
        id = _create(params);
    }

    function test_feeOnTransfer_topUpRefused() public {
        (SwitchableFeeERC20 sft, PledgeId id) = _switchablePledge();
        sft.setFeeBps(100);
        _fund(sft, pledger, 10_000);

        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.TokenTransferMismatch.selector, sft, 10_000, 9_900));
        vm.prank(pledger);
        registry.topUp(id, 10_000);

        assertEq(registry.getPledge(id).bond, BOND);
        assertEq(sft.balanceOf(pledger), 10_000);
        assertEq(sft.balanceOf(address(registry)), BOND);
    }

    function test_feeOnTransfer_challengeRefused() public {
        (SwitchableFeeERC20 sft, PledgeId id) = _switchablePledge();
        sft.setFeeBps(100);
        _fund(sft, challenger, CHALLENGE_BOND);

        // 1 % of 10_001 is 100 (floor).
        vm.expectRevert(
            abi.encodeWithSelector(IPledgeRegistry.TokenTransferMismatch.selector, sft, CHALLENGE_BOND, 9_901)
        );
        vm.prank(challenger);
        registry.challenge(id, EVIDENCE_URI, type(uint256).max);

        _assertState(id, IPledgeRegistry.PledgeState.Active);
        assertEq(sft.balanceOf(challenger), CHALLENGE_BOND);
        assertEq(sft.balanceOf(address(registry)), BOND);
    }

    function test_feeOnTransfer_disputeRefused() public {
        (SwitchableFeeERC20 sft, PledgeId id) = _switchablePledge();
        ChallengeId cid = _challenge(id);
        sft.setFeeBps(100);
        _fund(sft, disputer, CHALLENGE_BOND);

        vm.expectRevert(
            abi.encodeWithSelector(IPledgeRegistry.TokenTransferMismatch.selector, sft, CHALLENGE_BOND, 9_901)
        );
        vm.prank(disputer);
        registry.dispute(id);

        _assertState(id, IPledgeRegistry.PledgeState.Challenged);
        assertEq(registry.getChallenge(cid).disputer, address(0));
        assertEq(arbiter.disputesReceived(), 0);
        assertEq(sft.balanceOf(disputer), CHALLENGE_BOND);
        assertEq(sft.balanceOf(address(registry)), uint256(BOND) + CHALLENGE_BOND);
    }

    // =============================================================== arbiter

    function test_dispute_arbiterRefusalRevertsAndChangesNothing() public {
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        arbiter.setRevertOnDispute(true);
        _fund(disputer, CHALLENGE_BOND);
        uint256 escrowed = _balance(address(registry));

        vm.expectRevert(abi.encodeWithSelector(MockArbiter.ArbiterRefused.selector, cid));
        vm.prank(disputer);
        registry.dispute(id);

        _assertState(id, IPledgeRegistry.PledgeState.Challenged);
        IOptimisticResolution.Challenge memory c = registry.getChallenge(cid);
        assertEq(c.disputer, address(0));
        assertEq(c.disputedAt, 0);
        assertEq(arbiter.disputesReceived(), 0);
        assertEq(_balance(disputer), CHALLENGE_BOND, "disputer keeps its bond");
        assertEq(_balance(address(registry)), escrowed);
        assertEq(_claimable(disputer), 0);
        assertEq(_claimable(challenger), 0);
    }

    function test_selfDispute_upheldCostsChallengerExactlyTheFee() public {
        PledgeId id = _create();
        _fund(challenger, 2 * uint256(CHALLENGE_BOND));
        vm.prank(challenger);
        ChallengeId cid = registry.challenge(id, EVIDENCE_URI, type(uint256).max);
        vm.prank(challenger);
        registry.dispute(id);
        _rule(cid, true);

        vm.prank(challenger);
        registry.claim(token, challenger);
        // Left undisputed the challenger would end with 2 * CHALLENGE_BOND + REWARD; disputing itself costs the fee.
        assertEq(_balance(challenger), 2 * uint256(CHALLENGE_BOND) + REWARD - FEE);
        assertEq(_claimable(treasury), FEE);
        assertEq(_claimable(beneficiary), BENEFICIARY_SHARE, "beneficiary share unaffected");
    }

    function test_selfDispute_rejectedCostsChallengerExactlyTheFee() public {
        PledgeId id = _create();
        _fund(challenger, 2 * uint256(CHALLENGE_BOND));
        vm.prank(challenger);
        ChallengeId cid = registry.challenge(id, EVIDENCE_URI, type(uint256).max);
        vm.prank(challenger);
        registry.dispute(id);
        _rule(cid, false);

        vm.prank(challenger);
        registry.claim(token, challenger);
        assertEq(_balance(challenger), 2 * uint256(CHALLENGE_BOND) - FEE);
        assertEq(_claimable(treasury), FEE);
        assertEq(registry.getPledge(id).bond, BOND, "pledger's bond untouched");
    }

    function test_rule_refusesEveryNonArbiter() public {
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        _dispute(id);
        // The arbiter of another pledge is no better placed than anyone else.
        MockArbiter otherArbiter = new MockArbiter(registry);
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.arbiter = otherArbiter;
        _create(params);

        address[5] memory callers = [pledger, challenger, disputer, stranger, address(otherArbiter)];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IOptimisticResolution.CallerNotArbiter.selector, cid, callers[i], address(arbiter)
                )
            );
            vm.prank(callers[i]);
            registry.rule(cid, i % 2 == 0);
        }
        _assertState(id, IPledgeRegistry.PledgeState.Disputed);
        assertEq(_claimable(challenger), 0);
        assertEq(_claimable(disputer), 0);
        assertEq(_claimable(treasury), 0);
    }

    function test_dispute_secondDisputeReverts() public {
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        _dispute(id);
        _fund(stranger, CHALLENGE_BOND);
        uint256 escrowed = _balance(address(registry));

        _expectUnexpectedState(id, IPledgeRegistry.PledgeState.Disputed, ALLOWED_DISPUTE);
        vm.prank(stranger);
        registry.dispute(id);

        assertEq(registry.getChallenge(cid).disputer, disputer, "first disputer kept");
        assertEq(arbiter.disputesReceived(), 1);
        assertEq(_balance(stranger), CHALLENGE_BOND);
        assertEq(_balance(address(registry)), escrowed);
    }

    function test_vote_memberCannotVoteTwice() public {
        address[] memory members = new address[](3);
        members[0] = makeAddr("member0");
        members[1] = makeAddr("member1");
        members[2] = makeAddr("member2");
        CommitteeArbiter committee = new CommitteeArbiter(registry, members, 2);
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.arbiter = committee;
        PledgeId id = _create(params);
        ChallengeId cid = _challenge(id);
        _dispute(id);

        vm.prank(members[0]);
        committee.vote(cid, true);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.AlreadyVoted.selector, cid, members[0]));
        vm.prank(members[0]);
        committee.vote(cid, true);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.AlreadyVoted.selector, cid, members[0]));
        vm.prank(members[0]);
        committee.vote(cid, false);

        (, bool ruled, uint8 yes, uint8 no) = committee.tally(cid);
        assertFalse(ruled);
        assertEq(yes, 1);
        assertEq(no, 0);
        _assertState(id, IPledgeRegistry.PledgeState.Disputed);
    }

    // =========================================================== settlement

    function test_topUp_finalizedPledgeRefused() public {
        PledgeId honored = _pledgeIn(IPledgeRegistry.PledgeState.Honored);
        PledgeId breached = _pledgeIn(IPledgeRegistry.PledgeState.Breached);
        _fund(pledger, 2);

        _expectUnexpectedState(honored, IPledgeRegistry.PledgeState.Honored, ALLOWED_TOP_UP);
        vm.prank(pledger);
        registry.topUp(honored, 1);
        _expectUnexpectedState(breached, IPledgeRegistry.PledgeState.Breached, ALLOWED_TOP_UP);
        vm.prank(pledger);
        registry.topUp(breached, 1);

        assertEq(_balance(pledger), 2, "no tokens taken");
        assertEq(registry.getPledge(honored).bond, BOND);
        assertEq(registry.getPledge(breached).bond, BOND);
        assertEq(_claimable(pledger), BOND);
        assertEq(_claimable(beneficiary), BENEFICIARY_SHARE);
    }

    function test_finalize_secondFinalizeReverts() public {
        PledgeId id = _pledgeIn(IPledgeRegistry.PledgeState.Breached);
        _expectUnexpectedState(id, IPledgeRegistry.PledgeState.Breached, ALLOWED_FINALIZE);
        registry.finalize(id);
        assertEq(_claimable(challenger), CHALLENGE_BOND + REWARD, "challenger credited once");
        assertEq(_claimable(beneficiary), BENEFICIARY_SHARE, "beneficiary credited once");
    }

    function test_rule_voidedChallengeRefused() public {
        PledgeId id = _pledgeIn(IPledgeRegistry.PledgeState.RulingOverdue);
        ChallengeId cid = registry.openChallenge(id);
        registry.voidChallenge(id);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimisticResolution.ChallengeNotOpen.selector, cid, ChallengeId.wrap(0))
        );
        _rule(cid, true);
        assertEq(_claimable(challenger), CHALLENGE_BOND);
        assertEq(_claimable(disputer), CHALLENGE_BOND);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
    }

    function test_claim_paysOnlyCallersBalance() public {
        _pledgeIn(IPledgeRegistry.PledgeState.Breached);

        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.NothingToClaim.selector, stranger, token));
        vm.prank(stranger);
        registry.claim(token, stranger);
        // Naming the victim as recipient does not make its balance the caller's.
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.NothingToClaim.selector, stranger, token));
        vm.prank(stranger);
        registry.claim(token, beneficiary);

        // A claim pays the caller's own balance, whoever the recipient is.
        vm.prank(challenger);
        assertEq(registry.claim(token, stranger), CHALLENGE_BOND + REWARD);
        assertEq(_balance(stranger), CHALLENGE_BOND + REWARD);
        assertEq(_claimable(beneficiary), BENEFICIARY_SHARE, "victim balance intact");
        vm.prank(beneficiary);
        assertEq(registry.claim(token, beneficiary), BENEFICIARY_SHARE);
        assertEq(_balance(address(registry)), 0);
    }
}
