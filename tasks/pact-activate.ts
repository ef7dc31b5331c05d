import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { activatePact } from "../scripts/lib/cli/pact.js";
import { runCommand } from "./run.js";

export default function action(args: Parameters<typeof activatePact>[1] & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, activatePact);
}
