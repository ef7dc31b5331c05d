// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {IPactMarkets} from "../../../contracts/interfaces/IPactMarkets.sol";
import {IPacts} from "../../../contracts/interfaces/IPacts.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {PactMarkets} from "../../../contracts/markets/PactMarkets.sol";
import {ChallengeId, PactId, PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {PactMarketsFixture} from "./PactMarketsFixture.sol";

/// @notice Unit tests of PactMarkets (the "any member breaches" market of a pact) and of a member's own breach market
/// in BreachMarkets: opening, the gate at every boundary, the members' self-hedge rule, resolution (BREACH on the
/// first breach, before Pacts records it; HONOR only when all are honored) and the member-sponsor cap. Every refusal
/// is checked with its values.
contract PactMarketsTest is PactMarketsFixture {
    PactId internal pactId;
    ConditionId internal conditionId;
    uint256 internal subsidy;

    function setUp() public override {
        super.setUp();
        pactId = _activePact();
        (conditionId, subsidy) = _openPact(pactId);
    }

    // ------------------------------------------------------------- member markets (part 1)

    function test_memberPledge_breachMarketInBreachMarkets_endToEnd() public {
        // A member's pledge is an ordinary registry pledge: BreachMarkets opens, gates and resolves its market, with
        // the member as pledger for the self-hedge rule.
        PledgeId pidC = _pledgeOf(pactId, labC);
        (ConditionId c, uint256 paid) = _openPledgeAs(sponsor, pidC);
        assertEq(breachMarkets.marketOf(c).pledger, labC, "the member is the pledger");
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketSelfHedge.selector, pidC, labC));
        _buy(labC, c, BREACH, SHARES);
        uint256 aliceCost = _buy(alice, c, BREACH, SHARES);
        uint256 bobCost = _buy(bob, c, HONOR, SHARES);
        uint256 aCost = _buy(labA, c, BREACH, SHARES); // another member may bet on C's breach

        _breach(pactId, labC); // Slashable: BreachMarkets resolves before Pacts records anything
        assertTrue(breachMarkets.resolve(pidC), "BREACH");
        assertEq(_redeem(alice, c), SHARES, "a BREACH share pays one unit");
        assertEq(_redeem(bob, c), 0, "HONOR pays nothing");
        assertTrue(pacts.recordOutcome(pactId, labC));
        vm.prank(sponsor);
        uint256 out = breachMarkets.withdrawSubsidy(pidC, sponsor);
        // The maker's books: subsidy + costs in; 2 * SHARES of BREACH paid out.
        assertEq(out, paid + aliceCost + bobCost + aCost - 2 * SHARES, "sponsor gets the rest");
    }

    function test_memberPledge_memberSponsorExcessOnBreachCreditedToThePactsContract() public {
        // A member sponsoring its own pledge's market is capped by BreachMarkets, and the excess is credited to the
        // pledge's beneficiary, the Pacts contract: nothing is pushed into Pacts outside its accounts.
        PledgeId pidC = _pledgeOf(pactId, labC);
        (ConditionId c, uint256 paid) = _openPledgeAs(labC, pidC);
        uint256 cost = _buy(alice, c, HONOR, SHARES);
        _breach(pactId, labC);
        breachMarkets.resolve(pidC);
        uint256 before = token.balanceOf(address(pacts));
        vm.prank(labC);
        assertEq(breachMarkets.withdrawSubsidy(pidC, labC), paid, "capped at the subsidy");
        assertEq(token.balanceOf(address(pacts)), before, "nothing lands in Pacts unasked");
        assertEq(breachMarkets.excessOf(pidC), cost, "the excess is credited to Pacts");
        pacts.recordOutcome(pactId, labC);
        assertEq(pacts.claimable(fund, token), C_TO_FUND_EXPECTED, "the fund's slash share");
        // Pacts forwards it to the pact's beneficiary (Pacts.marketExcess.t.sol has the details).
        assertEq(pacts.collectMarketExcess(pactId, labC), cost);
        assertEq(pacts.claimable(fund, token), C_TO_FUND_EXPECTED + cost, "and the excess");
    }

    uint256 internal constant C_TO_FUND_EXPECTED = 540_004;

    // ------------------------------------------------------------------ opening

    function test_openMarket_preparesTheConditionAndTheMarket() public view {
        bytes32 q = keccak256(abi.encode(keccak256("PledgeMarkets.PactMarkets.anyMemberBreaches"), pactId));
        assertEq(pactMarkets.questionOf(pactId), q, "question = keccak(tag, pactId)");
        assertEq(
            ConditionId.unwrap(conditionId),
            keccak256(abi.encode(address(pactMarkets), q, uint256(2))),
            "condition = (PactMarkets, question, 2)"
        );
        assertEq(ConditionId.unwrap(pactMarkets.conditionOf(pactId)), ConditionId.unwrap(conditionId));
        IOutcomeVault.Condition memory cond = vault.getCondition(conditionId);
        assertEq(cond.oracle, address(pactMarkets));
        assertEq(cond.outcomeCount, 2);
        ILmsrMarketMaker.Market memory m = maker.getMarket(conditionId);
        assertEq(address(m.gate), address(pactMarkets), "PactMarkets is the gate");
        assertEq(m.sponsor, address(pactMarkets), "and the sponsor of record");
        assertEq(m.liquidity, LIQUIDITY);
        assertEq(m.sets, subsidy);
        assertEq(subsidy, pactMarkets.quoteSubsidy(LIQUIDITY));
        IPactMarkets.PactMarket memory pm = pactMarkets.marketOf(conditionId);
        assertEq(pm.pactId, PactId.unwrap(pactId));
        assertEq(pm.firstPledgeId, PledgeId.unwrap(_pledgeOf(pactId, labA)));
        assertEq(pm.members, 3);
        assertEq(pm.end, _pactEnd(pactId));
        (address s, uint256 paid) = pactMarkets.sponsorOf(pactId);
        assertEq(s, sponsor);
        assertEq(paid, subsidy);
        assertEq(maker.prices(conditionId)[BREACH], WAD / 2);
        // No collision with the breach market of the pledge whose id equals the pact id.
        assertTrue(
            ConditionId.unwrap(breachMarkets.conditionOf(PledgeId.wrap(PactId.unwrap(pactId))))
                != ConditionId.unwrap(conditionId)
        );
    }

    function test_openMarket_emitsAndPullsTheSubsidy() public {
        PactId id = _activePact();
        uint256 amount = pactMarkets.quoteSubsidy(LIQUIDITY);
        _mintSubsidy(bob, address(pactMarkets), amount);
        uint256 before = token.balanceOf(bob);
        vm.expectEmit(address(pactMarkets));
        emit IPactMarkets.PactMarketOpened(id, pactMarkets.conditionOf(id), bob, LIQUIDITY, TRADE_FEE_BPS, amount);
        vm.prank(bob);
        pactMarkets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
        assertEq(before - token.balanceOf(bob), amount);
        assertEq(token.balanceOf(address(pactMarkets)), 0, "passes through");
    }

    function test_openMarket_revertsUnlessPactActive() public {
        PactId joining = _createPact();
        _expectPact(joining, IPacts.PactState.Joining);
        pactMarkets.openMarket(joining, LIQUIDITY, TRADE_FEE_BPS);
        PactId activatable = _fullPact();
        _expectPact(activatable, IPacts.PactState.Activatable);
        pactMarkets.openMarket(activatable, LIQUIDITY, TRADE_FEE_BPS);
        PactId unknown = PactId.wrap(99);
        _expectPact(unknown, IPacts.PactState.None);
        pactMarkets.openMarket(unknown, LIQUIDITY, TRADE_FEE_BPS);
        vm.warp(block.timestamp + JOIN_WINDOW);
        _expectPact(joining, IPacts.PactState.Failed);
        pactMarkets.openMarket(joining, LIQUIDITY, TRADE_FEE_BPS);
    }

    function _expectPact(PactId id, IPacts.PactState s) internal {
        vm.expectRevert(abi.encodeWithSelector(IPactMarkets.PactMarketPactState.selector, id, s));
    }

    function test_openMarket_revertsWhenLiquidityTooLowOrIdTooLarge() public {
        PactId id = _activePact();
        vm.expectRevert(
            abi.encodeWithSelector(IPactMarkets.PactMarketLiquidityTooLow.selector, MIN_LIQUIDITY - 1, MIN_LIQUIDITY)
        );
        pactMarkets.openMarket(id, uint128(MIN_LIQUIDITY - 1), TRADE_FEE_BPS);
        PactId huge = PactId.wrap(uint256(type(uint64).max) + 1);
        vm.expectRevert(abi.encodeWithSelector(IPactMarkets.PactMarketPactIdTooLarge.selector, huge));
        pactMarkets.openMarket(huge, LIQUIDITY, TRADE_FEE_BPS);
        vm.expectRevert(abi.encodeWithSelector(IPactMarkets.PactMarketLiquidityTooLow.selector, 0, 1));
        new PactMarkets(pacts, maker, 0);
    }

    function test_openMarket_revertsWhenAMemberPledgeIsNotActive() public {
        PactId id = _activePact();
        PledgeId pidB = _pledgeOf(id, labB);
        _challenge(pidB);
        _expectMemberState(id, pidB, IPledgeRegistry.PledgeState.Challenged);
        pactMarkets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
    }

    function test_openMarket_revertsAtTheEndOfTheTerm() public {
        PactId id = _activePact();
        uint256 end = _pactEnd(id);
        vm.warp(end);
        _expectClosed(id, end, end);
        pactMarkets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
    }

    function test_openMarket_revertsWhenMemberPledgesAreNotContiguous() public {
        // Pacts.activate creates them in one run; a Pacts that did not would be refused rather than mis-gated.
        PactId id = _activePact();
        IPacts.Member memory b = pacts.getMember(id, labB);
        uint64 real = b.pledgeId;
        b.pledgeId = real + 7;
        vm.mockCall(address(pacts), abi.encodeCall(pacts.getMember, (id, labB)), abi.encode(b));
        vm.expectRevert(
            abi.encodeWithSelector(
                IPactMarkets.PactMarketPledgesNotContiguous.selector,
                id,
                1,
                PledgeId.wrap(real + 7),
                PledgeId.wrap(real)
            )
        );
        pactMarkets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
    }

    function test_openMarket_revertsWhenOpenedTwice() public {
        _mintSubsidy(bob, address(pactMarkets), subsidy);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOutcomeVault.UnexpectedConditionState.selector,
                conditionId,
                IOutcomeVault.ConditionState.Prepared,
                IOutcomeVault.ConditionState.None
            )
        );
        vm.prank(bob);
        pactMarkets.openMarket(pactId, LIQUIDITY, TRADE_FEE_BPS);
        (address s,) = pactMarkets.sponsorOf(pactId);
        assertEq(s, sponsor, "the first sponsor stays");
    }

    // --------------------------------------------------------------------- gate

    function test_gate_opensUntilTheLastSecondBeforeTheEnd() public {
        uint256 end = _pactEnd(pactId);
        vm.warp(end - 1);
        _buy(alice, conditionId, BREACH, SHARES);
        vm.warp(end);
        _expectClosed(pactId, end, end);
        _buy(alice, conditionId, HONOR, SHARES);
        _expectClosed(pactId, end, end);
        _sell(alice, conditionId, BREACH, SHARES);
    }

    function test_gate_closesOnAnyMembersChallengeAndReopensWhenRejected() public {
        PledgeId pidC = _pledgeOf(pactId, labC);
        ChallengeId cid = _challenge(pidC);
        _expectMemberState(pactId, pidC, IPledgeRegistry.PledgeState.Challenged);
        _buy(alice, conditionId, HONOR, SHARES);
        _dispute(pidC);
        _expectMemberState(pactId, pidC, IPledgeRegistry.PledgeState.Disputed);
        _buy(alice, conditionId, BREACH, SHARES);
        _rule(cid, false); // rejected: C's pledge is Active again
        _buy(alice, conditionId, BREACH, SHARES);
        // A later member breaching closes it for good.
        PledgeId pidA = _pledgeOf(pactId, labA);
        _breach(pactId, labA);
        _expectMemberState(pactId, pidA, IPledgeRegistry.PledgeState.Slashable);
        _sell(alice, conditionId, BREACH, SHARES);
    }

    function test_gate_refusesMembersGrowingBreachExposure() public {
        address[3] memory members = [labA, labB, labC];
        for (uint256 i; i < 3; ++i) {
            _expectSelfHedge(pactId, members[i]);
            _buy(members[i], conditionId, BREACH, SHARES);
            _expectSelfHedge(pactId, members[i]);
            _buyFor(alice, conditionId, BREACH, SHARES, members[i]); // as recipient
            _buy(members[i], conditionId, HONOR, SHARES); // shrinking it is allowed
            _expectSelfHedge(pactId, members[i]);
            _sell(members[i], conditionId, HONOR, SHARES);
        }
        // A member's HONOR sold by someone else with the member as recipient of the proceeds is refused too.
        _buy(alice, conditionId, HONOR, SHARES);
        _expectSelfHedge(pactId, labB);
        vm.prank(alice);
        maker.sell(conditionId, HONOR, SHARES, 0, block.timestamp, labB);
        // Non-members trade both ways.
        _buy(bob, conditionId, BREACH, SHARES);
        _sell(alice, conditionId, HONOR, SHARES);
        assertTrue(pactMarkets.isMember(pactId, labA));
        assertFalse(pactMarkets.isMember(pactId, alice));
    }

    function test_isMember_coversEveryOutcomeAndNoJoiner() public {
        // A member whose outcome Pacts recorded is still a member (for the sponsor cap).
        _breach(pactId, labC);
        pacts.recordOutcome(pactId, labC);
        assertTrue(pactMarkets.isMember(pactId, labC), "Breached");
        vm.warp(_pactEnd(pactId));
        pacts.recordOutcome(pactId, labA);
        assertTrue(pactMarkets.isMember(pactId, labA), "Honored");
        assertTrue(pactMarkets.isMember(pactId, labB), "Pledged");
        PactId failed = _createPact();
        _join(failed, alice, MIN_BOND);
        assertFalse(pactMarkets.isMember(failed, alice), "Joined is not a member of an activated pact");
    }

    function test_gate_revertsForUnknownCondition() public {
        ConditionId other = ConditionId.wrap(keccak256("other"));
        vm.expectRevert(abi.encodeWithSelector(IPactMarkets.PactMarketUnknown.selector, other));
        pactMarkets.checkTrade(other, alice, alice, BREACH, true);
    }

    // --------------------------------------------------------------- resolution

    function test_resolve_breachOnTheFirstSlashableMemberBeforePactsRecordsIt() public {
        _buy(alice, conditionId, BREACH, SHARES);
        PledgeId pidB = _pledgeOf(pactId, labB);
        _breach(pactId, labB);
        assertEq(uint256(pacts.getMember(pactId, labB).status), uint256(IPacts.MemberStatus.Pledged), "not recorded");
        vm.expectEmit(address(pactMarkets));
        emit IPactMarkets.PactMarketResolved(pactId, conditionId, true, pidB);
        vm.prank(stranger);
        assertTrue(pactMarkets.resolve(pactId));
        IOutcomeVault.Condition memory c = vault.getCondition(conditionId);
        assertEq(c.payoutNumerators[BREACH], 1);
        assertEq(c.payoutNumerators[HONOR], 0);
        assertEq(_redeem(alice, conditionId), SHARES);
    }

    function test_resolve_breachWhenOthersAreStillUndecided() public {
        _challengeAndDispute(pactId, labA); // A: Disputed
        PledgeId pidC = _pledgeOf(pactId, labC);
        _challenge(pidC);
        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(pidC); // C: Breached (recorded in the registry, not in Pacts)
        vm.expectEmit(address(pactMarkets));
        emit IPactMarkets.PactMarketResolved(pactId, conditionId, true, pidC);
        assertTrue(pactMarkets.resolve(pactId));
    }

    function test_resolve_revertsWithTheStatesWhileUndecided() public {
        PledgeId first = _pledgeOf(pactId, labA);
        IPledgeRegistry.PledgeState[] memory states = new IPledgeRegistry.PledgeState[](3);
        states[0] = states[1] = states[2] = IPledgeRegistry.PledgeState.Active;
        vm.expectRevert(abi.encodeWithSelector(IPactMarkets.PactMarketUndecided.selector, pactId, first, states));
        pactMarkets.resolve(pactId);

        // B disputed a day before the end, then the term ends: A and C Releasable, B still Disputed (then
        // RulingOverdue): no HONOR.
        vm.warp(_pactEnd(pactId) - 1 days);
        _challengeAndDispute(pactId, labB);
        vm.warp(_pactEnd(pactId));
        states[0] = states[2] = IPledgeRegistry.PledgeState.Releasable;
        states[1] = IPledgeRegistry.PledgeState.Disputed;
        vm.expectRevert(abi.encodeWithSelector(IPactMarkets.PactMarketUndecided.selector, pactId, first, states));
        pactMarkets.resolve(pactId);
        vm.warp(block.timestamp + TIMEOUT);
        states[1] = IPledgeRegistry.PledgeState.RulingOverdue;
        vm.expectRevert(abi.encodeWithSelector(IPactMarkets.PactMarketUndecided.selector, pactId, first, states));
        pactMarkets.resolve(pactId);
    }

    function test_resolve_honorOnlyWhenEveryMemberIsHonoredOrReleasable() public {
        _buy(alice, conditionId, HONOR, SHARES);
        vm.warp(_pactEnd(pactId));
        pacts.recordOutcome(pactId, labA); // A: Honored; B, C: Releasable
        vm.expectEmit(address(pactMarkets));
        emit IPactMarkets.PactMarketResolved(pactId, conditionId, false, PledgeId.wrap(0));
        assertFalse(pactMarkets.resolve(pactId));
        IOutcomeVault.Condition memory c = vault.getCondition(conditionId);
        assertEq(c.payoutNumerators[BREACH], 0);
        assertEq(c.payoutNumerators[HONOR], 1);
        assertEq(_redeem(alice, conditionId), SHARES);
    }

    function test_resolve_revertsWhenNotOpenedOrTwice() public {
        PactId other = _activePact();
        vm.expectRevert(abi.encodeWithSelector(IPactMarkets.PactMarketNotOpened.selector, other));
        pactMarkets.resolve(other);
        _breach(pactId, labA);
        pactMarkets.resolve(pactId);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOutcomeVault.UnexpectedConditionState.selector,
                conditionId,
                IOutcomeVault.ConditionState.Resolved,
                IOutcomeVault.ConditionState.Prepared
            )
        );
        pactMarkets.resolve(pactId);
    }

    // ----------------------------------------------------------------- withdraw

    function test_withdrawSubsidy_thirdPartyKeepsEverything() public {
        uint256 cost = _buy(alice, conditionId, HONOR, SHARES);
        _breach(pactId, labC);
        pactMarkets.resolve(pactId);
        vm.expectEmit(address(pactMarkets));
        emit IPactMarkets.PactSubsidyWithdrawn(pactId, sponsor, sponsor, subsidy + cost, fund, 0);
        vm.prank(sponsor);
        assertEq(pactMarkets.withdrawSubsidy(pactId, sponsor), subsidy + cost);
    }

    function test_withdrawSubsidy_memberSponsorCappedOnBreach() public {
        PactId id = _activePact();
        (ConditionId c, uint256 paid) = _openPactAs(labA, id, LIQUIDITY);
        uint256 cost = _buy(alice, c, HONOR, SHARES);
        _breach(id, labC);
        pactMarkets.resolve(id);
        uint256 fundBefore = token.balanceOf(fund);
        uint256 aBefore = token.balanceOf(labA);
        vm.expectEmit(address(pactMarkets));
        emit IPactMarkets.PactSubsidyWithdrawn(id, labA, labA, paid, fund, cost);
        vm.prank(labA);
        assertEq(pactMarkets.withdrawSubsidy(id, labA), paid, "at most the subsidy");
        assertEq(token.balanceOf(fund) - fundBefore, cost, "the excess to the pact's beneficiary");
        assertEq(token.balanceOf(labA) - aBefore, paid);
    }

    function test_withdrawSubsidy_memberSponsorUncappedOnHonorOrLoss() public {
        // HONOR reported: a member-sponsor keeps everything.
        PactId id = _activePact();
        (ConditionId c, uint256 paid) = _openPactAs(labA, id, LIQUIDITY);
        uint256 cost = _buy(alice, c, BREACH, SHARES);
        vm.warp(_pactEnd(id));
        assertFalse(pactMarkets.resolve(id));
        vm.prank(labA);
        assertEq(pactMarkets.withdrawSubsidy(id, labA), paid + cost, "BREACH shares pay nothing");
        // BREACH reported with traders long BREACH: the member-sponsor loses, nothing to cap.
        PactId id2 = _activePact();
        (ConditionId c2, uint256 paid2) = _openPactAs(labB, id2, LIQUIDITY);
        uint256 cost2 = _buy(alice, c2, BREACH, SHARES);
        _breach(id2, labC);
        pactMarkets.resolve(id2);
        vm.expectEmit(address(pactMarkets));
        emit IPactMarkets.PactSubsidyWithdrawn(id2, labB, labB, paid2 + cost2 - SHARES, fund, 0);
        vm.prank(labB);
        pactMarkets.withdrawSubsidy(id2, labB);
    }

    function test_withdrawSubsidy_refusals() public {
        PactId other = _activePact();
        vm.expectRevert(abi.encodeWithSelector(IPactMarkets.PactMarketNotOpened.selector, other));
        pactMarkets.withdrawSubsidy(other, sponsor);
        vm.expectRevert(
            abi.encodeWithSelector(IPactMarkets.PactMarketCallerNotSponsor.selector, pactId, labA, sponsor)
        );
        vm.prank(labA);
        pactMarkets.withdrawSubsidy(pactId, labA);
        vm.expectRevert(abi.encodeWithSelector(IPactMarkets.PactMarketRecipientInvalid.selector, address(0)));
        vm.prank(sponsor);
        pactMarkets.withdrawSubsidy(pactId, address(0));
        vm.expectRevert(
            abi.encodeWithSelector(IPactMarkets.PactMarketRecipientInvalid.selector, address(pactMarkets))
        );
        vm.prank(sponsor);
        pactMarkets.withdrawSubsidy(pactId, address(pactMarkets));
        vm.expectRevert(
            abi.encodeWithSelector(
                ILmsrMarketMaker.UnexpectedMarketState.selector,
                conditionId,
                ILmsrMarketMaker.MarketState.Open,
                ILmsrMarketMaker.MarketState.Resolved
            )
        );
        vm.prank(sponsor);
        pactMarkets.withdrawSubsidy(pactId, sponsor);
        vm.warp(_pactEnd(pactId));
        pactMarkets.resolve(pactId);
        vm.prank(sponsor);
        assertEq(pactMarkets.withdrawSubsidy(pactId, sponsor), subsidy);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILmsrMarketMaker.UnexpectedMarketState.selector,
                conditionId,
                ILmsrMarketMaker.MarketState.Withdrawn,
                ILmsrMarketMaker.MarketState.Resolved
            )
        );
        vm.prank(sponsor);
        pactMarkets.withdrawSubsidy(pactId, sponsor);
    }
}
