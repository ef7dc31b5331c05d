/**
 * The sweep's charts, as Vega-Lite specifications rendered to SVG headless by the scenarios' `renderSvg`:
 * per regime and rivalry weight a heat map of "keeping is every lab's best reply" over tax x bond (one panel per
 * detection probability and number of labs) with the measured flip line and the closed-form line; and the bond
 * a pact needs per member relative to a lone pledge.
 */
import type { TopLevelSpec } from "vega-lite";

import { renderSvg } from "../scenario/charts.js";
import type { Analysis } from "./analysis.js";
import type { Regime, SweepConfig } from "./config.js";

const FONT = { config: { font: "Helvetica, Arial, sans-serif", view: { stroke: "#ccc" } } } as const;

/** Cell edges along an axis: midpoints between grid values (geometric on a log axis), half a step beyond the ends. */
function edges(values: number[], log: boolean): Map<number, [number, number]> {
  const v = [...values].sort((a, b) => a - b);
  const mid = (a: number, b: number) => (log ? Math.sqrt(a * b) : (a + b) / 2);
  const out = new Map<number, [number, number]>();
  v.forEach((x, i) => {
    const lo = i > 0 ? mid(v[i - 1], x) : v.length > 1 ? (log ? (x * x) / mid(x, v[1]) : x - (mid(x, v[1]) - x)) : log ? x / 1.5 : x * 0.75;
    const hi = i < v.length - 1 ? mid(x, v[i + 1]) : v.length > 1 ? (log ? (x * x) / mid(v[i - 1], x) : x + (x - mid(v[i - 1], x))) : log ? x * 1.5 : x * 1.25;
    out.set(x, [lo, hi]);
  });
  return out;
}

export const lambdaName = (lambda: number) => (lambda === 0 ? "absolute" : lambda === 1 ? "relative" : `lambda ${lambda}`);

export function heatmapSpec(cfg: SweepConfig, a: Analysis, regime: Regime, lambda: number): TopLevelSpec {
  const xs = edges(cfg.taxes, false);
  const ys = edges(cfg.bonds, true);
  const [xmin, xmax] = [xs.get(cfg.taxes[0])![0], xs.get(cfg.taxes[cfg.taxes.length - 1])![1]];
  const [ymin, ymax] = [ys.get(cfg.bonds[0])![0], ys.get(cfg.bonds[cfg.bonds.length - 1])![1]];
  const panel = (c: { detection: number; labs: number }) => ({ d: `d = ${c.detection}`, N: `${c.labs} labs` });
  const cells = a.cells
    .filter((c) => c.regime === regime && c.lambda === lambda)
    .map((c) => ({
      kind: "cell",
      ...panel(c),
      x: xs.get(c.tax)![0],
      x2: xs.get(c.tax)![1],
      y: ys.get(c.bond)![0],
      y2: ys.get(c.bond)![1],
      tx: c.tax,
      by: c.bond,
      verdict: c.keepIsBestReply ? "keeping is every lab's best reply" : "a lab gains by defecting",
      label: c.fromAllDefect.end === "cycle" ? "cycle" : `${c.fromAllDefect.keepers}/${c.labs}`,
      disagrees: c.agrees ? "" : "*",
    }));
  const flips = a.flips.filter((f) => f.regime === regime && f.lambda === lambda);
  const measured = flips
    .filter((f) => f.fittedBond !== null && f.fittedBond >= ymin && f.fittedBond <= ymax)
    .map((f) => ({ kind: "measured", ...panel(f), tax: f.tax, bond: f.fittedBond, line: "measured flip (fitted)" }));
  // The closed-form line B = t P / (d f): straight in t, drawn from samples (the bond axis is logarithmic).
  const closed = flips.flatMap((f) => {
    if (f.closedFormBond === null || f.tax === 0) return [];
    const perTax = f.closedFormBond / f.tax;
    if (f.tax !== cfg.taxes[0]) return [];
    return Array.from({ length: 41 }, (_, i) => xmin + ((xmax - xmin) * i) / 40)
      .map((t) => ({ kind: "closed", ...panel(f), tax: t, bond: perTax * t, line: "closed form d B f = t P" }))
      .filter((p) => p.bond >= ymin && p.bond <= ymax);
  });
  const xScale = { domain: [xmin, xmax], nice: false, zero: false };
  const yScale = { type: "log" as const, domain: [ymin, ymax], nice: false };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `${regime}: is keeping the pledge every lab's best reply? (${lambdaName(lambda)} payoffs)`,
      subtitle: [
        "Each cell: expected utilities from on-chain runs; label: keepers at the fixed point reached from all-defect (* = the closed form disagrees).",
        "Solid line: closed form; dashed: where the measured margin crosses zero (fitted in the bond).",
      ],
    },
    data: { values: [...cells, ...measured, ...closed] },
    facet: {
      row: { field: "N", type: "nominal", title: null, sort: cfg.labs.map((n) => `${n} labs`) },
      column: { field: "d", type: "nominal", title: "detection probability", sort: cfg.detections.map((d) => `d = ${d}`) },
    },
    spec: {
      width: 170,
      height: 150,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'cell'" }],
          mark: { type: "rect", stroke: "white", strokeWidth: 0.5 },
          encoding: {
            x: { field: "x", type: "quantitative", scale: xScale, title: "alignment tax per period", axis: { values: cfg.taxes } },
            x2: { field: "x2" },
            y: { field: "y", type: "quantitative", scale: yScale, title: "bond per lab", axis: { values: cfg.bonds } },
            y2: { field: "y2" },
            color: {
              field: "verdict",
              type: "nominal",
              title: null,
              scale: { domain: ["keeping is every lab's best reply", "a lab gains by defecting"], range: ["#7fbf7b", "#e7a3a3"] },
              legend: { orient: "bottom", labelLimit: 400 },
            },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'cell'" }, { calculate: "datum.label + datum.disagrees", as: "text" }],
          mark: { type: "text", fontSize: 9, color: "#333" },
          encoding: {
            x: { field: "tx", type: "quantitative", scale: xScale },
            y: { field: "by", type: "quantitative", scale: yScale },
            text: { field: "text" },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'closed'" }],
          mark: { type: "line", color: "black", strokeWidth: 1.5, clip: true },
          encoding: {
            x: { field: "tax", type: "quantitative", scale: xScale },
            y: { field: "bond", type: "quantitative", scale: yScale },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'measured'" }],
          mark: { type: "line", color: "#1f4e9c", strokeDash: [5, 3], strokeWidth: 2, point: true, clip: true },
          encoding: {
            x: { field: "tax", type: "quantitative", scale: xScale },
            y: { field: "bond", type: "quantitative", scale: yScale },
          },
        },
      ],
    },
    resolve: { scale: { x: "shared", y: "shared" } },
    ...FONT,
  } as TopLevelSpec;
}

/**
 * The bond a pact needs per member for keeping to be every lab's best reply, over the bond a lone pledge
 * needs (both fitted from the measured margins), per tax and detection probability; the closed form's ratio
 * 1 / f as a rule per rivalry weight.
 */
export function pactRatioSpec(cfg: SweepConfig, a: Analysis, predicted: (lambda: number, labs: number) => number): TopLevelSpec {
  const values: Record<string, unknown>[] = [];
  for (const f of a.flips.filter((x) => x.regime === "pact")) {
    const lone = a.flips.find((x) => x.regime === "bonded" && x.lambda === f.lambda && x.detection === f.detection && x.labs === f.labs && x.tax === f.tax);
    if (!lone || f.fittedBond === null || lone.fittedBond === null || lone.fittedBond <= 0) continue;
    values.push({ kind: "measured", N: `${f.labs} labs`, payoffs: lambdaName(f.lambda), tax: f.tax, d: String(f.detection), ratio: f.fittedBond / lone.fittedBond });
  }
  for (const labs of cfg.labs) for (const lambda of cfg.lambdas) values.push({ kind: "closed", N: `${labs} labs`, payoffs: lambdaName(lambda), ratio: 1 / predicted(lambda, labs) });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Bond a pact needs per member, relative to a lone pledge",
      subtitle: [
        "Points: measured (each fitted where the on-chain margin crosses zero; detection probabilities that coincide overlap);",
        "dashed rules: the closed form 1 / (1 + lambda (1 - r) kappa / (N - 1))",
      ],
    },
    data: { values },
    facet: { column: { field: "N", type: "nominal", title: null, sort: cfg.labs.map((n) => `${n} labs`) } },
    spec: {
      width: 260,
      height: 220,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'closed'" }],
          mark: { type: "rule", strokeDash: [4, 3] },
          encoding: { y: { field: "ratio", type: "quantitative", scale: { domain: [0.5, 1.1] } }, color: { field: "payoffs", type: "nominal", title: "payoffs" } },
        },
        {
          transform: [{ filter: "datum.kind === 'measured'" }],
          mark: { type: "point", filled: true, size: 50, opacity: 0.8 },
          encoding: {
            x: { field: "tax", type: "quantitative", title: "alignment tax per period", scale: { zero: false, padding: 12 }, axis: { values: cfg.taxes } },
            y: { field: "ratio", type: "quantitative", title: "pact bond / pledge bond", scale: { domain: [0.5, 1.1] } },
            color: { field: "payoffs", type: "nominal", title: "payoffs" },
            shape: { field: "d", type: "nominal", title: "detection" },
          },
        },
      ],
    },
    ...FONT,
  } as TopLevelSpec;
}

/** Every chart: file name -> SVG. */
export async function renderSweepCharts(cfg: SweepConfig, a: Analysis, predicted: (lambda: number, labs: number) => number): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const regime of cfg.regimes) {
    for (const lambda of cfg.lambdas) out[`heatmap-${regime}-${lambdaName(lambda).replace(/\s+/g, "")}.svg`] = await renderSvg(heatmapSpec(cfg, a, regime, lambda));
  }
  if (cfg.regimes.includes("pact") && cfg.regimes.includes("bonded")) out["pact-vs-pledge.svg"] = await renderSvg(pactRatioSpec(cfg, a, predicted));
  return out;
}
