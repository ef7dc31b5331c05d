// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IOptimisticResolution} from "../../../contracts/interfaces/IOptimisticResolution.sol";
import {IPacts} from "../../../contracts/interfaces/IPacts.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {ChallengeId, PactId, PledgeId} from "../../../contracts/types/Ids.sol";
import {ReentrantERC20} from "../../mocks/ReentrantERC20.sol";
import {PactFixture} from "../utils/PactFixture.sol";

/// @notice Attacks on Pacts, one per test, each checking that the attacker gains nothing: reentrancy through a
/// hooked token at every payment, stalling activation to farm the refund bonus, a breacher reaching for shares of
/// its own slash, sybils, dust bonds next to huge ones, a top-up before a breach, front-running a record, and
/// records at the exact second of each registry boundary. Amounts use the fixture's odd bonds (A 1,000,003,
/// B 2,000,011, C 3,000,017; 10 % challenger reward, 80 % to keepers).
contract PactsAttacksTest is PactFixture {
    ReentrantERC20 internal hook;
    address internal sybil;

    function setUp() public override {
        super.setUp();
        hook = new ReentrantERC20();
        vm.label(address(hook), "hook token");
        sybil = makeAddr("sybil");
    }

    // ============================================================== reentrancy

    function test_attack_reentrantToken_join_reentersJoin_refused() public {
        PactId id = _hookPact(0);
        _hookApprove(labA, 2 * uint256(BOND_A));
        hook.arm(address(pacts), abi.encodeCall(pacts.join, (id, BOND_A)));
        vm.prank(labA);
        pacts.join(id, BOND_A);
        _assertRefusedByGuard();
        assertEq(pacts.getPact(id).members, 1, "joined once");
        assertEq(hook.balanceOf(address(pacts)), BOND_A, "one bond escrowed");
    }

    function test_attack_reentrantToken_withdraw_reentersWithdraw_refused() public {
        PactId id = _hookPact(BONUS);
        _hookJoin(id, labA, BOND_A);
        vm.warp(pacts.getPact(id).joinDeadline); // below quorum: Failed
        hook.arm(address(pacts), abi.encodeCall(pacts.withdraw, (id)));
        vm.prank(labA);
        assertEq(pacts.withdraw(id), BOND_A + BONUS, "bond + the whole bonus (one member)");
        _assertRefusedByGuard();
        assertEq(hook.balanceOf(labA), BOND_A + BONUS, "paid once");
        assertEq(hook.balanceOf(address(pacts)), 0, "nothing left, nothing extra taken");
    }

    function test_attack_reentrantToken_claimShares_reentersClaimShares_refused() public {
        PactId id = _hookActivePact();
        _breach(id, labC);
        pacts.recordOutcome(id, labC);
        _toEnd(id);
        pacts.recordOutcome(id, labA);
        uint256 owed = pacts.sharesOf(id, labA);
        hook.arm(address(pacts), abi.encodeCall(pacts.claimShares, (id, labA)));
        vm.prank(labA);
        assertEq(pacts.claimShares(id, labA), owed, "owed shares");
        _assertRefusedByGuard();
        assertEq(hook.balanceOf(labA), owed, "paid once");
        assertEq(pacts.sharesOf(id, labA), 0, "nothing left to claim");
        assertEq(pacts.keeperAccounts(id).paid, owed, "booked once");
    }

    function test_attack_reentrantToken_claim_reentersClaim_refused() public {
        PactId id = _hookActivePact();
        _breach(id, labC);
        pacts.recordOutcome(id, labC);
        uint256 owed = pacts.claimable(fund, hook);
        hook.arm(address(pacts), abi.encodeCall(pacts.claim, (IERC20(address(hook)), fund)));
        vm.prank(fund);
        assertEq(pacts.claim(hook, fund), owed, "claimed");
        _assertRefusedByGuard();
        assertEq(hook.balanceOf(fund), owed, "paid once");
    }

    /// @dev The record's only transfer is the registry paying Pacts its slashes: the hook fires inside both guards.
    function test_attack_reentrantToken_recordOutcome_reentersRecordAndRegistry_refused() public {
        PactId id = _hookActivePact();
        _breach(id, labB);
        _breach(id, labC);
        hook.arm(address(pacts), abi.encodeCall(pacts.recordOutcome, (id, labB)));
        pacts.recordOutcome(id, labC);
        _assertRefusedByGuard();
        assertEq(uint256(_status(id, labB)), uint256(IPacts.MemberStatus.Pledged), "B not recorded by the hook");

        // The same through the registry: its claim holds the registry's guard while paying Pacts.
        PledgeId pidB = _pledgeOf(id, labB);
        registry.finalize(pidB); // B's slash is now credited to Pacts in the registry
        _breach(id, labA);
        hook.arm(address(registry), abi.encodeCall(registry.finalize, (_pledgeOf(id, labA))));
        pacts.recordOutcome(id, labB);
        _assertRefusedByGuard();
        assertEq(uint256(registry.state(_pledgeOf(id, labA))), uint256(IPledgeRegistry.PledgeState.Slashable), "A untouched");
        // Pacts holds exactly the keepers' liability and the beneficiary's claim.
        IPacts.KeeperAccounts memory k = pacts.keeperAccounts(id);
        assertEq(hook.balanceOf(address(pacts)), k.funds - k.paid + pacts.claimable(fund, hook), "books = balance");
    }

    // ============================================================= stalling

    /// @notice A member withdraws its sponsor approval to block activation, hoping the pact fails and pays it its
    /// bond and a share of the bonus: activation expels it, its bond goes to the beneficiary, and the pact binds anyway.
    function test_attack_stallActivationForTheBonus_costsTheStallerItsBond() public {
        IPacts.PactParams memory params = _pactParams();
        params.bonus = BONUS;
        PactId id = _fullPact(params);
        vm.prank(labC);
        registry.approveSponsor(address(pacts), false);
        // Activation does not revert: it expels the staller (its seat frees, so before the deadline it waits).
        pacts.activate(id);
        assertEq(uint256(_status(id, labC)), uint256(IPacts.MemberStatus.Expelled), "expelled by activate");
        _assertPactState(id, IPacts.PactState.Joining);
        vm.warp(pacts.getPact(id).joinDeadline);
        pacts.activate(id);
        _assertPactState(id, IPacts.PactState.Active);
        assertEq(pacts.claimable(fund, token), BOND_C, "the staller's bond went to the beneficiary");
        vm.prank(labC);
        _expectPactState(id, IPacts.PactState.Active, P_FAILED);
        pacts.withdraw(id);
        assertEq(token.balanceOf(labC), 0, "the staller got nothing back");
        vm.prank(founder);
        assertEq(pacts.reclaimBonus(id), BONUS, "the bonus returns to the founder");
    }

    /// @notice Stalling below the quorum: the pact fails, but the staller is out: the others share the whole bonus.
    function test_attack_stallBelowQuorum_othersShareTheBonus_stallerLosesItsBond() public {
        IPacts.PactParams memory params = _pactParams();
        params.bonus = BONUS;
        params.quorum = 3;
        PactId id = _fullPact(params);
        vm.prank(labC);
        registry.approveSponsor(address(pacts), false);
        pacts.expel(id, labC);
        vm.warp(pacts.getPact(id).joinDeadline);
        _assertPactState(id, IPacts.PactState.Failed);
        vm.prank(labA);
        assertEq(pacts.withdraw(id), BOND_A + BONUS / 2, "A: bond + half the bonus");
        vm.prank(labB);
        assertEq(pacts.withdraw(id), BOND_B + BONUS / 2, "B: bond + half the bonus");
        vm.prank(labC);
        vm.expectRevert(
            abi.encodeWithSelector(IPacts.MemberStatusInvalid.selector, id, labC, IPacts.MemberStatus.Expelled)
        );
        pacts.withdraw(id);
        assertEq(token.balanceOf(labC), 0, "the staller got neither bond nor bonus");
    }

    /// @notice A staller that approves again before it is expelled is simply bound: expel is refused and the pact
    /// activates with it.
    function test_attack_stallerReapproves_isBoundByThePact() public {
        PactId id = _fullPact();
        vm.prank(labC);
        registry.approveSponsor(address(pacts), false);
        vm.prank(labC);
        registry.approveSponsor(address(pacts), true);
        vm.expectRevert(abi.encodeWithSelector(IPacts.MemberStillApproves.selector, id, labC));
        pacts.expel(id, labC);
        pacts.activate(id);
        assertEq(uint256(_status(id, labC)), uint256(IPacts.MemberStatus.Pledged), "bound");
    }

    /// @notice A staller that toggles its approval, approved whenever someone calls `expel` and revoked whenever someone
    /// calls `activate` (front-running each), gains nothing: `activate` itself expels a member that revoked, so the
    /// staller is bound if it approves at that moment and expelled (losing its bond) if it does not.
    function test_attack_stallerTogglesApproval_activateBindsOrExpelsIt() public {
        uint256 snap = vm.snapshotState();
        for (uint256 revoked; revoked < 2; ++revoked) {
            IPacts.PactParams memory params = _pactParams();
            params.bonus = BONUS;
            PactId id = _fullPact(params);
            vm.prank(labC);
            registry.approveSponsor(address(pacts), true);
            vm.expectRevert(abi.encodeWithSelector(IPacts.MemberStillApproves.selector, id, labC));
            pacts.expel(id, labC);
            vm.warp(pacts.getPact(id).joinDeadline);
            vm.prank(labC);
            registry.approveSponsor(address(pacts), revoked == 0);
            pacts.activate(id);
            _assertPactState(id, IPacts.PactState.Active);
            if (revoked == 1) {
                assertEq(uint256(_status(id, labC)), uint256(IPacts.MemberStatus.Expelled), "expelled");
                assertEq(pacts.claimable(fund, token), BOND_C, "its bond to the beneficiary");
            } else {
                assertEq(uint256(_status(id, labC)), uint256(IPacts.MemberStatus.Pledged), "bound");
            }
            assertEq(token.balanceOf(labC), 0, "no refund, no bonus");
            vm.revertToState(snap);
        }
    }

    // ====================================================== breacher's shares

    /// @notice The pledger cannot challenge its own pledge; a sybil can, and collects the reward, but the pair
    /// still loses the rest of the bond, and none of the slash comes back as keeper shares.
    function test_attack_breacherCollectsNothingOfItsOwnSlash() public {
        PactId id = _activePact();
        PledgeId pidC = _pledgeOf(id, labC);
        _fund(labC, CHALLENGE_BOND);
        vm.prank(labC);
        vm.expectRevert(abi.encodeWithSelector(IOptimisticResolution.ChallengerIsPledger.selector, pidC, labC));
        registry.challenge(pidC, EVIDENCE_URI, CHALLENGE_BOND);

        // A breaches first, so C has accrued shares before its own breach.
        _breach(id, labA);
        pacts.recordOutcome(id, labA);
        uint256 accrued = pacts.sharesOf(id, labC);
        assertGt(accrued, 0, "C accrued from A's slash");

        _challengeAs(sybil, pidC);
        vm.warp(block.timestamp + LIVENESS);
        vm.prank(labC);
        vm.expectRevert(abi.encodeWithSelector(IPacts.MemberStatusInvalid.selector, id, labC, IPacts.MemberStatus.Pledged));
        pacts.claimShares(id, labC); // before the record: shares vest only when honored
        pacts.recordOutcome(id, labC);
        assertEq(pacts.sharesOf(id, labC), 0, "C's accrual is forfeited");
        vm.prank(labC);
        vm.expectRevert(abi.encodeWithSelector(IPacts.MemberStatusInvalid.selector, id, labC, IPacts.MemberStatus.Breached));
        pacts.claimShares(id, labC);

        _toEnd(id);
        pacts.recordOutcome(id, labB);
        vm.prank(sybil);
        uint256 sybilGot = registry.claim(token, sybil);
        uint256 reward = uint256(BOND_C) * REWARD_BPS / BPS;
        assertEq(sybilGot, reward + CHALLENGE_BOND, "the sybil's reward and its bond back");
        // C and its sybil together put in C's bond and two challenge bonds (C kept its refused one); they hold
        // C's unspent challenge bond and the sybil's reward and bond: net, they lost C's bond less the reward.
        int256 net = int256(token.balanceOf(labC) + sybilGot) - int256(uint256(BOND_C) + 2 * uint256(CHALLENGE_BOND));
        assertEq(net, int256(reward) - int256(uint256(BOND_C)), "the pair lost the bond less the reward");
        assertEq(registry.claimable(labC, token) + pacts.claimable(labC, token), 0, "nothing else owed to C");
        // B, the only keeper left, takes A's and C's keeper parts and C's forfeited accrual (less rounding).
        uint256 restA = BOND_A - uint256(BOND_A) * REWARD_BPS / BPS;
        uint256 restC = BOND_C - reward;
        uint256 keepers = restA * KEEPER_BPS / BPS + restC * KEEPER_BPS / BPS;
        assertApproxEqAbs(pacts.sharesOf(id, labB), keepers, 2, "B takes every keeper part");
        assertLe(pacts.sharesOf(id, labB), keepers, "never more");
    }

    /// @notice Recording the breacher before or after the earlier breach changes nothing for it: zero either way.
    function test_attack_breacherRecordOrderTricks_gainNothing() public {
        uint256 snap = vm.snapshotState();
        PactId id = _activePact();
        _breach(id, labA);
        _breach(id, labC);
        pacts.recordOutcome(id, labC); // C recorded before A: it never accrues A's slash
        pacts.recordOutcome(id, labA);
        _toEnd(id);
        pacts.recordOutcome(id, labB);
        uint256 bFirst = pacts.sharesOf(id, labB);
        assertEq(pacts.sharesOf(id, labC), 0, "C: nothing");

        vm.revertToState(snap);
        id = _activePact();
        _breach(id, labA);
        _breach(id, labC);
        pacts.recordOutcome(id, labA); // C accrues from A, then forfeits it
        pacts.recordOutcome(id, labC);
        _toEnd(id);
        pacts.recordOutcome(id, labB);
        assertEq(pacts.sharesOf(id, labC), 0, "C: nothing");
        assertApproxEqAbs(pacts.sharesOf(id, labB), bFirst, 2, "B's total does not depend on the order");
    }

    // ================================================================ sybils

    /// @notice Splitting a bond across sybils with the minimum bond earns no more keeper shares than one member with
    /// the same total bond (floors only ever cost the sybils).
    function test_attack_sybilsWithMinimumBonds_earnNoMoreThanOneMember() public {
        address[3] memory s = [makeAddr("sybil1"), makeAddr("sybil2"), makeAddr("sybil3")];
        uint256 snap = vm.snapshotState();
        IPacts.PactParams memory params = _pactParams();
        params.maxMembers = 5;
        PactId id = _createPact(params);
        _join(id, labA, BOND_A);
        _join(id, labC, BOND_C);
        for (uint256 i; i < 3; ++i) {
            _join(id, s[i], MIN_BOND);
        }
        pacts.activate(id);
        _breach(id, labC);
        pacts.recordOutcome(id, labC);
        uint256 sybils;
        for (uint256 i; i < 3; ++i) {
            sybils += pacts.sharesOf(id, s[i]);
        }

        vm.revertToState(snap);
        params = _pactParams();
        params.maxMembers = 3;
        id = _createPact(params);
        _join(id, labA, BOND_A);
        _join(id, labC, BOND_C);
        _join(id, sybil, 3 * MIN_BOND);
        pacts.activate(id);
        _breach(id, labC);
        pacts.recordOutcome(id, labC);
        assertLe(sybils, pacts.sharesOf(id, sybil), "sybils earn no more than one member with their total bond");
        assertApproxEqAbs(sybils, pacts.sharesOf(id, sybil), 3, "and no less than rounding");
    }

    // ================================================================== dust

    /// @notice One-wei members next to huge ones: shares never exceed the keeper funds, the tiny members' floors
    /// go to the beneficiary as dust at settlement, and the pact ends empty.
    function test_attack_dustBonds_sharesNeverExceedFunds_dustToTheBeneficiary() public {
        IPacts.PactParams memory params = _pactParams();
        params.minBond = 1;
        params.maxMembers = 5;
        PactId id = _createPact(params);
        address[5] memory m = [labA, labB, labC, makeAddr("tiny1"), makeAddr("tiny2")];
        uint128[5] memory bonds = [uint128(1e30 + 1), uint128(3), uint128(7e29 + 3), uint128(1), uint128(1)];
        for (uint256 i; i < 5; ++i) {
            _join(id, m[i], bonds[i]);
        }
        pacts.activate(id);
        _breach(id, m[2]);
        pacts.recordOutcome(id, m[2]);
        _breach(id, m[3]); // a one-wei breach: reward 0, rest 1, keepers floor(0.8) = 0
        pacts.recordOutcome(id, m[3]);
        IPacts.KeeperAccounts memory k = pacts.keeperAccounts(id);
        uint256 owed;
        for (uint256 i; i < 5; ++i) {
            owed += pacts.sharesOf(id, m[i]);
        }
        assertLe(owed, k.funds - k.paid, "shares never exceed the keeper funds");
        assertEq(pacts.sharesOf(id, m[4]), 0, "a one-wei member's accrual floors to zero");
        assertGt(pacts.sharesOf(id, m[1]), 0, "three wei earn a wei");

        _toEnd(id);
        uint256 fundBefore = pacts.claimable(fund, token);
        pacts.recordOutcome(id, m[0]);
        pacts.recordOutcome(id, m[1]);
        pacts.recordOutcome(id, m[4]);
        uint256 dust = k.funds - owed;
        assertEq(pacts.claimable(fund, token) - fundBefore, dust, "the dust went to the beneficiary at settlement");
        for (uint256 i; i < 5; ++i) {
            if (pacts.sharesOf(id, m[i]) == 0) continue;
            vm.prank(m[i]);
            pacts.claimShares(id, m[i]);
        }
        vm.prank(fund);
        pacts.claim(token, fund);
        assertEq(token.balanceOf(address(pacts)), 0, "the pact ends empty");
    }

    // ========================================================= top-up, breach

    /// @notice Topping up a pledge does not raise the member's weight in keeper shares, and when it then breaches
    /// the top-up is slashed with the bond: the member gains nothing and loses more.
    function test_attack_topUpThenBreach_gainsNoWeight_losesTheTopUp() public {
        PactId id = _activePact();
        uint128 topUp = 50_000_000;
        _fund(labA, topUp);
        PledgeId pidA = _pledgeOf(id, labA);
        vm.prank(labA);
        registry.topUp(pidA, topUp);
        _breach(id, labC);
        pacts.recordOutcome(id, labC);
        uint256 acc = pacts.keeperAccounts(id).accPerBond;
        assertEq(pacts.sharesOf(id, labA), uint256(BOND_A) * acc / 1e27, "weight = the joined bond, not the pledge");

        _breach(id, labA);
        pacts.recordOutcome(id, labA);
        uint256 slashed = uint256(BOND_A) + topUp;
        uint256 rest = slashed - slashed * REWARD_BPS / BPS;
        assertEq(pacts.sharesOf(id, labA), 0, "A forfeits");
        assertEq(registry.claimable(labA, token), 0, "nothing back for A");
        _toEnd(id);
        pacts.recordOutcome(id, labB);
        uint256 cRest = BOND_C - uint256(BOND_C) * REWARD_BPS / BPS;
        uint256 keepers = cRest * KEEPER_BPS / BPS + rest * KEEPER_BPS / BPS;
        assertApproxEqAbs(pacts.sharesOf(id, labB), keepers, 2, "B takes both keeper parts, top-up included");
    }

    // ============================================================ front-running

    /// @notice A keeper that claims before a breach is recorded (front-running the record) and one that waits end
    /// with the same total.
    function test_attack_frontRunRecord_withClaim_sameTotal() public {
        uint256 snap = vm.snapshotState();
        PactId id = _activePact();
        _breach(id, labC);
        pacts.recordOutcome(id, labC);
        _challenge(_pledgeOf(id, labB));
        _toEnd(id); // B's challenge is Slashable by now, A's pledge Releasable
        pacts.recordOutcome(id, labA);
        vm.prank(labA);
        uint256 early = pacts.claimShares(id, labA); // before B's breach is recorded
        pacts.recordOutcome(id, labB);
        vm.prank(labA);
        early += pacts.claimShares(id, labA);

        vm.revertToState(snap);
        id = _activePact();
        _breach(id, labC);
        pacts.recordOutcome(id, labC);
        _challenge(_pledgeOf(id, labB));
        _toEnd(id);
        pacts.recordOutcome(id, labA);
        pacts.recordOutcome(id, labB);
        vm.prank(labA);
        uint256 late = pacts.claimShares(id, labA);
        assertEq(early, late, "claim timing changes nothing");
    }

    /// @notice The challenged member front-runs the record by disputing while it can: the record waits for the
    /// ruling (refused, not mis-recorded), and once the liveness has passed a dispute is too late.
    function test_attack_frontRunRecord_withDispute_onlyDelays() public {
        PactId id = _activePact();
        PledgeId pid = _pledgeOf(id, labC);
        ChallengeId cid = _challenge(pid);
        vm.warp(block.timestamp + LIVENESS - 1);
        _disputeAs(labC, pid);
        vm.expectRevert(
            abi.encodeWithSelector(IPacts.OutcomeNotFinal.selector, id, labC, IPledgeRegistry.PledgeState.Disputed)
        );
        pacts.recordOutcome(id, labC);
        _rule(cid, true);
        assertTrue(pacts.recordOutcome(id, labC), "recorded as breached after the ruling");

        // B: challenged, the liveness passes, then B tries to dispute: too late.
        PledgeId pidB = _pledgeOf(id, labB);
        _challenge(pidB);
        vm.warp(block.timestamp + LIVENESS);
        _fund(labB, CHALLENGE_BOND);
        vm.prank(labB);
        _expectUnexpectedState(pidB, IPledgeRegistry.PledgeState.Slashable, ALLOWED_DISPUTE);
        registry.dispute(pidB);
        assertTrue(pacts.recordOutcome(id, labB), "B recorded as breached");
    }

    // ============================================================= boundaries

    /// @notice Honor boundary: at `expiry + grace - 1` the pledge is Active (record refused, challenge allowed); at
    /// `expiry + grace` it is Releasable (record honors it, challenge refused). No second where both or neither.
    function test_attack_recordEarly_honorBoundary_toTheSecond() public {
        PactId id = _activePact();
        PledgeId pid = _pledgeOf(id, labA);
        uint256 end = _end(pid);
        vm.warp(end - 1);
        vm.expectRevert(abi.encodeWithSelector(IPacts.OutcomeNotFinal.selector, id, labA, IPledgeRegistry.PledgeState.Active));
        pacts.recordOutcome(id, labA);
        uint256 snap = vm.snapshotState();
        _challenge(pid); // still challengeable in the last second
        vm.warp(end);
        vm.expectRevert(
            abi.encodeWithSelector(IPacts.OutcomeNotFinal.selector, id, labA, IPledgeRegistry.PledgeState.Challenged)
        );
        pacts.recordOutcome(id, labA); // a challenge opened in time keeps it open past the end
        vm.revertToState(snap);

        vm.warp(end);
        _fund(challenger, CHALLENGE_BOND);
        vm.prank(challenger);
        _expectUnexpectedState(pid, IPledgeRegistry.PledgeState.Releasable, ALLOWED_CHALLENGE);
        registry.challenge(pid, EVIDENCE_URI, CHALLENGE_BOND);
        assertFalse(pacts.recordOutcome(id, labA), "honored at the first second");
        assertEq(registry.claimable(labA, token), BOND_A, "bond back");
    }

    /// @notice Slash boundary: at `challengedAt + liveness - 1` the pledge is Challenged (record refused, dispute
    /// allowed); at `challengedAt + liveness` it is Slashable (record slashes it, dispute refused).
    function test_attack_recordEarly_slashBoundary_toTheSecond() public {
        PactId id = _activePact();
        PledgeId pid = _pledgeOf(id, labB);
        _challenge(pid);
        uint256 slashAt = block.timestamp + LIVENESS;
        vm.warp(slashAt - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IPacts.OutcomeNotFinal.selector, id, labB, IPledgeRegistry.PledgeState.Challenged)
        );
        pacts.recordOutcome(id, labB);
        vm.warp(slashAt);
        _fund(labB, CHALLENGE_BOND);
        vm.prank(labB);
        _expectUnexpectedState(pid, IPledgeRegistry.PledgeState.Slashable, ALLOWED_DISPUTE);
        registry.dispute(pid);
        assertTrue(pacts.recordOutcome(id, labB), "slashed at the first second");
    }

    // ================================================================= helpers

    function _hookPact(uint128 bonus) internal returns (PactId id) {
        IPacts.PactParams memory params = _pactParams();
        params.token = hook;
        params.bonus = bonus;
        if (bonus != 0) {
            hook.mint(founder, bonus);
            vm.prank(founder);
            hook.approve(address(pacts), bonus);
        }
        vm.prank(founder);
        id = pacts.createPact(params, new address[](0));
    }

    function _hookApprove(address who, uint256 amount) internal {
        hook.mint(who, amount);
        vm.startPrank(who);
        hook.approve(address(pacts), amount);
        hook.approve(address(registry), type(uint256).max);
        registry.approveSponsor(address(pacts), true);
        vm.stopPrank();
    }

    function _hookJoin(PactId id, address who, uint128 bond) internal {
        _hookApprove(who, bond);
        vm.prank(who);
        pacts.join(id, bond);
    }

    function _hookActivePact() internal returns (PactId id) {
        id = _hookPact(0);
        _hookJoin(id, labA, BOND_A);
        _hookJoin(id, labB, BOND_B);
        _hookJoin(id, labC, BOND_C);
        pacts.activate(id);
        // Challengers post their bonds in the hook token.
        hook.mint(challenger, 10 * uint256(CHALLENGE_BOND));
        vm.prank(challenger);
        hook.approve(address(registry), type(uint256).max);
    }

    function _assertRefusedByGuard() internal view {
        assertTrue(hook.reentered(), "hook did not fire");
        assertFalse(hook.reentrySucceeded(), "reentrant call succeeded");
        assertEq(
            hook.reentryReturnData(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
            "reentrant call not refused by the guard"
        );
    }
}
