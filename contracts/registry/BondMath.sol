// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title BondMath
/// @notice Splits of bonds and the escalation of challenge bonds. Pure functions, tested on their own.
library BondMath {
    /// @notice Basis points in one whole.
    uint256 internal constant BPS = 10_000;
    /// @notice Doublings beyond this exceed any uint128 cap for any non-zero uint128 base, so they are not computed.
    uint8 internal constant MAX_ESCALATIONS = 128;

    /// @notice A split was asked for a share above the whole (`bps > BPS`).
    error BondMathBpsTooLarge(uint256 bps, uint256 max);

    /// @notice Splits `amount` into a `bps` share and the rest. The share rounds down, so the rest
    /// takes any dust and `share + rest == amount` exactly.
    /// @param amount The amount to split.
    /// @param bps The share in basis points, at most `BPS` (else `BondMathBpsTooLarge`).
    /// @return share `floor(amount * bps / BPS)`.
    /// @return rest `amount - share`.
    function split(uint256 amount, uint256 bps) internal pure returns (uint256 share, uint256 rest) {
        if (bps > BPS) revert BondMathBpsTooLarge(bps, BPS);
        share = amount * bps / BPS; // rounds down; `amount` < 2^128 in every caller, so no overflow
        unchecked {
            rest = amount - share; // share <= amount because bps <= BPS (checked above)
        }
    }

    /// @notice Splits `amount` into a `bps` share rounded up and the rest, for shares taken as fees:
    /// any non-zero rate on a non-zero amount takes at least 1 wei, and `share + rest == amount` exactly.
    /// @param amount The amount to split.
    /// @param bps The share in basis points, at most `BPS` (else `BondMathBpsTooLarge`).
    /// @return share `ceil(amount * bps / BPS)`.
    /// @return rest `amount - share`.
    function splitCeil(uint256 amount, uint256 bps) internal pure returns (uint256 share, uint256 rest) {
        if (bps > BPS) revert BondMathBpsTooLarge(bps, BPS);
        share = (amount * bps + BPS - 1) / BPS; // rounds up; `amount` < 2^128 in every caller, so no overflow
        unchecked {
            rest = amount - share; // share <= amount because bps <= BPS (checked above)
        }
    }

    /// @notice The bond the next challenge must post: the base bond doubled once per rejected challenge,
    /// and never more than `cap`.
    /// @param base The pledge's base challenge bond.
    /// @param rejected How many challenges of the pledge were rejected so far.
    /// @param cap The most a challenge may be asked to post (the registry passes max(pledge bond, base)).
    /// @return `min(base * 2^rejected, cap)`.
    function escalatedBond(uint128 base, uint8 rejected, uint128 cap) internal pure returns (uint128) {
        uint256 n = rejected < MAX_ESCALATIONS ? rejected : MAX_ESCALATIONS;
        uint256 bond = uint256(base) << n; // base < 2^128 and n <= 128: < 2^256, no bits lost
        return bond > cap ? cap : uint128(bond);
    }
}
