import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { settleAll, type SettleArgs } from "../scripts/lib/cli/settle.js";
import { runCommand } from "./run.js";

export default function action(args: SettleArgs & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, settleAll);
}
