import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { claim, type ClaimArgs } from "../scripts/lib/cli/pledge.js";
import { runCommand } from "./run.js";

export default function action(args: ClaimArgs & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, claim);
}
