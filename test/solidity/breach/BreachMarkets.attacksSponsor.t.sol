// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {BreachMarketsAttacksBase} from "./BreachMarketsAttacksBase.sol";

/// @notice Attacks on breach markets by a pledger or affiliate acting as sponsor, and on the locked bond (same assertions as BreachMarketsAttacksTest).
contract BreachMarketsSponsorAttacksTest is BreachMarketsAttacksBase {
    // ========== self-hedging as sponsor

    function test_attack_pledgerAsSponsorProfitsFromOwnBreach_capped() public {
        // The maker takes the other side of every trade: a pledger that sponsors its own market holds the BREACH
        // side of every HONOR bought, and would gain from its own breach what the HONOR buyers paid (here more
        // than its whole bond). withdrawSubsidy pays it back its subsidy, to the wei, and the beneficiary the rest.
        (PledgeId id,, uint256 paid, uint256 bobCost) = _sponsoredWithHonorBought(pledger);
        assertGt(bobCost, uint256(BOND), "the uncapped gain would exceed the slashed bond");
        _breachAndResolve(id);

        // The market holds the subsidy and all bob paid (HONOR pays nothing): paid + bobCost.
        _withdrawExpecting(pledger, id, pledger, paid + bobCost, paid, beneficiary, bobCost);
        vm.prank(bob);
        assertEq(vault.redeem(token, ROOT, markets.conditionOf(id)), 0, "HONOR is worthless");
    }

    function test_attack_pledgerAsSponsorWithdrawsToAnotherAddress_capped() public {
        // The cap follows the sponsor, not the recipient.
        (PledgeId id,, uint256 paid, uint256 bobCost) = _sponsoredWithHonorBought(pledger);
        _breachAndResolve(id);
        _withdrawExpecting(pledger, id, alice, paid + bobCost, paid, beneficiary, bobCost);
    }

    function test_attack_affiliateAsSponsorProfitsFromBreach_capped() public {
        // The same through a declared affiliate; resolved at Slashable (the cap reads the reported BREACH).
        PledgeId id = _create();
        address[] memory list = new address[](1);
        list[0] = affiliate;
        vm.prank(pledger);
        markets.declareAffiliates(id, list);
        (ConditionId c, uint256 paid) = _openAs(affiliate, id, LIQUIDITY, TRADE_FEE_BPS);
        _assertSponsor(id, affiliate, paid);
        uint256 bobCost = _buy(bob, c, HONOR, BIG_TRADE);
        _challenge(id);
        vm.warp(block.timestamp + LIVENESS);
        _assertState(id, IPledgeRegistry.PledgeState.Slashable);
        assertTrue(markets.resolve(id));

        _withdrawExpecting(affiliate, id, affiliate, paid + bobCost, paid, beneficiary, bobCost);
    }

    function test_attack_thirdPartySponsorKeepsBreachGain() public {
        // The cap is for the pledger's side only: a third-party sponsor in the same market keeps all of it.
        (PledgeId id,, uint256 paid, uint256 bobCost) = _sponsoredWithHonorBought(sponsor);
        _breachAndResolve(id);
        _withdrawExpecting(sponsor, id, sponsor, paid + bobCost, paid + bobCost, beneficiary, 0);
        assertEq(token.balanceOf(beneficiary), 0, "the beneficiary gets nothing from the market");
    }

    function test_attack_declareThirdPartySponsorAffiliateAfterOpening_refused() public {
        // The pledger cannot turn a third-party sponsor into a capped one after the fact (to divert its gain to a
        // beneficiary the pledger chose): the sponsor of an open market cannot be declared.
        (PledgeId id,, uint256 paid, uint256 bobCost) = _sponsoredWithHonorBought(sponsor);
        _breachAndResolve(id);
        address[] memory list = new address[](1);
        list[0] = sponsor;
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketAffiliateIsSponsor.selector, id, sponsor));
        vm.prank(pledger);
        markets.declareAffiliates(id, list);
        assertFalse(markets.isAffiliate(id, sponsor));
        _withdrawExpecting(sponsor, id, sponsor, paid + bobCost, paid + bobCost, beneficiary, 0);
    }

    function test_attack_pledgerAsSponsorKeepsGainOnHonor() public {
        // No cap when HONOR is reported: traders bought BREACH, lost, and the pledger-sponsor keeps their payment.
        PledgeId id = _create();
        (ConditionId c, uint256 paid) = _openAs(pledger, id, LIQUIDITY, TRADE_FEE_BPS);
        uint256 aliceCost = _buy(alice, c, BREACH, BIG_TRADE);
        _honorAndResolve(id);
        _withdrawExpecting(pledger, id, pledger, paid + aliceCost, paid + aliceCost, beneficiary, 0);
    }

    function test_attack_pledgerAsSponsorLosesOnBreach_uncapped() public {
        // The cap only takes a gain: when traders bought BREACH, a breach costs the pledger-sponsor, and it
        // receives what is left (less than its subsidy), nothing going to the beneficiary.
        PledgeId id = _create();
        (ConditionId c, uint256 paid) = _openAs(pledger, id, LIQUIDITY, TRADE_FEE_BPS);
        uint256 aliceCost = _buy(alice, c, BREACH, BIG_TRADE);
        _breachAndResolve(id);
        uint256 left = paid + aliceCost - BIG_TRADE;
        assertLt(left, paid, "a loss");
        _withdrawExpecting(pledger, id, pledger, left, left, beneficiary, 0);
        vm.prank(alice);
        assertEq(vault.redeem(token, ROOT, c), BIG_TRADE, "the BREACH buyer is paid in full");
    }

    function test_attack_pledgerAsSponsorWithoutTrades_getsExactlyItsSubsidy() public {
        // The boundary: on BREACH with no trades the market holds exactly the subsidy; it all goes back.
        PledgeId id = _create();
        (, uint256 paid) = _openAs(pledger, id, LIQUIDITY, TRADE_FEE_BPS);
        _breachAndResolve(id);
        _withdrawExpecting(pledger, id, pledger, paid, paid, beneficiary, 0);
    }

    function test_statedLimit_pledgerCanDeclareAnyTraderAnAffiliate() public {
        // Not refused by any rule: declarations are the pledger's word, so it can shut a BREACH buyer out of its
        // market (it gains no position; the buyer can trade from another address).
        _buy(alice, BREACH, SHARES);
        address[] memory list = new address[](1);
        list[0] = alice;
        vm.prank(pledger);
        markets.declareAffiliates(pledgeId, list);
        _expectSelfHedge(pledgeId, alice);
        _buy(alice, BREACH, SHARES);
        // Alice can still sell what she holds (that lowers her BREACH exposure).
        _sell(alice, BREACH, SHARES);
        assertEq(_shares(alice, BREACH), 0);
    }

    // ========== the bond

    function test_attack_pledgerFreesBondWhileMarketOpen_refused() public {
        // The pledger wants its bond back while its breach market still trades.
        _buy(alice, BREACH, SHARES);
        vm.warp(_end(pledgeId) - 1);
        uint256[] memory before = _snapshot();
        _expectUnexpectedState(pledgeId, IPledgeRegistry.PledgeState.Active, (1 << 4) | (1 << 6));
        vm.prank(pledger);
        registry.finalize(pledgeId);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.NothingToClaim.selector, pledger, token));
        vm.prank(pledger);
        registry.claim(token, pledger);
        _assertUnchanged(before);
        assertEq(token.balanceOf(address(registry)), BOND);
    }
}
