import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { buyShares, type TradeArgs } from "../scripts/lib/cli/market.js";
import { runCommand } from "./run.js";

type Args = Omit<TradeArgs, "limit"> & { maxCost: string; json: boolean };

export default function action(args: Args, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, { ...args, limit: args.maxCost }, buyShares);
}
