/**
 * Holder scaling: does the last of 1,000 holders pay what the last of 10 pays? Vault redeem and
 * registry claim, each measured with every holder count in `settings.holderCounts` (fresh accounts,
 * first-time calls, same state; see holders.ts). Equal within 1% means no per-holder loop or growing
 * structure sits on the path.
 */
import type { BenchContext, Measured } from "./context.js";
import { runClaimants, runVaultHolders } from "./holders.js";
import { OP } from "./operations.js";
import { summarize, withinRelative, type GasSample } from "./stats.js";

export const SCALING_TOLERANCE = 0.01;

export interface ScalingCase {
  holders: number;
  /** Gas of the last holder's call. */
  last: number;
  /** Over every holder's call. */
  all: GasSample;
}

export interface ScalingResult {
  operation: string;
  cases: ScalingCase[];
  /** The last holder's gas is within 1% across every holder count. */
  lastEqual: boolean;
  /** The median is within 1% across every holder count. */
  medianEqual: boolean;
}

function toCase(holders: number, measured: Measured[]): ScalingCase {
  return { holders, last: measured[measured.length - 1].gas, all: summarize(measured.map((m) => m.gas)) };
}

function result(operation: string, cases: ScalingCase[]): ScalingResult {
  const [base] = cases;
  return {
    operation,
    cases,
    lastEqual: cases.every((c) => withinRelative(c.last, base.last, SCALING_TOLERANCE)),
    medianEqual: cases.every((c) => withinRelative(c.all.median, base.all.median, SCALING_TOLERANCE)),
  };
}

export async function measureScaling(ctx: BenchContext): Promise<ScalingResult[]> {
  const redeem: ScalingCase[] = [];
  const claim: ScalingCase[] = [];
  for (const n of ctx.settings.holderCounts) {
    ctx.log(`      ${n} vault holders: split, report, redeem`);
    redeem.push(toCase(n, (await runVaultHolders(ctx, `scaling ${n}`, n)).redeem));
    ctx.log(`      ${n} pledgers: createPledge, finalize, claim`);
    claim.push(toCase(n, (await runClaimants(ctx, `scaling ${n}`, n)).claim));
  }
  return [result(OP.redeem, redeem), result(OP.claim, claim)];
}
