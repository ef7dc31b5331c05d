import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { createPledge, type CreateArgs } from "../scripts/lib/cli/pledge.js";
import { runCommand } from "./run.js";

export default function action(args: CreateArgs & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, createPledge);
}
