// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IArbiter} from "../../contracts/interfaces/IArbiter.sol";
import {IOptimisticResolution} from "../../contracts/interfaces/IOptimisticResolution.sol";
import {IPledgeRegistry} from "../../contracts/interfaces/IPledgeRegistry.sol";
import {PledgeRegistry} from "../../contracts/registry/PledgeRegistry.sol";
import {ChallengeId, PledgeId} from "../../contracts/types/Ids.sol";
import {RegistryFixture} from "./utils/RegistryFixture.sol";

/// @notice Unit tests of every external function of PledgeRegistry: happy paths, every custom error
/// with its exact arguments, each time boundary at the exact second, and each payout to the wei.
contract PledgeRegistryTest is RegistryFixture {
    PledgeId internal constant UNKNOWN = PledgeId.wrap(99);

    // =========================================================== constructor

    function test_constructor_storesConfig() public view {
        IPledgeRegistry.RegistryConfig memory cfg = registry.config();
        assertEq(cfg.treasury, treasury);
        assertEq(cfg.challengerRewardBps, REWARD_BPS);
        assertEq(cfg.disputeFeeBps, FEE_BPS);
        assertEq(cfg.minLiveness, MIN_LIVENESS);
        assertEq(cfg.maxLiveness, MAX_LIVENESS);
        assertEq(cfg.maxGrace, MAX_GRACE);
        assertEq(cfg.arbitrationTimeout, TIMEOUT);
        assertEq(registry.pledgeCount(), 0);
        assertEq(registry.BURN_ADDRESS(), BURN);
    }

    function test_constructor_acceptsInclusiveBounds() public {
        IPledgeRegistry.RegistryConfig memory cfg = _config();
        cfg.challengerRewardBps = 10_000;
        cfg.disputeFeeBps = 10_000;
        cfg.minLiveness = 1;
        cfg.maxLiveness = 1;
        cfg.arbitrationTimeout = 1;
        cfg.maxGrace = 0;
        cfg.treasury = address(0);
        IPledgeRegistry.RegistryConfig memory stored = new PledgeRegistry(cfg).config();
        assertEq(stored.challengerRewardBps, 10_000);
        assertEq(stored.disputeFeeBps, 10_000);
        assertEq(stored.minLiveness, 1);
        assertEq(stored.maxLiveness, 1);
        assertEq(stored.arbitrationTimeout, 1);
        assertEq(stored.maxGrace, 0);
        assertEq(stored.treasury, address(0));
    }

    function test_constructor_revertsWhenRewardBpsAboveWhole() public {
        IPledgeRegistry.RegistryConfig memory cfg = _config();
        cfg.challengerRewardBps = 10_001;
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.ConfigInvalid.selector, "challengerRewardBps", 10_001));
        new PledgeRegistry(cfg);
    }

    function test_constructor_revertsWhenFeeBpsAboveWhole() public {
        IPledgeRegistry.RegistryConfig memory cfg = _config();
        cfg.disputeFeeBps = 10_001;
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.ConfigInvalid.selector, "disputeFeeBps", 10_001));
        new PledgeRegistry(cfg);
    }

    function test_constructor_revertsWhenMinLivenessZero() public {
        IPledgeRegistry.RegistryConfig memory cfg = _config();
        cfg.minLiveness = 0;
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.ConfigInvalid.selector, "minLiveness", 0));
        new PledgeRegistry(cfg);
    }

    function test_constructor_revertsWhenMaxLivenessBelowMin() public {
        IPledgeRegistry.RegistryConfig memory cfg = _config();
        cfg.maxLiveness = MIN_LIVENESS - 1;
        vm.expectRevert(
            abi.encodeWithSelector(IPledgeRegistry.ConfigInvalid.selector, "maxLiveness", MIN_LIVENESS - 1)
        );
        new PledgeRegistry(cfg);
    }

    function test_constructor_revertsWhenArbitrationTimeoutZero() public {
        IPledgeRegistry.RegistryConfig memory cfg = _config();
        cfg.arbitrationTimeout = 0;
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.ConfigInvalid.selector, "arbitrationTimeout", 0));
        new PledgeRegistry(cfg);
    }

    // ========================================================== createPledge

    function test_createPledge_escrowsBondAndStoresPledge() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        _fund(pledger, BOND + 5);

        vm.expectEmit(address(registry));
        emit IPledgeRegistry.PledgeCreated(PledgeId.wrap(1), pledger, token, params);
        vm.prank(pledger);
        PledgeId id = registry.createPledge(params);

        assertEq(PledgeId.unwrap(id), 1, "first id is 1");
        assertEq(registry.pledgeCount(), 1);
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

        (IERC20 bondToken, uint256 required) = registry.requiredChallengeBond(id);
        assertEq(address(bondToken), address(token));
        assertEq(required, CHALLENGE_BOND);
        assertEq(ChallengeId.unwrap(registry.openChallenge(id)), 0);
    }

    function test_createPledge_assignsSequentialIds() public {
        PledgeId first = _create();
        PledgeId second = _create();
        assertEq(PledgeId.unwrap(first), 1);
        assertEq(PledgeId.unwrap(second), 2);
        assertEq(registry.pledgeCount(), 2);
        assertEq(_balance(address(registry)), 2 * uint256(BOND));
    }

    function test_createPledge_acceptsInclusiveParamBounds() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.expiry = uint64(block.timestamp + 1);
        params.grace = MAX_GRACE;
        params.resolution.liveness = MIN_LIVENESS;
        params.bond = 1;
        params.resolution.challengeBond = 1;
        params.beneficiary = address(0);
        PledgeId id = _create(params);
        _assertState(id, IPledgeRegistry.PledgeState.Active);

        params.resolution.liveness = MAX_LIVENESS;
        id = _create(params);
        assertEq(registry.getPledge(id).liveness, MAX_LIVENESS);
    }

    function test_createPledge_revertsWhenTokenZero() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.token = IERC20(address(0));
        vm.expectRevert(IPledgeRegistry.TokenZero.selector);
        vm.prank(pledger);
        registry.createPledge(params);
    }

    function test_createPledge_revertsWhenBondZero() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.bond = 0;
        vm.expectRevert(IPledgeRegistry.BondZero.selector);
        vm.prank(pledger);
        registry.createPledge(params);
    }

    function test_createPledge_revertsWhenExpiryInPast() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.expiry = uint64(block.timestamp - 1);
        _fund(pledger, BOND);
        vm.expectRevert(
            abi.encodeWithSelector(IPledgeRegistry.ExpiryNotInFuture.selector, block.timestamp - 1, block.timestamp)
        );
        vm.prank(pledger);
        registry.createPledge(params);
    }

    function test_createPledge_revertsWhenExpiryIsNow() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.expiry = uint64(block.timestamp);
        _fund(pledger, BOND);
        vm.expectRevert(
            abi.encodeWithSelector(IPledgeRegistry.ExpiryNotInFuture.selector, block.timestamp, block.timestamp)
        );
        vm.prank(pledger);
        registry.createPledge(params);
    }

    function test_createPledge_revertsWhenGraceTooLong() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.grace = MAX_GRACE + 1;
        _fund(pledger, BOND);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.GraceTooLong.selector, MAX_GRACE + 1, MAX_GRACE));
        vm.prank(pledger);
        registry.createPledge(params);
    }

    function test_createPledge_revertsWhenLivenessBelowMin() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.liveness = MIN_LIVENESS - 1;
        _fund(pledger, BOND);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPledgeRegistry.LivenessOutOfRange.selector, MIN_LIVENESS - 1, MIN_LIVENESS, MAX_LIVENESS
            )
        );
        vm.prank(pledger);
        registry.createPledge(params);
    }

    function test_createPledge_revertsWhenLivenessAboveMax() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.liveness = MAX_LIVENESS + 1;
        _fund(pledger, BOND);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPledgeRegistry.LivenessOutOfRange.selector, MAX_LIVENESS + 1, MIN_LIVENESS, MAX_LIVENESS
            )
        );
        vm.prank(pledger);
        registry.createPledge(params);
    }

    function test_createPledge_revertsWhenChallengeBondZero() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.challengeBond = 0;
        _fund(pledger, BOND);
        vm.expectRevert(IPledgeRegistry.ChallengeBondZero.selector);
        vm.prank(pledger);
        registry.createPledge(params);
    }

    function test_createPledge_revertsWhenArbiterZero() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.arbiter = IArbiter(address(0));
        _fund(pledger, BOND);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.ArbiterInvalid.selector, address(0)));
        vm.prank(pledger);
        registry.createPledge(params);
    }

    function test_createPledge_revertsWhenArbiterIsPledger() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.arbiter = IArbiter(pledger);
        _fund(pledger, BOND);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.ArbiterInvalid.selector, pledger));
        vm.prank(pledger);
        registry.createPledge(params);
    }

    function test_createPledge_revertsWhenBeneficiaryIsPledger() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.beneficiary = pledger;
        _fund(pledger, BOND);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.BeneficiaryIsPledger.selector, pledger));
        vm.prank(pledger);
        registry.createPledge(params);
    }

    function test_createPledge_revertsWithoutAllowance() public {
        token.mint(pledger, BOND);
        vm.expectRevert(
            abi.encodeWithSignature(
                "ERC20InsufficientAllowance(address,uint256,uint256)", address(registry), 0, uint256(BOND)
            )
        );
        vm.prank(pledger);
        registry.createPledge(_params());
        assertEq(registry.pledgeCount(), 0);
    }

    // ================================================================= topUp

    function test_topUp_addsToBondWhenActive() public {
        PledgeId id = _create();
        _fund(pledger, 1_000);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.BondToppedUp(id, 1_000, uint256(BOND) + 1_000);
        vm.prank(pledger);
        registry.topUp(id, 1_000);
        assertEq(registry.getPledge(id).bond, uint256(BOND) + 1_000);
        assertEq(_balance(pledger), 0);
        assertEq(_balance(address(registry)), uint256(BOND) + 1_000);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
    }

    function test_topUp_allowedWhileChallengedAndDisputed() public {
        PledgeId id = _create();
        _challenge(id);
        _fund(pledger, 3);
        vm.prank(pledger);
        registry.topUp(id, 1);
        _dispute(id);
        vm.prank(pledger);
        registry.topUp(id, 2);
        assertEq(registry.getPledge(id).bond, uint256(BOND) + 3);
        _assertState(id, IPledgeRegistry.PledgeState.Disputed);
    }

    function test_topUp_revertsForUnknownPledge() public {
        _expectUnknown(UNKNOWN);
        vm.prank(pledger);
        registry.topUp(UNKNOWN, 1);
        _expectUnknown(PledgeId.wrap(0));
        registry.topUp(PledgeId.wrap(0), 1);
    }

    function test_topUp_revertsWhenCallerNotPledger() public {
        PledgeId id = _create();
        _fund(stranger, 1);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.CallerNotPledger.selector, id, stranger, pledger));
        vm.prank(stranger);
        registry.topUp(id, 1);
    }

    function test_topUp_revertsWhenAmountZero() public {
        PledgeId id = _create();
        vm.expectRevert(IPledgeRegistry.BondZero.selector);
        vm.prank(pledger);
        registry.topUp(id, 0);
    }

    function test_topUp_revertsWhenBondWouldExceedUint128() public {
        PledgeId id = _create();
        uint128 amount = type(uint128).max - BOND + 1;
        _fund(pledger, amount);
        vm.expectRevert(
            abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 128, uint256(type(uint128).max) + 1)
        );
        vm.prank(pledger);
        registry.topUp(id, amount);
    }

    function test_topUp_revertsOutsideActiveChallengedDisputed() public {
        IPledgeRegistry.PledgeState[8] memory states = _knownStates();
        for (uint256 i = 0; i < states.length; ++i) {
            if (ALLOWED_TOP_UP & (1 << uint8(states[i])) != 0) continue;
            PledgeId id = _pledgeIn(states[i]);
            _fund(pledger, 1);
            _expectUnexpectedState(id, states[i], ALLOWED_TOP_UP);
            vm.prank(pledger);
            registry.topUp(id, 1);
        }
    }

    // ============================================================== finalize

    function test_finalize_honorsAtGraceEndAndCreditsPledger() public {
        PledgeId id = _create();
        _fund(pledger, 1_000);
        vm.prank(pledger);
        registry.topUp(id, 1_000);
        uint256 bond = uint256(BOND) + 1_000;

        vm.warp(START + TERM + GRACE);
        _assertState(id, IPledgeRegistry.PledgeState.Releasable);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.PledgeHonored(id, pledger, bond);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.ClaimCredited(pledger, token, bond);
        vm.prank(stranger); // permissionless
        IPledgeRegistry.Outcome outcome = registry.finalize(id);

        assertEq(uint256(outcome), uint256(IPledgeRegistry.Outcome.Honored));
        assertEq(uint256(registry.getPledge(id).outcome), uint256(IPledgeRegistry.Outcome.Honored));
        _assertState(id, IPledgeRegistry.PledgeState.Honored);
        assertEq(_claimable(pledger), bond, "pledger gets bond incl. top-up");
        assertEq(_claimable(beneficiary), 0);
        assertEq(_claimable(stranger), 0);

        vm.prank(pledger);
        assertEq(registry.claim(token, pledger), bond);
        assertEq(_balance(pledger), bond);
        assertEq(_balance(address(registry)), 0);
    }

    function test_finalize_slashesUndisputedBreach() public {
        PledgeId id = _create();
        _challenge(id);
        vm.warp(block.timestamp + LIVENESS);

        vm.expectEmit(address(registry));
        emit IPledgeRegistry.PledgeSlashed(id, challenger, BOND, REWARD, BENEFICIARY_SHARE, beneficiary);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.ClaimCredited(challenger, token, CHALLENGE_BOND + REWARD);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.ClaimCredited(beneficiary, token, BENEFICIARY_SHARE);
        vm.prank(stranger);
        IPledgeRegistry.Outcome outcome = registry.finalize(id);

        assertEq(uint256(outcome), uint256(IPledgeRegistry.Outcome.Breached));
        _assertState(id, IPledgeRegistry.PledgeState.Breached);
        assertEq(_claimable(challenger), 133_457, "challenger: own bond 10_001 + reward 123_456");
        assertEq(_claimable(beneficiary), 1_111_111, "beneficiary: bond less reward");
        assertEq(_claimable(pledger), 0);
        assertEq(_claimable(treasury), 0);
        assertEq(_claimable(BURN), 0);
        assertEq(_balance(address(registry)), 133_457 + 1_111_111, "escrow holds exactly the credits");
    }

    function test_finalize_slashIncludesTopUps() public {
        PledgeId id = _create();
        _fund(pledger, 3);
        vm.prank(pledger);
        registry.topUp(id, 3); // bond 1_234_570: reward floor(123_457.0) = 123_457
        _challenge(id);
        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(id);
        assertEq(_claimable(challenger), 10_001 + 123_457);
        assertEq(_claimable(beneficiary), 1_234_570 - 123_457);
    }

    function test_finalize_burnsBeneficiaryShareWhenNoBeneficiary() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.beneficiary = address(0);
        PledgeId id = _create(params);
        _challenge(id);
        vm.warp(block.timestamp + LIVENESS);

        vm.expectEmit(address(registry));
        emit IPledgeRegistry.PledgeSlashed(id, challenger, BOND, REWARD, BENEFICIARY_SHARE, BURN);
        registry.finalize(id);
        assertEq(_claimable(BURN), BENEFICIARY_SHARE);
        assertEq(_claimable(address(0)), 0);
        assertEq(_claimable(challenger), CHALLENGE_BOND + REWARD);

        vm.expectEmit(address(registry));
        emit IPledgeRegistry.BurnFlushed(token, BENEFICIARY_SHARE);
        vm.prank(stranger); // permissionless
        uint256 flushed = registry.flushBurned(token);
        assertEq(flushed, BENEFICIARY_SHARE);
        assertEq(_balance(BURN), BENEFICIARY_SHARE);
        assertEq(_claimable(BURN), 0);
        assertEq(_balance(address(registry)), CHALLENGE_BOND + REWARD);
    }

    function test_finalize_revertsForUnknownPledge() public {
        _expectUnknown(UNKNOWN);
        registry.finalize(UNKNOWN);
    }

    function test_finalize_revertsOutsideSlashableReleasable() public {
        IPledgeRegistry.PledgeState[8] memory states = _knownStates();
        for (uint256 i = 0; i < states.length; ++i) {
            if (ALLOWED_FINALIZE & (1 << uint8(states[i])) != 0) continue;
            PledgeId id = _pledgeIn(states[i]);
            _expectUnexpectedState(id, states[i], ALLOWED_FINALIZE);
            registry.finalize(id);
        }
    }

    function test_finalize_revertsOneSecondBeforeGraceEnd() public {
        PledgeId id = _create();
        vm.warp(START + TERM + GRACE - 1);
        _expectUnexpectedState(id, IPledgeRegistry.PledgeState.Active, ALLOWED_FINALIZE);
        registry.finalize(id);
    }

    // ============================================================= challenge

    function test_challenge_opensChallengeAndPullsBond() public {
        PledgeId id = _create();
        _fund(challenger, CHALLENGE_BOND + 7);
        vm.warp(START + 100);

        vm.expectEmit(address(registry));
        emit IOptimisticResolution.PledgeChallenged(
            id, ChallengeId.wrap(1), challenger, CHALLENGE_BOND, uint64(START + 100 + LIVENESS), EVIDENCE_URI
        );
        vm.prank(challenger);
        ChallengeId cid = registry.challenge(id, EVIDENCE_URI, CHALLENGE_BOND); // maxBond == required: accepted

        assertEq(ChallengeId.unwrap(cid), 1);
        assertEq(ChallengeId.unwrap(registry.openChallenge(id)), 1);
        assertEq(registry.getPledge(id).openChallenge, 1);
        _assertState(id, IPledgeRegistry.PledgeState.Challenged);
        IOptimisticResolution.Challenge memory c = registry.getChallenge(cid);
        assertEq(c.challenger, challenger);
        assertEq(c.challengedAt, START + 100);
        assertEq(c.disputer, address(0));
        assertEq(c.disputedAt, 0);
        assertEq(c.bond, CHALLENGE_BOND);
        assertEq(c.pledgeId, 1);
        assertEq(_balance(challenger), 7);
        assertEq(_balance(address(registry)), uint256(BOND) + CHALLENGE_BOND);
    }

    function test_challenge_revertsAboveMaxBond() public {
        PledgeId id = _create();
        _fund(challenger, CHALLENGE_BOND);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimisticResolution.ChallengeBondAboveMax.selector, id, CHALLENGE_BOND, CHALLENGE_BOND - 1
            )
        );
        vm.prank(challenger);
        registry.challenge(id, EVIDENCE_URI, CHALLENGE_BOND - 1);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
        assertEq(_balance(challenger), CHALLENGE_BOND);
        assertEq(_balance(address(registry)), BOND);
    }

    function test_challenge_worksOneSecondBeforeGraceEnd() public {
        PledgeId id = _create();
        vm.warp(START + TERM + GRACE - 1);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
        _challenge(id);
        _assertState(id, IPledgeRegistry.PledgeState.Challenged);
    }

    function test_challenge_revertsAtGraceEnd() public {
        PledgeId id = _create();
        vm.warp(START + TERM + GRACE);
        _fund(challenger, CHALLENGE_BOND);
        _expectUnexpectedState(id, IPledgeRegistry.PledgeState.Releasable, ALLOWED_CHALLENGE);
        vm.prank(challenger);
        registry.challenge(id, EVIDENCE_URI, type(uint256).max);
    }

    function test_challenge_revertsForUnknownPledge() public {
        _expectUnknown(UNKNOWN);
        vm.prank(challenger);
        registry.challenge(UNKNOWN, EVIDENCE_URI, type(uint256).max);
    }

    function test_challenge_revertsWhenChallengerIsPledger() public {
        PledgeId id = _create();
        _fund(pledger, CHALLENGE_BOND);
        vm.expectRevert(abi.encodeWithSelector(IOptimisticResolution.ChallengerIsPledger.selector, id, pledger));
        vm.prank(pledger);
        registry.challenge(id, EVIDENCE_URI, type(uint256).max);
    }

    function test_challenge_revertsOutsideActive() public {
        IPledgeRegistry.PledgeState[8] memory states = _knownStates();
        for (uint256 i = 0; i < states.length; ++i) {
            if (ALLOWED_CHALLENGE & (1 << uint8(states[i])) != 0) continue;
            PledgeId id = _pledgeIn(states[i]);
            _fund(stranger, 1 << 20);
            _expectUnexpectedState(id, states[i], ALLOWED_CHALLENGE);
            vm.prank(stranger);
            registry.challenge(id, EVIDENCE_URI, type(uint256).max);
        }
    }

    // =============================================================== dispute

    function test_dispute_matchesBondAndNotifiesArbiter() public {
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        _fund(disputer, CHALLENGE_BOND);
        vm.warp(block.timestamp + 10);

        vm.expectEmit(address(registry));
        emit IOptimisticResolution.ChallengeDisputed(
            id, cid, disputer, CHALLENGE_BOND, uint64(block.timestamp + TIMEOUT)
        );
        vm.prank(disputer);
        registry.dispute(id);

        _assertState(id, IPledgeRegistry.PledgeState.Disputed);
        IOptimisticResolution.Challenge memory c = registry.getChallenge(cid);
        assertEq(c.disputer, disputer);
        assertEq(c.disputedAt, block.timestamp);
        assertEq(c.challenger, challenger);
        assertEq(arbiter.disputesReceived(), 1);
        assertEq(ChallengeId.unwrap(arbiter.lastChallenge()), ChallengeId.unwrap(cid));
        assertEq(_balance(disputer), 0);
        assertEq(_balance(address(registry)), uint256(BOND) + 2 * uint256(CHALLENGE_BOND));
    }

    function test_dispute_worksOneSecondBeforeLivenessEnds() public {
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        vm.warp(registry.getChallenge(cid).challengedAt + LIVENESS - 1);
        _assertState(id, IPledgeRegistry.PledgeState.Challenged);
        _dispute(id);
        _assertState(id, IPledgeRegistry.PledgeState.Disputed);
    }

    function test_dispute_revertsWhenLivenessEndsAndFinalizeSlashes() public {
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        vm.warp(registry.getChallenge(cid).challengedAt + LIVENESS);
        _fund(disputer, CHALLENGE_BOND);
        _expectUnexpectedState(id, IPledgeRegistry.PledgeState.Slashable, ALLOWED_DISPUTE);
        vm.prank(disputer);
        registry.dispute(id);

        assertEq(uint256(registry.finalize(id)), uint256(IPledgeRegistry.Outcome.Breached));
        assertEq(_claimable(challenger), CHALLENGE_BOND + REWARD);
    }

    function test_dispute_revertsForUnknownPledge() public {
        _expectUnknown(UNKNOWN);
        vm.prank(disputer);
        registry.dispute(UNKNOWN);
    }

    function test_dispute_revertsOutsideChallenged() public {
        IPledgeRegistry.PledgeState[8] memory states = _knownStates();
        for (uint256 i = 0; i < states.length; ++i) {
            if (ALLOWED_DISPUTE & (1 << uint8(states[i])) != 0) continue;
            PledgeId id = _pledgeIn(states[i]);
            _fund(stranger, CHALLENGE_BOND);
            _expectUnexpectedState(id, states[i], ALLOWED_DISPUTE);
            vm.prank(stranger);
            registry.dispute(id);
        }
    }

    // ================================================================== rule

    function test_rule_upheldPaysChallengerBothBondsLessFeePlusReward() public {
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        _dispute(id);

        vm.expectEmit(address(registry));
        emit IOptimisticResolution.ChallengeRuled(id, cid, address(arbiter), true);
        vm.expectEmit(address(registry));
        emit IOptimisticResolution.DisputeBondsSettled(cid, challenger, DISPUTE_WIN, FEE, treasury);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.ClaimCredited(treasury, token, FEE);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.PledgeSlashed(id, challenger, BOND, REWARD, BENEFICIARY_SHARE, beneficiary);
        _rule(cid, true);

        _assertState(id, IPledgeRegistry.PledgeState.Breached);
        assertEq(_claimable(challenger), 142_957, "2 * 10_001 - 501 + 123_456");
        assertEq(_claimable(treasury), 501, "fee: ceil(10_001 * 5%)");
        assertEq(_claimable(beneficiary), 1_111_111);
        assertEq(_claimable(disputer), 0);
        assertEq(_claimable(pledger), 0);
        assertEq(_claimable(BURN), 0);
        assertEq(_balance(address(registry)), 142_957 + 501 + 1_111_111);
    }

    function test_rule_upheldBurnsFeeWithoutTreasury() public {
        IPledgeRegistry.RegistryConfig memory cfg = _config();
        cfg.treasury = address(0);
        _deploy(cfg);
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        _dispute(id);

        vm.expectEmit(address(registry));
        emit IOptimisticResolution.DisputeBondsSettled(cid, challenger, DISPUTE_WIN, FEE, BURN);
        _rule(cid, true);

        assertEq(_claimable(BURN), FEE);
        assertEq(_claimable(address(0)), 0);
        assertEq(_claimable(challenger), DISPUTE_WIN + REWARD);
        assertEq(registry.flushBurned(token), FEE);
        assertEq(_balance(BURN), FEE);
    }

    function test_rule_rejectedPaysDisputerAndEscalatesNextBond() public {
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        _dispute(id);

        vm.expectEmit(address(registry));
        emit IOptimisticResolution.ChallengeRuled(id, cid, address(arbiter), false);
        vm.expectEmit(address(registry));
        emit IOptimisticResolution.DisputeBondsSettled(cid, disputer, DISPUTE_WIN, FEE, treasury);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.ClaimCredited(treasury, token, FEE);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.ClaimCredited(disputer, token, DISPUTE_WIN);
        _rule(cid, false);

        _assertState(id, IPledgeRegistry.PledgeState.Active);
        assertEq(_claimable(disputer), 19_501, "2 * 10_001 - 501");
        assertEq(_claimable(treasury), 501);
        assertEq(_claimable(challenger), 0);
        assertEq(_claimable(beneficiary), 0);
        assertEq(_claimable(pledger), 0);
        IPledgeRegistry.Pledge memory p = registry.getPledge(id);
        assertEq(p.openChallenge, 0);
        assertEq(p.rejectedChallenges, 1);
        assertEq(p.bond, BOND, "bond stays escrowed");
        assertEq(_balance(address(registry)), uint256(BOND) + 19_501 + 501);

        (, uint256 required) = registry.requiredChallengeBond(id);
        assertEq(required, 20_002, "doubled after one rejection");
        uint256 before = _balance(address(registry));
        ChallengeId next = _challengeAs(stranger, id);
        assertEq(registry.getChallenge(next).bond, 20_002);
        assertEq(_balance(address(registry)) - before, 20_002, "next challenger posts the doubled bond");
    }

    function test_rule_rejectionsKeepDoubling() public {
        PledgeId id = _create();
        for (uint256 i = 1; i <= 3; ++i) {
            ChallengeId cid = _challenge(id);
            _dispute(id);
            _rule(cid, false);
            (, uint256 required) = registry.requiredChallengeBond(id);
            assertEq(required, uint256(CHALLENGE_BOND) << i);
        }
        assertEq(registry.getPledge(id).rejectedChallenges, 3);
    }

    function test_rule_rejectedAfterGraceEndMakesPledgeReleasable() public {
        PledgeId id = _create();
        vm.warp(START + TERM + GRACE - 1);
        ChallengeId cid = _challenge(id);
        _dispute(id);
        vm.warp(START + TERM + GRACE); // the ruling comes after the grace period ended
        _rule(cid, false);
        _assertState(id, IPledgeRegistry.PledgeState.Releasable);
        registry.finalize(id);
        assertEq(_claimable(pledger), BOND);
    }

    function test_rule_escalationCappedAtPledgeBond() public {
        PledgeId id = _create(); // BOND = 1_234_567, CHALLENGE_BOND = 10_001
        uint256[8] memory expected = [uint256(10_001), 20_002, 40_004, 80_008, 160_016, 320_032, 640_064, 1_234_567];
        for (uint256 i = 0; i < expected.length; ++i) {
            (, uint256 required) = registry.requiredChallengeBond(id);
            assertEq(required, expected[i], "doubling until the pledge bond");
            ChallengeId cid = _challenge(id);
            assertEq(registry.getChallenge(cid).bond, expected[i], "posted bond");
            _dispute(id);
            _rule(cid, false);
        }
        (, uint256 after8) = registry.requiredChallengeBond(id);
        assertEq(after8, BOND, "stays at the pledge bond");
        assertEq(registry.getPledge(id).rejectedChallenges, 8);

        // a top-up raises the cap: 10_001 * 2^8 = 2_560_256 < BOND + 2_000_000
        _fund(pledger, 2_000_000);
        vm.prank(pledger);
        registry.topUp(id, 2_000_000);
        (, uint256 afterTopUp) = registry.requiredChallengeBond(id);
        assertEq(afterTopUp, 2_560_256);
    }

    function test_rule_baseBondAbovePledgeBondIsNotEscalated() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.challengeBond = BOND + 1;
        PledgeId id = _create(params);
        ChallengeId cid = _challenge(id);
        _dispute(id);
        _rule(cid, false);
        (, uint256 required) = registry.requiredChallengeBond(id);
        assertEq(required, BOND + 1, "cap is max(pledge bond, base bond)");
    }

    function test_rule_escalationCountSaturatesWithoutOverflow() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.challengeBond = 1;
        params.expiry = uint64(block.timestamp + 365 days);
        PledgeId id = _create(params);
        for (uint256 i = 0; i < 66; ++i) {
            ChallengeId cid = _challenge(id);
            _dispute(id);
            _rule(cid, false);
        }
        assertEq(registry.getPledge(id).rejectedChallenges, 66);
        (, uint256 required) = registry.requiredChallengeBond(id);
        assertEq(required, BOND, "1 * 2^66 capped at the pledge bond");
    }

    function test_rule_worksOneSecondBeforeTimeout() public {
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        _dispute(id);
        vm.warp(registry.getChallenge(cid).disputedAt + TIMEOUT - 1);
        _assertState(id, IPledgeRegistry.PledgeState.Disputed);
        _rule(cid, true);
        _assertState(id, IPledgeRegistry.PledgeState.Breached);
    }

    function test_rule_revertsAtTimeoutAndVoidWorks() public {
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        _dispute(id);
        vm.warp(registry.getChallenge(cid).disputedAt + TIMEOUT);
        _expectUnexpectedState(id, IPledgeRegistry.PledgeState.RulingOverdue, ALLOWED_RULE);
        _rule(cid, true);

        registry.voidChallenge(id);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
        assertEq(_claimable(challenger), CHALLENGE_BOND);
        assertEq(_claimable(disputer), CHALLENGE_BOND);
    }

    function test_rule_revertsForUnknownChallenge() public {
        vm.expectRevert(abi.encodeWithSelector(IOptimisticResolution.ChallengeUnknown.selector, ChallengeId.wrap(7)));
        _rule(ChallengeId.wrap(7), true);
        vm.expectRevert(abi.encodeWithSelector(IOptimisticResolution.ChallengeUnknown.selector, ChallengeId.wrap(0)));
        _rule(ChallengeId.wrap(0), true);
    }

    function test_rule_revertsWhenCallerNotArbiter() public {
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        _dispute(id);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimisticResolution.CallerNotArbiter.selector, cid, stranger, address(arbiter))
        );
        vm.prank(stranger);
        registry.rule(cid, true);
    }

    function test_rule_revertsOnOldChallengeAfterRejection() public {
        PledgeId id = _create();
        ChallengeId old = _challenge(id);
        _dispute(id);
        _rule(old, false);

        vm.expectRevert(
            abi.encodeWithSelector(IOptimisticResolution.ChallengeNotOpen.selector, old, ChallengeId.wrap(0))
        );
        _rule(old, true);

        ChallengeId current = _challengeAs(stranger, id);
        _dispute(id);
        vm.expectRevert(abi.encodeWithSelector(IOptimisticResolution.ChallengeNotOpen.selector, old, current));
        _rule(old, true);
        _assertState(id, IPledgeRegistry.PledgeState.Disputed);
    }

    function test_rule_revertsOutsideDisputed() public {
        // Challenged, Slashable, RulingOverdue and Breached have an open challenge to rule on.
        IPledgeRegistry.PledgeState[4] memory states = [
            IPledgeRegistry.PledgeState.Challenged,
            IPledgeRegistry.PledgeState.Slashable,
            IPledgeRegistry.PledgeState.RulingOverdue,
            IPledgeRegistry.PledgeState.Breached
        ];
        for (uint256 i = 0; i < states.length; ++i) {
            PledgeId id = _pledgeIn(states[i]);
            ChallengeId cid = registry.openChallenge(id);
            _expectUnexpectedState(id, states[i], ALLOWED_RULE);
            _rule(cid, false);
        }
    }

    function test_rule_revertsWhenRuledTwice() public {
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        _dispute(id);
        _rule(cid, true);
        _expectUnexpectedState(id, IPledgeRegistry.PledgeState.Breached, ALLOWED_RULE);
        _rule(cid, false);
        assertEq(_claimable(disputer), 0);
    }

    // ========================================================= voidChallenge

    function test_voidChallenge_refundsBothBondsWithoutEscalation() public {
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        _dispute(id);
        vm.warp(registry.getChallenge(cid).disputedAt + TIMEOUT);

        vm.expectEmit(address(registry));
        emit IOptimisticResolution.ChallengeVoided(id, cid);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.ClaimCredited(challenger, token, CHALLENGE_BOND);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.ClaimCredited(disputer, token, CHALLENGE_BOND);
        vm.prank(stranger); // permissionless
        registry.voidChallenge(id);

        _assertState(id, IPledgeRegistry.PledgeState.Active);
        assertEq(_claimable(challenger), CHALLENGE_BOND);
        assertEq(_claimable(disputer), CHALLENGE_BOND);
        assertEq(_claimable(treasury), 0, "no fee on a void");
        assertEq(_claimable(beneficiary), 0);
        IPledgeRegistry.Pledge memory p = registry.getPledge(id);
        assertEq(p.openChallenge, 0);
        assertEq(p.rejectedChallenges, 0);
        (, uint256 required) = registry.requiredChallengeBond(id);
        assertEq(required, CHALLENGE_BOND, "no escalation");
        assertEq(_balance(address(registry)), uint256(BOND) + 2 * uint256(CHALLENGE_BOND));
    }

    function test_voidChallenge_afterGraceEndMakesPledgeReleasable() public {
        PledgeId id = _create();
        vm.warp(START + TERM + GRACE - 1);
        _challenge(id);
        _dispute(id);
        vm.warp(block.timestamp + TIMEOUT);
        registry.voidChallenge(id);
        _assertState(id, IPledgeRegistry.PledgeState.Releasable);
    }

    function test_voidChallenge_revertsOneSecondBeforeTimeout() public {
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        _dispute(id);
        vm.warp(registry.getChallenge(cid).disputedAt + TIMEOUT - 1);
        _expectUnexpectedState(id, IPledgeRegistry.PledgeState.Disputed, ALLOWED_VOID);
        registry.voidChallenge(id);
    }

    function test_voidChallenge_revertsForUnknownPledge() public {
        _expectUnknown(UNKNOWN);
        registry.voidChallenge(UNKNOWN);
    }

    function test_voidChallenge_revertsOutsideRulingOverdue() public {
        IPledgeRegistry.PledgeState[8] memory states = _knownStates();
        for (uint256 i = 0; i < states.length; ++i) {
            if (ALLOWED_VOID & (1 << uint8(states[i])) != 0) continue;
            PledgeId id = _pledgeIn(states[i]);
            _expectUnexpectedState(id, states[i], ALLOWED_VOID);
            registry.voidChallenge(id);
        }
    }

    // ================================================================= claim

    function test_claim_paysWholeBalanceToRecipient() public {
        _pledgeIn(IPledgeRegistry.PledgeState.Breached); // the beneficiary holds BENEFICIARY_SHARE
        address to = makeAddr("cold wallet");

        vm.expectEmit(address(registry));
        emit IPledgeRegistry.Claimed(beneficiary, token, to, BENEFICIARY_SHARE);
        vm.prank(beneficiary);
        uint256 paid = registry.claim(token, to);

        assertEq(paid, BENEFICIARY_SHARE);
        assertEq(_balance(to), BENEFICIARY_SHARE);
        assertEq(_balance(beneficiary), 0);
        assertEq(_claimable(beneficiary), 0);
        assertEq(_claimable(challenger), CHALLENGE_BOND + REWARD, "others untouched");
        assertEq(_balance(address(registry)), CHALLENGE_BOND + REWARD);
    }

    function test_claim_revertsWhenNothingToClaim() public {
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.NothingToClaim.selector, stranger, token));
        vm.prank(stranger);
        registry.claim(token, stranger);
    }

    function test_claim_revertsOnSecondClaim() public {
        _pledgeIn(IPledgeRegistry.PledgeState.Honored);
        vm.prank(pledger);
        registry.claim(token, pledger);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.NothingToClaim.selector, pledger, token));
        vm.prank(pledger);
        registry.claim(token, pledger);
        assertEq(_balance(pledger), BOND);
    }

    function test_claim_revertsWhenRecipientZero() public {
        _pledgeIn(IPledgeRegistry.PledgeState.Honored);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.ClaimRecipientInvalid.selector, address(0)));
        vm.prank(pledger);
        registry.claim(token, address(0));
        assertEq(_claimable(pledger), BOND);
    }

    function test_claim_revertsWhenRecipientIsTheRegistry() public {
        _pledgeIn(IPledgeRegistry.PledgeState.Honored);
        uint256 escrow = token.balanceOf(address(registry));
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.ClaimRecipientInvalid.selector, address(registry)));
        vm.prank(pledger);
        registry.claim(token, address(registry));
        assertEq(_claimable(pledger), BOND, "balance kept");
        assertEq(token.balanceOf(address(registry)), escrow);
    }

    function test_claim_isPerToken() public {
        _pledgeIn(IPledgeRegistry.PledgeState.Honored);
        IERC20 other = IERC20(makeAddr("other token"));
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.NothingToClaim.selector, pledger, other));
        vm.prank(pledger);
        registry.claim(other, pledger);
        assertEq(_claimable(pledger), BOND);
    }

    // =========================================================== flushBurned

    function test_flushBurned_revertsWhenNothingBurned() public {
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.NothingToClaim.selector, BURN, token));
        registry.flushBurned(token);
    }

    function test_flushBurned_sendsAccumulatedBurnsOnce() public {
        IPledgeRegistry.RegistryConfig memory cfg = _config();
        cfg.treasury = address(0);
        _deploy(cfg);
        IPledgeRegistry.PledgeParams memory params = _params();
        params.beneficiary = address(0);
        PledgeId id = _create(params);
        ChallengeId cid = _challenge(id);
        _dispute(id);
        _rule(cid, true);
        assertEq(_claimable(BURN), FEE + BENEFICIARY_SHARE, "fee and slashed share both burned");

        assertEq(registry.flushBurned(token), FEE + BENEFICIARY_SHARE);
        assertEq(_balance(BURN), FEE + BENEFICIARY_SHARE);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.NothingToClaim.selector, BURN, token));
        registry.flushBurned(token);
    }

    // ================================================================= views

    function test_views_unknownIdsReadAsEmpty() public {
        _create();
        _assertState(UNKNOWN, IPledgeRegistry.PledgeState.None);
        assertEq(registry.getPledge(UNKNOWN).pledger, address(0));
        assertEq(registry.getPledge(UNKNOWN).bond, 0);
        assertEq(ChallengeId.unwrap(registry.openChallenge(UNKNOWN)), 0);
        assertEq(registry.getChallenge(ChallengeId.wrap(5)).challenger, address(0));
        _expectUnknown(UNKNOWN);
        registry.requiredChallengeBond(UNKNOWN);
    }
}
