// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IArbiter} from "../../../contracts/interfaces/IArbiter.sol";
import {IPacts} from "../../../contracts/interfaces/IPacts.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {PactId, PledgeId} from "../../../contracts/types/Ids.sol";
import {FeeOnTransferERC20} from "../../mocks/FeeOnTransferERC20.sol";
import {PactFixture} from "../utils/PactFixture.sol";

/// @notice Unit tests of Pacts: the lifecycle end to end (quorum reached; missed with and without a refund bonus; one
/// member breaches and the keepers claim; two breach; late joiners; a member trying to leave), every refusal with its
/// values, and the registry's sponsored-pledge entry point. Amounts worked out by hand in comments.
contract PactsTest is PactFixture {
    // C (bond 3,000,017) breaches first: reward floor(10%) = 300,001; the pact gets 2,700,016; keepers 80% =
    // 2,160,012; the fund 540,004. Keepers A (1,000,003) and B (2,000,011) by bond: A 720,002, B 1,440,009, 1 wei dust.
    uint256 internal constant C_REST = 2_700_016;
    uint256 internal constant C_TO_KEEPERS = 2_160_012;
    uint256 internal constant C_TO_FUND = 540_004;
    uint256 internal constant A_SHARE_OF_C = 720_002;
    uint256 internal constant B_SHARE_OF_C = 1_440_009;
    // Then B (2,000,011) breaches: reward 200,001; the pact gets 1,800,010; keepers 1,440,008; the fund 360,002; B's
    // unvested 1,440,009 is forfeited: A, the only keeper, ends with 3,600,019 (either order); 1 wei dust in all.
    uint256 internal constant B_TO_KEEPERS = 1_440_008;
    uint256 internal constant B_TO_FUND = 360_002;
    uint256 internal constant A_AFTER_BOTH = 3_600_019;

    // ------------------------------------------------------------- creation

    function test_createPact_storesEverythingAndPullsTheBonus() public {
        IPacts.PactParams memory params = _pactParams();
        params.bonus = BONUS;
        PactId id = _createPact(params);
        assertEq(PactId.unwrap(id), 1, "first id");
        assertEq(pacts.pactCount(), 1, "count");
        IPacts.Pact memory p = pacts.getPact(id);
        assertEq(p.founder, founder, "founder");
        assertEq(p.seats, 3, "seats");
        assertEq(p.quorum, 2, "quorum");
        assertEq(p.bonus, BONUS, "bonus");
        assertEq(p.beneficiary, fund, "beneficiary");
        assertFalse(p.invitedOnly, "open");
        assertEq(token.balanceOf(address(pacts)), BONUS, "bonus escrowed");
        _assertPactState(id, IPacts.PactState.Joining);
    }

    function test_createPact_refusesEachBadParameter() public {
        IPacts.PactParams memory p;
        address[] memory none = new address[](0);

        p = _pactParams();
        p.token = IERC20(address(0));
        _expectParam("token", 0);
        pacts.createPact(p, none);

        p = _pactParams();
        p.minBond = 0;
        _expectParam("minBond", 0);
        pacts.createPact(p, none);

        p = _pactParams();
        p.quorum = 1;
        _expectParam("quorum", 1);
        pacts.createPact(p, none);

        p = _pactParams();
        p.maxMembers = 1; // below quorum 2
        _expectParam("seats", 1);
        pacts.createPact(p, none);

        p = _pactParams();
        p.maxMembers = 33;
        _expectParam("seats", 33);
        pacts.createPact(p, none);

        p = _pactParams();
        p.joinDeadline = uint64(block.timestamp);
        _expectParam("joinDeadline", block.timestamp);
        pacts.createPact(p, none);

        p = _pactParams();
        p.expiry = p.joinDeadline;
        _expectParam("expiry", p.joinDeadline);
        pacts.createPact(p, none);

        p = _pactParams();
        p.keeperShareBps = 10_001;
        _expectParam("keeperShareBps", 10_001);
        pacts.createPact(p, none);

        p = _pactParams();
        p.beneficiary = address(0);
        _expectParam("beneficiary", 0);
        pacts.createPact(p, none);

        p = _pactParams();
        p.grace = MAX_GRACE + 1;
        _expectParam("grace", MAX_GRACE + 1);
        pacts.createPact(p, none);

        p = _pactParams();
        p.resolution.liveness = MIN_LIVENESS - 1;
        _expectParam("liveness", MIN_LIVENESS - 1);
        pacts.createPact(p, none);

        p = _pactParams();
        p.resolution.liveness = MAX_LIVENESS + 1;
        _expectParam("liveness", MAX_LIVENESS + 1);
        pacts.createPact(p, none);

        p = _pactParams();
        p.resolution.challengeBond = 0;
        _expectParam("challengeBond", 0);
        pacts.createPact(p, none);

        p = _pactParams();
        p.resolution.arbiter = IArbiter(address(0));
        _expectParam("arbiter", 0);
        pacts.createPact(p, none);

        assertEq(pacts.pactCount(), 0, "nothing created");
    }

    function test_createPact_invitedList_refusesZeroRepeatArbiterAndBeneficiary() public {
        IPacts.PactParams memory p = _pactParams();
        address[4] memory bad = [address(0), labA, address(arbiter), fund];
        for (uint256 i; i < bad.length; ++i) {
            address[] memory list = new address[](2);
            list[0] = labA;
            list[1] = bad[i];
            vm.expectRevert(abi.encodeWithSelector(IPacts.InviteeInvalid.selector, bad[i]));
            pacts.createPact(p, list);
        }
        address[] memory one = new address[](1);
        one[0] = labA;
        _expectParam("seats", 1); // fewer named members than the quorum
        pacts.createPact(p, one);
        assertEq(pacts.pactCount(), 0, "nothing created");
    }

    // ---------------------------------------------------------------- joining

    function test_join_escrowsTheBondAndCounts() public {
        PactId id = _createPact();
        _approveForPact(labA, BOND_A);
        vm.expectEmit(address(pacts));
        emit IPacts.MemberJoined(id, labA, BOND_A, 1);
        vm.prank(labA);
        pacts.join(id, BOND_A);
        assertEq(token.balanceOf(address(pacts)), BOND_A, "escrowed");
        assertEq(uint256(_status(id, labA)), uint256(IPacts.MemberStatus.Joined), "status");
        IPacts.Pact memory p = pacts.getPact(id);
        assertEq(p.members, 1, "members");
        assertEq(p.totalBond, BOND_A, "total");
        assertEq(pacts.membersOf(id)[0], labA, "list");
    }

    function test_join_refusals() public {
        PactId id = _createPact();
        _approveForPact(labA, MIN_BOND - 1);
        vm.prank(labA);
        vm.expectRevert(abi.encodeWithSelector(IPacts.BondBelowMinimum.selector, id, MIN_BOND - 1, MIN_BOND));
        pacts.join(id, MIN_BOND - 1);

        // No sponsor approval in the registry.
        IMintable_mint(labB, BOND_B);
        vm.startPrank(labB);
        token.approve(address(pacts), BOND_B);
        vm.expectRevert(abi.encodeWithSelector(IPacts.SponsorNotApproved.selector, id, labB));
        pacts.join(id, BOND_B);
        vm.stopPrank();

        // The beneficiary and the arbiter may not join.
        _approveForPact(fund, BOND_A);
        vm.prank(fund);
        vm.expectRevert(abi.encodeWithSelector(IPacts.MemberInvalid.selector, id, fund));
        pacts.join(id, BOND_A);

        // Twice.
        _join(id, labA, BOND_A);
        _approveForPact(labA, BOND_A);
        vm.prank(labA);
        vm.expectRevert(abi.encodeWithSelector(IPacts.AlreadyMember.selector, id, labA));
        pacts.join(id, BOND_A);

        // Unknown pact.
        vm.prank(labC);
        vm.expectRevert(abi.encodeWithSelector(IPacts.PactUnknown.selector, PactId.wrap(7)));
        pacts.join(PactId.wrap(7), BOND_C);

        assertEq(pacts.getPact(id).members, 1, "one member");
        assertEq(token.balanceOf(address(pacts)), BOND_A, "only A's bond");
    }

    function test_join_refusesFeeOnTransferTokens() public {
        FeeOnTransferERC20 fot = new FeeOnTransferERC20(100); // 1% fee
        IPacts.PactParams memory params = _pactParams();
        params.token = fot;
        PactId id = _createPact(params);
        fot.mint(labA, BOND_A);
        vm.startPrank(labA);
        fot.approve(address(pacts), BOND_A);
        registry.approveSponsor(address(pacts), true);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.TokenTransferMismatch.selector, fot, BOND_A, BOND_A - BOND_A / 100));
        pacts.join(id, BOND_A);
        vm.stopPrank();
    }

    function test_invitedPact_onlyNamedMembersJoin_andFullListActivatesBeforeTheDeadline() public {
        address[] memory list = new address[](2);
        list[0] = labA;
        list[1] = labB;
        PactId id = _createPact(_pactParams(), list);
        assertTrue(pacts.isInvited(id, labA), "A named");
        assertEq(pacts.getPact(id).seats, 2, "seats = list");
        _approveForPact(labC, BOND_C);
        vm.prank(labC);
        vm.expectRevert(abi.encodeWithSelector(IPacts.NotInvited.selector, id, labC));
        pacts.join(id, BOND_C);
        _join(id, labA, BOND_A);
        _assertPactState(id, IPacts.PactState.Joining);
        _join(id, labB, BOND_B);
        _assertPactState(id, IPacts.PactState.Activatable);
    }

    function test_lateJoiner_refusedAfterTheDeadline_andWhenSeatsAreTaken() public {
        PactId id = _createPact();
        _join(id, labA, BOND_A);
        _join(id, labB, BOND_B);
        vm.warp(pacts.getPact(id).joinDeadline);
        _approveForPact(labC, BOND_C);
        _expectPactState(id, IPacts.PactState.Activatable, P_JOINING);
        vm.prank(labC);
        pacts.join(id, BOND_C);

        PactId full = _fullPact();
        address late = makeAddr("late");
        _approveForPact(late, BOND_A);
        _expectPactState(full, IPacts.PactState.Activatable, P_JOINING);
        vm.prank(late);
        pacts.join(full, BOND_A);
    }

    // ------------------------------------------------------------- activation

    function test_quorumReached_everyPledgeStartsAtTheSameMoment() public {
        PactId id = _createPact();
        _join(id, labA, BOND_A);
        _join(id, labB, BOND_B);
        vm.warp(block.timestamp + 1 hours);
        _join(id, labC, BOND_C);
        vm.warp(block.timestamp + 5 hours);
        uint256 count = registry.pledgeCount();

        vm.expectEmit(address(pacts));
        emit IPacts.PactActivated(id, uint64(block.timestamp), 3, BOND_A + BOND_B + BOND_C);
        pacts.activate(id);

        _assertPactState(id, IPacts.PactState.Active);
        assertEq(registry.pledgeCount(), count + 3, "three pledges");
        address[3] memory labs = [labA, labB, labC];
        uint128[3] memory bonds = [BOND_A, BOND_B, BOND_C];
        for (uint256 i; i < 3; ++i) {
            PledgeId pid = _pledgeOf(id, labs[i]);
            IPledgeRegistry.Pledge memory pl = registry.getPledge(pid);
            assertEq(pl.pledger, labs[i], "member is the pledger");
            assertEq(pl.bond, bonds[i], "bond");
            assertEq(pl.beneficiary, address(pacts), "pact is the beneficiary");
            assertEq(pl.expiry, pacts.getPact(id).expiry, "shared expiry");
            assertEq(pl.termsHash, TERMS_HASH, "shared terms");
            assertEq(uint256(registry.state(pid)), uint256(IPledgeRegistry.PledgeState.Active), "active");
            assertEq(uint256(_status(id, labs[i])), uint256(IPacts.MemberStatus.Pledged), "pledged");
        }
        assertEq(token.balanceOf(address(pacts)), 0, "every bond moved to the registry");
        assertEq(token.balanceOf(address(registry)), BOND_A + BOND_B + BOND_C, "registry holds the bonds");
        assertEq(token.allowance(address(pacts), address(registry)), 0, "no allowance left");
    }

    function test_activate_refusedWhileJoiningAndTwice() public {
        PactId id = _createPact();
        _join(id, labA, BOND_A);
        _join(id, labB, BOND_B);
        _expectPactState(id, IPacts.PactState.Joining, P_ACTIVATABLE);
        pacts.activate(id);
        vm.warp(pacts.getPact(id).joinDeadline);
        pacts.activate(id);
        _expectPactState(id, IPacts.PactState.Active, P_ACTIVATABLE);
        pacts.activate(id);
    }

    function test_revokedSponsor_expelledByAnyone_whoseBondGoesToTheBeneficiary() public {
        PactId id = _fullPact();
        vm.expectRevert(abi.encodeWithSelector(IPacts.MemberStillApproves.selector, id, labA));
        pacts.expel(id, labA);
        vm.expectRevert(
            abi.encodeWithSelector(IPacts.MemberStatusInvalid.selector, id, stranger, IPacts.MemberStatus.None)
        );
        pacts.expel(id, stranger);
        vm.prank(labC);
        registry.approveSponsor(address(pacts), false);
        vm.expectEmit(address(pacts));
        emit IPacts.MemberExpelled(id, labC, stranger, BOND_C);
        vm.prank(stranger);
        pacts.expel(id, labC);
        assertEq(pacts.claimable(fund, token), BOND_C, "forfeited to the beneficiary");
        assertEq(pacts.getPact(id).members, 2, "two left");
        assertEq(pacts.getPact(id).totalBond, BOND_A + BOND_B, "their bonds");
        assertEq(pacts.membersOf(id).length, 2, "list shrank");
        // Two remain (the quorum), a seat is free again: joining until the deadline, then activation.
        _assertPactState(id, IPacts.PactState.Joining);
        vm.warp(pacts.getPact(id).joinDeadline);
        pacts.activate(id);
        _assertPactState(id, IPacts.PactState.Active);
        assertEq(uint256(_status(id, labC)), uint256(IPacts.MemberStatus.Expelled), "C expelled");
        assertEq(registry.pledgeCount(), 2, "pledges for A and B only");
    }

    function test_activate_expelsMembersThatRevoked_thenBindsTheRest() public {
        PactId id = _fullPact();
        vm.warp(pacts.getPact(id).joinDeadline);
        vm.prank(labB);
        registry.approveSponsor(address(pacts), false);
        vm.expectEmit(address(pacts));
        emit IPacts.MemberExpelled(id, labB, stranger, BOND_B);
        vm.prank(stranger);
        pacts.activate(id);
        _assertPactState(id, IPacts.PactState.Active);
        assertEq(uint256(_status(id, labB)), uint256(IPacts.MemberStatus.Expelled), "B expelled");
        assertEq(uint256(_status(id, labA)), uint256(IPacts.MemberStatus.Pledged), "A bound");
        assertEq(uint256(_status(id, labC)), uint256(IPacts.MemberStatus.Pledged), "C bound");
        assertEq(pacts.claimable(fund, token), BOND_B, "B's bond to the beneficiary");
        assertEq(token.balanceOf(address(registry)), BOND_A + BOND_C, "A's and C's bonds in the registry");
        assertEq(token.balanceOf(address(pacts)), BOND_B, "B's bond, owed to the fund");
    }

    function test_activate_expulsionsBelowQuorum_doNotBind_andTheRestAreRefunded() public {
        PactId id = _fullPact();
        vm.warp(pacts.getPact(id).joinDeadline);
        vm.prank(labB);
        registry.approveSponsor(address(pacts), false);
        vm.prank(labC);
        registry.approveSponsor(address(pacts), false);
        uint256 count = registry.pledgeCount();
        pacts.activate(id); // expels B and C; one member left, below the quorum of 2: not bound
        _assertPactState(id, IPacts.PactState.Failed);
        assertEq(pacts.getPact(id).activatedAt, 0, "not activated");
        assertEq(registry.pledgeCount(), count, "no pledge created");
        assertEq(pacts.claimable(fund, token), BOND_B + BOND_C, "the stallers' bonds to the fund");
        vm.prank(labA);
        assertEq(pacts.withdraw(id), BOND_A, "A's bond back");
    }

    function test_activate_expulsionBeforeTheDeadline_freesASeat_andWaits() public {
        PactId id = _fullPact(); // every seat taken: activatable before the deadline
        vm.prank(labA);
        registry.approveSponsor(address(pacts), false);
        pacts.activate(id);
        _assertPactState(id, IPacts.PactState.Joining);
        assertEq(uint256(_status(id, labA)), uint256(IPacts.MemberStatus.Expelled), "A expelled");
        // The seat is open again: a new member joins and fills it, and the pact binds.
        address d = makeAddr("labD");
        _join(id, d, BOND_A);
        pacts.activate(id);
        _assertPactState(id, IPacts.PactState.Active);
    }

    // ----------------------------------------------------------------- failure

    function test_quorumMissed_withoutBonus_everyBondBackInFull() public {
        PactId id = _createPact();
        _join(id, labA, BOND_A);
        vm.warp(pacts.getPact(id).joinDeadline);
        _assertPactState(id, IPacts.PactState.Failed);
        vm.prank(labA);
        assertEq(pacts.withdraw(id), BOND_A, "whole bond");
        assertEq(token.balanceOf(labA), BOND_A, "A paid");
        assertEq(token.balanceOf(address(pacts)), 0, "nothing left");
        vm.prank(founder);
        vm.expectRevert(abi.encodeWithSelector(IPacts.NothingToReclaim.selector, id));
        pacts.reclaimBonus(id);
    }

    function test_quorumMissed_withBonus_equalSharesAndTheFounderTakesTheDust() public {
        IPacts.PactParams memory params = _pactParams();
        params.quorum = 3;
        params.maxMembers = 4;
        params.bonus = BONUS; // 100,000 among 2 members: 50,000 each, no dust
        PactId id = _createPact(params);
        _join(id, labA, BOND_A);
        _join(id, labB, BOND_B);
        vm.warp(pacts.getPact(id).joinDeadline);
        vm.expectEmit(address(pacts));
        emit IPacts.MemberRefunded(id, labA, BOND_A, 50_000);
        vm.prank(labA);
        assertEq(pacts.withdraw(id), BOND_A + 50_000, "bond + half the bonus");
        vm.prank(labB);
        assertEq(pacts.withdraw(id), BOND_B + 50_000, "bond + half the bonus");
        vm.prank(founder);
        vm.expectRevert(abi.encodeWithSelector(IPacts.NothingToReclaim.selector, id));
        pacts.reclaimBonus(id);
        assertEq(token.balanceOf(address(pacts)), 0, "all paid");

        // Three members and a bonus of 100,000: 33,333 each, the founder takes 1.
        params.joinDeadline = uint64(block.timestamp + JOIN_WINDOW);
        params.expiry = params.joinDeadline + TERM;
        params.quorum = 4;
        PactId id2 = _createPact(params);
        _join(id2, labA, BOND_A);
        _join(id2, labB, BOND_B);
        _join(id2, labC, BOND_C);
        vm.warp(params.joinDeadline);
        vm.prank(founder);
        assertEq(pacts.reclaimBonus(id2), 1, "dust to the founder");
        vm.prank(labC);
        assertEq(pacts.withdraw(id2), BOND_C + 33_333, "a third");
        vm.prank(labC);
        vm.expectRevert(
            abi.encodeWithSelector(IPacts.MemberStatusInvalid.selector, id2, labC, IPacts.MemberStatus.Refunded)
        );
        pacts.withdraw(id2);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IPacts.MemberStatusInvalid.selector, id2, stranger, IPacts.MemberStatus.None)
        );
        pacts.withdraw(id2);
    }

    function test_activatableButNeverActivated_failsAtExpiry() public {
        PactId id = _fullPact();
        vm.warp(pacts.getPact(id).expiry - 1);
        _assertPactState(id, IPacts.PactState.Activatable);
        vm.warp(pacts.getPact(id).expiry);
        _assertPactState(id, IPacts.PactState.Failed);
        _expectPactState(id, IPacts.PactState.Failed, P_ACTIVATABLE);
        pacts.activate(id);
        vm.prank(labB);
        assertEq(pacts.withdraw(id), BOND_B, "refund");
    }

    function test_bonusReturnsToTheFounderOnceThePactBinds() public {
        IPacts.PactParams memory params = _pactParams();
        params.bonus = BONUS;
        PactId id = _fullPact(params);
        vm.prank(founder);
        _expectPactState(id, IPacts.PactState.Activatable, P_ACTIVE | P_FAILED);
        pacts.reclaimBonus(id);
        pacts.activate(id);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IPacts.CallerNotFounder.selector, id, stranger, founder));
        pacts.reclaimBonus(id);
        vm.prank(founder);
        assertEq(pacts.reclaimBonus(id), BONUS, "all of it");
        vm.prank(founder);
        vm.expectRevert(abi.encodeWithSelector(IPacts.NothingToReclaim.selector, id));
        pacts.reclaimBonus(id);
        vm.prank(labA);
        _expectPactState(id, IPacts.PactState.Active, P_FAILED);
        pacts.withdraw(id);
    }

    function test_memberCannotLeaveEarly() public {
        PactId id = _createPact();
        _join(id, labA, BOND_A);
        vm.prank(labA);
        _expectPactState(id, IPacts.PactState.Joining, P_FAILED);
        pacts.withdraw(id);
        _join(id, labB, BOND_B);
        _join(id, labC, BOND_C);
        vm.prank(labA);
        _expectPactState(id, IPacts.PactState.Activatable, P_FAILED);
        pacts.withdraw(id);
        pacts.activate(id);
        vm.prank(labA);
        _expectPactState(id, IPacts.PactState.Active, P_FAILED);
        pacts.withdraw(id);
        // Its pledge has no governor: nobody can release it; the way out is a breach.
        PledgeId pid = _pledgeOf(id, labA);
        assertEq(registry.governorOf(pid), address(0), "no governor");
        vm.prank(labA);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.CallerNotGovernor.selector, pid, labA, address(0)));
        registry.release(pid);
    }

    // ---------------------------------------------------------------- breaches

    function test_oneBreach_keepersShareBySizeAfterTheirOwnPledgesAreHonored() public {
        PactId id = _activePact();
        _breach(id, labC);
        uint256 rewardBefore = registry.claimable(challenger, token);

        vm.expectEmit(address(pacts));
        emit IPacts.BreachRecorded(id, labC, BOND_C, C_TO_KEEPERS, 0, C_TO_FUND, C_TO_KEEPERS * 1e27 / (BOND_A + BOND_B));
        assertTrue(pacts.recordOutcome(id, labC), "breached");
        assertEq(registry.claimable(challenger, token) - rewardBefore, 300_001 + CHALLENGE_BOND, "challenger's reward");
        assertEq(pacts.claimable(fund, token), C_TO_FUND, "fund");
        assertEq(token.balanceOf(address(pacts)), C_REST, "the pact took its part from the registry");
        assertEq(pacts.sharesOf(id, labA), A_SHARE_OF_C, "A accrued");
        assertEq(pacts.sharesOf(id, labB), B_SHARE_OF_C, "B accrued");
        assertEq(pacts.sharesOf(id, labC), 0, "C nothing");

        // Shares vest only once the keeper's own pledge is honored.
        vm.prank(labA);
        vm.expectRevert(abi.encodeWithSelector(IPacts.MemberStatusInvalid.selector, id, labA, IPacts.MemberStatus.Pledged));
        pacts.claimShares(id, labA);
        vm.expectRevert(
            abi.encodeWithSelector(IPacts.OutcomeNotFinal.selector, id, labA, IPledgeRegistry.PledgeState.Active)
        );
        pacts.recordOutcome(id, labA);

        _toEnd(id);
        assertFalse(pacts.recordOutcome(id, labA), "A honored");
        assertEq(registry.claimable(labA, token), BOND_A, "A's bond back through the registry");
        vm.prank(labA);
        assertEq(pacts.claimShares(id, labA), A_SHARE_OF_C, "A's share");
        vm.prank(labA);
        vm.expectRevert(abi.encodeWithSelector(IPacts.NoShares.selector, id, labA));
        pacts.claimShares(id, labA);

        vm.expectEmit(address(pacts));
        emit IPacts.PactSettled(id, 1);
        pacts.recordOutcome(id, labB);
        assertEq(pacts.claimable(fund, token), C_TO_FUND + 1, "dust to the fund");
        vm.prank(labB);
        assertEq(pacts.claimShares(id, labB), B_SHARE_OF_C, "B's share");
        vm.prank(fund);
        assertEq(pacts.claim(token, fund), C_TO_FUND + 1, "fund claims");
        assertEq(token.balanceOf(address(pacts)), 0, "the pact is empty");
        // Every unit of C's bond: challenger 300,001, A, B, the fund (with the dust).
        assertEq(300_001 + A_SHARE_OF_C + B_SHARE_OF_C + C_TO_FUND + 1, BOND_C, "C's bond, to the wei");
    }

    function test_twoBreaches_theSecondForfeitsItsShareOfTheFirst_eitherOrder() public {
        uint256 snap = vm.snapshotState();
        PactId id = _activePact();
        _breach(id, labC);
        _breach(id, labB);
        pacts.recordOutcome(id, labC);
        assertEq(pacts.sharesOf(id, labB), B_SHARE_OF_C, "B accrued from C");
        vm.expectEmit(address(pacts));
        emit IPacts.BreachRecorded(
            id, labB, BOND_B, B_TO_KEEPERS, B_SHARE_OF_C, B_TO_FUND, 3_600_008_999_971_933_422_510_820_348
        );
        pacts.recordOutcome(id, labB);
        assertEq(pacts.sharesOf(id, labA), A_AFTER_BOTH, "A takes both (C then B)");
        _toEnd(id);
        pacts.recordOutcome(id, labA);
        vm.prank(labA);
        assertEq(pacts.claimShares(id, labA), A_AFTER_BOTH, "paid");
        assertEq(pacts.claimable(fund, token), C_TO_FUND + B_TO_FUND + 1, "fund + 1 dust");

        vm.revertToState(snap);
        id = _activePact();
        _breach(id, labB);
        _breach(id, labC);
        pacts.recordOutcome(id, labB);
        pacts.recordOutcome(id, labC);
        assertEq(pacts.sharesOf(id, labA), A_AFTER_BOTH, "A takes both (B then C)");
    }

    function test_everyMemberBreaches_everythingGoesToTheBeneficiary() public {
        PactId id = _activePact();
        _breach(id, labA);
        _breach(id, labB);
        _breach(id, labC);
        pacts.recordOutcome(id, labA);
        pacts.recordOutcome(id, labB);
        pacts.recordOutcome(id, labC);
        uint256 rewards = (uint256(BOND_A) * 1_000 / BPS) + (uint256(BOND_B) * 1_000 / BPS) + (uint256(BOND_C) * 1_000 / BPS);
        assertEq(pacts.claimable(fund, token), uint256(BOND_A) + BOND_B + BOND_C - rewards, "all to the fund");
        IPacts.KeeperAccounts memory k = pacts.keeperAccounts(id);
        assertEq(k.funds, 0, "no keeper funds left");
        assertEq(token.balanceOf(address(pacts)), pacts.claimable(fund, token), "balance = the fund's claim");
    }

    function test_recordOutcome_finalizesDuePledges_andRefusesTwiceOrUnknownMembers() public {
        PactId id = _activePact();
        _breach(id, labA); // Slashable, not finalized
        assertEq(uint256(registry.state(_pledgeOf(id, labA))), uint256(IPledgeRegistry.PledgeState.Slashable));
        pacts.recordOutcome(id, labA);
        assertEq(uint256(registry.state(_pledgeOf(id, labA))), uint256(IPledgeRegistry.PledgeState.Breached));
        vm.expectRevert(
            abi.encodeWithSelector(IPacts.MemberStatusInvalid.selector, id, labA, IPacts.MemberStatus.Breached)
        );
        pacts.recordOutcome(id, labA);
        vm.expectRevert(
            abi.encodeWithSelector(IPacts.MemberStatusInvalid.selector, id, stranger, IPacts.MemberStatus.None)
        );
        pacts.recordOutcome(id, stranger);
        // A pledge under challenge is not final.
        _challenge(_pledgeOf(id, labB));
        vm.expectRevert(
            abi.encodeWithSelector(IPacts.OutcomeNotFinal.selector, id, labB, IPledgeRegistry.PledgeState.Challenged)
        );
        pacts.recordOutcome(id, labB);
    }

    function test_breachFinalizedByAnyoneElseFirst_isRecordedAllTheSame() public {
        PactId id = _activePact();
        _breach(id, labC);
        registry.finalize(_pledgeOf(id, labC));
        assertEq(registry.claimable(address(pacts), token), C_REST, "credited to the pact in the registry");
        pacts.recordOutcome(id, labC);
        assertEq(registry.claimable(address(pacts), token), 0, "taken");
        assertEq(pacts.sharesOf(id, labA), A_SHARE_OF_C, "A accrued");
    }

    function test_topUpByTheBreacherIsSlashedToo_butWeightsStayTheJoinedBonds() public {
        PactId id = _activePact();
        PledgeId pid = _pledgeOf(id, labC);
        _fund(labC, 1_000_000);
        vm.prank(labC);
        registry.topUp(pid, 1_000_000);
        _breach(id, labC);
        pacts.recordOutcome(id, labC);
        // slashed 4,000,017: reward 400,001, rest 3,600,016, keepers 2,880,012, fund 720,004.
        assertEq(pacts.claimable(fund, token), 720_004, "fund");
        assertEq(pacts.keeperAccounts(id).funds, 2_880_012, "keepers");
        assertEq(pacts.sharesOf(id, labA), uint256(BOND_A) * (2_880_012 * 1e27 / (BOND_A + BOND_B)) / 1e27, "by joined bond");
    }

    // --------------------------------------------------------- defection cost

    function test_defectionCost_readsTheBondTheSplitAndTheForfeit() public {
        PactId id = _activePact();
        IPacts.DefectionCost memory c = pacts.defectionCost(id, labB);
        assertEq(c.bondAtRisk, BOND_B, "bond");
        assertEq(c.toChallenger, 200_001, "reward");
        assertEq(c.toKeepers, B_TO_KEEPERS, "keepers");
        assertEq(c.toBeneficiary, B_TO_FUND, "fund");
        assertEq(c.sharesForfeited, 0, "nothing accrued yet");
        assertEq(c.othersCompliantBond, BOND_A + BOND_C, "others");

        _breach(id, labC);
        pacts.recordOutcome(id, labC);
        c = pacts.defectionCost(id, labB);
        assertEq(c.sharesForfeited, B_SHARE_OF_C, "B would forfeit its share of C's slash");
        assertEq(c.othersCompliantBond, BOND_A, "only A");

        c = pacts.defectionCost(id, labC);
        assertEq(c.bondAtRisk, 0, "a breached member has nothing left at risk");
        c = pacts.defectionCost(id, stranger);
        assertEq(c.bondAtRisk, 0, "a stranger neither");
    }

    function test_defectionCost_lastKeeper_allToTheBeneficiary() public {
        PactId id = _activePact();
        _breach(id, labB);
        _breach(id, labC);
        pacts.recordOutcome(id, labB);
        pacts.recordOutcome(id, labC);
        IPacts.DefectionCost memory c = pacts.defectionCost(id, labA);
        assertEq(c.toKeepers, 0, "nobody left to compensate");
        assertEq(c.toBeneficiary, BOND_A - BOND_A * 1_000 / BPS, "the fund takes the rest");
        assertEq(c.sharesForfeited, A_AFTER_BOTH, "and A would forfeit what it earned");
    }

    // ------------------------------------------------------------------ claims

    function test_claim_refusesBadRecipientsAndEmptyBalances() public {
        vm.expectRevert(abi.encodeWithSelector(IPacts.RecipientInvalid.selector, address(0)));
        pacts.claim(token, address(0));
        vm.expectRevert(abi.encodeWithSelector(IPacts.RecipientInvalid.selector, address(pacts)));
        pacts.claim(token, address(pacts));
        vm.expectRevert(abi.encodeWithSelector(IPacts.NothingToClaim.selector, address(this), token));
        pacts.claim(token, address(this));
        vm.expectRevert(abi.encodeWithSelector(IPacts.RecipientInvalid.selector, address(0)));
        pacts.claimShares(PactId.wrap(1), address(0));
    }

    // -------------------------------------------------- registry: sponsorship

    function test_registry_createPledgeFor_needsConsent_andNamesThePledger() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        _fund(stranger, params.bond);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.SponsorNotApproved.selector, pledger, stranger));
        registry.createPledgeFor(pledger, params);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.PledgerInvalid.selector, address(0)));
        registry.createPledgeFor(address(0), params);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.PledgerInvalid.selector, stranger));
        registry.createPledgeFor(stranger, params);

        vm.expectEmit(address(registry));
        emit IPledgeRegistry.SponsorApproval(pledger, stranger, true);
        vm.prank(pledger);
        registry.approveSponsor(stranger, true);
        assertTrue(registry.isApprovedSponsor(pledger, stranger), "approved");

        // The pledger's own checks apply to it: not its own beneficiary.
        params.beneficiary = pledger;
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.BeneficiaryIsPledger.selector, pledger));
        registry.createPledgeFor(pledger, params);
        params.beneficiary = beneficiary;

        uint256 sponsorBefore = token.balanceOf(stranger);
        vm.prank(stranger);
        PledgeId pid = registry.createPledgeFor(pledger, params);
        assertEq(registry.getPledge(pid).pledger, pledger, "pledger");
        assertEq(sponsorBefore - token.balanceOf(stranger), params.bond, "the sponsor paid");
        // The pledger may not challenge it; its bond returns to the pledger.
        _fund(pledger, CHALLENGE_BOND);
        vm.prank(pledger);
        vm.expectRevert();
        registry.challenge(pid, EVIDENCE_URI, CHALLENGE_BOND);
        vm.warp(_end(pid));
        registry.finalize(pid);
        assertEq(registry.claimable(pledger, token), params.bond, "bond to the pledger");

        vm.prank(pledger);
        registry.approveSponsor(stranger, false);
        assertFalse(registry.isApprovedSponsor(pledger, stranger), "revoked");
    }

    // ----------------------------------------------------------------- helpers

    function _expectParam(string memory field, uint256 value) internal {
        vm.expectRevert(abi.encodeWithSelector(IPacts.PactParamInvalid.selector, field, value));
    }

    function IMintable_mint(address to, uint256 amount) internal {
        token.mint(to, amount);
    }
}
