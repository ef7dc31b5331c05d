import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { redeemDecision, type DecisionRedeemArgs } from "../scripts/lib/cli/decision.js";
import { runCommand } from "./run.js";

export default function action(args: DecisionRedeemArgs & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, redeemDecision);
}
