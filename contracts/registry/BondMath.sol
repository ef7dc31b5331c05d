// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title BondMath
/// @notice Splits of bonds and the escalation of challenge bonds. Pure functions, tested on their own.
library BondMath {
    /// @notice Basis points in one whole.
    uint256 internal constant BPS = 10_000;
    /// @notice Rejections beyond this no longer double the challenge bond (keeps `base << n` below 2^192).
    uint8 internal constant MAX_ESCALATIONS = 64;

    /// @notice Splits `amount` into a `bps` share and the rest. The share rounds down, so the rest
    /// takes any dust and `share + rest == amount` exactly.
    /// @param amount The amount to split.
    /// @param bps The share in basis points, at most `BPS`.
    /// @return share `floor(amount * bps / BPS)`.
    /// @return rest `amount - share`.
    function split(uint256 amount, uint256 bps) internal pure returns (uint256 share, uint256 rest) {
        share = amount * bps / BPS; // rounds down; `amount` < 2^128 in every caller, so no overflow
        unchecked {
            rest = amount - share; // share <= amount because bps <= BPS
        }
    }

    /// @notice The bond the next challenge must post: the base bond doubled once per rejected challenge,
    /// saturating at `type(uint128).max`.
    /// @param base The pledge's base challenge bond.
    /// @param rejected How many challenges of the pledge were rejected so far.
    /// @return The required bond.
    function escalatedBond(uint128 base, uint8 rejected) internal pure returns (uint128) {
        uint256 n = rejected < MAX_ESCALATIONS ? rejected : MAX_ESCALATIONS;
        uint256 bond = uint256(base) << n; // < 2^192: no bits lost
        return bond > type(uint128).max ? type(uint128).max : uint128(bond);
    }
}
