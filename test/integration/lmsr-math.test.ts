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
 * The test also prints the largest errors it saw, which is how the constants below were measured.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";

import { Decimal } from "decimal.js";
import fc from "fast-check";
import { network } from "hardhat";

const D = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_EVEN });
const WAD = 10n ** 18n;
/** Cost error, in units of b * 1e-18 (asserted); the measured maximum is printed at the end. */
const COST_LN_WEI = 20n;
/** Price error in wei of WAD (asserted). */
const PRICE_WEI = 20n;
const RUNS = Number(process.env.LMSR_RUNS ?? 150);

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
      { numRuns: RUNS },
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
      { numRuns: RUNS },
    );
  });
});
