/**
 * One sweep: the grid's work units run on chain (pool.ts), then analysed (analysis.ts). Returns everything the
 * report needs; writing it is report.ts's.
 */
import os from "node:os";

import type { NetworkConnection } from "hardhat/types/network";

import { analyze } from "./analysis.js";
import { type SweepConfig, workUnits } from "./config.js";
import { runUnits } from "./pool.js";
import { type SweepRun, checks, machine } from "./report.js";

export async function runSweep(
  cfg: SweepConfig,
  connect: () => Promise<NetworkConnection>,
  progressOut?: { isTTY?: boolean; write(s: string): unknown },
): Promise<SweepRun> {
  const started = performance.now();
  const loadBefore = os.loadavg();
  const units = await runUnits(workUnits(cfg), { workers: cfg.workers, connect, progressOut });
  const runsSeconds = (performance.now() - started) / 1000;
  const ck = checks(units);
  if (!ck.escrowEmpty || !ck.conserved) process.exitCode = 1;
  const analysis = analyze(cfg, units);
  return { config: cfg, units, analysis, seconds: { runs: runsSeconds, total: (performance.now() - started) / 1000 }, machine: machine(loadBefore) };
}
