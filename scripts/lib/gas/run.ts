/**
 * `npm run bench:gas`: the gas benchmark of our contracts against Gnosis's on one network. Steps:
 * fetch the Gnosis artifacts (cached), deploy both sides, run every measurer (measurers/index.ts),
 * measure holder scaling, then print and write the reports.
 */
import { createRequire } from "node:module";
import os from "node:os";

import type { NetworkConnection } from "hardhat/types/network";

import type { BenchSettings } from "./context.js";
import { ensureGnosisArtifacts, GNOSIS_PACKAGES } from "./gnosis-artifacts.js";
import type { MeasuredRow } from "./measurer.js";
import { MEASURERS } from "./measurers/index.js";
import { mergeRows, renderConsole, sqrtFits, writeReports, type GasReport, type MachineInfo } from "./report.js";
import { measureScaling } from "./scaling.js";
import { createBench } from "./setup.js";

export interface GasBenchOptions {
  settings: BenchSettings;
  /** Where the Gnosis artifacts are cached (git-ignored). */
  gnosisCacheDir: string;
  /** Folder for gas.json and gas-details.json. */
  outDir: string;
  /** The generated Markdown page. */
  docsFile: string;
  log: (line: string) => void;
}

function machineInfo(conn: NetworkConnection): MachineInfo {
  const require = createRequire(import.meta.url);
  const hardhat = (require("hardhat/package.json") as { version: string }).version;
  const cfg = conn.networkConfig;
  return {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    hardhat,
    hardfork: cfg.type === "edr-simulated" ? cfg.hardfork : null,
  };
}

export async function runGasBench(conn: NetworkConnection, opts: GasBenchOptions): Promise<GasReport> {
  const started = performance.now();
  const { log, settings } = opts;

  log("[1/5] Gnosis artifacts");
  ensureGnosisArtifacts(opts.gnosisCacheDir, log);

  log("[2/5] Deploying our contracts and Gnosis's on one network");
  const ctx = await createBench(conn, settings, opts.gnosisCacheDir, log);

  log(`[3/5] Measuring, each row over ${settings.samples} condition ids / markets / pledgers`);
  const rows: MeasuredRow[] = [];
  for (const measurer of MEASURERS) {
    const t = performance.now();
    rows.push(...(await measurer.measure(ctx)));
    log(`      ${measurer.name} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }

  log(`[4/5] Holder scaling: ${settings.holderCounts.join(" vs ")} holders`);
  const scaling = await measureScaling(ctx);

  log("[5/5] Report");
  const merged = mergeRows(rows);
  const report: GasReport = {
    generatedAt: new Date().toISOString(),
    runtimeSeconds: (performance.now() - started) / 1000,
    machine: machineInfo(conn),
    settings,
    gnosis: { packages: Object.values(GNOSIS_PACKAGES).map((p) => p.spec), deployGas: ctx.gnosis.deployGas },
    rows: merged,
    sqrtFits: sqrtFits(merged),
    scaling,
  };
  log("");
  log(renderConsole(report));
  log("");
  for (const file of await writeReports(report, opts.outDir, opts.docsFile)) log(`Wrote ${file}`);
  return report;
}
