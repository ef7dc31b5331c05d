// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title CpmmMath
/// @notice Constant-product (`x * y = k`) market maker math with a fee in basis points charged on the input, for
/// the conditional PASS/FAIL pools of futarchy (issue 6). Reserves and amounts are token units, at most
/// `MAX_AMOUNT` (2^128 - 1) each; the fee stays in the pool (it raises `k`). Every result rounds against the
/// trader or liquidity provider, toward the pool: outputs and shares down, inputs and deposits up.
library CpmmMath {
    /// @notice Basis points in one.
    uint256 internal constant BPS = 10_000;
    /// @notice Largest fee (10%). Within the fee band the spot price is not corrected by arbitrage, so a
    /// large fee widens what a manipulator can hold for free; decision pools want it small.
    uint256 internal constant MAX_FEE_BPS = 1_000;
    /// @notice Largest reserve, amount or share supply: keeps every product below 2^256.
    uint256 internal constant MAX_AMOUNT = type(uint128).max;
    /// @notice Shares a pool must lock at its first deposit (`initialShares` returns more than this), so that
    /// the share price can never be inflated from a 1-wei supply.
    uint256 internal constant MINIMUM_SHARES = 1_000;
    /// @notice One in WAD fixed point.
    uint256 internal constant WAD = 1e18;

    /// @notice A reserve is 0.
    error CpmmReserveZero(uint256 reserveIn, uint256 reserveOut);
    /// @notice An output is not below the reserve it is taken from.
    error CpmmOutputTooLarge(uint256 amountOut, uint256 reserveOut);
    /// @notice The fee is above `MAX_FEE_BPS`.
    error CpmmFeeTooLarge(uint256 feeBps, uint256 max);
    /// @notice A reserve, amount or supply is above `MAX_AMOUNT`.
    error CpmmAmountTooLarge(uint256 amount, uint256 max);
    /// @notice A first deposit mints no more than `MINIMUM_SHARES`.
    error CpmmInitialSharesTooFew(uint256 shares, uint256 min);
    /// @notice Shares asked for exceed the supply, or the supply is 0.
    error CpmmSharesExceedSupply(uint256 shares, uint256 supply);

    /// @notice What a swap of `input` pays out:
    /// `floor(input (1 - fee) reserveOut / (reserveIn + input (1 - fee)))`. Rounds DOWN.
    /// @dev `reserveIn * reserveOut` never decreases: with `a = input (BPS - fee)`,
    /// `(reserveIn + input)(reserveOut - out) >= (reserveIn + a / BPS)(reserveOut - out) >= reserveIn reserveOut`.
    function amountOut(uint256 reserveIn, uint256 reserveOut, uint256 input, uint256 feeBps)
        internal
        pure
        returns (uint256)
    {
        _checkReserves(reserveIn, reserveOut);
        _checkFee(feeBps);
        _checkAmount(input);
        uint256 inAfterFee = input * (BPS - feeBps); // < 2^142
        // Rounds down. Denominator < 2^143, numerator < 2^270: mulDiv keeps the 512-bit product.
        return Math.mulDiv(inAfterFee, reserveOut, reserveIn * BPS + inAfterFee);
    }

    /// @notice The least input that pays out `output`:
    /// `ceil(reserveIn amountOut BPS / ((reserveOut - amountOut)(BPS - fee)))`. Rounds UP.
    /// @dev `amountOut(reserveIn, reserveOut, amountIn(...), fee) >= output`: the exact output of the exact
    /// input is `output`, and both functions are monotone. Reverts `CpmmOutputTooLarge` for
    /// `output >= reserveOut`; 0 for 0.
    function amountIn(uint256 reserveIn, uint256 reserveOut, uint256 output, uint256 feeBps)
        internal
        pure
        returns (uint256)
    {
        _checkReserves(reserveIn, reserveOut);
        _checkFee(feeBps);
        if (output >= reserveOut) revert CpmmOutputTooLarge(output, reserveOut);
        if (output == 0) return 0;
        // Rounds up. reserveIn * BPS < 2^142; denominator > 0 (fee < BPS, output < reserveOut).
        return Math.mulDiv(reserveIn * BPS, output, (reserveOut - output) * (BPS - feeBps), Math.Rounding.Ceil);
    }

    /// @notice The marginal price of the metric token in the quote token, `reserveQuote / reserveMetric` in WAD.
    /// Rounds DOWN.
    function spotPrice(uint256 reserveMetric, uint256 reserveQuote) internal pure returns (uint256) {
        _checkReserves(reserveMetric, reserveQuote);
        return Math.mulDiv(reserveQuote, WAD, reserveMetric); // rounds down; < 2^188
    }

    /// @notice Shares of a pool's first deposit: `floor(sqrt(amountA amountB))`, of which the pool locks
    /// `MINIMUM_SHARES`. Rounds DOWN. Reverts `CpmmInitialSharesTooFew` unless it exceeds `MINIMUM_SHARES`.
    function initialShares(uint256 amountA, uint256 amountB) internal pure returns (uint256 shares) {
        _checkAmount(amountA);
        _checkAmount(amountB);
        shares = Math.sqrt(amountA * amountB); // rounds down; product < 2^256
        if (shares <= MINIMUM_SHARES) revert CpmmInitialSharesTooFew(shares, MINIMUM_SHARES);
    }

    /// @notice What minting `shares` costs in each token: `ceil(shares reserve / supply)`. Rounds UP.
    /// @dev A deposit of these amounts never lowers the reserve per share of either token.
    function depositFor(uint256 shares, uint256 reserveA, uint256 reserveB, uint256 supply)
        internal
        pure
        returns (uint256 amountA, uint256 amountB)
    {
        _checkReserves(reserveA, reserveB);
        _checkAmount(shares);
        _checkAmount(supply);
        if (supply == 0) revert CpmmSharesExceedSupply(shares, supply);
        amountA = Math.mulDiv(shares, reserveA, supply, Math.Rounding.Ceil); // rounds up
        amountB = Math.mulDiv(shares, reserveB, supply, Math.Rounding.Ceil); // rounds up
    }

    /// @notice What burning `shares` returns of each token: `floor(shares reserve / supply)`. Rounds DOWN.
    /// @dev A withdrawal of these amounts never lowers the reserve per share of either token.
    function withdrawFor(uint256 shares, uint256 reserveA, uint256 reserveB, uint256 supply)
        internal
        pure
        returns (uint256 amountA, uint256 amountB)
    {
        _checkReserves(reserveA, reserveB);
        _checkAmount(supply);
        if (shares > supply || supply == 0) revert CpmmSharesExceedSupply(shares, supply);
        amountA = Math.mulDiv(shares, reserveA, supply); // rounds down
        amountB = Math.mulDiv(shares, reserveB, supply); // rounds down
    }

    function _checkReserves(uint256 a, uint256 b) private pure {
        if (a == 0 || b == 0) revert CpmmReserveZero(a, b);
        _checkAmount(a);
        _checkAmount(b);
    }

    function _checkFee(uint256 feeBps) private pure {
        if (feeBps > MAX_FEE_BPS) revert CpmmFeeTooLarge(feeBps, MAX_FEE_BPS);
    }

    function _checkAmount(uint256 amount) private pure {
        if (amount > MAX_AMOUNT) revert CpmmAmountTooLarge(amount, MAX_AMOUNT);
    }
}
