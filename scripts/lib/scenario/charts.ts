/**
 * The report's charts: Vega-Lite specifications built from the run's data (read from chain), compiled
 * and rendered to SVG headless (vega's View with no renderer, `toSVG`). No hand-drawn SVG strings.
 */
import type { TopLevelSpec } from "vega-lite";

import type { ScenarioResult } from "./engine.js";

/** A token amount in base units as a float of whole tokens (for plotting only). */
function tokens(v: bigint, decimals: number): number {
  return Number(v) / 10 ** decimals;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded on first use: vega takes a second to import, which a run should not pay before it starts.
  const [vega, vl] = await Promise.all([import("vega"), import("vega-lite")]);
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

const FONT = { config: { font: "Helvetica, Arial, sans-serif", view: { stroke: "transparent" } } } as const;

/** BREACH price per pledge (or per group of pledges) over the days of the run. */
export function priceSpec(r: ScenarioResult): TopLevelSpec {
  const values = r.prices.map((p) => ({ day: p.day, series: p.series, price: Number(p.price) / 1e18 }));
  const events = r.defectors.map((d) => ({ day: d.defectedAtPeriod * r.config.periodDays, label: `${d.lab} defects` }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "Market probability of breach, per pledge", subtitle: "BREACH price read from the LMSR maker; after resolution, the payout (1 = breached, 0 = honored)" },
    width: 560,
    height: 260,
    layer: [
      {
        data: { values },
        mark: { type: "line", point: true, interpolate: "step-after" },
        encoding: {
          x: { field: "day", type: "quantitative", title: "day" },
          y: { field: "price", type: "quantitative", title: "P(breach)", scale: { domain: [0, 1] }, axis: { format: "%" } },
          color: { field: "series", type: "nominal", title: "pledge" },
        },
      },
      ...(events.length
        ? [
            {
              data: { values: events },
              layer: [
                { mark: { type: "rule" as const, strokeDash: [4, 4], color: "#b22" }, encoding: { x: { field: "day", type: "quantitative" as const } } },
                {
                  mark: { type: "text" as const, align: "left" as const, dx: 4, dy: -4, color: "#b22" },
                  encoding: { x: { field: "day", type: "quantitative" as const }, y: { datum: 0.98 }, text: { field: "label" } },
                },
              ],
            },
          ]
        : []),
    ],
    ...FONT,
  } as TopLevelSpec;
}

/** Each actor's profit and loss: on chain (token balances) and the labs' off-chain payoffs, stacked. */
export function pnlSpec(r: ScenarioResult): TopLevelSpec {
  const d = r.token.decimals;
  const label = (name: string) => (r.defectors.some((x) => x.lab === name) ? `${name} (defected)` : name);
  const values = r.actors.flatMap((a) => [
    { actor: label(a.actor), part: "on-chain (token balance)", value: tokens(a.delta, d), order: 1 },
    ...(a.role === "lab"
      ? [
          { actor: label(a.actor), part: "alignment tax paid (off-chain)", value: tokens(a.alignmentTaxPaid, d), order: 2 },
          { actor: label(a.actor), part: "private gain (off-chain)", value: tokens(a.privateGain, d), order: 3 },
        ]
      : []),
  ]);
  const totals = r.actors.map((a) => ({ actor: label(a.actor), total: tokens(a.total, d) }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "Profit and loss per actor", subtitle: `${r.token.symbol}; the black tick is the total (on-chain + off-chain)` },
    width: 560,
    height: { step: 22 },
    layer: [
      {
        data: { values },
        mark: "bar",
        encoding: {
          y: { field: "actor", type: "nominal", sort: null, title: null, axis: { labelLimit: 400 } },
          x: { field: "value", type: "quantitative", title: `profit / loss (${r.token.symbol})`, stack: "zero" },
          color: {
            field: "part",
            type: "nominal",
            title: null,
            scale: { domain: ["on-chain (token balance)", "alignment tax paid (off-chain)", "private gain (off-chain)"], range: ["#4c78a8", "#f58518", "#e45756"] },
            legend: { orient: "bottom", labelLimit: 400 },
          },
          order: { field: "order" },
        },
      },
      {
        data: { values: totals },
        mark: { type: "tick", color: "black", thickness: 2 },
        encoding: { y: { field: "actor", type: "nominal", sort: null }, x: { field: "total", type: "quantitative" } },
      },
    ],
    ...FONT,
  } as TopLevelSpec;
}

/** Where the defectors' value went: each flow read from the slash, dispute and withdrawal events. */
export function flowsSpec(r: ScenarioResult): TopLevelSpec {
  const d = r.token.decimals;
  const values = r.defectors.flatMap((x) => x.flows.map((f) => ({ from: f.from, to: f.to, via: f.via, amount: tokens(f.amount, d) })));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "Where the defector's value went", subtitle: `read from PledgeSlashed, DisputeBondsSettled and SubsidyWithdrawn events${r.pact ? ", and the pact's" : ""}` },
    width: 560,
    height: { step: 26 },
    data: { values },
    mark: "bar",
    encoding: {
      y: { field: "to", type: "nominal", title: null, sort: "-x", axis: { labelLimit: 400 } },
      x: { field: "amount", type: "quantitative", title: r.token.symbol, stack: "zero" },
      color: { field: "via", type: "nominal", title: null, legend: { orient: "bottom", columns: 2, labelLimit: 400 } },
      tooltip: [{ field: "from" }, { field: "via" }, { field: "amount", format: ",.0f" }],
    },
    ...FONT,
  } as TopLevelSpec;
}

/** Renders every chart of the report: file name -> SVG. */
export async function renderCharts(r: ScenarioResult): Promise<Record<string, string>> {
  const out: Record<string, string> = {
    "breach-prices.svg": await renderSvg(priceSpec(r)),
    "pnl.svg": await renderSvg(pnlSpec(r)),
  };
  if (r.defectors.length > 0) out["defector-flows.svg"] = await renderSvg(flowsSpec(r));
  return out;
}
