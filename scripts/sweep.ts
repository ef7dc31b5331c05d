/**
 * `npm run sweep -- [options]` (the Hardhat task `sweep`): the regime sweep of issue 7. Runs the grid on chain,
 * prints the findings and writes reports/sweep/ (or --out). `npx hardhat sweep --help-sweep` lists the options.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseOrReport } from "./lib/format.js";
import { SWEEP_USAGE, parseSweepArgs } from "./lib/sweep/config.js";
import { summary, writeSweepReport } from "./lib/sweep/report.js";
import { runSweep } from "./lib/sweep/run.js";

export default async function sweepTask(args: Record<string, unknown>, hre: HardhatRuntimeEnvironment): Promise<void> {
  if (args.helpSweep === true) {
    console.log(SWEEP_USAGE);
    return;
  }
  // The task's options, back to the argument list the sweep's parser reads.
  const argv: string[] = [];
  for (const [key, value] of Object.entries(args)) {
    if (key === "helpSweep") continue;
    const flag = "--" + key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
    if (value === true) argv.push(flag);
    else if (typeof value === "string" && value !== "") argv.push(flag, value);
  }
  const cfg = parseOrReport(() => parseSweepArgs(argv));
  if (cfg === undefined) return;
  const run = await runSweep(cfg, () => hre.network.create());
  console.log("");
  console.log(summary(run));
  const files = await writeSweepReport(run, cfg.outDir);
  console.log(`Report: ${files.join(", ")}`);
  console.log(`Done in ${run.seconds.total.toFixed(1)} s.`);
}
