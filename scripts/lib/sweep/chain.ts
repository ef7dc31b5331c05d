/**
 * The sweep's on-chain runs. A world is one network connection with the system deployed once (Ignition,
 * `deployLocalSystem`) and an EVM snapshot of it. A work unit (config.ts) reverts to that snapshot, funds the
 * labs, makes their commitments (the regime's setup: regimes.ts) and takes a second snapshot; then, for every
 * alignment tax and every profile (D labs defect, k of them are detected), it reverts to that snapshot and runs
 * the term and its settlement to the end:
 *
 * - each period every keeper pays the tax to the alignment sink (a token transfer), then a period passes;
 * - at the end of the term the watcher, for each detected defector, buys BREACH in its breach market up to the
 *   target price, then challenges its pledge; nobody disputes;
 * - after the grace period (longer than the liveness) every pledge is finalized (slashed or honored), every
 *   market resolved, the watcher's positions redeemed, every subsidy withdrawn and every claim paid.
 *
 * A lab's payoff is its bond-token balance after all that minus its balance before its commitment: read from
 * chain, never computed. The first k labs are the detected defectors, the next D - k the unseen ones, the rest
 * the keepers; by symmetry which labs they are does not matter.
 */
import type { NetworkConnection } from "hardhat/types/network";
import { maxUint256, parseUnits, type Hash, type TransactionReceipt } from "viem";

import { deployLocalSystem, type DeployedSystem } from "../deploy.js";
import { BREACH, buyShares, redeemShares, type Signer } from "../markets.js";
import { makeSender, newTxStats } from "../tx.js";
import { FIXED_ACCOUNTS, MAX_LABS, type WorkUnit } from "./config.js";
import { type Commitment, type RegimeContext, REGIME_OPS } from "./regimes.js";

type Address = `0x${string}`;
const DAY = 86_400n;
/** Gas limit of every transaction the runner sends itself (so the node does not estimate each one first). */
export const GAS = 2_000_000n;

export interface World {
  conn: NetworkConnection;
  sys: DeployedSystem;
  deployer: Signer;
  committee: Signer[];
  watcher: Signer;
  safetyFund: Signer;
  sink: Signer;
  labs: Signer[];
  decimals: number;
  chainId: number;
  /** The registry's share of a slashed bond paid to the challenger (read from its config). */
  challengerRewardBps: number;
  send: (label: string, tx: Promise<Hash>) => Promise<TransactionReceipt>;
  /** Transactions sent so far. */
  transactions: () => number;
  /** The snapshot of the deployed system (retaken after each revert: a revert consumes it). */
  deployed: string;
}

/** One profile's outcome, read from chain. */
export interface RunOutcome {
  tax: number;
  defectors: number;
  detected: number;
  /** Each lab's bond-token change (labs 0..k-1 detected defectors, k..D-1 unseen defectors, the rest keepers). */
  deltas: bigint[];
  /** The other accounts' changes: the alignment sink, the watcher, the safety fund. */
  sink: bigint;
  watcher: bigint;
  safetyFund: bigint;
  /** Bond tokens the contracts hold after settlement (0 when everything was paid out). */
  escrowLeft: bigint;
  transactions: number;
}

export interface UnitResult {
  unit: WorkUnit;
  runs: RunOutcome[];
  /** Read from the chain at setup: the breach markets' subsidy per lab and the pledges' challenge bond. */
  subsidy: bigint;
  challengeBond: bigint;
  challengerRewardBps: number;
  chainId: number;
  seconds: number;
}

async function rpc<T>(conn: NetworkConnection, method: string, params: unknown[] = []): Promise<T> {
  return (await conn.provider.request({ method, params })) as T;
}

/** Deploys the system on `conn` and snapshots it: one deployment serves every unit the connection runs. */
export async function createWorld(conn: NetworkConnection): Promise<World> {
  const { viem } = conn;
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  if (wallets.length < FIXED_ACCOUNTS + 2) throw new Error(`the sweep needs at least ${FIXED_ACCOUNTS + 2} funded accounts; the network has ${wallets.length}`);
  const [deployer, m1, m2, m3, watcher, safetyFund, sink] = wallets;
  const sys = await deployLocalSystem(conn, {
    committeeMembers: [m1, m2, m3].map((w) => w.account.address),
    committeeThreshold: 2,
  });
  const txStats = newTxStats();
  const send = makeSender(publicClient, txStats);
  return {
    conn,
    sys,
    deployer,
    committee: [m1, m2, m3],
    watcher,
    safetyFund,
    sink,
    labs: wallets.slice(FIXED_ACCOUNTS, FIXED_ACCOUNTS + MAX_LABS),
    decimals: await sys.bondToken.read.decimals(),
    chainId: await publicClient.getChainId(),
    challengerRewardBps: (await sys.registry.read.config()).challengerRewardBps,
    send,
    transactions: () => txStats.transactions,
    deployed: await rpc<string>(conn, "evm_snapshot"),
  };
}

/** Reverts to `id` and returns a fresh snapshot of the same state. */
async function revertTo(conn: NetworkConnection, id: string): Promise<string> {
  if (!(await rpc<boolean>(conn, "evm_revert", [id]))) throw new Error(`evm_revert ${id} failed`);
  return rpc<string>(conn, "evm_snapshot");
}

/** Runs every tax and every profile of `unit` on `world`; `onRun` is called after each on-chain run. */
export async function runUnit(world: World, unit: WorkUnit, onRun: () => void = () => {}): Promise<UnitResult> {
  const started = performance.now();
  const { conn, sys, send } = world;
  const { bondToken, registry, breachMarkets, maker } = sys;
  const n = unit.labs;
  if (n > world.labs.length) throw new Error(`${n} labs: the network has accounts for ${world.labs.length}`);
  const labs = world.labs.slice(0, n);
  const units = (x: number) => parseUnits(String(x), world.decimals);
  const ops = REGIME_OPS[unit.regime];

  world.deployed = await revertTo(conn, world.deployed);
  const bond = units(unit.bond);
  const liquidity = ops.hasMarkets ? units(unit.bond * unit.liquidityRatio) : 0n;
  const subsidy = ops.hasMarkets ? await breachMarkets.read.quoteSubsidy([liquidity]) : 0n;
  const challengeBond = ops.hasBond ? units(unit.bond * unit.challengeBondRatio) : 0n;
  const maxTax = units(Math.max(...unit.taxes)) * BigInt(unit.periods);

  // Funding (minting is funding, not profit: the balances before are read after it).
  const fund = async (w: Signer, amount: bigint, spenders: Address[]) => {
    await send("mint", bondToken.write.mint([w.account.address, amount], { account: world.deployer.account, gas: GAS }));
    for (const s of spenders) await send("approve", bondToken.write.approve([s, maxUint256], { account: w.account, gas: GAS }));
  };
  for (const lab of labs) await fund(lab, bond + subsidy + maxTax, [registry.address, breachMarkets.address, ...ops.spenders(sys)]);
  // The watcher's BREACH purchases cost at most the shares bought plus the fee; its challenge bonds come back.
  await fund(world.watcher, BigInt(n) * (challengeBond + 4n * (liquidity + 1n)), [registry.address]);
  const accounts = [...labs, world.sink, world.watcher, world.safetyFund];
  const balances = async () => Promise.all(accounts.map((a) => bondToken.read.balanceOf([a.account.address])));
  const before = await balances();

  // The commitments.
  const periodSeconds = BigInt(unit.periodDays) * DAY;
  const start = BigInt(await conn.networkHelpers.time.latest());
  const expiry = start + BigInt(unit.periods) * periodSeconds + DAY; // a day of slack for the setup's own blocks
  const grace = BigInt(unit.graceDays) * DAY;
  const ctx: RegimeContext = {
    world,
    unit,
    labs,
    bond,
    challengeBond,
    expiry,
    grace: Number(grace),
    liveness: Number(BigInt(unit.livenessDays) * DAY),
  };
  const commitment: Commitment = await ops.commit(ctx);
  for (let i = 0; i < commitment.pledgeIds.length && ops.hasMarkets; i++) {
    await send("openMarket", breachMarkets.write.openMarket([commitment.pledgeIds[i], liquidity, unit.feeBps], { account: labs[i].account, gas: GAS }));
  }
  const conditions = ops.hasMarkets ? await Promise.all(commitment.pledgeIds.map((id) => breachMarkets.read.conditionOf([id]))) : [];
  const escrows: Address[] = [registry.address, breachMarkets.address, maker.address, sys.vault.address, ...ops.spenders(sys)];
  let snap = await rpc<string>(conn, "evm_snapshot");

  const runs: RunOutcome[] = [];
  for (const tax of unit.taxes) {
    const taxUnits = units(tax);
    for (let D = 0; D <= n; D++) {
      for (let k = 0; k <= D; k++) {
        snap = await revertTo(conn, snap);
        const txBefore = world.transactions();
        // The term: keepers (labs D..n-1) pay the tax each period.
        for (let p = 0; p < unit.periods; p++) {
          if (taxUnits > 0n) {
            for (let i = D; i < n; i++) {
              await send("tax", bondToken.write.transfer([world.sink.account.address, taxUnits], { account: labs[i].account, gas: GAS }));
            }
          }
          await conn.networkHelpers.time.increase(periodSeconds);
        }
        // Detection: the watcher prices the breach in the defector's market, then challenges (nobody disputes).
        for (let i = 0; i < k && ops.hasBond; i++) {
          const id = commitment.pledgeIds[i];
          if (ops.hasMarkets) await buyBreachTo(world, conditions[i], liquidity, unit.breachTarget);
          const [, required] = await registry.read.requiredChallengeBond([id]);
          await send("challenge", registry.write.challenge([id, `ipfs://evidence/sweep/${id}`, required], { account: world.watcher.account, gas: GAS }));
        }
        // Settlement, after the grace period (longer than the liveness: every challenge is finalizable).
        if (ops.hasBond) {
          await conn.networkHelpers.time.increaseTo(expiry + grace);
          await ops.finalize(ctx, commitment);
          for (let i = 0; i < conditions.length; i++) {
            const id = commitment.pledgeIds[i];
            await send("resolve", breachMarkets.write.resolve([id], { account: world.deployer.account, gas: GAS }));
            if (i < k) await redeemShares(sys, send, world.watcher, conditions[i]);
            await send("withdrawSubsidy", breachMarkets.write.withdrawSubsidy([id, labs[i].account.address], { account: labs[i].account, gas: GAS }));
          }
          for (const a of accounts) {
            const owed = await registry.read.claimable([a.account.address, bondToken.address]);
            if (owed > 0n) await send("claim", registry.write.claim([bondToken.address, a.account.address], { account: a.account, gas: GAS }));
          }
          await ops.claims(ctx, commitment, accounts);
        }
        const after = await balances();
        const delta = after.map((x, j) => x - before[j]);
        const escrowLeft = (await Promise.all(escrows.map((a) => bondToken.read.balanceOf([a])))).reduce((s, x) => s + x, 0n);
        runs.push({
          tax,
          defectors: D,
          detected: k,
          deltas: delta.slice(0, n),
          sink: delta[n],
          watcher: delta[n + 1],
          safetyFund: delta[n + 2],
          escrowLeft,
          transactions: world.transactions() - txBefore,
        });
        onRun();
      }
    }
  }
  return { unit, runs, subsidy, challengeBond, challengerRewardBps: world.challengerRewardBps, chainId: world.chainId, seconds: (performance.now() - started) / 1000 };
}

/**
 * The watcher buys BREACH until the price reaches `target`: in an LMSR with liquidity b, moving the price from p
 * to target takes b (logit(target) - logit(p)) shares. The amount is computed in floating point and rounded down
 * to whole micro-tokens; the price reached is read back by whoever needs it.
 */
async function buyBreachTo(world: World, conditionId: `0x${string}`, liquidity: bigint, target: number): Promise<void> {
  const { sys } = world;
  const p = Number((await sys.maker.read.prices([conditionId]))[Number(BREACH)]) / 1e18;
  if (p >= target) return;
  const logit = (x: number) => Math.log(x / (1 - x));
  const b = Number(liquidity) / 10 ** world.decimals;
  const shares = Math.floor(b * (logit(target) - logit(p)) * 1e6) / 1e6;
  if (shares <= 0) return;
  const now = BigInt(await world.conn.networkHelpers.time.latest());
  await buyShares(sys, world.send, world.watcher, conditionId, BREACH, parseUnits(shares.toFixed(6), world.decimals), { now });
}
