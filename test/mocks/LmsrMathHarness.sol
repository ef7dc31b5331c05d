// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {LmsrMath} from "../../contracts/markets/LmsrMath.sol";

/// @notice Exposes LmsrMath's internal functions as external calls, for tests only.
contract LmsrMathHarness {
    /// @notice See `LmsrMath.cost`.
    function cost(uint256[] calldata q, uint256 b) external pure returns (uint256) {
        return LmsrMath.cost(q, b);
    }

    /// @notice See `LmsrMath.price`.
    function price(uint256[] calldata q, uint256 b, uint256 i) external pure returns (uint256) {
        return LmsrMath.price(q, b, i);
    }

    /// @notice See `LmsrMath.prices`.
    function prices(uint256[] calldata q, uint256 b) external pure returns (uint256[] memory) {
        return LmsrMath.prices(q, b);
    }

    /// @notice See `LmsrMath.buyCost`.
    function buyCost(uint256[] calldata q, uint256 b, uint256 i, uint256 amount) external pure returns (uint256) {
        return LmsrMath.buyCost(q, b, i, amount);
    }

    /// @notice See `LmsrMath.sellReturn`.
    function sellReturn(uint256[] calldata q, uint256 b, uint256 i, uint256 amount) external pure returns (uint256) {
        return LmsrMath.sellReturn(q, b, i, amount);
    }

    /// @notice See `LmsrMath.subsidy`.
    function subsidy(uint256 b, uint256 n) external pure returns (uint256) {
        return LmsrMath.subsidy(b, n);
    }

    /// @notice See `LmsrMath.errorAllowance`.
    function errorAllowance(uint256 b) external pure returns (uint256) {
        return LmsrMath.errorAllowance(b);
    }
}
