/**
 * `pledge settle`: one pass over every pledge id the registry has issued (read off-chain, so the
 * scan's length costs no gas): voids overdue rulings, finalizes every due pledge (Slashable or
 * Releasable), then resolves every breach market whose outcome is fixed. Each step is a separate
 * transaction from the `--from` account; anyone may send them. A step that reverts is listed as
 * failed and the scan goes on.
 */
import type { NetworkConnection } from "hardhat/types/network";

import { UserInputError } from "../format.js";
import { stateName } from "../states.js";
import {
  type CommonArgs,
  knowErrorsOf,
  marketsIfKnown,
  registryAt,
  send,
  walletFor,
} from "./context.js";

export interface SettleArgs extends CommonArgs {
  dryRun: boolean;
}

export interface SettleStep {
  pledgeId: string;
  action: "voidChallenge" | "finalize" | "resolveMarket";
  result: string;
  transaction: string;
}

/** Settles everything due; returns the steps taken (or, with `dryRun`, the steps it would take). */
export async function settleAll(conn: NetworkConnection, args: SettleArgs) {
  const registry = await registryAt(conn, args);
  const markets = await marketsIfKnown(conn, args);
  knowErrorsOf(registry, ...(markets === null ? [] : [markets.breachMarkets, markets.maker, markets.vault]));
  const wallet = await walletFor(conn, args.from);
  const count = await registry.read.pledgeCount();
  const steps: SettleStep[] = [];
  const step = async (pledgeId: bigint, action: SettleStep["action"], run: () => Promise<`0x${string}`>, result: () => Promise<string>) => {
    if (args.dryRun) {
      steps.push({ pledgeId: pledgeId.toString(), action, result: "(dry run)", transaction: "" });
      return;
    }
    // One failed step (e.g. someone else settled the same pledge first) does not stop the others.
    try {
      const tx = await send(conn, `${action} #${pledgeId}`, run);
      steps.push({ pledgeId: pledgeId.toString(), action, result: await result(), transaction: tx });
    } catch (error) {
      if (!(error instanceof UserInputError)) throw error;
      steps.push({ pledgeId: pledgeId.toString(), action, result: `failed: ${error.message}`, transaction: "" });
    }
  };
  const stateOf = async (id: bigint) => stateName(await registry.read.state([id]));

  for (let id = 1n; id <= count; id++) {
    let state = await stateOf(id);
    if (state === "RulingOverdue") {
      await step(id, "voidChallenge", () => registry.write.voidChallenge([id], { account: wallet.account }), async () => `bonds refunded; pledge ${await stateOf(id)}`);
      state = args.dryRun ? state : await stateOf(id);
    }
    if (state === "Slashable" || state === "Releasable") {
      await step(id, "finalize", () => registry.write.finalize([id], { account: wallet.account }), () => stateOf(id));
      state = args.dryRun ? (state === "Slashable" ? "Breached" : "Honored") : await stateOf(id);
    }
    if (markets === null || !["Breached", "Honored", "Slashable", "Releasable"].includes(state)) continue;
    const conditionId = await markets.breachMarkets.read.conditionOf([id]);
    if ((await markets.maker.read.marketState([conditionId])) === 0) continue; // no market
    if ((await markets.vault.read.conditionState([conditionId])) === 2) continue; // already resolved
    await step(
      id,
      "resolveMarket",
      () => markets.breachMarkets.write.resolve([id], { account: wallet.account }),
      async () => (state === "Breached" || state === "Slashable" ? "BREACH pays 1" : "HONOR pays 1"),
    );
  }
  return { scanned: count.toString(), dryRun: args.dryRun, markets: markets === null ? "unknown (pass --markets)" : markets.breachMarkets.address, steps };
}
