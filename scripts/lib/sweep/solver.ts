/**
 * Best replies, as pure functions over payoffs: no chain here. The payoffs come from the on-chain runs
 * (chain.ts); `symmetricPayoffs` turns a unit's measured outcomes into expected utilities for a detection
 * probability and a rivalry weight, and `bestReplyDynamics` lets the labs switch, one at a time in index
 * order, to their best reply until nobody switches (a fixed point) or a profile comes back (a cycle).
 */

/** A profile: `true` where the lab keeps its pledge. */
export type Profile = readonly boolean[];

/** Lab `lab`'s expected utility at `profile`. */
export type Payoff = (lab: number, profile: Profile) => number;

/** Utilities closer than this (in tokens) are a tie: a lab facing a tie keeps its current choice. */
export const TIE = 1e-9;

export interface Dynamics {
  start: Profile;
  end: "fixed-point" | "cycle";
  /** The fixed point reached, or the profile at which the cycle closed. */
  profile: Profile;
  keepers: number;
  /** The profiles of the cycle, in order (each after one lab's switch), when `end` is "cycle". */
  cycle?: Profile[];
  /** Switches made. */
  switches: number;
}

const key = (p: Profile) => p.map((k) => (k ? "K" : "D")).join("");
const withChoice = (p: Profile, i: number, keep: boolean) => p.map((x, j) => (j === i ? keep : x));

/** Lab i's best reply to the others' choices in `p`: keep, defect, or its current choice on a tie. */
export function bestReply(payoff: Payoff, p: Profile, i: number): boolean {
  const keep = payoff(i, withChoice(p, i, true));
  const defect = payoff(i, withChoice(p, i, false));
  if (Math.abs(keep - defect) <= TIE) return p[i];
  return keep > defect;
}

/** Whether no lab gains by switching alone at `p`. */
export function isFixedPoint(payoff: Payoff, p: Profile): boolean {
  return p.every((choice, i) => bestReply(payoff, p, i) === choice);
}

/**
 * Sequential best-reply dynamics from `start`: labs 0, 1, ..., n - 1, 0, ... each switch to their best reply.
 * Stops at a fixed point (a full pass without a switch) or when a state (profile, next lab to move) repeats:
 * from then on the dynamics would repeat forever, so the profiles visited since that state are the cycle.
 */
export function bestReplyDynamics(payoff: Payoff, start: Profile): Dynamics {
  const n = start.length;
  let p: Profile = [...start];
  const seen = new Map<string, number>();
  const trail: Profile[] = [];
  let switches = 0;
  let quiet = 0;
  for (let i = 0; ; i = (i + 1) % n) {
    const state = `${key(p)}@${i}`;
    const at = seen.get(state);
    if (at !== undefined) {
      // The states since that one, without the steps where the lab to move stayed put.
      const cycle = trail.slice(at).filter((q, j, all) => j === 0 || key(q) !== key(all[j - 1]));
      return { start, end: "cycle", profile: p, keepers: count(p), cycle, switches };
    }
    seen.set(state, trail.length);
    trail.push(p);
    const reply = bestReply(payoff, p, i);
    if (reply !== p[i]) {
      p = withChoice(p, i, reply);
      switches++;
      quiet = 0;
    } else if (++quiet >= n) {
      return { start, end: "fixed-point", profile: p, keepers: count(p), switches };
    }
  }
}

const count = (p: Profile) => p.filter(Boolean).length;

/**
 * What one on-chain run measured: the first `detected` labs defected and were caught, the next
 * `defectors - detected` defected unseen, the rest kept. `deltas[i]`: lab i's change in bond tokens (as a
 * number of whole tokens, for the averages only; the exact amounts are in the report).
 */
export interface MeasuredRun {
  defectors: number;
  detected: number;
  deltas: number[];
}

/** Probability of k successes in n draws of probability p. */
export function binomial(n: number, k: number, p: number): number {
  let c = 1;
  for (let j = 1; j <= k; j++) c = (c * (n - k + j)) / j;
  return c * Math.pow(p, k) * Math.pow(1 - p, n - k);
}

/**
 * A lab's utility in one run: its change minus `lambda` times its rivals' mean change, averaged over the labs
 * of the run with that role (by symmetry they should be equal; averaging keeps a rounding difference honest).
 */
function roleUtility(run: MeasuredRun, from: number, to: number, lambda: number): number {
  const n = run.deltas.length;
  const total = run.deltas.reduce((s, x) => s + x, 0);
  let sum = 0;
  for (let i = from; i < to; i++) sum += run.deltas[i] - (lambda * (total - run.deltas[i])) / (n - 1);
  return sum / (to - from);
}

/** Expected utilities by profile size: `keep[D]` for a keeper among D defectors (D < n), `defect[D]` for a defector among D (D >= 1). */
export interface ExpectedTable {
  keep: number[];
  defect: number[];
}

/**
 * The expectation over detection: each of D defectors is caught with probability d, independently, so the
 * number caught is Binomial(D, d) and a given defector is among the k caught with probability k / D. The chain
 * computed each outcome; these are only the weights.
 */
export function expectedTable(n: number, runs: MeasuredRun[], d: number, lambda: number): ExpectedTable {
  const at = (D: number, k: number) => {
    const r = runs.find((x) => x.defectors === D && x.detected === k);
    if (!r) throw new Error(`no measured run with ${D} defectors, ${k} detected`);
    return r;
  };
  const keep: number[] = [];
  const defect: number[] = [NaN];
  for (let D = 0; D <= n; D++) {
    let ek = 0;
    let ed = 0;
    for (let k = 0; k <= D; k++) {
      const w = binomial(D, k, d);
      if (w === 0) continue;
      const r = at(D, k);
      if (D < n) ek += w * roleUtility(r, D, n, lambda);
      if (D > 0) {
        const caught = k > 0 ? roleUtility(r, 0, k, lambda) : 0;
        const unseen = k < D ? roleUtility(r, k, D, lambda) : 0;
        ed += w * ((k / D) * caught + (1 - k / D) * unseen);
      }
    }
    if (D < n) keep.push(ek);
    if (D > 0) defect.push(ed);
  }
  return { keep, defect };
}

/** The symmetric game of an expected table: a lab's payoff depends on its choice and how many others defect. */
export function symmetricPayoff(t: ExpectedTable): Payoff {
  return (i, p) => {
    const defectors = p.filter((k) => !k).length;
    return p[i] ? t.keep[defectors] : t.defect[defectors];
  };
}
