/**
 * The pledge commands of the command-line interface: create, top-up, challenge, dispute,
 * finalize, claim, and the committee's vote. Each checks its input and the pledge's state first
 * (so a mistake gets a sentence, not a revert), sends as the `--from` account and returns a plain
 * object the task prints as a table or as JSON.
 */
import type { NetworkConnection } from "hardhat/types/network";
import { getAddress, isHex, keccak256, toHex, zeroAddress } from "viem";

import { UserInputError } from "../format.js";
import { stateName } from "../states.js";
import {
  type Address,
  type CommonArgs,
  decisionsAt,
  ensureAllowance,
  explainRevert,
  iso,
  knowErrorsOf,
  latestTimestamp,
  parseAddress,
  parseDuration,
  parseTime,
  recordedAddresses,
  registryAt,
  requirePledge,
  requireState,
  send,
  tokenInfo,
  walletFor,
} from "./context.js";

/** The registry, the acting wallet and the pledge `pledgeId` (checked to exist) with its state and token. */
async function pledgeContext(conn: NetworkConnection, args: CommonArgs, pledgeId: bigint) {
  const registry = await registryAt(conn, args);
  knowErrorsOf(registry);
  await requirePledge(registry, pledgeId);
  const wallet = await walletFor(conn, args.from);
  const pledge = await registry.read.getPledge([pledgeId]);
  const state = await registry.read.state([pledgeId]);
  const token = await tokenInfo(conn, pledge.token);
  return { registry, wallet, from: getAddress(wallet.account.address), pledge, state, token };
}

export interface CreateArgs extends CommonArgs {
  bond: string;
  token: string;
  expiry: string;
  grace: string;
  liveness: string;
  challengeBond: string;
  beneficiary: string;
  arbiter: string;
  terms: string;
  uri: string;
  /** Who may release or amend the pledge: "" (nobody), "decisions" (the recorded or --decisions FutarchyDecisions) or an address. */
  governor?: string;
  approve: boolean;
}

/**
 * The governor of a pledge to create: null for none, the decision contract for "decisions" (checked to be bound
 * to `registry`), or the address given (not the pledger).
 */
async function resolveGovernor(conn: NetworkConnection, args: CreateArgs, registry: Address, pledger: Address) {
  const given = args.governor ?? "";
  if (given === "") return null;
  const governor =
    given.toLowerCase() === "decisions"
      ? { address: (await decisionsAt(conn, { decisions: args.decisions, registry })).decisions.address, name: "FutarchyDecisions" }
      : { address: parseAddress(given, "--governor"), name: "" };
  if (governor.address === pledger) throw new UserInputError(`--governor ${governor.address} is the pledger itself, who could then release its own pledge`);
  return governor;
}

/** `pledge create`: posts a bond on terms (text, hashed, or a 32-byte hash) until an expiry. */
export async function createPledge(conn: NetworkConnection, args: CreateArgs) {
  const registry = await registryAt(conn, args);
  knowErrorsOf(registry);
  const wallet = await walletFor(conn, args.from);
  const { addresses } = await recordedAddresses(conn);

  const recordedToken = addresses["MockTokens#MockERC20"];
  if (args.token === "" && recordedToken === undefined) throw new UserInputError("--token is required (the bond token's address)");
  const token = await tokenInfo(conn, parseAddress(args.token !== "" ? args.token : recordedToken, "--token"));
  const recordedArbiter = addresses["PledgeSystem#CommitteeArbiter"];
  if (args.arbiter === "" && recordedArbiter === undefined) {
    throw new UserInputError("--arbiter is required: no PledgeSystem#CommitteeArbiter recorded by Ignition for this chain");
  }
  const arbiter = parseAddress(args.arbiter !== "" ? args.arbiter : recordedArbiter, "--arbiter");

  if (args.bond === "") throw new UserInputError("--bond is required (in token units, e.g. --bond 1000)");
  if (args.challengeBond === "") throw new UserInputError("--challenge-bond is required (in token units, e.g. --challenge-bond 100)");
  if (args.terms === "") throw new UserInputError("--terms is required (the terms' text, or their 32-byte hash)");
  const bond = token.parse(args.bond, "--bond");
  const challengeBond = token.parse(args.challengeBond, "--challenge-bond");
  if (bond === 0n) throw new UserInputError("--bond must be above 0");
  if (challengeBond === 0n) throw new UserInputError("--challenge-bond must be above 0");
  const now = await latestTimestamp(conn);
  const expiry = parseTime(args.expiry, now, "--expiry");
  if (expiry <= now) throw new UserInputError(`--expiry ${args.expiry} (${iso(expiry)}) is not after the latest block (${iso(now)})`);
  const grace = parseDuration(args.grace, "--grace");
  const liveness = parseDuration(args.liveness, "--liveness");
  const beneficiary = args.beneficiary === "" ? zeroAddress : parseAddress(args.beneficiary, "--beneficiary");
  const termsHash = isHex(args.terms) && args.terms.length === 66 ? args.terms : keccak256(toHex(args.terms));

  const pledger = getAddress(wallet.account.address);
  const governor = await resolveGovernor(conn, args, registry.address, pledger);
  const approval = await ensureAllowance(conn, token, wallet, { address: registry.address, name: "registry" }, bond, args.approve);
  const params = {
    termsHash,
    termsURI: args.uri,
    token: token.address,
    bond,
    expiry,
    grace,
    beneficiary,
    resolution: { arbiter, liveness, challengeBond },
  };
  // Simulate first: the id the registry assigns is its return value.
  let pledgeId: bigint;
  const label = governor === null ? "createPledge" : "createGovernedPledge";
  try {
    ({ result: pledgeId } =
      governor === null
        ? await registry.simulate.createPledge([params], { account: wallet.account.address })
        : await registry.simulate.createGovernedPledge([params, governor.address], { account: wallet.account.address }));
  } catch (error) {
    throw explainRevert(label, error);
  }
  const tx = await send(conn, label, () =>
    governor === null
      ? registry.write.createPledge([params], { account: wallet.account })
      : registry.write.createGovernedPledge([params, governor.address], { account: wallet.account }),
  );
  return {
    action: "created",
    pledgeId: pledgeId.toString(),
    pledger,
    token: `${token.symbol} ${token.address}`,
    bond: token.fmt(bond),
    expiry: iso(expiry),
    challengeableUntil: iso(expiry + BigInt(grace)),
    liveness: `${liveness} s`,
    challengeBond: token.fmt(challengeBond),
    beneficiary: beneficiary === zeroAddress ? "none (a slashed bond is burned)" : beneficiary,
    arbiter,
    governor: governor === null ? "none (binds until its expiry)" : `${governor.address}${governor.name === "" ? "" : ` (${governor.name})`}`,
    termsHash,
    termsURI: args.uri,
    transactions: [approval, tx].filter((h) => h !== null).join(" "),
  };
}

export interface TopUpArgs extends CommonArgs {
  id: bigint;
  amount: string;
  approve: boolean;
}

/** `pledge top-up`: the pledger adds to its bond (while Active, Challenged or Disputed). */
export async function topUpPledge(conn: NetworkConnection, args: TopUpArgs) {
  const { registry, wallet, from, pledge, state, token } = await pledgeContext(conn, args, args.id);
  requireState(args.id, state, ["Active", "Challenged", "Disputed"], "top-up");
  if (from !== pledge.pledger) throw new UserInputError(`only the pledger ${pledge.pledger} can top up pledge #${args.id}; --from is ${from}`);
  const amount = token.parse(args.amount, "--amount");
  if (amount === 0n) throw new UserInputError("--amount must be above 0");
  const approval = await ensureAllowance(conn, token, wallet, { address: registry.address, name: "registry" }, amount, args.approve);
  const tx = await send(conn, "topUp", () => registry.write.topUp([args.id, amount], { account: wallet.account }));
  return {
    action: "topped up",
    pledgeId: args.id.toString(),
    added: token.fmt(amount),
    bond: token.fmt((await registry.read.getPledge([args.id])).bond),
    transactions: [approval, tx].filter((h) => h !== null).join(" "),
  };
}

export interface ChallengeArgs extends CommonArgs {
  id: bigint;
  evidence: string;
  maxBond: string;
  approve: boolean;
}

/** `pledge challenge`: alleges a breach with evidence, posting the bond the registry requires now. */
export async function challengePledge(conn: NetworkConnection, args: ChallengeArgs) {
  const { registry, wallet, from, pledge, state, token } = await pledgeContext(conn, args, args.id);
  requireState(args.id, state, ["Active"], "a challenge");
  if (from === pledge.pledger) throw new UserInputError(`the pledger ${from} cannot challenge its own pledge #${args.id}`);
  if (args.evidence === "") throw new UserInputError("--evidence is required (a URI to the evidence of the breach)");
  const [, required] = await registry.read.requiredChallengeBond([args.id]);
  const maxBond = args.maxBond === "" ? required : token.parse(args.maxBond, "--max-bond");
  if (required > maxBond) {
    throw new UserInputError(`pledge #${args.id} requires a challenge bond of ${token.fmt(required)}, above --max-bond ${token.fmt(maxBond)}`);
  }
  const approval = await ensureAllowance(conn, token, wallet, { address: registry.address, name: "registry" }, required, args.approve);
  const tx = await send(conn, "challenge", () =>
    registry.write.challenge([args.id, args.evidence, maxBond], { account: wallet.account }),
  );
  const challengeId = await registry.read.openChallenge([args.id]);
  const c = await registry.read.getChallenge([challengeId]);
  return {
    action: "challenged",
    pledgeId: args.id.toString(),
    challengeId: challengeId.toString(),
    challenger: from,
    bond: token.fmt(c.bond),
    evidence: args.evidence,
    disputeDeadline: iso(c.challengedAt + BigInt(pledge.liveness)),
    transactions: [approval, tx].filter((h) => h !== null).join(" "),
  };
}

export interface DisputeArgs extends CommonArgs {
  id: bigint;
  approve: boolean;
}

/** `pledge dispute`: contests the open challenge by matching its bond; the arbiter then rules. */
export async function disputeChallenge(conn: NetworkConnection, args: DisputeArgs) {
  const { registry, wallet, from, state, token } = await pledgeContext(conn, args, args.id);
  requireState(args.id, state, ["Challenged"], "a dispute");
  const challengeId = await registry.read.openChallenge([args.id]);
  const c = await registry.read.getChallenge([challengeId]);
  const approval = await ensureAllowance(conn, token, wallet, { address: registry.address, name: "registry" }, c.bond, args.approve);
  const tx = await send(conn, "dispute", () => registry.write.dispute([args.id], { account: wallet.account }));
  const after = await registry.read.getChallenge([challengeId]);
  const cfg = await registry.read.config();
  return {
    action: "disputed",
    pledgeId: args.id.toString(),
    challengeId: challengeId.toString(),
    disputer: from,
    bond: token.fmt(c.bond),
    rulingDeadline: iso(after.disputedAt + BigInt(cfg.arbitrationTimeout)),
    transactions: [approval, tx].filter((h) => h !== null).join(" "),
  };
}

export interface FinalizeArgs extends CommonArgs {
  id: bigint;
}

/** `pledge finalize`: settles a due pledge: slashes it (Slashable) or releases the bond (Releasable). */
export async function finalizePledge(conn: NetworkConnection, args: FinalizeArgs) {
  const { registry, wallet, state, pledge } = await pledgeContext(conn, args, args.id);
  if (stateName(state) === "Active" || stateName(state) === "Challenged") {
    const due = stateName(state) === "Active" ? `at ${iso(pledge.expiry + BigInt(pledge.grace))} (expiry + grace)` : "when the challenge's liveness ends undisputed";
    throw new UserInputError(`pledge #${args.id} is ${stateName(state)}; it becomes finalizable ${due}`);
  }
  requireState(args.id, state, ["Slashable", "Releasable"], "finalize");
  const tx = await send(conn, "finalize", () => registry.write.finalize([args.id], { account: wallet.account }));
  return {
    action: "finalized",
    pledgeId: args.id.toString(),
    outcome: stateName(await registry.read.state([args.id])),
    transactions: tx,
  };
}

export interface ClaimArgs extends CommonArgs {
  token: string;
  to: string;
}

/**
 * `pledge claim`: withdraws what the registry credited to the account, in `--token` or else in every
 * token a pledge uses.
 */
export async function claim(conn: NetworkConnection, args: ClaimArgs) {
  const registry = await registryAt(conn, args);
  knowErrorsOf(registry);
  const wallet = await walletFor(conn, args.from);
  const account = getAddress(wallet.account.address);
  const to = args.to === "" ? account : parseAddress(args.to, "--to");
  let tokens: Address[];
  if (args.token !== "") tokens = [parseAddress(args.token, "--token")];
  else {
    const seen = new Set<Address>();
    const count = await registry.read.pledgeCount();
    for (let id = 1n; id <= count; id++) seen.add(getAddress((await registry.read.getPledge([id])).token));
    tokens = [...seen];
  }
  const claimed: { token: string; amount: string; transaction: string }[] = [];
  for (const address of tokens) {
    const amount = await registry.read.claimable([account, address]);
    if (amount === 0n) continue;
    const token = await tokenInfo(conn, address);
    const tx = await send(conn, "claim", () => registry.write.claim([address, to], { account: wallet.account }));
    claimed.push({ token: `${token.symbol} ${address}`, amount: token.fmt(amount), transaction: tx });
  }
  if (claimed.length === 0) {
    throw new UserInputError(`nothing to claim for ${account} (tokens checked: ${tokens.length === 0 ? "none, no pledges yet" : tokens.join(", ")})`);
  }
  return { action: "claimed", account, to, claimed };
}

export interface VoteArgs extends CommonArgs {
  id: bigint;
  ruling: string;
}

/** `committee vote`: a committee member votes on the disputed challenge of a pledge. */
export async function committeeVote(conn: NetworkConnection, args: VoteArgs) {
  const { registry, wallet, from, state, pledge } = await pledgeContext(conn, args, args.id);
  const ruling = args.ruling.toLowerCase();
  if (ruling !== "breached" && ruling !== "not-breached") {
    throw new UserInputError(`ruling "${args.ruling}" must be breached or not-breached`);
  }
  requireState(args.id, state, ["Disputed"], "a committee vote");
  const committee = await conn.viem.getContractAt("CommitteeArbiter", pledge.arbiter);
  knowErrorsOf(committee);
  let member: boolean;
  try {
    member = await committee.read.isMember([from]);
  } catch {
    throw new UserInputError(`pledge #${args.id}'s arbiter ${pledge.arbiter} is not a CommitteeArbiter`);
  }
  if (!member) throw new UserInputError(`${from} is not a member of the committee ${pledge.arbiter}`);
  const challengeId = await registry.read.openChallenge([args.id]);
  if (await committee.read.hasVoted([challengeId, from])) {
    throw new UserInputError(`${from} has already voted on challenge #${challengeId} of pledge #${args.id}`);
  }
  const breached = ruling === "breached";
  const tx = await send(conn, "vote", () => committee.write.vote([challengeId, breached], { account: wallet.account }));
  const [, ruled, votesBreached, votesNotBreached] = await committee.read.tally([challengeId]);
  return {
    action: "voted",
    pledgeId: args.id.toString(),
    challengeId: challengeId.toString(),
    member: from,
    vote: ruling,
    votesBreached,
    votesNotBreached,
    threshold: await committee.read.threshold(),
    ruled: ruled ? `yes: the pledge is now ${stateName(await registry.read.state([args.id]))}` : "not yet",
    transactions: tx,
  };
}
