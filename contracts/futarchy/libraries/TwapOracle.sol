// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title TwapOracle
/// @notice A manipulation-resistant time-weighted average price for one conditional pool (futarchy, issue 6).
/// Prices are WAD (quote per metric, 1e18 = 1). The oracle keeps an *observation* that starts at a reference
/// price and, at most once per block (`block.number`), moves toward the pool's spot price by at most `maxStep`
/// (an absolute cap in price units per recorded update, as MetaDAO's oracle). The average weights each
/// observation by the seconds (`block.timestamp`) it was in effect, and counts only time from
/// `countFrom = start + delay` on. An observation is in effect from the update that records it until the next
/// recorded update; time before `countFrom` is never counted, whatever the observation then.
/// @dev Storage: 3 slots. Slot 0 `observation | lastBlock | lastTime` (written by every recorded update), slot 1
/// `maxStep | start | countFrom` (written once, by `initialize`), slot 2 `cumulative` (written by a recorded
/// update only when counted time has passed since the last one). A recorded update writes 1 or 2 slots; an
/// update in a block that already has an observation writes none.
library TwapOracle {
    /// @notice The oracle of one pool.
    /// @param observation The last recorded observation (WAD); the reference price until the first update.
    /// @param lastBlock The `block.number` of the last recorded update (of `initialize` before any).
    /// @param lastTime The `block.timestamp` of the last recorded update (`start` before any).
    /// @param maxStep The largest move of the observation per recorded update (WAD); > 0 once initialized.
    /// @param start The first second at which updates are accepted.
    /// @param countFrom `start + delay`: the first second whose time the average counts.
    /// @param cumulative Sum of `observation x seconds` in effect over `[countFrom, lastTime)`.
    struct Twap {
        uint128 observation;
        uint64 lastBlock;
        uint64 lastTime;
        uint128 maxStep;
        uint64 start;
        uint64 countFrom;
        uint256 cumulative;
    }

    /// @notice `initialize` on an oracle that already has one (its `maxStep` is not 0).
    error TwapAlreadyInitialized(uint128 maxStep);
    /// @notice `update` or `twap` on an oracle that was never initialized.
    error TwapNotInitialized();
    /// @notice The reference price is 0.
    error TwapReferencePriceZero();
    /// @notice The step cap is 0 (the observation could never move).
    error TwapMaxStepZero();
    /// @notice `start + delay` does not fit in 64 bits.
    error TwapCountFromOverflow(uint64 start, uint32 delay);
    /// @notice An update before `start`.
    error TwapNotStarted(uint64 time, uint64 start);
    /// @notice A time before the last recorded update (only the pure entry points can be given one).
    error TwapTimeBeforeLastUpdate(uint64 time, uint64 lastTime);
    /// @notice The average was asked for at a time with no counted time yet (`time <= countFrom`).
    error TwapNoCountedTime(uint64 time, uint64 countFrom);

    /// @notice Starts an oracle at `referencePrice`, accepting updates from `start` and counting from
    /// `start + delay`. The current block is taken as observed: an update in it records nothing (the pool was
    /// seeded in it).
    /// @param self The oracle, never initialized.
    /// @param referencePrice The first observation (WAD), > 0.
    /// @param start The first second updates are accepted (may be in the past or the future).
    /// @param delay Seconds after `start` that are never counted.
    /// @param maxStep The cap on each recorded move of the observation (WAD), > 0.
    function initialize(Twap storage self, uint128 referencePrice, uint64 start, uint32 delay, uint128 maxStep)
        internal
    {
        if (self.maxStep != 0) revert TwapAlreadyInitialized(self.maxStep);
        Twap memory t = init(referencePrice, start, delay, maxStep, _blockNumber());
        self.observation = t.observation;
        self.lastBlock = t.lastBlock;
        self.lastTime = t.lastTime;
        self.maxStep = t.maxStep;
        self.start = t.start;
        self.countFrom = t.countFrom;
    }

    /// @notice Records an observation from the pool's `spotPrice` (WAD), at most one per block.
    /// @param self The oracle.
    /// @param spotPrice The pool's spot price now (WAD).
    /// @return recorded False when this block already has an observation (nothing is written).
    function update(Twap storage self, uint256 spotPrice) internal returns (bool recorded) {
        Twap memory t = self;
        uint256 before = t.cumulative;
        recorded = observe(t, spotPrice, _blockNumber(), _timestamp());
        if (!recorded) return false;
        self.observation = t.observation;
        self.lastBlock = t.lastBlock;
        self.lastTime = t.lastTime;
        if (t.cumulative != before) self.cumulative = t.cumulative;
    }

    /// @notice The average observation over the counted time up to now, `[countFrom, block.timestamp)`.
    /// @dev See `twapAt`. Reverts `TwapNoCountedTime` while `block.timestamp <= countFrom`.
    function twap(Twap storage self) internal view returns (uint256) {
        return twapAt(self, _timestamp());
    }

    /// @notice A fresh oracle's state (the pure form of `initialize`, with the block number given).
    function init(uint128 referencePrice, uint64 start, uint32 delay, uint128 maxStep, uint64 blockNumber)
        internal
        pure
        returns (Twap memory t)
    {
        if (referencePrice == 0) revert TwapReferencePriceZero();
        if (maxStep == 0) revert TwapMaxStepZero();
        uint256 countFrom = uint256(start) + delay;
        if (countFrom > type(uint64).max) revert TwapCountFromOverflow(start, delay);
        t.observation = referencePrice;
        t.lastBlock = blockNumber;
        t.lastTime = start;
        t.maxStep = maxStep;
        t.start = start;
        t.countFrom = uint64(countFrom); // fits: checked above
    }

    /// @notice The pure form of `update`: records in `t` (in memory) an observation at `blockNumber`, `time`.
    /// @dev Order: not initialized, then same block (records nothing, even before `start`), then
    /// `time < start`, then `time < lastTime`. The time since the last update is counted with the *previous*
    /// observation (in effect until now), clipped to start at `countFrom`; then the observation moves.
    /// @return recorded False when `blockNumber <= lastBlock` (`t` is unchanged).
    function observe(Twap memory t, uint256 spotPrice, uint64 blockNumber, uint64 time)
        internal
        pure
        returns (bool recorded)
    {
        if (t.maxStep == 0) revert TwapNotInitialized();
        if (blockNumber <= t.lastBlock) return false;
        if (time < t.start) revert TwapNotStarted(time, t.start);
        if (time < t.lastTime) revert TwapTimeBeforeLastUpdate(time, t.lastTime);
        uint64 from = t.lastTime > t.countFrom ? t.lastTime : t.countFrom;
        if (time > from) {
            unchecked {
                // observation < 2^128 and time - from < 2^64: each term < 2^192, and the counted seconds summed
                // over all updates are at most 2^64, so the sum stays below 2^192.
                t.cumulative += uint256(t.observation) * (time - from);
            }
        }
        t.observation = nextObservation(t.observation, spotPrice, t.maxStep);
        t.lastBlock = blockNumber;
        t.lastTime = time;
        return true;
    }

    /// @notice The average observation over `[countFrom, time)`: `(cumulative + observation x (time - from)) /
    /// (time - countFrom)`, with `from = max(lastTime, countFrom)`. Rounds DOWN (at most 1 wei of WAD below the
    /// exact average, and never outside `[min, max]` of the observations in effect over the counted time).
    /// @dev Undefined with no counted time: reverts `TwapNoCountedTime` while `time <= countFrom` (a decision
    /// must never be read from zero weight). Reverts `TwapTimeBeforeLastUpdate` for `time < lastTime` (the
    /// cumulative already holds time after it).
    function twapAt(Twap memory t, uint64 time) internal pure returns (uint256) {
        if (t.maxStep == 0) revert TwapNotInitialized();
        if (time <= t.countFrom) revert TwapNoCountedTime(time, t.countFrom);
        if (time < t.lastTime) revert TwapTimeBeforeLastUpdate(time, t.lastTime);
        uint64 from = t.lastTime > t.countFrom ? t.lastTime : t.countFrom;
        uint256 total;
        unchecked {
            // As in `observe`: below 2^192. time >= from (both checks above).
            total = t.cumulative + uint256(t.observation) * (time - from);
        }
        return total / (time - t.countFrom); // rounds down; time > countFrom
    }

    /// @notice The observation after one recorded update: `observation` moved toward `spotPrice` by at most
    /// `maxStep`, i.e. the median of `(observation - maxStep, spotPrice, observation + maxStep)`, clipped to
    /// `[0, 2^128 - 1]`.
    function nextObservation(uint128 observation, uint256 spotPrice, uint128 maxStep) internal pure returns (uint128) {
        if (spotPrice >= observation) {
            uint256 up = uint256(observation) + maxStep; // < 2^129
            uint256 next = spotPrice < up ? spotPrice : up;
            return next > type(uint128).max ? type(uint128).max : uint128(next);
        }
        unchecked {
            // spotPrice < observation, so the difference is positive; observation - maxStep only when no underflow.
            if (observation - spotPrice <= maxStep) return uint128(spotPrice);
            return observation - maxStep; // > spotPrice >= 0
        }
    }

    /// @notice The fewest recorded updates an attacker needs to move the average by `shift` (WAD), starting
    /// from an observation at rest and moving the spot as far as it likes for `k` consecutive updates `interval`
    /// seconds apart, counted over a window of `window` seconds that ends `interval` seconds after the k-th.
    /// @dev The i-th attacked update moves the observation by at most `i x maxStep` from rest and is in effect
    /// `interval` seconds, so the average moves by at most `maxStep x interval x k(k+1)/2 / window` (the bound
    /// the fuzz test checks). Returns the least `k` with `maxStep x interval x k(k+1)/2 >= shift x window`.
    /// Rounds UP (against the attacker): a `k` one smaller cannot reach `shift`. `shift == 0` needs 0 updates;
    /// `interval == 0` (no time in effect) can never move it: `type(uint256).max`.
    function minAttackUpdates(uint128 shift, uint128 maxStep, uint64 interval, uint64 window)
        internal
        pure
        returns (uint256 k)
    {
        if (maxStep == 0) revert TwapMaxStepZero();
        if (shift == 0 || interval == 0) return shift == 0 ? 0 : type(uint256).max;
        // Need k(k+1)/2 >= q with q = ceil(shift x window / (maxStep x interval)) (rounds up); q < 2^192.
        uint256 q = Math.mulDiv(shift, window, uint256(maxStep) * interval, Math.Rounding.Ceil);
        // k = ceil((sqrt(8q + 1) - 1) / 2), corrected by the loop for the floor of the square root.
        k = (Math.sqrt(8 * q + 1) - 1) / 2; // rounds down; then raised until it suffices
        while (k * (k + 1) / 2 < q) ++k; // exact: k(k + 1) is even; at most 2 iterations (sqrt floors)
    }

    function _blockNumber() private view returns (uint64) {
        return uint64(block.number); // below 2^64 for the life of any chain
    }

    function _timestamp() private view returns (uint64) {
        return uint64(block.timestamp); // below 2^64 until the year 5.8e11
    }
}
