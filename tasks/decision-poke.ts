import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { pokeDecision, type DecisionIdArgs } from "../scripts/lib/cli/decision.js";
import { runCommand } from "./run.js";

export default function action(args: DecisionIdArgs & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, pokeDecision);
}
