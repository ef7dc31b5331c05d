/**
 * PledgeRegistry rows (no Gnosis anchor): createPledge and claim, each by `settings.samples` distinct
 * fresh pledgers (see holders.ts for the state each call sees).
 */
import { runClaimants } from "../holders.js";
import { Recorder, type Measurer } from "../measurer.js";
import { OP } from "../operations.js";

export const pledgeRegistryMeasurer: Measurer = {
  name: "PledgeRegistry",
  async measure(ctx) {
    const run = await runClaimants(ctx, "rows", ctx.settings.samples);
    const rec = new Recorder();
    for (const m of run.createPledge) rec.ours(OP.createPledge, m);
    for (const m of run.claim) rec.ours(OP.claim, m);
    return rec.rows();
  },
};
