// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Vm} from "forge-std/Vm.sol";

import {IArbiter} from "../../contracts/interfaces/IArbiter.sol";
import {IPledgeRegistry} from "../../contracts/interfaces/IPledgeRegistry.sol";
import {ChallengeId, PledgeId} from "../../contracts/types/Ids.sol";
import {ReentrantERC20} from "../mocks/ReentrantERC20.sol";
import {RegistryFixture} from "./utils/RegistryFixture.sol";
import {TestProfile} from "./utils/TestProfile.sol";

/// @notice Unit tests of the registry's governor entry points: `createGovernedPledge`, `release`, `amend` and
/// `governorOf`. Every custom error with its exact arguments, each time boundary at the exact second, each
/// refund to the wei, and every refused call leaving the registry exactly as it was.
contract PledgeRegistryGovernorTest is RegistryFixture {
    PledgeId internal constant UNKNOWN = PledgeId.wrap(99);
    /// @dev EIP-170: the most bytecode a contract may deploy.
    uint256 internal constant MAX_CODE_SIZE = 24_576;

    address internal governor;
    bytes32 internal constant TERMS_HASH_2 = keccak256("terms v2");
    string internal constant TERMS_URI_2 = "ipfs://terms-v2";

    /// @dev What a refused call must leave unchanged.
    struct Snapshot {
        bytes pledge;
        address governor;
        IPledgeRegistry.PledgeState state;
        uint256 pledgeCount;
        uint256 claimablePledger;
        uint256 registryBalance;
        uint256 nextChallengeBond;
    }

    function setUp() public override {
        super.setUp();
        governor = makeAddr("governor");
    }

    // ---------------------------------------------------------------- helpers

    function _createGoverned() internal returns (PledgeId) {
        return _createGoverned(_params(), governor);
    }

    function _snapshot(PledgeId id) internal view returns (Snapshot memory s) {
        s.pledge = abi.encode(registry.getPledge(id));
        s.governor = registry.governorOf(id);
        s.state = registry.state(id);
        s.pledgeCount = registry.pledgeCount();
        s.claimablePledger = _claimable(pledger);
        s.registryBalance = _balance(address(registry));
        if (s.state != IPledgeRegistry.PledgeState.None) (, s.nextChallengeBond) = registry.requiredChallengeBond(id);
    }

    function _assertUnchanged(PledgeId id, Snapshot memory before) internal view {
        Snapshot memory afterwards = _snapshot(id);
        assertEq(afterwards.pledge, before.pledge, "pledge record changed");
        assertEq(afterwards.governor, before.governor, "governor changed");
        assertEq(uint256(afterwards.state), uint256(before.state), "state changed");
        assertEq(afterwards.pledgeCount, before.pledgeCount, "pledge count changed");
        assertEq(afterwards.claimablePledger, before.claimablePledger, "pledger credited");
        assertEq(afterwards.registryBalance, before.registryBalance, "registry balance changed");
        assertEq(afterwards.nextChallengeBond, before.nextChallengeBond, "challenge bond changed");
    }

    function _amendment(uint64 expiry, uint128 bond) internal pure returns (IPledgeRegistry.Amendment memory) {
        return IPledgeRegistry.Amendment({termsHash: TERMS_HASH_2, termsURI: TERMS_URI_2, expiry: expiry, bond: bond});
    }

    function _release(PledgeId id) internal {
        vm.prank(governor);
        registry.release(id);
    }

    function _amend(PledgeId id, IPledgeRegistry.Amendment memory a) internal {
        vm.prank(governor);
        registry.amend(id, a);
    }

    function _expectNotGovernor(PledgeId id, address caller, address expected) internal {
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.CallerNotGovernor.selector, id, caller, expected));
    }

    /// @dev Counts the distinct storage slots of the registry written since `vm.record()`.
    function _distinctWrites() internal returns (uint256 n) {
        (, bytes32[] memory writes) = vm.accesses(address(registry));
        for (uint256 i = 0; i < writes.length; ++i) {
            bool seen;
            for (uint256 j = 0; j < i; ++j) {
                if (writes[j] == writes[i]) seen = true;
            }
            if (!seen) ++n;
        }
    }

    // ================================================== createGovernedPledge

    function test_createGovernedPledge_escrowsBondStoresPledgeAndGovernor() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        _fund(pledger, BOND + 5);

        vm.expectEmit(address(registry));
        emit IPledgeRegistry.PledgeCreated(PledgeId.wrap(1), pledger, token, params);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.PledgeGoverned(PledgeId.wrap(1), governor);
        vm.prank(pledger);
        PledgeId id = registry.createGovernedPledge(params, governor);

        assertEq(PledgeId.unwrap(id), 1, "first id is 1");
        assertEq(registry.pledgeCount(), 1);
        assertEq(registry.governorOf(id), governor);
        assertEq(_balance(pledger), 5, "bond pulled from pledger");
        assertEq(_balance(address(registry)), BOND, "bond escrowed");
        _assertState(id, IPledgeRegistry.PledgeState.Active);

        IPledgeRegistry.Pledge memory p = registry.getPledge(id);
        assertEq(p.pledger, pledger);
        assertEq(p.expiry, START + TERM);
        assertEq(p.grace, GRACE);
        assertEq(address(p.token), address(token));
        assertEq(p.liveness, LIVENESS);
        assertEq(uint256(p.outcome), uint256(IPledgeRegistry.Outcome.None));
        assertEq(p.rejectedChallenges, 0);
        assertEq(address(p.arbiter), address(arbiter));
        assertEq(p.openChallenge, 0);
        assertEq(p.beneficiary, beneficiary);
        assertEq(p.bond, BOND);
        assertEq(p.challengeBond, CHALLENGE_BOND);
        assertEq(p.termsHash, TERMS_HASH);
    }

    function test_createGovernedPledge_emitsExactlyCreatedThenGovernedThenTransfer() public {
        _fund(pledger, BOND);
        vm.recordLogs();
        vm.prank(pledger);
        registry.createGovernedPledge(_params(), governor);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 3, "PledgeCreated, PledgeGoverned, Transfer");
        assertEq(logs[0].topics[0], IPledgeRegistry.PledgeCreated.selector);
        assertEq(logs[1].topics[0], IPledgeRegistry.PledgeGoverned.selector);
        assertEq(logs[1].topics[1], bytes32(uint256(1)));
        assertEq(logs[1].topics[2], bytes32(uint256(uint160(governor))));
        assertEq(logs[2].emitter, address(token), "the bond moves last");
    }

    function test_createGovernedPledge_storesTheSameRecordAsCreatePledge() public {
        PledgeId plain = _create();
        PledgeId governed = _createGoverned();
        assertEq(abi.encode(registry.getPledge(governed)), abi.encode(registry.getPledge(plain)));
        assertEq(registry.governorOf(plain), address(0));
        assertEq(registry.governorOf(governed), governor);
        assertEq(PledgeId.unwrap(governed), 2, "one id sequence for both");
        assertEq(_balance(address(registry)), 2 * uint256(BOND));
    }

    /// @dev The governor lives in its own mapping: an ungoverned pledge writes exactly the slots it wrote before
    /// governors existed (the counter and the 6 slots of its record), a governed one exactly one more.
    function test_createGovernedPledge_costsOneSlotMoreThanCreatePledge() public {
        _create(); // the counter is non-zero from here on in both measurements
        IPledgeRegistry.PledgeParams memory params = _params();
        _fund(pledger, 2 * uint256(BOND));

        vm.record();
        vm.prank(pledger);
        registry.createPledge(params);
        assertEq(_distinctWrites(), 7, "createPledge: counter + 6 pledge slots");

        vm.record();
        vm.prank(pledger);
        registry.createGovernedPledge(params, governor);
        assertEq(_distinctWrites(), 8, "createGovernedPledge: counter + 6 pledge slots + governor");
    }

    function test_createGovernedPledge_acceptsArbiterOrBeneficiaryAsGovernor() public {
        PledgeId id = _createGoverned(_params(), address(arbiter));
        assertEq(registry.governorOf(id), address(arbiter));
        id = _createGoverned(_params(), beneficiary);
        assertEq(registry.governorOf(id), beneficiary);
    }

    function test_createGovernedPledge_revertsWhenGovernorZero() public {
        _fund(pledger, BOND);
        Snapshot memory before = _snapshot(PledgeId.wrap(1));
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.GovernorInvalid.selector, address(0)));
        vm.prank(pledger);
        registry.createGovernedPledge(_params(), address(0));
        _assertUnchanged(PledgeId.wrap(1), before);
        assertEq(_balance(pledger), BOND, "nothing pulled");
    }

    function test_createGovernedPledge_revertsWhenGovernorIsPledger() public {
        _fund(pledger, BOND);
        Snapshot memory before = _snapshot(PledgeId.wrap(1));
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.GovernorInvalid.selector, pledger));
        vm.prank(pledger);
        registry.createGovernedPledge(_params(), pledger);
        _assertUnchanged(PledgeId.wrap(1), before);
        assertEq(_balance(pledger), BOND, "nothing pulled");
    }

    /// @dev The checks are createPledge's own (one internal function), so a few stand for all of them.
    function test_createGovernedPledge_runsCreatePledgeChecks() public {
        _fund(pledger, BOND);
        IPledgeRegistry.PledgeParams memory params = _params();
        params.bond = 0;
        vm.expectRevert(IPledgeRegistry.BondZero.selector);
        vm.prank(pledger);
        registry.createGovernedPledge(params, governor);

        params = _params();
        params.expiry = uint64(block.timestamp);
        vm.expectRevert(
            abi.encodeWithSelector(IPledgeRegistry.ExpiryNotInFuture.selector, block.timestamp, block.timestamp)
        );
        vm.prank(pledger);
        registry.createGovernedPledge(params, governor);

        params = _params();
        params.resolution.arbiter = IArbiter(pledger);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.ArbiterInvalid.selector, pledger));
        vm.prank(pledger);
        registry.createGovernedPledge(params, governor);

        params = _params();
        params.beneficiary = pledger;
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.BeneficiaryIsPledger.selector, pledger));
        vm.prank(pledger);
        registry.createGovernedPledge(params, governor);

        params = _params();
        params.grace = MAX_GRACE + 1;
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.GraceTooLong.selector, MAX_GRACE + 1, MAX_GRACE));
        vm.prank(pledger);
        registry.createGovernedPledge(params, governor);

        assertEq(registry.pledgeCount(), 0);
        assertEq(_balance(pledger), BOND);
    }

    function test_governorOf_readsZeroForUnknownAndUngoverned() public {
        assertEq(registry.governorOf(UNKNOWN), address(0));
        assertEq(registry.governorOf(_create()), address(0));
    }

    function test_registry_deployedCodeBelowEip170Limit() public {
        // The coverage run's bytecode is unoptimized and instrumented: its size says nothing.
        vm.skip(TestProfile.isCoverage());
        uint256 size = address(registry).code.length;
        assertLt(size, MAX_CODE_SIZE, "registry bytecode above EIP-170");
    }

    // ====================================================== ungoverned pledges

    function test_release_revertsForUngovernedPledge() public {
        PledgeId id = _create();
        Snapshot memory before = _snapshot(id);
        address[3] memory callers = [pledger, stranger, governor];
        for (uint256 i = 0; i < callers.length; ++i) {
            _expectNotGovernor(id, callers[i], address(0));
            vm.prank(callers[i]);
            registry.release(id);
        }
        _assertUnchanged(id, before);
    }

    function test_amend_revertsForUngovernedPledge() public {
        PledgeId id = _create();
        Snapshot memory before = _snapshot(id);
        address[3] memory callers = [pledger, stranger, governor];
        for (uint256 i = 0; i < callers.length; ++i) {
            _expectNotGovernor(id, callers[i], address(0));
            vm.prank(callers[i]);
            registry.amend(id, _amendment(uint64(START + 1), 1));
        }
        _assertUnchanged(id, before);
    }

    // ================================================================ release

    function test_release_movesExpiryToNowAndCreditsNothing() public {
        PledgeId id = _createGoverned();
        uint256 releasedAt = START + 10 days;
        vm.warp(releasedAt);

        vm.recordLogs();
        _release(id);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1, "only PledgeReleased: no credit, no transfer");
        assertEq(logs[0].emitter, address(registry));
        assertEq(logs[0].topics[0], IPledgeRegistry.PledgeReleased.selector);
        assertEq(logs[0].topics[1], bytes32(PledgeId.unwrap(id)));
        assertEq(logs[0].topics[2], bytes32(uint256(uint160(governor))));
        assertEq(logs[0].data, abi.encode(uint64(START + TERM), uint64(releasedAt)));

        IPledgeRegistry.Pledge memory p = registry.getPledge(id);
        assertEq(p.expiry, releasedAt);
        assertEq(p.bond, BOND, "bond still escrowed");
        assertEq(p.grace, GRACE);
        assertEq(p.termsHash, TERMS_HASH);
        assertEq(_claimable(pledger), 0);
        assertEq(_balance(address(registry)), BOND);
        _assertState(id, IPledgeRegistry.PledgeState.Active);

        // Challengeable for the grace period after the release, releasable from its last second on.
        vm.warp(releasedAt + GRACE - 1);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
        vm.warp(releasedAt + GRACE);
        _assertState(id, IPledgeRegistry.PledgeState.Releasable);
    }

    function test_release_oneSecondBeforeExpiryMovesItBySecond() public {
        PledgeId id = _createGoverned();
        vm.warp(START + TERM - 1);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.PledgeReleased(id, governor, uint64(START + TERM), uint64(START + TERM - 1));
        _release(id);
        assertEq(registry.getPledge(id).expiry, START + TERM - 1);
    }

    function test_release_thenChallengeInGraceStillSlashes() public {
        PledgeId id = _createGoverned();
        vm.warp(START + 10 days);
        _release(id);

        // A breach during the term is still punished: challenge in the last second of the grace period.
        vm.warp(START + 10 days + GRACE - 1);
        _challenge(id);
        _assertState(id, IPledgeRegistry.PledgeState.Challenged);
        vm.warp(block.timestamp + LIVENESS);
        assertEq(uint256(registry.finalize(id)), uint256(IPledgeRegistry.Outcome.Breached));

        _assertState(id, IPledgeRegistry.PledgeState.Breached);
        assertEq(_claimable(challenger), CHALLENGE_BOND + REWARD);
        assertEq(_claimable(beneficiary), BENEFICIARY_SHARE);
        assertEq(_claimable(pledger), 0, "a released pledge that was breached returns nothing");
        assertEq(_balance(address(registry)), uint256(BOND) + CHALLENGE_BOND);
    }

    function test_release_thenDisputedBreachStillSlashes() public {
        PledgeId id = _createGoverned();
        vm.warp(START + 10 days);
        _release(id);
        ChallengeId cid = _challenge(id);
        _dispute(id);
        _rule(cid, true);
        _assertState(id, IPledgeRegistry.PledgeState.Breached);
        assertEq(_claimable(pledger), 0);
        assertEq(_claimable(challenger), DISPUTE_WIN + REWARD);
    }

    function test_release_thenFinalizeAfterGraceHonorsAndReturnsBond() public {
        PledgeId id = _createGoverned();
        vm.warp(START + 10 days);
        _release(id);

        vm.warp(START + 10 days + GRACE - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPledgeRegistry.UnexpectedState.selector, id, IPledgeRegistry.PledgeState.Active, ALLOWED_FINALIZE
            )
        );
        registry.finalize(id);

        vm.warp(START + 10 days + GRACE);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.PledgeHonored(id, pledger, BOND);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.ClaimCredited(pledger, token, BOND);
        vm.prank(stranger);
        assertEq(uint256(registry.finalize(id)), uint256(IPledgeRegistry.Outcome.Honored));
        _assertState(id, IPledgeRegistry.PledgeState.Honored);
        assertEq(_claimable(pledger), BOND);

        vm.prank(pledger);
        assertEq(registry.claim(token, pledger), BOND);
        assertEq(_balance(pledger), BOND);
        assertEq(_balance(address(registry)), 0);
    }

    function test_release_inGraceChangesNothingButTheEvent() public {
        PledgeId id = _createGoverned();
        vm.warp(START + TERM + 1 days);
        Snapshot memory before = _snapshot(id);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.PledgeReleased(id, governor, uint64(START + TERM), uint64(START + TERM));
        _release(id);
        _assertUnchanged(id, before);
        vm.warp(START + TERM + GRACE - 1);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
        vm.warp(START + TERM + GRACE);
        _assertState(id, IPledgeRegistry.PledgeState.Releasable);
    }

    function test_release_atExpiryChangesNothingButTheEvent() public {
        PledgeId id = _createGoverned();
        vm.warp(START + TERM);
        Snapshot memory before = _snapshot(id);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.PledgeReleased(id, governor, uint64(START + TERM), uint64(START + TERM));
        _release(id);
        _assertUnchanged(id, before);
    }

    function test_release_twiceKeepsTheFirstExpiry() public {
        PledgeId id = _createGoverned();
        vm.warp(START + 1 days);
        _release(id);
        vm.warp(START + 2 days);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.PledgeReleased(id, governor, uint64(START + 1 days), uint64(START + 1 days));
        _release(id);
        assertEq(registry.getPledge(id).expiry, START + 1 days);
    }

    function test_release_withZeroGraceIsReleasableAtOnce() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.grace = 0;
        PledgeId id = _createGoverned(params, governor);
        vm.warp(START + 1 days);
        _release(id);
        _assertState(id, IPledgeRegistry.PledgeState.Releasable);
        registry.finalize(id);
        assertEq(_claimable(pledger), BOND);
    }

    function test_release_afterRejectedChallengeKeepsEscalation() public {
        PledgeId id = _createGoverned();
        ChallengeId cid = _challenge(id);
        _dispute(id);
        _rule(cid, false);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
        _release(id);
        assertEq(registry.getPledge(id).rejectedChallenges, 1);
        (, uint256 required) = registry.requiredChallengeBond(id);
        assertEq(required, 2 * uint256(CHALLENGE_BOND));
    }

    function test_release_revertsWhenCallerNotGovernor() public {
        PledgeId id = _createGoverned();
        Snapshot memory before = _snapshot(id);
        address[4] memory callers = [pledger, stranger, beneficiary, address(arbiter)];
        for (uint256 i = 0; i < callers.length; ++i) {
            _expectNotGovernor(id, callers[i], governor);
            vm.prank(callers[i]);
            registry.release(id);
        }
        _assertUnchanged(id, before);
    }

    function test_release_revertsForUnknownPledge() public {
        _expectUnknown(UNKNOWN);
        vm.prank(governor);
        registry.release(UNKNOWN);
        _expectUnknown(PledgeId.wrap(0));
        vm.prank(governor);
        registry.release(PledgeId.wrap(0));
    }

    function test_release_revertsOutsideActive() public {
        IPledgeRegistry.PledgeState[8] memory states = _knownStates();
        for (uint256 i = 0; i < states.length; ++i) {
            if (ALLOWED_RELEASE & (1 << uint8(states[i])) != 0) continue;
            PledgeId id = _drive(_createGoverned(), states[i]);
            Snapshot memory before = _snapshot(id);
            _expectUnexpectedState(id, states[i], ALLOWED_RELEASE);
            _release(id);
            _assertUnchanged(id, before);
        }
    }

    // ================================================================== amend

    function test_amend_storesNewTermsAndCreditsRefund() public {
        PledgeId id = _createGoverned();
        vm.warp(START + 5 days);
        uint64 newExpiry = uint64(START + 60 days);
        uint128 newBond = 1_000_000;
        uint128 refund = BOND - newBond;
        IPledgeRegistry.Pledge memory old = registry.getPledge(id);

        vm.expectEmit(address(registry));
        emit IPledgeRegistry.PledgeAmended(id, governor, TERMS_HASH_2, TERMS_URI_2, newExpiry, newBond, refund);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.ClaimCredited(pledger, token, refund);
        _amend(id, _amendment(newExpiry, newBond));

        IPledgeRegistry.Pledge memory p = registry.getPledge(id);
        assertEq(p.termsHash, TERMS_HASH_2);
        assertEq(p.expiry, newExpiry);
        assertEq(p.bond, newBond);
        // Everything else as it was.
        p.termsHash = old.termsHash;
        p.expiry = old.expiry;
        p.bond = old.bond;
        assertEq(abi.encode(p), abi.encode(old), "only terms hash, expiry and bond change");
        assertEq(registry.governorOf(id), governor);

        assertEq(_claimable(pledger), refund);
        assertEq(_balance(address(registry)), BOND, "the refund stays escrowed until claimed");
        _assertState(id, IPledgeRegistry.PledgeState.Active);

        vm.prank(pledger);
        assertEq(registry.claim(token, pledger), refund);
        assertEq(_balance(address(registry)), newBond);
    }

    function test_amend_bondEqualToCurrentCreditsNothing() public {
        PledgeId id = _createGoverned();
        vm.recordLogs();
        _amend(id, _amendment(uint64(START + 1), BOND));
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1, "PledgeAmended only, no ClaimCredited");
        assertEq(logs[0].topics[0], IPledgeRegistry.PledgeAmended.selector);
        (,,,, uint128 refunded) = abi.decode(logs[0].data, (bytes32, string, uint64, uint128, uint128));
        assertEq(refunded, 0);
        assertEq(registry.getPledge(id).bond, BOND);
        assertEq(_claimable(pledger), 0);
    }

    function test_amend_toOneWeiRefundsAllButOne() public {
        PledgeId id = _createGoverned();
        _amend(id, _amendment(uint64(START + TERM), 1));
        assertEq(registry.getPledge(id).bond, 1);
        assertEq(_claimable(pledger), BOND - 1);
        assertEq(_balance(address(registry)), BOND);
    }

    function test_amend_refundAddsToExistingClaimable() public {
        PledgeId first = _createGoverned();
        PledgeId second = _createGoverned();
        _amend(first, _amendment(uint64(START + TERM), BOND - 10));
        _amend(second, _amendment(uint64(START + TERM), BOND - 7));
        assertEq(_claimable(pledger), 17);
        assertEq(_balance(address(registry)), 2 * uint256(BOND));
    }

    function test_amend_revertsWhenBondZero() public {
        PledgeId id = _createGoverned();
        Snapshot memory before = _snapshot(id);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.AmendedBondInvalid.selector, id, 0, BOND));
        _amend(id, _amendment(uint64(START + TERM), 0));
        _assertUnchanged(id, before);
    }

    function test_amend_revertsWhenBondAboveCurrent() public {
        PledgeId id = _createGoverned();
        Snapshot memory before = _snapshot(id);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.AmendedBondInvalid.selector, id, BOND + 1, BOND));
        _amend(id, _amendment(uint64(START + TERM), BOND + 1));
        _assertUnchanged(id, before);
    }

    function test_amend_bondGrowsOnlyByTopUp() public {
        PledgeId id = _createGoverned();
        _fund(pledger, 100);
        vm.prank(pledger);
        registry.topUp(id, 100);
        _amend(id, _amendment(uint64(START + TERM), BOND + 100)); // the topped-up bond is the current one
        assertEq(_claimable(pledger), 0);
        vm.expectRevert(
            abi.encodeWithSelector(IPledgeRegistry.AmendedBondInvalid.selector, id, BOND + 101, BOND + 100)
        );
        _amend(id, _amendment(uint64(START + TERM), BOND + 101));
    }

    function test_amend_revertsWhenExpiryIsNow() public {
        PledgeId id = _createGoverned();
        vm.warp(START + 1 days);
        Snapshot memory before = _snapshot(id);
        vm.expectRevert(
            abi.encodeWithSelector(IPledgeRegistry.ExpiryNotInFuture.selector, START + 1 days, START + 1 days)
        );
        _amend(id, _amendment(uint64(START + 1 days), BOND - 1));
        _assertUnchanged(id, before);
    }

    function test_amend_revertsWhenExpiryInPast() public {
        PledgeId id = _createGoverned();
        vm.warp(START + 1 days);
        Snapshot memory before = _snapshot(id);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.ExpiryNotInFuture.selector, 0, START + 1 days));
        _amend(id, _amendment(0, BOND - 1));
        vm.expectRevert(
            abi.encodeWithSelector(IPledgeRegistry.ExpiryNotInFuture.selector, START + 1 days - 1, START + 1 days)
        );
        _amend(id, _amendment(uint64(START + 1 days - 1), BOND - 1));
        _assertUnchanged(id, before);
    }

    function test_amend_oneSecondAheadIsAccepted() public {
        PledgeId id = _createGoverned();
        vm.warp(START + 1 days);
        _amend(id, _amendment(uint64(START + 1 days + 1), BOND));
        assertEq(registry.getPledge(id).expiry, START + 1 days + 1);
        vm.warp(START + 1 days + 1 + GRACE - 1);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
        vm.warp(START + 1 days + 1 + GRACE);
        _assertState(id, IPledgeRegistry.PledgeState.Releasable);
    }

    function test_amend_laterExpiryExtendsTheTerm() public {
        PledgeId id = _createGoverned();
        uint64 later = uint64(START + TERM + 20 days);
        _amend(id, _amendment(later, BOND));

        // Past the old end the pledge is still challengeable ...
        vm.warp(START + TERM + GRACE);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
        vm.warp(uint256(later) + GRACE - 1);
        _challenge(id);
        _assertState(id, IPledgeRegistry.PledgeState.Challenged);
        // ... and the challenge runs its course past the new end.
        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(id);
        _assertState(id, IPledgeRegistry.PledgeState.Breached);
    }

    function test_amend_laterExpiryDelaysFinalize() public {
        PledgeId id = _createGoverned();
        uint64 later = uint64(START + TERM + 20 days);
        _amend(id, _amendment(later, BOND));
        vm.warp(START + TERM + GRACE);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPledgeRegistry.UnexpectedState.selector, id, IPledgeRegistry.PledgeState.Active, ALLOWED_FINALIZE
            )
        );
        registry.finalize(id);
        vm.warp(uint256(later) + GRACE);
        registry.finalize(id);
        assertEq(_claimable(pledger), BOND);
    }

    function test_amend_earlierExpiryShortensTheTerm() public {
        PledgeId id = _createGoverned();
        uint64 earlier = uint64(START + 1 days);
        _amend(id, _amendment(earlier, BOND - 100));
        vm.warp(uint256(earlier) + GRACE - 1);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
        vm.warp(uint256(earlier) + GRACE);
        _assertState(id, IPledgeRegistry.PledgeState.Releasable);
        _fund(challenger, CHALLENGE_BOND);
        _expectUnexpectedState(id, IPledgeRegistry.PledgeState.Releasable, ALLOWED_CHALLENGE);
        vm.prank(challenger);
        registry.challenge(id, EVIDENCE_URI, type(uint256).max);

        registry.finalize(id);
        assertEq(_claimable(pledger), BOND, "refund 100 at amendment, then the amended bond");
        assertEq(_balance(address(registry)), BOND);
    }

    function test_amend_inGraceReopensTheTerm() public {
        PledgeId id = _createGoverned();
        vm.warp(START + TERM + 1 days); // in the grace period
        _amend(id, _amendment(uint64(START + TERM + 10 days), BOND));
        vm.warp(START + TERM + GRACE);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
        vm.warp(START + TERM + 10 days + GRACE);
        _assertState(id, IPledgeRegistry.PledgeState.Releasable);
    }

    function test_amend_afterReleaseSetsANewTerm() public {
        PledgeId id = _createGoverned();
        vm.warp(START + 1 days);
        _release(id);
        _amend(id, _amendment(uint64(START + 40 days), BOND));
        vm.warp(START + 1 days + GRACE);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
    }

    function test_amend_slashSplitsTheAmendedBond() public {
        PledgeId id = _createGoverned();
        uint128 newBond = 1_000_003;
        _amend(id, _amendment(uint64(START + TERM), newBond));
        _challenge(id);
        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(id);
        uint256 reward = uint256(newBond) * REWARD_BPS / BPS; // floor, as the registry
        assertEq(_claimable(challenger), CHALLENGE_BOND + reward);
        assertEq(_claimable(beneficiary), newBond - reward);
        assertEq(_claimable(pledger), BOND - newBond, "only the amendment's refund");
        assertEq(
            _claimable(challenger) + _claimable(beneficiary) + _claimable(pledger),
            _balance(address(registry)),
            "every escrowed token is claimable"
        );
    }

    /// @dev Rejected challenges keep raising the next bond under the new terms; a lower bond can only lower the
    /// escalation cap `max(bond, challengeBond)`.
    function test_amend_keepsEscalationAndLowersItsCap() public {
        PledgeId id = _createGoverned();
        for (uint256 i = 0; i < 2; ++i) {
            ChallengeId cid = _challenge(id);
            _dispute(id);
            _rule(cid, false);
        }
        (, uint256 required) = registry.requiredChallengeBond(id);
        assertEq(required, 4 * uint256(CHALLENGE_BOND));

        _amend(id, _amendment(uint64(START + TERM), BOND));
        assertEq(registry.getPledge(id).rejectedChallenges, 2, "escalation carries over");
        (, required) = registry.requiredChallengeBond(id);
        assertEq(required, 4 * uint256(CHALLENGE_BOND));

        uint128 smallBond = 2 * CHALLENGE_BOND + 1;
        _amend(id, _amendment(uint64(START + TERM), smallBond));
        (, required) = registry.requiredChallengeBond(id);
        assertEq(required, smallBond, "capped at the amended bond");
    }

    function test_amend_revertsWhenCallerNotGovernor() public {
        PledgeId id = _createGoverned();
        Snapshot memory before = _snapshot(id);
        address[4] memory callers = [pledger, stranger, beneficiary, address(arbiter)];
        for (uint256 i = 0; i < callers.length; ++i) {
            _expectNotGovernor(id, callers[i], governor);
            vm.prank(callers[i]);
            registry.amend(id, _amendment(uint64(START + TERM), 1));
        }
        _assertUnchanged(id, before);
    }

    function test_amend_revertsForUnknownPledge() public {
        _expectUnknown(UNKNOWN);
        _amend(UNKNOWN, _amendment(uint64(START + TERM), 1));
    }

    function test_amend_revertsOutsideActive() public {
        IPledgeRegistry.PledgeState[8] memory states = _knownStates();
        for (uint256 i = 0; i < states.length; ++i) {
            if (ALLOWED_AMEND & (1 << uint8(states[i])) != 0) continue;
            PledgeId id = _drive(_createGoverned(), states[i]);
            Snapshot memory before = _snapshot(id);
            _expectUnexpectedState(id, states[i], ALLOWED_AMEND);
            _amend(id, _amendment(uint64(block.timestamp + TERM), 1));
            _assertUnchanged(id, before);
        }
    }

    // ============================================================ reentrancy

    /// @dev A governor that is also the bond token (a hook token calling back while the registry pulls a
    /// top-up) cannot amend mid-transfer: the entry points share the registry's reentrancy guard.
    function test_amend_refusedWhenReenteredFromATokenHook() public {
        ReentrantERC20 hook = new ReentrantERC20();
        IPledgeRegistry.PledgeParams memory params = _params();
        params.token = IERC20(address(hook));
        PledgeId id = _createGoverned(params, address(hook));
        _fund(hook, pledger, 1);

        hook.arm(
            address(registry), abi.encodeCall(IPledgeRegistry.amend, (id, _amendment(uint64(START + TERM), 1)))
        );
        vm.prank(pledger);
        registry.topUp(id, 1);

        assertTrue(hook.reentered());
        assertFalse(hook.reentrySucceeded());
        assertEq(
            hook.reentryReturnData(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector)
        );
        assertEq(registry.getPledge(id).bond, BOND + 1);
        assertEq(registry.claimable(pledger, IERC20(address(hook))), 0);
    }

    function test_release_refusedWhenReenteredFromATokenHook() public {
        ReentrantERC20 hook = new ReentrantERC20();
        IPledgeRegistry.PledgeParams memory params = _params();
        params.token = IERC20(address(hook));
        PledgeId id = _createGoverned(params, address(hook));
        _fund(hook, pledger, 1);

        hook.arm(address(registry), abi.encodeCall(IPledgeRegistry.release, (id)));
        vm.prank(pledger);
        registry.topUp(id, 1);

        assertTrue(hook.reentered());
        assertFalse(hook.reentrySucceeded());
        assertEq(
            hook.reentryReturnData(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector)
        );
        assertEq(registry.getPledge(id).expiry, START + TERM);
    }
}
