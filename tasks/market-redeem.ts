import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { redeemShares, type RedeemArgs } from "../scripts/lib/cli/market.js";
import { runCommand } from "./run.js";

export default function action(args: RedeemArgs & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, redeemShares);
}
