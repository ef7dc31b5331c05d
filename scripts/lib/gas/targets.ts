import { OP } from "./operations.js";

/**
 * Target ratio ours / Gnosis anchor per row (issue 3). `(first)` rows write new slots, whose 22,100 gas
 * each is the same on both sides, so their target is looser than that of `(repeat)` rows. `redeem`
 * writes no new slot for the holder (it clears its outcome balances), so it gets the `(repeat)` target.
 * Rows without an entry have no target.
 */
export const TARGETS: Readonly<Record<string, number>> = {
  [OP.splitFirst]: 0.75,
  [OP.splitRepeat]: 0.6,
  [OP.mergeFirst]: 0.75,
  [OP.mergeRepeat]: 0.6,
  [OP.redeem]: 0.6,
  [OP.lmsrBuyMarketFirst]: 0.5,
  [OP.lmsrBuyFirst]: 0.5,
  [OP.lmsrBuyRepeat]: 0.5,
  [OP.lmsrSellFirst]: 0.5,
  [OP.lmsrSellRepeat]: 0.5,
  // Futarchy (issue 6): a conditional-pool swap against FPMM buy (ANCHOR_FROM in operations.ts).
  [OP.poolSwapFirst]: 0.75,
  [OP.poolSwapRepeat]: 0.6,
};
