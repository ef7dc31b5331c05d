/**
 * BondMath (contracts/registry/BondMath.sol) against an exact bigint reference, through
 * test/mocks/BondMathHarness.sol, with fast-check samples that favour the edges: amounts 0, 1, 2^128 - 1,
 * 2^256 - 1, amounts not divisible by 10_000, bps 0, 1, 9_999 and 10_000, the largest products that still fit.
 *
 * The reference is the documentation: `split` = (floor(a * bps / 1e4), rest), `splitCeil` = (ceil(a * bps / 1e4),
 * rest), `escalatedBond` = min(base * 2^rejected, cap), with `bps <= BPS`. Where the library's checked
 * arithmetic cannot hold an intermediate (a * bps, and a * bps + 1e4 in `splitCeil`, above 2^256 - 1, which no
 * caller reaches: the registry's amounts are < 2^128) the reference expects `Panic(0x11)`; the test asserts the
 * outcome (value or revert, with its decoded arguments) is the same.
 *
 * Found by this test and fixed: for `bps > BPS` both splits used to return a value with the `rest` wrapped below zero
 * (e.g. `split(1, 20_000) = (2, 2^256 - 1)`); they now revert `BondMathBpsTooLarge(bps, BPS)` before any
 * arithmetic. The registry never passed such a rate (its constructor refuses it with `ConfigInvalid`).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import fc from "fast-check";
import { network } from "hardhat";

import { propertyRuns } from "../utils/property-runs.js";
import { ARITHMETIC_PANIC, type Outcome, outcomeOf, returned, reverted } from "../utils/reverts.js";

const BPS = 10_000n;
const MAX_ESCALATIONS = 128;
const MAX_UINT256 = 2n ** 256n - 1n;
const MAX_UINT128 = 2n ** 128n - 1n;
/** Samples per property (x4 in the ci profile); measured to keep the file well under 30 s. */
const RUNS = 200;

type Split = readonly [bigint, bigint];

/** `split`: the share rounds down, the rest takes the dust. */
function refSplit(amount: bigint, bps: bigint): Outcome<Split> {
  if (bps > BPS) return reverted("BondMathBpsTooLarge", bps, BPS);
  const product = amount * bps;
  if (product > MAX_UINT256) return reverted("Panic", ARITHMETIC_PANIC);
  const share = product / BPS;
  return returned([share, amount - share]);
}

/** `splitCeil`: the share rounds up. Solidity evaluates `(amount * bps + BPS) - 1`, each step checked. */
function refSplitCeil(amount: bigint, bps: bigint): Outcome<Split> {
  if (bps > BPS) return reverted("BondMathBpsTooLarge", bps, BPS);
  const product = amount * bps;
  if (product > MAX_UINT256 || product + BPS > MAX_UINT256) return reverted("Panic", ARITHMETIC_PANIC);
  const share = (product + BPS - 1n) / BPS;
  return returned([share, amount - share]);
}

/** `escalatedBond`: the base doubled `rejected` times, capped; exact, however large the doubling. */
function refEscalatedBond(base: bigint, rejected: number, cap: bigint): bigint {
  const bond = base * 2n ** BigInt(rejected);
  return bond > cap ? cap : bond;
}

/** uint256 values weighted toward the edges of each range the library cares about. */
const amount256 = fc.oneof(
  fc.constantFrom(0n, 1n, 9_999n, 10_000n, 10_001n, MAX_UINT128 - 1n, MAX_UINT128, MAX_UINT128 + 1n, MAX_UINT256),
  // Around the largest amount whose product with bps fits, and (for splitCeil) whose product + 1e4 fits.
  fc.tuple(fc.bigInt({ min: 1n, max: BPS }), fc.bigInt({ min: -2n * BPS, max: 2n * BPS })).map(([bps, d]) => {
    const a = MAX_UINT256 / bps + d;
    return a < 0n ? 0n : a > MAX_UINT256 ? MAX_UINT256 : a;
  }),
  fc.bigInt({ min: 0n, max: 10n ** 8n }),
  fc.bigInt({ min: 0n, max: MAX_UINT128 }),
  fc.bigInt({ min: 0n, max: MAX_UINT256 }),
);
const bpsInRange = fc.oneof(fc.constantFrom(0n, 1n, 5_000n, 9_999n, BPS), fc.bigInt({ min: 0n, max: BPS }));
const bpsAboveRange = fc.oneof(fc.constantFrom(BPS + 1n, 2n * BPS, MAX_UINT256), fc.bigInt({ min: BPS + 1n, max: MAX_UINT256 }));
const uint128 = fc.oneof(
  fc.constantFrom(0n, 1n, 2n, 2n ** 64n, 2n ** 127n - 1n, 2n ** 127n, MAX_UINT128 - 1n, MAX_UINT128),
  fc.bigInt({ min: 0n, max: 10n ** 24n }),
  fc.bigInt({ min: 0n, max: MAX_UINT128 }),
);

describe("BondMath against an exact bigint reference", async () => {
  const { viem } = await network.create();
  const harness = await viem.deployContract("BondMathHarness");

  it("exposes the reference's constants", async () => {
    assert.equal(await harness.read.bps(), BPS);
    assert.equal(await harness.read.maxEscalations(), MAX_ESCALATIONS);
  });

  it("split: share = floor(amount * bps / 1e4), rest = amount - share; Panic(0x11) exactly when amount * bps overflows", async () => {
    await fc.assert(
      fc.asyncProperty(amount256, bpsInRange, async (amount, bps) => {
        assert.deepEqual(await outcomeOf(harness.read.split([amount, bps])), refSplit(amount, bps), `split(${amount}, ${bps})`);
      }),
      propertyRuns(RUNS),
    );
  });

  it("splitCeil: share = ceil(amount * bps / 1e4), rest = amount - share; Panic(0x11) exactly when amount * bps + 1e4 overflows", async () => {
    await fc.assert(
      fc.asyncProperty(amount256, bpsInRange, async (amount, bps) => {
        assert.deepEqual(
          await outcomeOf(harness.read.splitCeil([amount, bps])),
          refSplitCeil(amount, bps),
          `splitCeil(${amount}, ${bps})`,
        );
      }),
      propertyRuns(RUNS),
    );
  });

  it("split and splitCeil pin the overflow boundaries and the rounding of non-divisible amounts", async () => {
    const cases: [bigint, bigint][] = [
      [9_999n, 1n], // floor 0, ceil 1
      [10_000n, 1n], // exact: both 1
      [10_001n, 9_999n],
      [MAX_UINT256, 1n], // split fits; splitCeil's + 1e4 overflows
      [MAX_UINT256 - BPS, 1n], // the largest amount splitCeil accepts at 1 bp
      [MAX_UINT256 - BPS + 1n, 1n],
      [MAX_UINT256 / BPS, BPS], // the largest amount split accepts at 100 %
      [MAX_UINT256 / BPS + 1n, BPS],
      [MAX_UINT128, BPS],
      [MAX_UINT128, 0n],
    ];
    for (const [amount, bps] of cases) {
      assert.deepEqual(await outcomeOf(harness.read.split([amount, bps])), refSplit(amount, bps), `split(${amount}, ${bps})`);
      assert.deepEqual(
        await outcomeOf(harness.read.splitCeil([amount, bps])),
        refSplitCeil(amount, bps),
        `splitCeil(${amount}, ${bps})`,
      );
    }
  });

  it("split and splitCeil revert BondMathBpsTooLarge(bps, 1e4) for any bps above the whole, whatever the amount", async () => {
    assert.deepEqual(await outcomeOf(harness.read.split([1n, 2n * BPS])), reverted("BondMathBpsTooLarge", 2n * BPS, BPS));
    assert.deepEqual(await outcomeOf(harness.read.splitCeil([0n, BPS + 1n])), reverted("BondMathBpsTooLarge", BPS + 1n, BPS));
    await fc.assert(
      fc.asyncProperty(amount256, bpsAboveRange, async (amount, bps) => {
        assert.deepEqual(await outcomeOf(harness.read.split([amount, bps])), refSplit(amount, bps), `split(${amount}, ${bps})`);
        assert.deepEqual(
          await outcomeOf(harness.read.splitCeil([amount, bps])),
          refSplitCeil(amount, bps),
          `splitCeil(${amount}, ${bps})`,
        );
      }),
      propertyRuns(RUNS),
    );
  });

  it("escalatedBond = min(base * 2^rejected, cap) for every rejected count 0..255, never reverting", async () => {
    const cap = fc.oneof(
      uint128,
      // Just around base * 2^k, where the cap starts to bind.
      fc.tuple(uint128, fc.nat({ max: 127 }), fc.integer({ min: -2, max: 2 })).map(([b, k, d]) => {
        const c = b * 2n ** BigInt(k) + BigInt(d);
        return c < 0n ? 0n : c > MAX_UINT128 ? MAX_UINT128 : c;
      }),
    );
    await fc.assert(
      fc.asyncProperty(uint128, cap, fc.nat({ max: 255 }), async (base, cap, rejected) => {
        const all = await harness.read.escalatedBondAll([base, cap]);
        all.forEach((bond, r) => assert.equal(bond, refEscalatedBond(base, r, cap), `escalatedBond(${base}, ${r}, ${cap})`));
        const one = await outcomeOf(harness.read.escalatedBond([base, rejected, cap]));
        assert.deepEqual(one, returned(refEscalatedBond(base, rejected, cap)), `escalatedBond(${base}, ${rejected}, ${cap})`);
      }),
      propertyRuns(RUNS / 2), // each sample checks all 256 rejected counts
    );
  });
});
