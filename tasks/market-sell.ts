import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { sellShares, type TradeArgs } from "../scripts/lib/cli/market.js";
import { runCommand } from "./run.js";

type Args = Omit<TradeArgs, "limit"> & { minReturn: string; json: boolean };

export default function action(args: Args, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, { ...args, limit: args.minReturn }, sellShares);
}
