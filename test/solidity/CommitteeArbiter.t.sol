// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ICommitteeArbiter} from "../../contracts/interfaces/ICommitteeArbiter.sol";
import {IOptimisticResolution} from "../../contracts/interfaces/IOptimisticResolution.sol";
import {IPledgeRegistry} from "../../contracts/interfaces/IPledgeRegistry.sol";
import {CommitteeArbiter} from "../../contracts/resolution/CommitteeArbiter.sol";
import {ChallengeId, PledgeId} from "../../contracts/types/Ids.sol";
import {RegistryFixture} from "./utils/RegistryFixture.sol";

/// @notice Unit tests of CommitteeArbiter against a real PledgeRegistry.
contract CommitteeArbiterTest is RegistryFixture {
    uint256 internal constant MAX_MEMBERS = 32;

    CommitteeArbiter internal committee;
    address[] internal members;

    function setUp() public override {
        super.setUp();
        members = _members(3);
        committee = new CommitteeArbiter(registry, members, 2);
        vm.label(address(committee), "committee");
    }

    function _members(uint256 n) internal returns (address[] memory list) {
        list = new address[](n);
        for (uint256 i = 0; i < n; ++i) {
            list[i] = makeAddr(string.concat("member", vm.toString(i)));
        }
    }

    /// @dev A standard pledge arbitrated by `arb`, challenged and disputed.
    function _disputedPledge(ICommitteeArbiter arb) internal returns (PledgeId id, ChallengeId cid) {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.arbiter = arb;
        id = _create(params);
        cid = _challenge(id);
        _dispute(id);
    }

    function _vote(address member, ChallengeId cid, bool breached) internal {
        vm.prank(member);
        committee.vote(cid, breached);
    }

    // =========================================================== constructor

    function test_constructor_storesCommittee() public view {
        assertEq(address(committee.registry()), address(registry));
        assertEq(committee.threshold(), 2);
        address[] memory stored = committee.members();
        assertEq(stored.length, 3);
        for (uint256 i = 0; i < 3; ++i) {
            assertEq(stored[i], members[i]);
            assertTrue(committee.isMember(members[i]));
        }
        assertFalse(committee.isMember(stranger));
        assertFalse(committee.isMember(address(0)));
        assertEq(committee.MAX_MEMBERS(), MAX_MEMBERS);
    }

    function test_constructor_acceptsBoundarySizes() public {
        CommitteeArbiter single = new CommitteeArbiter(registry, _members(1), 1);
        assertEq(single.threshold(), 1);
        CommitteeArbiter full = new CommitteeArbiter(registry, _members(32), 17);
        assertEq(full.members().length, 32);
        CommitteeArbiter unanimous = new CommitteeArbiter(registry, _members(4), 4);
        assertEq(unanimous.threshold(), 4);
    }

    function test_constructor_revertsWhenEmpty() public {
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.CommitteeSizeInvalid.selector, 0, MAX_MEMBERS));
        new CommitteeArbiter(registry, new address[](0), 1);
    }

    function test_constructor_revertsWhenTooLarge() public {
        address[] memory list = _members(33);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.CommitteeSizeInvalid.selector, 33, MAX_MEMBERS));
        new CommitteeArbiter(registry, list, 17);
    }

    function test_constructor_revertsOnZeroMember() public {
        address[] memory list = _members(3);
        list[1] = address(0);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.MemberInvalid.selector, address(0)));
        new CommitteeArbiter(registry, list, 2);
    }

    function test_constructor_revertsOnDuplicateMember() public {
        address[] memory list = _members(3);
        list[2] = list[0];
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.MemberInvalid.selector, list[0]));
        new CommitteeArbiter(registry, list, 2);
    }

    function test_constructor_revertsWhenThresholdNotStrictMajority() public {
        address[] memory list = _members(4);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.ThresholdInvalid.selector, 2, 4));
        new CommitteeArbiter(registry, list, 2);
        list = _members(3);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.ThresholdInvalid.selector, 1, 3));
        new CommitteeArbiter(registry, list, 1);
    }

    function test_constructor_revertsWhenThresholdZero() public {
        address[] memory list = _members(1);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.ThresholdInvalid.selector, 0, 1));
        new CommitteeArbiter(registry, list, 0);
    }

    function test_constructor_revertsWhenThresholdAboveSize() public {
        address[] memory list = _members(3);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.ThresholdInvalid.selector, 4, 3));
        new CommitteeArbiter(registry, list, 4);
    }

    function test_constructor_revertsWhenRegistryZero() public {
        address[] memory list = _members(3);
        vm.expectRevert(ICommitteeArbiter.RegistryZero.selector);
        new CommitteeArbiter(IOptimisticResolution(address(0)), list, 2);
    }

    // ============================================================ onDisputed

    function test_onDisputed_recordsDisputeFromRegistry() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.arbiter = committee;
        PledgeId id = _create(params);
        ChallengeId cid = _challenge(id);
        _fund(disputer, CHALLENGE_BOND);

        vm.expectEmit(address(committee));
        emit ICommitteeArbiter.DisputeReceived(cid, uint64(block.timestamp + TIMEOUT));
        vm.prank(disputer);
        registry.dispute(id);

        (bool known, bool ruled, uint8 yes, uint8 no) = committee.tally(cid);
        assertTrue(known);
        assertFalse(ruled);
        assertEq(yes, 0);
        assertEq(no, 0);
    }

    function test_onDisputed_revertsWhenCallerNotRegistry() public {
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.CallerNotRegistry.selector, stranger));
        vm.prank(stranger);
        committee.onDisputed(ChallengeId.wrap(1), PledgeId.wrap(1), uint64(block.timestamp + 1));
        (bool known,,,) = committee.tally(ChallengeId.wrap(1));
        assertFalse(known, "a forged dispute is not recorded");
        // A member cannot open a dispute for itself either.
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.CallerNotRegistry.selector, members[0]));
        vm.prank(members[0]);
        committee.onDisputed(ChallengeId.wrap(1), PledgeId.wrap(1), uint64(block.timestamp + 1));
    }

    function test_onDisputed_fromAnotherRegistryMakesDisputeRevert() public {
        // A committee bound to another registry refuses the notice, so the dispute reverts as a whole.
        CommitteeArbiter foreign = new CommitteeArbiter(IOptimisticResolution(makeAddr("other registry")), members, 2);
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.arbiter = foreign;
        PledgeId id = _create(params);
        ChallengeId cid = _challenge(id);
        _fund(disputer, CHALLENGE_BOND);

        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.CallerNotRegistry.selector, address(registry)));
        vm.prank(disputer);
        registry.dispute(id);

        _assertState(id, IPledgeRegistry.PledgeState.Challenged);
        assertEq(_balance(disputer), CHALLENGE_BOND);
        (bool known,,,) = foreign.tally(cid);
        assertFalse(known);
    }

    // ================================================================== vote

    function test_vote_revertsForNonMember() public {
        (, ChallengeId cid) = _disputedPledge(committee);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.CallerNotMember.selector, stranger));
        vm.prank(stranger);
        committee.vote(cid, true);
    }

    function test_vote_revertsForUnknownDispute() public {
        // Challenged but not disputed: the registry never told the committee.
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.arbiter = committee;
        ChallengeId cid = _challenge(_create(params));
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.DisputeUnknown.selector, cid));
        _vote(members[0], cid, true);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.DisputeUnknown.selector, ChallengeId.wrap(42)));
        _vote(members[0], ChallengeId.wrap(42), true);
    }

    function test_vote_revertsOnDoubleVote() public {
        (, ChallengeId cid) = _disputedPledge(committee);
        _vote(members[1], cid, false);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.AlreadyVoted.selector, cid, members[1]));
        _vote(members[1], cid, false);
        assertTrue(committee.hasVoted(cid, members[1]));
        assertFalse(committee.hasVoted(cid, members[0]));
    }

    function test_vote_revertsAfterRuling() public {
        (, ChallengeId cid) = _disputedPledge(committee);
        _vote(members[0], cid, true);
        _vote(members[1], cid, true);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.AlreadyRuled.selector, cid));
        _vote(members[2], cid, false);
        assertFalse(committee.hasVoted(cid, members[2]));
    }

    function test_vote_thresholdUpholdsBreachInRegistry() public {
        (PledgeId id, ChallengeId cid) = _disputedPledge(committee);

        vm.expectEmit(address(committee));
        emit ICommitteeArbiter.VoteCast(cid, members[0], true, 1, 0);
        _vote(members[0], cid, true);
        _assertState(id, IPledgeRegistry.PledgeState.Disputed);

        vm.expectEmit(address(committee));
        emit ICommitteeArbiter.VoteCast(cid, members[2], true, 2, 0);
        vm.expectEmit(address(committee));
        emit ICommitteeArbiter.RulingSubmitted(cid, true);
        vm.expectEmit(address(registry));
        emit IOptimisticResolution.ChallengeRuled(id, cid, address(committee), true);
        _vote(members[2], cid, true);

        (bool known, bool ruled, uint8 yes, uint8 no) = committee.tally(cid);
        assertTrue(known);
        assertTrue(ruled);
        assertEq(yes, 2);
        assertEq(no, 0);
        _assertState(id, IPledgeRegistry.PledgeState.Breached);
        assertEq(_claimable(challenger), DISPUTE_WIN + REWARD);
        assertEq(_claimable(beneficiary), BENEFICIARY_SHARE);
        assertEq(_claimable(treasury), FEE);
    }

    function test_vote_thresholdRejectsChallengeInRegistry() public {
        (PledgeId id, ChallengeId cid) = _disputedPledge(committee);
        _vote(members[0], cid, false);
        vm.expectEmit(address(committee));
        emit ICommitteeArbiter.RulingSubmitted(cid, false);
        _vote(members[1], cid, false);

        _assertState(id, IPledgeRegistry.PledgeState.Active);
        assertEq(_claimable(disputer), DISPUTE_WIN);
        assertEq(_claimable(challenger), 0);
        (, uint256 required) = registry.requiredChallengeBond(id);
        assertEq(required, 2 * uint256(CHALLENGE_BOND));
    }

    function test_vote_splitVotesWaitForTheDecidingVote() public {
        (PledgeId id, ChallengeId cid) = _disputedPledge(committee);
        _vote(members[0], cid, true);
        vm.expectEmit(address(committee));
        emit ICommitteeArbiter.VoteCast(cid, members[1], false, 1, 1);
        _vote(members[1], cid, false);

        (, bool ruled, uint8 yes, uint8 no) = committee.tally(cid);
        assertFalse(ruled, "1-1 is no ruling");
        assertEq(yes, 1);
        assertEq(no, 1);
        _assertState(id, IPledgeRegistry.PledgeState.Disputed);

        _vote(members[2], cid, false);
        (, ruled,,) = committee.tally(cid);
        assertTrue(ruled);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
        assertEq(_claimable(disputer), DISPUTE_WIN);
    }

    function test_vote_deadlockedCommitteeLeavesDisputeToBeVoided() public {
        address[] memory four = _members(4);
        CommitteeArbiter c4 = new CommitteeArbiter(registry, four, 3);
        (PledgeId id, ChallengeId cid) = _disputedPledge(c4);
        for (uint256 i = 0; i < 4; ++i) {
            vm.prank(four[i]);
            c4.vote(cid, i < 2);
        }
        (, bool ruled, uint8 yes, uint8 no) = c4.tally(cid);
        assertFalse(ruled, "2-2 never reaches 3");
        assertEq(yes, 2);
        assertEq(no, 2);
        vm.warp(registry.getChallenge(cid).disputedAt + TIMEOUT);
        registry.voidChallenge(id);
        assertEq(_claimable(challenger), CHALLENGE_BOND);
        assertEq(_claimable(disputer), CHALLENGE_BOND);
    }

    function test_vote_rulingOneSecondBeforeDeadlineIsAccepted() public {
        (PledgeId id, ChallengeId cid) = _disputedPledge(committee);
        _vote(members[0], cid, true);
        vm.warp(registry.getChallenge(cid).disputedAt + TIMEOUT - 1);
        _vote(members[1], cid, true);
        _assertState(id, IPledgeRegistry.PledgeState.Breached);
    }

    function test_vote_rulingAfterDeadlineReverts() public {
        (PledgeId id, ChallengeId cid) = _disputedPledge(committee);
        _vote(members[0], cid, true);
        vm.warp(registry.getChallenge(cid).disputedAt + TIMEOUT);

        _expectUnexpectedState(id, IPledgeRegistry.PledgeState.RulingOverdue, ALLOWED_RULE);
        _vote(members[1], cid, true);

        // The whole vote reverted: not counted, not ruled; the registry lets anyone void.
        (, bool ruled, uint8 yes,) = committee.tally(cid);
        assertFalse(ruled);
        assertEq(yes, 1);
        assertFalse(committee.hasVoted(cid, members[1]));
        registry.voidChallenge(id);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
    }

    function test_vote_onVoidedDisputeCannotRule() public {
        (PledgeId id, ChallengeId cid) = _disputedPledge(committee);
        _vote(members[0], cid, true);
        vm.warp(registry.getChallenge(cid).disputedAt + TIMEOUT);
        registry.voidChallenge(id);

        vm.expectRevert(
            abi.encodeWithSelector(IOptimisticResolution.ChallengeNotOpen.selector, cid, ChallengeId.wrap(0))
        );
        _vote(members[1], cid, true);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
        assertEq(_claimable(challenger), CHALLENGE_BOND);
        assertEq(_claimable(disputer), CHALLENGE_BOND);
    }

    function test_vote_talliesAreKeptPerDispute() public {
        (, ChallengeId first) = _disputedPledge(committee);
        (PledgeId second, ChallengeId secondCid) = _disputedPledge(committee);
        _vote(members[0], first, true);
        _vote(members[0], secondCid, false); // a vote on one dispute does not count as a vote on another
        _vote(members[1], secondCid, false);
        _assertState(second, IPledgeRegistry.PledgeState.Active);
        (, bool ruled, uint8 yes, uint8 no) = committee.tally(first);
        assertFalse(ruled);
        assertEq(yes, 1);
        assertEq(no, 0);
    }
}
