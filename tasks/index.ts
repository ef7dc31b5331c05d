import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

/** The options of `hardhat scenario` (text, checked by the scenario parser). */
const SCENARIO_OPTIONS: [string, string][] = [
  ["seed", "Random seed: the same seed gives the same run"],
  ["labs", "Number of labs"],
  ["pledgesPerLab", "Pledges (each with its breach market) per lab"],
  ["watchers", "Number of watchers"],
  ["traders", "Number of traders"],
  ["periods", "Periods of the pledges' term"],
  ["periodDays", "Days per period"],
  ["graceDays", "Grace period after expiry, days"],
  ["bond", "Bond per pledge, whole tokens"],
  ["challengeBond", "Challenge bond, whole tokens"],
  ["liquidity", "LMSR liquidity b of each breach market, whole tokens"],
  ["feeBps", "Trading fee, basis points"],
  ["tax", "Alignment tax per pledge in the first period (off-chain)"],
  ["gain", "Private gain per pledge of defecting in the first period (off-chain)"],
  ["pressure", "Growth of tax and gain per period (0.2 = 20%)"],
  ["overconfidence", "Per lab, comma-separated, 0..1: how much it discounts the chance of being caught"],
  ["detect", "Probability per period that a watcher detects a breach"],
  ["tradesPerPeriod", "Trades per period (0: each trader looks at each open market)"],
  ["maxTrades", "Stop trading after this many trades"],
  ["prior", "Public prior of a breach in the first period"],
  ["out", "Report folder (default reports/<name>)"],
];

/** The command-line interface: `npx hardhat pledge <command> --help`. */
export const tasks = [
  emptyTask("pledge", "Read and drive pledges").build(),
  task(["pledge", "status"], "Show a pledge: state, bond, deadlines, open challenge, who can claim what")
    .addPositionalArgument({ name: "id", description: "The pledge id", type: ArgumentType.BIGINT })
    .addOption({
      name: "registry",
      description: "Registry address (default: the PledgeSystem deployment Ignition recorded for this chain)",
      defaultValue: "",
    })
    .addFlag({ name: "json", description: "Print JSON instead of tables" })
    .setAction(() => import("./pledge-status.js"))
    .build(),
  scenarioTask(),
];

/**
 * `npx hardhat scenario <name> [--seed N] [--labs N] ...` (`npm run scenario -- ...`): an agent-based
 * scenario on the real contracts; see docs/scenarios.md. Every option is passed as text to the
 * scenario parser (scripts/lib/scenario/scenarios.ts), which checks it.
 */
function scenarioTask() {
  // The builder's type grows with each option; the loop adds string options only, so one type serves.
  type Builder = { addOption(o: { name: string; description: string; defaultValue: string }): Builder };
  const t = task("scenario", "Run an agent-based scenario on the real contracts; writes reports/<name>/")
    .addPositionalArgument({ name: "name", description: "flagship | undisputed | race | scale", defaultValue: "flagship" })
    .addFlag({ name: "list", description: "List the scenarios and their options" })
    .addFlag({ name: "noDispute", description: "The defector does not dispute" })
    .addFlag({ name: "quiet", description: "Progress bars instead of a line per period" });
  let b = t as unknown as Builder;
  for (const [name, description] of SCENARIO_OPTIONS) b = b.addOption({ name, description, defaultValue: "" });
  return (b as unknown as typeof t).setAction(() => import("../scripts/scenario.js")).build();
}
