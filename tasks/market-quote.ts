import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { quoteMarket, type QuoteArgs } from "../scripts/lib/cli/market.js";
import { runCommand } from "./run.js";

export default function action(args: QuoteArgs & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, quoteMarket);
}
