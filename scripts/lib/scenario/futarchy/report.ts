/**
 * The futarchy scenarios' outputs: reports/<scenario>/ with report.json (every number, bigints as decimal
 * strings), report.md (the verdict first, then charts and tables) and SVG charts; and the summary printed at the
 * end of a run.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { fmtAmount, toJson } from "../../format.js";
import { renderSvg } from "../charts.js";
import type { BreachAttackResult } from "./breach-attack.js";
import { branchSpec, breachPriceSpec, releasePnlSpec, sweepSpec, type SweepPoint } from "./charts.js";
import type { DecisionRunResult } from "./decision.js";
import type { ManipulationReport, ManipulationRow, ReleaseReport } from "./scenarios.js";

const DEC = 18;
const amt = (v: bigint) => fmtAmount(v, DEC, 0);
const delta = (v: bigint) => {
  const whole = v - (v % 10n ** BigInt(DEC));
  return whole > 0n ? "+" + fmtAmount(whole, DEC, 0) : fmtAmount(whole, DEC, 0);
};
const ok = (b: boolean) => (b ? "ok" : "FAILED");
const wad = (v: bigint, digits = 4) => (Number(v) / 1e18).toFixed(digits);
const netName = (n: { name: string }) => (n.name === "default" ? "the in-process network" : n.name);

function mdTable(header: string[], rows: string[][], align?: ("l" | "r")[]): string {
  const a = align ?? header.map((_, i) => (i === 0 ? "l" : "r"));
  const rule = a.map((x) => (x === "r" ? "---:" : ":---"));
  return [header, rule, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

// ------------------------------------------------------------------ release

/** One sentence per run: the decision, what the registry did, how the pledge ended. */
export function releaseVerdict(r: DecisionRunResult): string {
  const what = r.metric === "risk" ? "P(breach)" : "TWAP";
  const rule =
    r.metric === "risk"
      ? `PASS iff P(breach | PASS) <= P(breach | FAIL) + ${r.thresholdBps / 100} points`
      : `PASS iff TWAP(PASS) > TWAP(FAIL) x ${1 + r.thresholdBps / 10_000}`;
  return (
    `${r.title}: **${r.passed ? "PASS" : "FAIL"}** (${what} PASS ${wad(r.passValue)} vs FAIL ${wad(r.failValue)}; ${rule}). ` +
    `Registry: ${r.registryAction}. Pledge #${r.pledgeId} ended **${r.pledgeOutcome}**: ${r.pledgeNote}.`
  );
}

function decisionActorTable(r: DecisionRunResult): string {
  const price = r.metric === "price";
  return mdTable(
    ["actor", "mUSD before", "mUSD after", "Δ mUSD", ...(price ? ["Δ LAB", `value (LAB at ${r.mark} mUSD)`] : [])],
    r.actors
      .filter((a) => a.role !== "burn" || a.deltaBond !== 0n)
      .map((a) => [a.actor, amt(a.bondBefore), amt(a.bondAfter), delta(a.deltaBond), ...(price ? [delta(a.deltaShares), delta(a.value)] : [])]),
  );
}

function checksLines(c: DecisionRunResult["checks"], dust: DecisionRunResult["vaultDust"]): string[] {
  return [
    `- At the window's end, PASS and FAIL positions outstanding (nested ones included) are equal, per token: ${ok(c.branchesEqual)}`,
    `- At the window's end, the vault's collateral equals the decision's outstanding sets plus the breach market's: ${ok(c.vaultCoversPositions)}`,
    `- After settlement the registry, the decisions, the maker, the breach markets and the pools hold no tokens: ${ok(c.contractsEmpty)}`,
    `- What the vault still holds (${amt(dust.bond)} mUSD and ${amt(dust.shares)} LAB, in wei: ${dust.bond} and ${dust.shares}) is exactly the pools' locked minimum liquidity: ${ok(c.vaultDustIsLockedLiquidity)}`,
    `- Per token, the actors' changes plus that dust sum to zero (nothing created, nothing lost): ${ok(c.sumsToZero)}`,
  ];
}

export function releaseMarkdown(rep: ReleaseReport, charts: Record<string, string>): string {
  const md: string[] = [`# ${rep.title}`, ""];
  for (const r of rep.runs) md.push(`- ${releaseVerdict(r)}`);
  md.push("");
  md.push(
    "Each run deploys the system through Ignition on a fresh chain with an 8-hour window (2,400 blocks of 12 s), the TWAP counting from the first hour, a 3% threshold (Price) or tolerance (Risk), a step cap of 0.5% of the reference price per block and a 0.3% pool fee. " +
      "Traders hold private views of the branches (the run's truth blurred by noise), split collateral in the vault into PASS and FAIL positions and trade both pools toward their views; a keeper pokes the pools nobody traded; after the window a keeper finalizes.",
    "",
  );
  for (const r of rep.runs) {
    md.push(`## ${r.title}`, "");
    md.push(releaseVerdict(r), "");
    md.push(`![${r.name}](${r.name}.svg)`, "");
    md.push(
      r.metric === "price"
        ? `Truth: LAB is worth ${r.truth.pass} mUSD if PASS, ${r.truth.fail} mUSD if FAIL (the pools were seeded at ${10} mUSD). Traders' views (PASS / FAIL): ${r.views.map((v) => `${v.trader} ${v.pass} / ${v.fail}`).join("; ")}.`
        : `Truth: P(breach) ${r.truth.pass} if PASS, ${r.truth.fail} if FAIL; the breach market stood at the public prior when the pools were seeded. Traders' views (PASS / FAIL): ${r.views.map((v) => `${v.trader} ${v.pass} / ${v.fail}`).join("; ")}.`,
      "",
    );
    md.push("Profit and loss, read from token balances before the pledge and after the last claim:", "");
    md.push(decisionActorTable(r), "");
    if (r.metric === "price") {
      md.push(
        `LAB is a mock token: its value under the decided branch (${r.mark} mUSD) is the run's stated truth, an **off-chain mark**; the mUSD and LAB columns are on-chain. ` +
          "The lab's row holds its bond (slashed or returned), the breach market's subsidy, the proposal's stake and what it got back as the pools' liquidity provider.",
        "",
      );
    }
    md.push("Checks (read from chain):", "", ...checksLines(r.checks, r.vaultDust), "");
    md.push(
      `${r.stats.transactions} transactions (${r.stats.trades} swaps, ${r.stats.pokes} pokes) in ${r.stats.seconds.toFixed(1)} s; most gas: swap ${r.stats.maxGas.swap ?? 0n}, poke ${r.stats.maxGas.poke ?? 0n}, propose ${r.stats.maxGas.propose ?? 0n}, finalize ${r.stats.maxGas.finalize ?? 0n}.`,
      "",
    );
  }
  md.push("## Profit and loss, all runs", "", `![pnl](pnl.svg)`, "");
  md.push("## Run", "");
  md.push(
    `Seed ${rep.config.seed}, ${rep.config.traders} traders looking every ${rep.config.stepBlocks} blocks, on ${netName(rep.network)} (chain ${rep.network.chainId}); ${rep.seconds.toFixed(1)} s. ` +
      `Reproduce: \`npm run scenario -- release --seed ${rep.config.seed}\`.`,
    "",
  );
  void charts;
  return md.join("\n");
}

export function releaseSummary(rep: ReleaseReport): string {
  const out: string[] = [];
  for (const r of rep.runs) {
    out.push(releaseVerdict(r).replaceAll("**", ""));
    const show = r.actors.filter((a) => a.role !== "burn" && a.role !== "keeper");
    out.push(
      "  " +
        show
          .map((a) => `${a.actor.replace(/ \(.*\)$/, "")} ${delta(r.metric === "price" ? a.value : a.deltaBond)}`)
          .join(", ") +
        " mUSD" +
        (r.metric === "price" ? ` (LAB marked at ${r.mark})` : ""),
    );
    out.push(`  checks: ${Object.entries(r.checks).map(([k, v]) => `${k} ${ok(v)}`).join(", ")}`);
  }
  out.push(`${rep.runs.reduce((s, r) => s + r.stats.transactions, 0)} transactions in ${rep.seconds.toFixed(1)} s on ${netName(rep.network)}.`);
  return out.join("\n");
}

export async function writeReleaseReport(rep: ReleaseReport, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const charts: Record<string, string> = {};
  for (const r of rep.runs) charts[`${r.name}.svg`] = await renderSvg(branchSpec(r));
  charts["pnl.svg"] = await renderSvg(releasePnlSpec(rep.runs));
  return writeAll(outDir, rep, charts, releaseMarkdown(rep, charts));
}

async function writeAll(outDir: string, rep: object, charts: Record<string, string>, md: string): Promise<string[]> {
  const files: string[] = [];
  const put = async (name: string, text: string) => {
    const file = path.join(outDir, name);
    await writeFile(file, text);
    files.push(file);
  };
  await put("report.json", toJson(rep) + "\n");
  for (const [name, svg] of Object.entries(charts)) await put(name, svg);
  await put("report.md", md);
  return files;
}

// ------------------------------------------------------------------ manipulation

const mean = (xs: bigint[]) => (xs.length ? xs.reduce((s, x) => s + x, 0n) / BigInt(xs.length) : 0n);
const range = (xs: bigint[]) => (xs.length ? `${delta(xs.reduce((a, b) => (a < b ? a : b)))} .. ${delta(xs.reduce((a, b) => (a > b ? a : b)))}` : "-");

export interface ConclusionRow {
  kind: string;
  sustain: number;
  runs: number;
  flipped: number;
  blocksPushed: number;
  attacker: bigint;
  attackerRange: string;
  defenders: bigint;
  lp: bigint;
  profited: string;
}

/** Per attack setting (kind, k), over the seeds: flips, mean profit and loss, who profited. */
export function conclusion(rows: ManipulationRow[]): ConclusionRow[] {
  const keys = [...new Set(rows.filter((r) => r.kind !== "baseline").map((r) => `${r.kind}|${r.sustain}`))];
  return keys.map((key) => {
    const [kind, s] = key.split("|");
    const xs = rows.filter((r) => r.kind === kind && r.sustain === Number(s));
    const attacker = mean(xs.map((r) => r.attacker?.value ?? 0n));
    const defenders = mean(xs.map((r) => r.defenders.value));
    const lp = mean(xs.map((r) => r.lp.value));
    const winners = [
      ...(attacker > 0n ? ["attacker"] : []),
      ...(defenders > 0n ? ["defenders"] : []),
      ...(lp > 0n ? ["lab as LP"] : []),
    ];
    return {
      kind,
      sustain: Number(s),
      runs: xs.length,
      flipped: xs.filter((r) => r.changed).length,
      blocksPushed: Math.round(xs.reduce((t, r) => t + r.blocksPushed, 0) / xs.length),
      attacker,
      attackerRange: range(xs.map((r) => r.attacker?.value ?? 0n)),
      defenders,
      lp,
      profited: winners.length ? winners.join(", ") : "nobody",
    };
  });
}

export function manipulationMarkdown(rep: ManipulationReport): string {
  const c = rep.config;
  const md: string[] = [`# ${rep.title}`, ""];
  const concl = conclusion(rep.rows);
  md.push("## Who profited", "");
  md.push(
    `Decision: a marginal release (LAB worth ${c.truth.pass} mUSD if PASS, ${c.truth.fail} if FAIL: honest markets FAIL it). The attacker wants PASS: in each of the window's last k blocks it pushes the PASS spot up and the FAIL spot down to twice the oracle's step cap beyond the observation, with the last word in every block (it trades after the defenders in the same block). ` +
      `Capital: attacker ${amt(BigInt(c.attackBond) * 10n ** 18n)} mUSD and ${amt(BigInt(c.attackShares) * 10n ** 18n)} LAB; ${c.defenders} defenders with 100,000 mUSD and 10,000 LAB each (5,000 and 500 when constrained); the lab seeds 100,000 mUSD and 10,000 LAB per branch (10,000 and 1,000 when thin). ` +
      `Profit and loss in mUSD from balances on chain after everyone redeemed, LAB marked at its value under the decided branch. Means over seeds ${c.seeds.join(", ")}.`,
    "",
  );
  md.push(
    mdTable(
      ["run", "k (blocks)", "decision flipped", "blocks fully pushed", "attacker (mean)", "attacker (range)", "defenders (mean, sum)", "lab as LP (mean)", "profited"],
      concl.map((x) => [x.kind, String(x.sustain), `${x.flipped} of ${x.runs}`, String(x.blocksPushed), delta(x.attacker), x.attackerRange, delta(x.defenders), delta(x.lp), x.profited]),
      ["l", "r", "r", "r", "r", "r", "r", "r", "l"],
    ),
    "",
  );
  md.push(`![sweep](sweep.svg)`, "", `![attack](attack.svg)`, "");
  md.push("## Every decision run", "");
  md.push(
    mdTable(
      ["seed", "run", "k", "decision", "baseline", "changed", "pushed", "TWAP PASS / FAIL", "attacker Δ mUSD", "attacker Δ LAB", "attacker value", "defenders value", "LP value", "checks"],
      rep.rows.map((r) => [
        String(r.seed),
        r.kind,
        String(r.sustain),
        r.passed ? "PASS" : "FAIL",
        r.baselinePassed ? "PASS" : "FAIL",
        r.changed ? "**yes**" : "no",
        String(r.blocksPushed),
        `${wad(r.passValue, 3)} / ${wad(r.failValue, 3)}`,
        r.attacker ? delta(r.attacker.deltaBond) : "-",
        r.attacker ? delta(r.attacker.deltaShares) : "-",
        r.attacker ? delta(r.attacker.value) : "-",
        delta(r.defenders.value),
        delta(r.lp.value),
        Object.values(r.checks).every(Boolean) ? "ok" : "FAILED",
      ]),
      ["r", "l", "r", "l", "l", "l", "r", "r", "r", "r", "r", "r", "r", "l"],
    ),
    "",
  );
  md.push(
    "\"pushed\": blocks in which the attacker left both spots at least one step cap beyond the oracle's observation (so the next observation moved by the full cap). Checks: per run, PASS and FAIL outstanding equal at the window's end, the vault covering exactly the outstanding positions, the contracts empty after settlement but for the pools' locked minimum liquidity, and every token's changes summing to zero.",
    "",
  );
  md.push("## Breach-market attack", "");
  md.push(
    `The attacker pushes a pledge's BREACH price (LMSR, b = 10,000, fee 1%) to ${c.breachTarget * 100}% against ${c.defenders} defenders who believe about ${c.breachTruth * 100}% (log-odds noise 0.3), re-pushing after them for k rounds, then stops; 20 recovery rounds follow. ` +
      `The pledge is then breached or honored by a draw with the true probability (the same draw for a seed's baseline and attacks). Profit and loss: realized (on chain, after resolution and redemption) and at the true odds (positions held before resolution valued at ${c.breachTruth}, read from chain).`,
    "",
  );
  const base = new Map(rep.breach.filter((b) => b.sustain === 0).map((b) => [b.seed, b]));
  md.push(
    mdTable(
      ["seed", "k", "price at attack end", "baseline", "after recovery", "breached", "attacker spent", "attacker realized", "attacker at true odds", "defenders realized", "defenders at true odds", "checks"],
      rep.breach.map((b) => {
        const att = b.actors.find((a) => a.role === "attacker");
        const def = b.actors.filter((a) => a.role === "defender");
        return [
          String(b.seed),
          String(b.sustain),
          `${(b.priceAtAttackEnd * 100).toFixed(1)}%`,
          `${((base.get(b.seed)?.priceAtAttackEnd ?? NaN) * 100).toFixed(1)}%`,
          `${(b.priceAfterRecovery * 100).toFixed(1)}%`,
          b.breached ? "yes" : "no",
          amt(b.attackerSpent),
          att ? delta(att.delta) : "-",
          att ? delta(att.expected) : "-",
          delta(def.reduce((s, a) => s + a.delta, 0n)),
          delta(def.reduce((s, a) => s + a.expected, 0n)),
          b.checks.contractsEmpty && b.checks.sumsToZero ? "ok" : "FAILED",
        ];
      }),
      ["r", "r", "r", "r", "r", "l", "r", "r", "r", "r", "r", "l"],
    ),
    "",
  );
  md.push(`![breach](breach.svg)`, "");
  md.push("## Run", "");
  md.push(
    `Seeds ${c.seeds.join(", ")}; k swept ${c.sustain.join(", ")}; variants at k = ${c.variantSustain}; honest traders look every ${c.stepBlocks} blocks, every block during the attack. ${rep.rows.length} decision runs and ${rep.breach.length} breach-market runs, ` +
      `${rep.rows.reduce((s, r) => s + r.transactions, 0) + rep.breach.reduce((s, r) => s + r.stats.transactions, 0)} transactions, in ${rep.seconds.toFixed(1)} s on ${netName(rep.network)} (chain ${rep.network.chainId}). ` +
      `Reproduce: \`npm run scenario -- manipulation --seeds ${c.seeds.join(",")}\`.`,
    "",
  );
  return md.join("\n");
}

export function manipulationSummary(rep: ManipulationReport): string {
  const out = ["Who profited (means over seeds, mUSD; LAB marked at its value under the decided branch):"];
  for (const x of conclusion(rep.rows)) {
    out.push(
      `  ${x.kind.padEnd(21)} k=${String(x.sustain).padStart(3)}: flipped ${x.flipped}/${x.runs}, attacker ${delta(x.attacker)}, defenders ${delta(x.defenders)}, LP ${delta(x.lp)} -> ${x.profited}`,
    );
  }
  const failed = rep.rows.filter((r) => !Object.values(r.checks).every(Boolean)).length + rep.breach.filter((b) => !(b.checks.contractsEmpty && b.checks.sumsToZero)).length;
  out.push(`Checks: ${failed === 0 ? "all ok" : `${failed} run(s) FAILED`}. ${rep.seconds.toFixed(1)} s on ${netName(rep.network)}.`);
  return out.join("\n");
}

export async function writeManipulationReport(rep: ManipulationReport, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const points: SweepPoint[] = rep.rows
    .filter((r) => r.kind === "attack")
    .map((r) => ({ seed: r.seed, kind: r.kind, sustain: r.sustain, attacker: Number(r.attacker?.value ?? 0n) / 1e18, defenders: Number(r.defenders.value) / 1e18, lp: Number(r.lp.value) / 1e18, flipped: r.changed }));
  const charts: Record<string, string> = { "sweep.svg": await renderSvg(sweepSpec(points)) };
  const attack = rep.charted.find((r) => r.attack);
  if (attack) charts["attack.svg"] = await renderSvg(branchSpec(attack, { fromBlock: Math.max(0, attack.window.blocks - 3 * (attack.attack?.sustain ?? 0) - 60) }));
  const firstSeed = rep.breach.filter((b) => b.seed === rep.breach[0]?.seed);
  if (firstSeed.length) charts["breach.svg"] = await renderSvg(breachPriceSpec(firstSeed));
  // The JSON keeps the charted runs' series; the rows are summaries.
  return writeAll(outDir, rep, charts, manipulationMarkdown(rep));
}

/** The checks a report failed (empty when every one held): entry points exit non-zero on any. */
export function failedFutarchyChecks(rep: ReleaseReport | ManipulationReport): string[] {
  if (rep.scenario === "release") return rep.runs.flatMap((r) => Object.entries(r.checks).filter(([, v]) => !v).map(([k]) => `${r.name}: ${k}`));
  return [
    ...rep.rows.flatMap((r) => Object.entries(r.checks).filter(([, v]) => !v).map(([k]) => `seed ${r.seed} ${r.kind} k=${r.sustain}: ${k}`)),
    ...rep.breach.flatMap((b) => Object.entries(b.checks).filter(([, v]) => !v).map(([k]) => `${b.name}: ${k}`)),
  ];
}
