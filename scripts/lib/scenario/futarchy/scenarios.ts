/**
 * The futarchy scenarios: `release` (three decisions: a release the markets reject, one they accept, an amendment
 * on the Risk metric) and `manipulation` (a late attacker against defenders, swept over the blocks it sustains
 * and over seeds, with variants; and an attack on a breach market). Each run is a fresh deployment on its own
 * network connection (`connect`), so runs do not share state; every figure comes from the chain.
 */
import type { NetworkConnection } from "hardhat/types/network";

import { type Progress, progressBar } from "../progress.js";
import { type BreachAttackConfig, type BreachAttackResult, runBreachAttack } from "./breach-attack.js";
import { type ManipulationConfig, type ManipulationRunKind, type ReleaseConfig, manipulationRun, releaseRuns } from "./config.js";
import { type DecisionRunResult, runDecision } from "./decision.js";

export interface FutarchyHooks {
  log: (line: string) => void;
  progressOut?: { isTTY?: boolean; write(s: string): unknown };
}

export type Connect = () => Promise<NetworkConnection>;

async function withConnection<T>(connect: Connect, fn: (conn: NetworkConnection) => Promise<T>): Promise<{ result: T; chainId: number; network: string }> {
  const conn = await connect();
  try {
    const chainId = await (await conn.viem.getPublicClient()).getChainId();
    return { result: await fn(conn), chainId, network: conn.networkName };
  } finally {
    await conn.close();
  }
}

export interface ReleaseReport {
  scenario: "release";
  title: string;
  config: ReleaseConfig;
  network: { chainId: number; name: string };
  runs: DecisionRunResult[];
  seconds: number;
}

export async function runReleaseScenario(connect: Connect, cfg: ReleaseConfig, hooks: FutarchyHooks): Promise<ReleaseReport> {
  const started = performance.now();
  const runs: DecisionRunResult[] = [];
  let network = { chainId: 0, name: "" };
  for (const run of releaseRuns(cfg)) {
    const r = await withConnection(connect, (conn) => runDecision(conn, run, { log: hooks.log, progressOut: hooks.progressOut, progress: !cfg.quiet }));
    network = { chainId: r.chainId, name: r.network };
    runs.push(r.result);
    hooks.log(`  pledge #${r.result.pledgeId}: ${r.result.pledgeOutcome} (${r.result.pledgeNote}); ${r.result.stats.transactions} transactions in ${r.result.stats.seconds.toFixed(1)} s`);
  }
  return {
    scenario: "release",
    title: "Release: futarchy decides whether a lab may leave (or amend) its pledge",
    config: cfg,
    network,
    runs,
    seconds: (performance.now() - started) / 1000,
  };
}

/** One decision run of the sweep, summarized (the full series only for the runs the report charts). */
export interface ManipulationRow {
  seed: number;
  kind: ManipulationRunKind;
  sustain: number;
  passed: boolean;
  baselinePassed: boolean;
  changed: boolean;
  passValue: bigint;
  failValue: bigint;
  blocksPushed: number;
  attackTrades: number;
  attacker: { deltaBond: bigint; deltaShares: bigint; value: bigint } | null;
  defenders: { deltaBond: bigint; deltaShares: bigint; value: bigint };
  defenderValues: bigint[];
  lp: { deltaBond: bigint; deltaShares: bigint; value: bigint };
  /** LAB's value under the decided branch (the mark). */
  mark: number;
  checks: DecisionRunResult["checks"];
  transactions: number;
  seconds: number;
}

export interface ManipulationReport {
  scenario: "manipulation";
  title: string;
  config: ManipulationConfig;
  network: { chainId: number; name: string };
  rows: ManipulationRow[];
  /** The charted runs (seed 1, or the first seed): baseline and the longest attack. */
  charted: DecisionRunResult[];
  breach: BreachAttackResult[];
  seconds: number;
}

const sum = (xs: bigint[]) => xs.reduce((s, x) => s + x, 0n);

function row(r: DecisionRunResult, kind: ManipulationRunKind, sustain: number, baselinePassed: boolean): ManipulationRow {
  const pick = (role: string) => r.actors.filter((a) => a.role === role);
  const agg = (xs: typeof r.actors) => ({ deltaBond: sum(xs.map((a) => a.deltaBond)), deltaShares: sum(xs.map((a) => a.deltaShares)), value: sum(xs.map((a) => a.value)) });
  const attacker = pick("attacker");
  return {
    seed: r.seed,
    kind,
    sustain,
    passed: r.passed,
    baselinePassed,
    changed: r.passed !== baselinePassed,
    passValue: r.passValue,
    failValue: r.failValue,
    blocksPushed: r.attack?.blocksPushed ?? 0,
    attackTrades: r.attack?.trades ?? 0,
    attacker: attacker.length ? agg(attacker) : null,
    defenders: agg(pick("defender")),
    defenderValues: pick("defender").map((a) => a.value),
    lp: agg(pick("lab")),
    mark: r.mark,
    checks: r.checks,
    transactions: r.stats.transactions,
    seconds: r.stats.seconds,
  };
}

export async function runManipulationScenario(connect: Connect, cfg: ManipulationConfig, hooks: FutarchyHooks): Promise<ManipulationReport> {
  const started = performance.now();
  const plan: { seed: number; kind: ManipulationRunKind; sustain: number }[] = [];
  for (const seed of cfg.seeds) {
    plan.push({ seed, kind: "baseline", sustain: 0 });
    for (const k of cfg.sustain) plan.push({ seed, kind: "attack", sustain: k });
    if (cfg.variants) {
      for (const kind of ["no-defenders", "constrained-defenders", "thin-liquidity"] as const) plan.push({ seed, kind, sustain: cfg.variantSustain });
    }
  }
  const breachPlan: BreachAttackConfig[] = cfg.seeds.flatMap((seed) =>
    [0, ...cfg.breachSustain].map((sustain) => ({
      name: `seed${seed}-breach-k${sustain}`,
      seed,
      defenders: cfg.defenders,
      truth: cfg.breachTruth,
      noise: 0.3,
      target: cfg.breachTarget,
      sustain,
      liquidity: 10_000,
      rounds: 20,
      recovery: 20,
      edge: 0.02,
      activity: 0.6,
      reactivity: 0.8,
      maxShares: 0.3,
      attackBudget: 400_000,
    })),
  );
  const bar: Progress = progressBar("manipulation runs", plan.length + breachPlan.length, hooks.progressOut ?? process.stderr);
  let done = 0;
  const rows: ManipulationRow[] = [];
  const charted: DecisionRunResult[] = [];
  const baseline = new Map<number, boolean>();
  let network = { chainId: 0, name: "" };
  const longest = Math.max(0, ...cfg.sustain);
  for (const p of plan) {
    const run = manipulationRun(cfg, p.seed, p.kind, p.sustain);
    const r = await withConnection(connect, (conn) => runDecision(conn, run, { log: () => {}, progress: false }));
    network = { chainId: r.chainId, name: r.network };
    if (p.kind === "baseline") baseline.set(p.seed, r.result.passed);
    const x = row(r.result, p.kind, p.sustain, baseline.get(p.seed)!);
    rows.push(x);
    if (p.seed === cfg.seeds[0] && (p.kind === "baseline" || (p.kind === "attack" && p.sustain === longest))) charted.push(r.result);
    bar.clear();
    hooks.log(
      `  seed ${p.seed} ${p.kind.padEnd(21)} k=${String(p.sustain).padStart(3)}: ${x.passed ? "PASS" : "FAIL"}${x.changed ? " (FLIPPED)" : ""}, ` +
        `attacker ${x.attacker ? fmt(x.attacker.value) : "-"}, defenders ${fmt(x.defenders.value)}, LP ${fmt(x.lp.value)} mUSD (${x.seconds.toFixed(1)} s)`,
    );
    bar.tick(++done);
  }
  const breach: BreachAttackResult[] = [];
  for (const b of breachPlan) {
    const r = await withConnection(connect, (conn) => runBreachAttack(conn, b));
    breach.push(r.result);
    const att = r.result.actors.find((a) => a.role === "attacker");
    const def = sum(r.result.actors.filter((a) => a.role === "defender").map((a) => a.expected));
    bar.clear();
    hooks.log(
      `  seed ${b.seed} breach market       k=${String(b.sustain).padStart(3)}: price at attack end ${(r.result.priceAtAttackEnd * 100).toFixed(1)}%, ` +
        `after recovery ${(r.result.priceAfterRecovery * 100).toFixed(1)}%, attacker ${att ? fmt(att.expected) : "-"}, defenders ${fmt(def)} mUSD at the true odds`,
    );
    bar.tick(++done);
  }
  bar.done("runs");
  return {
    scenario: "manipulation",
    title: "Manipulation: a late attacker against defenders, on a decision and on a breach market",
    config: cfg,
    network,
    rows,
    charted,
    breach,
    seconds: (performance.now() - started) / 1000,
  };
}

const fmt = (v: bigint) => {
  const n = Math.round(Number(v) / 1e18);
  return (n > 0 ? "+" : "") + n.toLocaleString("en-US");
};
