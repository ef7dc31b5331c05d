import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { tradeDecision, type DecisionTradeArgs } from "../scripts/lib/cli/decision.js";
import { runCommand } from "./run.js";

export default function action(args: DecisionTradeArgs & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, tradeDecision);
}
