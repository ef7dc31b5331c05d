// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {LmsrMath} from "../../../contracts/markets/LmsrMath.sol";
import {LmsrMathHarness} from "../../mocks/LmsrMathHarness.sol";

/// @notice Fuzz tests of LmsrMath: b in [1e15, 1e27] (0.001 to 1e9 tokens of 18 decimals), 2 to 8 outcomes,
/// quantities up to 50 b (the exact reference comparison is in test/integration/lmsr-math.test.ts).
contract LmsrMathFuzzTest is Test {
    uint256 internal constant WAD = 1e18;
    LmsrMathHarness internal harness;

    function setUp() public {
        harness = new LmsrMathHarness();
    }

    function _market(uint256 seed, uint256 bRaw, uint256 nRaw, uint256 spread)
        internal
        pure
        returns (uint256[] memory q, uint256 b)
    {
        b = bound(bRaw, 1e15, 1e27);
        uint256 n = bound(nRaw, 2, 8);
        q = new uint256[](n);
        for (uint256 j = 0; j < n; ++j) {
            q[j] = uint256(keccak256(abi.encode(seed, j))) % (b * spread + 1);
        }
    }

    function testFuzz_prices_sumToOneAndLieInOpenInterval(uint256 seed, uint256 bRaw, uint256 nRaw) public pure {
        // Spread <= 30 b: every exact price is above e^-30 / 8 ~ 1.2e-14, so no floored price is 0 or 1e18.
        (uint256[] memory q, uint256 b) = _market(seed, bRaw, nRaw, 30);
        uint256[] memory p = LmsrMath.prices(q, b);
        uint256 sum;
        for (uint256 j = 0; j < q.length; ++j) {
            sum += p[j];
            assertGt(p[j], 0, "price > 0");
            assertLt(p[j], WAD, "price < 1");
            uint256 single = LmsrMath.price(q, b, j);
            if (j < q.length - 1) assertEq(p[j], single, "prices agrees with price");
            else assertLe(single, p[j]);
            if (j == q.length - 1) assertLe(p[j] - single, q.length - 1, "surplus < n wei");
        }
        assertEq(sum, WAD, "prices sum to exactly 1e18");
    }

    function testFuzz_buyThenSell_neverReturnsMoreThanItCost(
        uint256 seed,
        uint256 bRaw,
        uint256 nRaw,
        uint256 iRaw,
        uint256 amountRaw
    ) public pure {
        (uint256[] memory q, uint256 b) = _market(seed, bRaw, nRaw, 50);
        uint256 i = bound(iRaw, 0, q.length - 1);
        uint256 amount = bound(amountRaw, 1, b * 20);
        uint256 paid = LmsrMath.buyCost(q, b, i, amount);
        q[i] += amount;
        uint256 returned = LmsrMath.sellReturn(q, b, i, amount);
        assertLe(returned, paid, "round trip never profits");
        // Buy cost is at least the (computed) cost increase, the sale at most the (computed) decrease.
        uint256 hi = LmsrMath.cost(q, b);
        q[i] -= amount;
        uint256 lo = LmsrMath.cost(q, b);
        assertGe(paid, hi - lo);
        assertLe(returned, hi - lo);
    }

    function testFuzz_cost_isMonotoneInEachQuantity(
        uint256 seed,
        uint256 bRaw,
        uint256 nRaw,
        uint256 iRaw,
        uint256 amountRaw
    ) public pure {
        (uint256[] memory q, uint256 b) = _market(seed, bRaw, nRaw, 50);
        uint256 i = bound(iRaw, 0, q.length - 1);
        uint256 amount = bound(amountRaw, 1, b * 20);
        uint256 before = LmsrMath.cost(q, b);
        q[i] += amount;
        uint256 grown = LmsrMath.cost(q, b);
        assertGe(grown, before, "cost never falls when shares are added");
        // max_j q_j <= C(q) <= max_j q_j + b ln(n).
        uint256 qMax;
        for (uint256 j = 0; j < q.length; ++j) {
            if (q[j] > qMax) qMax = q[j];
        }
        assertGe(grown, qMax);
        assertLe(grown, qMax + LmsrMath.subsidy(b, q.length));
    }

    function testFuzz_buyCost_ofTinyAmountIsPriceTimesAmount(
        uint256 seed,
        uint256 bRaw,
        uint256 nRaw,
        uint256 iRaw,
        uint256 amountRaw
    ) public pure {
        (uint256[] memory q, uint256 b) = _market(seed, bRaw, nRaw, 10);
        uint256 i = bound(iRaw, 0, q.length - 1);
        uint256 amount = bound(amountRaw, 1, b / 1000);
        uint256 p = LmsrMath.price(q, b, i);
        uint256 linear = p * amount / WAD;
        uint256 paid = LmsrMath.buyCost(q, b, i, amount);
        // C is convex with C'' <= 1/(4b): the exact cost lies in [p a, p a + a^2/(8b)]; plus the allowance,
        // the price's error (a few wei of WAD, times a) and the roundings.
        uint256 slack = amount * amount / (8 * b) + 2 * LmsrMath.errorAllowance(b) + amount * 100 / WAD + 2;
        assertGe(paid + amount * 100 / WAD + 1, linear, "not below the linear cost");
        assertLe(paid, linear + slack, "close to the linear cost");
    }

    /// @dev A market opened at q = 0 and funded with subsidy(b, n): after any sequence of buys and sells,
    /// collected + subsidy covers the payout of every outcome.
    function testFuzz_worstCaseLoss_isCoveredBySubsidy(uint256 bRaw, uint256 nRaw, uint256[12] memory trades)
        public
        pure
    {
        uint256 b = bound(bRaw, 1e15, 1e27);
        uint256 n = bound(nRaw, 2, 8);
        uint256[] memory q = new uint256[](n);
        uint256 subsidy = LmsrMath.subsidy(b, n);
        int256 collected;
        for (uint256 t = 0; t < trades.length; ++t) {
            uint256 i = trades[t] % n;
            uint256 amount = (trades[t] >> 8) % (b * 8) + 1;
            if ((trades[t] >> 200) % 3 == 0 && q[i] > 0) {
                uint256 sold = amount % q[i] + 1;
                collected -= int256(LmsrMath.sellReturn(q, b, i, sold));
                q[i] -= sold;
            } else {
                collected += int256(LmsrMath.buyCost(q, b, i, amount));
                q[i] += amount;
            }
        }
        for (uint256 j = 0; j < n; ++j) {
            assertGe(collected - int256(q[j]), -int256(subsidy), "loss <= subsidy for every outcome");
        }
    }

    function test_subsidy_isBLnN() public pure {
        // b ln 2 = 0.693147180559945309417... b
        uint256 s = LmsrMath.subsidy(1e18, 2);
        assertGe(s, 693147180559945310);
        assertLe(s, 693147180559945310 + LmsrMath.errorAllowance(1e18));
    }

    function test_reverts_outOfDomain() public {
        uint256[] memory q = new uint256[](2);
        vm.expectRevert(abi.encodeWithSelector(LmsrMath.LmsrLiquidityOutOfRange.selector, 0, type(uint128).max));
        harness.cost(q, 0);
        uint256[] memory one = new uint256[](1);
        vm.expectRevert(abi.encodeWithSelector(LmsrMath.LmsrOutcomeCountOutOfRange.selector, 1, 2, 8));
        harness.cost(one, 1e18);
        uint256[] memory nine = new uint256[](9);
        vm.expectRevert(abi.encodeWithSelector(LmsrMath.LmsrOutcomeCountOutOfRange.selector, 9, 2, 8));
        harness.prices(nine, 1e18);
        vm.expectRevert(abi.encodeWithSelector(LmsrMath.LmsrOutcomeOutOfRange.selector, 2, 2));
        harness.price(q, 1e18, 2);
        q[1] = uint256(type(uint128).max) + 1;
        vm.expectRevert(
            abi.encodeWithSelector(LmsrMath.LmsrQuantityTooLarge.selector, 1, q[1], type(uint128).max)
        );
        harness.cost(q, 1e18);
        q[1] = type(uint128).max;
        vm.expectRevert(
            abi.encodeWithSelector(LmsrMath.LmsrQuantityTooLarge.selector, 1, q[1] + 1, type(uint128).max)
        );
        harness.buyCost(q, 1e18, 1, 1);
        q[1] = 5;
        vm.expectRevert(abi.encodeWithSelector(LmsrMath.LmsrSellExceedsOutstanding.selector, 1, 6, 5));
        harness.sellReturn(q, 1e18, 1, 6);
    }

    function test_extremeQuantities_doNotOverflowExp() public pure {
        uint256[] memory q = new uint256[](3);
        q[0] = type(uint128).max;
        q[1] = 1;
        uint256 b = 1; // q_0 / b ~ 3.4e38, far beyond expWad's 135: the log-sum-exp form never exponentiates it
        assertEq(LmsrMath.cost(q, b), type(uint128).max);
        uint256[] memory p = LmsrMath.prices(q, b);
        assertEq(p[0], WAD);
        assertEq(p[1] + p[2], 0);
    }
}
