/**
 * The futarchy agents' decision rules: pure functions of what an agent believes and what it reads from the chain
 * (a pool's reserves, a market's price). The engine turns their orders into transactions; sizing an order by a
 * formula is the agent's choice, every result is read back from the chain.
 */
import { WAD } from "../../markets.js";
import type { Rng } from "../rng.js";

const BPS = 10_000n;

/** Integer square root (floor). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new Error("isqrt of a negative number");
  if (n < 2n) return n;
  // Newton from above: a float estimate rounded up (it may be off by far more than 1 for large n), then
  // x <- (x + n / x) / 2 decreases monotonically to floor(sqrt(n)).
  let x = BigInt(Math.ceil(Math.sqrt(Number(n)) * (1 + 1e-12))) + 1n;
  for (;;) {
    const y = (x + n / x) / 2n;
    if (y >= x) return x;
    x = y;
  }
}

/** A constant-product pool as read from the chain: metric and quote reserves, fee in basis points. */
export interface PoolReserves {
  reserveMetric: bigint;
  reserveQuote: bigint;
  feeBps: number;
}

export const spotOf = (p: PoolReserves) => (p.reserveQuote * WAD) / p.reserveMetric;

/**
 * The swap that moves the pool's spot (quote per metric, WAD) to `target`: buy metric with quote when the target
 * is above the spot, sell metric when below. Sized on the constant product (`x y = k`), the fee added on the
 * input; null when the spot is there already.
 */
export function swapToward(p: PoolReserves, target: bigint): { metricIn: boolean; amountIn: bigint } | null {
  const k = p.reserveMetric * p.reserveQuote;
  const spot = spotOf(p);
  const gross = (net: bigint) => (net * BPS) / (BPS - BigInt(p.feeBps)) + 1n;
  if (target > spot) {
    const quoteAfter = isqrt((k * target) / WAD);
    if (quoteAfter <= p.reserveQuote) return null;
    return { metricIn: false, amountIn: gross(quoteAfter - p.reserveQuote) };
  }
  if (target < spot && target > 0n) {
    const metricAfter = isqrt((k * WAD) / target);
    if (metricAfter <= p.reserveMetric) return null;
    return { metricIn: true, amountIn: gross(metricAfter - p.reserveMetric) };
  }
  return null;
}

/** A price or probability as a WAD bigint. */
export const toWad = (x: number) => BigInt(Math.round(x * 1e9)) * 10n ** 9n;
export const fromWad = (x: bigint) => Number(x) / 1e18;

/** The odds `p / (1 - p)` of a breach probability, as a Risk pool prices it (HONOR per BREACH). */
export const oddsOf = (p: number) => p / (1 - p);
export const probabilityOfOdds = (odds: number) => odds / (1 + odds);

/**
 * A trader with private views of the decision's branches: the value of the metric under PASS and under FAIL (a
 * price in quote per metric, or a breach probability for the Risk metric). Each look, it trades a pool when the
 * pool's price departs from its view by more than `edge` (relative), toward its view, by at most `maxIn` of the
 * input side per trade.
 */
export interface BranchTrader {
  name: string;
  view: { pass: number; fail: number };
  edge: number;
  /** Chance it looks at the pools in a given step. */
  activity: number;
}

/**
 * A trader's views: the truth of each branch blurred by noise of standard deviation `noise` (log-normal for a
 * price, in log-odds for a probability). The noise is mostly common to both branches (a trader who values the lab
 * high values it high either way); a quarter of it is its own per branch, so views of the difference between the
 * branches are sharper than views of the level.
 */
export function drawViews(truth: { pass: number; fail: number }, noise: number, rng: Rng, probability: boolean) {
  const common = noise * rng.normal();
  const own = () => (noise / 4) * rng.normal();
  const blur = (x: number, e: number) => {
    if (!probability) return x * Math.exp(e);
    const logit = Math.log(x / (1 - x)) + e;
    return 1 / (1 + Math.exp(-logit));
  };
  return { pass: blur(truth.pass, common + own()), fail: blur(truth.fail, common + own()) };
}

/** The pool price a view means: the price itself, or the odds of a probability. */
export const priceOfView = (view: number, probability: boolean) => toWad(probability ? oddsOf(view) : view);

/** Whether the pool's spot departs from `target` by more than `edge` (relative). */
export function departs(spot: bigint, target: bigint, edge: number): boolean {
  const s = fromWad(spot);
  const t = fromWad(target);
  return Math.abs(s / t - 1) > edge;
}

/** LMSR: shares of one outcome of a binary market that move the BREACH price from `from` to `to`. */
export function lmsrSharesToward(b: number, from: number, to: number): { outcome: "BREACH" | "HONOR"; shares: number } | null {
  const logit = (p: number) => Math.log(p / (1 - p));
  const d = logit(to) - logit(from);
  if (Math.abs(d) < 1e-9) return null;
  return { outcome: d > 0 ? "BREACH" : "HONOR", shares: Math.abs(d) * b };
}
