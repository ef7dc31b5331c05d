// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {console} from "forge-std/console.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IArbiter} from "../../../contracts/interfaces/IArbiter.sol";
import {IOptimisticResolution} from "../../../contracts/interfaces/IOptimisticResolution.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {IUmaOOv3Arbiter} from "../../../contracts/interfaces/IUmaOOv3Arbiter.sol";
import {IOptimisticOracleV3} from "../../../contracts/interfaces/external/IOptimisticOracleV3.sol";
import {UmaOOv3Arbiter} from "../../../contracts/resolution/adapters/UmaOOv3Arbiter.sol";
import {ChallengeId, PledgeId} from "../../../contracts/types/Ids.sol";
import {FeeOnTransferERC20} from "../../mocks/FeeOnTransferERC20.sol";
import {MockOptimisticOracleV3} from "../../mocks/MockOptimisticOracleV3.sol";
import {MockRulingRegistry} from "../../mocks/MockRulingRegistry.sol";
import {ReentrantERC20} from "../../mocks/ReentrantERC20.sol";
import {UmaOOv3Fixture} from "./UmaOOv3Fixture.sol";

/// @notice Unit tests of UmaOOv3Arbiter against a real PledgeRegistry and a mock OOv3 (a test double).
contract UmaOOv3ArbiterTest is UmaOOv3Fixture {
    // =========================================================== constructor

    function test_constructor_storesParameters() public view {
        assertEq(address(adapter.registry()), address(registry));
        assertEq(address(adapter.oracle()), address(oracle));
        assertEq(adapter.identifier(), ASSERT_TRUTH2);
        assertEq(adapter.identifier(), 0x4153534552545f54525554483200000000000000000000000000000000000000);
        assertEq(address(adapter.currency()), address(usdc));
        assertEq(adapter.liveness(), OO_LIVENESS);
        assertEq(adapter.minimumBond(), MIN_BOND);
        assertEq(adapter.requiredBond(), MIN_BOND, "configured minimum above the oracle's");
    }

    function test_constructor_revertsOnZeroAddresses() public {
        IERC20 cur = IERC20(address(usdc));
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.AddressZero.selector, "registry"));
        new UmaOOv3Arbiter(IOptimisticResolution(address(0)), oracle, ASSERT_TRUTH2, cur, OO_LIVENESS, MIN_BOND);
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.AddressZero.selector, "oracle"));
        new UmaOOv3Arbiter(registry, IOptimisticOracleV3(address(0)), ASSERT_TRUTH2, cur, OO_LIVENESS, MIN_BOND);
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.AddressZero.selector, "currency"));
        new UmaOOv3Arbiter(registry, oracle, ASSERT_TRUTH2, IERC20(address(0)), OO_LIVENESS, MIN_BOND);
    }

    function test_constructor_revertsWhenIdentifierZero() public {
        vm.expectRevert(IUmaOOv3Arbiter.IdentifierZero.selector);
        new UmaOOv3Arbiter(registry, oracle, bytes32(0), IERC20(address(usdc)), OO_LIVENESS, MIN_BOND);
    }

    function test_constructor_revertsWhenBondZero() public {
        vm.expectRevert(IUmaOOv3Arbiter.BondZero.selector);
        _newAdapter(IERC20(address(usdc)), 0);
    }

    function test_constructor_revertsWhenLivenessZeroOrNotShorterThanTimeout() public {
        IERC20 cur = IERC20(address(usdc));
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.LivenessInvalid.selector, 0, TIMEOUT));
        new UmaOOv3Arbiter(registry, oracle, ASSERT_TRUTH2, cur, 0, MIN_BOND);
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.LivenessInvalid.selector, TIMEOUT, TIMEOUT));
        new UmaOOv3Arbiter(registry, oracle, ASSERT_TRUTH2, cur, TIMEOUT, MIN_BOND);
        UmaOOv3Arbiter longest = new UmaOOv3Arbiter(registry, oracle, ASSERT_TRUTH2, cur, TIMEOUT - 1, MIN_BOND);
        assertEq(longest.liveness(), TIMEOUT - 1);
    }

    // ============================================================ onDisputed

    function test_onDisputed_recordsDisputeFromRegistry() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.arbiter = adapter;
        PledgeId id = _create(params);
        ChallengeId cid = _challenge(id);
        _fund(disputer, CHALLENGE_BOND);
        uint64 deadline = uint64(block.timestamp + TIMEOUT);

        vm.expectEmit(address(adapter));
        emit IUmaOOv3Arbiter.DisputeReceived(cid, id, deadline);
        vm.prank(disputer);
        registry.dispute(id);

        IUmaOOv3Arbiter.Dispute memory d = adapter.getDispute(cid);
        assertEq(d.pledgeId, PledgeId.unwrap(id));
        assertEq(d.rulingDeadline, deadline);
        assertEq(d.assertionId, bytes32(0));
        assertFalse(d.oracleDisputed || d.resolved || d.assertedTruthfully || d.ruled);
        _assertStatus(cid, IUmaOOv3Arbiter.DisputeStatus.AwaitingAssertion);
    }

    function test_onDisputed_needsNothingFromChallengerOrDisputer() public {
        // The challenger holds no currency and approved nothing; the dispute still goes through and no
        // currency moves: the adapter only records the dispute.
        (PledgeId id, ChallengeId cid) = _disputedPledge();
        _assertState(id, IPledgeRegistry.PledgeState.Disputed);
        assertEq(usdc.balanceOf(challenger), 0);
        assertEq(usdc.allowance(challenger, address(adapter)), 0);
        assertEq(usdc.balanceOf(address(adapter)), 0);
        assertEq(oracle.assertionCount(), 0);
        _assertStatus(cid, IUmaOOv3Arbiter.DisputeStatus.AwaitingAssertion);
    }

    function test_onDisputed_revertsWhenCallerNotRegistry() public {
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.CallerNotRegistry.selector, stranger));
        vm.prank(stranger);
        adapter.onDisputed(ChallengeId.wrap(1), PledgeId.wrap(1), uint64(block.timestamp + TIMEOUT));
        _assertStatus(ChallengeId.wrap(1), IUmaOOv3Arbiter.DisputeStatus.None);
        // The oracle cannot open a dispute either.
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.CallerNotRegistry.selector, address(oracle)));
        vm.prank(address(oracle));
        adapter.onDisputed(ChallengeId.wrap(1), PledgeId.wrap(1), uint64(block.timestamp + TIMEOUT));
    }

    function test_onDisputed_revertsWhenAlreadyKnown() public {
        (PledgeId id, ChallengeId cid) = _disputedPledge();
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.DisputeAlreadyKnown.selector, cid));
        vm.prank(address(registry));
        adapter.onDisputed(cid, id, uint64(block.timestamp + 1));
    }

    // ========================================================== assertBreach

    function test_assertBreach_postsAssertionWithExplicitIdentifier() public {
        (, ChallengeId cid) = _disputedPledge();
        bytes memory claim = adapter.claimFor(cid);
        _fundCurrency(asserter, address(adapter), MIN_BOND);
        uint64 expiresAt = uint64(block.timestamp + OO_LIVENESS);

        vm.expectEmit(true, false, true, true, address(adapter)); // the assertion id is the oracle's
        emit IUmaOOv3Arbiter.BreachAsserted(cid, bytes32(0), asserter, MIN_BOND, expiresAt);
        vm.prank(asserter);
        bytes32 aid = adapter.assertBreach(cid, MIN_BOND);

        assertEq(aid, oracle.lastAssertionId());
        MockOptimisticOracleV3.Assertion memory a = oracle.getAssertion(aid);
        assertEq(a.asserter, asserter, "the caller is the asserter");
        assertEq(a.callbackRecipient, address(adapter));
        assertEq(a.escalationManager, address(0), "UMA DVM, no escalation manager");
        assertEq(a.expirationTime, expiresAt);
        assertEq(address(a.currency), address(usdc));
        assertEq(a.bond, MIN_BOND);
        assertEq(a.identifier, ASSERT_TRUTH2);
        assertEq(a.domainId, bytes32(0));
        assertEq(a.claimHash, keccak256(claim));

        assertEq(usdc.balanceOf(asserter), 0);
        assertEq(usdc.balanceOf(address(oracle)), MIN_BOND);
        assertEq(usdc.balanceOf(address(adapter)), 0, "the adapter holds nothing");
        assertEq(usdc.allowance(address(adapter), address(oracle)), 0, "no allowance left behind");

        assertEq(adapter.getDispute(cid).assertionId, aid);
        assertEq(ChallengeId.unwrap(adapter.challengeOf(aid)), ChallengeId.unwrap(cid));
        _assertStatus(cid, IUmaOOv3Arbiter.DisputeStatus.Asserted);
    }

    function test_assertBreach_bondIsTheOracleMinimumWhenHigher() public {
        (, ChallengeId cid) = _disputedPledge();
        oracle.setMinimumBond(MIN_BOND + 1);
        assertEq(adapter.requiredBond(), MIN_BOND + 1);
        bytes32 aid = _assert(cid);
        assertEq(oracle.getAssertion(aid).bond, MIN_BOND + 1);
    }

    function test_assertBreach_revertsWhenBondAboveMax() public {
        (, ChallengeId cid) = _disputedPledge();
        _fundCurrency(asserter, address(adapter), 10 * MIN_BOND);
        oracle.setMinimumBond(MIN_BOND * 2); // raised after the caller read the bond
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.AssertionBondAboveMax.selector, MIN_BOND * 2, MIN_BOND));
        vm.prank(asserter);
        adapter.assertBreach(cid, MIN_BOND);
        assertEq(usdc.balanceOf(asserter), 10 * MIN_BOND);
    }

    function test_assertBreach_revertsWhenDisputeUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.DisputeUnknown.selector, ChallengeId.wrap(42)));
        adapter.assertBreach(ChallengeId.wrap(42), MIN_BOND);
        // Challenged but not disputed: the registry never told the adapter.
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.arbiter = adapter;
        ChallengeId cid = _challenge(_create(params));
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.DisputeUnknown.selector, cid));
        adapter.assertBreach(cid, MIN_BOND);
    }

    function test_assertBreach_revertsWhenAlreadyAsserted() public {
        (, ChallengeId cid) = _disputedPledge();
        bytes32 aid = _assert(cid);
        _fundCurrency(stranger, address(adapter), MIN_BOND);
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.BreachAlreadyAsserted.selector, cid, aid));
        vm.prank(stranger);
        adapter.assertBreach(cid, MIN_BOND);
        // Still refused once the assertion has settled and the ruling is in.
        vm.warp(block.timestamp + OO_LIVENESS);
        oracle.settleAssertion(aid);
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.BreachAlreadyAsserted.selector, cid, aid));
        vm.prank(stranger);
        adapter.assertBreach(cid, MIN_BOND);
    }

    function test_assertBreach_windowBoundary() public {
        (, ChallengeId cid) = _disputedPledge();
        uint64 deadline = _rulingDeadline(cid);
        // At deadline - liveness the assertion would settle exactly at the deadline: too late.
        vm.warp(deadline - OO_LIVENESS);
        _assertStatus(cid, IUmaOOv3Arbiter.DisputeStatus.AssertionWindowClosed);
        _fundCurrency(asserter, address(adapter), MIN_BOND);
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.AssertionWindowClosed.selector, cid, deadline, deadline));
        vm.prank(asserter);
        adapter.assertBreach(cid, MIN_BOND);
        // One second earlier it can still settle, undisputed, one second before the deadline, and the ruling lands.
        vm.warp(deadline - OO_LIVENESS - 1);
        _assertStatus(cid, IUmaOOv3Arbiter.DisputeStatus.AwaitingAssertion);
        vm.prank(asserter);
        bytes32 aid = adapter.assertBreach(cid, MIN_BOND);
        vm.warp(deadline - 1);
        oracle.settleAssertion(aid);
        _assertStatus(cid, IUmaOOv3Arbiter.DisputeStatus.Ruled);
    }

    function test_assertBreach_revertsWithoutApproval() public {
        (, ChallengeId cid) = _disputedPledge();
        usdc.mint(asserter, MIN_BOND);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(adapter), 0, MIN_BOND)
        );
        vm.prank(asserter);
        adapter.assertBreach(cid, MIN_BOND);
        _assertStatus(cid, IUmaOOv3Arbiter.DisputeStatus.AwaitingAssertion);
    }

    function test_assertBreach_revertsWhenOracleRefuses() public {
        (, ChallengeId cid) = _disputedPledge();
        oracle.setRevertOnAssert(true);
        _fundCurrency(asserter, address(adapter), MIN_BOND);
        vm.expectRevert(MockOptimisticOracleV3.MockAssertRefused.selector);
        vm.prank(asserter);
        adapter.assertBreach(cid, MIN_BOND);
        assertEq(usdc.balanceOf(asserter), MIN_BOND, "the pull was undone");
        _assertStatus(cid, IUmaOOv3Arbiter.DisputeStatus.AwaitingAssertion);
    }

    function test_assertBreach_refusesFeeOnTransferCurrency() public {
        FeeOnTransferERC20 feeToken = new FeeOnTransferERC20(100); // 1 %
        UmaOOv3Arbiter feeAdapter = _newAdapter(IERC20(address(feeToken)), MIN_BOND);
        (, ChallengeId cid) = _disputedPledge(feeAdapter);
        feeToken.mint(asserter, MIN_BOND);
        vm.prank(asserter);
        feeToken.approve(address(feeAdapter), MIN_BOND);
        uint256 received = MIN_BOND - MIN_BOND / 100;
        vm.expectRevert(
            abi.encodeWithSelector(IUmaOOv3Arbiter.TokenTransferMismatch.selector, feeToken, MIN_BOND, received)
        );
        vm.prank(asserter);
        feeAdapter.assertBreach(cid, MIN_BOND);
    }

    function test_assertBreach_reentryThroughCurrencyHookRefused() public {
        ReentrantERC20 hook = new ReentrantERC20();
        UmaOOv3Arbiter hookAdapter = _newAdapter(IERC20(address(hook)), MIN_BOND);
        (, ChallengeId cid) = _disputedPledge(hookAdapter);
        hook.mint(asserter, MIN_BOND);
        vm.prank(asserter);
        hook.approve(address(hookAdapter), MIN_BOND);
        hook.arm(address(hookAdapter), abi.encodeCall(IUmaOOv3Arbiter.assertBreach, (cid, MIN_BOND)));

        vm.prank(asserter);
        bytes32 aid = hookAdapter.assertBreach(cid, MIN_BOND);

        assertTrue(hook.reentered());
        assertFalse(hook.reentrySucceeded(), "the nested assertion was refused");
        assertEq(hook.reentryReturnData(), abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector));
        assertEq(oracle.assertionCount(), 1);
        assertEq(hookAdapter.getDispute(cid).assertionId, aid);
    }

    // ============================================================== claimFor

    function test_claimFor_namesPledgeChallengeRegistryAndChain() public {
        (PledgeId id, ChallengeId cid) = _disputedPledge();
        string memory expected = string.concat(
            "Pledge Markets breach claim: pledge ",
            vm.toString(PledgeId.unwrap(id)),
            " of the PledgeRegistry at ",
            vm.toLowercase(vm.toString(address(registry))),
            " on chain id ",
            vm.toString(block.chainid),
            " (terms hash ",
            vm.toString(TERMS_HASH),
            ", terms URI in its PledgeCreated event) was breached during its term, as alleged by challenge ",
            vm.toString(ChallengeId.unwrap(cid)),
            " (evidence URI in that challenge's PledgeChallenged event). True upholds the breach and slashes the",
            " pledge's bond; false rejects the challenge."
        );
        assertEq(string(adapter.claimFor(cid)), expected);
    }

    function test_claimFor_revertsWhenDisputeUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.DisputeUnknown.selector, ChallengeId.wrap(7)));
        adapter.claimFor(ChallengeId.wrap(7));
    }

    // ============================================================= callbacks

    function test_callbacks_revertWhenCallerNotOracle() public {
        (, ChallengeId cid) = _disputedPledge();
        bytes32 aid = _assert(cid);
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.CallerNotOracle.selector, stranger));
        vm.prank(stranger);
        adapter.assertionResolvedCallback(aid, true);
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.CallerNotOracle.selector, address(registry)));
        vm.prank(address(registry));
        adapter.assertionDisputedCallback(aid);
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.CallerNotOracle.selector, asserter));
        vm.prank(asserter);
        adapter.assertionDisputedCallback(aid);
        _assertStatus(cid, IUmaOOv3Arbiter.DisputeStatus.Asserted);
    }

    function test_callbacks_ignoreForeignAssertions() public {
        (PledgeId id, ChallengeId cid) = _disputedPledge();
        bytes32 foreign = keccak256("someone else's assertion");
        vm.expectEmit(address(adapter));
        emit IUmaOOv3Arbiter.ForeignAssertionIgnored(foreign);
        oracle.fireDisputed(address(adapter), foreign);
        vm.expectEmit(address(adapter));
        emit IUmaOOv3Arbiter.ForeignAssertionIgnored(foreign);
        oracle.fireResolved(address(adapter), foreign, true);
        // A zero id is foreign too: it never maps to a challenge.
        oracle.fireResolved(address(adapter), bytes32(0), true);
        _assertState(id, IPledgeRegistry.PledgeState.Disputed);
        _assertStatus(cid, IUmaOOv3Arbiter.DisputeStatus.AwaitingAssertion);
    }

    function test_callbacks_foreignAssertionNamingTheAdapterSettles() public {
        // A stranger's own assertion pointing its callbacks at the adapter is not trapped (and rules on nothing).
        _fundCurrency(stranger, address(oracle), 2 * ORACLE_MIN_BOND);
        vm.prank(stranger);
        bytes32 foreign = oracle.assertTruth(
            "a stranger's claim", stranger, address(adapter), address(0), 60, usdc, ORACLE_MIN_BOND, ASSERT_TRUTH2, 0
        );
        vm.warp(block.timestamp + 60);
        oracle.settleAssertion(foreign);
        assertEq(usdc.balanceOf(stranger), 2 * ORACLE_MIN_BOND);
    }

    function test_resolvedCallback_revertsOnSecondResolution() public {
        (, ChallengeId cid) = _disputedPledge();
        bytes32 aid = _assert(cid);
        vm.warp(block.timestamp + OO_LIVENESS);
        oracle.settleAssertion(aid);
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.AssertionAlreadyResolved.selector, aid));
        oracle.fireResolved(address(adapter), aid, false);
        assertTrue(adapter.getDispute(cid).assertedTruthfully, "the first resolution stands");
    }

    function test_disputedCallback_recordsOracleDispute() public {
        (, ChallengeId cid) = _disputedPledge();
        bytes32 aid = _assert(cid);
        _fundCurrency(ooDisputer, address(oracle), MIN_BOND);
        vm.expectEmit(address(adapter));
        emit IUmaOOv3Arbiter.AssertionDisputed(cid, aid);
        vm.prank(ooDisputer);
        oracle.disputeAssertion(aid, ooDisputer);
        assertTrue(adapter.getDispute(cid).oracleDisputed);
        _assertStatus(cid, IUmaOOv3Arbiter.DisputeStatus.Asserted);
    }

    // ================================================================= flows

    function test_flow_undisputedAssertion_slashesPledge() public {
        (PledgeId id, ChallengeId cid) = _disputedPledge();
        bytes32 aid = _assert(cid);
        vm.warp(block.timestamp + OO_LIVENESS);

        vm.expectEmit(address(adapter));
        emit IUmaOOv3Arbiter.AssertionResolved(cid, aid, true);
        vm.expectEmit(address(registry));
        emit IOptimisticResolution.ChallengeRuled(id, cid, address(adapter), true);
        vm.expectEmit(address(adapter));
        emit IUmaOOv3Arbiter.RulingSubmitted(cid, true);
        oracle.settleAssertion(aid);

        _assertState(id, IPledgeRegistry.PledgeState.Breached);
        assertEq(_claimable(challenger), DISPUTE_WIN + REWARD);
        assertEq(_claimable(beneficiary), BENEFICIARY_SHARE);
        assertEq(_claimable(disputer), 0);
        assertEq(usdc.balanceOf(asserter), MIN_BOND, "OOv3 returned the asserter's bond");
        IUmaOOv3Arbiter.Dispute memory d = adapter.getDispute(cid);
        assertTrue(d.resolved && d.assertedTruthfully && d.ruled);
        assertFalse(d.oracleDisputed);
        _assertStatus(cid, IUmaOOv3Arbiter.DisputeStatus.Ruled);
    }

    function test_flow_assertionDisputedAndFalse_rejectsChallenge() public {
        (PledgeId id, ChallengeId cid) = _disputedPledge();
        bytes32 aid = _assert(cid);
        _ooDispute(aid);
        vm.warp(block.timestamp + 2 days); // the DVM takes its time, within the ruling deadline
        oracle.resolveDispute(aid, false);

        vm.expectEmit(address(registry));
        emit IOptimisticResolution.ChallengeRuled(id, cid, address(adapter), false);
        vm.expectEmit(address(adapter));
        emit IUmaOOv3Arbiter.RulingSubmitted(cid, false);
        oracle.settleAssertion(aid);

        _assertState(id, IPledgeRegistry.PledgeState.Active);
        assertEq(ChallengeId.unwrap(registry.openChallenge(id)), 0);
        assertEq(_claimable(disputer), DISPUTE_WIN);
        assertEq(_claimable(challenger), 0);
        assertEq(usdc.balanceOf(ooDisputer), 2 * MIN_BOND, "the OOv3 disputer won the asserter's bond");
        assertEq(usdc.balanceOf(asserter), 0);
        _assertStatus(cid, IUmaOOv3Arbiter.DisputeStatus.Ruled);
    }

    function test_flow_assertionDisputedAndTrue_slashesPledge() public {
        (PledgeId id, ChallengeId cid) = _disputedPledge();
        bytes32 aid = _assert(cid);
        _ooDispute(aid);
        oracle.resolveDispute(aid, true);
        oracle.settleAssertion(aid);
        _assertState(id, IPledgeRegistry.PledgeState.Breached);
        assertEq(_claimable(challenger), DISPUTE_WIN + REWARD);
        assertEq(usdc.balanceOf(asserter), 2 * MIN_BOND);
        assertTrue(adapter.getDispute(cid).oracleDisputed);
    }

    function test_flow_neverAsserted_voidedAfterTimeout() public {
        (PledgeId id, ChallengeId cid) = _disputedPledge();
        vm.warp(block.timestamp + TIMEOUT);
        _assertStatus(cid, IUmaOOv3Arbiter.DisputeStatus.AssertionWindowClosed);
        uint64 deadline = _rulingDeadline(cid);
        vm.expectRevert(
            abi.encodeWithSelector(
                IUmaOOv3Arbiter.AssertionWindowClosed.selector, cid, block.timestamp + OO_LIVENESS, deadline
            )
        );
        adapter.assertBreach(cid, MIN_BOND);

        registry.voidChallenge(id);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
        assertEq(_claimable(challenger), CHALLENGE_BOND);
        assertEq(_claimable(disputer), CHALLENGE_BOND);
    }

    function test_flow_resolutionAfterVoid_settlementSucceedsAndEmitsFailure() public {
        (PledgeId id, ChallengeId cid) = _disputedPledge();
        bytes32 aid = _assert(cid);
        _ooDispute(aid);
        vm.warp(block.timestamp + TIMEOUT); // the DVM is slower than the registry's timeout
        registry.voidChallenge(id);
        oracle.resolveDispute(aid, true);

        bytes memory reason =
            abi.encodeWithSelector(IOptimisticResolution.ChallengeNotOpen.selector, cid, ChallengeId.wrap(0));
        vm.expectEmit(address(adapter));
        emit IUmaOOv3Arbiter.AssertionResolved(cid, aid, true);
        vm.expectEmit(address(adapter));
        emit IUmaOOv3Arbiter.RulingFailed(cid, true, reason);
        oracle.settleAssertion(aid); // does not revert

        assertEq(usdc.balanceOf(asserter), 2 * MIN_BOND, "OOv3 settled and paid");
        _assertState(id, IPledgeRegistry.PledgeState.Active);
        _assertStatus(cid, IUmaOOv3Arbiter.DisputeStatus.RulingUndelivered);
        // A retry meets the same refusal, now as a revert.
        vm.expectRevert(reason);
        adapter.retryRuling(cid);
    }

    function test_flow_resolutionAfterDeadlineNotVoided_settlementSucceedsAndEmitsFailure() public {
        (PledgeId id, ChallengeId cid) = _disputedPledge();
        bytes32 aid = _assert(cid);
        _ooDispute(aid);
        vm.warp(_rulingDeadline(cid));
        oracle.resolveDispute(aid, false);
        bytes memory reason = abi.encodeWithSelector(
            IPledgeRegistry.UnexpectedState.selector, id, IPledgeRegistry.PledgeState.RulingOverdue, ALLOWED_RULE
        );
        vm.expectEmit(address(adapter));
        emit IUmaOOv3Arbiter.RulingFailed(cid, false, reason);
        oracle.settleAssertion(aid);
        assertEq(usdc.balanceOf(ooDisputer), 2 * MIN_BOND);
        registry.voidChallenge(id);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
    }

    function test_flow_newChallengeAfterVoid_isNotRuledByTheOldAssertion() public {
        (PledgeId id, ChallengeId cid) = _disputedPledge();
        bytes32 aid = _assert(cid);
        _ooDispute(aid);
        vm.warp(block.timestamp + TIMEOUT);
        registry.voidChallenge(id);
        // A second challenge is open and disputed when the first assertion finally settles.
        ChallengeId cid2 = _challenge(id);
        _dispute(id);
        oracle.resolveDispute(aid, true);
        oracle.settleAssertion(aid);
        _assertState(id, IPledgeRegistry.PledgeState.Disputed);
        assertEq(ChallengeId.unwrap(registry.openChallenge(id)), ChallengeId.unwrap(cid2));
        _assertStatus(cid2, IUmaOOv3Arbiter.DisputeStatus.AwaitingAssertion);
    }

    // ============================================================ retryRuling

    function test_retryRuling_deliversAfterARefusal() public {
        MockRulingRegistry mockRegistry = new MockRulingRegistry(TIMEOUT);
        UmaOOv3Arbiter a = new UmaOOv3Arbiter(
            IOptimisticResolution(address(mockRegistry)), oracle, ASSERT_TRUTH2, IERC20(address(usdc)), OO_LIVENESS, MIN_BOND
        );
        ChallengeId cid = ChallengeId.wrap(5);
        mockRegistry.notifyDispute(a, cid, PledgeId.wrap(3), uint64(block.timestamp + TIMEOUT));
        _fundCurrency(asserter, address(a), MIN_BOND);
        vm.prank(asserter);
        bytes32 aid = a.assertBreach(cid, MIN_BOND);
        vm.warp(block.timestamp + OO_LIVENESS);

        mockRegistry.setRefuseRulings(true);
        vm.expectEmit(address(a));
        emit IUmaOOv3Arbiter.RulingFailed(
            cid, true, abi.encodeWithSelector(MockRulingRegistry.MockRulingRefused.selector, cid)
        );
        oracle.settleAssertion(aid);
        assertEq(uint256(a.disputeStatus(cid)), uint256(IUmaOOv3Arbiter.DisputeStatus.RulingUndelivered));
        assertFalse(a.getDispute(cid).ruled);

        // Still refused: the retry reverts with the registry's error and stays retryable.
        vm.expectRevert(abi.encodeWithSelector(MockRulingRegistry.MockRulingRefused.selector, cid));
        a.retryRuling(cid);

        mockRegistry.setRefuseRulings(false);
        vm.expectEmit(address(a));
        emit IUmaOOv3Arbiter.RulingSubmitted(cid, true);
        vm.prank(stranger);
        a.retryRuling(cid);
        assertEq(mockRegistry.rulings(), 1);
        assertEq(ChallengeId.unwrap(mockRegistry.lastChallenge()), ChallengeId.unwrap(cid));
        assertTrue(mockRegistry.lastBreached());
        assertEq(uint256(a.disputeStatus(cid)), uint256(IUmaOOv3Arbiter.DisputeStatus.Ruled));

        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.RulingNotPending.selector, cid));
        a.retryRuling(cid);
    }

    function test_retryRuling_revertsWhenNotPending() public {
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.RulingNotPending.selector, ChallengeId.wrap(9)));
        adapter.retryRuling(ChallengeId.wrap(9));
        (, ChallengeId cid) = _disputedPledge();
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.RulingNotPending.selector, cid));
        adapter.retryRuling(cid);
        bytes32 aid = _assert(cid);
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.RulingNotPending.selector, cid));
        adapter.retryRuling(cid);
        vm.warp(block.timestamp + OO_LIVENESS);
        oracle.settleAssertion(aid);
        vm.expectRevert(abi.encodeWithSelector(IUmaOOv3Arbiter.RulingNotPending.selector, cid));
        adapter.retryRuling(cid);
    }

    // ================================================================== views

    function test_disputeStatus_unknownIsNone() public view {
        _assertStatus(ChallengeId.wrap(1), IUmaOOv3Arbiter.DisputeStatus.None);
        assertEq(ChallengeId.unwrap(adapter.challengeOf(keccak256("x"))), 0);
        IUmaOOv3Arbiter.Dispute memory d = adapter.getDispute(ChallengeId.wrap(1));
        assertEq(d.rulingDeadline, 0);
    }

    function test_supportsIArbiterSeam() public {
        // The registry accepts the adapter as any other arbiter.
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.arbiter = IArbiter(address(adapter));
        PledgeId id = _create(params);
        assertEq(address(registry.getPledge(id).arbiter), address(adapter));
    }

    // ==================================================================== gas

    function test_gas_assertBreachAndResolvedCallback() public {
        (, ChallengeId cid) = _disputedPledge();
        _fundCurrency(asserter, address(adapter), MIN_BOND);
        vm.prank(asserter);
        uint256 g = gasleft();
        bytes32 aid = adapter.assertBreach(cid, MIN_BOND);
        uint256 assertGas = g - gasleft();
        vm.warp(block.timestamp + OO_LIVENESS);
        vm.prank(address(oracle));
        g = gasleft();
        adapter.assertionResolvedCallback(aid, true);
        uint256 callbackGas = g - gasleft();
        console.log("assertBreach gas (incl. mock OOv3 assertTruth):", assertGas);
        console.log("assertionResolvedCallback gas (incl. registry rule + slash):", callbackGas);
        assertLt(assertGas, 400_000);
        assertLt(callbackGas, 200_000);
    }
}
