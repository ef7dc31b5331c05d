import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { createPact } from "../scripts/lib/cli/pact.js";
import { runCommand } from "./run.js";

export default function action(args: Parameters<typeof createPact>[1] & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, createPact);
}
