// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {DecisionMath} from "../../../contracts/futarchy/libraries/DecisionMath.sol";

/// @notice Unit tests of DecisionMath: the decision rule at its boundaries (tie, threshold exactly met,
/// one wei either side), odds to probability, breach-pool seeding, step caps.
contract DecisionMathTest is Test {
    uint256 internal constant WAD = 1e18;

    function test_pricePasses_tieFails() public pure {
        assertFalse(DecisionMath.pricePasses(1e18, 1e18, 0), "a tie fails even with no threshold");
        assertFalse(DecisionMath.pricePasses(1e18, 1e18, 300));
    }

    function test_pricePasses_thresholdExactlyMetFails_oneWeiAbovePasses() public pure {
        // FAIL at 1.00, threshold 3%: PASS must beat 1.03 strictly.
        assertFalse(DecisionMath.pricePasses(1.03e18, 1e18, 300), "exactly the threshold is not enough");
        assertTrue(DecisionMath.pricePasses(1.03e18 + 1, 1e18, 300), "one wei above passes");
        assertFalse(DecisionMath.pricePasses(1.03e18 - 1, 1e18, 300));
        assertTrue(DecisionMath.pricePasses(1e18 + 1, 1e18, 0), "no threshold: any margin passes");
    }

    function test_pricePasses_lowerPassFails() public pure {
        assertFalse(DecisionMath.pricePasses(0.9e18, 1e18, 0));
        assertFalse(DecisionMath.pricePasses(0, 1, 0));
        assertTrue(DecisionMath.pricePasses(1, 0, 10_000), "anything beats a zero FAIL price");
    }

    function test_riskPasses_boundaries() public pure {
        // tolerance 2% = 0.02e18.
        assertFalse(DecisionMath.riskPasses(0.1e18, 0.1e18, 200), "a tie fails (no trade leaves a tie)");
        assertTrue(DecisionMath.riskPasses(0.12e18, 0.1e18, 200), "exactly the tolerance passes");
        assertFalse(DecisionMath.riskPasses(0.12e18 + 1, 0.1e18, 200), "one wei above the tolerance fails");
        assertTrue(DecisionMath.riskPasses(0.05e18, 0.1e18, 0), "lower risk under PASS passes with no tolerance");
        assertTrue(DecisionMath.riskPasses(0.1e18 - 1, 0.1e18, 0));
        assertFalse(DecisionMath.riskPasses(0.1e18 + 1, 0.1e18, 0));
    }

    function test_probabilityOf_workedValues() public pure {
        assertEq(DecisionMath.probabilityOf(1e18), 0.5e18, "even odds");
        assertEq(DecisionMath.probabilityOf(0), 0);
        assertEq(DecisionMath.probabilityOf(0.25e18), 0.2e18, "odds 1:4 are 20%");
        assertEq(DecisionMath.probabilityOf(3e18), 0.75e18);
        // 1/3 odds: 1/4, rounded down.
        assertEq(DecisionMath.probabilityOf(333_333_333_333_333_333), 249_999_999_999_999_999);
    }

    function test_riskSeed_workedValues() public pure {
        (uint256 b, uint256 h) = DecisionMath.riskSeed(1000e18, 0.5e18);
        assertEq(b, 1000e18);
        assertEq(h, 1000e18);
        (b, h) = DecisionMath.riskSeed(1000e18, 0.2e18);
        assertEq(b, 1000e18, "BREACH, the likelier side when p < 1/2, keeps the whole amount");
        assertEq(h, 250e18, "odds 0.25: HONOR reserve 250 per 1000 BREACH");
        (b, h) = DecisionMath.riskSeed(1000e18, 0.8e18);
        assertEq(h, 1000e18);
        assertEq(b, 250e18);
    }

    function test_riskSeed_clipsExtremeProbabilities() public pure {
        (uint256 b, uint256 h) = DecisionMath.riskSeed(99e18, 0);
        assertEq(b, 99e18);
        assertEq(h, 1e18, "clipped to 1%: odds 1/99");
        (b, h) = DecisionMath.riskSeed(99e18, WAD);
        assertEq(h, 99e18);
        assertEq(b, 1e18);
    }

    function test_maxStepFor_isBpsOfReferenceAtLeastOne() public pure {
        assertEq(DecisionMath.maxStepFor(2e18, 50), 0.01e18);
        assertEq(DecisionMath.maxStepFor(1, 50), 1, "never zero");
        assertEq(DecisionMath.maxStepFor(type(uint256).max / 2, 10_000), type(uint128).max, "clipped to 128 bits");
    }
}
