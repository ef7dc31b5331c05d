import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { challengePledge, type ChallengeArgs } from "../scripts/lib/cli/pledge.js";
import { runCommand } from "./run.js";

export default function action(args: ChallengeArgs & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, challengePledge);
}
