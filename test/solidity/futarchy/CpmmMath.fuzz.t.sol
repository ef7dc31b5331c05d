// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {CpmmMath} from "../../../contracts/futarchy/libraries/CpmmMath.sol";

/// @notice Fuzz tests of CpmmMath over its whole domain (reserves and amounts up to 2^128 - 1, fees 0 to 10%):
/// k never decreases across a swap, a round trip never profits the trader, the fee stays in the pool exactly,
/// amountIn is the least input for its output, and liquidity deposits/withdrawals never dilute the other
/// providers. The exact comparison against a bigint reference is in test/integration/futarchy-math.test.ts.
contract CpmmMathFuzzTest is Test {
    uint256 internal constant MAX = type(uint128).max;

    function _pool(uint256 rInRaw, uint256 rOutRaw, uint256 feeRaw)
        internal
        pure
        returns (uint256 rIn, uint256 rOut, uint256 fee)
    {
        rIn = bound(rInRaw, 1, MAX);
        rOut = bound(rOutRaw, 1, MAX);
        fee = bound(feeRaw, 0, CpmmMath.MAX_FEE_BPS);
    }

    function testFuzz_amountOut_neverDecreasesK(uint256 rInRaw, uint256 rOutRaw, uint256 feeRaw, uint256 inRaw)
        public
        pure
    {
        (uint256 rIn, uint256 rOut, uint256 fee) = _pool(rInRaw, rOutRaw, feeRaw);
        uint256 amountIn = bound(inRaw, 0, MAX - rIn);
        uint256 out = CpmmMath.amountOut(rIn, rOut, amountIn, fee);
        assertLt(out, rOut, "never drains the reserve");
        // (rIn + in)(rOut - out) >= rIn rOut, compared in 512 bits through the quotient.
        assertGe((rIn + amountIn) * (rOut - out), rIn * rOut);
        // Fee accounted exactly: the invariant holds with only the fee-less part of the input.
        // (rIn * BPS + in (BPS - fee)) (rOut - out) >= rIn * BPS * rOut, and one more wei of output breaks it.
        uint256 a = amountIn * (CpmmMath.BPS - fee);
        uint256 lhs = (rIn * CpmmMath.BPS + a);
        assertGe(_mulCmp(lhs, rOut - out, rIn * CpmmMath.BPS, rOut), 0, "fee-less invariant holds");
        if (out + 1 < rOut) {
            assertLt(_mulCmp(lhs, rOut - out - 1, rIn * CpmmMath.BPS, rOut), 0, "floor: one more wei breaks it");
        }
    }

    function testFuzz_amountIn_isTheLeastInputForItsOutput(
        uint256 rInRaw,
        uint256 rOutRaw,
        uint256 feeRaw,
        uint256 outRaw
    ) public pure {
        (uint256 rIn, uint256 rOut, uint256 fee) = _pool(rInRaw, rOutRaw, feeRaw);
        vm.assume(rOut > 1);
        uint256 out = bound(outRaw, 1, rOut - 1);
        uint256 need = CpmmMath.amountIn(rIn, rOut, out, fee);
        vm.assume(need <= MAX - rIn); // the pool's reserve after the swap must stay in range
        assertGe(CpmmMath.amountOut(rIn, rOut, need, fee), out, "pays at least the output");
        assertLt(CpmmMath.amountOut(rIn, rOut, need - 1, fee), out, "one wei less does not");
        assertGe((rIn + need) * (rOut - out), rIn * rOut, "k never decreases");
    }

    function testFuzz_roundTrip_neverProfitsTheTrader(uint256 rInRaw, uint256 rOutRaw, uint256 feeRaw, uint256 inRaw)
        public
        pure
    {
        (uint256 rIn, uint256 rOut, uint256 fee) = _pool(rInRaw, rOutRaw, feeRaw);
        uint256 amountIn = bound(inRaw, 0, MAX - rIn);
        uint256 out = CpmmMath.amountOut(rIn, rOut, amountIn, fee);
        if (out == 0) return;
        // Swap the output back into the new pool.
        uint256 back = CpmmMath.amountOut(rOut - out, rIn + amountIn, out, fee);
        assertLe(back, amountIn, "round trip returns at most the input");
        if (fee > 0) assertLt(back, amountIn, "strictly with a fee");
    }

    function testFuzz_depositAndWithdraw_neverDiluteTheOthers(
        uint256 rARaw,
        uint256 rBRaw,
        uint256 supplyRaw,
        uint256 sharesRaw
    ) public pure {
        uint256 rA = bound(rARaw, 1, MAX / 2);
        uint256 rB = bound(rBRaw, 1, MAX / 2);
        uint256 supply = bound(supplyRaw, 1, MAX / 2);
        uint256 shares = bound(sharesRaw, 0, supply);
        (uint256 dA, uint256 dB) = CpmmMath.depositFor(shares, rA, rB, supply);
        // Reserve per share does not fall: (rA + dA) / (supply + shares) >= rA / supply.
        assertGe((rA + dA) * supply, rA * (supply + shares));
        assertGe((rB + dB) * supply, rB * (supply + shares));
        (uint256 wA, uint256 wB) = CpmmMath.withdrawFor(shares, rA, rB, supply);
        assertLe(wA, rA);
        assertLe(wB, rB);
        if (shares < supply) {
            assertGe((rA - wA) * supply, rA * (supply - shares));
            assertGe((rB - wB) * supply, rB * (supply - shares));
        }
        assertLe(wA, dA, "withdrawing what was just minted returns at most its cost");
        assertLe(wB, dB);
    }

    function testFuzz_initialShares_isTheFlooredGeometricMean(uint256 aRaw, uint256 bRaw) public pure {
        uint256 a = bound(aRaw, 1, MAX);
        uint256 b = bound(bRaw, 1, MAX);
        vm.assume(a * b > 1_002_001); // sqrt > 1001
        uint256 s = CpmmMath.initialShares(a, b);
        assertLe(s * s, a * b);
        if (s < MAX) assertGt((s + 1) * (s + 1), a * b); // s = 2^128 - 1 is the largest possible
    }

    /// @dev Compares `a * b` with `c * d` in 512 bits: -1, 0 or 1.
    function _mulCmp(uint256 a, uint256 b, uint256 c, uint256 d) internal pure returns (int256) {
        (uint256 hi1, uint256 lo1) = Math.mul512(a, b);
        (uint256 hi2, uint256 lo2) = Math.mul512(c, d);
        if (hi1 != hi2) return hi1 > hi2 ? int256(1) : int256(-1);
        if (lo1 != lo2) return lo1 > lo2 ? int256(1) : int256(-1);
        return 0;
    }
}
