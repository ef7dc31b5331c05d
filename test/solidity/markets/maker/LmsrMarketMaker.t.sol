// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {ILmsrMarketMaker} from "../../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IMarketGate} from "../../../../contracts/interfaces/IMarketGate.sol";
import {IOutcomeVault} from "../../../../contracts/interfaces/IOutcomeVault.sol";
import {LmsrMath} from "../../../../contracts/markets/LmsrMath.sol";
import {FeeOnTransferERC20} from "../../../mocks/FeeOnTransferERC20.sol";
import {MockMarketGate} from "../../../mocks/MockMarketGate.sol";
import {ReentrantERC1155Receiver} from "../../../mocks/ReentrantERC1155Receiver.sol";
import {ReentrantERC20} from "../../../mocks/ReentrantERC20.sol";
import {SwitchableFeeERC20} from "../../../mocks/SwitchableFeeERC20.sol";
import {ConditionId} from "../../../../contracts/types/MarketIds.sol";

import {MakerFixture} from "./MakerFixture.sol";

/// @notice Unit tests of LmsrMarketMaker: creation, buy, sell, quotes, prices, fees, withdraw, collateral
/// conservation to the wei, refusal of unsolicited positions, reentrancy through ERC-1155 and ERC-20 hooks, and
/// isolation of markets that share a collateral. Every custom error is checked with its arguments.
contract LmsrMarketMakerTest is MakerFixture {
    bytes32 internal constant Q_A = keccak256("binary question");
    bytes32 internal constant Q_B = keccak256("three-outcome question");
    uint128 internal constant B = 1_000e18;
    uint16 internal constant FEE = 100; // 1 %
    uint256 internal constant START = 1_700_000_000;

    ILmsrMarketMaker.MarketState internal constant NONE = ILmsrMarketMaker.MarketState.None;
    ILmsrMarketMaker.MarketState internal constant OPEN = ILmsrMarketMaker.MarketState.Open;
    ILmsrMarketMaker.MarketState internal constant RESOLVED = ILmsrMarketMaker.MarketState.Resolved;
    ILmsrMarketMaker.MarketState internal constant WITHDRAWN = ILmsrMarketMaker.MarketState.Withdrawn;

    MockMarketGate internal gate;

    function setUp() public {
        vm.warp(START);
        _deployMaker();
        gate = new MockMarketGate();
    }

    // ================================================================ helpers

    function _stateError(ConditionId c, ILmsrMarketMaker.MarketState current, ILmsrMarketMaker.MarketState allowed)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(ILmsrMarketMaker.UnexpectedMarketState.selector, c, current, allowed);
    }

    function _state(ConditionId c) internal view returns (ILmsrMarketMaker.MarketState) {
        return maker.marketState(c);
    }

    /// @dev `ceil(x * bps / BPS)`, written out independently of the maker's `mulDiv`.
    function _ceilFee(uint256 x, uint256 bps) internal pure returns (uint256) {
        return (x * bps + BPS - 1) / BPS;
    }

    // ========================================================== createMarket

    function test_createMarket_pullsSubsidyExactlyAndOpens() public {
        vm.prank(oracle);
        ConditionId c = vault.prepareCondition(Q_B, 3);
        uint256 subsidy = LmsrMath.subsidy(B, 3);
        // b ln 3 = 1098.61... tokens, plus the rounding allowance
        assertApproxEqRel(subsidy, 1_098_612_288_668_109_691_396, 1e12);
        token.mint(oracle, subsidy + 7);
        vm.prank(oracle);
        token.approve(address(maker), subsidy + 7);
        assertEq(uint256(_state(c)), uint256(NONE));

        vm.expectEmit(address(maker));
        emit ILmsrMarketMaker.MarketCreated(c, col, sponsor, IMarketGate(address(gate)), B, FEE, subsidy);
        vm.prank(oracle);
        uint256 pulled = maker.createMarket(c, col, B, FEE, sponsor, gate);

        assertEq(pulled, subsidy);
        assertEq(token.balanceOf(oracle), 7, "exactly the subsidy pulled");
        // The whole subsidy became inventory: the vault holds the collateral, the maker a full set of it.
        assertEq(token.balanceOf(address(maker)), 0);
        assertEq(vault.collateralHeld(col), subsidy);
        for (uint256 j; j < 3; ++j) {
            assertEq(vault.balanceOf(address(maker), _pos(c, j)), subsidy, "inventory = subsidy");
        }
        assertEq(token.balanceOf(sponsor), 0, "the sponsor is credited, not charged");
        assertEq(uint256(_state(c)), uint256(OPEN));
        ILmsrMarketMaker.Market memory m = _market(c);
        assertEq(address(m.collateral), address(col));
        assertEq(m.outcomeCount, 3);
        assertEq(m.feeBps, FEE);
        assertFalse(m.withdrawn);
        assertEq(address(m.gate), address(gate));
        assertEq(m.sponsor, sponsor);
        assertEq(m.liquidity, B);
        assertEq(m.cash, 0);
        assertEq(m.sets, subsidy);
        for (uint256 j; j < 8; ++j) {
            assertEq(m.sold[j], 0);
        }
        // uniform prices at q = 0
        uint256[] memory p = maker.prices(c);
        assertEq(p.length, 3);
        assertEq(_sum(p), WAD);
        for (uint256 j; j < 3; ++j) {
            assertApproxEqAbs(p[j], WAD / 3, 2);
        }
        assertEq(token.allowance(address(maker), address(vault)), type(uint256).max, "standing approval to split");
    }

    function test_createMarket_acceptsMaxFeeAndNoGate() public {
        uint256 max = maker.MAX_FEE_BPS();
        assertEq(max, 1_000);
        ConditionId c = _open(Q_A, 2, B, uint16(max), NO_GATE);
        assertEq(_market(c).feeBps, max);
        assertEq(address(_market(c).gate), address(0));
        assertEq(address(maker.vault()), address(vault));
    }

    function test_createMarket_revertsWhenCallerIsNotTheOracle() public {
        vm.prank(oracle);
        ConditionId c = vault.prepareCondition(Q_A, 2);
        vm.expectRevert(abi.encodeWithSelector(ILmsrMarketMaker.MarketCreatorNotOracle.selector, c, alice, oracle));
        vm.prank(alice);
        maker.createMarket(c, col, B, FEE, sponsor, NO_GATE);
        // an unknown condition has no oracle at all
        ConditionId unknown = ConditionId.wrap(Q_B);
        vm.expectRevert(
            abi.encodeWithSelector(ILmsrMarketMaker.MarketCreatorNotOracle.selector, unknown, oracle, address(0))
        );
        vm.prank(oracle);
        maker.createMarket(unknown, col, B, FEE, sponsor, NO_GATE);
    }

    function test_createMarket_revertsWhenCreatedTwice() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        uint256 subsidy = LmsrMath.subsidy(B, 2);
        token.mint(oracle, subsidy);
        vm.prank(oracle);
        token.approve(address(maker), subsidy);
        vm.expectRevert(_stateError(c, OPEN, NONE));
        vm.prank(oracle);
        maker.createMarket(c, col, B, FEE, sponsor, NO_GATE);
        // still refused once resolved and withdrawn
        _report(Q_A, _v2(1, 0));
        vm.expectRevert(_stateError(c, RESOLVED, NONE));
        vm.prank(oracle);
        maker.createMarket(c, col, B, FEE, sponsor, NO_GATE);
        _withdraw(c);
        vm.expectRevert(_stateError(c, WITHDRAWN, NONE));
        vm.prank(oracle);
        maker.createMarket(c, col, B, FEE, sponsor, NO_GATE);
    }

    function test_createMarket_revertsWhenConditionResolved() public {
        vm.prank(oracle);
        ConditionId c = vault.prepareCondition(Q_A, 2);
        _report(Q_A, _v2(0, 1));
        vm.expectRevert(
            abi.encodeWithSelector(
                IOutcomeVault.UnexpectedConditionState.selector,
                c,
                IOutcomeVault.ConditionState.Resolved,
                IOutcomeVault.ConditionState.Prepared
            )
        );
        vm.prank(oracle);
        maker.createMarket(c, col, B, FEE, sponsor, NO_GATE);
    }

    function test_createMarket_revertsWhenFeeTooHigh() public {
        vm.prank(oracle);
        ConditionId c = vault.prepareCondition(Q_A, 2);
        vm.expectRevert(abi.encodeWithSelector(ILmsrMarketMaker.MarketFeeTooHigh.selector, 1_001, 1_000));
        vm.prank(oracle);
        maker.createMarket(c, col, B, 1_001, sponsor, NO_GATE);
    }

    function test_createMarket_revertsWhenSponsorZero() public {
        vm.prank(oracle);
        ConditionId c = vault.prepareCondition(Q_A, 2);
        vm.expectRevert(abi.encodeWithSelector(ILmsrMarketMaker.MarketSponsorInvalid.selector, address(0)));
        vm.prank(oracle);
        maker.createMarket(c, col, B, FEE, address(0), NO_GATE);
    }

    function test_createMarket_revertsWhenSponsorIsTheMaker() public {
        vm.prank(oracle);
        ConditionId c = vault.prepareCondition(Q_A, 2);
        vm.expectRevert(abi.encodeWithSelector(ILmsrMarketMaker.MarketSponsorInvalid.selector, address(maker)));
        vm.prank(oracle);
        maker.createMarket(c, col, B, FEE, address(maker), NO_GATE);
    }

    function test_createMarket_revertsWhenLiquidityZero() public {
        vm.prank(oracle);
        ConditionId c = vault.prepareCondition(Q_A, 2);
        vm.expectRevert(
            abi.encodeWithSelector(LmsrMath.LmsrLiquidityOutOfRange.selector, 0, uint256(type(uint128).max))
        );
        vm.prank(oracle);
        maker.createMarket(c, col, 0, FEE, sponsor, NO_GATE);
    }

    function test_createMarket_revertsWhenCollateralZero() public {
        vm.prank(oracle);
        ConditionId c = vault.prepareCondition(Q_A, 2);
        vm.expectRevert(
            abi.encodeWithSelector(ILmsrMarketMaker.TokenTransferMismatch.selector, IERC20(address(0)), 1, 0)
        );
        vm.prank(oracle);
        maker.createMarket(c, IERC20(address(0)), B, FEE, sponsor, NO_GATE);
    }

    function test_createMarket_revertsOnFeeOnTransferCollateral() public {
        FeeOnTransferERC20 fot = new FeeOnTransferERC20(100); // 1 %
        vm.prank(oracle);
        ConditionId c = vault.prepareCondition(Q_A, 2);
        uint256 subsidy = LmsrMath.subsidy(B, 2);
        fot.mint(oracle, subsidy);
        vm.prank(oracle);
        fot.approve(address(maker), subsidy);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILmsrMarketMaker.TokenTransferMismatch.selector, IERC20(address(fot)), subsidy, subsidy - subsidy / 100
            )
        );
        vm.prank(oracle);
        maker.createMarket(c, IERC20(address(fot)), B, FEE, sponsor, NO_GATE);
        assertEq(uint256(_state(c)), uint256(NONE));
    }

    function test_views_unknownMarket() public {
        ConditionId c = ConditionId.wrap(Q_A);
        assertEq(uint256(_state(c)), uint256(NONE));
        assertEq(_market(c).sponsor, address(0));
        vm.expectRevert(_stateError(c, NONE, OPEN));
        maker.prices(c);
        vm.expectRevert(_stateError(c, NONE, OPEN));
        maker.quoteBuy(c, 0, 1);
        vm.expectRevert(_stateError(c, NONE, OPEN));
        maker.quoteSell(c, 0, 1);
        vm.expectRevert(_stateError(c, NONE, OPEN));
        _buy(alice, c, 0, 1);
        vm.expectRevert(_stateError(c, NONE, RESOLVED));
        _withdraw(c);
    }

    // =================================================================== buy

    function test_buy_paysQuoteAndDeliversShares() public {
        ConditionId c = _open(Q_B, 3, B, FEE, NO_GATE);
        uint256 amount = 250e18 + 3;
        uint256 cashBefore = _market(c).cash;
        (uint256 lmsrCost, uint256 fee) = maker.quoteBuy(c, 1, amount);
        assertEq(lmsrCost, LmsrMath.buyCost(_q(c), B, 1, amount), "quote is the library's buy cost");
        assertEq(fee, _ceilFee(lmsrCost, FEE));
        // b ln((2 + e^0.25) / 3) ~ 90.5 tokens for 250 shares: each share between the old and the new price
        assertGt(lmsrCost, amount / 3);
        assertLt(lmsrCost, amount * 4 / 10);

        vm.expectEmit(address(maker));
        emit ILmsrMarketMaker.SharesBought(c, alice, bob, 1, amount, lmsrCost, fee);
        vm.prank(alice);
        uint256 paid = maker.buy(c, 1, amount, lmsrCost + fee, block.timestamp, bob);

        assertEq(paid, lmsrCost + fee);
        assertEq(token.balanceOf(alice), FUNDS - paid, "payer charged");
        assertEq(token.balanceOf(bob), FUNDS, "recipient not charged");
        assertEq(vault.balanceOf(bob, _pos(c, 1)), amount, "recipient got the shares");
        assertEq(vault.balanceOf(alice, _pos(c, 1)), 0);
        ILmsrMarketMaker.Market memory m = _market(c);
        assertEq(m.sold[1], amount);
        assertEq(m.sold[0], 0);
        assertEq(m.sets, LmsrMath.subsidy(B, 3), "served from the inventory: no split");
        assertEq(m.cash, cashBefore + paid);
        assertEq(token.balanceOf(address(maker)), m.cash);
        assertEq(vault.collateralHeld(col), LmsrMath.subsidy(B, 3));
        _assertBooks(c);
    }

    function test_buy_usesInventoryBeforeSplitting() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        uint256 subsidy = LmsrMath.subsidy(B, 2); // the inventory of each outcome at creation
        uint256 paid = _buy(alice, c, 0, 100e18); // served from inventory, no split
        ILmsrMarketMaker.Market memory m = _market(c);
        assertEq(m.sets, subsidy);
        assertEq(m.cash, paid);
        assertEq(vault.balanceOf(address(maker), _pos(c, 0)), subsidy - 100e18);
        // 20 more than the maker holds of outcome 0: it splits exactly the shortfall out of its cash.
        uint256 paid2 = _buy(bob, c, 0, subsidy - 100e18 + 20e18);
        m = _market(c);
        assertEq(m.sets, subsidy + 20e18, "split exactly the shortfall");
        assertEq(m.cash, paid + paid2 - 20e18);
        assertEq(vault.balanceOf(address(maker), _pos(c, 0)), 0);
        assertEq(vault.balanceOf(address(maker), _pos(c, 1)), subsidy + 20e18);
        _assertBooks(c);
    }

    function test_buy_revertsWhenMaxCostExceeded() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        (uint256 lmsrCost, uint256 fee) = maker.quoteBuy(c, 0, 10e18);
        uint256 total = lmsrCost + fee;
        vm.expectRevert(abi.encodeWithSelector(ILmsrMarketMaker.TradeMaxCostExceeded.selector, total, total - 1));
        vm.prank(alice);
        maker.buy(c, 0, 10e18, total - 1, block.timestamp, alice);
        vm.prank(alice);
        assertEq(maker.buy(c, 0, 10e18, total, block.timestamp, alice), total, "exactly maxCost is fine");
    }

    function test_buy_allowedAtDeadline() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        vm.prank(alice);
        maker.buy(c, 0, 1e18, type(uint256).max, START, alice);
        assertEq(vault.balanceOf(alice, _pos(c, 0)), 1e18);
    }

    function test_buy_revertsAfterDeadline() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        vm.warp(START + 1);
        vm.expectRevert(abi.encodeWithSelector(ILmsrMarketMaker.TradeDeadlinePassed.selector, START, START + 1));
        vm.prank(alice);
        maker.buy(c, 0, 1e18, type(uint256).max, START, alice);
    }

    function test_buy_revertsWhenAmountZero() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        vm.expectRevert(ILmsrMarketMaker.TradeAmountZero.selector);
        _buy(alice, c, 0, 0);
    }

    function test_buy_revertsWhenRecipientZero() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        vm.expectRevert(ILmsrMarketMaker.TradeRecipientZero.selector);
        vm.prank(alice);
        maker.buy(c, 0, 1e18, type(uint256).max, block.timestamp, address(0));
    }

    function test_buy_revertsWhenOutcomeOutOfRange() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        vm.expectRevert(abi.encodeWithSelector(LmsrMath.LmsrOutcomeOutOfRange.selector, 2, 2));
        _buy(alice, c, 2, 1e18);
        vm.expectRevert(abi.encodeWithSelector(LmsrMath.LmsrOutcomeOutOfRange.selector, 2, 2));
        maker.quoteBuy(c, 2, 1e18);
    }

    function test_buy_asksTheGateWithTradeDetails() public {
        ConditionId c = _open(Q_B, 3, B, FEE, gate);
        vm.expectCall(address(gate), abi.encodeCall(IMarketGate.checkTrade, (c, alice, bob, 2, true)), 1);
        vm.prank(alice);
        maker.buy(c, 2, 1e18, type(uint256).max, block.timestamp, bob);
    }

    function test_buy_revertsWithTheGatesErrorWhenClosed() public {
        ConditionId c = _open(Q_A, 2, B, FEE, gate);
        gate.setClosed(true);
        vm.expectRevert(abi.encodeWithSelector(MockMarketGate.GateClosed.selector, c));
        _buy(alice, c, 0, 1e18);
        gate.setClosed(false);
        _buy(alice, c, 0, 1e18);
    }

    function test_buy_revertsWithTheGatesErrorWhenTraderOrRecipientRefused() public {
        ConditionId c = _open(Q_A, 2, B, FEE, gate);
        gate.setRefused(bob, true);
        vm.expectRevert(abi.encodeWithSelector(MockMarketGate.GateRefused.selector, bob, true));
        _buy(bob, c, 0, 1e18);
        vm.expectRevert(abi.encodeWithSelector(MockMarketGate.GateRefused.selector, bob, true));
        vm.prank(alice);
        maker.buy(c, 0, 1e18, type(uint256).max, block.timestamp, bob);
        _buy(alice, c, 0, 1e18); // others still trade
    }

    function test_buy_revertsAfterResolution() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        _buy(alice, c, 0, 1e18);
        _report(Q_A, _v2(1, 0));
        assertEq(uint256(_state(c)), uint256(RESOLVED));
        vm.expectRevert(_stateError(c, RESOLVED, OPEN));
        _buy(alice, c, 0, 1e18);
        vm.expectRevert(_stateError(c, RESOLVED, OPEN));
        maker.quoteBuy(c, 0, 1e18);
        _withdraw(c);
        vm.expectRevert(_stateError(c, WITHDRAWN, OPEN));
        _buy(alice, c, 0, 1e18);
    }

    function test_buy_revertsWithoutAllowance() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        address dave = makeAddr("dave");
        token.mint(dave, FUNDS);
        vm.expectRevert(); // ERC20InsufficientAllowance from the token
        _buy(dave, c, 0, 1e18);
    }

    function test_buy_revertsWhenCollateralStartsChargingAFee() public {
        SwitchableFeeERC20 sfee = new SwitchableFeeERC20();
        vm.prank(oracle);
        ConditionId c = vault.prepareCondition(Q_A, 2);
        _create(c, IERC20(address(sfee)), B, FEE, NO_GATE);
        sfee.mint(alice, FUNDS);
        vm.prank(alice);
        sfee.approve(address(maker), type(uint256).max);
        sfee.setFeeBps(50);
        (uint256 lmsrCost, uint256 fee) = maker.quoteBuy(c, 0, 1e18);
        uint256 total = lmsrCost + fee;
        vm.expectRevert(
            abi.encodeWithSelector(
                ILmsrMarketMaker.TokenTransferMismatch.selector, IERC20(address(sfee)), total, total - total * 50 / BPS
            )
        );
        _buy(alice, c, 0, 1e18);
    }

    /// @dev Shares bought "for" the maker itself would be stranded in it (it accepts its own transfer), breaking
    /// `inventory == sets - sold[j]`; the maker refuses itself as a recipient.
    function test_buy_revertsWhenRecipientIsTheMaker() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        vm.expectRevert(ILmsrMarketMaker.TradeRecipientIsMaker.selector);
        vm.prank(alice);
        maker.buy(c, 0, 10e18, type(uint256).max, block.timestamp, address(maker));
        _assertBooks(c);
    }

    // ================================================================== sell

    function test_sell_paysQuoteAndTakesShares() public {
        ConditionId c = _open(Q_B, 3, B, FEE, NO_GATE);
        _buy(alice, c, 2, 300e18);
        uint256 amount = 120e18 + 1;
        (uint256 proceeds, uint256 fee) = maker.quoteSell(c, 2, amount);
        uint256 lmsrReturn = LmsrMath.sellReturn(_q(c), B, 2, amount);
        assertEq(proceeds + fee, lmsrReturn, "proceeds + fee is the library's sell return");
        assertEq(fee, _ceilFee(lmsrReturn, FEE));
        uint256 cashBefore = _market(c).cash;
        uint256 aliceBefore = token.balanceOf(alice);

        vm.expectEmit(address(maker));
        emit ILmsrMarketMaker.SharesSold(c, alice, bob, 2, amount, proceeds, fee);
        vm.prank(alice);
        uint256 got = maker.sell(c, 2, amount, proceeds, block.timestamp, bob);

        assertEq(got, proceeds);
        assertEq(token.balanceOf(bob), FUNDS + proceeds, "recipient paid");
        assertEq(token.balanceOf(alice), aliceBefore, "seller not paid");
        assertEq(vault.balanceOf(alice, _pos(c, 2)), 300e18 - amount, "seller's shares taken");
        ILmsrMarketMaker.Market memory m = _market(c);
        assertEq(m.sold[2], 300e18 - amount);
        assertEq(m.sets, LmsrMath.subsidy(B, 3), "cash sufficed: no merge (and the buy needed no split)");
        assertEq(m.cash, cashBefore - proceeds);
        assertEq(token.balanceOf(address(maker)), m.cash);
        _assertBooks(c);
    }

    function test_sell_mergesFullSetsWhenCashIsShort() public {
        ConditionId c = _open(Q_A, 2, B, 0, NO_GATE);
        _buy(alice, c, 0, 5_000e18); // cash left ~ b ln(e^5 + 1) - 5000 ~ 6.7 tokens
        uint256 cash = _market(c).cash;
        assertLt(cash, 10e18);
        (uint256 proceeds,) = maker.quoteSell(c, 0, 1_000e18); // b ln((e^5 + 1) / (e^4 + 1)) ~ 988.6 tokens
        assertGt(proceeds, cash);
        uint256 merged = proceeds - cash;
        vm.expectEmit(address(vault));
        emit IOutcomeVault.PositionsMerged(address(maker), col, ROOT, c, merged);
        _sell(alice, c, 0, 1_000e18);
        ILmsrMarketMaker.Market memory m = _market(c);
        assertEq(m.cash, 0);
        assertEq(m.sets, 5_000e18 - merged);
        assertEq(token.balanceOf(address(maker)), 0);
        _assertBooks(c);
    }

    function test_sell_revertsWhenMinProceedsNotMet() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        _buy(alice, c, 1, 10e18);
        (uint256 proceeds,) = maker.quoteSell(c, 1, 10e18);
        vm.expectRevert(
            abi.encodeWithSelector(ILmsrMarketMaker.TradeMinProceedsNotMet.selector, proceeds, proceeds + 1)
        );
        vm.prank(alice);
        maker.sell(c, 1, 10e18, proceeds + 1, block.timestamp, alice);
    }

    function test_sell_allowedAtDeadline_revertsAfterDeadline() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        _buy(alice, c, 1, 10e18);
        vm.warp(START + 100);
        vm.expectRevert(
            abi.encodeWithSelector(ILmsrMarketMaker.TradeDeadlinePassed.selector, START + 99, START + 100)
        );
        vm.prank(alice);
        maker.sell(c, 1, 1e18, 0, START + 99, alice);
        vm.prank(alice);
        maker.sell(c, 1, 1e18, 0, START + 100, alice);
        assertEq(vault.balanceOf(alice, _pos(c, 1)), 9e18);
    }

    function test_sell_revertsOnBadArguments() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        _buy(alice, c, 1, 10e18);
        vm.expectRevert(ILmsrMarketMaker.TradeAmountZero.selector);
        _sell(alice, c, 1, 0);
        vm.expectRevert(ILmsrMarketMaker.TradeRecipientZero.selector);
        vm.prank(alice);
        maker.sell(c, 1, 1e18, 0, block.timestamp, address(0));
        vm.expectRevert(abi.encodeWithSelector(LmsrMath.LmsrOutcomeOutOfRange.selector, 5, 2));
        _sell(alice, c, 5, 1e18);
        vm.expectRevert(abi.encodeWithSelector(LmsrMath.LmsrOutcomeOutOfRange.selector, 5, 2));
        maker.quoteSell(c, 5, 1e18);
    }

    /// @dev Proceeds paid to the maker itself would stay in it beyond every market's cash, for good.
    function test_sell_revertsWhenRecipientIsTheMaker() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        _buy(alice, c, 1, 10e18);
        vm.expectRevert(ILmsrMarketMaker.TradeRecipientIsMaker.selector);
        vm.prank(alice);
        maker.sell(c, 1, 5e18, 0, block.timestamp, address(maker));
        assertEq(token.balanceOf(address(maker)), _market(c).cash);
    }

    function test_sell_revertsWhenSellingMoreThanSold() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        _buy(alice, c, 0, 10e18);
        // bob holds plenty of outcome 0 from his own split, but the maker only ever sold 10
        vm.startPrank(bob);
        token.approve(address(vault), 100e18);
        vault.split(col, ROOT, c, 100e18);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(LmsrMath.LmsrSellExceedsOutstanding.selector, 0, 11e18, 10e18));
        _sell(bob, c, 0, 11e18);
        vm.expectRevert(abi.encodeWithSelector(LmsrMath.LmsrSellExceedsOutstanding.selector, 1, 1, 0));
        _sell(bob, c, 1, 1);
        vm.expectRevert(abi.encodeWithSelector(LmsrMath.LmsrSellExceedsOutstanding.selector, 0, 11e18, 10e18));
        maker.quoteSell(c, 0, 11e18);
        // up to what is outstanding, any holder's shares are as good
        _sell(bob, c, 0, 10e18);
        assertEq(_market(c).sold[0], 0);
        _assertBooks(c);
    }

    function test_sell_revertsWithoutApprovalForAll() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        address dave = makeAddr("dave");
        token.mint(dave, FUNDS);
        vm.prank(dave);
        token.approve(address(maker), type(uint256).max);
        _buy(dave, c, 0, 5e18);
        vm.expectRevert(
            abi.encodeWithSelector(IERC1155Errors.ERC1155MissingApprovalForAll.selector, address(maker), dave)
        );
        _sell(dave, c, 0, 5e18);
    }

    function test_sell_revertsWhenSellerLacksShares() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        _buy(alice, c, 0, 5e18);
        uint256 id = _pos(c, 0);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, bob, 0, 1e18, id));
        _sell(bob, c, 0, 1e18);
    }

    function test_sell_gateAndStateChecks() public {
        ConditionId c = _open(Q_A, 2, B, FEE, gate);
        _buy(alice, c, 0, 5e18);
        vm.expectCall(address(gate), abi.encodeCall(IMarketGate.checkTrade, (c, alice, carol, 0, false)));
        vm.prank(alice);
        maker.sell(c, 0, 1e18, 0, block.timestamp, carol);
        gate.setRefused(carol, true);
        vm.expectRevert(abi.encodeWithSelector(MockMarketGate.GateRefused.selector, carol, false));
        vm.prank(alice);
        maker.sell(c, 0, 1e18, 0, block.timestamp, carol);
        gate.setClosed(true);
        vm.expectRevert(abi.encodeWithSelector(MockMarketGate.GateClosed.selector, c));
        _sell(alice, c, 0, 1e18);
        gate.setClosed(false);
        _report(Q_A, _v2(1, 0));
        vm.expectRevert(_stateError(c, RESOLVED, OPEN));
        _sell(alice, c, 0, 1e18);
        vm.expectRevert(_stateError(c, RESOLVED, OPEN));
        maker.quoteSell(c, 0, 1e18);
    }

    // ================================================================ prices

    function test_prices_sumToOneAndBoughtOutcomeRises() public {
        ConditionId c = _open(Q_B, 3, B, FEE, NO_GATE);
        uint256[] memory before = maker.prices(c);
        _buy(alice, c, 1, 400e18);
        uint256[] memory afterBuy = maker.prices(c);
        assertEq(_sum(afterBuy), WAD, "sum exactly 1e18");
        assertGt(afterBuy[1], before[1], "bought outcome rises");
        assertLt(afterBuy[0], before[0]);
        assertLt(afterBuy[2], before[2]);
        // exp(0.4) / (2 + exp(0.4)) = 0.42723356...
        assertApproxEqRel(afterBuy[1], 0.42723356e18, 1e12);
        _buy(bob, c, 0, 123e18 + 7);
        _sell(alice, c, 1, 150e18);
        uint256[] memory later = maker.prices(c);
        assertEq(_sum(later), WAD, "sum exactly 1e18");
        assertLt(later[1], afterBuy[1], "sold outcome falls");
        _report(Q_B, _v3(0, 1, 0));
        assertEq(maker.prices(c), later, "prices stay readable after resolution");
    }

    // ================================================================== fees

    /// @dev Against 60-digit decimal references: a buy pays more than the exact cost increase and a sale returns
    /// less than the exact decrease, each by about one rounding allowance (the computation's own error is far
    /// smaller: a few thousand wei at b = 1000e18, against an allowance of 64_004 wei).
    function test_quotes_roundInTheMarketsFavourAgainstDecimalReference() public {
        ConditionId c = _open(Q_A, 2, B, 0, NO_GATE);
        uint256 allowance = LmsrMath.errorAllowance(B);
        assertEq(allowance, 64_004);
        // b ln((e^0.3 + 1) / 2): buying 300 shares of outcome 0 at q = 0
        uint256 exactBuy = 161_208_063_908_581_809_397; // rounded down (.356)
        uint256 paid = _buy(alice, c, 0, 300e18);
        assertGt(paid, exactBuy + allowance / 2, "buy rounds up by about the allowance");
        assertLt(paid, exactBuy + 1 + allowance * 3 / 2);
        // b ln((e^0.3 + 1) / (e^0.2 + 1)): selling 100 of them back
        uint256 exactSell = 56_216_375_086_935_279_129; // rounded down (.645)
        (uint256 proceeds,) = maker.quoteSell(c, 0, 100e18);
        assertLt(proceeds, exactSell - allowance / 2, "sale rounds down by about the allowance");
        assertGt(proceeds, exactSell - allowance * 3 / 2);
        // three outcomes: b ln((e^0.5 + 2) / 3) for 500 shares at q = 0
        ConditionId c3 = _open(Q_B, 3, B, 0, NO_GATE);
        uint256 exact3 = 195_764_480_749_533_489_091; // rounded down (.874)
        (uint256 cost3,) = maker.quoteBuy(c3, 2, 500e18);
        assertGt(cost3, exact3 + allowance / 2);
        assertLt(cost3, exact3 + 1 + allowance * 3 / 2);
    }

    function test_buy_feeIsCeilOfLmsrCost() public {
        ConditionId c = _open(Q_A, 2, B, 37, NO_GATE); // 0.37 %
        (uint256 lmsrCost, uint256 fee) = maker.quoteBuy(c, 0, 10e18 + 1);
        assertTrue(lmsrCost * 37 % BPS != 0, "the example has a remainder");
        assertEq(fee, lmsrCost * 37 / BPS + 1, "rounded up");
        uint256 paid = _buy(alice, c, 0, 10e18 + 1);
        assertEq(paid, lmsrCost + fee);
    }

    function test_sell_feeIsCeilOfLmsrReturn() public {
        ConditionId c = _open(Q_A, 2, B, 37, NO_GATE);
        _buy(alice, c, 0, 50e18);
        uint256 lmsrReturn = LmsrMath.sellReturn(_q(c), B, 0, 10e18 + 1);
        (uint256 proceeds, uint256 fee) = maker.quoteSell(c, 0, 10e18 + 1);
        assertTrue(lmsrReturn * 37 % BPS != 0, "the example has a remainder");
        assertEq(fee, lmsrReturn * 37 / BPS + 1, "rounded up");
        assertEq(proceeds, lmsrReturn - fee);
        assertEq(_sell(alice, c, 0, 10e18 + 1), proceeds);
    }

    function test_fees_zeroFeeMarketChargesNone() public {
        ConditionId c = _open(Q_A, 2, B, 0, NO_GATE);
        (uint256 lmsrCost, uint256 fee) = maker.quoteBuy(c, 1, 3e18);
        assertEq(fee, 0);
        assertEq(_buy(alice, c, 1, 3e18), lmsrCost);
        (uint256 proceeds, uint256 sellFee) = maker.quoteSell(c, 1, 3e18);
        assertEq(sellFee, 0);
        assertEq(proceeds, LmsrMath.sellReturn(_q(c), B, 1, 3e18));
    }

    function test_roundTrip_buyThenSellNeverProfits() public {
        uint16[2] memory fees = [uint16(0), FEE];
        bytes32[2] memory qs = [Q_A, Q_B];
        for (uint256 k; k < 2; ++k) {
            ConditionId c = _open(qs[k], 2, B, fees[k], NO_GATE);
            uint256[3] memory sizes = [uint256(1), 7e15, 2_500e18];
            for (uint256 s; s < sizes.length; ++s) {
                uint256 paid = _buy(alice, c, 1, sizes[s]);
                uint256 back = _sell(alice, c, 1, sizes[s]);
                assertLt(back, paid, "strictly less back than paid");
            }
            assertEq(_market(c).sold[1], 0);
            _assertBooks(c);
        }
    }

    // ============================================================== withdraw

    function test_withdraw_paysCashPlusRedeemedInventory() public {
        ConditionId c = _open(Q_B, 3, B, FEE, NO_GATE);
        _buy(alice, c, 0, 700e18);
        _buy(bob, c, 1, 200e18 + 11);
        _sell(alice, c, 0, 100e18);
        _report(Q_B, _v3(2, 1, 0));
        ILmsrMarketMaker.Market memory m = _market(c);
        // inventory: sets - sold[j] of each j, redeemed at 2/3, 1/3, 0
        uint256 inventoryValue =
            ((m.sets - m.sold[0]) * 2 + (m.sets - m.sold[1]) * 1 + (m.sets - m.sold[2]) * 0) / 3;
        uint256 expected = m.cash + inventoryValue;

        vm.expectRevert(abi.encodeWithSelector(ILmsrMarketMaker.MarketCallerNotSponsor.selector, c, alice, sponsor));
        vm.prank(alice);
        maker.withdraw(c, alice);
        vm.expectRevert(ILmsrMarketMaker.TradeRecipientZero.selector);
        vm.prank(sponsor);
        maker.withdraw(c, address(0));

        vm.expectEmit(address(maker));
        emit ILmsrMarketMaker.MarketWithdrawn(c, sponsor, carol, expected);
        vm.prank(sponsor);
        uint256 amount = maker.withdraw(c, carol);

        assertEq(amount, expected);
        assertEq(token.balanceOf(carol), FUNDS + expected, "paid to `to`");
        assertEq(token.balanceOf(sponsor), 0);
        assertEq(token.balanceOf(address(maker)), 0);
        assertEq(uint256(_state(c)), uint256(WITHDRAWN));
        m = _market(c);
        assertTrue(m.withdrawn);
        assertEq(m.cash, 0);
        assertEq(m.sets, 0);
        for (uint256 j; j < 3; ++j) {
            assertEq(vault.balanceOf(address(maker), _pos(c, j)), 0, "inventory burned");
        }
        vm.expectRevert(_stateError(c, WITHDRAWN, RESOLVED));
        _withdraw(c);
    }

    function test_withdraw_revertsBeforeResolution() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        vm.expectRevert(_stateError(c, OPEN, RESOLVED));
        _withdraw(c);
        // closing the gate does not resolve the market
        ConditionId g = _open(Q_B, 2, B, FEE, gate);
        gate.setClosed(true);
        vm.expectRevert(_stateError(g, OPEN, RESOLVED));
        _withdraw(g);
    }

    function test_withdraw_untradedMarketReturnsTheSubsidy() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        _report(Q_A, _v2(1, 1));
        assertEq(_withdraw(c), LmsrMath.subsidy(B, 2));
        assertEq(token.balanceOf(sponsor), LmsrMath.subsidy(B, 2));
    }

    function test_withdraw_revertsWhenToIsTheMaker() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        _report(Q_A, _v2(1, 0));
        vm.expectRevert(ILmsrMarketMaker.TradeRecipientIsMaker.selector);
        vm.prank(sponsor);
        maker.withdraw(c, address(maker));
    }

    function test_withdraw_sponsorLossApproachesButStaysWithinBLnN() public {
        // A trader buys 40 b and 60 b of the eventual winner: the sponsor's loss tends to b ln 2 from below.
        uint256 bLn2 = 693_147_180_559_945_309_417; // b ln 2 for b = 1000e18, rounded down
        bytes32[2] memory qs = [Q_A, Q_B];
        uint256[2] memory multiples = [uint256(40), 60];
        for (uint256 k; k < 2; ++k) {
            ConditionId c = _open(qs[k], 2, B, 0, NO_GATE);
            uint256 paid = _buy(alice, c, 0, multiples[k] * B);
            _assertBooks(c);
            _report(qs[k], _v2(1, 0));
            uint256 loss = LmsrMath.subsidy(B, 2) - _withdraw(c);
            uint256 gain = _redeem(alice, c) - paid;
            assertEq(gain, loss, "the trader's gain is the sponsor's loss");
            assertLe(loss, bLn2, "never more than b ln 2");
            assertGt(loss, bLn2 - 2 * LmsrMath.errorAllowance(B) - 1e5, "and the bound is nearly reached");
        }
        assertEq(token.balanceOf(address(maker)), 0);
        assertEq(token.balanceOf(address(vault)), 0);
    }

    function test_withdraw_sponsorReceivesEveryFee() public {
        // Same trades in a fee-free and a 5 % market: the LMSR state is the same, so the sponsors' difference is the
        // fees the second collected.
        ConditionId free = _open(Q_A, 2, B, 0, NO_GATE);
        ConditionId paid = _open(Q_B, 2, B, 500, NO_GATE);
        ConditionId[2] memory cs = [free, paid];
        uint256 fees;
        for (uint256 k; k < 2; ++k) {
            uint256 f;
            (, f) = maker.quoteBuy(cs[k], 0, 300e18);
            fees += f;
            _buy(alice, cs[k], 0, 300e18);
            (, f) = maker.quoteBuy(cs[k], 1, 50e18);
            fees += f;
            _buy(bob, cs[k], 1, 50e18);
            (, f) = maker.quoteSell(cs[k], 0, 120e18);
            fees += f;
            _sell(alice, cs[k], 0, 120e18);
        }
        assertGt(fees, 0);
        _report(Q_A, _v2(0, 1));
        _report(Q_B, _v2(0, 1));
        uint256 fromFree = _withdraw(free);
        uint256 fromPaid = _withdraw(paid);
        assertEq(fromPaid - fromFree, fees, "the sponsor keeps every fee");
    }

    // ================================================== accounting to the wei

    function test_accounting_allCollateralAccountedToTheWei() public {
        ConditionId a = _open(Q_A, 2, B, FEE, NO_GATE);
        ConditionId b3 = _open(Q_B, 3, 333e18 + 1, 250, NO_GATE);
        _buy(alice, a, 0, 800e18 + 3);
        _buy(bob, a, 1, 150e18);
        _buy(carol, b3, 2, 1_000e18);
        _buy(alice, b3, 0, 17);
        _sell(carol, b3, 2, 400e18);
        _buy(bob, b3, 1, 99e18);
        _sell(alice, a, 0, 300e18);
        _assertBooks(a);
        _assertBooks(b3);
        assertEq(token.balanceOf(address(maker)), uint256(_market(a).cash) + _market(b3).cash);

        _report(Q_A, _v2(1, 2)); // fractional: redemptions leave dust
        _report(Q_B, _v3(0, 0, 1));
        uint256 subsidies = LmsrMath.subsidy(B, 2) + LmsrMath.subsidy(333e18 + 1, 3);
        uint256 sponsorGot = _withdraw(a) + _withdraw(b3);
        address[3] memory traders = [alice, bob, carol];
        for (uint256 t; t < 3; ++t) {
            _redeem(traders[t], a);
            _redeem(traders[t], b3);
        }
        assertEq(token.balanceOf(address(maker)), 0, "maker empty after every withdrawal");
        uint256 dust = token.balanceOf(address(vault));
        assertLe(dust, 3, "vault keeps < 1 wei per redemption of the fractional condition (4 redeemers)");
        uint256 tradersNow;
        for (uint256 t; t < 3; ++t) {
            tradersNow += token.balanceOf(traders[t]);
        }
        // conservation: what traders gained, the sponsor lost, less the vault's dust
        assertEq(tradersNow + sponsorGot + dust, 3 * FUNDS + subsidies, "to the wei");
        assertEq(token.totalSupply(), 3 * FUNDS + subsidiesMinted);
        assertEq(token.balanceOf(oracle), 0);
        for (uint256 j; j < 3; ++j) {
            assertEq(vault.balanceOf(address(maker), _pos(b3, j)), 0);
        }
    }

    function test_accounting_marketsInOneCollateralDoNotMixCash() public {
        ConditionId a = _open(Q_A, 2, B, FEE, NO_GATE);
        ConditionId b2 = _open(Q_B, 2, 50e18, 0, NO_GATE);
        _buy(alice, a, 0, 900e18);
        _buy(bob, b2, 1, 400e18); // drains b2's cash into sets: far beyond its b
        _sell(bob, b2, 1, 10e18);
        ILmsrMarketMaker.Market memory before = _market(b2);
        _report(Q_A, _v2(0, 1));
        uint256 got = _withdraw(a);
        ILmsrMarketMaker.Market memory after_ = _market(b2);
        assertEq(after_.cash, before.cash, "the other market's cash untouched");
        assertEq(after_.sets, before.sets);
        assertEq(token.balanceOf(address(maker)), before.cash, "the maker holds exactly b2's cash");
        assertGt(got, 0);
        // b2 still trades and settles on its own
        _sell(bob, b2, 1, 390e18);
        _assertBooks(b2);
        _report(Q_B, _v2(1, 0));
        _withdraw(b2);
        assertEq(token.balanceOf(address(maker)), 0);
    }

    // ============================================= unsolicited ERC-1155 positions

    function test_onERC1155Received_refusesDirectTransfers() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        _buy(alice, c, 0, 10e18);
        uint256 id = _pos(c, 0);
        vm.expectRevert(abi.encodeWithSelector(ILmsrMarketMaker.MarketUnsolicitedPositions.selector, alice, alice));
        vm.prank(alice);
        vault.safeTransferFrom(alice, address(maker), id, 1, "");
        // an approved operator: named as such
        vm.prank(alice);
        vault.setApprovalForAll(bob, true);
        vm.expectRevert(abi.encodeWithSelector(ILmsrMarketMaker.MarketUnsolicitedPositions.selector, bob, alice));
        vm.prank(bob);
        vault.safeTransferFrom(alice, address(maker), id, 1, "");
        // a batch
        uint256[] memory ids = new uint256[](1);
        uint256[] memory amounts = new uint256[](1);
        (ids[0], amounts[0]) = (id, 1);
        vm.expectRevert(abi.encodeWithSelector(ILmsrMarketMaker.MarketUnsolicitedPositions.selector, alice, alice));
        vm.prank(alice);
        vault.safeBatchTransferFrom(alice, address(maker), ids, amounts, "");
        _assertBooks(c);
    }

    function test_onERC1155Received_refusesCallsNotFromTheVault() public {
        // naming the maker as operator does not help when the caller is not the vault
        vm.expectRevert(
            abi.encodeWithSelector(ILmsrMarketMaker.MarketUnsolicitedPositions.selector, address(maker), alice)
        );
        vm.prank(alice);
        maker.onERC1155Received(address(maker), alice, 1, 1, "");
        vm.expectRevert(
            abi.encodeWithSelector(ILmsrMarketMaker.MarketUnsolicitedPositions.selector, address(maker), alice)
        );
        vm.prank(alice);
        maker.onERC1155BatchReceived(address(maker), alice, new uint256[](0), new uint256[](0), "");
        // the vault itself may only deliver what the maker moves
        vm.expectRevert(abi.encodeWithSelector(ILmsrMarketMaker.MarketUnsolicitedPositions.selector, alice, alice));
        vm.prank(address(vault));
        maker.onERC1155Received(alice, alice, 1, 1, "");
        vm.prank(address(vault));
        assertEq(
            maker.onERC1155Received(address(maker), alice, 1, 1, ""), IERC1155Receiver.onERC1155Received.selector
        );
    }

    function test_supportsInterface() public view {
        assertTrue(maker.supportsInterface(type(IERC1155Receiver).interfaceId));
        assertTrue(maker.supportsInterface(type(IERC165).interfaceId));
        assertFalse(maker.supportsInterface(0xffffffff));
        assertFalse(maker.supportsInterface(type(ILmsrMarketMaker).interfaceId));
    }

    // ============================================================ reentrancy

    /// @dev A receiver contract funded and approved like a trader, holding shares of `c`.
    function _receiver(ConditionId c) internal returns (ReentrantERC1155Receiver r) {
        r = new ReentrantERC1155Receiver();
        token.mint(address(r), FUNDS);
        r.execute(address(token), abi.encodeCall(IERC20.approve, (address(maker), type(uint256).max)));
        r.execute(address(vault), abi.encodeCall(vault.setApprovalForAll, (address(maker), true)));
        vm.prank(alice);
        maker.buy(c, 0, 20e18, type(uint256).max, block.timestamp, address(r));
    }

    function _assertRefused(ReentrantERC1155Receiver r) internal view {
        assertTrue(r.reentered(), "hook ran");
        assertFalse(r.reentrySucceeded(), "reentry refused");
        bytes memory refusal = abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        assertEq(r.reentryReturnData(), refusal);
    }

    function test_reentrancy_buyDuringBuyHookIsRefused() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        ReentrantERC1155Receiver r = _receiver(c);
        // outside a hook, this call succeeds (the receiver is funded and approved)
        r.execute(
            address(maker), abi.encodeCall(maker.buy, (c, 1, 1e18, type(uint256).max, block.timestamp, address(r)))
        );
        r.arm(address(maker), abi.encodeCall(maker.buy, (c, 1, 1e18, type(uint256).max, block.timestamp, address(r))));
        vm.prank(alice);
        maker.buy(c, 0, 5e18, type(uint256).max, block.timestamp, address(r));
        _assertRefused(r);
        assertEq(vault.balanceOf(address(r), _pos(c, 0)), 25e18);
        assertEq(vault.balanceOf(address(r), _pos(c, 1)), 1e18);
        _assertBooks(c);
    }

    function test_reentrancy_sellDuringBuyHookIsRefused() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        ReentrantERC1155Receiver r = _receiver(c);
        r.arm(address(maker), abi.encodeCall(maker.sell, (c, 0, 20e18, 0, block.timestamp, address(r))));
        vm.prank(alice);
        maker.buy(c, 0, 5e18, type(uint256).max, block.timestamp, address(r));
        _assertRefused(r);
        assertEq(vault.balanceOf(address(r), _pos(c, 0)), 25e18);
        // outside a hook the same sale goes through
        r.execute(address(maker), abi.encodeCall(maker.sell, (c, 0, 20e18, 0, block.timestamp, address(r))));
        assertEq(vault.balanceOf(address(r), _pos(c, 0)), 5e18);
        _assertBooks(c);
    }

    function test_reentrancy_withdrawDuringBuyHookIsRefused() public {
        ConditionId c = _open(Q_A, 2, B, FEE, NO_GATE);
        ReentrantERC1155Receiver r = _receiver(c);
        // r sponsors a second, resolved market: withdrawing it is legitimate, except from inside a hook
        vm.prank(oracle);
        ConditionId other = vault.prepareCondition(Q_B, 2);
        uint256 subsidy = _createFor(other, col, B, 0, address(r), NO_GATE);
        _report(Q_B, _v2(1, 0));
        r.arm(address(maker), abi.encodeCall(maker.withdraw, (other, address(r))));
        vm.prank(alice);
        maker.buy(c, 0, 5e18, type(uint256).max, block.timestamp, address(r));
        _assertRefused(r);
        assertEq(uint256(_state(other)), uint256(RESOLVED));
        r.execute(address(maker), abi.encodeCall(maker.withdraw, (other, address(r))));
        assertEq(uint256(_state(other)), uint256(WITHDRAWN));
        assertEq(token.balanceOf(address(maker)), _market(c).cash);
        assertEq(token.balanceOf(address(r)), FUNDS + subsidy);
    }

    function test_reentrancy_collateralHookDuringSellIsRefused() public {
        ReentrantERC20 hook = new ReentrantERC20();
        vm.prank(oracle);
        ConditionId c = vault.prepareCondition(Q_A, 2);
        _create(c, IERC20(address(hook)), B, FEE, NO_GATE);
        hook.mint(alice, FUNDS);
        vm.prank(alice);
        hook.approve(address(maker), type(uint256).max);
        vm.prank(alice);
        maker.buy(c, 0, 10e18, type(uint256).max, block.timestamp, alice);
        // the proceeds' transfer calls back into the maker
        hook.arm(address(maker), abi.encodeCall(maker.buy, (c, 0, 1e18, type(uint256).max, block.timestamp, alice)));
        vm.prank(alice);
        uint256 proceeds = maker.sell(c, 0, 4e18, 0, block.timestamp, alice);
        assertTrue(hook.reentered());
        assertFalse(hook.reentrySucceeded());
        assertEq(
            hook.reentryReturnData(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector)
        );
        assertGt(proceeds, 0);
        assertEq(_market(c).sold[0], 6e18);
        assertEq(hook.balanceOf(address(maker)), _market(c).cash);
    }
}
