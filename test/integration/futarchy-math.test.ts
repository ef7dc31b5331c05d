/**
 * The futarchy math libraries against exact bigint references, through test/mocks/CpmmMathHarness.sol and
 * test/mocks/TwapOracleHarness.sol, with fast-check samples favouring the edges (0, 1, 2^128 - 1, 2^128, fees 0,
 * 1_000 and 1_001 bps, same-block updates, time before `start`, the `countFrom` second).
 *
 * The references are the documentation:
 * - CpmmMath: amountOut = floor(a r_out / (r_in BPS + a)) with a = in (BPS - fee); amountIn =
 *   ceil(r_in BPS out / ((r_out - out)(BPS - fee))); spotPrice = floor(r_quote 1e18 / r_metric); initialShares =
 *   floor(sqrt(x y)) > 1000; depositFor = ceil(shares r / supply); withdrawFor = floor(shares r / supply); every
 *   input in [0, 2^128 - 1], fee <= 1_000; the same custom error, with the same arguments, in the same order.
 * - TwapOracle: a sequence of updates replayed in one call (`simulate`) against a step-by-step model (one
 *   observation per block, the median step, time counted from `start + delay` with the previous observation),
 *   the final state, which updates recorded, and `twapAt` floored, or the same revert.
 * - minAttackUpdates: the least k with maxStep interval k(k+1)/2 >= shift window, found by a linear search.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";

import fc from "fast-check";
import { network } from "hardhat";

import { propertyRuns } from "../utils/property-runs.js";
import { type Outcome, outcomeOf, returned, reverted } from "../utils/reverts.js";

const BPS = 10_000n;
const MAX_FEE_BPS = 1_000n;
const MAX = 2n ** 128n - 1n;
const MAX_U64 = 2n ** 64n - 1n;
const WAD = 10n ** 18n;
const MINIMUM_SHARES = 1_000n;
/** Samples per property (x4 with a fixed seed in the ci profile): a few seconds each on a 2-core machine. */
const runs = propertyRuns(150);

// ---------------------------------------------------------------- CpmmMath reference

function checkReserves(a: bigint, b: bigint): Outcome<never> | null {
  if (a === 0n || b === 0n) return reverted("CpmmReserveZero", a, b);
  if (a > MAX) return reverted("CpmmAmountTooLarge", a, MAX);
  if (b > MAX) return reverted("CpmmAmountTooLarge", b, MAX);
  return null;
}
const checkFee = (fee: bigint) => (fee > MAX_FEE_BPS ? reverted<never>("CpmmFeeTooLarge", fee, MAX_FEE_BPS) : null);
const checkAmount = (x: bigint) => (x > MAX ? reverted<never>("CpmmAmountTooLarge", x, MAX) : null);
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

function refAmountOut(rIn: bigint, rOut: bigint, amountIn: bigint, fee: bigint): Outcome<bigint> {
  const bad = checkReserves(rIn, rOut) ?? checkFee(fee) ?? checkAmount(amountIn);
  if (bad) return bad;
  const a = amountIn * (BPS - fee);
  return returned((a * rOut) / (rIn * BPS + a));
}

function refAmountIn(rIn: bigint, rOut: bigint, out: bigint, fee: bigint): Outcome<bigint> {
  const bad = checkReserves(rIn, rOut) ?? checkFee(fee);
  if (bad) return bad;
  if (out >= rOut) return reverted("CpmmOutputTooLarge", out, rOut);
  if (out === 0n) return returned(0n);
  return returned(ceilDiv(rIn * BPS * out, (rOut - out) * (BPS - fee)));
}

function refSpotPrice(rMetric: bigint, rQuote: bigint): Outcome<bigint> {
  return checkReserves(rMetric, rQuote) ?? returned((rQuote * WAD) / rMetric);
}

/** floor(sqrt(n)), by Newton's iteration from above. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}

function refInitialShares(a: bigint, b: bigint): Outcome<bigint> {
  const bad = checkAmount(a) ?? checkAmount(b);
  if (bad) return bad;
  const s = isqrt(a * b);
  return s <= MINIMUM_SHARES ? reverted("CpmmInitialSharesTooFew", s, MINIMUM_SHARES) : returned(s);
}

function refDepositFor(shares: bigint, rA: bigint, rB: bigint, supply: bigint): Outcome<readonly [bigint, bigint]> {
  const bad = checkReserves(rA, rB) ?? checkAmount(shares) ?? checkAmount(supply);
  if (bad) return bad;
  if (supply === 0n) return reverted("CpmmSharesExceedSupply", shares, supply);
  return returned([ceilDiv(shares * rA, supply), ceilDiv(shares * rB, supply)] as const);
}

function refWithdrawFor(shares: bigint, rA: bigint, rB: bigint, supply: bigint): Outcome<readonly [bigint, bigint]> {
  const bad = checkReserves(rA, rB) ?? checkAmount(supply);
  if (bad) return bad;
  if (shares > supply || supply === 0n) return reverted("CpmmSharesExceedSupply", shares, supply);
  return returned([(shares * rA) / supply, (shares * rB) / supply] as const);
}

// ---------------------------------------------------------------- TwapOracle reference

interface Twap {
  observation: bigint;
  lastBlock: bigint;
  lastTime: bigint;
  maxStep: bigint;
  start: bigint;
  countFrom: bigint;
  cumulative: bigint;
}

function refInit(ref: bigint, start: bigint, delay: bigint, maxStep: bigint, blockNumber: bigint): Outcome<Twap> {
  if (ref === 0n) return reverted("TwapReferencePriceZero");
  if (maxStep === 0n) return reverted("TwapMaxStepZero");
  if (start + delay > MAX_U64) return reverted("TwapCountFromOverflow", start, Number(delay));
  return returned({
    observation: ref,
    lastBlock: blockNumber,
    lastTime: start,
    maxStep,
    start,
    countFrom: start + delay,
    cumulative: 0n,
  });
}

function refNext(o: bigint, spot: bigint, m: bigint): bigint {
  if (spot >= o) {
    const up = o + m < spot ? o + m : spot;
    return up > MAX ? MAX : up;
  }
  return o - spot <= m ? spot : o - m;
}

/** One update on a copy; the outcome is the new state and whether it recorded, or the revert. */
function refObserve(t: Twap, spot: bigint, blockNumber: bigint, time: bigint): Outcome<[Twap, boolean]> {
  if (t.maxStep === 0n) return reverted("TwapNotInitialized");
  if (blockNumber <= t.lastBlock) return returned([t, false]);
  if (time < t.start) return reverted("TwapNotStarted", time, t.start);
  if (time < t.lastTime) return reverted("TwapTimeBeforeLastUpdate", time, t.lastTime);
  const from = t.lastTime > t.countFrom ? t.lastTime : t.countFrom;
  const cumulative = time > from ? t.cumulative + t.observation * (time - from) : t.cumulative;
  return returned([
    { ...t, cumulative, observation: refNext(t.observation, spot, t.maxStep), lastBlock: blockNumber, lastTime: time },
    true,
  ]);
}

function refTwapAt(t: Twap, time: bigint): Outcome<bigint> {
  if (t.maxStep === 0n) return reverted("TwapNotInitialized");
  if (time <= t.countFrom) return reverted("TwapNoCountedTime", time, t.countFrom);
  if (time < t.lastTime) return reverted("TwapTimeBeforeLastUpdate", time, t.lastTime);
  const from = t.lastTime > t.countFrom ? t.lastTime : t.countFrom;
  return returned((t.cumulative + t.observation * (time - from)) / (time - t.countFrom));
}

function refMinAttackUpdates(shift: bigint, maxStep: bigint, interval: bigint, window: bigint): Outcome<bigint> {
  if (maxStep === 0n) return reverted("TwapMaxStepZero");
  if (shift === 0n) return returned(0n);
  if (interval === 0n) return returned(2n ** 256n - 1n);
  // Least k with maxStep interval k(k+1)/2 >= shift window: start from the float estimate, then walk.
  const need = shift * window;
  const per = maxStep * interval;
  const ok = (k: bigint) => (per * k * (k + 1n)) / 2n >= need;
  let k = isqrt((2n * need) / per);
  while (k > 0n && ok(k - 1n)) k -= 1n;
  while (!ok(k)) k += 1n;
  return returned(k);
}

// ---------------------------------------------------------------- generators

/** uint256 values weighted toward the library's edges. */
const amount = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(0n, 1n, 2n, 1_000n, MAX - 1n, MAX, MAX + 1n) },
  { weight: 3, arbitrary: fc.bigInt({ min: 1n, max: 10n ** 30n }) },
  { weight: 2, arbitrary: fc.bigInt({ min: 1n, max: MAX }) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 200n }) },
);
/** An edge value one time in six, else a typical one (so most sequences get past the parameter checks). */
function edgeOr<T>(edge: fc.Arbitrary<T>, typical: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ weight: 1, arbitrary: edge }, { weight: 5, arbitrary: typical });
}
const fee = fc.oneof(fc.constantFrom(0n, 30n, 999n, 1_000n, 1_001n, 10_000n), fc.bigInt({ min: 0n, max: 1_200n }));

describe("futarchy math (CpmmMath, TwapOracle) against bigint references", async () => {
  const { viem } = await network.create();
  const cpmm = await viem.deployContract("CpmmMathHarness");
  const twap = await viem.deployContract("TwapOracleHarness");
  /** Replayed sequences that returned a value (not a revert), and their recorded updates: printed, and asserted. */
  const seen = { sequences: 0, returned: 0, recorded: 0 };

  after(() => {
    console.log(
      `  twap sequences: ${seen.returned} of ${seen.sequences} returned a value, ${seen.recorded} updates recorded`,
    );
  });

  it("CpmmMath.amountOut, amountIn and spotPrice equal the reference, value or revert", async () => {
    await fc.assert(
      fc.asyncProperty(amount, amount, amount, fee, async (rIn, rOut, x, f) => {
        assert.deepEqual(await outcomeOf(cpmm.read.amountOut([rIn, rOut, x, f])), refAmountOut(rIn, rOut, x, f));
        // An output below the reserve most of the time: x modulo the reserve.
        const out = rOut > 0n && x > rOut ? x % rOut : x;
        assert.deepEqual(await outcomeOf(cpmm.read.amountIn([rIn, rOut, out, f])), refAmountIn(rIn, rOut, out, f));
        assert.deepEqual(await outcomeOf(cpmm.read.spotPrice([rIn, rOut])), refSpotPrice(rIn, rOut));
      }),
      runs,
    );
  });

  it("CpmmMath.initialShares, depositFor and withdrawFor equal the reference, value or revert", async () => {
    await fc.assert(
      fc.asyncProperty(amount, amount, amount, amount, async (a, b, shares, supply) => {
        assert.deepEqual(await outcomeOf(cpmm.read.initialShares([a, b])), refInitialShares(a, b));
        const s = supply > 0n && shares > supply ? shares % (supply + 1n) : shares;
        assert.deepEqual(await outcomeOf(cpmm.read.depositFor([s, a, b, supply])), refDepositFor(s, a, b, supply));
        assert.deepEqual(await outcomeOf(cpmm.read.withdrawFor([s, a, b, supply])), refWithdrawFor(s, a, b, supply));
      }),
      runs,
    );
  });

  const step = fc.record({
    spot: fc.oneof(fc.constantFrom(0n, 2n ** 256n - 1n), fc.bigInt({ min: 0n, max: 10n ** 22n })),
    blocks: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 3n })),
    seconds: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 600n })),
    backwards: fc.oneof({ weight: 40, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  });

  it("TwapOracle: a replayed sequence of updates and the average equal the step-by-step model", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          ref: edgeOr(fc.constantFrom(0n, 1n, MAX), fc.bigInt({ min: 1n, max: 10n ** 22n })),
          maxStep: edgeOr(fc.constantFrom(0n, 1n, MAX), fc.bigInt({ min: 1n, max: 10n ** 21n })),
          start: edgeOr(fc.constantFrom(0n, MAX_U64 - 10n), fc.bigInt({ min: 0n, max: 10n ** 9n })),
          delay: edgeOr(fc.constantFrom(0n, 1n, 2n ** 32n - 1n), fc.bigInt({ min: 0n, max: 3_600n })),
          steps: fc.array(step, { maxLength: 30, size: "medium" }),
          tail: fc.bigInt({ min: -2n, max: 4_000n }),
          lead: edgeOr(fc.bigInt({ min: -3n, max: -1n }), fc.bigInt({ min: 0n, max: 100n })),
        }),
        async ({ ref, maxStep, start, delay, steps, tail, lead }) => {
          const initial = refInit(ref, start, delay, maxStep, 1n);
          const chainInit = await outcomeOf(twap.read.init([ref, start, Number(delay), maxStep, 1n]));
          assert.deepEqual(chainInit, initial);
          if (!initial.ok) return;
          // Times from start + lead (a negative lead tests updates before start), never below 0 or above 2^64 - 1.
          let block = 1n;
          let time = start + lead < 0n ? 0n : start + lead;
          const spots: bigint[] = [];
          const blocks: bigint[] = [];
          const times: bigint[] = [];
          for (const s of steps) {
            block += s.blocks;
            time = s.backwards && time > 0n ? time - 1n : time + s.seconds;
            if (time > MAX_U64) time = MAX_U64;
            spots.push(s.spot);
            blocks.push(block);
            times.push(time);
          }
          let at = time + tail;
          if (at < 0n) at = 0n;
          if (at > MAX_U64) at = MAX_U64;
          // The model, step by step.
          let t = initial.value;
          const recorded: boolean[] = [];
          let expected: Outcome<unknown> | null = null;
          for (let i = 0; i < spots.length && expected === null; i++) {
            const r = refObserve(t, spots[i], blocks[i], times[i]);
            if (!r.ok) expected = r;
            else {
              [t, recorded[i]] = r.value;
            }
          }
          if (expected === null) {
            const avg = refTwapAt(t, at);
            expected = avg.ok ? returned([t, recorded, avg.value]) : avg;
          }
          const ours = await outcomeOf(twap.read.simulate([initial.value, spots, blocks, times, at]));
          assert.deepEqual(ours, expected);
          seen.sequences += 1;
          if (expected.ok) {
            seen.returned += 1;
            seen.recorded += recorded.filter((r) => r).length;
          }
        },
      ),
      runs,
    );
    // The generators must exercise the value path, not only reverts.
    assert.ok(seen.returned * 2 >= seen.sequences, `only ${seen.returned} of ${seen.sequences} returned a value`);
    assert.ok(seen.recorded >= 2 * seen.returned, `only ${seen.recorded} updates recorded`);
  });

  it("TwapOracle.update gas per transaction (printed for docs/futarchy.md): one block each", async () => {
    const oracle = await viem.deployContract("TwapOracleHarness");
    const publicClient = await viem.getPublicClient();
    const { timestamp } = await publicClient.getBlock();
    await oracle.write.initialize([2n * WAD, timestamp, 0, WAD / 100n]);
    const gas: bigint[] = [];
    for (const spot of [3n * WAD, 3n * WAD, WAD]) {
      const hash = await oracle.write.update([spot]);
      gas.push((await publicClient.waitForTransactionReceipt({ hash })).gasUsed);
    }
    const t = await oracle.read.oracle();
    assert.equal(t.observation, 2n * WAD + WAD / 100n, "up one step, up one step, down one");
    console.log(`  TwapOracle.update through the harness, gasUsed per transaction: ${gas.join(", ")}`);
  });

  it("TwapOracle.nextObservation is the clipped median and minAttackUpdates the least k", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(0n, MAX), fc.bigInt({ min: 0n, max: MAX })),
        fc.oneof(fc.constantFrom(0n, 2n ** 256n - 1n), fc.bigInt({ min: 0n, max: 2n ** 130n })),
        fc.oneof(fc.constantFrom(0n, 1n, MAX), fc.bigInt({ min: 1n, max: 10n ** 21n })),
        fc.oneof(fc.constantFrom(0n, 1n), fc.bigInt({ min: 0n, max: 10n ** 20n })),
        fc.oneof(fc.constantFrom(0n, 1n, MAX_U64), fc.bigInt({ min: 1n, max: 600n })),
        fc.oneof(fc.constantFrom(0n, 1n, MAX_U64), fc.bigInt({ min: 1n, max: 10n ** 6n })),
        async (o, spot, m, shift, interval, window) => {
          if (m > 0n) assert.equal(await twap.read.nextObservation([o, spot, m]), refNext(o, spot, m));
          const s = shift > MAX ? MAX : shift;
          assert.deepEqual(
            await outcomeOf(twap.read.minAttackUpdates([s, m, interval, window])),
            refMinAttackUpdates(s, m, interval, window),
          );
        },
      ),
      runs,
    );
  });
});
