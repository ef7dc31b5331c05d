/**
 * The storage floor of each of our operations: the gas that the transaction, its calldata, the cold
 * accounts it must call and the storage slots it must read and write cost under EIP-2929 (cold access),
 * EIP-2200 (SSTORE) and EIP-3529 (refunds), with nothing else (no computation, memory, hashing or logs).
 * No implementation of the operation can cost less; the distance between a row and its floor is what
 * code can still win. Every slot is assumed cold (each operation is its own transaction).
 */
import { encodeFunctionData, hexToBytes, parseAbi, type Hex } from "viem";

import { OP } from "./operations.js";

/** Intrinsic cost of every transaction (yellow paper G_transaction). */
export const TX_BASE = 21_000;
/** Per zero byte of calldata (G_txdatazero). */
export const CALLDATA_ZERO_BYTE = 4;
/** Per non-zero byte of calldata (G_txdatanonzero, lowered from 68 by EIP-2028). */
export const CALLDATA_NONZERO_BYTE = 16;
/** First call into another account in the transaction, e.g. the collateral token (EIP-2929). */
export const COLD_ACCOUNT_ACCESS = 2_600;
/** First read of a storage slot in the transaction; also charged on the first SSTORE to a slot (EIP-2929). */
export const COLD_SLOAD = 2_100;
/** SSTORE from zero to non-zero (EIP-2200 SSTORE_SET). */
export const SSTORE_SET = 20_000;
/** SSTORE from non-zero to another value, zero included, without the cold surcharge: 5,000 - 2,100 (EIP-2929). */
export const SSTORE_RESET = 2_900;
/** Refund for clearing a slot to zero (EIP-3529; 15,000 before London). */
export const SSTORE_CLEARS_REFUND = 4_800;
/** The refund is at most gasUsed / 5 (EIP-3529; gasUsed / 2 before London). */
export const MAX_REFUND_QUOTIENT = 5;

/** What a transaction does to one storage slot (cold in every case). */
export type SlotAccess =
  | "read" // cold SLOAD: 2,100
  | "set" // zero -> non-zero: 2,100 + 20,000 = 22,100
  | "reset" // non-zero -> non-zero: 2,100 + 2,900 = 5,000
  | "clear"; // non-zero -> zero: 5,000, refund 4,800

const SLOT_COST: Record<SlotAccess, number> = {
  read: COLD_SLOAD,
  set: COLD_SLOAD + SSTORE_SET,
  reset: COLD_SLOAD + SSTORE_RESET,
  clear: COLD_SLOAD + SSTORE_RESET,
};

export interface SlotGroup {
  access: SlotAccess;
  count: number;
  what: string;
}

/** What an operation must touch, apart from the transaction and its calldata. */
export interface FloorSpec {
  /** Cold external accounts it must call (the collateral token). */
  accounts: number;
  /** What those accounts are, for the report; "token" when not given. */
  accountsWhat?: string;
  slots: SlotGroup[];
  /** Calldata used when our side of the row is not measured yet (an operation still to be built). */
  nominalCalldata?: Hex;
}

export interface FloorResult {
  total: number;
  intrinsic: number;
  calldata: number;
  accounts: number;
  storage: number;
  refund: number;
  /** One line per slot group, e.g. "2 set (outcome balances)". */
  writes: string[];
}

/** Calldata cost: 4 gas per zero byte, 16 per non-zero byte. */
export function calldataGas(data: Hex): number {
  let gas = 0;
  for (const byte of hexToBytes(data)) gas += byte === 0 ? CALLDATA_ZERO_BYTE : CALLDATA_NONZERO_BYTE;
  return gas;
}

/** The floor of `spec` for a transaction with calldata `data`, refunds (capped at a fifth) deducted. */
export function floorGas(spec: FloorSpec, data: Hex): FloorResult {
  const calldata = calldataGas(data);
  const accounts = spec.accounts * COLD_ACCOUNT_ACCESS;
  const storage = spec.slots.reduce((sum, g) => sum + g.count * SLOT_COST[g.access], 0);
  const clears = spec.slots.filter((g) => g.access === "clear").reduce((sum, g) => sum + g.count, 0);
  const gross = TX_BASE + calldata + accounts + storage;
  const refund = Math.min(clears * SSTORE_CLEARS_REFUND, Math.floor(gross / MAX_REFUND_QUOTIENT));
  const writes = [
    ...(spec.accounts > 0 ? [`${spec.accounts} cold account (${spec.accountsWhat ?? "token"})`] : []),
    ...spec.slots.map((g) => `${g.count} ${g.access} (${g.what})`),
  ];
  return { total: gross - refund, intrinsic: TX_BASE, calldata, accounts, storage, refund, writes };
}

// The collateral moves as one ERC-20 transfer between two accounts that hold a balance before and after.
const collateralIn: SlotGroup[] = [
  { access: "read", count: 1, what: "allowance, unlimited so not written" },
  { access: "reset", count: 2, what: "collateral balances of holder and contract" },
];
const collateralOut: SlotGroup[] = [{ access: "reset", count: 2, what: "collateral balances of contract and holder" }];
const conditionRead: SlotGroup = { access: "read", count: 1, what: "condition record" };
// The vault packs a holder's balances of outcomes 2k and 2k + 1 into one slot (contracts/tokens/PackedERC1155.sol):
// a binary set is one balance slot per holder. Gnosis ConditionalTokens keeps one slot per outcome (two here).
const outcomeBalances = (access: SlotAccess): SlotGroup => ({
  access,
  count: 1,
  what: "outcome balances, both outcomes in one packed slot",
});

// Planned market-maker calldata (contracts/markets/LmsrMarketMaker.sol does not exist yet):
// buy/sell(marketId, outcome, amount, maxCost or minReturn, deadline), five words.
const plannedMarketAbi = parseAbi([
  "function buy(uint256 marketId, uint256 outcome, uint256 amount, uint256 maxCost, uint256 deadline)",
  "function sell(uint256 marketId, uint256 outcome, uint256 amount, uint256 minReturn, uint256 deadline)",
]);
const nominalTrade = { marketId: 1n, amount: 10n ** 19n, limit: 10n ** 19n, deadline: 2_000_000_000n };
const nominalBuy = encodeFunctionData({
  abi: plannedMarketAbi,
  functionName: "buy",
  args: [nominalTrade.marketId, 0n, nominalTrade.amount, nominalTrade.limit, nominalTrade.deadline],
});
const nominalSell = encodeFunctionData({
  abi: plannedMarketAbi,
  functionName: "sell",
  args: [nominalTrade.marketId, 0n, nominalTrade.amount, nominalTrade.limit, nominalTrade.deadline],
});
const marketState: SlotGroup = { access: "reset", count: 1, what: "market quantities q" };

// A conditional-pool swap (ConditionalPools.swap): the pool's reads (its two position ids, fee and end; the
// oracle's fixed slot with start and step) and writes (both reserves in one slot; in a new block after the
// delay the oracle's observation slot and its cumulative), then two vault transfers pulled by operator
// approval: input from trader to pool, output from pool to trader, four distinct balance slots.
const poolSwap = (traderOut: SlotAccess): FloorSpec => ({
  accounts: 1,
  accountsWhat: "the vault",
  slots: [
    { access: "read", count: 4, what: "pool's position ids, fee and end; oracle's start and step" },
    { access: "reset", count: 3, what: "reserves (one slot), oracle observation, oracle cumulative" },
    { access: "read", count: 1, what: "operator approval in the vault" },
    { access: "reset", count: 3, what: "trader's input balance, pool's input and output balances" },
    { access: traderOut, count: 1, what: "trader's output balance" },
  ],
});

/**
 * The floor of each of our operations on a binary condition with top-level positions (parent 0), for our
 * storage layout (a binary set's two outcome balances share a slot).
 * LMSR rows: the least any design must do (collateral in or out, the market's quantities, the trader's
 * outcome balance), with nominal calldata until the market maker exists.
 */
export const FLOOR_SPECS: Readonly<Record<string, FloorSpec>> = {
  [OP.prepareCondition]: { accounts: 0, slots: [{ access: "set", count: 1, what: "condition record" }] },
  [OP.splitFirst]: {
    accounts: 1,
    slots: [conditionRead, ...collateralIn, outcomeBalances("set")],
  },
  [OP.splitRepeat]: {
    accounts: 1,
    slots: [conditionRead, ...collateralIn, outcomeBalances("reset")],
  },
  [OP.mergeRepeat]: {
    accounts: 1,
    slots: [conditionRead, outcomeBalances("reset"), ...collateralOut],
  },
  [OP.mergeFirst]: {
    accounts: 1,
    slots: [conditionRead, outcomeBalances("clear"), ...collateralOut],
  },
  [OP.reportPayouts]: {
    accounts: 0,
    slots: [conditionRead, { access: "set", count: 1, what: "payout vector and denominator, packed" }],
  },
  [OP.redeem]: {
    accounts: 1,
    slots: [
      conditionRead,
      { access: "read", count: 1, what: "payout vector" },
      outcomeBalances("clear"),
      ...collateralOut,
    ],
  },
  [OP.createPledge]: {
    accounts: 1,
    slots: [
      { access: "set", count: 6, what: "pledge record" },
      { access: "reset", count: 1, what: "pledge counter" },
      ...collateralIn,
    ],
  },
  [OP.claim]: {
    accounts: 1,
    slots: [{ access: "clear", count: 1, what: "claimable balance" }, ...collateralOut],
  },
  [OP.lmsrBuyMarketFirst]: {
    accounts: 1,
    slots: [
      { access: "reset", count: 1, what: "the maker's inventory of the outcome (non-zero from creation)" },
      ...collateralIn,
      { access: "set", count: 1, what: "trader's outcome balance" },
    ],
    nominalCalldata: nominalBuy,
  },
  [OP.lmsrBuyFirst]: {
    accounts: 1,
    slots: [marketState, ...collateralIn, { access: "set", count: 1, what: "trader's outcome balance" }],
    nominalCalldata: nominalBuy,
  },
  [OP.lmsrBuyRepeat]: {
    accounts: 1,
    slots: [marketState, ...collateralIn, { access: "reset", count: 1, what: "trader's outcome balance" }],
    nominalCalldata: nominalBuy,
  },
  [OP.lmsrSellRepeat]: {
    accounts: 1,
    slots: [marketState, { access: "reset", count: 1, what: "trader's outcome balance" }, ...collateralOut],
    nominalCalldata: nominalSell,
  },
  [OP.lmsrSellFirst]: {
    accounts: 1,
    slots: [marketState, { access: "clear", count: 1, what: "trader's outcome balance" }, ...collateralOut],
    nominalCalldata: nominalSell,
  },
  [OP.poolSwapFirst]: poolSwap("set"),
  [OP.poolSwapRepeat]: poolSwap("reset"),
};

/**
 * The floor of `operation` from the calldata of our measured transactions (the median over them), or
 * from the spec's nominal calldata when ours is not measured; null when the operation has no spec.
 */
export function floorFor(operation: string, calldatas: readonly Hex[]): FloorResult | null {
  const spec = FLOOR_SPECS[operation];
  if (spec === undefined) return null;
  const data = calldatas.length > 0 ? calldatas : spec.nominalCalldata !== undefined ? [spec.nominalCalldata] : [];
  if (data.length === 0) return null;
  const floors = data.map((d) => floorGas(spec, d)).sort((a, b) => a.total - b.total);
  return floors[Math.floor(floors.length / 2)];
}
