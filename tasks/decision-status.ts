import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { decisionStatus, type DecisionStatusArgs } from "../scripts/lib/cli/decision.js";
import { runCommand } from "./run.js";

export default function action(args: DecisionStatusArgs & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, decisionStatus);
}
