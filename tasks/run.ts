import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import { AllowanceError } from "../scripts/lib/cli/context.js";
import { renderResult } from "../scripts/lib/cli/render.js";
import { toJson, UserInputError } from "../scripts/lib/format.js";

/**
 * Runs one command of the command-line interface on a fresh connection to the selected network and
 * prints its result (tables, or JSON with --json). Input errors become HardhatPluginErrors: a
 * message, no stack trace; a missing allowance also gets the command line to rerun with --approve.
 */
export async function runCommand<A extends { json: boolean }>(
  hre: HardhatRuntimeEnvironment,
  args: A,
  command: (conn: NetworkConnection, args: A) => Promise<Record<string, unknown>>,
): Promise<void> {
  const conn = await hre.network.create();
  try {
    const result = await command(conn, args);
    console.log(args.json ? toJson(result) : renderResult(result));
  } catch (error) {
    if (error instanceof AllowanceError) {
      const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`);
      const rerun = `npx hardhat ${process.argv.slice(2).map(quote).join(" ")} --approve`;
      throw new HardhatPluginError("pledge-markets", `${error.message}\n  ${rerun}`);
    }
    if (error instanceof UserInputError) throw new HardhatPluginError("pledge-markets", error.message);
    throw error;
  } finally {
    await conn.close();
  }
}
