/**
 * Row names of the gas benchmark, shared by the measurers, the targets, the storage floors and the
 * report. A row joins our figure and the Gnosis anchor measured in the same state, so both sides
 * must use the same name.
 *
 * "first" and "repeat" describe the holder's (trader's) own outcome balances:
 * - split / buy (first): the holder has never held these positions: the call writes new balance slots;
 * - split / buy (repeat): it already holds them: the slots change from non-zero to non-zero;
 * - merge / sell (repeat): its balances stay non-zero afterwards;
 * - merge / sell (first): its balances go to zero (the slots are cleared and refunded).
 * LMSR rows: "LMSR buy (market's first trade)" is the first trade a fresh market ever sees (its
 * quantity of the outcome goes from zero); every other LMSR row follows it, by another trader, so
 * "first" and "repeat" there describe the trader's own balance only, as for split and merge.
 * Conditional-pool rows (ConditionalPools.swap, position for position): "first" when the trader has
 * never held the output position (a new balance slot), "repeat" when it holds both before and after.
 * In every row the holder's collateral balance and the contract's collateral balance are non-zero
 * before and after, so collateral moves cost the same everywhere.
 */
export const OP = {
  prepareCondition: "prepareCondition",
  splitFirst: "split (first)",
  splitRepeat: "split (repeat)",
  mergeRepeat: "merge (repeat)",
  mergeFirst: "merge (first)",
  reportPayouts: "reportPayouts",
  redeem: "redeem",
  createPledge: "createPledge",
  claim: "claim",
  lmsrCreate: "LMSR create market",
  lmsrBuyMarketFirst: "LMSR buy (market's first trade)",
  lmsrBuyFirst: "LMSR buy (first)",
  lmsrBuyRepeat: "LMSR buy (repeat)",
  lmsrSellRepeat: "LMSR sell (repeat)",
  lmsrSellFirst: "LMSR sell (first)",
  fpmmCreate: "FPMM create+addFunding",
  fpmmBuyFirst: "FPMM buy (first)",
  fpmmBuyRepeat: "FPMM buy (repeat)",
  fpmmSellRepeat: "FPMM sell (repeat)",
  poolSwapFirst: "conditional-pool swap (first)",
  poolSwapRepeat: "conditional-pool swap (repeat)",
  pactCreate: "createPact",
  pactJoinFirst: "pact join (first member)",
  pactJoinLater: "pact join (later member)",
  pactActivate3: "pact activate (3 members)",
  pactActivateMax: "pact activate (32 members)",
  pactRecordBreach: "pact recordOutcome (breach)",
  pactRecordHonor: "pact recordOutcome (honor)",
  pactRecordLast: "pact recordOutcome (last: settles)",
  pactClaimShares: "pact claimShares",
} as const;

export type Operation = (typeof OP)[keyof typeof OP];

/** Display order of the rows; a row whose name is not listed here comes after these, in the order measured. */
export const ROW_ORDER: readonly string[] = Object.values(OP);

/**
 * Rows whose anchor is another row's: our operation has no Gnosis twin of its own, so it is set against
 * the Gnosis operation in the same state measured for that row (one measurement, shown on both rows).
 * A conditional-pool swap trades one position for another in a constant-product pool; the nearest Gnosis
 * operation is FixedProductMarketMaker.buy (collateral in, split, outcome tokens out).
 */
export const ANCHOR_FROM: Readonly<Record<string, string>> = {
  [OP.poolSwapFirst]: OP.fpmmBuyFirst,
  [OP.poolSwapRepeat]: OP.fpmmBuyRepeat,
};
