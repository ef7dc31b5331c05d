// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ILmsrMarketMaker} from "../../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {LmsrMath} from "../../../../contracts/markets/LmsrMath.sol";
import {ConditionId} from "../../../../contracts/types/MarketIds.sol";

import {MakerFixture} from "./MakerFixture.sol";

/// @notice Property tests of LmsrMarketMaker over b in [1e15, 1e27], 2 to 8 outcomes, fees 0 to 10 % and random
/// sequences of buys and sells by three traders: quotes are what trades pay, buying in pieces is never cheaper, a
/// round trip never profits, the books stay solvent and match the maker's vault balances after every trade, and
/// whatever the outcome, the sponsor's loss plus the fees it collected stays within `b ln n` while collateral is
/// conserved to the wei.
contract LmsrMarketMakerFuzzTest is MakerFixture {
    bytes32 internal constant Q = keccak256("fuzzed question");
    uint256 internal constant RAY = 1e27;
    uint256 internal constant NTRADES = 12;

    /// @dev ln(n) in 1e27 fixed point for n = 2..8 (60-digit decimal reference, rounded down), independent of the
    /// WAD `lnWad` the contract uses.
    uint256[9] internal LN_RAY = [
        uint256(0),
        0,
        693_147_180_559_945_309_417_232_121,
        1_098_612_288_668_109_691_395_245_236,
        1_386_294_361_119_890_618_834_464_242,
        1_609_437_912_434_100_374_600_759_333,
        1_791_759_469_228_055_000_812_477_358,
        1_945_910_149_055_313_305_105_352_743,
        2_079_441_541_679_835_928_251_696_364
    ];

    ConditionId internal c;
    uint128 internal b;
    uint256 internal n;
    uint16 internal fee;
    uint256 internal subsidy;
    address[3] internal traders;

    // ghosts of one run: collateral in and out of the market through trades, and the fees in it
    uint256 internal paidIn;
    uint256 internal paidOut;
    uint256 internal feesCollected;

    function setUp() public {
        _deployMaker();
        traders = [alice, bob, carol];
    }

    // ================================================================ helpers

    function _openFuzzed(uint256 bRaw, uint256 nRaw, uint256 feeRaw) internal {
        b = uint128(_bound(bRaw, 1e15, 1e27));
        n = _bound(nRaw, 2, 8);
        fee = uint16(_bound(feeRaw, 0, 1_000));
        subsidy = LmsrMath.subsidy(b, n);
        c = _open(Q, n, b, fee, NO_GATE);
    }

    /// @dev `b ln n`, from the decimal reference, rounded up (the table's truncation costs < 1 wei for b <= 1e27).
    function _bLnN() internal view returns (uint256) {
        return uint256(b) * LN_RAY[n] / RAY + 2;
    }

    /// @dev A trade amount: one in four tiny (1..1000 wei, all rounding), else up to `cap`.
    function _amount(uint256 seed, uint256 cap) internal pure returns (uint256) {
        if (cap == 0) return 0;
        uint256 upper = seed % 4 == 0 ? 1_000 : cap;
        return _bound(seed >> 2, 1, upper < cap ? upper : cap);
    }

    /// @dev Buys and checks that the trade pays its quote, moves exactly that collateral and delivers the shares.
    function _checkedBuy(address who, uint256 i, uint256 amount) internal returns (uint256 paid) {
        (uint256 lmsrCost, uint256 f) = maker.quoteBuy(c, i, amount);
        uint256 balance = token.balanceOf(who);
        uint256 shares = vault.balanceOf(who, _pos(c, i));
        paid = _buy(who, c, i, amount);
        assertEq(paid, lmsrCost + f, "pays the quote");
        assertEq(balance - token.balanceOf(who), paid, "moves what it returns");
        assertEq(vault.balanceOf(who, _pos(c, i)) - shares, amount, "delivers the shares");
        paidIn += paid;
        feesCollected += f;
    }

    /// @dev Sells and checks that the trade pays its quote, moves exactly that collateral and takes the shares.
    function _checkedSell(address who, uint256 i, uint256 amount) internal returns (uint256 proceeds) {
        (uint256 quoted, uint256 f) = maker.quoteSell(c, i, amount);
        uint256 balance = token.balanceOf(who);
        uint256 shares = vault.balanceOf(who, _pos(c, i));
        proceeds = _sell(who, c, i, amount);
        assertEq(proceeds, quoted, "pays the quote");
        assertEq(token.balanceOf(who) - balance, proceeds, "moves what it returns");
        assertEq(shares - vault.balanceOf(who, _pos(c, i)), amount, "takes the shares");
        paidOut += proceeds;
        feesCollected += f;
    }

    /// @dev One random trade: a buy of up to 5 b, or a sale of up to what the trader holds; then the books.
    function _trade(uint256 seed) internal {
        address who = traders[seed % 3];
        uint256 i = (seed >> 8) % n;
        uint256 held = vault.balanceOf(who, _pos(c, i));
        uint256 amountSeed = seed >> 16;
        if ((seed >> 4) % 3 == 0 && held != 0) {
            uint256 sold = _market(c).sold[i];
            _checkedSell(who, i, _amount(amountSeed, held < sold ? held : sold));
        } else {
            _checkedBuy(who, i, _amount(amountSeed, 5 * uint256(b)));
        }
        _assertBooks(c);
        assertEq(_sum(maker.prices(c)), WAD, "prices sum to exactly 1e18");
        ILmsrMarketMaker.Market memory m = _market(c);
        assertEq(token.balanceOf(address(maker)), m.cash, "maker's collateral is the market's cash");
        assertEq(uint256(m.cash) + m.sets, subsidy + paidIn - paidOut, "cash + sets = subsidy + net trades");
    }

    function _trades(uint256[NTRADES] memory seeds, uint256 count) internal {
        for (uint256 k; k < count; ++k) {
            _trade(seeds[k]);
        }
    }

    /// @dev Resolves with `payouts`, withdraws, has every trader redeem; checks the loss bound and conservation.
    function _settleAndCheck(uint256[] memory payouts) internal {
        uint256 supply = token.totalSupply();
        vm.prank(oracle);
        vault.reportPayouts(Q, payouts);
        uint256 withdrawn = _withdraw(c);
        uint256 redeemed;
        for (uint256 t; t < 3; ++t) {
            redeemed += _redeem(traders[t], c);
        }
        uint256 dust = token.balanceOf(address(vault));
        assertEq(token.balanceOf(address(maker)), 0, "maker left with nothing");
        assertLe(dust, 4, "vault keeps < 1 wei per redemption");
        // Conservation: subsidy + trades in = withdrawal + trades out + redemptions + dust.
        assertEq(subsidy + paidIn, withdrawn + paidOut + redeemed + dust, "conserved to the wei");
        assertEq(token.totalSupply(), supply);
        if (withdrawn < subsidy) {
            uint256 loss = subsidy - withdrawn;
            // Exact LMSR: loss = max-ish q_w - (C(q) - C(0)) - fees <= b ln n - fees; the maker's redemption floors
            // by < 1 wei.
            assertLe(loss + feesCollected, _bLnN() + 1, "sponsor loss + fees <= b ln n");
        }
        // Traders in aggregate gain what the sponsor loses, less dust: at most b ln n.
        if (paidOut + redeemed > paidIn) assertLe(paidOut + redeemed - paidIn, _bLnN() + 1, "traders gain <= b ln n");
    }

    // ================================================================= tests

    function testFuzz_buy_paysQuoteAndCostIsBounded(
        uint256 bRaw,
        uint256 nRaw,
        uint256 feeRaw,
        uint256[NTRADES] memory seeds,
        uint256 iRaw,
        uint256 a1Raw,
        uint256 a2Raw
    ) public {
        _openFuzzed(bRaw, nRaw, feeRaw);
        _trades(seeds, 4);
        uint256 i = iRaw % n;
        uint256 a2 = _bound(a2Raw, 1, 20 * uint256(b));
        uint256 a1 = _bound(a1Raw, 1, a2);
        (uint256 cost1,) = maker.quoteBuy(c, i, a1);
        (uint256 cost2,) = maker.quoteBuy(c, i, a2);
        uint256 allowance = LmsrMath.errorAllowance(b);
        // The exact cost is monotone; each computed one lies within half an allowance of exact + allowance, so
        // below the resolution of ln (~b * 1e-18) a larger amount may quote a little less, never by a full allowance.
        assertLe(cost1, cost2 + allowance, "more shares never cost less (up to the rounding allowance)");
        // Each share pays at most 1 (every price is below 1), plus the rounding allowance of the two costs.
        assertLe(cost2, a2 + 2 * allowance, "a share costs at most one unit");
        // Convexity: at least the current price per share (the floored price is within a few wei of exact).
        uint256 price = maker.prices(c)[i];
        assertGe(cost2 + allowance, a2 * price / WAD, "a share costs at least the current price");
        assertGe(cost2, allowance, "never below the allowance");
        _checkedBuy(alice, i, a2);
        assertGe(maker.prices(c)[i], price, "the price of the bought outcome does not fall");
        _assertBooks(c);
    }

    function testFuzz_buy_inPiecesIsNeverCheaper(
        uint256 bRaw,
        uint256 nRaw,
        uint256 feeRaw,
        uint256[NTRADES] memory seeds,
        uint256 iRaw,
        uint256 totalRaw,
        uint256 firstRaw
    ) public {
        _openFuzzed(bRaw, nRaw, feeRaw);
        _trades(seeds, 4);
        uint256 i = iRaw % n;
        uint256 total = _bound(totalRaw, 2, 10 * uint256(b));
        uint256 first = _bound(firstRaw, 1, total - 1);
        uint256 snap = vm.snapshotState();
        uint256 once = _checkedBuy(alice, i, total);
        vm.revertToState(snap);
        uint256 pieces = _checkedBuy(alice, i, first) + _checkedBuy(alice, i, total - first);
        assertGe(pieces, once, "two buys cost at least one buy of the sum");
    }

    function testFuzz_roundTrip_neverProfits(
        uint256 bRaw,
        uint256 nRaw,
        uint256 feeRaw,
        uint256[NTRADES] memory seeds,
        uint256 iRaw,
        uint256 amountRaw
    ) public {
        _openFuzzed(bRaw, nRaw, feeRaw);
        _trades(seeds, 6);
        uint256 i = iRaw % n;
        uint256 amount = _amount(amountRaw, 20 * uint256(b));
        address dave = makeAddr("dave");
        _fundTrader(dave);
        uint256[] memory qBefore = _q(c);
        ILmsrMarketMaker.Market memory before = _market(c);
        uint256 paid = _checkedBuy(dave, i, amount);
        uint256 back = _checkedSell(dave, i, amount);
        assertLt(back, paid, "a round trip returns strictly less than it cost");
        assertEq(token.balanceOf(dave), FUNDS - paid + back);
        assertEq(_q(c), qBefore, "the market is back to the same q");
        ILmsrMarketMaker.Market memory after_ = _market(c);
        assertEq(uint256(after_.cash) + after_.sets, uint256(before.cash) + before.sets + paid - back);
        _assertBooks(c);
    }

    function testFuzz_trades_keepBooksAndBoundLossOnEveryOutcome(
        uint256 bRaw,
        uint256 nRaw,
        uint256 feeRaw,
        uint256[NTRADES] memory seeds
    ) public {
        _openFuzzed(bRaw, nRaw, feeRaw);
        _trades(seeds, NTRADES);
        // Whatever outcome wins, the sponsor can withdraw and its loss stays within b ln n.
        for (uint256 w; w < n; ++w) {
            uint256 snap = vm.snapshotState();
            uint256[] memory payouts = new uint256[](n);
            payouts[w] = 1;
            _settleAndCheck(payouts);
            assertEq(token.balanceOf(address(vault)), 0, "a single winner leaves no dust");
            vm.revertToState(snap);
        }
    }

    function testFuzz_trades_boundLossOnFractionalPayouts(
        uint256 bRaw,
        uint256 nRaw,
        uint256 feeRaw,
        uint256[NTRADES] memory seeds,
        uint256 payoutSeed
    ) public {
        _openFuzzed(bRaw, nRaw, feeRaw);
        _trades(seeds, NTRADES);
        uint256[] memory payouts = new uint256[](n);
        uint256 den;
        for (uint256 j; j < n; ++j) {
            payouts[j] = (payoutSeed >> (8 * j)) % 5;
            den += payouts[j];
        }
        if (den == 0) payouts[payoutSeed % n] = 3;
        _settleAndCheck(payouts);
    }
}
