import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { propose, type ProposeArgs } from "../scripts/lib/cli/decision.js";
import { runCommand } from "./run.js";

export default function action(args: ProposeArgs & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, propose);
}
