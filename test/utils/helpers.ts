/**
 * Shared helpers for the TypeScript integration tests: units, the pledge state enum as the
 * contracts number it, a standard pledge created with its approvals, and claim bookkeeping.
 * Every system is deployed through `deployLocalSystem` (the Ignition modules), never by hand.
 */
import assert from "node:assert/strict";

import type { PublicClient, WalletClient } from "@nomicfoundation/hardhat-viem/types";
import { type Address, type Hex, getAddress, keccak256, parseUnits, toHex, zeroAddress } from "viem";

import type { deployLocalSystem } from "../../scripts/lib/deploy.js";

export type System = Awaited<ReturnType<typeof deployLocalSystem>>;
export type Wallet = WalletClient;

/** An amount of the 18-decimal bond token, e.g. `units("100.5")`. */
export function units(amount: string): bigint {
  return parseUnits(amount, 18);
}

export const ZERO_ADDRESS: Address = zeroAddress;
/** `PledgeRegistry.BURN_ADDRESS`: where slashed bonds without beneficiary and fees without treasury go. */
export const BURN_ADDRESS: Address = "0x000000000000000000000000000000000000dEaD";

export const DAY = 86_400;

export { PledgeState } from "../../scripts/lib/states.js";

/** `IPledgeRegistry.Outcome`. */
export const Outcome = { None: 0, Breached: 1, Honored: 2 } as const;

/** The `allowed` bitmap of `UnexpectedState` (bit i = state i). */
export function allowedStates(...states: number[]): bigint {
  return states.reduce((bits, s) => bits | (1n << BigInt(s)), 0n);
}

/** What a standard pledge commits to; every field can be overridden per test. */
export interface StandardPledge {
  bond: bigint;
  challengeBond: bigint;
  /** Seconds from the latest block to the pledge's expiry. */
  term: number;
  grace: number;
  liveness: number;
  beneficiary: Address;
  termsURI: string;
  /** When set, the pledge is created with `createGovernedPledge` and this account may release or amend it. */
  governor?: Address;
}

export interface CreatedPledge {
  pledgeId: bigint;
  expiry: bigint;
  /** `expiry + grace`: the first second the pledge is releasable and no longer challengeable. */
  releasableAt: bigint;
  bond: bigint;
  challengeBond: bigint;
  liveness: number;
}

/**
 * Mints the bond to the pledger, approves the registry and creates the pledge with the committee as
 * arbiter (governed by `overrides.governor` when given). Returns the new id, read from `pledgeCount` and checked against the stored pledger.
 */
export async function createStandardPledge(
  sys: System,
  pledger: Wallet,
  overrides: Partial<StandardPledge> & Pick<StandardPledge, "beneficiary">,
  latestTimestamp: number,
): Promise<CreatedPledge> {
  const p: StandardPledge = {
    bond: units("1000"),
    challengeBond: units("100"),
    term: 30 * DAY,
    grace: 7 * DAY,
    liveness: DAY,
    termsURI: "ipfs://terms",
    ...overrides,
  };
  const expiry = BigInt(latestTimestamp + p.term);
  await sys.bondToken.write.mint([pledger.account.address, p.bond]);
  await sys.bondToken.write.approve([sys.registry.address, p.bond], { account: pledger.account });
  const params = {
    termsHash: keccak256(toHex(p.termsURI)),
    termsURI: p.termsURI,
    token: sys.bondToken.address,
    bond: p.bond,
    expiry,
    grace: p.grace,
    beneficiary: p.beneficiary,
    resolution: { arbiter: sys.committee.address, liveness: p.liveness, challengeBond: p.challengeBond },
  };
  if (p.governor === undefined) {
    await sys.registry.write.createPledge([params], { account: pledger.account });
  } else {
    await sys.registry.write.createGovernedPledge([params, p.governor], { account: pledger.account });
  }
  const pledgeId = await sys.registry.read.pledgeCount();
  const stored = await sys.registry.read.getPledge([pledgeId]);
  assert.equal(stored.pledger, getAddress(pledger.account.address));
  assert.equal(stored.bond, p.bond);
  return {
    pledgeId,
    expiry,
    releasableAt: expiry + BigInt(p.grace),
    bond: p.bond,
    challengeBond: p.challengeBond,
    liveness: p.liveness,
  };
}

/** Mints `amount` to `wallet` and approves the registry for exactly that amount. */
export async function fundAndApprove(sys: System, wallet: Wallet, amount: bigint): Promise<void> {
  await sys.bondToken.write.mint([wallet.account.address, amount]);
  await sys.bondToken.write.approve([sys.registry.address, amount], { account: wallet.account });
}

/** Funds the challenger with the bond the registry currently requires and opens a challenge. */
export async function challengePledge(
  sys: System,
  challenger: Wallet,
  pledgeId: bigint,
  evidenceURI = "ipfs://evidence",
): Promise<{ challengeId: bigint; bond: bigint; hash: Hex }> {
  const [, bond] = await sys.registry.read.requiredChallengeBond([pledgeId]);
  await fundAndApprove(sys, challenger, bond);
  const hash = await sys.registry.write.challenge([pledgeId, evidenceURI, bond], { account: challenger.account });
  const challengeId = await sys.registry.read.openChallenge([pledgeId]);
  return { challengeId, bond, hash };
}

/** Funds the disputer with the open challenge's bond and disputes it. */
export async function disputePledge(sys: System, disputer: Wallet, pledgeId: bigint): Promise<Hex> {
  const challenge = await sys.registry.read.getChallenge([await sys.registry.read.openChallenge([pledgeId])]);
  await fundAndApprove(sys, disputer, challenge.bond);
  return sys.registry.write.dispute([pledgeId], { account: disputer.account });
}

/** The claimable balance of each address in the bond token. */
export async function readClaimables(sys: System, accounts: readonly Address[]): Promise<bigint[]> {
  return Promise.all(accounts.map((a) => sys.registry.read.claimable([a, sys.bondToken.address])));
}

/**
 * Claims the wallet's whole balance to itself and returns how much its token balance grew; also
 * checks the claimable balance is zero afterwards.
 */
export async function claimAll(sys: System, wallet: Wallet): Promise<bigint> {
  const before = await sys.bondToken.read.balanceOf([wallet.account.address]);
  await sys.registry.write.claim([sys.bondToken.address, wallet.account.address], { account: wallet.account });
  const after = await sys.bondToken.read.balanceOf([wallet.account.address]);
  assert.equal(await sys.registry.read.claimable([wallet.account.address, sys.bondToken.address]), 0n);
  return after - before;
}

/** The registry's whole balance of the bond token (its escrow). */
export async function escrowBalance(sys: System): Promise<bigint> {
  return sys.bondToken.read.balanceOf([sys.registry.address]);
}

/** The timestamp of the block that mined `hash`; asserts the transaction succeeded. */
export async function minedAt(publicClient: PublicClient, hash: Hex): Promise<bigint> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  assert.equal(receipt.status, "success");
  const block = await publicClient.getBlock({ blockNumber: receipt.blockNumber });
  return block.timestamp;
}
