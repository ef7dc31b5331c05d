// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {DecisionMath} from "../../../contracts/futarchy/libraries/DecisionMath.sol";

/// @notice Fuzz tests of DecisionMath: the price rule equals the rational comparison, is monotone and fails ties;
/// odds map monotonically into [0, 1); a breach-pool seed implies the probability it was asked for.
contract DecisionMathFuzzTest is Test {
    uint256 internal constant WAD = 1e18;

    /// forge-config: default.fuzz.runs = 512
    function testFuzz_pricePasses_matchesRationalComparison(uint128 pass, uint128 fail, uint16 thresholdBps)
        public
        pure
    {
        thresholdBps = uint16(bound(thresholdBps, 0, 10_000));
        bool expected = uint256(pass) * 10_000 > uint256(fail) * (10_000 + thresholdBps);
        assertEq(DecisionMath.pricePasses(pass, fail, thresholdBps), expected);
        // Monotone: raising PASS never turns a pass into a fail.
        if (expected && pass < type(uint128).max) assertTrue(DecisionMath.pricePasses(pass + 1, fail, thresholdBps));
        // Symmetric ties always fail.
        assertFalse(DecisionMath.pricePasses(pass, pass, thresholdBps));
    }

    function testFuzz_probabilityOf_inRangeAndMonotone(uint128 odds, uint128 more) public pure {
        uint256 p = DecisionMath.probabilityOf(odds);
        assertLt(p, WAD);
        assertLe(p, odds, "p = x / (1 + x) <= x");
        uint256 q = DecisionMath.probabilityOf(uint256(odds) + more);
        assertGe(q, p, "monotone in the odds");
    }

    function testFuzz_riskSeed_oddsMatchTheProbability(uint128 amount, uint64 p) public pure {
        amount = uint128(bound(amount, 1e12, type(uint128).max));
        uint256 prob = bound(p, 1e16, WAD - 1e16);
        (uint256 b, uint256 h) = DecisionMath.riskSeed(amount, prob);
        assertLe(b, amount);
        assertLe(h, amount);
        assertTrue(b == amount || h == amount, "the likelier side keeps the whole amount");
        // Implied probability h / (b + h) within 1e-9 of p (rounding of the smaller side only).
        uint256 implied = h * WAD / (b + h);
        assertApproxEqAbs(implied, prob, 1e9);
    }
}
