/**
 * The agents' decision rules. They are pure functions of the agent's parameters, what it can see
 * (prices read from chain, the period) and a seeded generator: the engine feeds them and turns their
 * decisions into transactions. The labs' alignment tax and private gain are off-chain bookkeeping:
 * no contract knows what keeping a pledge costs a lab or what breaking it earns.
 */
import type { Rng } from "./rng.js";

/** A lab: pays an alignment tax each period it keeps its pledges; defecting earns a private gain. */
export interface Lab {
  name: string;
  /** Alignment tax of the first period (token units, off-chain). */
  tax0: number;
  /** Private gain of defecting in the first period (token units, off-chain); grows with the pressure. */
  gain0: number;
  /**
   * How much the lab discounts the chance of being caught, 0..1: 0 sees the watchers as they are,
   * 0.9 believes it is caught 10 times less often than it is.
   */
  overconfidence: number;
}

/** What a lab weighs before deciding, each period it is still keeping its pledges. */
export interface LabView {
  period: number;
  periods: number;
  /** Competitive pressure multiplier of this period: (1 + growth)^period. */
  pressure: number;
  /** Probability that at least one watcher detects a breach in a period (true value). */
  detectPerPeriod: number;
  /** What the lab loses per pledge if caught: the bond plus the dispute bond (token units); tax and gain are per pledge too. */
  atStake: number;
}

/** The tax a lab pays this period to keep its pledges (off-chain). */
export function alignmentTax(lab: Lab, v: Pick<LabView, "pressure">): number {
  return lab.tax0 * v.pressure;
}

/** The lab's private gain if it defects this period (off-chain). */
export function privateGain(lab: Lab, v: Pick<LabView, "pressure">): number {
  return lab.gain0 * v.pressure;
}

/**
 * Defect when the gain plus the taxes no longer paid exceed the penalty the lab expects: the chance it
 * believes it is caught before the term ends, times what it has at stake.
 */
export function decideDefect(lab: Lab, v: LabView): boolean {
  const remaining = v.periods - v.period;
  const caught = 1 - Math.pow(1 - v.detectPerPeriod, remaining);
  const believed = caught * (1 - lab.overconfidence);
  const taxesSaved = lab.tax0 * v.pressure * remaining;
  return privateGain(lab, v) + taxesSaved > believed * v.atStake;
}

/** A watcher: detects a breach with probability `detect` per period, then challenges. */
export interface Watcher {
  name: string;
  detect: number;
}

export function detects(w: Watcher, rng: Rng): boolean {
  return rng.chance(w.detect);
}

/** A trader with noisy beliefs: it trades when its belief and the price differ by more than `edge`. */
export interface Trader {
  name: string;
  /** Standard deviation of the noise on its belief, in log-odds. */
  noise: number;
  /** Probability per period of learning that a lab has defected (before any challenge). */
  insight: number;
  /** Smallest gap between belief and price it trades on. */
  edge: number;
  /** Shares bought per unit of gap (token units); a trade is at most `maxShares`. */
  sharesPerGap: number;
  maxShares: number;
}

/**
 * The trader's belief that a pledge is (or will be) breached: 0.97 when it knows of a defection,
 * otherwise the public prior; both blurred with noise in log-odds.
 */
export function belief(t: Trader, knowsDefection: boolean, prior: number, rng: Rng): number {
  const base = knowsDefection ? 0.97 : prior;
  const logit = Math.log(base / (1 - base)) + t.noise * rng.normal();
  return 1 / (1 + Math.exp(-logit));
}

export type Order = { side: "BREACH" | "HONOR"; shares: number } | null;

/** Buy BREACH when the belief is above the price by more than the edge, HONOR when below. */
export function decideTrade(t: Trader, beliefBreach: number, priceBreach: number): Order {
  const gap = beliefBreach - priceBreach;
  if (Math.abs(gap) < t.edge) return null;
  const shares = Math.min(t.maxShares, Math.max(1, Math.round(Math.abs(gap) * t.sharesPerGap)));
  return { side: gap > 0 ? "BREACH" : "HONOR", shares };
}
