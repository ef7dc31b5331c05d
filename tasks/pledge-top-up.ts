import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { topUpPledge, type TopUpArgs } from "../scripts/lib/cli/pledge.js";
import { runCommand } from "./run.js";

export default function action(args: TopUpArgs & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, topUpPledge);
}
