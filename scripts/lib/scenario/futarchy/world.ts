/**
 * The world of a futarchy scenario run: the pledge system and the futarchy contracts deployed through Ignition
 * (scripts/lib/deploy.ts), the mock lab share (ignition/modules/LabShare.ts), named actors on the network's
 * funded accounts, and reads of their token and position balances from the chain.
 */
import type { NetworkConnection } from "hardhat/types/network";
import { maxUint256 } from "viem";

import LabShareModule from "../../../../ignition/modules/LabShare.js";
import { deployLocalSystem, type DeployedSystem, type FutarchyParams } from "../../deploy.js";
import type { Signer } from "../../markets.js";
import { Chain, GAS } from "./chain.js";

export type Address = `0x${string}`;
export type Hex = `0x${string}`;
export const PASS = 0n;
export const FAIL = 1n;

export type Role = "lab" | "trader" | "defender" | "attacker" | "keeper" | "watcher" | "beneficiary" | "burn";

export interface Actor {
  name: string;
  role: Role;
  address: Address;
  /** Absent for accounts that only receive (the burn address). */
  wallet?: Signer;
}

/** Deployment parameters of the scenarios: an 8-hour window, 1-hour delay, 3% threshold, 0.5% step, 12 s blocks. */
export const SCENARIO_FUTARCHY: FutarchyParams = {
  releaseWindow: 28_800,
  releaseTwapDelay: 3_600,
  releaseThresholdBps: 300,
  releaseMaxStepBps: 50,
  releaseFeeBps: 30,
  releaseStakeBps: 100,
  releaseCooldown: 86_400,
  amendWindow: 28_800,
  amendTwapDelay: 3_600,
  amendThresholdBps: 300,
  amendMaxStepBps: 50,
  amendFeeBps: 30,
  amendStakeBps: 50,
  amendCooldown: 86_400,
  blockTime: 12,
};

export interface World {
  conn: NetworkConnection;
  chain: Chain;
  sys: DeployedSystem;
  labShare: Awaited<ReturnType<typeof deployLabShare>>;
  deployer: Signer;
  committee: [Signer, Signer, Signer];
  /** The funded accounts not used by the deployment or the committee, in order. */
  free: Signer[];
  units: (n: number) => bigint;
}

async function deployLabShare(conn: NetworkConnection) {
  const { labShare } = await conn.ignition.deploy(LabShareModule);
  return labShare;
}

/** Deploys everything on `conn` (a fresh network per run) and returns the world, automine on. */
export async function deployWorld(conn: NetworkConnection, futarchy: FutarchyParams = SCENARIO_FUTARCHY): Promise<World> {
  const wallets = await conn.viem.getWalletClients();
  const [deployer, m1, m2, m3, ...free] = wallets;
  const sys = await deployLocalSystem(
    conn,
    { committeeMembers: [m1, m2, m3].map((w) => w.account.address), committeeThreshold: 2 },
    undefined,
    futarchy,
  );
  const labShare = await deployLabShare(conn);
  const chain = await Chain.create(conn, BigInt(futarchy.blockTime ?? 12));
  const decimals = await sys.bondToken.read.decimals();
  return {
    conn,
    chain,
    sys,
    labShare,
    deployer,
    committee: [m1, m2, m3],
    free,
    units: (n: number) => BigInt(Math.round(n * 1e6)) * 10n ** BigInt(decimals - 6),
  };
}

/** Mints `bond` mUSD and `shares` LAB to `a` (funding, not profit: balances are read after it) and sets its approvals. */
export async function fund(w: World, a: Actor, bond: bigint, shares: bigint): Promise<void> {
  const { chain, sys, labShare, deployer } = w;
  if (bond > 0n) await chain.send("mint", () => sys.bondToken.write.mint([a.address, bond], { account: deployer.account, gas: GAS }));
  if (shares > 0n) await chain.send("mint", () => labShare.write.mint([a.address, shares], { account: deployer.account, gas: GAS }));
  if (!a.wallet) return;
  const account = a.wallet.account;
  // Standing approvals of the scenario's own accounts: the vault (splits), the decisions (stake, seeds), the maker
  // (breach-market trades), the registry (bonds, challenge bonds), the breach markets (subsidy); the pools and the
  // maker as operators of the positions.
  for (const spender of [sys.vault.address, sys.decisions.address, sys.maker.address, sys.registry.address, sys.breachMarkets.address]) {
    await chain.send("approve", () => sys.bondToken.write.approve([spender, maxUint256], { account, gas: GAS }));
  }
  for (const spender of [sys.vault.address, sys.decisions.address]) {
    await chain.send("approve", () => labShare.write.approve([spender, maxUint256], { account, gas: GAS }));
  }
  await chain.send("setApprovalForAll", () => sys.vault.write.setApprovalForAll([sys.pools.address, true], { account, gas: GAS }));
  await chain.send("setApprovalForAll", () => sys.vault.write.setApprovalForAll([sys.maker.address, true], { account, gas: GAS }));
}

/** Token balances of actors and contracts, read from the chain. */
export interface Balances {
  bond: bigint;
  shares: bigint;
}

export async function balancesOf(w: World, address: Address): Promise<Balances> {
  return {
    bond: await w.sys.bondToken.read.balanceOf([address]),
    shares: await w.labShare.read.balanceOf([address]),
  };
}

/** Sum of `holders`' balances of vault positions `ids` (read in one batch). */
export async function positionTotal(w: World, holders: Address[], ids: bigint[]): Promise<bigint> {
  const accounts = holders.flatMap((h) => ids.map(() => h));
  const all = ids.length === 0 ? [] : await w.sys.vault.read.balanceOfBatch([accounts, holders.flatMap(() => ids)]);
  return all.reduce((s, x) => s + x, 0n);
}
