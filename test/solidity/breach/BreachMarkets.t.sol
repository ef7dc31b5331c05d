// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {BreachMarkets} from "../../../contracts/markets/BreachMarkets.sol";
import {SwitchableFeeERC20} from "../../mocks/SwitchableFeeERC20.sol";
import {ChallengeId, PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {BreachFixture} from "./BreachFixture.sol";

/// @notice Unit tests of BreachMarkets: opening (states, liquidity floor, subsidy, wiring, events, tokens), the
/// trading gate through every pledge state and at the exact second trading ends, the no-self-hedging rule and
/// affiliate declarations, resolution from every final state, the bond staying locked while the market is open,
/// and both outcomes end to end with the bond token conserved to the wei.
contract BreachMarketsTest is BreachFixture {
    PledgeId internal constant UNKNOWN = PledgeId.wrap(99);
    /// @dev The allowed-state bitmap of `finalize` (Slashable, Releasable), written out independently.
    uint256 internal constant FINALIZE_ALLOWED = (1 << 4) | (1 << 6);

    // =========================================================== constructor

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

    // ============================================================ openMarket

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

    /// @dev `c`, just opened for `id` with `quoted` as subsidy: the maker's books, the condition, the cache.
    function _assertFreshMarket(PledgeId id, ConditionId c, uint256 quoted) internal view {
        ILmsrMarketMaker.Market memory m = maker.getMarket(c);
        assertEq(address(m.collateral), address(token), "collateral = the pledge's bond token");
        assertEq(m.outcomeCount, 2);
        assertEq(m.feeBps, TRADE_FEE_BPS);
        assertFalse(m.withdrawn);
        assertEq(address(m.gate), address(markets), "gate = BreachMarkets");
        assertEq(m.sponsor, address(markets), "BreachMarkets is the sponsor of record, not the caller");
        assertEq(m.liquidity, LIQUIDITY);
        assertEq(m.cash, 0, "no cash: the subsidy is all in full sets");
        assertEq(m.sets, quoted, "sets = the subsidy");
        assertEq(m.sold[BREACH], 0);
        assertEq(m.sold[HONOR], 0);
        assertEq(uint256(maker.marketState(c)), uint256(ILmsrMarketMaker.MarketState.Open));

        IOutcomeVault.Condition memory cond = vault.getCondition(c);
        assertEq(cond.oracle, address(markets), "BreachMarkets is the oracle");
        assertEq(cond.outcomeCount, 2);
        assertEq(cond.payoutDenominator, 0);

        IBreachMarkets.BreachMarket memory bm = markets.marketOf(c);
        assertEq(bm.pledgeId, PledgeId.unwrap(id));
        assertEq(bm.pledger, pledger, "cache holds the pledger, not the sponsor");
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

    /// @dev Drives a fresh pledge into `s` and checks that opening its market is refused with `s`.
    function _assertOpenRefusedIn(IPledgeRegistry.PledgeState s) internal {
        PledgeId id = _pledgeIn(s);
        uint256 amount = markets.quoteSubsidy(LIQUIDITY);
        token.mint(sponsor, amount);
        vm.prank(sponsor);
        token.approve(address(markets), amount);
        _expectPledgeState(id, s);
        vm.prank(sponsor);
        markets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
        assertEq(uint256(vault.conditionState(_expectedCondition(id))), uint256(IOutcomeVault.ConditionState.None));
    }

    function test_openMarket_revertsWhenChallenged() public {
        _assertOpenRefusedIn(IPledgeRegistry.PledgeState.Challenged);
    }

    function test_openMarket_revertsWhenDisputed() public {
        _assertOpenRefusedIn(IPledgeRegistry.PledgeState.Disputed);
    }

    function test_openMarket_revertsWhenSlashable() public {
        _assertOpenRefusedIn(IPledgeRegistry.PledgeState.Slashable);
    }

    function test_openMarket_revertsWhenRulingOverdue() public {
        _assertOpenRefusedIn(IPledgeRegistry.PledgeState.RulingOverdue);
    }

    function test_openMarket_revertsWhenReleasable() public {
        _assertOpenRefusedIn(IPledgeRegistry.PledgeState.Releasable);
    }

    function test_openMarket_revertsWhenBreached() public {
        _assertOpenRefusedIn(IPledgeRegistry.PledgeState.Breached);
    }

    function test_openMarket_revertsWhenHonored() public {
        _assertOpenRefusedIn(IPledgeRegistry.PledgeState.Honored);
    }

    function test_openMarket_acceptsAfterRejectedChallenge() public {
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        _dispute(id);
        _rule(cid, false);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
        (ConditionId c,) = _open(id);
        assertEq(uint256(maker.marketState(c)), uint256(ILmsrMarketMaker.MarketState.Open));
    }

    function test_openMarket_revertsWhenSubsidyNotApproved() public {
        PledgeId id = _create();
        token.mint(sponsor, subsidy);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(markets), 0, subsidy)
        );
        vm.prank(sponsor);
        markets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
        assertEq(token.balanceOf(sponsor), subsidy);
    }

    function test_openMarket_revertsWhenBondTokenChargesFeeAfterPledge() public {
        // The registry refuses fee-on-transfer tokens when the bond is pulled; this one switches its fee on later.
        SwitchableFeeERC20 sfee = new SwitchableFeeERC20();
        IPledgeRegistry.PledgeParams memory params = _params();
        params.token = sfee;
        PledgeId id = _create(params);
        sfee.setFeeBps(100);

        uint256 amount = markets.quoteSubsidy(LIQUIDITY);
        sfee.mint(sponsor, amount);
        vm.prank(sponsor);
        sfee.approve(address(markets), amount);
        uint256 received = amount - amount * 100 / 10_000;
        vm.expectRevert(
            abi.encodeWithSelector(IBreachMarkets.TokenTransferMismatch.selector, sfee, amount, received)
        );
        vm.prank(sponsor);
        markets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
        assertEq(sfee.balanceOf(sponsor), amount, "sponsor keeps the subsidy");
        assertEq(uint256(vault.conditionState(_expectedCondition(id))), uint256(IOutcomeVault.ConditionState.None));
    }

    function test_openMarket_separateMarketsPerPledge() public {
        PledgeId other = _create();
        (ConditionId c,) = _open(other);
        assertTrue(ConditionId.unwrap(c) != ConditionId.unwrap(conditionId));
        assertEq(markets.marketOf(c).pledgeId, PledgeId.unwrap(other));
        assertEq(markets.marketOf(conditionId).pledgeId, PledgeId.unwrap(pledgeId));
    }

    function test_conditionOf_isDefinedBeforeOpening() public {
        PledgeId id = _create();
        ConditionId c = markets.conditionOf(id);
        assertEq(ConditionId.unwrap(c), ConditionId.unwrap(_expectedCondition(id)));
        assertEq(markets.marketOf(c).pledger, address(0), "no market yet");
        (ConditionId opened,) = _open(id);
        assertEq(ConditionId.unwrap(opened), ConditionId.unwrap(c));
    }

    // ========================================================== trading gate

    function test_trade_buysAndSellsWhileActive() public {
        uint256 costBreach = _buy(alice, BREACH, SHARES);
        uint256 costHonor = _buy(bob, HONOR, SHARES);
        assertGt(costBreach, 0);
        assertGt(costHonor, 0);
        assertEq(_shares(alice, BREACH), SHARES);
        assertEq(_shares(bob, HONOR), SHARES);
        assertEq(_sold(conditionId, BREACH), SHARES);
        assertEq(_sold(conditionId, HONOR), SHARES);

        uint256 proceeds = _sell(alice, BREACH, SHARES);
        assertGt(proceeds, 0);
        assertEq(_shares(alice, BREACH), 0);
        assertEq(_sold(conditionId, BREACH), 0);
        _sell(bob, HONOR, 1);
        assertEq(_shares(bob, HONOR), SHARES - 1);
    }

    function test_checkTrade_passesEveryDirectionForThirdParty() public view {
        markets.checkTrade(conditionId, alice, alice, BREACH, true);
        markets.checkTrade(conditionId, alice, alice, BREACH, false);
        markets.checkTrade(conditionId, alice, bob, HONOR, true);
        markets.checkTrade(conditionId, alice, bob, HONOR, false);
    }

    function test_checkTrade_revertsWhenConditionUnknown() public {
        ConditionId unknown = ConditionId.wrap(keccak256("nothing"));
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketUnknown.selector, unknown));
        markets.checkTrade(unknown, alice, alice, HONOR, true);
    }

    function test_checkTrade_revertsWhenConditionPreparedButNotOpened() public {
        // conditionOf is defined for every pledge; until the market opens it is not a known market.
        PledgeId id = _create();
        ConditionId c = markets.conditionOf(id);
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketUnknown.selector, c));
        markets.checkTrade(c, alice, alice, HONOR, true);
    }

    function test_trade_revertsWhenChallenged() public {
        _buy(bob, HONOR, SHARES);
        _challenge(pledgeId);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Challenged);
        _buy(alice, BREACH, SHARES);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Challenged);
        _sell(bob, HONOR, SHARES);
    }

    function test_trade_revertsInTheChallengeBlock() public {
        // Same timestamp as the challenge: trades ordered after it are refused.
        _challenge(pledgeId);
        assertEq(registry.getChallenge(registry.openChallenge(pledgeId)).challengedAt, block.timestamp);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Challenged);
        _buy(alice, HONOR, SHARES);
    }

    function test_trade_reopensAfterRejectedChallenge() public {
        ChallengeId cid = _challenge(pledgeId);
        _dispute(pledgeId);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Disputed);
        _buy(alice, BREACH, SHARES);

        _rule(cid, false);
        _assertState(pledgeId, IPledgeRegistry.PledgeState.Active);
        _buy(alice, BREACH, SHARES);
        assertEq(_shares(alice, BREACH), SHARES);
    }

    function test_trade_reopensAfterVoidedChallenge() public {
        _challenge(pledgeId);
        _dispute(pledgeId);
        vm.warp(block.timestamp + TIMEOUT);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.RulingOverdue);
        _buy(alice, HONOR, SHARES);

        registry.voidChallenge(pledgeId);
        _buy(alice, HONOR, SHARES);
        assertEq(_shares(alice, HONOR), SHARES);
    }

    function test_trade_staysClosedWhenChallengeRejectedAfterEnd() public {
        // Rejected after expiry + grace: the pledge returns to Releasable, not Active.
        vm.warp(_end(pledgeId) - 1);
        ChallengeId cid = _challenge(pledgeId);
        _dispute(pledgeId);
        vm.warp(_end(pledgeId));
        _assertState(pledgeId, IPledgeRegistry.PledgeState.Disputed);
        _rule(cid, false);
        _assertState(pledgeId, IPledgeRegistry.PledgeState.Releasable);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Releasable);
        _buy(alice, HONOR, SHARES);
    }

    function test_trade_revertsWhenDisputed() public {
        _challenge(pledgeId);
        _dispute(pledgeId);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Disputed);
        _buy(alice, HONOR, SHARES);
    }

    function test_trade_revertsWhenSlashable() public {
        _buy(alice, BREACH, SHARES);
        _challenge(pledgeId);
        vm.warp(block.timestamp + LIVENESS);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Slashable);
        _buy(bob, BREACH, SHARES);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Slashable);
        _sell(alice, BREACH, SHARES);
    }

    function test_trade_revertsWhenRulingOverdue() public {
        _challenge(pledgeId);
        _dispute(pledgeId);
        vm.warp(block.timestamp + TIMEOUT);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.RulingOverdue);
        _buy(alice, BREACH, SHARES);
    }

    function test_trade_revertsWhenBreachedButNotResolved() public {
        _challenge(pledgeId);
        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(pledgeId);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Breached);
        _buy(alice, BREACH, SHARES);
    }

    function test_trade_revertsWhenHonoredButNotResolved() public {
        vm.warp(_end(pledgeId));
        registry.finalize(pledgeId);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Honored);
        _buy(alice, HONOR, SHARES);
    }

    function test_trade_allowedAtLastActiveSecond() public {
        vm.warp(_end(pledgeId) - 1);
        _assertState(pledgeId, IPledgeRegistry.PledgeState.Active);
        _buy(alice, HONOR, SHARES);
        _sell(alice, HONOR, 1);
        assertEq(_shares(alice, HONOR), SHARES - 1);
    }

    function test_trade_revertsAtExpiryPlusGrace() public {
        _buy(alice, HONOR, SHARES);
        vm.warp(_end(pledgeId));
        assertEq(_end(pledgeId), START + TERM + GRACE);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Releasable);
        _buy(bob, HONOR, SHARES);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Releasable);
        _sell(alice, HONOR, SHARES);
    }

    function test_trade_revertsAfterResolveWithMakerState() public {
        vm.warp(_end(pledgeId));
        markets.resolve(pledgeId);
        // The maker closes a resolved market itself, before asking the gate.
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Resolved, ILmsrMarketMaker.MarketState.Open);
        _buy(alice, HONOR, SHARES);
    }

    // ========================================================= self-hedging

    function test_selfHedge_pledgerCannotBuyBreach() public {
        _expectSelfHedge(pledgeId, pledger);
        _buy(pledger, BREACH, SHARES);
    }

    function test_selfHedge_pledgerCannotSellHonor() public {
        _buy(pledger, HONOR, SHARES);
        _expectSelfHedge(pledgeId, pledger);
        _sell(pledger, HONOR, SHARES);
        assertEq(_shares(pledger, HONOR), SHARES);
    }

    function test_selfHedge_pledgerMayBuyHonor() public {
        _buy(pledger, HONOR, SHARES);
        assertEq(_shares(pledger, HONOR), SHARES);
    }

    function test_selfHedge_pledgerMaySellBreach() public {
        // The pledger can only come to hold BREACH from a transfer (a stated limit); selling it is allowed.
        _buy(alice, BREACH, SHARES);
        uint256 breachPosition = _pos(conditionId, BREACH);
        vm.prank(alice);
        vault.safeTransferFrom(alice, pledger, breachPosition, SHARES, "");
        uint256 proceeds = _sell(pledger, BREACH, SHARES);
        assertGt(proceeds, 0);
        assertEq(_shares(pledger, BREACH), 0);
    }

    function test_selfHedge_pledgerCannotBuyBreachForSomeoneElse() public {
        _expectSelfHedge(pledgeId, pledger);
        _buyFor(pledger, conditionId, BREACH, SHARES, alice);
    }

    function test_selfHedge_pledgerCannotSellHonorToSomeoneElse() public {
        _buy(pledger, HONOR, SHARES);
        _expectSelfHedge(pledgeId, pledger);
        _sellFor(pledger, conditionId, HONOR, SHARES, alice);
    }

    function test_selfHedge_thirdPartyCannotBuyBreachForPledger() public {
        _expectSelfHedge(pledgeId, pledger);
        _buyFor(alice, conditionId, BREACH, SHARES, pledger);
    }

    function test_selfHedge_thirdPartyCannotSellHonorToPledger() public {
        _buy(alice, HONOR, SHARES);
        _expectSelfHedge(pledgeId, pledger);
        _sellFor(alice, conditionId, HONOR, SHARES, pledger);
    }

    function test_selfHedge_thirdPartyMayBuyHonorForPledger() public {
        _buyFor(alice, conditionId, HONOR, SHARES, pledger);
        assertEq(_shares(pledger, HONOR), SHARES);
    }

    function test_selfHedge_affiliateRefusedLikePledger() public {
        _declare(affiliate);
        _expectSelfHedge(pledgeId, affiliate);
        _buy(affiliate, BREACH, SHARES);
        _expectSelfHedge(pledgeId, affiliate);
        _buyFor(alice, conditionId, BREACH, SHARES, affiliate);

        _buy(affiliate, HONOR, SHARES);
        _expectSelfHedge(pledgeId, affiliate);
        _sell(affiliate, HONOR, SHARES);
        assertEq(_shares(affiliate, HONOR), SHARES);
    }

    function test_selfHedge_affiliateMaySellBreach() public {
        _buy(affiliate, BREACH, SHARES);
        _declare(affiliate);
        _sell(affiliate, BREACH, SHARES);
        assertEq(_shares(affiliate, BREACH), 0);
    }

    function test_selfHedge_undeclaredAccountMayBuyBreach() public {
        _buy(affiliate, BREACH, SHARES);
        assertEq(_shares(affiliate, BREACH), SHARES);
    }

    function test_selfHedge_affiliateOfOnePledgeFreeInAnother() public {
        PledgeId other = _create();
        (ConditionId otherMarket,) = _open(other);
        _declare(affiliate);
        assertFalse(markets.isAffiliate(other, affiliate));
        _buy(affiliate, otherMarket, BREACH, SHARES);
        assertEq(vault.balanceOf(affiliate, _pos(otherMarket, BREACH)), SHARES);
    }

    function test_checkTrade_selfHedgeMatrix() public {
        // Exposure to BREACH grows by buying BREACH or selling HONOR: those are refused, the others pass.
        markets.checkTrade(conditionId, pledger, pledger, HONOR, true);
        markets.checkTrade(conditionId, pledger, pledger, BREACH, false);
        _expectSelfHedge(pledgeId, pledger);
        markets.checkTrade(conditionId, pledger, pledger, BREACH, true);
        _expectSelfHedge(pledgeId, pledger);
        markets.checkTrade(conditionId, pledger, pledger, HONOR, false);
        _expectSelfHedge(pledgeId, pledger);
        markets.checkTrade(conditionId, alice, pledger, BREACH, true);
        _expectSelfHedge(pledgeId, pledger);
        markets.checkTrade(conditionId, alice, pledger, HONOR, false);
    }

    function test_checkTrade_stateCheckedBeforeSelfHedge() public {
        _challenge(pledgeId);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Challenged);
        markets.checkTrade(conditionId, pledger, pledger, BREACH, true);
    }

    // ==================================================== declareAffiliates

    function _declare(address a) internal {
        address[] memory list = new address[](1);
        list[0] = a;
        vm.prank(pledger);
        markets.declareAffiliates(pledgeId, list);
    }

    function _list(uint256 n) internal returns (address[] memory list) {
        list = new address[](n);
        for (uint256 i; i < n; ++i) {
            list[i] = makeAddr(string.concat("affiliate", vm.toString(i)));
        }
    }

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

    // ================================================================ resolve

    function _assertResolved(bool breached) internal view {
        IOutcomeVault.Condition memory c = vault.getCondition(conditionId);
        assertEq(c.payoutDenominator, 1);
        assertEq(c.payoutNumerators.length, 2);
        assertEq(c.payoutNumerators[BREACH], breached ? 1 : 0);
        assertEq(c.payoutNumerators[HONOR], breached ? 0 : 1);
        assertEq(uint256(maker.marketState(conditionId)), uint256(ILmsrMarketMaker.MarketState.Resolved));
    }

    function _resolveExpecting(bool breached) internal {
        vm.expectEmit(address(markets));
        emit IBreachMarkets.BreachMarketResolved(pledgeId, conditionId, breached);
        vm.expectEmit(address(vault));
        emit IOutcomeVault.PayoutReported(
            conditionId, address(markets), _question(pledgeId), _payouts(breached ? 1 : 0, breached ? 0 : 1)
        );
        vm.prank(stranger); // anyone may resolve
        assertEq(markets.resolve(pledgeId), breached);
        _assertResolved(breached);
    }

    function test_resolve_reportsBreachWhenBreached() public {
        _challenge(pledgeId);
        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(pledgeId);
        _resolveExpecting(true);
    }

    function test_resolve_reportsBreachWhenSlashable() public {
        _challenge(pledgeId);
        vm.warp(block.timestamp + LIVENESS);
        _assertState(pledgeId, IPledgeRegistry.PledgeState.Slashable);
        _resolveExpecting(true);
        // The registry still settles the same way afterwards.
        assertEq(uint256(registry.finalize(pledgeId)), uint256(IPledgeRegistry.Outcome.Breached));
    }

    function test_resolve_reportsBreachWhenRuledBreached() public {
        ChallengeId cid = _challenge(pledgeId);
        _dispute(pledgeId);
        _rule(cid, true);
        _resolveExpecting(true);
    }

    function test_resolve_reportsHonorWhenHonored() public {
        vm.warp(_end(pledgeId));
        registry.finalize(pledgeId);
        _resolveExpecting(false);
    }

    function test_resolve_reportsHonorWhenReleasable() public {
        vm.warp(_end(pledgeId));
        _assertState(pledgeId, IPledgeRegistry.PledgeState.Releasable);
        _resolveExpecting(false);
        assertEq(uint256(registry.finalize(pledgeId)), uint256(IPledgeRegistry.Outcome.Honored));
    }

    function test_resolve_revertsWhenActive() public {
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Active);
        markets.resolve(pledgeId);
    }

    function test_resolve_revertsAtLastActiveSecond() public {
        vm.warp(_end(pledgeId) - 1);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Active);
        markets.resolve(pledgeId);
    }

    function test_resolve_revertsWhenChallenged() public {
        _challenge(pledgeId);
        vm.warp(block.timestamp + LIVENESS - 1);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Challenged);
        markets.resolve(pledgeId);
    }

    function test_resolve_revertsWhenDisputed() public {
        _challenge(pledgeId);
        _dispute(pledgeId);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Disputed);
        markets.resolve(pledgeId);
    }

    function test_resolve_revertsWhenRulingOverdue() public {
        _challenge(pledgeId);
        _dispute(pledgeId);
        vm.warp(block.timestamp + TIMEOUT);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.RulingOverdue);
        markets.resolve(pledgeId);
    }

    function test_resolve_revertsWhenResolvedTwice() public {
        vm.warp(_end(pledgeId));
        markets.resolve(pledgeId);
        _expectConditionState(conditionId, IOutcomeVault.ConditionState.Resolved, IOutcomeVault.ConditionState.Prepared);
        markets.resolve(pledgeId);
        _assertResolved(false);
    }

    function test_resolve_revertsWhenNoMarket() public {
        PledgeId id = _create();
        vm.warp(_end(id));
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, id));
        markets.resolve(id);
    }

    function test_resolve_revertsWhenPledgeUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, UNKNOWN));
        markets.resolve(UNKNOWN);
    }

    // ======================================================== withdrawSubsidy

    function test_sponsorOf_isZeroWithoutMarket() public {
        PledgeId id = _create();
        (address s, uint256 paid) = markets.sponsorOf(id);
        assertEq(s, address(0));
        assertEq(paid, 0);
        (s, paid) = markets.sponsorOf(UNKNOWN);
        assertEq(s, address(0));
        assertEq(paid, 0);
        _assertSponsor(pledgeId, sponsor, subsidy);
    }

    function test_withdrawSubsidy_revertsWhenCallerNotSponsor() public {
        // Neither the pledger, nor a stranger (even paying the sponsor), nor the beneficiary, nor the maker.
        uint256 aliceCost = _buy(alice, HONOR, SHARES);
        _breachAndResolve(pledgeId);
        uint256[] memory before = _snapshot();
        bytes32 books = _marketHash(conditionId);

        _expectNotSponsor(pledgeId, pledger, sponsor);
        _withdrawSubsidy(pledger, pledgeId, pledger);
        _expectNotSponsor(pledgeId, stranger, sponsor);
        _withdrawSubsidy(stranger, pledgeId, sponsor);
        _expectNotSponsor(pledgeId, beneficiary, sponsor);
        _withdrawSubsidy(beneficiary, pledgeId, beneficiary);
        _expectNotSponsor(pledgeId, address(maker), sponsor);
        _withdrawSubsidy(address(maker), pledgeId, sponsor);

        _assertUnchanged(before);
        assertEq(_marketHash(conditionId), books);
        assertEq(uint256(maker.marketState(conditionId)), uint256(ILmsrMarketMaker.MarketState.Resolved));
        // HONOR pays nothing on BREACH: the third-party sponsor gets the subsidy and all alice paid.
        assertEq(_withdrawSubsidy(sponsor, pledgeId, sponsor), subsidy + aliceCost);
        _assertConservation();
    }

    function test_withdrawSubsidy_checksCallerAndRecipientBeforeTheMaker() public {
        // Before resolution the maker would refuse too; BreachMarkets' own checks come first, in this order.
        _expectNotSponsor(pledgeId, stranger, sponsor);
        _withdrawSubsidy(stranger, pledgeId, address(0));
        _expectRecipientInvalid(address(0));
        _withdrawSubsidy(sponsor, pledgeId, address(0));
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Open, ILmsrMarketMaker.MarketState.Resolved);
        _withdrawSubsidy(sponsor, pledgeId, sponsor);
    }

    function test_withdrawSubsidy_revertsWhenRecipientZero() public {
        _honorAndResolve(pledgeId);
        _expectRecipientInvalid(address(0));
        _withdrawSubsidy(sponsor, pledgeId, address(0));
        assertEq(uint256(maker.marketState(conditionId)), uint256(ILmsrMarketMaker.MarketState.Resolved));
        assertEq(token.balanceOf(address(vault)), subsidy, "the subsidy is still in the vault");
        assertEq(_withdrawSubsidy(sponsor, pledgeId, sponsor), subsidy);
    }

    function test_withdrawSubsidy_revertsWhenRecipientIsBreachMarkets() public {
        // Funds sent to BreachMarkets itself would be stranded there.
        _honorAndResolve(pledgeId);
        _expectRecipientInvalid(address(markets));
        _withdrawSubsidy(sponsor, pledgeId, address(markets));
        assertEq(uint256(maker.marketState(conditionId)), uint256(ILmsrMarketMaker.MarketState.Resolved));
        assertEq(token.balanceOf(address(markets)), 0);
        assertEq(_withdrawSubsidy(sponsor, pledgeId, sponsor), subsidy);
    }

    function test_withdrawSubsidy_paysAnotherRecipient() public {
        _honorAndResolve(pledgeId);
        vm.expectEmit(address(markets));
        emit IBreachMarkets.SubsidyWithdrawn(pledgeId, sponsor, bob, subsidy, beneficiary, 0);
        assertEq(_withdrawSubsidy(sponsor, pledgeId, bob), subsidy);
        assertEq(token.balanceOf(bob), TRADER_FUNDS + subsidy);
        assertEq(token.balanceOf(sponsor), 0);
        _assertConservation();
    }

    function test_withdrawSubsidy_revertsBeforeResolution() public {
        // The maker refuses until the vault holds payouts; its error bubbles up, whatever the pledge's state.
        _buy(alice, BREACH, SHARES);
        bytes32 books = _marketHash(conditionId);
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Open, ILmsrMarketMaker.MarketState.Resolved);
        _withdrawSubsidy(sponsor, pledgeId, sponsor);

        _challenge(pledgeId);
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Open, ILmsrMarketMaker.MarketState.Resolved);
        _withdrawSubsidy(sponsor, pledgeId, sponsor);

        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(pledgeId);
        _assertState(pledgeId, IPledgeRegistry.PledgeState.Breached);
        uint256[] memory before = _snapshot();
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Open, ILmsrMarketMaker.MarketState.Resolved);
        _withdrawSubsidy(sponsor, pledgeId, sponsor);

        _assertUnchanged(before);
        assertEq(_marketHash(conditionId), books);
        assertEq(token.balanceOf(sponsor), 0);
        markets.resolve(pledgeId);
        assertGt(_withdrawSubsidy(sponsor, pledgeId, sponsor), 0, "withdrawable once resolved");
    }

    function test_withdrawSubsidy_revertsWhenWithdrawnTwice() public {
        uint256 aliceCost = _buy(alice, BREACH, SHARES);
        _honorAndResolve(pledgeId);
        assertEq(_withdrawSubsidy(sponsor, pledgeId, sponsor), subsidy + aliceCost, "BREACH pays nothing on HONOR");
        uint256[] memory before = _snapshot();
        bytes32 books = _marketHash(conditionId);

        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Withdrawn, ILmsrMarketMaker.MarketState.Resolved);
        _withdrawSubsidy(sponsor, pledgeId, sponsor);
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Withdrawn, ILmsrMarketMaker.MarketState.Resolved);
        _withdrawSubsidy(sponsor, pledgeId, bob);

        _assertUnchanged(before);
        assertEq(_marketHash(conditionId), books);
        assertEq(token.balanceOf(sponsor), subsidy + aliceCost);
    }

    function test_withdrawSubsidy_revertsWhenNoMarket() public {
        // A pledge whose market was never opened has no sponsor, even once its outcome is fixed.
        PledgeId id = _create();
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, id));
        _withdrawSubsidy(pledger, id, pledger);
        vm.warp(_end(id));
        registry.finalize(id);
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, id));
        _withdrawSubsidy(pledger, id, pledger);
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, id));
        _withdrawSubsidy(sponsor, id, sponsor);
    }

    function test_withdrawSubsidy_revertsWhenPledgeUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, UNKNOWN));
        _withdrawSubsidy(sponsor, UNKNOWN, sponsor);
    }

    function test_withdrawSubsidy_pledgerSponsorWithoutBeneficiary_excessToBurnAddress() public {
        // A pledge without a beneficiary: what a pledger-sponsor would gain from its own breach goes to 0x...dEaD.
        IPledgeRegistry.PledgeParams memory params = _params();
        params.beneficiary = address(0);
        PledgeId id = _create(params);
        (ConditionId c, uint256 paid) = _openAs(pledger, id, LIQUIDITY, TRADE_FEE_BPS);
        uint256 bobCost = _buy(bob, c, HONOR, 2_000e18);
        _breachAndResolve(id);
        uint256 pledgerBefore = token.balanceOf(pledger);
        uint256 burnBefore = token.balanceOf(BURN);
        uint256 vaultBefore = token.balanceOf(address(vault));

        vm.expectEmit(address(maker));
        emit ILmsrMarketMaker.MarketWithdrawn(c, address(markets), address(markets), paid + bobCost);
        vm.expectEmit(address(markets));
        emit IBreachMarkets.SubsidyWithdrawn(id, pledger, pledger, paid, BURN, bobCost);
        assertEq(_withdrawSubsidy(pledger, id, pledger), paid, "the pledger-sponsor gets its subsidy, no more");

        assertEq(token.balanceOf(pledger), pledgerBefore + paid);
        assertEq(token.balanceOf(BURN), burnBefore + bobCost, "the excess is burned");
        assertEq(token.balanceOf(beneficiary), 0, "the standard pledge's beneficiary is not this pledge's");
        // The maker redeemed 2_000e18 BREACH (its whole inventory after the split the HONOR buy needed).
        assertEq(token.balanceOf(address(vault)), vaultBefore - 2_000e18);
        assertEq(token.balanceOf(address(maker)), 0);
        assertEq(token.balanceOf(address(markets)), 0);
        _assertConservation();
    }

    // ============================================================ bond locked

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

    // ============================================================ end to end

    /// @dev Expects the standard market's withdrawal: the maker pays BreachMarkets (its sponsor of record)
    /// `amount`, all of which BreachMarkets pays the third-party sponsor (nothing to the beneficiary).
    function _expectThirdPartyWithdrawal(uint256 amount) internal {
        vm.expectEmit(address(maker));
        emit ILmsrMarketMaker.MarketWithdrawn(conditionId, address(markets), address(markets), amount);
        vm.expectEmit(address(markets));
        emit IBreachMarkets.SubsidyWithdrawn(pledgeId, sponsor, sponsor, amount, beneficiary, 0);
    }

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
