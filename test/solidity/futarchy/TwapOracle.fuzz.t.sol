// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {TwapOracle} from "../../../contracts/futarchy/libraries/TwapOracle.sol";

/// @notice Fuzz tests of TwapOracle on its pure form (`init`, `observe`, `twapAt`; the storage functions are
/// thin wrappers, covered by TwapOracle.t.sol). Prices up to 1e24 WAD, steps from 1 wei to 1e21, up to 40
/// updates per sequence with gaps of 0 to 3 blocks and 0 to 600 seconds.
///
/// The bounds proved (docs/futarchy.md, "Manipulation bound"):
/// (B1) each recorded update moves the observation by at most maxStep, toward the spot, never past it;
/// (B2) the average is within [min, max] of the observations in effect during the counted time;
/// (B3) the update map o -> median(o - m, s, o + m) is non-expansive in o: two oracles fed the same spots
///      never drift apart;
/// (B4) from rest at price p, an attacker choosing the spot at k consecutive recorded updates moves the
///      observation at the i-th by at most i m, so the average over W counted seconds moves by at most
///      m x sum_i min(i, k) x d_i / W, d_i the counted seconds the i-th observation is in effect (after the
///      attack, B3 keeps the gap <= k m); with equal spacing s and the window ending s after the last update,
///      m s k(k+1) / (2 W), reached exactly by an attacker pushing one way;
/// (B5) against an honest oracle fed arbitrary spots, the same with 2m per update (both move).
contract TwapOracleFuzzTest is Test {
    uint64 internal constant START = 1_000;
    uint256 internal constant MAX_PRICE = 1e24;

    struct Run {
        uint64 block_;
        uint64 time;
    }

    function _oracle(uint256 refRaw, uint256 stepRaw, uint256 delayRaw)
        internal
        pure
        returns (TwapOracle.Twap memory t)
    {
        uint128 ref = uint128(bound(refRaw, 1, MAX_PRICE));
        uint128 step = uint128(bound(stepRaw, 1, 1e21));
        uint32 delay = uint32(bound(delayRaw, 0, 3_600));
        t = TwapOracle.init(ref, START, delay, step, 1);
    }

    function _copy(TwapOracle.Twap memory t) internal pure returns (TwapOracle.Twap memory c) {
        c = abi.decode(abi.encode(t), (TwapOracle.Twap));
    }

    function _absDiff(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a - b : b - a;
    }

    /// (B1), and one observation per block: an update in a block already observed changes nothing.
    function testFuzz_observe_movesAtMostOneStepTowardSpot(
        uint256 refRaw,
        uint256 stepRaw,
        uint256 delayRaw,
        uint256 seed,
        uint8 nRaw
    ) public pure {
        TwapOracle.Twap memory t = _oracle(refRaw, stepRaw, delayRaw);
        uint256 n = bound(nRaw, 1, 40);
        Run memory r = Run(1, START);
        for (uint256 i = 0; i < n; ++i) {
            uint256 rnd = uint256(keccak256(abi.encode(seed, i)));
            r.block_ += uint64(rnd % 3); // 0: same block
            r.time += uint64((rnd >> 8) % 600);
            _checkStep(t, (rnd >> 32) % (MAX_PRICE + 1), r);
        }
    }

    /// @dev One `observe` at `r`, checked against (B1) and the one-observation-per-block rule.
    function _checkStep(TwapOracle.Twap memory t, uint256 spot, Run memory r) internal pure {
        TwapOracle.Twap memory before = _copy(t);
        bool recorded = TwapOracle.observe(t, spot, r.block_, r.time);
        if (!recorded) {
            assertEq(abi.encode(t), abi.encode(before), "same block: nothing changes");
            assertLe(r.block_, before.lastBlock);
            return;
        }
        assertGt(r.block_, before.lastBlock);
        assertLe(_absDiff(t.observation, before.observation), t.maxStep, "step cap");
        assertLe(_absDiff(t.observation, spot), _absDiff(before.observation, spot), "toward the spot");
        if (spot >= before.observation) assertLe(t.observation, spot, "never past the spot");
        else assertGe(t.observation, spot, "never past the spot");
        assertGe(t.cumulative, before.cumulative);
    }

    /// (B2): the average lies between the least and greatest observation in effect during counted time.
    function testFuzz_twap_liesWithinObservationsInEffect(
        uint256 refRaw,
        uint256 stepRaw,
        uint256 delayRaw,
        uint256 seed,
        uint8 nRaw,
        uint16 tailRaw
    ) public pure {
        TwapOracle.Twap memory t = _oracle(refRaw, stepRaw, delayRaw);
        uint256 n = bound(nRaw, 0, 40);
        Range memory g = Range(type(uint256).max, 0, Run(1, START));
        for (uint256 i = 0; i < n; ++i) {
            _randomStep(t, g, uint256(keccak256(abi.encode(seed, i))));
        }
        uint64 at = g.r.time + uint64(tailRaw);
        if (at <= t.countFrom) at = t.countFrom + 1;
        uint64 last = t.lastTime > t.countFrom ? t.lastTime : t.countFrom;
        if (at > last) _include(g, t.observation);
        uint256 avg = TwapOracle.twapAt(t, at);
        assertGe(avg, g.lo, "avg >= least observation in effect");
        assertLe(avg, g.hi, "avg <= greatest observation in effect");
    }

    /// @dev The least and greatest observation in effect during counted time so far.
    struct Range {
        uint256 lo;
        uint256 hi;
        Run r;
    }

    function _include(Range memory g, uint256 o) internal pure {
        if (o < g.lo) g.lo = o;
        if (o > g.hi) g.hi = o;
    }

    function _randomStep(TwapOracle.Twap memory t, Range memory g, uint256 rnd) internal pure {
        g.r.block_ += 1 + uint64(rnd % 2);
        g.r.time += uint64((rnd >> 8) % 600);
        uint64 from = t.lastTime > t.countFrom ? t.lastTime : t.countFrom;
        if (g.r.time > from) _include(g, t.observation); // held over (from, time]: counted
        TwapOracle.observe(t, (rnd >> 32) % (MAX_PRICE + 1), g.r.block_, g.r.time);
    }

    /// (B3): feeding two oracles the same spots never increases the gap between their observations.
    function testFuzz_nextObservation_isNonExpansive(uint128 a, uint128 b, uint256 spot, uint128 stepRaw) public pure {
        uint128 step = uint128(bound(stepRaw, 1, type(uint128).max));
        uint128 na = TwapOracle.nextObservation(a, spot, step);
        uint128 nb = TwapOracle.nextObservation(b, spot, step);
        assertLe(_absDiff(na, nb), _absDiff(a, b));
    }

    /// (B4): an attacker starting from rest (observation = honest spot = p) controls k consecutive updates at
    /// arbitrary times and spots; the average at any later time moves by at most m x sum_i min(i, k) d_i / W.
    function testFuzz_attack_fromRestBoundedBySumOfSteps(
        uint256 refRaw,
        uint256 stepRaw,
        uint256 delayRaw,
        uint256 seed,
        uint8 kRaw,
        uint8 afterRaw,
        uint16 tailRaw
    ) public pure {
        TwapOracle.Twap memory t = _oracle(refRaw, stepRaw, delayRaw);
        Attack memory a = Attack(seed, t.observation, 0, bound(kRaw, 1, 30), 0, 0, Run(1, START));
        a.total = a.k + bound(afterRaw, 0, 10); // honest updates (spot p) after the attack
        for (uint256 i = 1; i <= a.total; ++i) {
            _attackStepFromRest(t, a, i);
        }
        uint64 at = a.r.time + uint64(tailRaw);
        if (at <= t.countFrom) at = t.countFrom + 1;
        uint64 last = t.lastTime > t.countFrom ? t.lastTime : t.countFrom;
        if (at > last) a.weighted += a.k * (at - last); // the last observation's gap is <= k m (B3)
        uint256 w = at - t.countFrom;
        uint256 avg = TwapOracle.twapAt(t, at);
        // Exact average within p +- m x weighted / W; ours is its floor.
        assertLe(avg * w, a.p * w + t.maxStep * a.weighted, "upward shift bound");
        assertGe((avg + 1) * w + t.maxStep * a.weighted, a.p * w + 1, "downward shift bound (with the floor)");
    }

    /// @dev An attack's bookkeeping: the observation before update i is within min(i - 1 - pre, k) steps
    /// (times 1 from rest, 2 against an honest path) of the unattacked one; `weighted` sums that factor times
    /// the counted seconds it was in effect.
    struct Attack {
        uint256 seed;
        uint256 p;
        uint256 pre;
        uint256 k;
        uint256 total;
        uint256 weighted;
        Run r;
    }

    function _attackStepFromRest(TwapOracle.Twap memory t, Attack memory a, uint256 i) internal pure {
        uint256 rnd = uint256(keccak256(abi.encode(a.seed, i)));
        a.r.block_ += 1;
        a.r.time += uint64(rnd % 600);
        uint64 from = t.lastTime > t.countFrom ? t.lastTime : t.countFrom;
        if (a.r.time > from) a.weighted += _min(i - 1, a.k) * (a.r.time - from);
        uint256 spot = i <= a.k ? (rnd >> 16) % (MAX_PRICE + 1) : a.p;
        TwapOracle.observe(t, spot, a.r.block_, a.r.time);
        assertLe(_absDiff(t.observation, a.p), _min(i, a.k) * t.maxStep, "observation gap <= min(i, k) m");
    }

    /// (B4) is tight: pushing one way for k updates s seconds apart, with the window [countFrom, countFrom + W)
    /// ending s seconds after the last, moves the average by exactly m s k(k+1) / (2W) (floored), and
    /// `minAttackUpdates` of that shift is at most k, the least count whose bound reaches it.
    function testFuzz_attack_pushingOneWayReachesTheBoundExactly(
        uint256 refRaw,
        uint256 stepRaw,
        uint8 kRaw,
        uint16 sRaw,
        uint16 leadRaw
    ) public pure {
        uint128 step = uint128(bound(stepRaw, 1, 1e21));
        uint128 ref = uint128(bound(refRaw, 1, MAX_PRICE));
        uint256 k = bound(kRaw, 1, 60);
        uint64 s = uint64(bound(sRaw, 1, 600));
        (uint256 avg, uint256 w) = _pushUp(ref, step, k, s, uint64(bound(leadRaw, 0, 3_600)));
        assertEq(avg, (uint256(ref) * w + uint256(step) * s * k * (k + 1) / 2) / w, "exactly the bound");
        _checkMinAttack(avg - ref, step, s, w, k);
    }

    /// @dev From rest at `ref` (delay 0), `lead` honest seconds, then k updates pushing up, s seconds apart;
    /// the average s seconds after the last, and the window.
    function _pushUp(uint128 ref, uint128 step, uint256 k, uint64 s, uint64 lead)
        internal
        pure
        returns (uint256 avg, uint256 w)
    {
        TwapOracle.Twap memory t = TwapOracle.init(ref, START, 0, step, 1);
        uint64 time = START + lead;
        for (uint256 i = 1; i <= k; ++i) {
            TwapOracle.observe(t, type(uint256).max, uint64(1 + i), time); // ref + k step < 2^128 here
            time += s;
        }
        w = time - t.countFrom;
        avg = TwapOracle.twapAt(t, time);
    }

    function _checkMinAttack(uint256 shift, uint128 step, uint64 s, uint256 w, uint256 k) internal pure {
        uint256 least = TwapOracle.minAttackUpdates(uint128(shift), step, s, uint64(w));
        assertLe(least, k, "the attack that reached it is enough");
        assertGe(uint256(step) * s * least * (least + 1) / 2, shift * w, "minAttackUpdates suffices");
        if (least > 0) assertLt(uint256(step) * s * (least - 1) * least / 2, shift * w, "and is least");
    }

    /// (B5): against an honest oracle fed arbitrary spots, an attacker replacing k consecutive spots moves the
    /// average by at most 2m x sum_i min(i, k) d_i / W.
    function testFuzz_attack_againstAnyHonestPathBoundedByTwiceTheSteps(
        uint256 refRaw,
        uint256 stepRaw,
        uint256 delayRaw,
        uint256 seed,
        uint8 beforeRaw,
        uint8 kRaw,
        uint8 afterRaw
    ) public pure {
        TwapOracle.Twap memory honest = _oracle(refRaw, stepRaw, delayRaw);
        TwapOracle.Twap memory attacked = _copy(honest);
        Attack memory a = Attack(seed, 0, bound(beforeRaw, 0, 10), bound(kRaw, 1, 20), 0, 0, Run(1, START));
        a.total = a.pre + a.k + bound(afterRaw, 0, 10);
        for (uint256 i = 1; i <= a.total; ++i) {
            _attackStepAgainstHonest(honest, attacked, a, i);
        }
        uint64 at = a.r.time + 1;
        if (at <= honest.countFrom) at = honest.countFrom + 1;
        uint64 last = honest.lastTime > honest.countFrom ? honest.lastTime : honest.countFrom;
        a.weighted += a.k * (at - last);
        uint256 w = at - honest.countFrom;
        uint256 diff = _absDiff(TwapOracle.twapAt(attacked, at), TwapOracle.twapAt(honest, at));
        // Each floored average is within 1 of its exact value: |a - b| W <= 2 m weighted + W.
        assertLe(diff * w, 2 * honest.maxStep * a.weighted + w);
    }

    function _attackStepAgainstHonest(
        TwapOracle.Twap memory honest,
        TwapOracle.Twap memory attacked,
        Attack memory a,
        uint256 i
    ) internal pure {
        uint256 rnd = uint256(keccak256(abi.encode(a.seed, i)));
        a.r.block_ += 1;
        a.r.time += uint64(rnd % 600);
        uint64 from = honest.lastTime > honest.countFrom ? honest.lastTime : honest.countFrom;
        if (a.r.time > from) a.weighted += (i - 1 > a.pre ? _min(i - 1 - a.pre, a.k) : 0) * (a.r.time - from);
        uint256 spot = (rnd >> 16) % (MAX_PRICE + 1);
        bool attacking = i > a.pre && i <= a.pre + a.k;
        TwapOracle.observe(honest, spot, a.r.block_, a.r.time);
        TwapOracle.observe(attacked, attacking ? (rnd >> 128) % (MAX_PRICE + 1) : spot, a.r.block_, a.r.time);
        uint256 gapBound = 2 * (i > a.pre ? _min(i - a.pre, a.k) : 0) * honest.maxStep;
        assertLe(_absDiff(honest.observation, attacked.observation), gapBound, "gap <= 2m min(i, k)");
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }
}
