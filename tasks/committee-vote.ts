import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { committeeVote, type VoteArgs } from "../scripts/lib/cli/pledge.js";
import { runCommand } from "./run.js";

export default function action(args: VoteArgs & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, committeeVote);
}
