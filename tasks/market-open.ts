import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { openMarket, type OpenArgs } from "../scripts/lib/cli/market.js";
import { runCommand } from "./run.js";

export default function action(args: OpenArgs & { json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runCommand(hre, args, openMarket);
}
