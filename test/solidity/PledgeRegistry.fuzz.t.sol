// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOptimisticResolution} from "../../contracts/interfaces/IOptimisticResolution.sol";
import {IPledgeRegistry} from "../../contracts/interfaces/IPledgeRegistry.sol";
import {ChallengeId, PledgeId} from "../../contracts/types/Ids.sol";
import {RegistryFixture} from "./utils/RegistryFixture.sol";

/// @notice Fuzz tests of PledgeRegistry. Each run deploys a registry with a fuzzed configuration and
/// drives one pledge down one resolution branch, then checks conservation (credits plus escrow equal the
/// tokens that went in, to the wei), that each party is credited exactly what the rules grant, and that
/// every balance can be withdrawn. Boundary tests fuzz the windows and the clock around each deadline.
contract PledgeRegistryFuzzTest is RegistryFixture {
    enum Branch {
        UndisputedBreach,
        UpheldDispute,
        RejectedDispute,
        VoidedDispute,
        Honored
    }

    /// @dev One fuzzed scenario and its ledger.
    struct Run {
        uint256 bond; // initial bond + top-up
        uint256 topUp;
        uint256 challengeBond;
        uint256 rewardBps;
        uint256 feeBps;
        address beneficiaryOrBurn;
        address treasuryOrBurn;
        uint256 tokensIn;
        PledgeId id;
    }

    // ============================================================= scenario

    function _setUpRun(
        uint128 bond,
        uint128 topUp,
        uint128 challengeBond,
        uint16 rewardBps,
        uint16 feeBps,
        bool noBeneficiary,
        bool noTreasury
    ) internal returns (Run memory r) {
        r.rewardBps = bound(rewardBps, 0, BPS);
        r.feeBps = bound(feeBps, 0, BPS);
        IPledgeRegistry.RegistryConfig memory cfg = _config();
        cfg.challengerRewardBps = uint16(r.rewardBps);
        cfg.disputeFeeBps = uint16(r.feeBps);
        if (noTreasury) cfg.treasury = address(0);
        _deploy(cfg);

        uint256 initial = bound(bond, 1, uint256(1) << 127);
        r.topUp = bound(topUp, 0, (uint256(1) << 127) - 1); // initial + topUp < 2^128
        r.bond = initial + r.topUp;
        r.challengeBond = bound(challengeBond, 1, type(uint128).max);
        r.beneficiaryOrBurn = noBeneficiary ? BURN : beneficiary;
        r.treasuryOrBurn = noTreasury ? BURN : treasury;

        IPledgeRegistry.PledgeParams memory params = _params();
        params.bond = uint128(initial);
        params.resolution.challengeBond = uint128(r.challengeBond);
        if (noBeneficiary) params.beneficiary = address(0);
        r.id = _create(params);
        r.tokensIn = initial;
        if (r.topUp > 0) {
            _fund(pledger, r.topUp);
            vm.prank(pledger);
            registry.topUp(r.id, uint128(r.topUp));
            r.tokensIn += r.topUp;
        }
    }

    /// @dev Drives the run's pledge down `branch` and returns what is still escrowed as the pledge's bond.
    function _resolve(Run memory r, Branch branch) internal returns (uint256 escrowed) {
        if (branch == Branch.Honored) {
            vm.warp(_end(r.id));
            assertEq(uint256(registry.finalize(r.id)), uint256(IPledgeRegistry.Outcome.Honored));
            return 0;
        }
        ChallengeId cid = _challenge(r.id);
        r.tokensIn += r.challengeBond;
        if (branch == Branch.UndisputedBreach) {
            vm.warp(block.timestamp + LIVENESS);
            assertEq(uint256(registry.finalize(r.id)), uint256(IPledgeRegistry.Outcome.Breached));
            return 0;
        }
        _dispute(r.id);
        r.tokensIn += r.challengeBond;
        if (branch == Branch.VoidedDispute) {
            vm.warp(block.timestamp + TIMEOUT);
            registry.voidChallenge(r.id);
            return r.bond;
        }
        _rule(cid, branch == Branch.UpheldDispute);
        return branch == Branch.UpheldDispute ? 0 : r.bond;
    }

    /// @dev What the rules grant each party in `branch`, worked out from the spec.
    function _expected(Run memory r, Branch branch)
        internal
        pure
        returns (uint256 toPledger, uint256 toBeneficiary, uint256 toChallenger, uint256 toDisputer, uint256 fee)
    {
        uint256 reward = r.bond * r.rewardBps / BPS; // floor: dust stays with the beneficiary
        uint256 disputeFee = _ceilFee(r.challengeBond, r.feeBps); // ceil: rounds against the winner
        if (branch == Branch.Honored) return (r.bond, 0, 0, 0, 0);
        if (branch == Branch.UndisputedBreach) return (0, r.bond - reward, r.challengeBond + reward, 0, 0);
        if (branch == Branch.UpheldDispute) {
            return (0, r.bond - reward, 2 * r.challengeBond - disputeFee + reward, 0, disputeFee);
        }
        if (branch == Branch.RejectedDispute) return (0, 0, 0, 2 * r.challengeBond - disputeFee, disputeFee);
        return (0, 0, r.challengeBond, r.challengeBond, 0); // voided
    }

    function _sumClaimable() internal view returns (uint256) {
        return _claimable(pledger) + _claimable(beneficiary) + _claimable(challenger) + _claimable(disputer)
            + _claimable(treasury) + _claimable(BURN);
    }

    function _checkSettlement(Run memory r, Branch branch, uint256 escrowed) internal {
        (uint256 toPledger, uint256 toBeneficiary, uint256 toChallenger, uint256 toDisputer, uint256 fee) =
            _expected(r, branch);

        // Conservation: every token that went in is credited or still escrowed, and the registry holds exactly that.
        uint256 credited = _sumClaimable();
        assertEq(credited + escrowed, r.tokensIn, "credits + escrow != tokens in");
        assertEq(_balance(address(registry)), credited + escrowed, "balance != credits + escrow");

        // Each party gets exactly what the rules grant (so none gets more).
        assertEq(_claimable(pledger), toPledger, "pledger");
        assertEq(_claimable(challenger), toChallenger, "challenger");
        assertEq(_claimable(disputer), toDisputer, "disputer");
        uint256 toBurn = (r.beneficiaryOrBurn == BURN ? toBeneficiary : 0) + (r.treasuryOrBurn == BURN ? fee : 0);
        assertEq(_claimable(BURN), toBurn, "burn");
        assertEq(_claimable(beneficiary), r.beneficiaryOrBurn == BURN ? 0 : toBeneficiary, "beneficiary");
        assertEq(_claimable(treasury), r.treasuryOrBurn == BURN ? 0 : fee, "treasury");
        assertEq(_claimable(address(0)), 0, "zero address");
        assertEq(_claimable(stranger), 0, "stranger");

        // Every credit can be withdrawn; afterwards only the escrowed bond remains.
        _claimAll();
        assertEq(_balance(address(registry)), escrowed, "left after claims");
        assertEq(_balance(BURN), toBurn);
        assertEq(_balance(challenger), toChallenger);
        assertEq(_balance(disputer), toDisputer);
    }

    function _claimAll() internal {
        address[5] memory parties = [pledger, beneficiary, challenger, disputer, treasury];
        for (uint256 i = 0; i < parties.length; ++i) {
            if (_claimable(parties[i]) == 0) continue;
            vm.prank(parties[i]);
            registry.claim(token, parties[i]);
        }
        if (_claimable(BURN) != 0) registry.flushBurned(token);
    }

    /// @dev After a rejected or voided dispute the bond is still escrowed: honor the pledge and drain it.
    function _drainEscrow(Run memory r) internal {
        vm.warp(_end(r.id) > block.timestamp ? _end(r.id) : block.timestamp);
        registry.finalize(r.id);
        assertEq(_claimable(pledger), r.bond);
        vm.prank(pledger);
        registry.claim(token, pledger);
        assertEq(_balance(address(registry)), 0, "registry drained");
    }

    function _runBranch(
        Branch branch,
        uint128 bond,
        uint128 topUp,
        uint128 challengeBond,
        uint16 rewardBps,
        uint16 feeBps,
        bool noBeneficiary,
        bool noTreasury
    ) internal {
        Run memory r = _setUpRun(bond, topUp, challengeBond, rewardBps, feeBps, noBeneficiary, noTreasury);
        uint256 escrowed = _resolve(r, branch);
        _checkSettlement(r, branch, escrowed);
        if (escrowed != 0) _drainEscrow(r);
    }

    // =========================================================== conservation

    function testFuzz_undisputedBreach_conservesTokens(
        uint128 bond,
        uint128 topUp,
        uint128 challengeBond,
        uint16 rewardBps,
        uint16 feeBps,
        bool noBeneficiary,
        bool noTreasury
    ) public {
        _runBranch(Branch.UndisputedBreach, bond, topUp, challengeBond, rewardBps, feeBps, noBeneficiary, noTreasury);
    }

    function testFuzz_upheldDispute_conservesTokens(
        uint128 bond,
        uint128 topUp,
        uint128 challengeBond,
        uint16 rewardBps,
        uint16 feeBps,
        bool noBeneficiary,
        bool noTreasury
    ) public {
        _runBranch(Branch.UpheldDispute, bond, topUp, challengeBond, rewardBps, feeBps, noBeneficiary, noTreasury);
    }

    function testFuzz_rejectedDispute_conservesTokensAndEscalates(
        uint128 bond,
        uint128 topUp,
        uint128 challengeBond,
        uint16 rewardBps,
        uint16 feeBps,
        bool noBeneficiary,
        bool noTreasury
    ) public {
        Run memory r = _setUpRun(bond, topUp, challengeBond, rewardBps, feeBps, noBeneficiary, noTreasury);
        uint256 escrowed = _resolve(r, Branch.RejectedDispute);
        _assertState(r.id, IPledgeRegistry.PledgeState.Active);
        (, uint256 required) = registry.requiredChallengeBond(r.id);
        uint256 doubled = 2 * r.challengeBond;
        uint256 cap = r.bond > r.challengeBond ? r.bond : r.challengeBond;
        assertEq(required, doubled > cap ? cap : doubled, "next bond doubled, capped at max(bond, base)");
        _checkSettlement(r, Branch.RejectedDispute, escrowed);
        _drainEscrow(r);
    }

    function testFuzz_voidedDispute_conservesTokensWithoutEscalation(
        uint128 bond,
        uint128 topUp,
        uint128 challengeBond,
        uint16 rewardBps,
        uint16 feeBps,
        bool noBeneficiary,
        bool noTreasury
    ) public {
        Run memory r = _setUpRun(bond, topUp, challengeBond, rewardBps, feeBps, noBeneficiary, noTreasury);
        uint256 escrowed = _resolve(r, Branch.VoidedDispute);
        (, uint256 required) = registry.requiredChallengeBond(r.id);
        assertEq(required, r.challengeBond, "void does not escalate");
        _checkSettlement(r, Branch.VoidedDispute, escrowed);
        _drainEscrow(r);
    }

    function testFuzz_honored_conservesTokens(
        uint128 bond,
        uint128 topUp,
        uint128 challengeBond,
        uint16 rewardBps,
        uint16 feeBps,
        bool noBeneficiary,
        bool noTreasury
    ) public {
        _runBranch(Branch.Honored, bond, topUp, challengeBond, rewardBps, feeBps, noBeneficiary, noTreasury);
    }

    /// @dev Several rejected challenges (each with an escalated bond), then a final challenge that wins:
    /// across all rounds the registry ends holding exactly the unclaimed credits.
    function testFuzz_rejectionsThenBreach_conservesTokens(
        uint128 bond,
        uint128 challengeBond,
        uint16 rewardBps,
        uint16 feeBps,
        uint8 rejections,
        bool finalDisputed
    ) public {
        Run memory r = _setUpRun(bond, 0, challengeBond, rewardBps, feeBps, false, false);
        uint256 rounds = bound(rejections, 0, 4);
        uint256 toDisputer;
        uint256 fees;
        for (uint256 i = 0; i < rounds; ++i) {
            ChallengeId cid = _challenge(r.id);
            uint256 b = registry.getChallenge(cid).bond;
            _dispute(r.id);
            _rule(cid, false);
            r.tokensIn += 2 * b;
            fees += _ceilFee(b, r.feeBps);
            toDisputer += 2 * b - _ceilFee(b, r.feeBps);
        }
        ChallengeId last = _challenge(r.id);
        uint256 lastBond = registry.getChallenge(last).bond;
        uint256 expectedBond = r.challengeBond << rounds;
        uint256 cap = r.bond > r.challengeBond ? r.bond : r.challengeBond;
        assertEq(lastBond, expectedBond > cap ? cap : expectedBond, "escalated bond, capped at max(bond, base)");
        r.tokensIn += lastBond;
        uint256 toChallenger = lastBond;
        if (finalDisputed) {
            _dispute(r.id);
            r.tokensIn += lastBond;
            _rule(last, true);
            uint256 lastFee = _ceilFee(lastBond, r.feeBps);
            fees += lastFee;
            toChallenger += lastBond - lastFee;
        } else {
            vm.warp(block.timestamp + LIVENESS);
            registry.finalize(r.id);
        }
        uint256 reward = r.bond * r.rewardBps / BPS;
        toChallenger += reward;

        assertEq(_sumClaimable(), r.tokensIn, "all tokens credited");
        assertEq(_balance(address(registry)), r.tokensIn, "balance == credits");
        assertEq(_claimable(challenger), toChallenger, "challenger");
        assertEq(_claimable(disputer), toDisputer, "disputer");
        assertEq(_claimable(treasury), fees, "treasury");
        assertEq(_claimable(beneficiary), r.bond - reward, "beneficiary");
        assertEq(_claimable(pledger), 0, "pledger");
        _claimAll();
        assertEq(_balance(address(registry)), 0, "registry drained");
    }

    // ============================================================ boundaries

    /// @dev A clock reading within a few seconds either side of `deadline`, never before `nowTs`.
    function _around(uint256 deadline, int256 offset, uint256 nowTs) internal pure returns (uint256 t) {
        offset = bound(offset, -3, 3);
        t = offset < 0 ? deadline - uint256(-offset) : deadline + uint256(offset);
        if (t < nowTs) t = nowTs;
    }

    function testFuzz_state_aroundGraceEnd(uint32 term, uint32 grace, int256 offset) public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.expiry = uint64(block.timestamp + bound(term, 1, 10 * 365 days));
        params.grace = uint32(bound(grace, 0, MAX_GRACE));
        PledgeId id = _create(params);
        uint256 end = uint256(params.expiry) + params.grace;
        uint256 t = _around(end, offset, block.timestamp);
        vm.warp(t);

        if (t < end) {
            _assertState(id, IPledgeRegistry.PledgeState.Active);
            _expectUnexpectedState(id, IPledgeRegistry.PledgeState.Active, ALLOWED_FINALIZE);
            registry.finalize(id);
            _challenge(id);
            _assertState(id, IPledgeRegistry.PledgeState.Challenged);
        } else {
            _assertState(id, IPledgeRegistry.PledgeState.Releasable);
            _fund(challenger, CHALLENGE_BOND);
            _expectUnexpectedState(id, IPledgeRegistry.PledgeState.Releasable, ALLOWED_CHALLENGE);
            vm.prank(challenger);
            registry.challenge(id, EVIDENCE_URI, type(uint256).max);
            assertEq(uint256(registry.finalize(id)), uint256(IPledgeRegistry.Outcome.Honored));
        }
    }

    /// @dev `maxBond` bounds what a challenger posts, at every escalation step: accepted iff it covers the
    /// required bond, and a refusal moves nothing.
    function testFuzz_challenge_maxBond(uint8 rejections, uint256 maxBond) public {
        PledgeId id = _create();
        uint256 n = bound(rejections, 0, 4);
        for (uint256 i = 0; i < n; ++i) {
            ChallengeId rejected = _challenge(id);
            _disputeAs(pledger, id);
            _rule(rejected, false);
        }
        (, uint256 required) = registry.requiredChallengeBond(id);
        maxBond = bound(maxBond, required > 2 ? required - 2 : 0, required + 2);
        _fund(challenger, required);
        uint256 held = _balance(address(registry));
        vm.prank(challenger);
        if (maxBond < required) {
            vm.expectRevert(
                abi.encodeWithSelector(IOptimisticResolution.ChallengeBondAboveMax.selector, id, required, maxBond)
            );
            registry.challenge(id, EVIDENCE_URI, maxBond);
            assertEq(_balance(address(registry)), held);
            _assertState(id, IPledgeRegistry.PledgeState.Active);
        } else {
            registry.challenge(id, EVIDENCE_URI, maxBond);
            assertEq(_balance(address(registry)), held + required);
            _assertState(id, IPledgeRegistry.PledgeState.Challenged);
        }
        assertEq(_balance(challenger) + _balance(address(registry)) - held, required);
    }

    function testFuzz_state_aroundLivenessEnd(uint32 liveness, uint32 delay, int256 offset) public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.liveness = uint32(bound(liveness, MIN_LIVENESS, MAX_LIVENESS));
        PledgeId id = _create(params);
        // Challenge anywhere in the term or grace, even at its last second.
        vm.warp(block.timestamp + bound(delay, 0, TERM + GRACE - 1));
        ChallengeId cid = _challenge(id);
        uint256 deadline = uint256(registry.getChallenge(cid).challengedAt) + params.resolution.liveness;
        uint256 t = _around(deadline, offset, block.timestamp);
        vm.warp(t);

        if (t < deadline) {
            _assertState(id, IPledgeRegistry.PledgeState.Challenged);
            _expectUnexpectedState(id, IPledgeRegistry.PledgeState.Challenged, ALLOWED_FINALIZE);
            registry.finalize(id);
            _dispute(id);
            _assertState(id, IPledgeRegistry.PledgeState.Disputed);
        } else {
            _assertState(id, IPledgeRegistry.PledgeState.Slashable);
            _fund(disputer, CHALLENGE_BOND);
            _expectUnexpectedState(id, IPledgeRegistry.PledgeState.Slashable, ALLOWED_DISPUTE);
            vm.prank(disputer);
            registry.dispute(id);
            assertEq(uint256(registry.finalize(id)), uint256(IPledgeRegistry.Outcome.Breached));
        }
    }

    /// @dev Where a pledge returns when its challenge is rejected or voided: Active within its term and
    /// grace, Releasable from `expiry + grace` on (a timeout longer than the term can end past it).
    function _activeOrReleasable(PledgeId id) internal view returns (IPledgeRegistry.PledgeState) {
        return block.timestamp < _end(id) ? IPledgeRegistry.PledgeState.Active : IPledgeRegistry.PledgeState.Releasable;
    }

    function testFuzz_state_aroundRulingDeadline(uint32 timeout, int256 offset, bool breached) public {
        IPledgeRegistry.RegistryConfig memory cfg = _config();
        cfg.arbitrationTimeout = uint32(bound(timeout, 1, 60 days));
        _deploy(cfg);
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        _dispute(id);
        uint256 deadline = uint256(registry.getChallenge(cid).disputedAt) + cfg.arbitrationTimeout;
        uint256 t = _around(deadline, offset, block.timestamp);
        vm.warp(t);

        if (t < deadline) {
            _assertState(id, IPledgeRegistry.PledgeState.Disputed);
            _expectUnexpectedState(id, IPledgeRegistry.PledgeState.Disputed, ALLOWED_VOID);
            registry.voidChallenge(id);
            _rule(cid, breached);
            _assertState(id, breached ? IPledgeRegistry.PledgeState.Breached : _activeOrReleasable(id));
        } else {
            _assertState(id, IPledgeRegistry.PledgeState.RulingOverdue);
            _expectUnexpectedState(id, IPledgeRegistry.PledgeState.RulingOverdue, ALLOWED_RULE);
            _rule(cid, breached);
            registry.voidChallenge(id);
            _assertState(id, _activeOrReleasable(id));
            assertEq(_claimable(challenger), CHALLENGE_BOND);
            assertEq(_claimable(disputer), CHALLENGE_BOND);
        }
    }

    /// @dev The derived state at any time after any sequence prefix is one of the documented states, and
    /// `challenge` is accepted exactly when the state is Active.
    function testFuzz_challenge_acceptedExactlyWhenActive(uint8 stateSeed, uint32 wait) public {
        IPledgeRegistry.PledgeState s = _knownStates()[bound(stateSeed, 0, 7)];
        PledgeId id = _pledgeIn(s);
        vm.warp(block.timestamp + bound(wait, 0, 60 days));
        IPledgeRegistry.PledgeState current = registry.state(id);
        _fund(stranger, type(uint128).max);
        if (current == IPledgeRegistry.PledgeState.Active) {
            vm.prank(stranger);
            registry.challenge(id, EVIDENCE_URI, type(uint256).max);
            _assertState(id, IPledgeRegistry.PledgeState.Challenged);
        } else {
            _expectUnexpectedState(id, current, ALLOWED_CHALLENGE);
            vm.prank(stranger);
            registry.challenge(id, EVIDENCE_URI, type(uint256).max);
        }
    }

    /// @dev The dispute fee: a share rounded up (ceil(amount * bps / 10_000)), computed without BondMath.
    function _ceilFee(uint256 amount, uint256 bps) private pure returns (uint256 fee) {
        fee = amount * bps / BPS;
        if (fee * BPS < amount * bps) fee += 1;
    }
}
