// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {BreachMarketsTestBase} from "./BreachMarketsTestBase.sol";

/// @notice Unit tests of affiliate declarations, the bond staying locked while the market is open, and both outcomes end to end with the bond token conserved to the wei.
contract BreachMarketsAffiliatesTest is BreachMarketsTestBase {
    // ========== declareAffiliates

    function test_declareAffiliates_recordsAndEmitsPerAddress() public {
        address[] memory list = new address[](3);
        list[0] = affiliate;
        list[1] = bob;
        list[2] = affiliate; // repeats are harmless
        for (uint256 i; i < list.length; ++i) {
            vm.expectEmit(address(markets));
            emit IBreachMarkets.AffiliateDeclared(pledgeId, list[i]);
        }
        vm.prank(pledger);
        markets.declareAffiliates(pledgeId, list);
        assertTrue(markets.isAffiliate(pledgeId, affiliate));
        assertTrue(markets.isAffiliate(pledgeId, bob));
        assertFalse(markets.isAffiliate(pledgeId, alice));
        assertFalse(markets.isAffiliate(pledgeId, pledger), "the pledger is refused by its own rule, not listed");
    }

    function test_declareAffiliates_isAppendOnly() public {
        // IBreachMarkets has no function that removes an affiliate; a second declaration only adds.
        _declare(affiliate);
        _declare(bob);
        assertTrue(markets.isAffiliate(pledgeId, affiliate));
        assertTrue(markets.isAffiliate(pledgeId, bob));
    }

    function test_declareAffiliates_acceptsMaxPerCall() public {
        address[] memory list = _list(MAX_AFFILIATES);
        vm.prank(pledger);
        markets.declareAffiliates(pledgeId, list);
        assertTrue(markets.isAffiliate(pledgeId, list[0]));
        assertTrue(markets.isAffiliate(pledgeId, list[MAX_AFFILIATES - 1]));
    }

    function test_declareAffiliates_revertsWhenAboveMaxPerCall() public {
        address[] memory list = _list(MAX_AFFILIATES + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IBreachMarkets.BreachMarketAffiliatesInvalid.selector, MAX_AFFILIATES + 1, MAX_AFFILIATES
            )
        );
        vm.prank(pledger);
        markets.declareAffiliates(pledgeId, list);
    }

    function test_declareAffiliates_revertsWhenEmpty() public {
        vm.expectRevert(
            abi.encodeWithSelector(IBreachMarkets.BreachMarketAffiliatesInvalid.selector, 0, MAX_AFFILIATES)
        );
        vm.prank(pledger);
        markets.declareAffiliates(pledgeId, new address[](0));
    }

    function test_declareAffiliates_revertsWhenZeroAddress() public {
        address[] memory list = new address[](2);
        list[0] = affiliate;
        vm.expectRevert(
            abi.encodeWithSelector(IBreachMarkets.BreachMarketAffiliatesInvalid.selector, 2, MAX_AFFILIATES)
        );
        vm.prank(pledger);
        markets.declareAffiliates(pledgeId, list);
        assertFalse(markets.isAffiliate(pledgeId, affiliate), "nothing of the list recorded");
    }

    function test_declareAffiliates_revertsWhenCallerNotPledger() public {
        address[] memory list = _list(1);
        vm.expectRevert(
            abi.encodeWithSelector(IBreachMarkets.BreachMarketCallerNotPledger.selector, pledgeId, sponsor, pledger)
        );
        vm.prank(sponsor);
        markets.declareAffiliates(pledgeId, list);
    }

    function test_declareAffiliates_revertsWhenPledgeUnknown() public {
        address[] memory list = _list(1);
        _expectPledgeState(UNKNOWN, IPledgeRegistry.PledgeState.None);
        vm.prank(pledger);
        markets.declareAffiliates(UNKNOWN, list);
    }

    function test_declareAffiliates_worksBeforeTheMarketOpens() public {
        PledgeId id = _create();
        address[] memory list = new address[](1);
        list[0] = affiliate;
        vm.prank(pledger);
        markets.declareAffiliates(id, list);
        (ConditionId c,) = _open(id);
        _expectSelfHedge(id, affiliate);
        _buy(affiliate, c, BREACH, SHARES);
    }

    // ========== bond locked

    function test_bond_lockedWhileMarketOpen() public {
        _buy(alice, BREACH, SHARES);
        _assertState(pledgeId, IPledgeRegistry.PledgeState.Active);
        assertEq(registry.claimable(pledger, token), 0, "nothing claimable while the market trades");
        _expectUnexpectedState(pledgeId, IPledgeRegistry.PledgeState.Active, FINALIZE_ALLOWED);
        registry.finalize(pledgeId);

        // The last second the market trades, the bond is still locked.
        vm.warp(_end(pledgeId) - 1);
        _buy(bob, HONOR, SHARES);
        _expectUnexpectedState(pledgeId, IPledgeRegistry.PledgeState.Active, FINALIZE_ALLOWED);
        registry.finalize(pledgeId);
        assertEq(registry.claimable(pledger, token), 0);
    }

    function test_bond_returnedOnlyOnceTradingClosed() public {
        vm.warp(_end(pledgeId));
        // Releasable: trading is closed before the bond can move.
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Releasable);
        _buy(alice, HONOR, SHARES);
        registry.finalize(pledgeId);
        assertEq(registry.claimable(pledger, token), BOND);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Honored);
        _buy(alice, HONOR, SHARES);
        vm.prank(pledger);
        registry.claim(token, pledger);
        assertEq(token.balanceOf(pledger), TRADER_FUNDS + BOND);
    }

    // ========== end to end

    function test_endToEnd_breach() public {
        uint256 aliceCost = _buy(alice, BREACH, 400e18 + 11);
        uint256 bobCost = _buy(bob, HONOR, SHARES);
        uint256 pledgerCost = _buy(pledger, HONOR, 100e18 + 1); // the pledger may back itself
        uint256 strangerCost = _buy(stranger, BREACH, 50e18);
        uint256 strangerProceeds = _sell(stranger, BREACH, 20e18);
        _assertConservation();
        _breachAndResolve(pledgeId);

        // BREACH pays 1 per share; HONOR nothing.
        vm.prank(alice);
        assertEq(vault.redeem(token, ROOT, conditionId), 400e18 + 11);
        vm.prank(stranger);
        assertEq(vault.redeem(token, ROOT, conditionId), 30e18);
        vm.prank(bob);
        assertEq(vault.redeem(token, ROOT, conditionId), 0);
        vm.prank(pledger);
        assertEq(vault.redeem(token, ROOT, conditionId), 0);

        uint256 netIn = aliceCost + bobCost + pledgerCost + strangerCost - strangerProceeds;
        uint256 winners = 400e18 + 11 + 30e18;
        assertLe(winners, netIn + subsidy, "sponsor loss within the subsidy");
        uint256 expected = subsidy + netIn - winners;
        _expectThirdPartyWithdrawal(expected);
        uint256 withdrawn = _withdrawSubsidy(sponsor, pledgeId, sponsor);
        assertEq(withdrawn, expected, "sponsor gets subsidy + net trades - winning shares");
        assertEq(token.balanceOf(sponsor), withdrawn);
        assertEq(uint256(maker.marketState(conditionId)), uint256(ILmsrMarketMaker.MarketState.Withdrawn));

        // The registry pays the challenger its bond and reward, the beneficiary the rest.
        vm.prank(challenger);
        assertEq(registry.claim(token, challenger), CHALLENGE_BOND + REWARD);
        vm.prank(beneficiary);
        assertEq(registry.claim(token, beneficiary), BENEFICIARY_SHARE);
        assertEq(token.balanceOf(beneficiary), BENEFICIARY_SHARE, "nothing from the market: the sponsor is no hedger");
        assertEq(registry.claimable(pledger, token), 0, "the pledger's bond is gone");

        assertEq(token.balanceOf(address(vault)), 0, "vault emptied");
        assertEq(token.balanceOf(address(maker)), 0, "maker emptied");
        assertEq(token.balanceOf(address(markets)), 0);
        assertEq(token.balanceOf(address(registry)), 0, "registry emptied");
        assertEq(token.balanceOf(alice), TRADER_FUNDS - aliceCost + 400e18 + 11);
        assertEq(token.balanceOf(bob), TRADER_FUNDS - bobCost);
        assertEq(token.balanceOf(pledger), TRADER_FUNDS - pledgerCost);
        assertEq(token.balanceOf(stranger), TRADER_FUNDS - strangerCost + strangerProceeds + 30e18);
        _assertConservation();
    }

    function test_endToEnd_honor() public {
        uint256 aliceCost = _buy(alice, BREACH, SHARES);
        uint256 bobCost = _buy(bob, HONOR, 600e18 + 13);
        uint256 pledgerCost = _buy(pledger, HONOR, 100e18 + 1);
        uint256 bobProceeds = _sell(bob, HONOR, 100e18);
        _assertConservation();

        vm.warp(_end(pledgeId));
        assertEq(uint256(registry.finalize(pledgeId)), uint256(IPledgeRegistry.Outcome.Honored));
        assertFalse(markets.resolve(pledgeId));

        vm.prank(bob);
        assertEq(vault.redeem(token, ROOT, conditionId), 500e18 + 13);
        vm.prank(pledger);
        assertEq(vault.redeem(token, ROOT, conditionId), 100e18 + 1);
        vm.prank(alice);
        assertEq(vault.redeem(token, ROOT, conditionId), 0);

        uint256 netIn = aliceCost + bobCost + pledgerCost - bobProceeds;
        uint256 winners = 500e18 + 13 + 100e18 + 1;
        assertLe(winners, netIn + subsidy, "sponsor loss within the subsidy");
        uint256 expected = subsidy + netIn - winners;
        _expectThirdPartyWithdrawal(expected);
        uint256 withdrawn = _withdrawSubsidy(sponsor, pledgeId, sponsor);
        assertEq(withdrawn, expected, "sponsor gets subsidy + net trades - winning shares");

        vm.prank(pledger);
        assertEq(registry.claim(token, pledger), BOND, "bond back once honored");

        assertEq(token.balanceOf(address(vault)), 0, "vault emptied");
        assertEq(token.balanceOf(address(maker)), 0, "maker emptied");
        assertEq(token.balanceOf(address(registry)), 0, "registry emptied");
        assertEq(token.balanceOf(pledger), TRADER_FUNDS - pledgerCost + 100e18 + 1 + BOND);
        assertEq(token.balanceOf(bob), TRADER_FUNDS - bobCost + bobProceeds + 500e18 + 13);
        assertEq(token.balanceOf(alice), TRADER_FUNDS - aliceCost);
        assertEq(token.balanceOf(sponsor), withdrawn);
        assertEq(token.balanceOf(beneficiary), 0, "an honored pledge's beneficiary gets nothing");
        assertEq(token.balanceOf(address(markets)), 0);
        _assertConservation();
    }

    function test_endToEnd_withdrawWithoutTrades_returnsSubsidy() public {
        _honorAndResolve(pledgeId);
        vm.expectEmit(address(vault));
        emit IOutcomeVault.PayoutRedeemed(address(maker), token, ROOT, conditionId, subsidy);
        _expectThirdPartyWithdrawal(subsidy);
        assertEq(_withdrawSubsidy(sponsor, pledgeId, sponsor), subsidy);
        assertEq(token.balanceOf(sponsor), subsidy, "the sponsor has its subsidy back, to the wei");
        assertEq(vault.balanceOf(address(maker), _pos(conditionId, BREACH)), 0, "inventory burned");
        assertEq(vault.balanceOf(address(maker), _pos(conditionId, HONOR)), 0, "inventory burned");
        assertEq(token.balanceOf(address(vault)), 0, "vault emptied");
        assertEq(token.balanceOf(address(maker)), 0);
        assertEq(token.balanceOf(address(markets)), 0);
        _assertConservation();
    }

    function test_endToEnd_withdrawWithoutTrades_returnsSubsidyOnBreach() public {
        _breachAndResolve(pledgeId);
        _expectThirdPartyWithdrawal(subsidy);
        assertEq(_withdrawSubsidy(sponsor, pledgeId, sponsor), subsidy);
        assertEq(token.balanceOf(sponsor), subsidy);
        assertEq(token.balanceOf(address(vault)), 0, "vault emptied");
        _assertConservation();
    }
}
