/**
 * A measurer measures some rows of the benchmark: our side, the Gnosis anchor, or both, each in the
 * state its row name describes (see operations.ts). The runner merges rows of the same name from
 * different measurers, so our side and the anchor of a row can come from separate measurers: to add
 * rows (e.g. our LMSR market maker's buy and sell), write one measurer that returns rows named like
 * the anchors (`OP.lmsrBuyFirst`, ...) with `ours` filled in, and list it in measurers/index.ts.
 */
import type { BenchContext, Measured } from "./context.js";
import { floorFor, type FloorResult } from "./floor.js";
import { summarize, type GasSample } from "./stats.js";

export interface MeasuredRow {
  operation: string;
  /** Our gas over the samples; null when this measurer does not measure our side. */
  ours: GasSample | null;
  /** The Gnosis anchor's gas over the samples; null when there is no anchor or another measurer has it. */
  anchor: GasSample | null;
  /** Which Gnosis contract and function, e.g. "ConditionalTokens.splitPosition". */
  anchorName: string | null;
  /** Storage floor of our operation (floor.ts), or null when there is no spec for it. */
  floor: FloorResult | null;
  /** Per-sample anchor gas, with the square-root attempts of the ids when they decide the gas. */
  anchorSamples?: { gas: number[]; sqrtAttempts?: number[] };
}

export interface Measurer {
  name: string;
  measure: (ctx: BenchContext) => Promise<MeasuredRow[]>;
}

/** Collects measured transactions per row and side, in first-recorded order, and turns them into rows. */
export class Recorder {
  private readonly order: string[] = [];
  private readonly oursByOp = new Map<string, Measured[]>();
  private readonly anchorsByOp = new Map<string, { name: string; samples: Measured[]; attempts: number[] }>();

  private seen(operation: string): void {
    if (!this.order.includes(operation)) this.order.push(operation);
  }

  ours(operation: string, measured: Measured): void {
    this.seen(operation);
    const list = this.oursByOp.get(operation) ?? [];
    list.push(measured);
    this.oursByOp.set(operation, list);
  }

  /** Records an anchor sample; `sqrtAttempts` when the Gnosis id derivation decides its gas. */
  anchor(operation: string, anchorName: string, measured: Measured, sqrtAttempts?: number): void {
    this.seen(operation);
    const entry = this.anchorsByOp.get(operation) ?? { name: anchorName, samples: [], attempts: [] };
    if (entry.name !== anchorName) throw new Error(`${operation}: two anchors (${entry.name}, ${anchorName})`);
    entry.samples.push(measured);
    if (sqrtAttempts !== undefined) entry.attempts.push(sqrtAttempts);
    this.anchorsByOp.set(operation, entry);
  }

  rows(): MeasuredRow[] {
    return this.order.map((operation) => {
      const ours = this.oursByOp.get(operation) ?? [];
      const anchor = this.anchorsByOp.get(operation);
      const gas = anchor?.samples.map((m) => m.gas) ?? [];
      return {
        operation,
        ours: ours.length > 0 ? summarize(ours.map((m) => m.gas)) : null,
        anchor: gas.length > 0 ? summarize(gas) : null,
        anchorName: anchor?.name ?? null,
        floor: floorFor(operation, ours.map((m) => m.calldata)),
        ...(anchor !== undefined
          ? { anchorSamples: { gas, ...(anchor.attempts.length === gas.length ? { sqrtAttempts: anchor.attempts } : {}) } }
          : {}),
      };
    });
  }
}
