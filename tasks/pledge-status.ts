import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { decisionsIfKnown, lensIfKnown, marketsIfKnown } from "../scripts/lib/cli/context.js";
import { renderTable, toJson, UserInputError } from "../scripts/lib/format.js";
import { pledgeStatus, resolveRegistry } from "../scripts/lib/status.js";

interface Args {
  id: bigint;
  registry: string;
  markets: string;
  decisions: string;
  lens: string;
  json: boolean;
}

export default async function pledgeStatusAction(args: Args, hre: HardhatRuntimeEnvironment) {
  const conn = await hre.network.create();
  try {
    const registry = await resolveRegistry(conn, args.registry);
    const markets = await marketsIfKnown(conn, { markets: args.markets });
    const decisions = await decisionsIfKnown(conn, { decisions: args.decisions });
    const status = await pledgeStatus(conn, registry, args.id, markets, decisions, await lensIfKnown(conn, { lens: args.lens }));
    if (args.json) {
      console.log(toJson(status));
      return;
    }
    const { openChallenge, claimable, ...fields } = status;
    const kv = (o: Record<string, unknown>) => Object.entries(o).map(([k, v]) => [k, String(v)]);
    console.log(renderTable(["pledge", ""], kv(fields), ["l", "l"]));
    if (openChallenge !== null) {
      const { role, ...challenge } = openChallenge;
      console.log(`\nchallenge (${role})`);
      console.log(renderTable(["challenge", ""], kv(challenge), ["l", "l"]));
    }
    console.log("\nclaimable now (withdraw with claim)");
    console.log(renderTable(["who", "amount"], kv(claimable)));
  } catch (error) {
    if (error instanceof UserInputError) throw new HardhatPluginError("pledge-markets", error.message);
    throw error;
  } finally {
    await conn.close();
  }
}
