// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FixedPointMathLib} from "solady/src/utils/FixedPointMathLib.sol";

/// @title LmsrMath
/// @notice Hanson's logarithmic market scoring rule with liquidity `b`, for 2 to 8 outcomes.
/// `q[i]` is the number of outcome-`i` shares the market has sold (collateral units, as is `b`).
/// Cost: `C(q) = b * ln(sum_i exp(q_i / b))`, evaluated as `q_max + b * ln(sum_i exp((q_i - q_max) / b))`
/// (the log-sum-exp trick: every exponent is <= 0, so `expWad` never overflows whatever the size of `q`).
/// exp and ln are Solady's `FixedPointMathLib.expWad` / `lnWad` (WAD, 18 decimals). Every result states
/// its rounding; trade amounts round in the market's favour by `errorAllowance(b)`, which bounds the
/// error of a difference of two computed costs (see docs/markets.md, "LMSR math", for the measured bound).
library LmsrMath {
    /// @notice One in WAD fixed point.
    uint256 internal constant WAD = 1e18;
    /// @notice Fewest outcomes of a market.
    uint256 internal constant MIN_OUTCOMES = 2;
    /// @notice Most outcomes of a market (every loop over outcomes is bounded by it).
    uint256 internal constant MAX_OUTCOMES = 8;
    /// @notice Largest `b` and largest `q_i` accepted: keeps `(q_max - q_i) * WAD` and `b * ln(n)` far from
    /// 2^256 (at most 2^188). Collateral amounts are far below it (2^128 wei ~ 3.4e20 tokens of 18 decimals).
    uint256 internal constant MAX_QUANTITY = type(uint128).max;
    /// @notice Error allowance per computed cost difference, in units of `b * 1e-18` (see `errorAllowance`).
    uint256 internal constant ALLOWANCE_LN_WEI = 64;
    /// @notice Error allowance per computed cost difference, in wei (integer roundings of the two costs).
    uint256 internal constant ALLOWANCE_WEI = 4;

    /// @notice `b` is 0 or above `MAX_QUANTITY`.
    error LmsrLiquidityOutOfRange(uint256 b, uint256 max);
    /// @notice The market has fewer than 2 or more than 8 outcomes.
    error LmsrOutcomeCountOutOfRange(uint256 n, uint256 min, uint256 max);
    /// @notice Outcome index `i` is not below the number of outcomes `n`.
    error LmsrOutcomeOutOfRange(uint256 i, uint256 n);
    /// @notice `q_i` (or `q_i` after a buy) is above `MAX_QUANTITY`.
    error LmsrQuantityTooLarge(uint256 i, uint256 quantity, uint256 max);
    /// @notice A sale of `amount` outcome-`i` shares exceeds the `outstanding` shares the market has sold.
    error LmsrSellExceedsOutstanding(uint256 i, uint256 amount, uint256 outstanding);

    /// @notice The cost function `C(q) = b * ln(sum_i exp(q_i / b))`.
    /// @dev Rounds down in its last step (`b * ln(S) / WAD`); its absolute error is below
    /// `errorAllowance(b) / 2` (measured far smaller), in either direction. Use `buyCost` / `sellReturn`
    /// for amounts that move collateral: only they carry a rounding direction.
    /// @param q Shares sold per outcome; `2 <= q.length <= 8`, each `<= MAX_QUANTITY`.
    /// @param b Liquidity, `0 < b <= MAX_QUANTITY`.
    /// @return The cost, in collateral units.
    function cost(uint256[] memory q, uint256 b) internal pure returns (uint256) {
        _validate(q, b);
        return _cost(q, b, 0, q[0]);
    }

    /// @notice The instantaneous price of outcome `i`: `exp(q_i / b) / sum_j exp(q_j / b)`, in WAD.
    /// @dev Rounds down: `floor(e_i * WAD / S)` with `e_i` and `S` Solady's approximations. It lies in
    /// `[0, WAD]`; it is 0 only when the exact price is below ~1e-18 (`q_max - q_i > ~41.4 b`) and WAD only
    /// when every other price is. `prices` returns all of them summing to exactly WAD.
    /// @param q Shares sold per outcome.
    /// @param b Liquidity.
    /// @param i The outcome, `i < q.length`.
    /// @return The price of outcome `i` in WAD.
    function price(uint256[] memory q, uint256 b, uint256 i) internal pure returns (uint256) {
        _validate(q, b);
        _validateOutcome(q, i);
        (uint256[] memory e, uint256 sum) = _exps(q, b, 0, q[0]);
        return e[i] * WAD / sum; // rounds down; e[i] <= WAD, so no overflow
    }

    /// @notice The prices of all outcomes, summing to exactly WAD.
    /// @dev Every price but the last rounds down as in `price`; the last is `WAD` minus the others, so it
    /// takes the rounding surplus: it is at least its own floored price and exceeds it by at most `n - 1` wei.
    /// @param q Shares sold per outcome.
    /// @param b Liquidity.
    /// @return p The prices in WAD, `sum(p) == WAD`.
    function prices(uint256[] memory q, uint256 b) internal pure returns (uint256[] memory p) {
        _validate(q, b);
        uint256 n = q.length;
        (uint256[] memory e, uint256 sum) = _exps(q, b, 0, q[0]);
        p = new uint256[](n);
        uint256 assigned;
        for (uint256 j = 0; j < n - 1; ++j) {
            p[j] = e[j] * WAD / sum; // rounds down
            assigned += p[j];
        }
        p[n - 1] = WAD - assigned; // floors of e_j / S, j < n - 1, sum to at most WAD
    }

    /// @notice What buying `amount` outcome-`i` shares costs: `C(q + amount * e_i) - C(q)`, rounded UP in
    /// the market's favour by adding `errorAllowance(b)`, so it is never below the exact increase.
    /// @param q Shares sold per outcome.
    /// @param b Liquidity.
    /// @param i The outcome bought.
    /// @param amount Shares bought; `q_i + amount <= MAX_QUANTITY`.
    /// @return The collateral the buyer pays (0 only for `amount == 0`).
    function buyCost(uint256[] memory q, uint256 b, uint256 i, uint256 amount) internal pure returns (uint256) {
        _validate(q, b);
        _validateOutcome(q, i);
        if (amount == 0) return 0;
        uint256 after_ = q[i] + amount;
        if (after_ > MAX_QUANTITY) revert LmsrQuantityTooLarge(i, after_, MAX_QUANTITY);
        uint256 before = _cost(q, b, i, q[i]);
        uint256 next = _cost(q, b, i, after_);
        // Rounds up: the computed difference plus the allowance for both costs' errors. `next >= before`
        // in practice (both exp and ln are monotone), but is not relied on.
        return next > before ? next - before + errorAllowance(b) : errorAllowance(b);
    }

    /// @notice What selling `amount` outcome-`i` shares back returns: `C(q) - C(q - amount * e_i)`, rounded
    /// DOWN in the market's favour by subtracting `errorAllowance(b)` (floored at 0), so it is never above
    /// the exact decrease.
    /// @param q Shares sold per outcome.
    /// @param b Liquidity.
    /// @param i The outcome sold back.
    /// @param amount Shares sold back; at most `q_i`.
    /// @return The collateral the seller receives.
    function sellReturn(uint256[] memory q, uint256 b, uint256 i, uint256 amount) internal pure returns (uint256) {
        _validate(q, b);
        _validateOutcome(q, i);
        if (amount > q[i]) revert LmsrSellExceedsOutstanding(i, amount, q[i]);
        if (amount == 0) return 0;
        uint256 before = _cost(q, b, i, q[i]);
        uint256 next = _cost(q, b, i, q[i] - amount);
        uint256 allowance = errorAllowance(b);
        // Rounds down: the computed difference less the allowance, floored at 0.
        return before > next + allowance ? before - next - allowance : 0;
    }

    /// @notice The worst-case loss of a market with `n` outcomes opened at `q = 0`: `b * ln(n)`, rounded UP
    /// (what a sponsor must fund).
    /// @param b Liquidity.
    /// @param n Number of outcomes.
    /// @return `ceil(b * ln(n))` plus one `errorAllowance(b)` for `lnWad`'s error.
    function subsidy(uint256 b, uint256 n) internal pure returns (uint256) {
        _validateLiquidity(b);
        _validateCount(n);
        // lnWad(n * WAD) > 0 for n >= 2. Rounds up: ceil of the product plus the allowance.
        uint256 lnN = uint256(FixedPointMathLib.lnWad(int256(n * WAD)));
        return FixedPointMathLib.mulDivUp(b, lnN, WAD) + errorAllowance(b);
    }

    /// @notice The margin by which `buyCost` and `sellReturn` round in the market's favour:
    /// `ceil(b * ALLOWANCE_LN_WEI / WAD) + ALLOWANCE_WEI`.
    /// @dev Each computed cost is `q_max + floor(b * L / WAD)` with `L` Solady's `lnWad` of a sum of at most
    /// 8 `expWad` terms. Each term's exponent is truncated by < 1e-18 and each expWad is within a few wei,
    /// so the sum is within ~2n wei of exact, its ln within ~2n + 1 wei (the sum is >= WAD), and the cost
    /// within `b * (2n + 1) / 1e18 + 1` wei. A difference of two costs is within twice that,
    /// `b * 34 / 1e18 + 2` for n = 8; the allowance takes ~2x margin on that. The TypeScript reference test
    /// measures the error (docs/markets.md) and asserts it stays below the allowance.
    /// @param b Liquidity.
    /// @return The allowance in collateral units (rounds up).
    function errorAllowance(uint256 b) internal pure returns (uint256) {
        return FixedPointMathLib.mulDivUp(b, ALLOWANCE_LN_WEI, WAD) + ALLOWANCE_WEI;
    }

    /// @dev The cost with `q[k]` replaced by `qk` (so trades need no array copy). Rounds down in its last step.
    function _cost(uint256[] memory q, uint256 b, uint256 k, uint256 qk) private pure returns (uint256) {
        uint256 qMax = _max(q, k, qk);
        uint256 n = q.length;
        uint256 sum;
        for (uint256 j = 0; j < n; ++j) {
            // As in `_exps`, without the array (a cost needs only the sum).
            sum += _expTerm(j == k ? qk : q[j], qMax, b);
        }
        // sum >= WAD (the largest outcome contributes exactly WAD), so the exact ln is >= 0; the guard keeps a
        // negative approximation error from wrapping.
        int256 ln = FixedPointMathLib.lnWad(int256(sum));
        if (ln <= 0) return qMax;
        unchecked {
            // Rounds down. b <= 2^128 and 0 < ln <= ln(8) * WAD < 2^61: no overflow.
            return qMax + uint256(ln) * b / WAD;
        }
    }

    /// @dev `e_j = expWad((q_j - q_max) * WAD / b)` (each in `[0, WAD]`) and their sum, with `q[k]` replaced by
    /// `qk`. The exponent truncates toward zero, i.e. rounds up by < 1 wei.
    function _exps(uint256[] memory q, uint256 b, uint256 k, uint256 qk)
        private
        pure
        returns (uint256[] memory e, uint256 sum)
    {
        uint256 n = q.length;
        uint256 qMax = _max(q, k, qk);
        e = new uint256[](n);
        for (uint256 j = 0; j < n; ++j) {
            e[j] = _expTerm(j == k ? qk : q[j], qMax, b);
            sum += e[j];
        }
    }

    /// @dev `exp((qj - qMax) / b)` in WAD, in `[0, WAD]`: exactly WAD for an outcome at the maximum (Solady's
    /// `expWad(0)` is 1e18 - 603, so it is not called there), else `expWad` of the exponent truncated toward zero.
    function _expTerm(uint256 qj, uint256 qMax, uint256 b) private pure returns (uint256) {
        if (qj == qMax) return WAD;
        unchecked {
            // qj < qMax <= MAX_QUANTITY: (qMax - qj) * WAD < 2^188 fits int256; b > 0 (validated by callers).
            return uint256(FixedPointMathLib.expWad(-int256((qMax - qj) * WAD / b))); // x < 0: in [0, WAD)
        }
    }

    /// @dev The largest quantity, with `q[k]` replaced by `qk`.
    function _max(uint256[] memory q, uint256 k, uint256 qk) private pure returns (uint256 m) {
        uint256 n = q.length;
        for (uint256 j = 0; j < n; ++j) {
            uint256 qj = j == k ? qk : q[j];
            if (qj > m) m = qj;
        }
    }

    function _validate(uint256[] memory q, uint256 b) private pure {
        _validateLiquidity(b);
        uint256 n = q.length;
        _validateCount(n);
        for (uint256 j = 0; j < n; ++j) {
            if (q[j] > MAX_QUANTITY) revert LmsrQuantityTooLarge(j, q[j], MAX_QUANTITY);
        }
    }

    function _validateLiquidity(uint256 b) private pure {
        if (b == 0 || b > MAX_QUANTITY) revert LmsrLiquidityOutOfRange(b, MAX_QUANTITY);
    }

    function _validateCount(uint256 n) private pure {
        if (n < MIN_OUTCOMES || n > MAX_OUTCOMES) revert LmsrOutcomeCountOutOfRange(n, MIN_OUTCOMES, MAX_OUTCOMES);
    }

    function _validateOutcome(uint256[] memory q, uint256 i) private pure {
        if (i >= q.length) revert LmsrOutcomeOutOfRange(i, q.length);
    }
}
