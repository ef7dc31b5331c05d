// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDefectionLens} from "../../../contracts/interfaces/IDefectionLens.sol";
import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {DefectionLens} from "../../../contracts/lens/DefectionLens.sol";
import {LmsrMarketMaker} from "../../../contracts/markets/LmsrMarketMaker.sol";
import {PactMarkets} from "../../../contracts/markets/PactMarkets.sol";
import {PactId, PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {PactMarketsFixture} from "./PactMarketsFixture.sol";

/// @notice Unit tests of DefectionLens: every figure to the wei against numbers worked out by hand (bond splits) or
/// from the maker's books (`cash + sets - sold[BREACH]`, with `cash` the subsidy-free sum of what traders paid), and
/// the market figures checked against what the sponsors then really withdraw after a breach.
contract DefectionLensTest is PactMarketsFixture {
    // A member's defection in the standard pact (reward 10%, keepers 80%), floors throughout:
    // C (3,000,017): reward 300,001; rest 2,700,016; keepers 2,160,012; fund 540,004; others' bonds 3,000,014.
    uint256 internal constant C_REWARD = 300_001;
    uint256 internal constant C_TO_KEEPERS = 2_160_012;
    uint256 internal constant C_TO_FUND = 540_004;
    // A (1,000,003): reward floor(100,000.3) = 100,000; rest 900,003; keepers floor(720,002.4) = 720,002; fund
    // 180,001. After C's recorded breach A has accrued 720,002 of C's keeper share (A/(A+B) of 2,160,012, floored).
    uint256 internal constant A_REWARD = 100_000;
    uint256 internal constant A_TO_KEEPERS = 720_002;
    uint256 internal constant A_TO_FUND = 180_001;
    uint256 internal constant A_SHARE_OF_C = 720_002;

    PactId internal pactId;

    function setUp() public override {
        super.setUp();
        pactId = _activePact();
    }

    function _assertNoMarket(IDefectionLens.MarketFigures memory f) internal pure {
        assertEq(uint256(f.state), uint256(ILmsrMarketMaker.MarketState.None), "no market");
        assertEq(f.sponsor, address(0));
        assertEq(f.subsidy, 0);
        assertEq(f.breachPrice, 0);
        assertEq(f.payoutIfBreach, 0);
        assertEq(f.subsidyLostIfBreach, 0);
        assertEq(f.toBeneficiaryIfBreach, 0);
    }

    // ------------------------------------------------------------------ members

    function test_memberCost_freshPact() public view {
        IDefectionLens.MemberCost memory m = lens.memberCost(pactId, labC);
        assertEq(PledgeId.unwrap(m.pledgeId), PledgeId.unwrap(_pledgeOf(pactId, labC)));
        assertEq(m.pact.bondAtRisk, BOND_C);
        assertEq(m.pact.toChallenger, C_REWARD);
        assertEq(m.pact.toKeepers, C_TO_KEEPERS);
        assertEq(m.pact.toBeneficiary, C_TO_FUND);
        assertEq(m.pact.sharesForfeited, 0);
        assertEq(m.pact.othersCompliantBond, uint256(BOND_A) + BOND_B);
        assertEq(m.marketLoss, 0);
        assertEq(m.lossIfDefect, BOND_C);
        assertEq(m.keep.sharesEarned, 0);
        assertEq(m.keep.bondReturned, BOND_C);
        _assertNoMarket(m.pledgeMarket);
        _assertNoMarket(m.pactMarket);
    }

    function test_memberCost_afterAnotherMembersBreach_countsSharesForfeited() public {
        _breach(pactId, labC);
        pacts.recordOutcome(pactId, labC);
        IDefectionLens.MemberCost memory m = lens.memberCost(pactId, labA);
        assertEq(m.pact.bondAtRisk, BOND_A);
        assertEq(m.pact.toChallenger, A_REWARD);
        assertEq(m.pact.toKeepers, A_TO_KEEPERS);
        assertEq(m.pact.toBeneficiary, A_TO_FUND);
        assertEq(m.pact.sharesForfeited, A_SHARE_OF_C);
        assertEq(m.pact.othersCompliantBond, BOND_B);
        assertEq(m.lossIfDefect, uint256(BOND_A) + A_SHARE_OF_C, "1,720,005");
        assertEq(m.keep.sharesEarned, A_SHARE_OF_C);
        assertEq(m.keep.bondReturned, BOND_A);

        // The breacher has nothing left at risk nor to gain.
        m = lens.memberCost(pactId, labC);
        assertEq(m.pact.bondAtRisk, 0);
        assertEq(m.lossIfDefect, 0);
        assertEq(m.keep.sharesEarned, 0);
        assertEq(m.keep.bondReturned, 0);
    }

    function test_memberCost_slashableMemberHasNoBondToComeBack() public {
        _breach(pactId, labB); // Slashable, not recorded
        IDefectionLens.MemberCost memory m = lens.memberCost(pactId, labB);
        assertEq(m.pact.bondAtRisk, BOND_B, "Pacts still counts it at risk until it is final");
        assertEq(m.keep.bondReturned, 0, "but it will not come back");
    }

    function test_memberCost_nonMember() public {
        _openPact(pactId);
        IDefectionLens.MemberCost memory m = lens.memberCost(pactId, alice);
        assertEq(PledgeId.unwrap(m.pledgeId), 0);
        assertEq(m.pact.bondAtRisk, 0);
        assertEq(m.lossIfDefect, 0);
        assertEq(m.keep.bondReturned, 0);
        _assertNoMarket(m.pledgeMarket);
        assertEq(m.pactMarket.sponsor, sponsor, "the pact's market is still reported");
        assertEq(m.pactMarket.breachPrice, WAD / 2);
    }

    function test_memberCost_marketFigures_matchWhatTheSponsorsWithdraw() public {
        PledgeId pidA = _pledgeOf(pactId, labA);
        (ConditionId cA, uint256 sA) = _openPledgeAs(labA, pidA); // A sponsors its own pledge's market
        (ConditionId cP, uint256 sP) = _openPactAs(labB, pactId, LIQUIDITY); // B sponsors the pact's market

        IDefectionLens.MemberCost memory m = lens.memberCost(pactId, labA);
        assertEq(m.pledgeMarket.breachPrice, WAD / 2, "fresh market: one half");
        assertEq(m.pledgeMarket.sponsor, labA);
        assertEq(m.pledgeMarket.subsidy, sA);
        assertTrue(m.pledgeMarket.sponsorCapped, "the pledger");
        assertEq(m.pledgeMarket.payoutIfBreach, sA, "nothing traded: the subsidy");
        assertEq(m.pledgeMarket.subsidyLostIfBreach, 0);
        assertEq(m.pactMarket.sponsor, labB);
        assertTrue(m.pactMarket.sponsorCapped, "a member");

        // alice bets on A's breach: the maker's BREACH inventory shrinks by SHARES, its cash grows by c1.
        uint256 c1 = _buy(alice, cA, BREACH, SHARES);
        // bob bets on the pact being kept: the pact market's cash grows by c2; its BREACH inventory is whole.
        uint256 c2 = _buy(bob, cP, HONOR, SHARES);
        m = lens.memberCost(pactId, labA);
        assertEq(m.pledgeMarket.breachPrice, maker.prices(cA)[BREACH]);
        assertGt(m.pledgeMarket.breachPrice, WAD / 2);
        assertEq(m.pledgeMarket.payoutIfBreach, sA + c1 - SHARES);
        assertEq(m.pledgeMarket.subsidyLostIfBreach, SHARES - c1);
        assertEq(m.pledgeMarket.toBeneficiaryIfBreach, 0);
        assertEq(m.pactMarket.breachPrice, maker.prices(cP)[BREACH]);
        assertLt(m.pactMarket.breachPrice, WAD / 2);
        assertEq(m.pactMarket.payoutIfBreach, sP + c2);
        assertEq(m.pactMarket.subsidyLostIfBreach, 0);
        assertEq(m.pactMarket.toBeneficiaryIfBreach, c2, "a member-sponsor gives up the excess");
        assertEq(m.marketLoss, SHARES - c1, "A sponsors its own market only");
        assertEq(m.lossIfDefect, BOND_A + SHARES - c1);
        assertEq(lens.memberCost(pactId, labB).marketLoss, 0, "B's pact-market subsidy is whole on BREACH");

        // A defects: both markets resolve BREACH; the sponsors withdraw exactly what the lens said.
        _breach(pactId, labA);
        assertTrue(breachMarkets.resolve(pidA));
        assertTrue(pactMarkets.resolve(pactId));
        vm.prank(labA);
        assertEq(breachMarkets.withdrawSubsidy(pidA, labA), sA - m.pledgeMarket.subsidyLostIfBreach);
        uint256 fundBefore = token.balanceOf(fund);
        vm.prank(labB);
        assertEq(pactMarkets.withdrawSubsidy(pactId, labB), sP);
        assertEq(token.balanceOf(fund) - fundBefore, m.pactMarket.toBeneficiaryIfBreach);
        // Resolved markets report their state and no "if BREACH now" figures.
        IDefectionLens.MarketFigures memory f = lens.pactMarket(pactId);
        assertEq(uint256(f.state), uint256(ILmsrMarketMaker.MarketState.Withdrawn));
        assertEq(f.breachPrice, 0);
        assertEq(f.payoutIfBreach, 0);
    }

    // ------------------------------------------------------------------ pledges

    function test_pledgeCost_plainPledge() public {
        PledgeId id = _create();
        IDefectionLens.PledgeCost memory p = lens.pledgeCost(id);
        assertEq(uint256(p.state), uint256(IPledgeRegistry.PledgeState.Active));
        assertEq(p.bondAtRisk, BOND);
        assertEq(p.toChallenger, REWARD, "123,456");
        assertEq(p.toBeneficiary, BENEFICIARY_SHARE, "1,111,111");
        assertEq(p.marketLoss, 0);
        assertEq(p.total, BOND);
        _assertNoMarket(p.market);

        (ConditionId c, uint256 s) = _openPledgeAs(pledger, id);
        uint256 cost = _buy(alice, c, BREACH, SHARES);
        p = lens.pledgeCost(id);
        assertEq(p.market.subsidy, s);
        assertEq(p.market.payoutIfBreach, s + cost - SHARES);
        assertEq(p.marketLoss, SHARES - cost);
        assertEq(p.total, BOND + SHARES - cost);

        // Breached: nothing left at risk; the market still open until resolved.
        _challenge(id);
        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(id);
        p = lens.pledgeCost(id);
        assertEq(uint256(p.state), uint256(IPledgeRegistry.PledgeState.Breached));
        assertEq(p.bondAtRisk, 0);
        assertEq(p.toChallenger, 0);
        assertEq(p.toBeneficiary, 0);
        assertEq(p.total, SHARES - cost);
        breachMarkets.resolve(id);
        p = lens.pledgeCost(id);
        assertEq(uint256(p.market.state), uint256(ILmsrMarketMaker.MarketState.Resolved));
        assertEq(p.total, 0);
    }

    function test_pledgeCost_thirdPartyAndAffiliateSponsors() public {
        PledgeId id = _create();
        (ConditionId c, uint256 s) = _openPledgeAs(sponsor, id);
        uint256 cost = _buy(alice, c, HONOR, SHARES);
        IDefectionLens.PledgeCost memory p = lens.pledgeCost(id);
        assertFalse(p.market.sponsorCapped);
        assertEq(p.market.payoutIfBreach, s + cost);
        assertEq(p.market.toBeneficiaryIfBreach, 0, "a third party keeps the excess");
        assertEq(p.marketLoss, 0, "not the pledger's subsidy");

        PledgeId id2 = _create();
        address[] memory list = new address[](1);
        list[0] = bob;
        vm.prank(pledger);
        breachMarkets.declareAffiliates(id2, list);
        (ConditionId c2, uint256 s2) = _openPledgeAs(bob, id2);
        uint256 cost2 = _buy(alice, c2, HONOR, SHARES);
        p = lens.pledgeCost(id2);
        assertTrue(p.market.sponsorCapped, "a declared affiliate");
        assertEq(p.market.toBeneficiaryIfBreach, cost2);
        assertEq(p.market.payoutIfBreach, s2 + cost2);
    }

    function test_pledgeCost_unknownPledge() public view {
        IDefectionLens.PledgeCost memory p = lens.pledgeCost(PledgeId.wrap(999));
        assertEq(uint256(p.state), uint256(IPledgeRegistry.PledgeState.None));
        assertEq(p.total, 0);
        assertEq(p.market.sponsor, address(0));
    }

    function test_constructor_refusesMarketsOfAnotherMaker() public {
        LmsrMarketMaker other = new LmsrMarketMaker(vault);
        PactMarkets elsewhere = new PactMarkets(pacts, other, MIN_LIQUIDITY);
        vm.expectRevert(
            abi.encodeWithSelector(IDefectionLens.DefectionLensWiring.selector, "maker", address(maker), address(other))
        );
        new DefectionLens(breachMarkets, elsewhere);
    }
}
