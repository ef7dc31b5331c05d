/**
 * The breach-market commands of the command-line interface: open a pledge's market, quote it,
 * buy and sell BREACH or HONOR shares with slippage bounds, and redeem after resolution. Shares
 * have the bond token's decimals (one share pays one token if its outcome wins).
 */
import type { NetworkConnection } from "hardhat/types/network";
import { getAddress } from "viem";

import { fmtAmount, UserInputError } from "../format.js";
import { BREACH, HONOR } from "../markets.js";
import { stateName } from "../states.js";
import {
  type CommonArgs,
  ensureAllowance,
  knowErrorsOf,
  latestTimestamp,
  marketsAt,
  registryAt,
  requirePledge,
  requireState,
  revokeLeftover,
  send,
  tokenInfo,
  walletFor,
} from "./context.js";

/** Seconds a trade stays valid after the latest block. */
const TRADE_DEADLINE = 600n;

/** A price in WAD as a percentage with two decimals, e.g. "12.34%". */
export const fmtPrice = (wad: bigint) => `${fmtAmount(wad * 100n, 18, 2)}%`;

/** The outcome index of "BREACH" or "HONOR" (any case). */
export function parseOutcome(value: string): bigint {
  const v = value.toUpperCase();
  if (v === "BREACH") return BREACH;
  if (v === "HONOR") return HONOR;
  throw new UserInputError(`outcome "${value}" must be BREACH or HONOR`);
}

const outcomeName = (o: bigint) => (o === BREACH ? "BREACH" : "HONOR");

/** The registry, the market contracts, the pledge (checked to exist), its token and its market if opened. */
async function marketContext(conn: NetworkConnection, args: CommonArgs, pledgeId: bigint) {
  const registry = await registryAt(conn, args);
  const { breachMarkets, maker, vault } = await marketsAt(conn, args);
  knowErrorsOf(registry, breachMarkets, maker, vault);
  await requirePledge(registry, pledgeId);
  const pledge = await registry.read.getPledge([pledgeId]);
  const token = await tokenInfo(conn, pledge.token);
  const conditionId = await breachMarkets.read.conditionOf([pledgeId]);
  const opened = (await breachMarkets.read.marketOf([conditionId])).pledger !== "0x0000000000000000000000000000000000000000";
  const state = await registry.read.state([pledgeId]);
  return { registry, breachMarkets, maker, vault, pledge, token, conditionId, opened, state };
}

function requireOpened(pledgeId: bigint, opened: boolean) {
  if (!opened) throw new UserInputError(`pledge #${pledgeId} has no breach market; open one with: npx hardhat market open ${pledgeId} --liquidity <b>`);
}

export interface OpenArgs extends CommonArgs {
  id: bigint;
  liquidity: string;
  feeBps: number;
  approve: boolean;
}

/** `market open`: opens the pledge's breach market with LMSR liquidity b, paying the subsidy b ln 2. */
export async function openMarket(conn: NetworkConnection, args: OpenArgs) {
  const ctx = await marketContext(conn, args, args.id);
  if (ctx.opened) throw new UserInputError(`pledge #${args.id} already has a breach market (condition ${ctx.conditionId})`);
  requireState(args.id, ctx.state, ["Active"], "opening a market");
  if (args.liquidity === "") throw new UserInputError("--liquidity is required (the LMSR b, in token units)");
  const liquidity = ctx.token.parse(args.liquidity, "--liquidity");
  const min = await ctx.breachMarkets.read.minLiquidity();
  if (liquidity < min) throw new UserInputError(`--liquidity ${ctx.token.fmt(liquidity)} is below the minimum ${ctx.token.fmt(min)}`);
  const maxFee = await ctx.maker.read.MAX_FEE_BPS();
  if (!Number.isInteger(args.feeBps) || args.feeBps < 0 || BigInt(args.feeBps) > maxFee) {
    throw new UserInputError(`--fee-bps ${args.feeBps} must be an integer from 0 to ${maxFee}`);
  }
  const subsidy = await ctx.breachMarkets.read.quoteSubsidy([liquidity]);
  const wallet = await walletFor(conn, args.from);
  const approval = await ensureAllowance(conn, ctx.token, wallet, { address: ctx.breachMarkets.address, name: "breach markets" }, subsidy, args.approve);
  const tx = await send(conn, "openMarket", () =>
    ctx.breachMarkets.write.openMarket([args.id, liquidity, args.feeBps], { account: wallet.account }),
  );
  const prices = await ctx.maker.read.prices([ctx.conditionId]);
  return {
    action: "opened",
    pledgeId: args.id.toString(),
    conditionId: ctx.conditionId,
    sponsor: getAddress(wallet.account.address),
    liquidity: ctx.token.fmt(liquidity),
    feeBps: args.feeBps,
    subsidy: ctx.token.fmt(subsidy),
    breachPrice: fmtPrice(prices[Number(BREACH)]),
    transactions: [approval, tx].filter((h) => h !== null).join(" "),
  };
}

export interface QuoteArgs extends CommonArgs {
  id: bigint;
  amount: string;
}

/** `market quote`: prices and what buying or selling `--amount` shares of each outcome costs or pays now. */
export async function quoteMarket(conn: NetworkConnection, args: QuoteArgs) {
  const ctx = await marketContext(conn, args, args.id);
  requireOpened(args.id, ctx.opened);
  const amount = ctx.token.parse(args.amount, "--amount");
  if (amount === 0n) throw new UserInputError("--amount must be above 0");
  const prices = await ctx.maker.read.prices([ctx.conditionId]);
  const rows = [];
  for (const outcome of [BREACH, HONOR]) {
    const [cost, buyFee] = await ctx.maker.read.quoteBuy([ctx.conditionId, outcome, amount]);
    let sell = "n/a (more than the market has sold)";
    try {
      const [proceeds] = await ctx.maker.read.quoteSell([ctx.conditionId, outcome, amount]);
      sell = ctx.token.fmt(proceeds);
    } catch {
      // the maker cannot buy back more than it sold
    }
    rows.push({ outcome: outcomeName(outcome), price: fmtPrice(prices[Number(outcome)]), buyCost: ctx.token.fmt(cost + buyFee), sellReturn: sell });
  }
  const marketState = ["None", "Open", "Resolved", "Withdrawn"][await ctx.maker.read.marketState([ctx.conditionId])];
  return {
    pledgeId: args.id.toString(),
    pledgeState: stateName(ctx.state),
    market: marketState,
    conditionId: ctx.conditionId,
    shares: fmtAmount(amount, ctx.token.decimals, 6),
    quotes: rows,
  };
}

export interface TradeArgs extends CommonArgs {
  id: bigint;
  outcome: string;
  amount: string;
  /** buy: the most to pay ("" = quote + slippage); sell: the least to receive ("" = quote - slippage). */
  limit: string;
  slippageBps: number;
  approve: boolean;
}

async function tradeSetup(conn: NetworkConnection, args: TradeArgs, side: "buy" | "sell") {
  const ctx = await marketContext(conn, args, args.id);
  requireOpened(args.id, ctx.opened);
  const outcome = parseOutcome(args.outcome);
  requireState(args.id, ctx.state, ["Active"], `a ${side}`);
  if (args.amount === "") throw new UserInputError("--amount is required (shares, in token units)");
  const amount = ctx.token.parse(args.amount, "--amount");
  if (amount === 0n) throw new UserInputError("--amount must be above 0");
  if (!Number.isInteger(args.slippageBps) || args.slippageBps < 0 || args.slippageBps > 10_000) {
    throw new UserInputError(`--slippage-bps ${args.slippageBps} must be an integer from 0 to 10000`);
  }
  const wallet = await walletFor(conn, args.from);
  const deadline = (await latestTimestamp(conn)) + TRADE_DEADLINE;
  return { ...ctx, outcome, amount, wallet, trader: getAddress(wallet.account.address), deadline };
}

/** `market buy`: buys shares of BREACH or HONOR, paying at most `--max-cost`. */
export async function buyShares(conn: NetworkConnection, args: TradeArgs) {
  const t = await tradeSetup(conn, args, "buy");
  const [cost, fee] = await t.maker.read.quoteBuy([t.conditionId, t.outcome, t.amount]);
  const maxCost = args.limit === "" ? ((cost + fee) * (10_000n + BigInt(args.slippageBps))) / 10_000n : t.token.parse(args.limit, "--max-cost");
  if (cost + fee > maxCost) {
    throw new UserInputError(`${t.token.fmt(t.amount).replace(t.token.symbol, "")}${outcomeName(t.outcome)} shares cost ${t.token.fmt(cost + fee)} now, above --max-cost ${t.token.fmt(maxCost)}`);
  }
  const approval = await ensureAllowance(conn, t.token, t.wallet, { address: t.maker.address, name: "market maker" }, maxCost, args.approve);
  const before = await t.vault.read.balanceOf([t.trader, await t.vault.read.positionId([t.token.address, 0n, t.conditionId, t.outcome])]);
  const tx = await send(conn, "buy", () =>
    t.maker.write.buy([t.conditionId, t.outcome, t.amount, maxCost, t.deadline, t.trader], { account: t.wallet.account }),
  );
  // What --approve approved and the trade did not use is revoked: no standing allowance stays behind.
  const revoke = approval === null ? null : await revokeLeftover(conn, t.token, t.wallet, t.maker.address);
  const prices = await t.maker.read.prices([t.conditionId]);
  return {
    action: "bought",
    pledgeId: args.id.toString(),
    trader: t.trader,
    outcome: outcomeName(t.outcome),
    shares: fmtAmount(t.amount, t.token.decimals, 6),
    paid: t.token.fmt(cost + fee),
    fee: t.token.fmt(fee),
    maxCost: t.token.fmt(maxCost),
    holding: fmtAmount(before + t.amount, t.token.decimals, 6),
    breachPrice: fmtPrice(prices[Number(BREACH)]),
    transactions: [approval, tx, revoke].filter((h) => h !== null).join(" "),
  };
}

/** `market sell`: sells shares of BREACH or HONOR back to the maker, receiving at least `--min-return`. */
export async function sellShares(conn: NetworkConnection, args: TradeArgs) {
  const t = await tradeSetup(conn, args, "sell");
  const position = await t.vault.read.positionId([t.token.address, 0n, t.conditionId, t.outcome]);
  const held = await t.vault.read.balanceOf([t.trader, position]);
  if (held < t.amount) {
    throw new UserInputError(`${t.trader} holds ${fmtAmount(held, t.token.decimals, 6)} ${outcomeName(t.outcome)} shares of pledge #${args.id}; cannot sell ${fmtAmount(t.amount, t.token.decimals, 6)}`);
  }
  const [proceeds, fee] = await t.maker.read.quoteSell([t.conditionId, t.outcome, t.amount]);
  const minReturn = args.limit === "" ? (proceeds * (10_000n - BigInt(args.slippageBps))) / 10_000n : t.token.parse(args.limit, "--min-return");
  if (proceeds < minReturn) {
    throw new UserInputError(`selling pays ${t.token.fmt(proceeds)} now, below --min-return ${t.token.fmt(minReturn)}`);
  }
  let approval: `0x${string}` | null = null;
  if (!(await t.vault.read.isApprovedForAll([t.trader, t.maker.address]))) {
    if (!args.approve) {
      throw new UserInputError(
        `the market maker ${t.maker.address} may not move ${t.trader}'s outcome shares: rerun with --approve ` +
          `(it calls setApprovalForAll(maker, true) on the vault ${t.vault.address}), or call that yourself`,
      );
    }
    approval = await send(conn, "setApprovalForAll", () => t.vault.write.setApprovalForAll([t.maker.address, true], { account: t.wallet.account }));
  }
  const tx = await send(conn, "sell", () =>
    t.maker.write.sell([t.conditionId, t.outcome, t.amount, minReturn, t.deadline, t.trader], { account: t.wallet.account }),
  );
  const prices = await t.maker.read.prices([t.conditionId]);
  return {
    action: "sold",
    pledgeId: args.id.toString(),
    trader: t.trader,
    outcome: outcomeName(t.outcome),
    shares: fmtAmount(t.amount, t.token.decimals, 6),
    received: t.token.fmt(proceeds),
    fee: t.token.fmt(fee),
    minReturn: t.token.fmt(minReturn),
    holding: fmtAmount(held - t.amount, t.token.decimals, 6),
    breachPrice: fmtPrice(prices[Number(BREACH)]),
    transactions: [approval, tx].filter((h) => h !== null).join(" "),
  };
}

export interface RedeemArgs extends CommonArgs {
  id: bigint;
}

/** `market redeem`: after resolution, pays the account's winning shares out (one token per share). */
export async function redeemShares(conn: NetworkConnection, args: RedeemArgs) {
  const ctx = await marketContext(conn, args, args.id);
  requireOpened(args.id, ctx.opened);
  const resolved = (await ctx.vault.read.conditionState([ctx.conditionId])) === 2;
  if (!resolved) {
    throw new UserInputError(
      `the breach market of pledge #${args.id} is not resolved (the pledge is ${stateName(ctx.state)}); it resolves once the pledge is final: run npx hardhat pledge settle`,
    );
  }
  const wallet = await walletFor(conn, args.from);
  const holder = getAddress(wallet.account.address);
  const ids = [BREACH, HONOR].map((o) => ctx.vault.read.positionId([ctx.token.address, 0n, ctx.conditionId, o]));
  const [b, h] = await ctx.vault.read.balanceOfBatch([[holder, holder], await Promise.all(ids)]);
  if (b === 0n && h === 0n) throw new UserInputError(`${holder} holds no shares of pledge #${args.id}'s breach market`);
  const before = await ctx.token.balanceOf(holder);
  const tx = await send(conn, "redeem", () =>
    ctx.vault.write.redeem([ctx.token.address, 0n, ctx.conditionId], { account: wallet.account }),
  );
  const condition = await ctx.vault.read.getCondition([ctx.conditionId]);
  return {
    action: "redeemed",
    pledgeId: args.id.toString(),
    holder,
    outcome: condition.payoutNumerators[Number(BREACH)] > 0n ? "BREACH" : "HONOR",
    breachShares: fmtAmount(b, ctx.token.decimals, 6),
    honorShares: fmtAmount(h, ctx.token.decimals, 6),
    received: ctx.token.fmt((await ctx.token.balanceOf(holder)) - before),
    transactions: tx,
  };
}

/** The BREACH price of the pledge's market, or null when no market is open. */
export async function breachPriceOf(
  markets: Awaited<ReturnType<typeof marketsAt>>,
  pledgeId: bigint,
): Promise<bigint | null> {
  const conditionId = await markets.breachMarkets.read.conditionOf([pledgeId]);
  if ((await markets.maker.read.marketState([conditionId])) === 0) return null;
  return (await markets.maker.read.prices([conditionId]))[Number(BREACH)];
}
