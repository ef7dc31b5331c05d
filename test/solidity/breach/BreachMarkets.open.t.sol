// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {BreachMarkets} from "../../../contracts/markets/BreachMarkets.sol";
import {PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {BreachMarketsTestBase} from "./BreachMarketsTestBase.sol";

/// @notice Unit tests of BreachMarkets construction and openMarket (states, liquidity floor, subsidy, wiring, events).
contract BreachMarketsOpenTest is BreachMarketsTestBase {
    // ========== constructor

    function test_constructor_storesWiring() public view {
        assertEq(address(markets.registry()), address(registry));
        assertEq(address(markets.maker()), address(maker));
        assertEq(address(markets.vault()), address(vault), "vault read from the maker");
        assertEq(markets.minLiquidity(), MIN_LIQUIDITY);
        assertEq(markets.BREACH(), BREACH);
        assertEq(markets.HONOR(), HONOR);
        assertEq(markets.MAX_AFFILIATES_PER_CALL(), MAX_AFFILIATES);
        assertEq(markets.BURN_ADDRESS(), BURN, "a beneficiary-less pledge's excess goes to 0x...dEaD");
    }

    function test_constructor_revertsWhenMinLiquidityZero() public {
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketLiquidityTooLow.selector, 0, 1));
        new BreachMarkets(registry, maker, 0);
    }

    function test_constructor_acceptsMinLiquidityOne() public {
        assertEq(new BreachMarkets(registry, maker, 1).minLiquidity(), 1);
    }

    // ========== openMarket

    function test_openMarket_opensMarketForThirdPartySponsor() public {
        PledgeId id = _create();
        uint256 quoted = markets.quoteSubsidy(LIQUIDITY);
        token.mint(sponsor, quoted + 5);
        vm.prank(sponsor);
        token.approve(address(markets), type(uint256).max);
        uint256 vaultBefore = token.balanceOf(address(vault));
        ConditionId expected = _expectedCondition(id);
        (address noSponsor, uint256 noSubsidy) = markets.sponsorOf(id);
        assertEq(noSponsor, address(0), "no sponsor before opening");
        assertEq(noSubsidy, 0, "no subsidy before opening");

        vm.expectEmit(address(vault));
        emit IOutcomeVault.ConditionPrepared(expected, address(markets), _question(id), 2);
        vm.expectEmit(address(markets));
        emit IBreachMarkets.BreachMarketOpened(id, expected, sponsor, LIQUIDITY, TRADE_FEE_BPS, quoted);
        vm.expectEmit(address(maker));
        emit ILmsrMarketMaker.MarketCreated(expected, token, address(markets), markets, LIQUIDITY, TRADE_FEE_BPS, quoted);
        vm.expectEmit(address(vault));
        emit IOutcomeVault.PositionSplit(address(maker), token, ROOT, expected, quoted);
        vm.prank(sponsor);
        (ConditionId c, uint256 paid) = markets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);

        assertEq(ConditionId.unwrap(c), ConditionId.unwrap(expected), "condition commits to (markets, id, 2)");
        assertEq(ConditionId.unwrap(markets.conditionOf(id)), ConditionId.unwrap(expected));
        assertEq(paid, quoted, "subsidy = quoteSubsidy(b)");
        assertEq(token.balanceOf(sponsor), 5, "exactly the subsidy pulled from the sponsor");
        assertEq(token.balanceOf(address(maker)), 0, "the maker keeps no collateral: it split the whole subsidy");
        assertEq(token.balanceOf(address(vault)), vaultBefore + quoted, "the subsidy backs full sets in the vault");
        assertEq(vault.balanceOf(address(maker), _pos(c, BREACH)), quoted, "maker holds `subsidy` BREACH");
        assertEq(vault.balanceOf(address(maker), _pos(c, HONOR)), quoted, "maker holds `subsidy` HONOR");
        assertEq(token.balanceOf(address(markets)), 0, "nothing stays in BreachMarkets");
        assertEq(token.allowance(address(markets), address(maker)), 0, "no standing allowance left to the maker");
        assertEq(token.balanceOf(pledger), TRADER_FUNDS, "pledger paid nothing");
        _assertSponsor(id, sponsor, quoted);
        _assertFreshMarket(id, c, quoted);
        _assertConservation();
    }

    function test_openMarket_pledgerMaySponsor() public {
        PledgeId id = _create();
        (ConditionId c, uint256 paid) = _openAs(pledger, id, LIQUIDITY, 0);
        assertEq(paid, markets.quoteSubsidy(LIQUIDITY));
        _assertSponsor(id, pledger, paid);
        assertEq(maker.getMarket(c).feeBps, 0);
    }

    function test_openMarket_subsidyIsBLn2RoundedUpPlusAllowance() public view {
        // b * ln 2 = 693.147180559945309417... e18 * (1 + 7e-21): ceil(b * lnWad(2e18) / 1e18) + allowance, with
        // lnWad(2e18) = 693147180559945309 and allowance = ceil(b * 64 / 1e18) + 4 = 64_000 + 1 + 4.
        uint256 b = LIQUIDITY;
        uint256 lnCeil = (b * 693_147_180_559_945_309 + 1e18 - 1) / 1e18;
        assertEq(markets.quoteSubsidy(LIQUIDITY), lnCeil + 64_001 + 4);
        assertEq(subsidy, markets.quoteSubsidy(LIQUIDITY), "setUp's market paid the quote");
    }

    function test_openMarket_acceptsExactlyMinLiquidity() public {
        PledgeId id = _create();
        (ConditionId c, uint256 paid) = _openAs(sponsor, id, uint128(MIN_LIQUIDITY), TRADE_FEE_BPS);
        assertEq(maker.getMarket(c).liquidity, MIN_LIQUIDITY);
        assertEq(paid, markets.quoteSubsidy(uint128(MIN_LIQUIDITY)));
    }

    function test_openMarket_revertsWhenLiquidityBelowMin() public {
        PledgeId id = _create();
        vm.expectRevert(
            abi.encodeWithSelector(
                IBreachMarkets.BreachMarketLiquidityTooLow.selector, MIN_LIQUIDITY - 1, MIN_LIQUIDITY
            )
        );
        vm.prank(sponsor);
        markets.openMarket(id, uint128(MIN_LIQUIDITY - 1), TRADE_FEE_BPS);
    }

    function test_openMarket_revertsWhenLiquidityZero() public {
        PledgeId id = _create();
        vm.expectRevert(
            abi.encodeWithSelector(IBreachMarkets.BreachMarketLiquidityTooLow.selector, 0, MIN_LIQUIDITY)
        );
        vm.prank(sponsor);
        markets.openMarket(id, 0, TRADE_FEE_BPS);
    }

    function test_openMarket_revertsWhenFeeAboveMakerMax() public {
        PledgeId id = _create();
        uint256 amount = markets.quoteSubsidy(LIQUIDITY);
        token.mint(sponsor, amount);
        vm.prank(sponsor);
        token.approve(address(markets), amount);
        vm.expectRevert(abi.encodeWithSelector(ILmsrMarketMaker.MarketFeeTooHigh.selector, 1_001, 1_000));
        vm.prank(sponsor);
        markets.openMarket(id, LIQUIDITY, 1_001);
    }

    function test_openMarket_acceptsMakerMaxFee() public {
        PledgeId id = _create();
        (ConditionId c,) = _openAs(sponsor, id, LIQUIDITY, 1_000);
        assertEq(maker.getMarket(c).feeBps, 1_000);
    }

    function test_openMarket_revertsWhenSecondOpen() public {
        uint256 amount = markets.quoteSubsidy(LIQUIDITY);
        token.mint(stranger, amount);
        vm.prank(stranger);
        token.approve(address(markets), amount);
        _expectConditionState(conditionId, IOutcomeVault.ConditionState.Prepared, IOutcomeVault.ConditionState.None);
        vm.prank(stranger);
        markets.openMarket(pledgeId, LIQUIDITY, TRADE_FEE_BPS);
        _assertSponsor(pledgeId, sponsor, subsidy);
        assertEq(token.balanceOf(stranger), TRADER_FUNDS + amount, "the second sponsor paid nothing");
    }

    function test_openMarket_revertsWhenSecondOpenBySameSponsor() public {
        token.mint(sponsor, subsidy);
        vm.prank(sponsor);
        token.approve(address(markets), subsidy);
        _expectConditionState(conditionId, IOutcomeVault.ConditionState.Prepared, IOutcomeVault.ConditionState.None);
        vm.prank(sponsor);
        markets.openMarket(pledgeId, LIQUIDITY, TRADE_FEE_BPS);
        _assertSponsor(pledgeId, sponsor, subsidy);
        assertEq(token.balanceOf(sponsor), subsidy, "the second subsidy stays with the sponsor");
    }

    function test_openMarket_revertsWhenPledgeUnknown() public {
        _expectPledgeState(UNKNOWN, IPledgeRegistry.PledgeState.None);
        vm.prank(sponsor);
        markets.openMarket(UNKNOWN, LIQUIDITY, TRADE_FEE_BPS);
    }

    function test_openMarket_revertsWhenPledgeIdAboveUint96() public {
        PledgeId huge = PledgeId.wrap(uint256(type(uint96).max) + 1);
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketPledgeIdTooLarge.selector, huge));
        vm.prank(sponsor);
        markets.openMarket(huge, LIQUIDITY, TRADE_FEE_BPS);
    }

    function test_openMarket_revertsWhenPledgeIdMaxUint96Unknown() public {
        // The largest supported id passes the size check and meets the state check (no such pledge).
        PledgeId id = PledgeId.wrap(type(uint96).max);
        _expectPledgeState(id, IPledgeRegistry.PledgeState.None);
        vm.prank(sponsor);
        markets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
    }
}
