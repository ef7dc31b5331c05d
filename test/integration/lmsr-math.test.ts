/**
 * LmsrMath (contracts/markets/LmsrMath.sol) against a 50-significant-digit decimal.js reference, with
 * fast-check generating markets (b from 1 wei to 1e30 wei, 2 to 8 outcomes, quantities up to 60 b).
 *
 * Asserted error bound (docs/markets.md, "LMSR math"), with `errorAllowance(b) = ceil(64 b / 1e18) + 4`:
 * - cost:   |ours - exact| <= ceil(b * COST_LN_WEI / 1e18) + 1 wei;
 * - prices: |ours - exact * 1e18| <= PRICE_WEI wei for every outcome (the last one, which takes the
 *           rounding surplus so that prices sum to exactly 1e18, within PRICE_WEI + 7);
 * - buyCost >= exact increase and sellReturn <= exact decrease, always; each within
 *   `errorAllowance(b)` plus the cost error of both ends of the exact value.
 * - price(i) equals prices()[i] except for the last outcome (which takes at most n - 1 wei of surplus), within PRICE_WEI;
 * - errorAllowance(b) equals `ceil(64 b / 1e18) + 4` exactly (Solady's MulDivFailed exactly when 64 b overflows);
 * - subsidy(b, n) equals `ceil(b * lnWad(n) / 1e18) + errorAllowance(b)` exactly, with lnWad(n) within 1 wei of
 *   exact, and is never below the exact `b ln(n)`;
 * - every function reverts exactly where a reference of the documented domain says (b in (0, 2^128 - 1], 2 to 8
 *   outcomes, each q_i and q_i + amount <= 2^128 - 1, i < n, a sale at most q_i), with the same custom error and
 *   arguments, and never on valid inputs, including the extremes; zero trades return 0.
 * The test also prints the largest errors it saw, which is how the constants below were measured.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";

import { Decimal } from "decimal.js";
import fc from "fast-check";
import { network } from "hardhat";
import { parseAbi } from "viem";

import { propertyRuns } from "../utils/property-runs.js";
import { ARITHMETIC_PANIC, type Outcome, outcomeOf, returned, reverted } from "../utils/reverts.js";

const D = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_EVEN });
const WAD = 10n ** 18n;
/** Cost error, in units of b * 1e-18 (asserted); the measured maximum is printed at the end. */
const COST_LN_WEI = 20n;
/** Price error in wei of WAD (asserted). */
const PRICE_WEI = 20n;
/**
 * Samples per property: LMSR_RUNS if set, else 80 (60 for the properties with several calls per sample), x4 with a
 * fixed seed in the ci profile (test/utils/property-runs.ts): under ~30 s per profile on a 2-core machine.
 */
const RUNS = 80;
const runsOf = (n: number) =>
  process.env.LMSR_RUNS === undefined ? propertyRuns(n) : { numRuns: Number(process.env.LMSR_RUNS) };
const runs = runsOf(RUNS);
/** For the properties that make several calls per sample (price, the validation of every function). */
const fewerRuns = runsOf(60);
const MAX_QUANTITY = 2n ** 128n - 1n;
const MAX_UINT256 = 2n ** 256n - 1n;
/** `LmsrMath.ALLOWANCE_LN_WEI` and `ALLOWANCE_WEI`. */
const ALLOWANCE_LN_WEI = 64n;
const ALLOWANCE_WEI = 4n;
/** Solady's FixedPointMathLib.mulDivUp reverts with this (from assembly, so it is not in the harness's ABI). */
const SOLADY_ERRORS = parseAbi(["error MulDivFailed()"]);

/** `errorAllowance(b) = ceil(b * 64 / 1e18) + 4`, exact; `mulDivUp` reverts when `b * 64` overflows. */
function refErrorAllowance(b: bigint): Outcome<bigint> {
  if (b * ALLOWANCE_LN_WEI > MAX_UINT256) return reverted("MulDivFailed");
  return returned((b * ALLOWANCE_LN_WEI + WAD - 1n) / WAD + ALLOWANCE_WEI);
}

/**
 * Which custom error, if any, the library raises for (q, b, i, amount), its checks in order: liquidity, outcome
 * count, each quantity, then the outcome index, then the trade (buyCost: `q_i + amount`, checked arithmetic;
 * sellReturn: `amount <= q_i`). `null`: the inputs are in the documented domain and the call must not revert.
 */
function refValidation(
  fn: "cost" | "prices" | "price" | "buyCost" | "sellReturn",
  q: readonly bigint[],
  b: bigint,
  i: bigint,
  amount: bigint,
): Outcome<never> | null {
  if (b === 0n || b > MAX_QUANTITY) return reverted("LmsrLiquidityOutOfRange", b, MAX_QUANTITY);
  const n = BigInt(q.length);
  if (n < 2n || n > 8n) return reverted("LmsrOutcomeCountOutOfRange", n, 2n, 8n);
  const j = q.findIndex((x) => x > MAX_QUANTITY);
  if (j >= 0) return reverted("LmsrQuantityTooLarge", BigInt(j), q[j], MAX_QUANTITY);
  if (fn === "cost" || fn === "prices") return null;
  if (i >= n) return reverted("LmsrOutcomeOutOfRange", i, n);
  const qi = q[Number(i)];
  if (fn === "buyCost" && amount !== 0n) {
    if (qi + amount > MAX_UINT256) return reverted("Panic", ARITHMETIC_PANIC);
    if (qi + amount > MAX_QUANTITY) return reverted("LmsrQuantityTooLarge", i, qi + amount, MAX_QUANTITY);
  }
  if (fn === "sellReturn" && amount > qi) return reverted("LmsrSellExceedsOutstanding", i, amount, qi);
  return null;
}


function exactCost(q: readonly bigint[], b: bigint): Decimal {
  const bd = new D(b.toString());
  const qMax = q.reduce((m, x) => (x > m ? x : m), 0n);
  let sum = new D(0);
  for (const x of q) sum = sum.plus(D.exp(new D((x - qMax).toString()).div(bd)));
  return new D(qMax.toString()).plus(bd.times(D.ln(sum)));
}

function exactPrices(q: readonly bigint[], b: bigint): Decimal[] {
  const bd = new D(b.toString());
  const qMax = q.reduce((m, x) => (x > m ? x : m), 0n);
  const e = q.map((x) => D.exp(new D((x - qMax).toString()).div(bd)));
  const sum = e.reduce((s, x) => s.plus(x), new D(0));
  return e.map((x) => x.div(sum).times(WAD.toString()));
}

function absDiff(ours: bigint, exact: Decimal): Decimal {
  return new D(ours.toString()).minus(exact).abs();
}

/** b spread over 30 orders of magnitude: mantissa * 10^exponent. */
const liquidity = fc
  .tuple(fc.bigInt({ min: 1n, max: 999n }), fc.integer({ min: 0, max: 28 }))
  .map(([m, e]) => m * 10n ** BigInt(e));

const market = liquidity.chain((b) =>
  fc.record({
    b: fc.constant(b),
    q: fc.array(fc.bigInt({ min: 0n, max: 60n * b }), { minLength: 2, maxLength: 8 }),
    i: fc.nat({ max: 7 }),
    amount: fc.bigInt({ min: 1n, max: 20n * b }),
  }),
);

describe("LmsrMath against a decimal.js reference", async () => {
  const { viem } = await network.create();
  const harness = await viem.deployContract("LmsrMathHarness");
  const worst = { costLnWei: new D(0), costWei: new D(0), priceWei: new D(0), diffLnWei: new D(0) };

  after(() => {
    console.log(
      `  measured: cost error <= ${worst.costLnWei.toSignificantDigits(3)} * b/1e18 (largest in wei: ` +
        `${worst.costWei.toSignificantDigits(3)}), price error <= ${worst.priceWei.toSignificantDigits(3)} wei; ` +
        `cost difference (buyCost/sellReturn before the allowance) error <= 2 wei + ` +
        `${worst.diffLnWei.toSignificantDigits(3)} * b/1e18 (allowance: 4 wei + 64 * b/1e18)`,
    );
  });

  it("cost and prices are within the documented bound; prices sum to exactly 1e18", async () => {
    await fc.assert(
      fc.asyncProperty(market, async ({ b, q }) => {
        const ours = await harness.read.cost([q, b]);
        const exact = exactCost(q, b);
        const err = absDiff(ours, exact);
        // err <= b * COST_LN_WEI / 1e18 + 1; record the part above 1 wei relative to b.
        const lnWei = D.max(err.minus(1), 0).times(WAD.toString()).div(b.toString());
        if (lnWei.gt(worst.costLnWei)) worst.costLnWei = lnWei;
        if (err.gt(worst.costWei)) worst.costWei = err;
        assert.ok(lnWei.lte(COST_LN_WEI.toString()), `cost error ${err} wei for b=${b} q=${q}`);

        const ps = await harness.read.prices([q, b]);
        const ex = exactPrices(q, b);
        assert.equal(
          ps.reduce((s, p) => s + p, 0n),
          WAD,
        );
        ps.forEach((p, j) => {
          const e = absDiff(p, ex[j]);
          if (j < ps.length - 1 && e.gt(worst.priceWei)) worst.priceWei = e;
          const bound = PRICE_WEI + (j === ps.length - 1 ? 7n : 0n);
          assert.ok(e.lte(bound.toString()), `price ${j} error ${e} wei for b=${b} q=${q}`);
        });
      }),
      runs,
    );
  });

  it("buyCost >= the exact increase and sellReturn <= the exact decrease, within the allowance", async () => {
    await fc.assert(
      fc.asyncProperty(market, async ({ b, q, i: iRaw, amount }) => {
        const i = iRaw % q.length;
        const allowance = await harness.read.errorAllowance([b]);
        const costSlack = new D(((b * COST_LN_WEI + WAD - 1n) / WAD + 1n).toString()).times(2);
        const c0 = exactCost(q, b);

        const up = q.map((x, j) => (j === i ? x + amount : x));
        const exactBuy = exactCost(up, b).minus(c0);
        const buy = await harness.read.buyCost([q, b, BigInt(i), amount]);
        const over = new D(buy.toString()).minus(exactBuy);
        assert.ok(over.gte(0), `buyCost ${buy} below exact ${exactBuy} (b=${b} q=${q} i=${i} a=${amount})`);
        assert.ok(over.lte(costSlack.plus(allowance.toString())), `buyCost ${buy} too far above ${exactBuy}`);
        // The error of the computed difference (buyCost less the allowance), beyond 2 wei, relative to b.
        const buyErr = over.minus(allowance.toString()).abs();
        const buyLn = D.max(buyErr.minus(2), 0).times(WAD.toString()).div(b.toString());
        if (buy > allowance && buyLn.gt(worst.diffLnWei)) worst.diffLnWei = buyLn;

        const sold = q[i] === 0n ? 0n : (amount % q[i]) + 1n;
        const down = q.map((x, j) => (j === i ? x - sold : x));
        const exactSell = c0.minus(exactCost(down, b));
        const sell = await harness.read.sellReturn([q, b, BigInt(i), sold]);
        const under = exactSell.minus(sell.toString());
        assert.ok(under.gte(0), `sellReturn ${sell} above exact ${exactSell} (b=${b} q=${q} i=${i} a=${sold})`);
        // Floored at 0: when the exact decrease is below the allowance the shortfall is the decrease itself.
        assert.ok(under.lte(costSlack.plus(allowance.toString())), `sellReturn ${sell} too far below ${exactSell}`);
        const sellErr = under.minus(allowance.toString()).abs();
        const sellLn = D.max(sellErr.minus(2), 0).times(WAD.toString()).div(b.toString());
        if (sell > 0n && sellLn.gt(worst.diffLnWei)) worst.diffLnWei = sellLn;
      }),
      runs,
    );
  });
  it("price(i) is prices()[i] for every outcome but the last, which takes at most n - 1 wei of surplus", async () => {
    await fc.assert(
      fc.asyncProperty(market, async ({ b, q, i: iRaw }) => {
        const n = q.length;
        const ps = await harness.read.prices([q, b]);
        const ex = exactPrices(q, b);
        for (const i of new Set([iRaw % n, n - 1])) {
          const p = await harness.read.price([q, b, BigInt(i)]);
          if (i < n - 1) assert.equal(p, ps[i], `price(${i}) vs prices()[${i}] for b=${b} q=${q}`);
          else assert.ok(ps[i] >= p && ps[i] - p <= BigInt(n - 1), `last price ${p} vs ${ps[i]} for b=${b} q=${q}`);
          assert.ok(absDiff(p, ex[i]).lte(PRICE_WEI.toString()), `price(${i}) = ${p}, exact ${ex[i]} (b=${b} q=${q})`);
          assert.ok(p <= WAD);
        }
      }),
      fewerRuns,
    );
  });

  it("errorAllowance(b) = ceil(b * 64 / 1e18) + 4 exactly, reverting MulDivFailed exactly when b * 64 overflows", async () => {
    const b = fc.oneof(
      fc.constantFrom(0n, 1n, WAD / 64n, WAD / 64n + 1n, WAD, MAX_QUANTITY, MAX_UINT256 / 64n, MAX_UINT256 / 64n + 1n, MAX_UINT256),
      liquidity,
      fc.bigInt({ min: 0n, max: MAX_UINT256 }),
    );
    await fc.assert(
      fc.asyncProperty(b, async (b) => {
        assert.deepEqual(await outcomeOf(harness.read.errorAllowance([b]), SOLADY_ERRORS), refErrorAllowance(b), `b=${b}`);
      }),
      runs,
    );
  });

  it("subsidy(b, n) = ceil(b * lnWad(n) / 1e18) + errorAllowance(b), never below the exact b * ln(n)", async () => {
    // lnWad(n * 1e18) for n = 2..8, read back as subsidy(1e18, n) less the allowance: each within 1 wei of exact.
    const lnWad = new Map<number, bigint>();
    for (let n = 2; n <= 8; ++n) {
      const l = (await harness.read.subsidy([WAD, BigInt(n)])) - (await harness.read.errorAllowance([WAD]));
      const exact = D.ln(n).times(WAD.toString());
      assert.ok(absDiff(l, exact).lte(1), `lnWad(${n}e18) = ${l}, exact ${exact.toFixed(3)}`);
      lnWad.set(n, l);
    }
    const b = fc.oneof(fc.constantFrom(1n, 2n, WAD - 1n, WAD, MAX_QUANTITY - 1n, MAX_QUANTITY), liquidity);
    await fc.assert(
      fc.asyncProperty(b, fc.integer({ min: 2, max: 8 }), async (b, n) => {
        const ours = await harness.read.subsidy([b, BigInt(n)]);
        const allowance = refErrorAllowance(b);
        assert.ok(allowance.ok);
        assert.equal(ours, (b * lnWad.get(n)! + WAD - 1n) / WAD + allowance.value, `subsidy(${b}, ${n})`);
        const exact = new D(b.toString()).times(D.ln(n));
        const above = new D(ours.toString()).minus(exact);
        assert.ok(above.gte(0), `subsidy(${b}, ${n}) = ${ours} below the exact ${exact}`);
        // At most the allowance plus lnWad's 1 wei (times b / 1e18) plus the ceiling's 1 wei.
        assert.ok(above.lte(new D(allowance.value.toString()).plus(new D(b.toString()).div(WAD.toString())).plus(1)));
      }),
      runs,
    );
  });

  it("every function reverts exactly where the reference's validation says, with the same error and arguments", async () => {
    const quantity = fc.oneof(
      { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 24n }) },
      { weight: 2, arbitrary: fc.constantFrom(0n, 1n, MAX_QUANTITY - 1n, MAX_QUANTITY) },
      { weight: 1, arbitrary: fc.constantFrom(MAX_QUANTITY + 1n, MAX_UINT256) },
    );
    const big = fc.oneof(
      { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 24n }) },
      { weight: 1, arbitrary: fc.constantFrom(0n, 1n, MAX_QUANTITY, MAX_QUANTITY + 1n, MAX_UINT256) },
      { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: MAX_UINT256 }) },
    );
    const b = fc.oneof({ weight: 4, arbitrary: liquidity }, { weight: 1, arbitrary: fc.constantFrom(0n, MAX_QUANTITY, MAX_QUANTITY + 1n, MAX_UINT256) });
    const outcome = fc.oneof({ weight: 6, arbitrary: fc.bigInt({ min: 0n, max: 9n }) }, { weight: 1, arbitrary: big });
    const q = fc.oneof({ weight: 6, arbitrary: fc.array(quantity, { minLength: 2, maxLength: 8 }) }, { weight: 1, arbitrary: fc.array(quantity, { maxLength: 10 }) });
    await fc.assert(
      fc.asyncProperty(q, b, outcome, big, async (q, b, i, amount) => {
        const calls = {
          cost: () => harness.read.cost([q, b]),
          prices: () => harness.read.prices([q, b]),
          price: () => harness.read.price([q, b, i]),
          buyCost: () => harness.read.buyCost([q, b, i, amount]),
          sellReturn: () => harness.read.sellReturn([q, b, i, amount]),
        } as const;
        for (const [fn, call] of Object.entries(calls) as [keyof typeof calls, () => Promise<unknown>][]) {
          const got = await outcomeOf(call(), SOLADY_ERRORS);
          const want = refValidation(fn, q, b, i, amount);
          const what = `${fn}(q=[${q}], b=${b}, i=${i}, amount=${amount})`;
          if (want === null) {
            assert.ok(got.ok, `${what} reverted ${got.ok ? "" : got.error} on valid inputs`);
            if ((fn === "buyCost" || fn === "sellReturn") && amount === 0n) assert.deepEqual(got, returned(0n), what);
          } else {
            assert.deepEqual(got, want, what);
          }
        }
      }),
      fewerRuns,
    );
  });

  it("subsidy reverts exactly for b outside (0, 2^128 - 1] or n outside [2, 8]", async () => {
    const b = fc.oneof(liquidity, fc.constantFrom(0n, 1n, MAX_QUANTITY, MAX_QUANTITY + 1n, MAX_UINT256));
    const n = fc.oneof(fc.bigInt({ min: 0n, max: 10n }), fc.constantFrom(MAX_UINT256, 2n ** 64n));
    await fc.assert(
      fc.asyncProperty(b, n, async (b, n) => {
        const got = await outcomeOf(harness.read.subsidy([b, n]), SOLADY_ERRORS);
        if (b === 0n || b > MAX_QUANTITY) assert.deepEqual(got, reverted("LmsrLiquidityOutOfRange", b, MAX_QUANTITY));
        else if (n < 2n || n > 8n) assert.deepEqual(got, reverted("LmsrOutcomeCountOutOfRange", n, 2n, 8n));
        else assert.ok(got.ok, `subsidy(${b}, ${n}) reverted`);
      }),
      runs,
    );
  });
});
