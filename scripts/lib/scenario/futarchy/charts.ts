/**
 * The futarchy reports' charts: Vega-Lite specifications of data read from the chain, rendered to SVG headless
 * (scripts/lib/scenario/charts.ts `renderSvg`).
 */
import type { TopLevelSpec } from "vega-lite";

import type { BreachAttackResult } from "./breach-attack.js";
import type { DecisionRunResult } from "./decision.js";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const FONT = { config: { font: "Helvetica, Arial, sans-serif", view: { stroke: "transparent" } } } as const;
const tokens = (v: bigint) => Number(v) / 1e18;

/** Each branch's spot and TWAP over the window's blocks, with the TWAP's start and (if any) the attack's. */
export function branchSpec(r: DecisionRunResult, opts: { fromBlock?: number } = {}): TopLevelSpec {
  const from = opts.fromBlock ?? 0;
  const values = r.series
    .filter((p) => p.block >= from)
    .map((p) => ({ block: p.block, value: p.value, line: `${p.branch} ${p.series}`, branch: p.branch, kind: p.series }));
  const risk = r.metric === "risk";
  const marks: { block: number; label: string }[] = [];
  if (r.window.countFromBlock >= from) marks.push({ block: r.window.countFromBlock, label: "TWAP counts from here" });
  if (r.attack && r.attack.firstBlock >= 0) marks.push({ block: r.attack.firstBlock, label: `attack: last ${r.attack.sustain} blocks` });
  const decided = `${r.passed ? "PASS" : "FAIL"}: ${risk ? "P(breach)" : "TWAP"} PASS ${(Number(r.passValue) / 1e18).toFixed(4)} vs FAIL ${(Number(r.failValue) / 1e18).toFixed(4)}`;
  return {
    $schema: SCHEMA,
    title: {
      text: r.title,
      subtitle: `${risk ? "P(breach | branch) from the pools' BREACH/HONOR odds" : "LAB price in mUSD"}, spot and TWAP per block (12 s); decision ${decided}`,
    },
    width: 620,
    height: 260,
    layer: [
      {
        data: { values },
        mark: { type: "line", interpolate: "step-after", strokeWidth: 1.5 },
        encoding: {
          x: { field: "block", type: "quantitative", title: "block since the proposal" },
          y: { field: "value", type: "quantitative", title: risk ? "P(breach)" : "mUSD per LAB", scale: { zero: false } },
          color: { field: "branch", type: "nominal", scale: { domain: ["PASS", "FAIL"], range: ["#2a9d4b", "#c0392b"] }, title: null },
          strokeDash: { field: "kind", type: "nominal", scale: { domain: ["spot", "TWAP"], range: [[2, 2], [1, 0]] }, title: null },
        },
      },
      ...(marks.length
        ? [
            {
              data: { values: marks },
              layer: [
                { mark: { type: "rule" as const, strokeDash: [4, 4], color: "#555" }, encoding: { x: { field: "block", type: "quantitative" as const } } },
                {
                  mark: { type: "text" as const, align: "left" as const, dx: 4, dy: 8, color: "#555", baseline: "top" as const },
                  encoding: { x: { field: "block", type: "quantitative" as const }, y: { value: 0 }, text: { field: "label" } },
                },
              ],
            },
          ]
        : []),
    ],
    ...FONT,
  } as TopLevelSpec;
}

/** Profit and loss per actor and run (mUSD, LAB marked at its value under the decided branch). */
export function releasePnlSpec(runs: DecisionRunResult[]): TopLevelSpec {
  const values = runs.flatMap((r) =>
    r.actors.filter((a) => a.role !== "burn" && a.role !== "keeper").map((a) => ({ run: r.name, actor: a.actor, value: tokens(a.value) })),
  );
  return {
    $schema: SCHEMA,
    title: { text: "Profit and loss per actor, per run", subtitle: "mUSD from token balances on chain; LAB changes marked at LAB's value under the decided branch" },
    data: { values },
    facet: { row: { field: "run", type: "nominal", title: null, sort: runs.map((r) => r.name) } },
    spec: {
      width: 520,
      height: { step: 16 },
      mark: "bar",
      encoding: {
        y: { field: "actor", type: "nominal", title: null, sort: null, axis: { labelLimit: 300 } },
        x: { field: "value", type: "quantitative", title: "mUSD" },
        color: { condition: { test: "datum.value < 0", value: "#c0392b" }, value: "#2a9d4b" },
      },
    },
    resolve: { scale: { y: "independent" } },
    ...FONT,
  } as TopLevelSpec;
}

export interface SweepPoint {
  seed: number;
  kind: string;
  sustain: number;
  attacker: number;
  defenders: number;
  lp: number;
  flipped: boolean;
}

/** Attacker's and defenders' profit and loss against the blocks sustained, each seed a point. */
export function sweepSpec(points: SweepPoint[]): TopLevelSpec {
  const values = points.flatMap((p) => [
    { sustain: p.sustain, who: "attacker", value: p.attacker, seed: p.seed, flipped: p.flipped ? "decision flipped" : "decision unchanged" },
    { sustain: p.sustain, who: "defenders (sum)", value: p.defenders, seed: p.seed, flipped: p.flipped ? "decision flipped" : "decision unchanged" },
    { sustain: p.sustain, who: "lab as LP", value: p.lp, seed: p.seed, flipped: p.flipped ? "decision flipped" : "decision unchanged" },
  ]);
  return {
    $schema: SCHEMA,
    title: { text: "Decision attack: who profits, by blocks sustained", subtitle: "mUSD (LAB marked at its value under the decided branch); one point per seed, the line the mean" },
    width: 560,
    height: 280,
    data: { values },
    layer: [
      {
        mark: { type: "line" },
        encoding: {
          x: { field: "sustain", type: "quantitative", title: "blocks the attacker sustained its push (k)", scale: { type: "sqrt" } },
          y: { aggregate: "mean", field: "value", type: "quantitative", title: "profit and loss (mUSD)" },
          color: { field: "who", type: "nominal", title: null, scale: { range: ["#c0392b", "#2a9d4b", "#4c78a8"] } },
        },
      },
      {
        mark: { type: "point", filled: true, size: 50 },
        encoding: {
          x: { field: "sustain", type: "quantitative" },
          y: { field: "value", type: "quantitative" },
          color: { field: "who", type: "nominal" },
          shape: { field: "flipped", type: "nominal", title: null, scale: { domain: ["decision unchanged", "decision flipped"], range: ["circle", "triangle-up"] } },
        },
      },
    ],
    ...FONT,
  } as TopLevelSpec;
}

/** The breach market's BREACH price per round, per attack length (one seed). */
export function breachPriceSpec(runs: BreachAttackResult[]): TopLevelSpec {
  const values = runs.flatMap((r) => r.prices.map((p) => ({ round: p.round, price: p.price, run: r.sustain === 0 ? "no attack" : `attack, ${r.sustain} rounds` })));
  return {
    $schema: SCHEMA,
    title: {
      text: `Breach-market attack (seed ${runs[0]?.seed}): BREACH price per round`,
      subtitle: `read from the LMSR maker; true P(breach) ${runs[0]?.truth}, attacker's target ${runs[0]?.target}`,
    },
    width: 560,
    height: 240,
    data: { values },
    mark: { type: "line", interpolate: "step-after" },
    encoding: {
      x: { field: "round", type: "quantitative", title: "round (each defender's trade and the attacker's re-push is a block)" },
      y: { field: "price", type: "quantitative", title: "P(breach)", axis: { format: "%" } },
      color: { field: "run", type: "nominal", title: null },
    },
    ...FONT,
  } as TopLevelSpec;
}
