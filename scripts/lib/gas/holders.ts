/**
 * Many distinct accounts doing the same thing, each for the first time: vault holders that split and
 * then redeem, pledgers that pledge and then claim their bond back. Used for the registry rows and for
 * the holder-scaling section (does the n-th holder pay what the first paid?).
 *
 * Every account is fresh (a deterministic private key per label and index, funded with
 * `hardhat_setBalance`) and signs its own transactions. Each keeps a collateral balance before and
 * after its measured calls (it is minted twice what it deposits), and the contracts keep the seed
 * deposits, so only the account's own count changes nothing in the state each call sees.
 */
import { keccak256, maxUint256, parseEther, toHex } from "viem";

import { progress, type BenchContext, type Measured } from "./context.js";

/** Gas limit for the accounts' transactions: skips estimation (which halves the loop's speed), far above any use. */
const GAS_LIMIT = 1_000_000n;
const DEPOSIT = parseEther("10");
const DAY = 86_400;

export interface HolderRun {
  split: Measured[];
  redeem: Measured[];
}

/** `count` fresh holders each split DEPOSIT on one new binary condition; the oracle reports [1, 0]; each redeems. */
export async function runVaultHolders(ctx: BenchContext, label: string, count: number): Promise<HolderRun> {
  const { collateral, vault, send, measure, log } = ctx;
  const { oracle } = ctx.wallets;
  const questionId = keccak256(toHex(`bench-gas holders ${label}`));
  await send("prepare", vault.write.prepareCondition([questionId, 2n], { account: oracle.account }));
  const conditionId = await vault.read.conditionIdOf([oracle.account.address, questionId, 2n]);
  const accounts = await ctx.freshAccounts(`holder ${label}`, count);

  const split: Measured[] = [];
  let tick = progress(log, `${label}: split`, count);
  for (const [i, account] of accounts.entries()) {
    await send("mint", collateral.write.mint([account.address, 2n * DEPOSIT]));
    await send("approve", collateral.write.approve([vault.address, maxUint256], { account, gas: GAS_LIMIT }));
    split.push(
      await measure("split", vault.write.split([collateral.address, 0n, conditionId, DEPOSIT], { account, gas: GAS_LIMIT })),
    );
    tick(i + 1);
  }
  await send("report", vault.write.reportPayouts([questionId, [1n, 0n]], { account: oracle.account }));
  const redeem: Measured[] = [];
  tick = progress(log, `${label}: redeem`, count);
  for (const [i, account] of accounts.entries()) {
    redeem.push(await measure("redeem", vault.write.redeem([collateral.address, 0n, conditionId], { account, gas: GAS_LIMIT })));
    tick(i + 1);
  }
  return { split, redeem };
}

export interface ClaimantRun {
  createPledge: Measured[];
  claim: Measured[];
}

/**
 * `count` fresh pledgers each post a pledge (30-day term, no grace, the committee as arbiter, a
 * beneficiary, so all six slots of the pledge record are written); the term passes unchallenged;
 * the deployer finalizes every pledge as Honored (the bond is credited back); each pledger claims it.
 */
export async function runClaimants(ctx: BenchContext, label: string, count: number): Promise<ClaimantRun> {
  const { send, measure, log, conn } = ctx;
  const { registry, bondToken, committee } = ctx.pledges;
  const accounts = await ctx.freshAccounts(`pledger ${label}`, count);
  const expiry = (await conn.networkHelpers.time.latest()) + 30 * DAY;

  const createPledge: Measured[] = [];
  const pledgeIds: bigint[] = [];
  let tick = progress(log, `${label}: createPledge`, count);
  for (const [i, account] of accounts.entries()) {
    await send("mint", bondToken.write.mint([account.address, 2n * DEPOSIT]));
    await send("approve", bondToken.write.approve([registry.address, maxUint256], { account, gas: GAS_LIMIT }));
    const params = {
      termsHash: keccak256(toHex(`bench-gas terms ${label} ${i}`)),
      // A realistic pointer to the terms: an IPFS CIDv1 is 59 characters.
      termsURI: `ipfs://${keccak256(toHex(`${label} ${i}`)).slice(2, 61)}`,
      token: bondToken.address,
      bond: DEPOSIT,
      expiry: BigInt(expiry),
      grace: 0,
      // Any account but the pledger stands in for a safety fund.
      beneficiary: ctx.wallets.creator.account.address,
      resolution: { arbiter: committee.address, liveness: 3_600, challengeBond: DEPOSIT / 10n },
    };
    createPledge.push(await measure("createPledge", registry.write.createPledge([params], { account, gas: GAS_LIMIT })));
    pledgeIds.push(await registry.read.pledgeCount());
    tick(i + 1);
  }
  await conn.networkHelpers.time.increaseTo(expiry);
  tick = progress(log, `${label}: finalize (not measured)`, count);
  for (const [i, pledgeId] of pledgeIds.entries()) {
    await send("finalize", registry.write.finalize([pledgeId]));
    tick(i + 1);
  }
  const claim: Measured[] = [];
  tick = progress(log, `${label}: claim`, count);
  for (const [i, account] of accounts.entries()) {
    claim.push(await measure("claim", registry.write.claim([bondToken.address, account.address], { account, gas: GAS_LIMIT })));
    tick(i + 1);
  }
  return { createPledge, claim };
}
