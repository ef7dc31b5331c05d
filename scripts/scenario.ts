/**
 * `npm run scenario -- <name> [options] [--network localhost]` (the Hardhat task `scenario`): runs a
 * named scenario and writes reports/<name>/. `npm run scenario -- --help-scenarios` lists them.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseOrReport } from "./lib/format.js";
import { runScenario } from "./lib/scenario/engine.js";
import { runFutarchyScenario } from "./lib/scenario/futarchy/run.js";
import { flagFailedChecks, summary, writeReport } from "./lib/scenario/report.js";
import { USAGE, parseScenarioArgs } from "./lib/scenario/scenarios.js";
import { FUTARCHY_USAGE } from "./lib/scenario/futarchy/config.js";

export default async function scenarioTask(args: Record<string, unknown>, hre: HardhatRuntimeEnvironment): Promise<void> {
  if (args.list === true) {
    console.log(USAGE);
    console.log("");
    console.log(FUTARCHY_USAGE);
    return;
  }
  // The task's options, back to the argument list the scenario parser reads.
  const argv: string[] = [String(args.name)];
  for (const [key, value] of Object.entries(args)) {
    if (key === "name" || key === "list") continue;
    const flag = "--" + key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
    if (value === true) argv.push(flag);
    else if (typeof value === "string" && value !== "") argv.push(flag, value);
  }
  if (argv[0] === "release" || argv[0] === "manipulation") {
    await runFutarchyScenario(() => hre.network.create(), argv[0], argv.slice(1));
    return;
  }
  const parsed = parseOrReport(() => parseScenarioArgs(argv));
  if (parsed === undefined) return;
  const started = performance.now();
  const conn = await hre.network.create();
  try {
    const result = await runScenario(conn, parsed.config, { log: (line) => console.log(line) });
    console.log("");
    console.log(summary(result));
    const files = await writeReport(result, parsed.outDir);
    console.log(`Report: ${files.join(", ")}`);
    flagFailedChecks(result);
  } finally {
    await conn.close();
  }
  console.log(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}
