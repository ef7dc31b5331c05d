// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CpmmMath} from "../../contracts/futarchy/libraries/CpmmMath.sol";

/// @notice Exposes CpmmMath's internal functions as external calls, for tests only
/// (test/integration/futarchy-math.test.ts and the revert tests of test/solidity/futarchy/CpmmMath.t.sol).
contract CpmmMathHarness {
    /// @notice See `CpmmMath.amountOut`.
    function amountOut(uint256 reserveIn, uint256 reserveOut, uint256 input, uint256 feeBps)
        external
        pure
        returns (uint256)
    {
        return CpmmMath.amountOut(reserveIn, reserveOut, input, feeBps);
    }

    /// @notice See `CpmmMath.amountIn`.
    function amountIn(uint256 reserveIn, uint256 reserveOut, uint256 output, uint256 feeBps)
        external
        pure
        returns (uint256)
    {
        return CpmmMath.amountIn(reserveIn, reserveOut, output, feeBps);
    }

    /// @notice See `CpmmMath.spotPrice`.
    function spotPrice(uint256 reserveMetric, uint256 reserveQuote) external pure returns (uint256) {
        return CpmmMath.spotPrice(reserveMetric, reserveQuote);
    }

    /// @notice See `CpmmMath.initialShares`.
    function initialShares(uint256 amountA, uint256 amountB) external pure returns (uint256) {
        return CpmmMath.initialShares(amountA, amountB);
    }

    /// @notice See `CpmmMath.depositFor`.
    function depositFor(uint256 shares, uint256 reserveA, uint256 reserveB, uint256 supply)
        external
        pure
        returns (uint256, uint256)
    {
        return CpmmMath.depositFor(shares, reserveA, reserveB, supply);
    }

    /// @notice See `CpmmMath.withdrawFor`.
    function withdrawFor(uint256 shares, uint256 reserveA, uint256 reserveB, uint256 supply)
        external
        pure
        returns (uint256, uint256)
    {
        return CpmmMath.withdrawFor(shares, reserveA, reserveB, supply);
    }

    /// @notice Gas of one `amountOut` (for docs/futarchy.md).
    function amountOutGas(uint256 reserveIn, uint256 reserveOut, uint256 input, uint256 feeBps)
        external
        view
        returns (uint256 gasUsed)
    {
        uint256 g = gasleft();
        CpmmMath.amountOut(reserveIn, reserveOut, input, feeBps);
        gasUsed = g - gasleft();
    }
}
