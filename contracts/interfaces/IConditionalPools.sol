// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";

import {PoolId} from "../types/FutarchyIds.sol";
import {PositionId} from "../types/MarketIds.sol";
import {IOutcomeVault} from "./IOutcomeVault.sol";

/// @title IConditionalPools
/// @notice Constant-product pools between two ERC-1155 positions of one OutcomeVault (a conditional metric token and
/// a conditional quote token of the same decision branch, say), each with a swap fee and a manipulation-resistant
/// TWAP oracle (TwapOracle). One contract holds every pool; a pool is created, seeded and owned by nobody in
/// particular: its id commits to its creator and a salt, its parameters are fixed at creation, and its liquidity
/// belongs to the holders of its shares.
/// @dev Trading window: swaps, liquidity additions and oracle updates are accepted while
/// `start <= block.timestamp < end`; from `end` on the pool is closed for good and its oracle frozen, so
/// `twap(id)` is the average over `[start + twapDelay, end)` (every second of it counted once). Removing liquidity
/// is accepted at any time, so no share is ever locked.
///
/// Oracle: every swap, liquidity change and `poke` first records an observation from the reserves as earlier blocks
/// (or earlier transactions of this block) left them, at most one per block (TwapOracle), and only then moves the
/// reserves: a price moved and moved back within one block is never observed, and the observation moves toward the
/// spot by at most `twapMaxStep` per block. The reference (first) observation is the seeded spot price.
///
/// Prices: `spotPrice = reserveQuote * 1e18 / reserveMetric` (quote per metric, WAD, rounded down). Swaps charge
/// `feeBps` on the input; the fee stays in the reserves (the liquidity providers' income), so `reserveMetric *
/// reserveQuote` never decreases across a swap. Output rounds down, required input up (CpmmMath).
///
/// Shares: the first deposit mints `sqrt(metric * quote)` shares, of which `MINIMUM_SHARES` are locked forever
/// (held by no one) so the supply never returns to zero and the share price cannot be inflated. Later deposits
/// pay for their shares rounded up; withdrawals pay out rounded down.
///
/// Token assumptions: the positions are the vault's (exact-amount ERC-1155 transfers). The contract pulls them by
/// operator approval (`vault.setApprovalForAll(pools, true)`) and accepts only transfers it initiated itself:
/// positions sent to it unasked are refused by its receiver hook, so none can be stranded. Reserves are booked, never
/// read from balances. Every state-changing entry point is non-reentrant; positions are paid out last.
interface IConditionalPools is IERC1155Receiver {
    /// @notice Where a pool stands, derived from its parameters and `block.timestamp`. `None` for unknown ids.
    enum PoolState {
        None,
        Pending,
        Open,
        Closed
    }

    /// @notice What a creator fixes for a pool.
    /// @param metric The vault position priced (the base token).
    /// @param quote The vault position it is priced in; differs from `metric`.
    /// @param feeBps Swap fee on the input, in basis points, at most `MAX_FEE_BPS`.
    /// @param start First second of the trading window (may be now; a start in the past is taken as now, so the
    /// oracle never counts time before the pool existed).
    /// @param end First second after the trading window; `end > start` and `end > block.timestamp`.
    /// @param twapDelay Seconds after `start` the oracle does not count; `max(start, now) + twapDelay < end`.
    /// @param twapMaxStep The largest move of the oracle's observation per block (WAD), > 0.
    struct PoolParams {
        PositionId metric;
        PositionId quote;
        uint16 feeBps;
        uint64 start;
        uint64 end;
        uint32 twapDelay;
        uint128 twapMaxStep;
    }

    /// @notice A pool as stored (5 slots; the oracle (3 slots, holding `start`) and the share balances live beside it).
    struct Pool {
        PositionId metric;
        PositionId quote;
        uint128 reserveMetric;
        uint128 reserveQuote;
        address creator;
        uint16 feeBps;
        uint64 end;
        uint256 supply;
    }

    /// @notice Emitted when `creator` creates and seeds pool `poolId`; `lpRecipient` got `shares` (the supply less
    /// `MINIMUM_SHARES`); the oracle starts at `referencePrice`.
    event PoolCreated(
        PoolId indexed poolId,
        address indexed creator,
        bytes32 salt,
        PoolParams params,
        uint256 metricAmount,
        uint256 quoteAmount,
        address lpRecipient,
        uint256 shares,
        uint256 referencePrice
    );

    /// @notice Emitted after a swap: `trader` paid `amountIn` of one side (metric when `metricIn`) and `to` got
    /// `amountOut` of the other; the reserves and the oracle's observation after it.
    event Swapped(
        PoolId indexed poolId,
        address indexed trader,
        address to,
        bool metricIn,
        uint256 amountIn,
        uint256 amountOut,
        uint128 reserveMetric,
        uint128 reserveQuote,
        uint128 observation
    );

    /// @notice Emitted when `provider` deposited `metricAmount` and `quoteAmount` for `shares` credited to `to`.
    event LiquidityAdded(
        PoolId indexed poolId, address indexed provider, address to, uint256 shares, uint256 metricAmount, uint256 quoteAmount
    );

    /// @notice Emitted when `provider` burned `shares` and `to` received `metricAmount` and `quoteAmount`.
    event LiquidityRemoved(
        PoolId indexed poolId, address indexed provider, address to, uint256 shares, uint256 metricAmount, uint256 quoteAmount
    );

    /// @notice Emitted when `poke` recorded an observation (swaps and liquidity changes report theirs in their own
    /// events).
    event Observed(PoolId indexed poolId, uint128 observation);

    /// @notice A pool with this id (creator and salt) exists already.
    error PoolExists(PoolId poolId);
    /// @notice No pool has this id.
    error PoolUnknown(PoolId poolId);
    /// @notice The pool is in `current`; the entry point needs `allowed`.
    error UnexpectedPoolState(PoolId poolId, PoolState current, PoolState allowed);
    /// @notice The metric and quote positions are the same.
    error PositionsEqual(PositionId position);
    /// @notice The fee is above `max`.
    error FeeTooHigh(uint256 feeBps, uint256 max);
    /// @notice The window is empty, already over, or has no counted time: `max(start, now) + twapDelay < end` must
    /// hold (so `end > start` and `end > now`).
    error WindowInvalid(uint64 start, uint64 end, uint32 twapDelay, uint256 nowTs);
    /// @notice A swap or deposit of zero, or a seed of zero on one side.
    error AmountZero();
    /// @notice The output is below the caller's `minimum`.
    error SlippageExceeded(uint256 amount, uint256 minimum);
    /// @notice The deposit would cost more than the caller's `maximum` of one side.
    error DepositAboveMax(uint256 amount, uint256 maximum);
    /// @notice The seed mints `shares`, not more than `MINIMUM_SHARES`.
    error SeedTooSmall(uint256 shares, uint256 minimum);
    /// @notice `account` holds `balance` shares, fewer than `shares`.
    error SharesInsufficient(PoolId poolId, address account, uint256 balance, uint256 shares);
    /// @notice Positions arrived that this contract did not pull (`operator` is not this contract), or from another
    /// contract than the vault, or from this contract itself (a swap or removal paying `to` = this contract).
    error TransferUnsolicited(address operator, address token);
    /// @notice A recipient of zero.
    error RecipientZero();

    /// @notice Creates pool `keccak256(abi.encode(msg.sender, salt))` and seeds it with `metricAmount` and
    /// `quoteAmount` pulled from the caller (approve this contract as operator in the vault first); the seeded spot
    /// price is the oracle's reference price. Mints `sqrt(metricAmount * quoteAmount)` shares, `MINIMUM_SHARES` of
    /// them locked, the rest to `lpRecipient`.
    /// @param salt Distinguishes the caller's pools.
    /// @param params The pool's fixed parameters.
    /// @param metricAmount Seed of the metric position, < 2^128, not zero.
    /// @param quoteAmount Seed of the quote position, < 2^128, not zero.
    /// @param lpRecipient Receives the seed's shares; not zero.
    /// @return poolId The new pool.
    /// @return shares The shares credited to `lpRecipient`.
    function createPool(
        bytes32 salt,
        PoolParams calldata params,
        uint128 metricAmount,
        uint128 quoteAmount,
        address lpRecipient
    ) external returns (PoolId poolId, uint256 shares);

    /// @notice Swaps exactly `amountIn` of one side (metric when `metricIn`), pulled from the caller, for at least
    /// `minAmountOut` of the other, paid to `to`. Only while the pool is Open. Records an observation first.
    /// @param poolId The pool.
    /// @param metricIn True to sell metric for quote, false to buy metric with quote.
    /// @param amountIn Exact input, not zero.
    /// @param minAmountOut The least output accepted (slippage bound).
    /// @param to The recipient of the output; not zero.
    /// @return amountOut The output paid.
    function swap(PoolId poolId, bool metricIn, uint256 amountIn, uint256 minAmountOut, address to)
        external
        returns (uint256 amountOut);

    /// @notice Deposits both sides in proportion to the reserves for exactly `shares` new shares credited to `to`,
    /// paying at most `maxMetric` and `maxQuote` (each rounded up). Only while the pool is Open. Records an
    /// observation first.
    /// @param poolId The pool.
    /// @param shares The shares to mint, not zero.
    /// @param maxMetric The most metric paid.
    /// @param maxQuote The most quote paid.
    /// @param to Receives the shares; not zero.
    /// @return metricAmount The metric paid.
    /// @return quoteAmount The quote paid.
    function addLiquidity(PoolId poolId, uint256 shares, uint256 maxMetric, uint256 maxQuote, address to)
        external
        returns (uint256 metricAmount, uint256 quoteAmount);

    /// @notice Burns `shares` of the caller's and pays `to` their part of both reserves (each rounded down), at least
    /// `minMetric` and `minQuote`. Accepted in every state of an existing pool. While Open, records an observation
    /// first.
    /// @param poolId The pool.
    /// @param shares The shares to burn, not zero.
    /// @param minMetric The least metric accepted.
    /// @param minQuote The least quote accepted.
    /// @param to The recipient; not zero.
    /// @return metricAmount The metric paid.
    /// @return quoteAmount The quote paid.
    function removeLiquidity(PoolId poolId, uint256 shares, uint256 minMetric, uint256 minQuote, address to)
        external
        returns (uint256 metricAmount, uint256 quoteAmount);

    /// @notice Records an observation from the current reserves (at most one per block) without trading, so the
    /// oracle follows a price nobody trades. Only while the pool is Open. Permissionless.
    /// @param poolId The pool.
    /// @return recorded False when this block already has an observation.
    function poke(PoolId poolId) external returns (bool recorded);

    /// @notice The output a swap of `amountIn` would pay now (fee included, rounded down). Ignores the window.
    /// @param poolId The pool.
    /// @param metricIn True for metric in, quote out.
    /// @param amountIn The input.
    /// @return amountOut The output.
    function quoteSwap(PoolId poolId, bool metricIn, uint256 amountIn) external view returns (uint256 amountOut);

    /// @notice The input a swap must pay now for exactly `amountOut` (fee included, rounded up), for callers that
    /// size trades by output. Ignores the window.
    /// @param poolId The pool.
    /// @param metricIn True for metric in, quote out.
    /// @param amountOut The output wanted, below the output side's reserve.
    /// @return amountIn The input needed.
    function quoteSwapExactOut(PoolId poolId, bool metricIn, uint256 amountOut)
        external
        view
        returns (uint256 amountIn);

    /// @notice The pool's spot price now: quote per metric, WAD, rounded down.
    /// @param poolId The pool.
    /// @return The price.
    function spotPrice(PoolId poolId) external view returns (uint256);

    /// @notice The oracle's time-weighted average over its counted time up to `min(now, end)`: over
    /// `[start + twapDelay, end)` once the pool is Closed. Reverts `TwapOracle.TwapNoCountedTime` before any time
    /// counted.
    /// @param poolId The pool.
    /// @return The average (WAD, rounded down).
    function twap(PoolId poolId) external view returns (uint256);

    /// @notice The oracle's last recorded observation (WAD) and the block it was recorded in.
    /// @param poolId The pool.
    /// @return observation The observation.
    /// @return lastBlock Its block number.
    function observation(PoolId poolId) external view returns (uint128 observation, uint64 lastBlock);

    /// @notice Reads a pool.
    /// @param poolId The pool.
    /// @return The stored pool (all zero if unknown).
    function getPool(PoolId poolId) external view returns (Pool memory);

    /// @notice The pool's state now.
    /// @param poolId The pool.
    /// @return The derived state.
    function poolState(PoolId poolId) external view returns (PoolState);

    /// @notice The shares an account holds in a pool.
    /// @param poolId The pool.
    /// @param account The holder.
    /// @return The share balance.
    function sharesOf(PoolId poolId, address account) external view returns (uint256);

    /// @notice The id a creator's salt gives.
    /// @param creator The creator.
    /// @param salt The salt.
    /// @return `keccak256(abi.encode(creator, salt))`.
    function poolIdOf(address creator, bytes32 salt) external pure returns (PoolId);

    /// @notice The vault whose positions the pools trade.
    /// @return The vault.
    function vault() external view returns (IOutcomeVault);

    /// @notice The highest swap fee a pool may have, in basis points.
    /// @return The cap.
    function MAX_FEE_BPS() external view returns (uint256);

    /// @notice Shares locked forever by every pool's seed.
    /// @return The locked shares.
    function MINIMUM_SHARES() external view returns (uint256);
}
