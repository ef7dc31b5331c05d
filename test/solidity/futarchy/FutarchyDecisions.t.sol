// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {FutarchyDecisions} from "../../../contracts/futarchy/FutarchyDecisions.sol";
import {BreachMarkets} from "../../../contracts/markets/BreachMarkets.sol";
import {LmsrMarketMaker} from "../../../contracts/markets/LmsrMarketMaker.sol";
import {OutcomeVault} from "../../../contracts/markets/OutcomeVault.sol";
import {PledgeRegistry} from "../../../contracts/registry/PledgeRegistry.sol";
import {IConditionalPools} from "../../../contracts/interfaces/IConditionalPools.sol";
import {IFutarchyDecisions} from "../../../contracts/interfaces/IFutarchyDecisions.sol";
import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {ProposalId} from "../../../contracts/types/FutarchyIds.sol";
import {ChallengeId, PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId, PositionId} from "../../../contracts/types/MarketIds.sol";
import {FutarchyFixture} from "./FutarchyFixture.sol";

/// @notice Unit tests of FutarchyDecisions: proposing (every refusal with its values), the lifecycle and its
/// boundaries, both decisions end to end (a rejected release leaves the pledge binding and a later breach is
/// slashed; an accepted one releases the bond without slashing), execution refused and retried, amendments,
/// the Risk metric, stakes, and branch accounting in the vault.
contract FutarchyDecisionsTest is FutarchyFixture {
    // ------------------------------------------------------------------ propose

    function test_propose_seedsBothBranchesAtOneReferenceAndOpensTrading() public {
        uint256 stakeExpected = (uint256(BOND) * STAKE_BPS + 9_999) / 10_000; // rounded up
        uint256 tokenBefore = token.balanceOf(pledger);
        uint256 labBefore = lab.balanceOf(pledger);
        ProposalId id = _proposeRelease();

        IFutarchyDecisions.Proposal memory p = decisions.getProposal(id);
        assertEq(PledgeId.unwrap(p.pledgeId), PledgeId.unwrap(gid));
        assertEq(p.proposer, pledger);
        assertEq(p.stake, stakeExpected);
        assertEq(p.end, block.timestamp + WINDOW);
        assertEq(uint256(decisions.proposalState(id)), uint256(IFutarchyDecisions.ProposalState.Trading));
        assertEq(token.balanceOf(pledger), tokenBefore - SEED - stakeExpected, "quote seed and stake pulled");
        assertEq(lab.balanceOf(pledger), labBefore - SEED, "metric seed pulled");
        (ProposalId open,) = decisions.pledgeProposals(gid);
        assertEq(ProposalId.unwrap(open), ProposalId.unwrap(id));
        assertEq(uint256(vault.conditionState(p.decision)), uint256(IOutcomeVault.ConditionState.Prepared));
        for (uint256 b; b < 2; ++b) {
            IConditionalPools.Pool memory pool = pools.getPool(_pool(id, b));
            assertEq(pool.reserveMetric, SEED);
            assertEq(pool.reserveQuote, SEED);
            assertEq(pools.spotPrice(_pool(id, b)), 1e18, "reference price 1.0 in both branches");
            assertEq(pools.sharesOf(_pool(id, b), pledger), SEED - pools.MINIMUM_SHARES(), "shares to the proposer");
            assertEq(PositionId.unwrap(pool.metric), PositionId.unwrap(vault.positionId(lab, ROOT, p.decision, b)));
            assertEq(PositionId.unwrap(pool.quote), PositionId.unwrap(vault.positionId(token, ROOT, p.decision, b)));
        }
        assertEq(token.balanceOf(address(decisions)), stakeExpected, "the contract holds only the stake");
        assertEq(lab.balanceOf(address(decisions)), 0);
    }

    function test_propose_revertsForAnUngovernedPledge() public {
        PledgeId plain = _create();
        vm.prank(pledger);
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.PledgeNotGoverned.selector, plain, address(0)));
        decisions.propose(
            plain, IFutarchyDecisions.Kind.Release, IFutarchyDecisions.Metric.Price, lab, token, SEED, SEED, _noAmendment()
        );
    }

    function test_propose_revertsForAnyoneButThePledger() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.CallerNotPledger.selector, gid, stranger, pledger));
        decisions.propose(
            gid, IFutarchyDecisions.Kind.Release, IFutarchyDecisions.Metric.Price, lab, token, SEED, SEED, _noAmendment()
        );
    }

    function test_propose_revertsUnderChallenge() public {
        _challenge(gid);
        vm.prank(pledger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFutarchyDecisions.PledgeNotActive.selector, gid, IPledgeRegistry.PledgeState.Challenged
            )
        );
        decisions.propose(
            gid, IFutarchyDecisions.Kind.Release, IFutarchyDecisions.Metric.Price, lab, token, SEED, SEED, _noAmendment()
        );
    }

    function test_propose_revertsOnceTheTermEnded_soAReleasedPledgeTakesNoAmendment() public {
        _passRelease(); // expiry moved to now; the pledge stays Active through its grace period
        _assertState(gid, IPledgeRegistry.PledgeState.Active);
        uint64 expiry = registry.getPledge(gid).expiry;
        vm.prank(pledger);
        vm.expectRevert(
            abi.encodeWithSelector(IFutarchyDecisions.PledgeTermEnded.selector, gid, expiry, block.timestamp)
        );
        decisions.propose(
            gid, IFutarchyDecisions.Kind.Amend, IFutarchyDecisions.Metric.Price, lab, token, SEED, SEED, _amendment()
        );
        // Likewise in the grace period of an unreleased pledge, from its expiry second on.
        PledgeId other = _createGoverned();
        expiry = registry.getPledge(other).expiry;
        vm.warp(expiry);
        vm.prank(pledger);
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.PledgeTermEnded.selector, other, expiry, expiry));
        decisions.propose(
            other, IFutarchyDecisions.Kind.Release, IFutarchyDecisions.Metric.Price, lab, token, SEED, SEED, _noAmendment()
        );
    }

    function test_propose_revertsWhileAProposalIsOpen() public {
        ProposalId id = _proposeRelease();
        vm.prank(pledger);
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.ProposalAlreadyOpen.selector, gid, id));
        decisions.propose(
            gid, IFutarchyDecisions.Kind.Release, IFutarchyDecisions.Metric.Price, lab, token, SEED, SEED, _noAmendment()
        );
    }

    function test_propose_revertsDuringTheCooldownAfterAFailure_acceptsAtItsEnd() public {
        ProposalId id = _proposeRelease();
        _toEnd(id);
        decisions.finalize(id);
        (, uint64 until) = decisions.pledgeProposals(gid);
        assertEq(until, block.timestamp + COOLDOWN);
        vm.warp(until - 1);
        vm.prank(pledger);
        vm.expectRevert(
            abi.encodeWithSelector(IFutarchyDecisions.CooldownActive.selector, gid, until, block.timestamp)
        );
        decisions.propose(
            gid, IFutarchyDecisions.Kind.Release, IFutarchyDecisions.Metric.Price, lab, token, SEED, SEED, _noAmendment()
        );
        vm.warp(until);
        _fund(token, pledger, BOND); // the failed stake went to the beneficiary
        _proposeRelease();
    }

    function test_propose_revertsRiskForARelease() public {
        vm.prank(pledger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFutarchyDecisions.MetricUnavailable.selector,
                IFutarchyDecisions.Kind.Release,
                IFutarchyDecisions.Metric.Risk
            )
        );
        decisions.propose(
            gid, IFutarchyDecisions.Kind.Release, IFutarchyDecisions.Metric.Risk, lab, token, SEED, SEED, _noAmendment()
        );
    }

    function test_propose_revertsRiskWithoutABreachMarket() public {
        PledgeId other = _createGoverned(); // no market opened
        vm.prank(pledger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFutarchyDecisions.MetricUnavailable.selector,
                IFutarchyDecisions.Kind.Amend,
                IFutarchyDecisions.Metric.Risk
            )
        );
        decisions.propose(
            other, IFutarchyDecisions.Kind.Amend, IFutarchyDecisions.Metric.Risk, lab, token, SEED, SEED, _amendment()
        );
    }

    function test_propose_revertsInvalidLiquidity() public {
        IFutarchyDecisions.Kind r = IFutarchyDecisions.Kind.Release;
        IFutarchyDecisions.Metric m = IFutarchyDecisions.Metric.Price;
        vm.startPrank(pledger);
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.LiquidityInvalid.selector, token, token, SEED, SEED));
        decisions.propose(gid, r, m, token, token, SEED, SEED, _noAmendment());
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.LiquidityInvalid.selector, lab, token, 0, SEED));
        decisions.propose(gid, r, m, lab, token, 0, SEED, _noAmendment());
        vm.expectRevert(
            abi.encodeWithSelector(IFutarchyDecisions.LiquidityInvalid.selector, lab, IERC20(address(0)), SEED, SEED)
        );
        decisions.propose(gid, r, m, lab, IERC20(address(0)), SEED, SEED, _noAmendment());
        vm.stopPrank();
    }

    function test_propose_revertsInvalidAmendments() public {
        IPledgeRegistry.Amendment memory a = _amendment();
        uint64 end = uint64(block.timestamp + WINDOW);
        a.expiry = end; // must be after the window's end
        vm.startPrank(pledger);
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.AmendmentInvalid.selector, end, a.bond, end, BOND));
        decisions.propose(gid, IFutarchyDecisions.Kind.Amend, IFutarchyDecisions.Metric.Price, lab, token, SEED, SEED, a);
        a = _amendment();
        a.bond = BOND + 1;
        vm.expectRevert(
            abi.encodeWithSelector(IFutarchyDecisions.AmendmentInvalid.selector, a.expiry, BOND + 1, end, BOND)
        );
        decisions.propose(gid, IFutarchyDecisions.Kind.Amend, IFutarchyDecisions.Metric.Price, lab, token, SEED, SEED, a);
        a.bond = 0;
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.AmendmentInvalid.selector, a.expiry, 0, end, BOND));
        decisions.propose(gid, IFutarchyDecisions.Kind.Amend, IFutarchyDecisions.Metric.Price, lab, token, SEED, SEED, a);
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- lifecycle

    function test_finalize_revertsWhileTradingAndTwice() public {
        ProposalId id = _proposeRelease();
        uint64 end = decisions.getProposal(id).end;
        vm.warp(end - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFutarchyDecisions.UnexpectedProposalState.selector,
                id,
                IFutarchyDecisions.ProposalState.Trading,
                IFutarchyDecisions.ProposalState.Decidable
            )
        );
        decisions.finalize(id);
        vm.warp(end);
        assertEq(uint256(decisions.proposalState(id)), uint256(IFutarchyDecisions.ProposalState.Decidable));
        decisions.finalize(id);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFutarchyDecisions.UnexpectedProposalState.selector,
                id,
                IFutarchyDecisions.ProposalState.Failed,
                IFutarchyDecisions.ProposalState.Decidable
            )
        );
        decisions.finalize(id);
    }

    function test_finalize_revertsForUnknownProposals() public {
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.ProposalUnknown.selector, ProposalId.wrap(7)));
        decisions.finalize(ProposalId.wrap(7));
    }

    /// A window without trades leaves both oracles at the reference: a tie, which fails. The pledge stays binding,
    /// a later breach is slashed as usual, the stake goes to the beneficiary.
    function test_rejectedRelease_leavesThePledgeBinding_laterBreachIsSlashed() public {
        ProposalId id = _proposeRelease();
        uint128 stake = decisions.getProposal(id).stake;
        _toEnd(id);
        (uint256 passValue, uint256 failValue, bool passing) = decisions.standing(id);
        assertEq(passValue, failValue, "no trade: a tie");
        assertFalse(passing);
        assertFalse(decisions.finalize(id));
        assertEq(uint256(decisions.proposalState(id)), uint256(IFutarchyDecisions.ProposalState.Failed));
        assertEq(decisions.claimable(beneficiary, token), stake, "forfeited stake to the beneficiary");
        IPledgeRegistry.Pledge memory pl = registry.getPledge(gid);
        assertEq(pl.bond, BOND);
        _assertState(gid, IPledgeRegistry.PledgeState.Active);

        // The breach: challenged, unanswered, slashed.
        _challenge(gid);
        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(gid);
        _assertState(gid, IPledgeRegistry.PledgeState.Breached);
        assertEq(_claimable(challenger), REWARD + CHALLENGE_BOND, "challenger rewarded from the slashed bond");
        assertEq(_claimable(beneficiary), BENEFICIARY_SHARE);

        // The decision is final in the vault: no more splits; the proposer has no stake to claim back.
        ConditionId decision = decisions.getProposal(id).decision;
        assertEq(uint256(vault.conditionState(decision)), uint256(IOutcomeVault.ConditionState.Resolved));
        vm.expectRevert(
            abi.encodeWithSelector(
                IOutcomeVault.UnexpectedConditionState.selector,
                decision,
                IOutcomeVault.ConditionState.Resolved,
                IOutcomeVault.ConditionState.Prepared
            )
        );
        vm.prank(alice);
        vault.split(token, ROOT, decision, 1);
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.NothingToClaim.selector, pledger, token));
        vm.prank(pledger);
        decisions.claim(token, pledger);
    }

    /// Traders value the lab more if released: PASS is bid up, FAIL sold down, for long enough; PASS executes the
    /// release (expiry now), the bond returns after grace without slashing, the stake returns to the proposer.
    function test_acceptedRelease_releasesTheBondWithoutSlashing() public {
        ProposalId id = _proposeRelease();
        _blocks(DELAY / BLOCK_TIME);
        _splitFor(alice, id, token, 5_000e18);
        _splitFor(alice, id, lab, 5_000e18);
        _pushTo(alice, id, PASS, 1.1e18);
        _pushTo(alice, id, FAIL, 0.95e18);
        _pokeBlocks(id, 30); // observations reach the spots (0.5% a block)
        _toEnd(id);
        (uint256 passValue, uint256 failValue, bool passing) = decisions.standing(id);
        assertGt(passValue, failValue * 103 / 100, "PASS beats FAIL by more than 3%");
        assertTrue(passing);

        uint64 expiryBefore = registry.getPledge(gid).expiry;
        assertTrue(decisions.finalize(id));
        IFutarchyDecisions.Proposal memory p = decisions.getProposal(id);
        assertTrue(p.executed);
        assertEq(registry.getPledge(gid).expiry, block.timestamp, "released: the term ends now");
        assertLt(block.timestamp, expiryBefore);
        assertEq(decisions.claimable(pledger, token), p.stake, "stake refunded");

        // Grace passes unchallenged: Honored, the whole bond back.
        vm.warp(block.timestamp + GRACE);
        registry.finalize(gid);
        _assertState(gid, IPledgeRegistry.PledgeState.Honored);
        assertEq(_claimable(pledger), BOND, "no slashing");

        // PASS positions redeem 1:1 for their collateral, FAIL ones for nothing.
        uint256 before = token.balanceOf(alice);
        uint256 passQuote = vault.balanceOf(alice, PositionId.unwrap(vault.positionId(token, ROOT, p.decision, PASS)));
        vm.prank(alice);
        vault.redeem(token, ROOT, p.decision);
        assertEq(token.balanceOf(alice), before + passQuote);
    }

    /// Released, the pledge is still challengeable for breaches during the term, through the grace period.
    function test_acceptedRelease_breachInGraceIsStillSlashed() public {
        ProposalId id = _passRelease();
        assertTrue(decisions.getProposal(id).executed);
        _challenge(gid);
        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(gid);
        _assertState(gid, IPledgeRegistry.PledgeState.Breached);
    }

    /// A PASS reached while the pledge is under challenge cannot execute; the decision stands, `execute` retries
    /// once the challenge is rejected, and only once.
    function test_execute_retriesAfterAChallengeIsRejected() public {
        ProposalId id = _proposeRelease();
        _blocks(DELAY / BLOCK_TIME);
        _splitFor(alice, id, token, 5_000e18);
        _splitFor(alice, id, lab, 5_000e18);
        _pushTo(alice, id, PASS, 1.1e18);
        _pokeBlocks(id, 30);
        _toEnd(id);
        ChallengeId cid = _challenge(gid);
        vm.recordLogs();
        assertTrue(decisions.finalize(id), "decided PASS");
        IFutarchyDecisions.Proposal memory p = decisions.getProposal(id);
        assertFalse(p.executed, "the registry refused: under challenge");
        assertEq(uint256(decisions.proposalState(id)), uint256(IFutarchyDecisions.ProposalState.Passed));

        vm.expectRevert(
            abi.encodeWithSelector(
                IPledgeRegistry.UnexpectedState.selector, gid, IPledgeRegistry.PledgeState.Challenged, 1 << 1
            )
        );
        decisions.execute(id);

        _dispute(gid);
        _rule(cid, false); // no breach: Active again
        _assertState(gid, IPledgeRegistry.PledgeState.Active);
        decisions.execute(id);
        assertTrue(decisions.getProposal(id).executed);
        assertEq(registry.getPledge(gid).expiry, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.ProposalAlreadyExecuted.selector, id));
        decisions.execute(id);
    }

    function test_execute_revertsForFailedAndTradingProposals() public {
        ProposalId id = _proposeRelease();
        vm.expectRevert(
            abi.encodeWithSelector(
                IFutarchyDecisions.UnexpectedProposalState.selector,
                id,
                IFutarchyDecisions.ProposalState.Trading,
                IFutarchyDecisions.ProposalState.Passed
            )
        );
        decisions.execute(id);
        _toEnd(id);
        decisions.finalize(id);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFutarchyDecisions.UnexpectedProposalState.selector,
                id,
                IFutarchyDecisions.ProposalState.Failed,
                IFutarchyDecisions.ProposalState.Passed
            )
        );
        decisions.execute(id);
    }

    // --------------------------------------------------------------- amendments

    function test_acceptedAmendment_setsTheNewTermsAndRefundsTheBondCut() public {
        IPledgeRegistry.Amendment memory a = _amendment();
        ProposalId id = _proposeAmend(IFutarchyDecisions.Metric.Price);
        _blocks(DELAY / BLOCK_TIME);
        _splitFor(alice, id, token, 5_000e18);
        _pushTo(alice, id, PASS, 1.1e18);
        _pokeBlocks(id, 30);
        _toEnd(id);
        assertTrue(decisions.finalize(id));
        IPledgeRegistry.Pledge memory pl = registry.getPledge(gid);
        assertEq(pl.termsHash, a.termsHash);
        assertEq(pl.expiry, a.expiry);
        assertEq(pl.bond, a.bond);
        assertEq(_claimable(pledger), BOND - a.bond, "the cut is credited to the pledger");
        _assertState(gid, IPledgeRegistry.PledgeState.Active);
    }

    /// Risk metric: the pools trade BREACH|branch against HONOR|branch, seeded at the breach market's price; traders
    /// who think the amendment raises the risk of a breach bid BREACH|PASS up: FAIL.
    function test_riskAmendment_seededAtTheBreachPrice_riskierBranchFails() public {
        uint256 pBreach = maker.prices(gCondition)[BREACH];
        ProposalId id = _proposeAmend(IFutarchyDecisions.Metric.Risk);
        IFutarchyDecisions.Proposal memory p = decisions.getProposal(id);
        assertEq(address(p.metricToken), address(0));
        // Odds honor/breach = p/(1-p) in both branches, to within rounding of the smaller side.
        uint256 odds = pools.spotPrice(p.passPool);
        assertEq(odds, pools.spotPrice(p.failPool));
        assertApproxEqRel(odds * 1e18 / (1e18 + odds), pBreach, 1e12);

        _blocks(DELAY / BLOCK_TIME);
        // Alice thinks the amendment makes a breach likelier: buys BREACH|PASS with HONOR|PASS.
        _splitFor(alice, id, token, 5_000e18);
        PositionId passQuote = vault.positionId(token, ROOT, p.decision, PASS);
        vm.prank(alice);
        vault.split(token, passQuote, gCondition, 5_000e18);
        _pushTo(alice, id, PASS, odds * 2);
        _pokeBlocks(id, 150);
        _toEnd(id);
        (uint256 passValue, uint256 failValue, bool passing) = decisions.standing(id);
        assertGt(passValue, failValue + 0.03e18, "P(breach | PASS) well above P(breach | FAIL) + 3%");
        assertFalse(passing);
        assertFalse(decisions.finalize(id));
        assertEq(registry.getPledge(gid).termsHash, TERMS_HASH, "terms unchanged");
    }

    // -------------------------------------------------------------- accounting

    /// Whoever only splits and merges gets exactly its collateral back, before the decision; after it, the winning
    /// branch redeems 1:1 and the losing one for nothing.
    function test_branchAccounting_splitMergeRoundTripsAndOnlyTheWinnerRedeems() public {
        ProposalId id = _proposeRelease();
        ConditionId decision = decisions.getProposal(id).decision;
        uint256 before = token.balanceOf(bob);
        _splitFor(bob, id, token, 777e18 + 1);
        vm.prank(bob);
        vault.merge(token, ROOT, decision, 777e18 + 1);
        assertEq(token.balanceOf(bob), before, "split then merge is exact");

        _splitFor(bob, id, token, 100e18);
        _toEnd(id);
        decisions.finalize(id); // FAIL (no trades)
        vm.prank(bob);
        vault.redeem(token, ROOT, decision);
        assertEq(token.balanceOf(bob), before, "FAIL positions redeem 1:1, PASS ones for nothing: net zero");
    }

    function test_claim_paysTheStakeOnce_andRefusesBadRecipients() public {
        ProposalId id = _passRelease();
        uint128 stake = decisions.getProposal(id).stake;
        vm.startPrank(pledger);
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.ClaimRecipientInvalid.selector, address(0)));
        decisions.claim(token, address(0));
        uint256 before = token.balanceOf(pledger);
        assertEq(decisions.claim(token, pledger), stake);
        assertEq(token.balanceOf(pledger), before + stake);
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.NothingToClaim.selector, pledger, token));
        decisions.claim(token, pledger);
        vm.stopPrank();
    }

    function test_flushBurned_sendsForfeitsOfBeneficiarylessPledgesToTheBurnAddress() public {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.beneficiary = address(0);
        _fund(params.token, pledger, params.bond);
        vm.prank(pledger);
        PledgeId id2 = registry.createGovernedPledge(params, address(decisions));
        vm.prank(pledger);
        ProposalId id = decisions.propose(
            id2, IFutarchyDecisions.Kind.Release, IFutarchyDecisions.Metric.Price, lab, token, SEED, SEED, _noAmendment()
        );
        _toEnd(id);
        decisions.finalize(id);
        uint128 stake = decisions.getProposal(id).stake;
        assertEq(decisions.claimable(BURN, token), stake);
        decisions.flushBurned(token);
        assertEq(token.balanceOf(BURN), stake);
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.NothingToClaim.selector, BURN, token));
        decisions.flushBurned(token);
    }

    function test_unsolicitedPositionsAreRefused() public {
        ProposalId id = _proposeRelease();
        _splitFor(alice, id, token, 1e18);
        uint256 pos = PositionId.unwrap(vault.positionId(token, ROOT, decisions.getProposal(id).decision, PASS));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.TransferUnsolicited.selector, alice, address(vault)));
        vault.safeTransferFrom(alice, address(decisions), pos, 1e18, "");
    }

    // --------------------------------------------------------------- parameters

    function test_constructor_refusesParamsAnAttackerBeatsInFewBlocks() public {
        IFutarchyDecisions.DecisionParams memory weak = _dparams();
        weak.window = 1 hours; // counted 40 min: half the threshold in steps of 0.5% needs far fewer than 100
        weak.twapDelay = 20 minutes;
        vm.expectRevert(); // ParamsUnsafe(Release, "manipulation", 300, blocks)
        new FutarchyDecisions(registry, pools, markets, weak, _dparams(), BLOCK_TIME);
        weak = _dparams();
        weak.thresholdBps = 0;
        vm.expectRevert(
            abi.encodeWithSelector(
                IFutarchyDecisions.ParamsUnsafe.selector, IFutarchyDecisions.Kind.Amend, "thresholdBps", 0, 0
            )
        );
        new FutarchyDecisions(registry, pools, markets, _dparams(), weak, BLOCK_TIME);
        weak = _dparams();
        weak.twapDelay = WINDOW;
        vm.expectRevert(
            abi.encodeWithSelector(
                IFutarchyDecisions.ParamsUnsafe.selector, IFutarchyDecisions.Kind.Release, "twapDelay", WINDOW, 0
            )
        );
        new FutarchyDecisions(registry, pools, markets, weak, _dparams(), BLOCK_TIME);
    }

    function test_constructor_refusesForeignBreachMarketsAndZeroBlockTime() public {
        OutcomeVault otherVault = new OutcomeVault();
        BreachMarkets foreign = new BreachMarkets(registry, new LmsrMarketMaker(otherVault), MIN_LIQUIDITY);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFutarchyDecisions.ParamsUnsafe.selector,
                IFutarchyDecisions.Kind.Release,
                "breachMarkets.vault",
                uint256(uint160(address(otherVault))),
                0
            )
        );
        new FutarchyDecisions(registry, pools, foreign, _dparams(), _dparams(), BLOCK_TIME);
        PledgeRegistry otherRegistry = new PledgeRegistry(_config());
        BreachMarkets otherMarkets = new BreachMarkets(otherRegistry, maker, MIN_LIQUIDITY);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFutarchyDecisions.ParamsUnsafe.selector,
                IFutarchyDecisions.Kind.Release,
                "breachMarkets.registry",
                uint256(uint160(address(otherRegistry))),
                0
            )
        );
        new FutarchyDecisions(registry, pools, otherMarkets, _dparams(), _dparams(), BLOCK_TIME);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFutarchyDecisions.ParamsUnsafe.selector, IFutarchyDecisions.Kind.Release, "blockTime", 0, 0
            )
        );
        new FutarchyDecisions(registry, pools, markets, _dparams(), _dparams(), 0);
    }

    /// A breach likelier than not: HONOR keeps the whole seed, BREACH gets `amount x (1 - p) / p`, and the
    /// unused BREACH of each branch goes back to the proposer.
    function test_riskProposal_breachLikelierThanNot_returnsTheUnusedBreachSide() public {
        _buy(alice, gCondition, BREACH, 900e18);
        uint256 pBreach = maker.prices(gCondition)[BREACH];
        assertGt(pBreach, 0.5e18);
        ProposalId id = _proposeAmend(IFutarchyDecisions.Metric.Risk);
        IFutarchyDecisions.Proposal memory p = decisions.getProposal(id);
        for (uint256 b; b < 2; ++b) {
            IConditionalPools.Pool memory pool = pools.getPool(_pool(id, b));
            assertEq(pool.reserveQuote, SEED, "HONOR keeps the whole seed");
            assertLt(pool.reserveMetric, SEED);
            assertEq(
                vault.balanceOf(pledger, PositionId.unwrap(pool.metric)),
                SEED - pool.reserveMetric,
                "the unused BREACH|branch returned"
            );
        }
        uint256 odds = pools.spotPrice(p.passPool);
        assertApproxEqRel(odds * 1e18 / (1e18 + odds), pBreach, 1e12);
    }

    function test_constructor_refusesOutOfRangeParams() public {
        IFutarchyDecisions.Kind r = IFutarchyDecisions.Kind.Release;
        IFutarchyDecisions.DecisionParams memory bad = _dparams();
        bad.window = 0;
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.ParamsUnsafe.selector, r, "window", 0, 0));
        new FutarchyDecisions(registry, pools, markets, bad, _dparams(), BLOCK_TIME);
        bad = _dparams();
        bad.maxStepBps = 0;
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.ParamsUnsafe.selector, r, "maxStepBps", 0, 0));
        new FutarchyDecisions(registry, pools, markets, bad, _dparams(), BLOCK_TIME);
        bad = _dparams();
        bad.feeBps = uint16(pools.MAX_FEE_BPS() + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IFutarchyDecisions.ParamsUnsafe.selector, r, "feeBps", pools.MAX_FEE_BPS() + 1, 0)
        );
        new FutarchyDecisions(registry, pools, markets, bad, _dparams(), BLOCK_TIME);
        bad = _dparams();
        bad.stakeBps = 10_001;
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.ParamsUnsafe.selector, r, "stakeBps", 10_001, 0));
        new FutarchyDecisions(registry, pools, markets, bad, _dparams(), BLOCK_TIME);
    }

    function test_views_unknownProposals_andErc165() public {
        ProposalId unknown = ProposalId.wrap(9);
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.ProposalUnknown.selector, unknown));
        decisions.standing(unknown);
        IFutarchyDecisions.Proposal memory p = decisions.getProposal(unknown);
        assertEq(p.proposer, address(0), "all zero for an unknown id");
        assertEq(uint256(decisions.proposalState(unknown)), uint256(IFutarchyDecisions.ProposalState.None));
        assertTrue(decisions.supportsInterface(type(IERC1155Receiver).interfaceId));
        assertTrue(decisions.supportsInterface(type(IERC165).interfaceId));
        assertFalse(decisions.supportsInterface(0xffffffff));
    }

    function test_propose_revertsRiskWithoutQuoteLiquidity() public {
        vm.prank(pledger);
        vm.expectRevert(abi.encodeWithSelector(IFutarchyDecisions.LiquidityInvalid.selector, lab, token, SEED, 0));
        decisions.propose(
            gid, IFutarchyDecisions.Kind.Amend, IFutarchyDecisions.Metric.Risk, lab, token, SEED, 0, _amendment()
        );
    }

    function test_paramsOf_returnsTheDeployedParams() public view {
        IFutarchyDecisions.DecisionParams memory p = decisions.paramsOf(IFutarchyDecisions.Kind.Release);
        assertEq(p.window, WINDOW);
        assertEq(p.thresholdBps, THRESHOLD);
        assertEq(decisions.MIN_ATTACK_BLOCKS(), 100);
    }

    // ------------------------------------------------------------------ helpers

    function _passRelease() internal returns (ProposalId id) {
        id = _proposeRelease();
        _blocks(DELAY / BLOCK_TIME);
        _splitFor(alice, id, token, 5_000e18);
        _splitFor(alice, id, lab, 5_000e18);
        _pushTo(alice, id, PASS, 1.1e18);
        _pushTo(alice, id, FAIL, 0.95e18);
        _pokeBlocks(id, 30);
        _toEnd(id);
        assertTrue(decisions.finalize(id));
    }
}
