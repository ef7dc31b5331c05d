/**
 * A scenario's outputs: the summary printed at the end of a run, and reports/<scenario>/ with
 * report.json (every number, bigints as decimal strings), report.md (the verdict first, then the
 * charts and tables) and the SVG charts.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { fmtAmount, fmtDelta, renderTable, toJson } from "../format.js";
import { renderCharts } from "./charts.js";
import type { ScenarioResult } from "./engine.js";

function fmts(r: ScenarioResult) {
  const d = r.token.decimals;
  return {
    amt: (v: bigint) => fmtAmount(v, d, 0),
    delta: (v: bigint) => fmtDelta(v - (v % 10n ** BigInt(d)), d),
  };
}

/** The actors' table: on-chain change, off-chain payoffs (labs), total. */
export function actorTable(r: ScenarioResult, markdown = false): string {
  const { amt, delta } = fmts(r);
  const header = ["actor", `before (${r.token.symbol})`, "after", "on-chain change", "alignment tax (off-chain)", "private gain (off-chain)", "total"];
  const rows = r.actors.map((a) => [
    a.actor,
    amt(a.before),
    amt(a.after),
    delta(a.delta),
    a.role === "lab" ? delta(a.alignmentTaxPaid) : "",
    a.role === "lab" ? delta(a.privateGain) : "",
    delta(a.total),
  ]);
  if (!markdown) return renderTable(header, rows);
  return mdTable(header, rows, ["l", "r", "r", "r", "r", "r", "r"]);
}

function mdTable(header: string[], rows: string[][], align: ("l" | "r")[]): string {
  const rule = align.map((a) => (a === "r" ? "---:" : ":---"));
  return [header, rule, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

/** One sentence per defector, and who gained most. */
export function verdict(r: ScenarioResult): string[] {
  const { amt } = fmts(r);
  const s = r.token.symbol;
  const lines: string[] = [];
  for (const d of r.defectors) {
    const row = r.actors.find((a) => a.actor === d.lab)!;
    if (d.caught === 0) {
      lines.push(`${d.lab} defected on day ${d.defectedAtPeriod * r.config.periodDays} and was never caught: its bond came back; net ${fmts(r).delta(row.total)} ${s} with its private gain.`);
      continue;
    }
    lines.push(
      `${d.lab} defected on day ${d.defectedAtPeriod * r.config.periodDays} and LOST ${amt(d.onchainLoss)} ${s} on chain ` +
        `(slashed bond ${amt(d.slashedBonds)}, dispute bond ${amt(d.disputeBondsLost)}, market subsidy ${amt(d.subsidyLoss)}); ` +
        `with its off-chain private gain and taxes saved its total is ${fmts(r).delta(row.total)} ${s}.`,
    );
  }
  if (r.defectors.length === 0) lines.push("No lab defected.");
  if (r.pact !== null) {
    const p = r.pact;
    for (const b of p.breaches) {
      lines.push(
        `Through pact #${p.pactId}, ${b.lab}'s slashed bond paid the labs that kept the pledge ${amt(b.toKeepers + b.forfeited)} ${s}` +
          ` and the safety fund ${amt(b.toBeneficiary)} ${s} (after the challenger's reward).`,
      );
    }
    if (p.keepers.length) lines.push(`Keeper shares taken from the pact: ${p.keepers.map((k) => `${k.lab} +${amt(k.shares)}`).join(", ")} ${s}.`);
  }
  const gainers = r.actors.filter((a) => a.delta > 0n).sort((a, b) => (b.delta > a.delta ? 1 : -1));
  if (gainers.length) lines.push(`Gained on chain: ${gainers.map((a) => `${a.actor} +${amt(a.delta)}`).join(", ")} ${s}.`);
  const keepers = r.actors.filter((a) => a.role === "lab" && !r.defectors.some((d) => d.lab === a.actor));
  if (keepers.length) lines.push(`Labs that kept their pledges: ${keepers.map((a) => `${a.actor} ${fmts(r).delta(a.total)}`).join(", ")} ${s} in total (their alignment tax and market subsidy${r.pact ? ", and their keeper shares" : ""}).`);
  return lines;
}

/** The summary printed at the end of a run. */
export function summary(r: ScenarioResult): string {
  const { amt } = fmts(r);
  const out = [actorTable(r), ""];
  for (const d of r.defectors) {
    if (d.flows.length === 0) continue;
    out.push(`Where ${d.lab}'s ${amt(d.onchainLoss)} ${r.token.symbol} went:`);
    out.push(renderTable(["to", "via", r.token.symbol], d.flows.map((f) => [f.to, f.via, amt(f.amount)]), ["l", "l", "r"]));
    out.push("");
  }
  out.push(...verdict(r));
  out.push(
    `Escrow after everyone claimed: registry ${amt(r.registryBalanceAfter)}, pacts ${amt(r.pactsBalanceAfter)}, markets ${amt(r.marketsBalanceAfter)} ${r.token.symbol}. ` +
      `Checks: registry and pacts empty ${ok(r.conservation.registryEmpty)}, defector loss = slashed + dispute + subsidy ${ok(r.conservation.defectorLossExplained)}, value conserved ${ok(r.conservation.actorsSumToZero)}.`,
  );
  out.push(`${r.stats.transactions} transactions (${r.stats.trades} trades), ${r.stats.gasUsed} gas, ${r.stats.seconds.toFixed(1)} s on ${netName(r)} (chain ${r.network.chainId}), seed ${r.seed}.`);
  return out.join("\n");
}

/** Hardhat names its in-process network "default". */
const netName = (r: ScenarioResult) => (r.network.name === "default" ? "the in-process network" : r.network.name);

const ok = (b: boolean) => (b ? "ok" : "FAILED");

export function markdown(r: ScenarioResult, charts: string[]): string {
  const { amt } = fmts(r);
  const s = r.token.symbol;
  const c = r.config;
  const md: string[] = [`# ${r.title}`, ""];
  md.push(...verdict(r).map((l) => `**${l}**`).join("\n\n").split("\n"), "");
  for (const name of charts) md.push(`![${name}](${name})`, "");
  md.push("## Profit and loss", "", actorTable(r, true), "");
  md.push(
    "On-chain columns are token balances read from the chain before the first pledge and after the last claim. " +
      "The alignment tax and the private gain are **off-chain bookkeeping** of the labs' payoffs: no contract knows " +
      "what keeping a pledge costs a lab or what breaking it earns. Total = on-chain change + off-chain payoffs.",
    "",
  );
  for (const d of r.defectors) {
    md.push(`## Where ${d.lab}'s value went`, "");
    md.push(`${d.lab} defected on day ${d.defectedAtPeriod * c.periodDays}; ${d.caught} of its ${d.pledges} pledge(s) were caught. Read from the PledgeSlashed, DisputeBondsSettled and SubsidyWithdrawn events${r.pact ? ", and the pact's BreachRecorded, SharesClaimed and PactSettled" : ""}:`, "");
    md.push(mdTable(["to", "via", s], d.flows.map((f) => [f.to, f.via, amt(f.amount)]), ["l", "l", "r"]), "");
    md.push(`When it defected, the DefectionLens put what it stood to lose on chain if caught at ${amt(d.costAtDefection)} ${s} (bond, forfeited keeper shares and market subsidy at the prices then).`, "");
    md.push(`On-chain loss ${amt(d.onchainLoss)} = slashed bonds ${amt(d.slashedBonds)} + dispute bonds lost ${amt(d.disputeBondsLost)} + market subsidy lost ${amt(d.subsidyLoss)}${d.bondsReturned > 0n ? ` (bonds returned, never caught: ${amt(d.bondsReturned)})` : ""}.`, "");
  }
  md.push("## Pledges", "");
  if (r.pledges.length <= 20) {
    md.push(
      mdTable(
        ["pledge", "lab", "defected (day)", "challenged (day)", "disputed", "outcome", `subsidy (${s})`, "withdrawn"],
        r.pledges.map((p) => [
          `#${p.pledgeId}`,
          p.lab,
          p.defected ? String((p.defectedAtPeriod ?? 0) * c.periodDays) : "no",
          p.challengedAtPeriod === null ? "-" : String(p.challengedAtPeriod * c.periodDays),
          p.disputed ? "yes" : "no",
          p.outcome,
          amt(p.subsidy),
          amt(p.subsidyBack),
        ]),
        ["l", "l", "r", "r", "l", "l", "r", "r"],
      ),
      "",
    );
  } else {
    const count = (f: (p: ScenarioResult["pledges"][number]) => boolean) => r.pledges.filter(f).length;
    md.push(
      `${r.pledges.length} pledges: ${count((p) => p.defected)} breached by their lab, ${count((p) => p.outcome === "Breached")} ruled Breached, ` +
        `${count((p) => p.outcome === "Honored")} Honored (${count((p) => p.defected && p.outcome === "Honored")} of them breaches never caught). Every pledge is in report.json.`,
      "",
    );
  }
  md.push("## Checks (read from chain)", "");
  md.push(`- Registry balance after everyone claimed: ${amt(r.registryBalanceAfter)} ${s}; Pacts contract: ${amt(r.pactsBalanceAfter)} ${s} (${ok(r.conservation.registryEmpty)})`);
  md.push(`- Vault, maker and breach-markets balance: ${amt(r.marketsBalanceAfter)} ${s}`);
  md.push(`- Each defector's loss = slashed bonds + dispute bonds lost + subsidy lost: ${ok(r.conservation.defectorLossExplained)}`);
  md.push(`- The actors' on-chain changes sum to zero: ${ok(r.conservation.actorsSumToZero)}`, "");
  md.push("## Run", "");
  md.push(
    `Scenario \`${r.scenario}\`, seed ${r.seed}, network ${netName(r)} (chain ${r.network.chainId}). ` +
      `${c.labs} labs x ${c.pledgesPerLab} pledge(s) of ${amt(BigInt(c.bond) * 10n ** BigInt(r.token.decimals))} ${s}, ${c.watchers} watchers (detect ${c.detect} per period), ${c.traders} traders, ` +
      `${c.periods} periods of ${c.periodDays} days + ${c.graceDays} days grace; tax ${c.tax0} and gain ${c.gain0} per pledge, growing ${c.pressureGrowth * 100}% a period; ` +
      `dispute: ${c.dispute ? "yes" : "no"}. ${r.stats.transactions} transactions (${r.stats.trades} trades) in ${r.stats.seconds.toFixed(1)} s. ` +
      `Reproduce: \`npm run scenario -- ${r.scenario} --seed ${r.seed}\`.`,
    "",
  );
  return md.join("\n");
}

/** The conservation checks a run failed (empty when every one held): entry points exit non-zero on any. */
export function failedChecks(r: ScenarioResult): string[] {
  return Object.entries(r.conservation).filter(([, held]) => !held).map(([name]) => name);
}

/** For the entry points (demo, scenario task): prints the conservation checks that failed, if any, and sets a failing exit code. */
export function flagFailedChecks(r: ScenarioResult): void {
  const failed = failedChecks(r);
  if (failed.length === 0) return;
  console.error(`Conservation check failed: ${failed.join(", ")}`);
  process.exitCode = 1;
}

/** Writes report.json, report.md and the charts to `outDir`; returns the files written. */
export async function writeReport(r: ScenarioResult, outDir: string, extra: Record<string, unknown> = {}): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const charts = await renderCharts(r);
  const files: string[] = [];
  const put = async (name: string, text: string) => {
    const file = path.join(outDir, name);
    await writeFile(file, text);
    files.push(file);
  };
  await put("report.json", toJson({ ...r, ...extra }) + "\n");
  for (const [name, svg] of Object.entries(charts)) await put(name, svg);
  await put("report.md", markdown(r, Object.keys(charts)));
  return files;
}
