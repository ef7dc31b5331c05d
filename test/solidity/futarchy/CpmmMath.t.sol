// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {CpmmMath} from "../../../contracts/futarchy/libraries/CpmmMath.sol";
import {CpmmMathHarness} from "../../mocks/CpmmMathHarness.sol";

/// @notice Unit tests of CpmmMath: worked values of every function, its rounding direction, every error with
/// its arguments, and gas of a swap quote.
contract CpmmMathTest is Test {
    uint256 internal constant MAX = type(uint128).max;
    CpmmMathHarness internal h;

    function setUp() public {
        h = new CpmmMathHarness();
    }

    function test_amountOut_workedValues() public view {
        // No fee: 100 in against 1000/1000 pays floor(100 * 1000 / 1100) = 90.
        assertEq(h.amountOut(1000, 1000, 100, 0), 90);
        // 0.3%: a = 100 * 9970 = 997000; floor(997000 * 1000 / (10_000_000 + 997000)) = 90 (90.66).
        assertEq(h.amountOut(1000, 1000, 100, 30), 90);
        // 1e18 in against 10e18/20e18 at 1%: 9.9e21 * 20e18 / (1e23 + 9.9e21) = 1.8015...e18, floored.
        assertEq(h.amountOut(10e18, 20e18, 1e18, 100), uint256(9.9e21) * 20e18 / (1e23 + 9.9e21));
        assertEq(h.amountOut(1000, 1000, 0, 30), 0);
        assertEq(h.amountOut(1, 1, MAX, 0), 0, "one wei of reserve out is never paid");
    }

    function test_amountIn_workedValues() public view {
        // No fee: 90 out of 1000/1000 needs ceil(1000 * 90 / 910) = 99 (98.9).
        assertEq(h.amountIn(1000, 1000, 90, 0), 99);
        assertEq(h.amountOut(1000, 1000, 99, 0), 90);
        assertEq(h.amountOut(1000, 1000, 98, 0), 89, "one less does not pay it");
        // 0.3%: ceil(1000 * 90 * 10000 / (910 * 9970)) = ceil(99.2...) = 100.
        assertEq(h.amountIn(1000, 1000, 90, 30), 100);
        assertEq(h.amountIn(1000, 1000, 0, 30), 0);
        assertEq(h.amountIn(1000, 1000, 999, 0), 999_000);
    }

    function test_spotPrice_isQuotePerMetricInWadRoundedDown() public view {
        assertEq(h.spotPrice(2e18, 3e18), 1.5e18);
        assertEq(h.spotPrice(3, 1), 333_333_333_333_333_333);
        assertEq(h.spotPrice(MAX, 1), 0);
        assertEq(h.spotPrice(1, MAX), MAX * 1e18);
    }

    function test_initialShares_isTheFlooredGeometricMean() public view {
        assertEq(h.initialShares(4e18, 9e18), 6e18);
        assertEq(h.initialShares(1001, 1002), 1001);
        assertEq(h.initialShares(MAX, MAX), MAX);
    }

    function test_initialShares_revertsAtOrBelowTheMinimum() public {
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmInitialSharesTooFew.selector, 1000, 1000));
        h.initialShares(1000, 1001);
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmInitialSharesTooFew.selector, 0, 1000));
        h.initialShares(0, 5e18);
    }

    function test_depositFor_roundsUp() public view {
        (uint256 a, uint256 b) = h.depositFor(1, 10, 3, 3);
        assertEq(a, 4); // ceil(10 / 3)
        assertEq(b, 1);
        (a, b) = h.depositFor(0, 10, 3, 3);
        assertEq(a + b, 0);
    }

    function test_withdrawFor_roundsDown() public view {
        (uint256 a, uint256 b) = h.withdrawFor(1, 10, 3, 3);
        assertEq(a, 3); // floor(10 / 3)
        assertEq(b, 1);
        (a, b) = h.withdrawFor(3, 10, 3, 3);
        assertEq(a, 10, "the whole supply takes the whole reserve");
        assertEq(b, 3);
    }

    function test_reverts_onZeroReserves() public {
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmReserveZero.selector, 0, 5));
        h.amountOut(0, 5, 1, 0);
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmReserveZero.selector, 5, 0));
        h.amountIn(5, 0, 1, 0);
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmReserveZero.selector, 0, 0));
        h.spotPrice(0, 0);
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmReserveZero.selector, 0, 1));
        h.depositFor(1, 0, 1, 1);
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmReserveZero.selector, 1, 0));
        h.withdrawFor(1, 1, 0, 1);
    }

    function test_amountIn_revertsWhenOutputReachesReserve() public {
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmOutputTooLarge.selector, 1000, 1000));
        h.amountIn(1000, 1000, 1000, 0);
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmOutputTooLarge.selector, 1001, 1000));
        h.amountIn(1000, 1000, 1001, 0);
    }

    function test_reverts_onFeeAboveMaximum() public {
        assertEq(h.amountOut(1000, 1000, 100, 1000), 82, "10% is accepted");
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmFeeTooLarge.selector, 1001, 1000));
        h.amountOut(1000, 1000, 100, 1001);
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmFeeTooLarge.selector, 10_000, 1000));
        h.amountIn(1000, 1000, 100, 10_000);
    }

    function test_reverts_onAmountsAbove128Bits() public {
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmAmountTooLarge.selector, MAX + 1, MAX));
        h.amountOut(MAX + 1, 1, 1, 0);
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmAmountTooLarge.selector, MAX + 1, MAX));
        h.amountOut(1, 1, MAX + 1, 0);
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmAmountTooLarge.selector, MAX + 1, MAX));
        h.spotPrice(1, MAX + 1);
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmAmountTooLarge.selector, MAX + 1, MAX));
        h.initialShares(MAX + 1, 1);
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmAmountTooLarge.selector, MAX + 1, MAX));
        h.depositFor(MAX + 1, 1, 1, 1);
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmAmountTooLarge.selector, MAX + 1, MAX));
        h.withdrawFor(1, 1, 1, MAX + 1);
    }

    function test_shares_revertWhenExceedingSupply() public {
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmSharesExceedSupply.selector, 4, 3));
        h.withdrawFor(4, 10, 10, 3);
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmSharesExceedSupply.selector, 1, 0));
        h.depositFor(1, 10, 10, 0);
        vm.expectRevert(abi.encodeWithSelector(CpmmMath.CpmmSharesExceedSupply.selector, 0, 0));
        h.withdrawFor(0, 10, 10, 0);
    }

    function test_amountOut_extremesDoNotOverflow() public view {
        assertEq(h.amountOut(MAX, MAX, MAX, 0), MAX / 2);
        assertLt(h.amountOut(1, MAX, MAX, 1000), MAX);
        assertGt(h.amountIn(1, MAX, MAX - 1, 1000), 0);
    }

    function test_amountOut_gas() public {
        uint256 g = h.amountOutGas(1_000e18, 2_000e18, 3e18, 30);
        emit log_named_uint("CpmmMath.amountOut (internal call)", g);
    }
}
