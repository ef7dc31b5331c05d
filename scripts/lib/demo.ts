/**
 * The demo (`npm run demo`, `make demo`): the flagship scenario of scripts/lib/scenario/ on the real
 * contracts. N labs pledge, competitive pressure mounts, one defects, the markets reprice, a watcher
 * challenges, the defector disputes (or nobody does), the committee rules, markets and bonds settle.
 * It prints progress and a summary, and writes report.json, report.md and SVG charts to `outDir`.
 */
import type { NetworkConnection } from "hardhat/types/network";

import type { ScenarioResult } from "./scenario/engine.js";
import { runScenario } from "./scenario/engine.js";
import { summary, writeReport } from "./scenario/report.js";
import { SCENARIOS } from "./scenario/scenarios.js";

export interface DemoOptions {
  /** true: the defector disputes and the committee rules; false: nobody disputes (the breach stands after the liveness). */
  dispute: boolean;
  /** Folder for report.json, report.md and the charts. */
  outDir: string;
  log: (line: string) => void;
  /** Random seed (default: the flagship's). */
  seed?: number;
  /** Number of labs (default 3); the second lab is the overconfident one that defects. */
  labs?: number;
}

/**
 * The demo's report: every field of a scenario's result. Kept names and meanings: `scenario`,
 * `network.chainId`, `registryBalanceAfter` (bond-token balance of the registry after everyone
 * claimed) and `defectorLoss` (what the defector's token balance lost on chain).
 */
export type DemoReport = ScenarioResult;

export async function runDemo(conn: NetworkConnection, opts: DemoOptions): Promise<DemoReport> {
  const preset = SCENARIOS.flagship.config;
  const config = {
    ...preset,
    name: opts.dispute ? "flagship" : "undisputed",
    title: opts.dispute ? preset.title : SCENARIOS.undisputed.config.title,
    dispute: opts.dispute,
    seed: opts.seed ?? preset.seed,
    labs: opts.labs ?? preset.labs,
  };
  const result = await runScenario(conn, config, { log: opts.log });
  opts.log("");
  opts.log(summary(result));
  const files = await writeReport(result, opts.outDir);
  opts.log(`Report: ${files.join(", ")}`);
  return result;
}
