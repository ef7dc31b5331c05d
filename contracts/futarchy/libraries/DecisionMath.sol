// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title DecisionMath
/// @notice The decision rule of futarchy proposals and the arithmetic around it (issue 6): comparing the two
/// branches' averages, turning a breach pool's odds into a probability, seeding breach pools at a probability.
/// Prices and probabilities are WAD (1e18 = 1); thresholds are basis points.
library DecisionMath {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant BPS = 10_000;
    /// @notice Breach probabilities a Risk pool is seeded at are clipped to `[MIN_SEED_P, WAD - MIN_SEED_P]`, so
    /// neither side of a pool is seeded with less than 1/99 of the other.
    uint256 internal constant MIN_SEED_P = 1e16;

    /// @notice Price rule: PASS iff `pass * BPS > fail * (BPS + thresholdBps)`. Exact (no division); a tie fails.
    /// @dev Both sides below 2^256: `pass, fail < 2^128` (TWAPs of a TwapOracle) and `BPS + thresholdBps < 2^17`.
    function pricePasses(uint256 pass, uint256 fail, uint256 thresholdBps) internal pure returns (bool) {
        return pass * BPS > fail * (BPS + thresholdBps);
    }

    /// @notice Risk rule: PASS iff `pass != fail` and `pass <= fail + toleranceBps x 1e14` (probabilities in WAD). A
    /// tie fails: it is what a window without trades leaves (both branches at the common reference).
    function riskPasses(uint256 pass, uint256 fail, uint256 toleranceBps) internal pure returns (bool) {
        return pass != fail && pass <= fail + toleranceBps * (WAD / BPS);
    }

    /// @notice The probability of a breach implied by a breach pool's price `odds` (HONOR per BREACH, WAD):
    /// `odds / (1 + odds)`, WAD, rounded down.
    function probabilityOf(uint256 odds) internal pure returns (uint256) {
        return Math.mulDiv(odds, WAD, WAD + odds);
    }

    /// @notice Reserves that seed a breach pool at probability `p` (WAD) from `amount` of each side:
    /// the likelier side keeps `amount`, the other gets `amount x odds` (or `/ odds`), rounded down, so the pool's
    /// odds `honor / breach` are `p / (1 - p)` to within rounding. `p` is clipped to `[MIN_SEED_P, WAD - MIN_SEED_P]`.
    /// @return breach The BREACH reserve.
    /// @return honor The HONOR reserve.
    function riskSeed(uint256 amount, uint256 p) internal pure returns (uint256 breach, uint256 honor) {
        if (p < MIN_SEED_P) p = MIN_SEED_P;
        if (p > WAD - MIN_SEED_P) p = WAD - MIN_SEED_P;
        // odds = p / (1 - p); spot = honor / breach = odds.
        if (p <= WAD / 2) {
            breach = amount;
            honor = Math.mulDiv(amount, p, WAD - p); // <= amount
        } else {
            honor = amount;
            breach = Math.mulDiv(amount, WAD - p, p); // < amount
        }
    }

    /// @notice The step cap (WAD) for a reference price: `reference x maxStepBps / BPS`, rounded down, at least 1.
    function maxStepFor(uint256 referencePrice, uint256 maxStepBps) internal pure returns (uint128) {
        uint256 step = Math.mulDiv(referencePrice, maxStepBps, BPS);
        if (step == 0) step = 1;
        return step > type(uint128).max ? type(uint128).max : uint128(step);
    }
}
