// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BondMath} from "../../contracts/registry/BondMath.sol";

/// @notice Exposes BondMath's internal functions and constants as external calls, for the differential test only
/// (test/integration/bond-math.test.ts). Arguments keep the library's types, so the ABI bounds them as it does.
contract BondMathHarness {
    /// @notice See `BondMath.BPS`.
    function bps() external pure returns (uint256) {
        return BondMath.BPS;
    }

    /// @notice See `BondMath.MAX_ESCALATIONS`.
    function maxEscalations() external pure returns (uint8) {
        return BondMath.MAX_ESCALATIONS;
    }

    /// @notice See `BondMath.split`.
    function split(uint256 amount, uint256 shareBps) external pure returns (uint256 share, uint256 rest) {
        return BondMath.split(amount, shareBps);
    }

    /// @notice See `BondMath.splitCeil`.
    function splitCeil(uint256 amount, uint256 shareBps) external pure returns (uint256 share, uint256 rest) {
        return BondMath.splitCeil(amount, shareBps);
    }

    /// @notice See `BondMath.escalatedBond`.
    function escalatedBond(uint128 base, uint8 rejected, uint128 cap) external pure returns (uint128) {
        return BondMath.escalatedBond(base, rejected, cap);
    }

    /// @notice `escalatedBond` of every `rejected` from 0 to 255 at once (one call per sample in the test).
    function escalatedBondAll(uint128 base, uint128 cap) external pure returns (uint128[] memory bonds) {
        bonds = new uint128[](256);
        for (uint256 r = 0; r < 256; ++r) {
            bonds[r] = BondMath.escalatedBond(base, uint8(r), cap);
        }
    }
}
