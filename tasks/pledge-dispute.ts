import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { disputeChallenge, type DisputeArgs } from "../scripts/lib/cli/pledge.js";
import { runCommand } from "./run.js";

export default function action(args: DisputeArgs & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, disputeChallenge);
}
