// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TwapOracle} from "../../contracts/futarchy/libraries/TwapOracle.sol";

/// @notice Exposes TwapOracle to tests: one oracle in storage (initialize, update, twap at block.timestamp), and
/// the pure entry points, with `simulate` replaying a whole sequence of updates in one call for the differential
/// test (test/integration/futarchy-math.test.ts).
contract TwapOracleHarness {
    using TwapOracle for TwapOracle.Twap;

    TwapOracle.Twap internal _oracle;

    /// @notice See `TwapOracle.initialize`.
    function initialize(uint128 referencePrice, uint64 start, uint32 delay, uint128 maxStep) external {
        _oracle.initialize(referencePrice, start, delay, maxStep);
    }

    /// @notice See `TwapOracle.update`.
    function update(uint256 spotPrice) external returns (bool) {
        return _oracle.update(spotPrice);
    }

    /// @notice Two updates in one transaction (so in one block): the second must record nothing.
    function updateTwice(uint256 first, uint256 second) external returns (bool, bool) {
        return (_oracle.update(first), _oracle.update(second));
    }

    /// @notice See `TwapOracle.twap`.
    function twap() external view returns (uint256) {
        return _oracle.twap();
    }

    /// @notice The stored oracle.
    function oracle() external view returns (TwapOracle.Twap memory) {
        return _oracle;
    }

    /// @notice See `TwapOracle.init`.
    function init(uint128 referencePrice, uint64 start, uint32 delay, uint128 maxStep, uint64 blockNumber)
        external
        pure
        returns (TwapOracle.Twap memory)
    {
        return TwapOracle.init(referencePrice, start, delay, maxStep, blockNumber);
    }

    /// @notice See `TwapOracle.observe` (returns the updated oracle).
    function observe(TwapOracle.Twap calldata state, uint256 spotPrice, uint64 blockNumber, uint64 time)
        external
        pure
        returns (TwapOracle.Twap memory t, bool recorded)
    {
        t = state;
        recorded = TwapOracle.observe(t, spotPrice, blockNumber, time);
    }

    /// @notice See `TwapOracle.twapAt`.
    function twapAt(TwapOracle.Twap calldata t, uint64 time) external pure returns (uint256) {
        return TwapOracle.twapAt(t, time);
    }

    /// @notice See `TwapOracle.nextObservation`.
    function nextObservation(uint128 observation, uint256 spotPrice, uint128 maxStep) external pure returns (uint128) {
        return TwapOracle.nextObservation(observation, spotPrice, maxStep);
    }

    /// @notice See `TwapOracle.minAttackUpdates`.
    function minAttackUpdates(uint128 shift, uint128 maxStep, uint64 interval, uint64 window)
        external
        pure
        returns (uint256)
    {
        return TwapOracle.minAttackUpdates(shift, maxStep, interval, window);
    }

    /// @notice `init`, then `observe` for each (spot, block, time), then `twapAt(at)`: the final oracle, which
    /// updates recorded, and the average.
    function simulate(
        TwapOracle.Twap calldata state,
        uint256[] calldata spots,
        uint64[] calldata blocks,
        uint64[] calldata times,
        uint64 at
    ) external pure returns (TwapOracle.Twap memory t, bool[] memory recorded, uint256 average) {
        t = state;
        recorded = new bool[](spots.length);
        for (uint256 i = 0; i < spots.length; ++i) {
            recorded[i] = TwapOracle.observe(t, spots[i], blocks[i], times[i]);
        }
        average = TwapOracle.twapAt(t, at);
    }
}
