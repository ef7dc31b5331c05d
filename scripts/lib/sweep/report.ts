/**
 * The sweep's outputs: the summary printed at the end, and reports/sweep/ with report.json (every unit's
 * measured runs, every cell, the flip points, timings and the machine), report.md (the findings first, then the
 * tables) and the SVG heat maps.
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { fmtAmount, renderTable, toJson } from "../format.js";
import type { Analysis, Cell, FlipPoint } from "./analysis.js";
import type { UnitResult } from "./chain.js";
import { lambdaName, renderSweepCharts } from "./charts.js";
import type { Regime, SweepConfig } from "./config.js";

export interface SweepRun {
  config: SweepConfig;
  units: UnitResult[];
  analysis: Analysis;
  /** Wall time of the on-chain runs (the pool), and of the whole sweep up to the report. */
  seconds: { runs: number; total: number };
  machine: { cpus: number; model: string; memoryGiB: number; node: string; loadBefore: number[]; loadAfter: number[] };
}

export function machine(loadBefore: number[]): SweepRun["machine"] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadBefore,
    loadAfter: os.loadavg(),
  };
}

/** The closed form's factor f (analysis.ts, `closedFormMargin`) for a pact; the pact-vs-pledge chart draws 1 / f. */
export function pactFactor(run: Pick<SweepRun, "config" | "units">) {
  const r = (run.units[0]?.challengerRewardBps ?? 2_000) / 10_000;
  const kappa = run.config.keeperShareBps / 10_000;
  return (lambda: number, labs: number) => 1 + (lambda * (1 - r) * kappa) / (labs - 1);
}

/** Checks on every run, read from chain: the contracts end empty and the actors' changes sum to zero. */
export function checks(units: UnitResult[]) {
  const runs = units.flatMap((u) => u.runs);
  return {
    runs: runs.length,
    transactions: runs.reduce((s, r) => s + r.transactions, 0),
    escrowEmpty: runs.every((r) => r.escrowLeft === 0n),
    conserved: runs.every((r) => r.deltas.reduce((s, x) => s + x, 0n) + r.sink + r.watcher + r.safetyFund === 0n),
  };
}

const pct = (a: number, b: number) => `${a}/${b}`;
const num = (x: number | null, digits = 0) => (x === null ? "-" : x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const md = (header: string[], rows: string[][], left: number[] = [0]) => {
  const rule = header.map((_, i) => (left.includes(i) ? ":---" : "---:"));
  return [header, rule, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
};

function panelCells(a: Analysis, regime: Regime, lambda: number) {
  return a.cells.filter((c) => c.regime === regime && c.lambda === lambda);
}

/** The findings, each measured: one line per expectation of the issue. */
export function findings(run: SweepRun): string[] {
  const { config: cfg, analysis: a } = run;
  const out: string[] = [];
  const has = (r: Regime) => cfg.regimes.includes(r);
  for (const lambda of cfg.lambdas) {
    const name = lambdaName(lambda);
    if (has("voluntary")) {
      const v = panelCells(a, "voluntary", lambda).filter((c) => c.tax > 0);
      const dom = v.filter((c) => c.defectDominates).length;
      const keep = v.filter((c) => c.keepIsBestReply).length;
      out.push(
        `No bond (voluntary, ${name} payoffs): defecting is the best reply whatever the others do in ${pct(dom, v.length)} cells with a positive tax; ` +
          `keeping is every lab's best reply in ${pct(keep, v.length)}.` +
          (dom === v.length ? " Defection dominates, as expected." : " NOT as expected: see the cells table."),
      );
    }
    for (const regime of ["bonded", "pact"] as const) {
      if (!has(regime)) continue;
      const cs = panelCells(a, regime, lambda);
      const keep = cs.filter((c) => c.keepIsBestReply).length;
      const dom = cs.filter((c) => c.keepDominates).length;
      const top = cs.filter((c) => c.bond === cfg.bonds[cfg.bonds.length - 1]);
      const topKeep = top.filter((c) => c.keepIsBestReply).length;
      const above = cs.filter((c) => c.closedFormKeeps);
      const aboveKeep = above.filter((c) => c.keepIsBestReply).length;
      out.push(
        `${regime === "bonded" ? "Bonded pledge" : "Pact"} (${name} payoffs): keeping is every lab's best reply in ${pct(keep, cs.length)} cells ` +
          `(it dominates in ${dom}); at the largest bond (${fmtWhole(cfg.bonds[cfg.bonds.length - 1])}) in ${pct(topKeep, top.length)}; ` +
          `where the closed form says keep, in ${pct(aboveKeep, above.length)}.`,
      );
    }
    if (has("pact") && has("bonded")) {
      const ratios = pactRatios(a, lambda);
      if (ratios.length > 0) {
        const f = pactFactor(run);
        const perN = cfg.labs
          .map((n) => {
            const rs = ratios.filter((r) => r.labs === n).map((r) => r.ratio);
            if (rs.length === 0) return "";
            return `${n} labs ${num(Math.min(...rs), 3)} to ${num(Math.max(...rs), 3)} (closed form ${num(1 / f(lambda, n), 3)})`;
          })
          .filter(Boolean)
          .join("; ");
        const less = ratios.filter((r) => r.ratio < 1 - 1e-3).length;
        out.push(
          `Pact vs lone pledge (${name} payoffs): bond a pact needs per member over the bond a lone pledge needs: ${perN}. ` +
            `The pact needs less in ${pct(less, ratios.length)} (tax, detection, labs) settings.`,
        );
      }
    }
  }
  return out;
}

const fmtWhole = (x: number) => x.toLocaleString("en-US");

export function pactRatios(a: Analysis, lambda: number) {
  const out: { labs: number; detection: number; tax: number; ratio: number }[] = [];
  for (const f of a.flips.filter((x) => x.regime === "pact" && x.lambda === lambda)) {
    const lone = a.flips.find((x) => x.regime === "bonded" && x.lambda === lambda && x.detection === f.detection && x.labs === f.labs && x.tax === f.tax);
    if (lone?.fittedBond && f.fittedBond !== null) out.push({ labs: f.labs, detection: f.detection, tax: f.tax, ratio: f.fittedBond / lone.fittedBond });
  }
  return out;
}

function flipTable(cfg: SweepConfig, flips: FlipPoint[]): string {
  const rows: string[][] = [];
  for (const regime of cfg.regimes) {
    const none = flips.filter((f) => f.regime === regime);
    if (none.length > 0 && none.every((f) => f.gridBond === null && f.closedFormBond === null)) {
      rows.push([`${regime}, every panel`, ...cfg.taxes.map(() => "none / - / -")]);
      continue;
    }
    for (const lambda of cfg.lambdas) {
      for (const labs of cfg.labs) {
        for (const d of cfg.detections) {
          const fs = cfg.taxes.map((t) => flips.find((f) => f.regime === regime && f.lambda === lambda && f.labs === labs && f.detection === d && f.tax === t));
          rows.push([
            `${regime}, ${lambdaName(lambda)}, ${labs} labs, d = ${d}`,
            ...fs.map((f) => (f ? `${f.gridBond === null ? "none" : fmtWhole(f.gridBond)} / ${num(f.fittedBond)} / ${num(f.closedFormBond)}` : "")),
          ]);
        }
      }
    }
  }
  return md(["panel", ...cfg.taxes.map((t) => `t = ${fmtWhole(t)}`)], rows);
}

/** Why a cell's measured verdict departs from the closed form: the measured margin against the closed form's, and the market. */
function why(c: Cell, a: Analysis): string {
  const loss = a.marketLoss.find((m) => m.regime === c.regime && m.labs === c.labs && m.bond === c.bond && m.tax === c.tax)?.loss ?? 0;
  const gap = c.margin - c.closedFormMargin;
  const market = c.detection * loss;
  const parts = [`measured margin ${num(c.margin, 1)} vs closed form ${num(c.closedFormMargin, 1)} (difference ${num(gap, 1)})`];
  if (loss !== 0) parts.push(`a caught defector also loses ${num(loss, 1)} through its breach market (the watcher's BREACH purchase): d x that = ${num(market, 1)}`);
  const rest = gap - market;
  if (Math.abs(rest) > 0.5) parts.push(`${num(rest, 1)} not from the market${c.regime === "pact" ? " (keeper compensation, forfeited shares, rounding)" : ""}`);
  return parts.join("; ");
}

/** Per regime and rivalry weight: the measured (fitted) threshold bond over the closed form's, and the fit's worst residual. */
export function thresholdRatios(run: SweepRun) {
  const out: { regime: Regime; lambda: number; min: number; max: number; residual: number; n: number }[] = [];
  for (const regime of run.config.regimes) {
    for (const lambda of run.config.lambdas) {
      const fs = run.analysis.flips.filter((f) => f.regime === regime && f.lambda === lambda && f.fittedBond !== null && f.closedFormBond);
      if (fs.length === 0) continue;
      const rs = fs.map((f) => f.fittedBond! / f.closedFormBond!);
      out.push({ regime, lambda, min: Math.min(...rs), max: Math.max(...rs), residual: Math.max(...fs.map((f) => f.fitResidual)), n: fs.length });
    }
  }
  return out;
}

/**
 * What the pact regime's runs show beyond its threshold: keeper shares an unseen defector collects (the chain
 * cannot tell it from a keeper), and the profiles where some labs keep and others defect at a fixed point.
 */
export function pactObservations(run: SweepRun) {
  let unseen: { labs: number; bond: number; tax: number; defectors: number; detected: number; delta: bigint } | null = null;
  for (const u of run.units.filter((x) => x.unit.regime === "pact")) {
    for (const r of u.runs) {
      for (let i = r.detected; i < r.defectors; i++) {
        if (r.deltas[i] > 0n && (unseen === null || r.deltas[i] > unseen.delta)) {
          unseen = { labs: u.unit.labs, bond: u.unit.bond, tax: r.tax, defectors: r.defectors, detected: r.detected, delta: r.deltas[i] };
        }
      }
    }
  }
  const mixed = run.analysis.cells.filter((c) => [c.fromAllDefect, c.fromAllKeep].some((d) => d.end === "fixed-point" && d.keepers > 0 && d.keepers < c.labs));
  return { unseen, mixed };
}

export function markdown(run: SweepRun, charts: string[]): string {
  const { config: cfg, analysis: a } = run;
  const ck = checks(run.units);
  const out: string[] = ["# The regime sweep", ""];
  out.push(...findings(run).map((l) => `- **${l}**`), "");
  out.push(
    `Grid: taxes ${cfg.taxes.join(", ")} per period x ${cfg.periods} periods; bonds ${cfg.bonds.map(fmtWhole).join(", ")}; ` +
      `detection ${cfg.detections.join(", ")}; labs ${cfg.labs.join(", ")}: ${cfg.taxes.length * cfg.bonds.length * cfg.detections.length * cfg.labs.length} cells, each under ${cfg.regimes.join(", ")}, ` +
      `with absolute (lambda = 0) and relative (lambda = 1) payoffs. ${ck.runs} on-chain runs (${fmtWhole(ck.transactions)} transactions) in ${run.seconds.runs.toFixed(1)} s ` +
      `with ${cfg.workers} worker(s) on ${run.machine.cpus} x ${run.machine.model} (load ${run.machine.loadBefore.map((x) => x.toFixed(1)).join(", ")} before).`,
    "",
    `Checks (every run, read from chain): contracts empty after settlement ${ck.escrowEmpty ? "ok" : "FAILED"}; the labs', the sink's, the watcher's and the safety fund's changes sum to zero ${ck.conserved ? "ok" : "FAILED"}.`,
    "",
  );
  for (const c of charts) out.push(`![${c}](${c})`, "");
  out.push(
    "## Where keeping becomes the best reply",
    "",
    "Per panel and tax: the smallest grid bond from which keeping is every lab's best reply (and stays so at every larger grid bond) / " +
      "the bond where the measured margin (keeper's expected utility at all-keep minus a lone defector's) crosses zero, fitted as a line in the bond / " +
      "the closed form t P / (d f). Bonds in whole tokens.",
    "",
    flipTable(cfg, a.flips),
    "",
  );
  const ratios = thresholdRatios(run);
  if (ratios.length > 0) {
    out.push(
      "Measured threshold bond (fitted) over the closed form's, over every (detection, labs, tax) of the panel; the worst distance of a measured margin from its fitted line:",
      "",
      md(
        ["regime, payoffs", "measured / closed form", "worst fit residual (tokens)", "panels x taxes"],
        ratios.map((r) => [`${r.regime}, ${lambdaName(r.lambda)}`, r.min.toFixed(4) === r.max.toFixed(4) ? r.min.toFixed(4) : `${r.min.toFixed(4)} to ${r.max.toFixed(4)}`, num(r.residual, 2), String(r.n)]),
      ),
      "",
    );
  }
  const disagree = a.cells.filter((c) => !c.agrees);
  out.push("## Where the simulation departs from the closed form", "");
  if (a.marketLoss.length > 0) {
    const shares = a.marketLoss.map((m) => m.loss / m.bond);
    const [lo, hi] = [Math.min(...shares), Math.max(...shares)];
    out.push(
      `A caught defector loses more than its bond: through its breach market (the watcher's BREACH purchase, redeemed at 1) it also loses ` +
        `${(100 * lo).toFixed(3)}%${hi - lo > 5e-6 ? ` to ${(100 * hi).toFixed(3)}%` : ""} of its bond (measured in every unit). ` +
        "So every measured threshold sits below the closed form's (the ratios above), and a cell just below the closed-form line can keep.",
      "",
    );
  }
  if (disagree.length === 0) out.push("Nowhere on this grid: every cell's verdict agrees with the closed form.", "");
  else {
    out.push(
      `${disagree.length} of ${a.cells.length} (cell, payoffs) verdicts disagree:`,
      "",
      md(
        ["regime", "payoffs", "labs", "d", "tax", "bond", "measured", "closed form", "why"],
        disagree.map((c) => [c.regime, lambdaName(c.lambda), String(c.labs), String(c.detection), fmtWhole(c.tax), fmtWhole(c.bond), c.keepIsBestReply ? "keep" : "defect", c.closedFormKeeps ? "keep" : "defect", why(c, a)]),
        [0, 1, 6, 7, 8],
      ),
      "",
    );
  }
  const ties = a.cells.filter((c) => c.regime !== "voluntary" && Math.abs(c.closedFormMargin) < 1e-6);
  if (ties.length > 0) {
    out.push(
      `The closed form is exactly indifferent (d B f = t P) in ${ties.length} (cell, payoffs) pairs; it keeps by the tie rule, and the measured margin there is ` +
        `${num(Math.min(...ties.map((c) => c.margin)), 1)} to ${num(Math.max(...ties.map((c) => c.margin)), 1)} tokens: ` +
        `${ties.every((c) => c.margin > 0) ? "strictly positive, the breach market's doing" : "not always positive"}.`,
      "",
    );
  }
  if (cfg.regimes.includes("pact")) {
    const { unseen, mixed } = pactObservations(run);
    out.push("## The pact beyond its threshold", "");
    if (unseen) {
      out.push(
        `- An unseen defector is paid keeper shares: the chain cannot tell it from a keeper, so its pledge is Honored and its shares vest. ` +
          `Largest: +${fmtAmount(unseen.delta, 18, 2)} tokens (${unseen.labs} labs, bond ${fmtWhole(unseen.bond)}, tax ${fmtWhole(unseen.tax)}, ${unseen.defectors} defectors of which ${unseen.detected} caught).`,
      );
    } else out.push("- No unseen defector was paid keeper shares on this grid.");
    if (mixed.length > 0) {
      const ex = mixed.slice(0, 6).map((c) => `${c.regime} ${lambdaName(c.lambda)} N=${c.labs} d=${c.detection} t=${fmtWhole(c.tax)} B=${fmtWhole(c.bond)}: ${c.fromAllDefect.keepers} of ${c.labs} keep`);
      out.push(
        `- Fixed points where some labs keep and others defect: ${mixed.length} (cell, payoffs) pairs (${[...new Set(mixed.map((c) => c.regime))].join(", ")}), e.g. ${ex.join("; ")}. ` +
          "A keeper's expected payoff rises with the number of defectors (it collects their slashed bonds), so keeping is a best reply once enough others defect, and defecting while they keep.",
      );
    } else out.push("- No fixed point mixes keepers and defectors on this grid.");
    out.push("");
  }
  out.push("## Best-reply dynamics", "");
  const rows: string[][] = [];
  for (const regime of cfg.regimes) {
    for (const lambda of cfg.lambdas) {
      const cs = panelCells(a, regime, lambda);
      const hist = (pick: (c: Cell) => Cell["fromAllDefect"]) => {
        const m = new Map<string, number>();
        for (const c of cs) {
          const d = pick(c);
          const k = d.end === "cycle" ? "cycle" : `${d.keepers}/${c.labs}`;
          m.set(k, (m.get(k) ?? 0) + 1);
        }
        return [...m].sort().map(([k, v]) => `${k}: ${v}`).join(", ");
      };
      rows.push([`${regime}, ${lambdaName(lambda)}`, hist((c) => c.fromAllDefect), hist((c) => c.fromAllKeep)]);
    }
  }
  out.push(
    "Labs in index order switch to their best reply (ties keep the current choice) until nobody switches or a state repeats (a cycle). " +
      "Keepers at the end, over the cells:",
    "",
    md(["regime, payoffs", "from all-defect", "from all-keep"], rows),
    "",
  );
  const cycles = a.cells.filter((c) => c.fromAllDefect.end === "cycle" || c.fromAllKeep.end === "cycle");
  if (cycles.length > 0) {
    out.push(`Cycles: ${cycles.length} cells, e.g. ${cycles.slice(0, 5).map((c) => `${c.regime} ${lambdaName(c.lambda)} N=${c.labs} d=${c.detection} t=${c.tax} B=${c.bond}: ${(c.fromAllDefect.cycle ?? c.fromAllKeep.cycle ?? []).join(" -> ")}`).join("; ")}.`, "");
  } else out.push("No cycles.", "");
  out.push("## Every cell", "");
  out.push(
    "Is keeping every lab's best reply (all-keep a fixed point)? Then the keepers at the fixed point reached from all-defect " +
      "(and from all-keep where that differs; \"cycle\" if the dynamics cycle).",
    "",
  );
  const label = (d: Cell["fromAllDefect"], n: number) => (d.end === "cycle" ? "cycle" : `${d.keepers}/${n}`);
  for (const regime of cfg.regimes) {
    for (const lambda of cfg.lambdas) {
      const cs = panelCells(a, regime, lambda);
      const rows: string[][] = [];
      for (const labs of cfg.labs) {
        for (const d of cfg.detections) {
          for (const bond of cfg.bonds) {
            rows.push([
              `${labs} labs, d = ${d}, B = ${fmtWhole(bond)}`,
              ...cfg.taxes.map((t) => {
                const c = cs.find((x) => x.labs === labs && x.detection === d && x.bond === bond && x.tax === t);
                if (!c) return "";
                const from = label(c.fromAllDefect, labs);
                const other = label(c.fromAllKeep, labs);
                return `${c.keepIsBestReply ? "yes" : "no"} ${from}${other !== from ? ` (${other})` : ""}`;
              }),
            ]);
          }
        }
      }
      out.push(`${regime}, ${lambdaName(lambda)} payoffs:`, "", md(["cell", ...cfg.taxes.map((t) => `t = ${fmtWhole(t)}`)], rows), "");
    }
  }
  out.push("## Measured payoffs (examples)", "");
  out.push("Each lab's on-chain change (tokens) after settlement, per profile: D labs defect, the first k of them are detected. Every unit's table is in report.json.", "");
  for (const regime of cfg.regimes) {
    const u = run.units.find((x) => x.unit.regime === regime && x.unit.labs === cfg.labs[0] && (regime === "voluntary" || x.unit.bond === cfg.bonds[Math.floor(cfg.bonds.length / 2)]));
    if (!u) continue;
    const tax = cfg.taxes[0];
    out.push(`${regime}, ${u.unit.labs} labs${regime === "voluntary" ? "" : `, bond ${fmtWhole(u.unit.bond)}`}, tax ${fmtWhole(tax)}:`, "");
    out.push(
      md(
        ["D", "k", ...Array.from({ length: u.unit.labs }, (_, i) => `lab ${i + 1}`), "sink", "watcher", "safety fund"],
        u.runs.filter((r) => r.tax === tax).map((r) => [String(r.defectors), String(r.detected), ...[...r.deltas, r.sink, r.watcher, r.safetyFund].map((v) => fmtAmount(v, 18, 2))]),
      ),
      "",
    );
  }
  out.push(
    "## Run",
    "",
    `\`npm run sweep${cfg.quick ? " -- --quick" : ""}\`: ${run.units.length} work units (a setup each, every tax and profile replayed from its EVM snapshot), ` +
      `${cfg.workers} worker(s), on-chain runs ${run.seconds.runs.toFixed(1)} s, total ${run.seconds.total.toFixed(1)} s; ` +
      `${run.machine.cpus} CPUs (${run.machine.model}), ${run.machine.memoryGiB} GiB, Node ${run.machine.node}; load ${run.machine.loadBefore.map((x) => x.toFixed(2)).join(", ")} before, ${run.machine.loadAfter.map((x) => x.toFixed(2)).join(", ")} after. ` +
      `Model and closed form: docs/mechanism.md, "The regime sweep".`,
    "",
  );
  return out.join("\n");
}

/** The summary printed at the end of a sweep. */
export function summary(run: SweepRun): string {
  const { config: cfg, analysis: a } = run;
  const lines = findings(run);
  const rows: string[][] = [];
  for (const regime of cfg.regimes) {
    for (const lambda of cfg.lambdas) {
      const cs = panelCells(a, regime, lambda);
      rows.push([regime, lambdaName(lambda), `${cs.filter((c) => c.keepIsBestReply).length}/${cs.length}`, `${cs.filter((c) => c.closedFormKeeps).length}/${cs.length}`, String(cs.filter((c) => !c.agrees).length)]);
    }
  }
  const ck = checks(run.units);
  return [
    renderTable(["regime", "payoffs", "keep is best reply", "closed form keeps", "disagree"], rows),
    "",
    ...lines,
    `${ck.runs} on-chain runs, ${ck.transactions} transactions, ${run.seconds.runs.toFixed(1)} s (${cfg.workers} worker(s)); contracts empty ${ck.escrowEmpty ? "ok" : "FAILED"}, conserved ${ck.conserved ? "ok" : "FAILED"}.`,
  ].join("\n");
}

/** Writes report.json, report.md and the charts to `outDir`; returns the files written. */
export async function writeSweepReport(run: SweepRun, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const charts = await renderSweepCharts(run.config, run.analysis, pactFactor(run));
  const files: string[] = [];
  const put = async (name: string, text: string) => {
    const file = path.join(outDir, name);
    await writeFile(file, text);
    files.push(file);
  };
  await put("report.json", toJson({ ...run, checks: checks(run.units) }) + "\n");
  for (const [name, svg] of Object.entries(charts)) await put(name, svg);
  await put("report.md", markdown(run, Object.keys(charts)));
  return files;
}
