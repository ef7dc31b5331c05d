// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {TwapOracle} from "../../../contracts/futarchy/libraries/TwapOracle.sol";
import {TwapOracleHarness} from "../../mocks/TwapOracleHarness.sol";

/// @notice Unit tests of TwapOracle: every function, every error with its arguments, one observation per block,
/// the step cap in both directions, the delay boundary second, the reference start, gas of an update.
contract TwapOracleTest is Test {
    uint128 internal constant REF = 2e18;
    uint128 internal constant STEP = 0.01e18;
    uint64 internal constant START = 1_000;
    uint32 internal constant DELAY = 100;
    uint64 internal constant COUNT_FROM = START + DELAY;

    TwapOracleHarness internal h;

    function setUp() public {
        h = new TwapOracleHarness();
        vm.roll(10);
        vm.warp(START);
        h.initialize(REF, START, DELAY, STEP);
    }

    /// @dev Moves to block `n` at second `t` and records `spot`.
    function _updateAt(uint256 n, uint256 t, uint256 spot) internal returns (bool) {
        vm.roll(n);
        vm.warp(t);
        return h.update(spot);
    }

    // ---- initialize ----

    function test_initialize_setsReferenceAndBoundaries() public view {
        TwapOracle.Twap memory t = h.oracle();
        assertEq(t.observation, REF);
        assertEq(t.lastBlock, 10);
        assertEq(t.lastTime, START);
        assertEq(t.maxStep, STEP);
        assertEq(t.start, START);
        assertEq(t.countFrom, COUNT_FROM);
        assertEq(t.cumulative, 0);
    }

    function test_initialize_revertsWhenAlreadyInitialized() public {
        vm.expectRevert(abi.encodeWithSelector(TwapOracle.TwapAlreadyInitialized.selector, STEP));
        h.initialize(REF, START, DELAY, STEP);
    }

    function test_initialize_revertsOnZeroReference() public {
        TwapOracleHarness fresh = new TwapOracleHarness();
        vm.expectRevert(TwapOracle.TwapReferencePriceZero.selector);
        fresh.initialize(0, START, DELAY, STEP);
    }

    function test_initialize_revertsOnZeroStep() public {
        TwapOracleHarness fresh = new TwapOracleHarness();
        vm.expectRevert(TwapOracle.TwapMaxStepZero.selector);
        fresh.initialize(REF, START, DELAY, 0);
    }

    function test_initialize_revertsWhenCountFromOverflows() public {
        TwapOracleHarness fresh = new TwapOracleHarness();
        uint64 start = type(uint64).max - 5;
        vm.expectRevert(abi.encodeWithSelector(TwapOracle.TwapCountFromOverflow.selector, start, uint32(6)));
        fresh.initialize(REF, start, 6, STEP);
        fresh.initialize(REF, start, 5, STEP); // exactly 2^64 - 1 fits
        assertEq(fresh.oracle().countFrom, type(uint64).max);
    }

    // ---- update ----

    function test_update_revertsWhenNotInitialized() public {
        TwapOracleHarness fresh = new TwapOracleHarness();
        vm.expectRevert(TwapOracle.TwapNotInitialized.selector);
        fresh.update(1e18);
        vm.expectRevert(TwapOracle.TwapNotInitialized.selector);
        fresh.twap();
    }

    function test_update_recordsNothingInTheInitializationBlock() public {
        assertFalse(h.update(5e18));
        assertEq(h.oracle().observation, REF);
    }

    function test_update_revertsBeforeStart() public {
        TwapOracleHarness fresh = new TwapOracleHarness();
        fresh.initialize(REF, START + 50, DELAY, STEP);
        vm.roll(11);
        vm.warp(START + 49);
        vm.expectRevert(abi.encodeWithSelector(TwapOracle.TwapNotStarted.selector, START + 49, START + 50));
        fresh.update(1e18);
        vm.warp(START + 50);
        assertTrue(fresh.update(1e18)); // the start second itself is accepted
    }

    function test_update_atMostOneObservationPerBlock() public {
        vm.roll(11);
        vm.warp(START + 12);
        (bool first, bool second) = h.updateTwice(3e18, 1e18);
        assertTrue(first);
        assertFalse(second);
        assertEq(h.oracle().observation, REF + STEP, "only the first moved it");
        assertFalse(h.update(0)); // a later transaction in the same block
        assertEq(h.oracle().observation, REF + STEP);
        assertEq(h.oracle().lastTime, START + 12);
        assertTrue(_updateAt(12, START + 24, 0));
        assertEq(h.oracle().observation, REF);
    }

    function test_update_capsStepUpward() public {
        _updateAt(11, START + 1, 100e18);
        assertEq(h.oracle().observation, REF + STEP);
        _updateAt(12, START + 2, 100e18);
        assertEq(h.oracle().observation, REF + 2 * STEP);
    }

    function test_update_capsStepDownward() public {
        _updateAt(11, START + 1, 0);
        assertEq(h.oracle().observation, REF - STEP);
        _updateAt(12, START + 2, 0);
        assertEq(h.oracle().observation, REF - 2 * STEP);
    }

    function test_update_reachesSpotWithinOneStep() public {
        _updateAt(11, START + 1, REF + STEP / 3);
        assertEq(h.oracle().observation, REF + STEP / 3);
        _updateAt(12, START + 2, REF - STEP / 2);
        assertEq(h.oracle().observation, REF - STEP / 2, "down by 5/6 of a step, within the cap");
        _updateAt(13, START + 3, REF - STEP / 2 - STEP);
        assertEq(h.oracle().observation, REF - STEP / 2 - STEP, "exactly one step");
    }

    function test_update_countsNothingBeforeTheDelay() public {
        _updateAt(11, START + 50, 0);
        _updateAt(12, COUNT_FROM, 0);
        assertEq(h.oracle().cumulative, 0, "time up to countFrom is never counted");
        _updateAt(13, COUNT_FROM + 1, 0);
        assertEq(h.oracle().cumulative, uint256(REF - 2 * STEP), "the boundary second counts");
    }

    function test_update_clipsAnIntervalThatStraddlesCountFrom() public {
        _updateAt(11, COUNT_FROM - 10, 0); // observation REF - STEP from COUNT_FROM - 10
        _updateAt(12, COUNT_FROM + 30, 0);
        assertEq(h.oracle().cumulative, uint256(REF - STEP) * 30, "only the 30 counted seconds");
    }

    function test_update_weightsByTimeNotByUpdates() public {
        _updateAt(11, COUNT_FROM, 3e18); // REF + STEP from COUNT_FROM
        _updateAt(12, COUNT_FROM + 100, 0); // REF from COUNT_FROM + 100
        _updateAt(13, COUNT_FROM + 101, 0); // REF - STEP
        assertEq(h.oracle().cumulative, uint256(REF + STEP) * 100 + uint256(REF) * 1);
    }

    function test_update_sameTimestampNewBlockMovesWithoutWeight() public {
        _updateAt(11, COUNT_FROM + 5, 0);
        uint256 c = h.oracle().cumulative;
        assertTrue(_updateAt(12, COUNT_FROM + 5, 0));
        assertEq(h.oracle().cumulative, c, "zero seconds add nothing");
        assertEq(h.oracle().observation, REF - 2 * STEP);
    }

    function test_update_clipsAtUint128Max() public {
        TwapOracleHarness fresh = new TwapOracleHarness();
        fresh.initialize(type(uint128).max - 1, START, DELAY, STEP);
        vm.roll(11);
        fresh.update(type(uint256).max);
        assertEq(fresh.oracle().observation, type(uint128).max);
    }

    function test_update_gas() public {
        vm.roll(11);
        vm.warp(COUNT_FROM + 10);
        uint256 g = gasleft();
        h.update(3e18);
        uint256 recorded = g - gasleft();
        g = gasleft();
        h.update(3e18);
        uint256 sameBlock = g - gasleft();
        vm.roll(12);
        vm.warp(COUNT_FROM + 22);
        g = gasleft();
        h.update(3e18);
        uint256 warm = g - gasleft();
        emit log_named_uint("update recorded with counted time (writes 2 slots)", recorded);
        emit log_named_uint("update, same block (nothing written)", sameBlock);
        emit log_named_uint("update recorded, next block (writes 2 slots)", warm);
    }

    // ---- twap ----

    function test_twap_revertsWithNoCountedTime() public {
        vm.warp(COUNT_FROM);
        vm.expectRevert(abi.encodeWithSelector(TwapOracle.TwapNoCountedTime.selector, COUNT_FROM, COUNT_FROM));
        h.twap();
        vm.warp(COUNT_FROM + 1);
        assertEq(h.twap(), REF, "one counted second of the reference");
    }

    function test_twap_isTheReferenceWithoutUpdates() public {
        vm.warp(COUNT_FROM + 1_000_000);
        assertEq(h.twap(), REF);
    }

    function test_twap_weightsObservationsBySeconds() public {
        _updateAt(11, COUNT_FROM, 3e18); // REF + STEP over [COUNT_FROM, COUNT_FROM + 30)
        _updateAt(12, COUNT_FROM + 30, 3e18); // REF + 2 STEP over [COUNT_FROM + 30, COUNT_FROM + 40)
        vm.warp(COUNT_FROM + 40);
        assertEq(h.twap(), (uint256(REF + STEP) * 30 + uint256(REF + 2 * STEP) * 10) / 40);
    }

    function test_twap_roundsDown() public {
        _updateAt(11, COUNT_FROM, REF + 1); // REF + 1 for one second
        _updateAt(12, COUNT_FROM + 1, REF); // then REF for two
        vm.warp(COUNT_FROM + 3);
        assertEq(h.twap(), REF, "(3 REF + 1) / 3 floors to REF");
    }

    function test_twapAt_revertsBeforeLastUpdate() public {
        _updateAt(11, COUNT_FROM + 20, 0);
        TwapOracle.Twap memory t = h.oracle();
        vm.expectRevert(
            abi.encodeWithSelector(TwapOracle.TwapTimeBeforeLastUpdate.selector, COUNT_FROM + 19, COUNT_FROM + 20)
        );
        h.twapAt(t, COUNT_FROM + 19);
        assertEq(h.twapAt(t, COUNT_FROM + 20), REF, "the last update's second is fine");
    }

    function test_twapAt_revertsWhenNotInitialized() public {
        TwapOracle.Twap memory t;
        vm.expectRevert(TwapOracle.TwapNotInitialized.selector);
        h.twapAt(t, 5);
    }

    // ---- pure forms ----

    function test_init_matchesInitialize() public view {
        TwapOracle.Twap memory t = h.init(REF, START, DELAY, STEP, 10);
        assertEq(abi.encode(t), abi.encode(h.oracle()));
    }

    function test_observe_revertsOnTimeBeforeLastUpdate() public {
        TwapOracle.Twap memory t = h.init(REF, START, DELAY, STEP, 10);
        (t,) = h.observe(t, 0, 11, START + 10);
        vm.expectRevert(abi.encodeWithSelector(TwapOracle.TwapTimeBeforeLastUpdate.selector, START + 9, START + 10));
        h.observe(t, 0, 12, START + 9);
    }

    function test_observe_sameBlockChecksNothingElse() public view {
        TwapOracle.Twap memory t = h.init(REF, START, DELAY, STEP, 10);
        (TwapOracle.Twap memory after_, bool recorded) = h.observe(t, 0, 10, 0); // time 0 < start
        assertFalse(recorded);
        assertEq(abi.encode(after_), abi.encode(t));
        (, recorded) = h.observe(t, 0, 9, START); // an earlier block
        assertFalse(recorded);
    }

    function test_nextObservation_isTheMedian() public view {
        assertEq(h.nextObservation(10, 100, 3), 13);
        assertEq(h.nextObservation(10, 11, 3), 11);
        assertEq(h.nextObservation(10, 10, 3), 10);
        assertEq(h.nextObservation(10, 8, 3), 8);
        assertEq(h.nextObservation(10, 0, 3), 7);
        assertEq(h.nextObservation(2, 0, 3), 0);
        assertEq(h.nextObservation(type(uint128).max, type(uint256).max, 3), type(uint128).max);
    }

    // ---- minAttackUpdates ----

    function test_minAttackUpdates_examples() public {
        // Step 1% of price (0.01e18), 12 s blocks, 1-day window: moving the TWAP by 0.05e18 needs
        // k(k+1)/2 >= 0.05 * 86400 / (0.01 * 12) = 36000, so k = 268 (268 * 269 / 2 = 36046; 267 * 268 / 2 = 35778).
        assertEq(h.minAttackUpdates(0.05e18, 0.01e18, 12, 86_400), 268);
        // 1% instead: k(k+1)/2 >= 7200, so k = 120 (120 * 121 / 2 = 7260; 119 * 120 / 2 = 7140).
        assertEq(h.minAttackUpdates(0.01e18, 0.01e18, 12, 86_400), 120);
        assertEq(h.minAttackUpdates(0, 1, 12, 86_400), 0);
        assertEq(h.minAttackUpdates(1, 1, 0, 86_400), type(uint256).max);
        assertEq(h.minAttackUpdates(1, 1, 1, 1), 1);
        assertEq(h.minAttackUpdates(3, 1, 1, 1), 2);
        assertEq(h.minAttackUpdates(4, 1, 1, 1), 3);
        assertGt(h.minAttackUpdates(type(uint128).max, 1, 1, type(uint64).max), 2 ** 96, "no overflow at the extremes");
        vm.expectRevert(TwapOracle.TwapMaxStepZero.selector);
        h.minAttackUpdates(1, 0, 1, 1);
    }
}
