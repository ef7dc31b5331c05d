import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { finalizePledge, type FinalizeArgs } from "../scripts/lib/cli/pledge.js";
import { runCommand } from "./run.js";

export default function action(args: FinalizeArgs & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, finalizePledge);
}
