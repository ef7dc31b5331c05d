/**
 * From the measured runs to the sweep's findings: for every cell (regime, tax, bond, detection, labs) and
 * rivalry weight, the expected utilities of keeping and defecting (solver.ts), whether keeping is every lab's
 * best reply (all-keep is a fixed point), where the best-reply dynamics go from all-defect and from all-keep,
 * and the closed-form prediction; then, per panel (regime, lambda, detection, labs), the bond at which keeping
 * becomes the best reply: on the grid, fitted, and in closed form.
 */
import type { UnitResult } from "./chain.js";
import type { Regime, SweepConfig } from "./config.js";
import { type Dynamics, type ExpectedTable, type MeasuredRun, TIE, bestReplyDynamics, expectedTable, isFixedPoint, symmetricPayoff } from "./solver.js";

export interface Cell {
  regime: Regime;
  labs: number;
  bond: number;
  tax: number;
  detection: number;
  lambda: number;
  /** Expected utility (tokens) of a keeper when everyone keeps, and of a lab that defects alone. */
  keepAll: number;
  defectAlone: number;
  /** keepAll - defectAlone: keeping is every lab's best reply iff it is >= 0 (ties keep). */
  margin: number;
  keepIsBestReply: boolean;
  /** Keeping is a best reply whatever the others do (for every number of other defectors), and defecting is. */
  keepDominates: boolean;
  defectDominates: boolean;
  fromAllDefect: DynamicsSummary;
  fromAllKeep: DynamicsSummary;
  /** The closed form's margin (tokens) and verdict; see `closedFormMargin`. */
  closedFormMargin: number;
  closedFormKeeps: boolean;
  agrees: boolean;
  table: ExpectedTable;
}

export interface DynamicsSummary {
  end: Dynamics["end"];
  keepers: number;
  switches: number;
  cycle?: string[];
}

/** Where keeping becomes every lab's best reply along the bond axis, for one tax in one panel. */
export interface FlipPoint {
  regime: Regime;
  lambda: number;
  detection: number;
  labs: number;
  tax: number;
  /** The smallest grid bond from which keeping is the best reply at every larger grid bond (null: none). */
  gridBond: number | null;
  /** The bond where the measured margin, fitted by least squares as a line in the bond, crosses zero. */
  fittedBond: number | null;
  /** The largest distance (tokens) between a measured margin and the fitted line: the fit's honesty. */
  fitResidual: number;
  /** The closed form's threshold bond (null: no bond suffices, e.g. the voluntary regime). */
  closedFormBond: number | null;
}

export interface Analysis {
  cells: Cell[];
  flips: FlipPoint[];
  /** Per (regime, labs, bond): the on-chain loss of a lone detected defector beyond its bond (its market). */
  marketLoss: { regime: Regime; labs: number; bond: number; tax: number; loss: number }[];
}

const tokens = (v: bigint, decimals = 18) => Number(v) / 10 ** decimals;

const summary = (d: Dynamics): DynamicsSummary => ({
  end: d.end,
  keepers: d.keepers,
  switches: d.switches,
  ...(d.cycle ? { cycle: d.cycle.map((p) => p.map((k) => (k ? "K" : "D")).join("")) } : {}),
});

/**
 * The closed form (docs/mechanism.md, "The regime sweep"): a lab keeps when what it expects to lose by
 * defecting alone covers the taxes it saves, d B f >= t P, with f = 1 in a lone pledge and, in a pact with
 * rivalry lambda, f = 1 + lambda (1 - r) kappa / (N - 1) (the slashed bond less the challenger's reward r, of
 * which the keepers' share kappa goes to the N - 1 rivals and raises their mean). Voluntary: d B = 0.
 */
export function closedFormMargin(regime: Regime, tax: number, bond: number, d: number, n: number, lambda: number, periods: number, rewardShare: number, keeperShare: number): number {
  if (regime === "voluntary") return -tax * periods;
  const f = regime === "pact" ? 1 + (lambda * (1 - rewardShare) * keeperShare) / (n - 1) : 1;
  return d * bond * f - tax * periods;
}

export function analyze(cfg: SweepConfig, results: UnitResult[]): Analysis {
  const cells: Cell[] = [];
  const marketLoss: Analysis["marketLoss"] = [];
  const rewardShare = (results[0]?.challengerRewardBps ?? 2_000) / 10_000;
  const keeperShare = cfg.keeperShareBps / 10_000;
  for (const r of results) {
    const { regime, labs: n } = r.unit;
    // The voluntary regime has no bond: its one unit per lab count stands for every bond of the grid.
    const bonds = regime === "voluntary" ? cfg.bonds : [r.unit.bond];
    for (const tax of r.unit.taxes) {
      const measured: MeasuredRun[] = r.runs
        .filter((x) => x.tax === tax)
        .map((x) => ({ defectors: x.defectors, detected: x.detected, deltas: x.deltas.map((v) => tokens(v)) }));
      if (regime !== "voluntary") {
        const alone = r.runs.find((x) => x.tax === tax && x.defectors === 1 && x.detected === 1)!;
        marketLoss.push({ regime, labs: n, bond: r.unit.bond, tax, loss: -tokens(alone.deltas[0]) - r.unit.bond });
      }
      for (const bond of bonds) {
        for (const detection of cfg.detections) {
          for (const lambda of cfg.lambdas) {
            const table = expectedTable(n, measured, detection, lambda);
            const payoff = symmetricPayoff(table);
            const allKeep = Array<boolean>(n).fill(true);
            const keepAll = table.keep[0];
            const defectAlone = table.defect[1];
            const cf = closedFormMargin(regime, tax, bond, detection, n, lambda, cfg.periods, rewardShare, keeperShare);
            const keepIsBestReply = isFixedPoint(payoff, allKeep);
            cells.push({
              regime,
              labs: n,
              bond,
              tax,
              detection,
              lambda,
              keepAll,
              defectAlone,
              margin: keepAll - defectAlone,
              keepIsBestReply,
              keepDominates: table.keep.every((k, D) => k >= table.defect[D + 1] - TIE),
              defectDominates: table.keep.every((k, D) => table.defect[D + 1] > k + TIE),
              fromAllDefect: summary(bestReplyDynamics(payoff, Array<boolean>(n).fill(false))),
              fromAllKeep: summary(bestReplyDynamics(payoff, allKeep)),
              closedFormMargin: cf,
              closedFormKeeps: cf >= -TIE,
              agrees: keepIsBestReply === cf >= -TIE,
              table,
            });
          }
        }
      }
    }
  }
  return { cells, flips: flipPoints(cfg, cells, rewardShare, keeperShare), marketLoss };
}

function flipPoints(cfg: SweepConfig, cells: Cell[], rewardShare: number, keeperShare: number): FlipPoint[] {
  const flips: FlipPoint[] = [];
  for (const regime of cfg.regimes) {
    for (const lambda of cfg.lambdas) {
      for (const detection of cfg.detections) {
        for (const labs of cfg.labs) {
          for (const tax of cfg.taxes) {
            const row = cells
              .filter((c) => c.regime === regime && c.lambda === lambda && c.detection === detection && c.labs === labs && c.tax === tax)
              .sort((a, b) => a.bond - b.bond);
            if (row.length === 0) continue;
            let gridBond: number | null = null;
            for (let i = row.length - 1; i >= 0 && row[i].keepIsBestReply; i--) gridBond = row[i].bond;
            const fit = fitLine(row.map((c) => c.bond), row.map((c) => c.margin));
            const fittedBond = fit.slope > TIE ? -fit.intercept / fit.slope : null;
            const cfSlope = closedFormMargin(regime, 0, 1, detection, labs, lambda, cfg.periods, rewardShare, keeperShare);
            flips.push({
              regime,
              lambda,
              detection,
              labs,
              tax,
              gridBond,
              fittedBond: fittedBond !== null && fittedBond > 0 ? fittedBond : fittedBond === null ? null : 0,
              fitResidual: fit.residual,
              closedFormBond: cfSlope > 0 ? (tax * cfg.periods) / cfSlope : null,
            });
          }
        }
      }
    }
  }
  return flips;
}

/** Least-squares line through (x, y), and the largest distance of a point from it. */
export function fitLine(xs: number[], ys: number[]): { slope: number; intercept: number; residual: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  const residual = Math.max(0, ...xs.map((x, i) => Math.abs(ys[i] - (intercept + slope * x))));
  return { slope, intercept, residual };
}
