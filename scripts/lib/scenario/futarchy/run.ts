/**
 * The entry of the futarchy scenarios for the `scenario` task (scripts/scenario.ts): parses the options, runs,
 * prints the summary and writes the report; a failed check sets a failing exit code.
 */
import { parseOrReport } from "../../format.js";
import { parseFutarchyArgs, type ManipulationConfig, type ReleaseConfig } from "./config.js";
import { failedFutarchyChecks, manipulationSummary, releaseSummary, writeManipulationReport, writeReleaseReport } from "./report.js";
import { type Connect, runManipulationScenario, runReleaseScenario } from "./scenarios.js";

export async function runFutarchyScenario(connect: Connect, name: "release" | "manipulation", argv: string[]): Promise<void> {
  const parsed = parseOrReport(() => parseFutarchyArgs(name, argv));
  if (parsed === undefined) return;
  const started = performance.now();
  const hooks = { log: (line: string) => console.log(line) };
  let files: string[];
  let failed: string[];
  if (name === "release") {
    const rep = await runReleaseScenario(connect, parsed.config as ReleaseConfig, hooks);
    console.log("");
    console.log(releaseSummary(rep));
    files = await writeReleaseReport(rep, parsed.outDir);
    failed = failedFutarchyChecks(rep);
  } else {
    const rep = await runManipulationScenario(connect, parsed.config as ManipulationConfig, hooks);
    console.log("");
    console.log(manipulationSummary(rep));
    files = await writeManipulationReport(rep, parsed.outDir);
    failed = failedFutarchyChecks(rep);
  }
  console.log(`Report: ${files.join(", ")}`);
  if (failed.length > 0) {
    console.error(`Conservation check failed: ${failed.join(", ")}`);
    process.exitCode = 1;
  }
  console.log(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}
