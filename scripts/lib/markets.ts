/**
 * Breach-market actions shared by the demo, the scenarios and the tests: open a pledge's market,
 * quote and trade it with slippage bounds, read its BREACH price, resolve it and settle everyone.
 * Outcome 0 is BREACH and outcome 1 is HONOR (`BreachMarkets.BREACH` / `HONOR`).
 */
import type { Account, Hash, TransactionReceipt } from "viem";

import type { DeployedSystem } from "./deploy.js";

type Address = `0x${string}`;

/** A wallet as the Hardhat viem plugin returns it (only its account is used). */
export interface Signer {
  account: Account;
}

export const BREACH = 0n;
export const HONOR = 1n;
export const WAD = 10n ** 18n;

/** The probability (WAD, rounded down) implied by odds `x` (WAD): `x / (1 + x)`, as DecisionMath.probabilityOf. */
export const probabilityOfOdds = (odds: bigint) => (odds * WAD) / (WAD + odds);

/** Sends a transaction through `send` (which waits and checks the receipt) or, by default, returns its hash. */
export type Sender = (label: string, tx: Promise<Hash>) => Promise<TransactionReceipt>;

/**
 * Opens the breach market of `pledgeId` with liquidity `b`, funded by `sponsor` (which must hold the
 * subsidy `quoteSubsidy(b)` in the bond token); approves exactly the subsidy first.
 */
export async function openBreachMarket(
  sys: DeployedSystem,
  send: Sender,
  sponsor: Signer,
  pledgeId: bigint,
  liquidity: bigint,
  feeBps: number,
): Promise<{ conditionId: `0x${string}`; subsidy: bigint }> {
  const subsidy = await sys.breachMarkets.read.quoteSubsidy([liquidity]);
  await send("approve", sys.bondToken.write.approve([sys.breachMarkets.address, subsidy], { account: sponsor.account }));
  await send("openMarket", sys.breachMarkets.write.openMarket([pledgeId, liquidity, feeBps], { account: sponsor.account }));
  return { conditionId: await sys.breachMarkets.read.conditionOf([pledgeId]), subsidy };
}

/** The market's price of BREACH, in WAD (1e18 = certain breach). */
export async function breachPrice(sys: DeployedSystem, conditionId: `0x${string}`): Promise<bigint> {
  const prices = await sys.maker.read.prices([conditionId]);
  return prices[Number(BREACH)];
}

/**
 * Buys `amount` shares of `outcome`, paying at most the quote plus `slippageBps` (approved exactly),
 * with a deadline `deadlineSeconds` after the latest block. Returns what was paid (fee included).
 */
export async function buyShares(
  sys: DeployedSystem,
  send: Sender,
  trader: Signer,
  conditionId: `0x${string}`,
  outcome: bigint,
  amount: bigint,
  opts: { slippageBps?: bigint; now: bigint; deadlineSeconds?: bigint },
): Promise<bigint> {
  const [cost, fee] = await sys.maker.read.quoteBuy([conditionId, outcome, amount]);
  const maxCost = ((cost + fee) * (10_000n + (opts.slippageBps ?? 50n))) / 10_000n;
  await send("approve", sys.bondToken.write.approve([sys.maker.address, maxCost], { account: trader.account }));
  const before = await sys.bondToken.read.balanceOf([trader.account.address]);
  await send(
    "buy",
    sys.maker.write.buy(
      [conditionId, outcome, amount, maxCost, opts.now + (opts.deadlineSeconds ?? 600n), trader.account.address],
      { account: trader.account },
    ),
  );
  // Leave no standing allowance behind.
  await send("approve", sys.bondToken.write.approve([sys.maker.address, 0n], { account: trader.account }));
  return before - (await sys.bondToken.read.balanceOf([trader.account.address]));
}

/**
 * Sells `amount` shares of `outcome` back for at least the quote less `slippageBps`. Approves the
 * maker on the vault for the trader's positions when it is not yet. Returns the proceeds received.
 */
export async function sellShares(
  sys: DeployedSystem,
  send: Sender,
  trader: Signer,
  conditionId: `0x${string}`,
  outcome: bigint,
  amount: bigint,
  opts: { slippageBps?: bigint; now: bigint; deadlineSeconds?: bigint },
): Promise<bigint> {
  const [proceeds] = await sys.maker.read.quoteSell([conditionId, outcome, amount]);
  const minProceeds = (proceeds * (10_000n - (opts.slippageBps ?? 50n))) / 10_000n;
  if (!(await sys.vault.read.isApprovedForAll([trader.account.address, sys.maker.address]))) {
    await send("setApprovalForAll", sys.vault.write.setApprovalForAll([sys.maker.address, true], { account: trader.account }));
  }
  const before = await sys.bondToken.read.balanceOf([trader.account.address]);
  await send(
    "sell",
    sys.maker.write.sell(
      [conditionId, outcome, amount, minProceeds, opts.now + (opts.deadlineSeconds ?? 600n), trader.account.address],
      { account: trader.account },
    ),
  );
  return (await sys.bondToken.read.balanceOf([trader.account.address])) - before;
}

/** The vault position id of `outcome` in the breach market `conditionId` (bond token as collateral). */
export async function positionOf(sys: DeployedSystem, conditionId: `0x${string}`, outcome: bigint): Promise<bigint> {
  return sys.vault.read.positionId([sys.bondToken.address, 0n, conditionId, outcome]);
}

/** Shares of each outcome `holder` holds in the market: [BREACH, HONOR]. */
export async function sharesOf(sys: DeployedSystem, conditionId: `0x${string}`, holder: Address): Promise<[bigint, bigint]> {
  const ids = [await positionOf(sys, conditionId, BREACH), await positionOf(sys, conditionId, HONOR)];
  const [b, h] = await sys.vault.read.balanceOfBatch([[holder, holder], ids]);
  return [b, h];
}

/**
 * Redeems `holder`'s positions in a resolved breach market and returns the collateral received
 * (0 without sending anything when it holds none).
 */
export async function redeemShares(
  sys: DeployedSystem,
  send: Sender,
  holder: Signer,
  conditionId: `0x${string}`,
): Promise<bigint> {
  const [b, h] = await sharesOf(sys, conditionId, holder.account.address);
  if (b === 0n && h === 0n) return 0n;
  const before = await sys.bondToken.read.balanceOf([holder.account.address]);
  await send("redeem", sys.vault.write.redeem([sys.bondToken.address, 0n, conditionId], { account: holder.account }));
  return (await sys.bondToken.read.balanceOf([holder.account.address])) - before;
}
