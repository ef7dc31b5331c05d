import type { NetworkConnection } from "hardhat/types/network";
import { erc20Abi, getAddress, zeroAddress } from "viem";

import { type decisionsIfKnown, type lensIfKnown, type marketsAt, PROPOSAL_STATES, resolveRecorded } from "./cli/context.js";
import { breachPriceOf, fmtPrice } from "./cli/market.js";
import { stateName } from "./states.js";
import { fmtAmount, UserInputError } from "./format.js";

type Address = `0x${string}`;

/**
 * The registry address: the one given, or else the one Ignition recorded for this chain
 * (ignition/deployments/chain-<id>/deployed_addresses.json, key PledgeSystem#PledgeRegistry).
 */
export async function resolveRegistry(conn: NetworkConnection, given: string): Promise<Address> {
  return resolveRecorded(conn, given, "PledgeSystem#PledgeRegistry", "--registry");
}

const iso = (t: bigint) => new Date(Number(t) * 1000).toISOString().replace(".000Z", "Z");

/**
 * Everything a user wants to know about one pledge, read from the chain; with the breach-market
 * contracts, also the market's BREACH price when the pledge has a market; with the decision contract,
 * the pledge's open proposal (or cooldown) when the pledge is governed by it.
 */
export async function pledgeStatus(
  conn: NetworkConnection,
  registryAddress: Address,
  pledgeId: bigint,
  markets: Awaited<ReturnType<typeof marketsAt>> | null = null,
  decisions: Awaited<ReturnType<typeof decisionsIfKnown>> = null,
  lens: Awaited<ReturnType<typeof lensIfKnown>> = null,
) {
  const registry = await conn.viem.getContractAt("PledgeRegistry", registryAddress);
  const count = await registry.read.pledgeCount();
  if (pledgeId < 1n || pledgeId > count) {
    throw new UserInputError(`pledge #${pledgeId} does not exist (the registry has pledges #1 to #${count})`);
  }
  const p = await registry.read.getPledge([pledgeId]);
  const state = stateName(await registry.read.state([pledgeId]));
  const publicClient = await conn.viem.getPublicClient();
  const [symbol, decimals] = await Promise.all([
    publicClient.readContract({ address: p.token, abi: erc20Abi, functionName: "symbol" }),
    publicClient.readContract({ address: p.token, abi: erc20Abi, functionName: "decimals" }),
  ]);
  const amount = (v: bigint) => `${fmtAmount(v, decimals, 6)} ${symbol}`;
  const cfg = await registry.read.config();
  const [, nextBond] = await registry.read.requiredChallengeBond([pledgeId]);
  const openId = await registry.read.openChallenge([pledgeId]);
  const burn = await registry.read.BURN_ADDRESS();
  const beneficiary = p.beneficiary === zeroAddress ? burn : p.beneficiary;

  const parties: [string, Address][] = [["pledger", p.pledger], ["beneficiary", beneficiary]];
  let challenge: Record<string, string> | null = null;
  if (openId !== 0n) {
    const c = await registry.read.getChallenge([openId]);
    challenge = {
      id: openId.toString(),
      role: state === "Breached" ? "established the breach" : "open",
      challenger: c.challenger,
      bond: amount(c.bond),
      disputeDeadline: iso(c.challengedAt + BigInt(p.liveness)),
      disputer: c.disputer === zeroAddress ? "none" : c.disputer,
      rulingDeadline: c.disputer === zeroAddress ? "n/a" : iso(c.disputedAt + BigInt(cfg.arbitrationTimeout)),
    };
    parties.push(["challenger", c.challenger]);
    if (c.disputer !== zeroAddress) parties.push(["disputer", c.disputer]);
  }
  const claimable: Record<string, string> = {};
  for (const [role, who] of parties) {
    claimable[`${role} ${who}`] = amount(await registry.read.claimable([who, p.token]));
  }
  const price = markets === null ? null : await breachPriceOf(markets, pledgeId);
  const governor = getAddress(await registry.read.governorOf([pledgeId]));
  const governedByDecisions = decisions !== null && governor === getAddress(decisions.address);
  let proposal = "n/a (no governor)";
  if (governor !== zeroAddress) {
    if (decisions === null) proposal = "unknown (no --decisions)";
    else if (!governedByDecisions) proposal = "n/a (governed by another contract)";
    else {
      const [open, cooldownUntil] = await decisions.read.pledgeProposals([pledgeId]);
      const now = (await publicClient.getBlock()).timestamp;
      if (open !== 0n) {
        const state = PROPOSAL_STATES[await decisions.read.proposalState([open])];
        const { end } = await decisions.read.getProposal([open]);
        proposal = `#${open} ${state}, trading ${end > now ? "until" : "ended"} ${iso(end)} (decision status ${open})`;
      } else proposal = now < cooldownUntil ? `none (cooldown after a failed one until ${iso(BigInt(cooldownUntil))})` : "none";
    }
  }
  // What the pledger would lose by defecting now (DefectionLens): its bond, and its market subsidy as sponsor.
  let defectionCost = "unknown (no --lens)";
  if (lens !== null) {
    const c = await lens.read.pledgeCost([pledgeId]);
    defectionCost = c.bondAtRisk === 0n ? "none (the outcome is final)" : `${amount(c.total)} (bond ${amount(c.bondAtRisk)}, market subsidy ${amount(c.marketLoss)})`;
  }
  return {
    pledgeId: pledgeId.toString(),
    state,
    pledger: p.pledger,
    termsHash: p.termsHash,
    token: `${symbol} ${p.token}`,
    bond: amount(p.bond),
    expiry: iso(p.expiry),
    challengeableUntil: iso(p.expiry + BigInt(p.grace)),
    liveness: `${p.liveness} s`,
    nextChallengeBond: amount(nextBond),
    rejectedChallenges: p.rejectedChallenges,
    arbiter: p.arbiter,
    beneficiary: p.beneficiary === zeroAddress ? `none (burned to ${burn})` : p.beneficiary,
    governor: governor === zeroAddress ? "none (binds until its expiry)" : `${governor}${governedByDecisions ? " (FutarchyDecisions)" : ""}`,
    proposal,
    breachPrice: markets === null ? "unknown (no --markets)" : price === null ? "no market" : fmtPrice(price),
    defectionCost,
    openChallenge: challenge,
    claimable,
  };
}
