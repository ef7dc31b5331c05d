/**
 * The pact commands of the command-line interface (tasks/pact-*.ts): create, join, activate, status, record,
 * claim, withdraw, expel. Each checks its input and the pact's state first (a mistake gets a sentence, not a
 * revert), sends as the `--from` account and returns a plain object the task prints as tables or JSON.
 */
import type { NetworkConnection } from "hardhat/types/network";
import { getAddress, isHex, keccak256, toHex } from "viem";

import { UserInputError } from "../format.js";
import { stateName } from "../states.js";
import {
  type Address,
  type CommonArgs,
  ensureAllowance,
  explainRevert,
  iso,
  knowErrorsOf,
  lensIfKnown,
  latestTimestamp,
  parseAddress,
  parseDuration,
  parseTime,
  recordedAddresses,
  resolveRecorded,
  send,
  tokenInfo,
  walletFor,
} from "./context.js";

/** `IPacts.PactState` and `IPacts.MemberStatus`, numbered as in Solidity. */
export const PACT_STATES = ["None", "Joining", "Activatable", "Active", "Failed"] as const;
export const MEMBER_STATUSES = ["None", "Joined", "Refunded", "Expelled", "Pledged", "Honored", "Breached"] as const;

export interface PactArgs extends CommonArgs {
  /** The Pacts contract ("" = the one Ignition recorded for the chain). */
  pacts?: string;
}

/** The Pacts contract (`--pacts` or recorded) and the registry it is bound to (`--registry`, when given, must be it). */
export async function pactsAt(conn: NetworkConnection, args: PactArgs) {
  const address = await resolveRecorded(conn, args.pacts, "Pacts#Pacts", "--pacts");
  const pacts = await conn.viem.getContractAt("Pacts", address);
  let registryAddress: Address;
  try {
    registryAddress = getAddress(await pacts.read.registry());
  } catch {
    throw new UserInputError(`--pacts ${address} is not a Pacts contract`);
  }
  if (args.registry !== undefined && args.registry !== "" && parseAddress(args.registry, "--registry") !== registryAddress) {
    throw new UserInputError(`--registry ${getAddress(args.registry)} is not the registry the Pacts contract ${address} is bound to (${registryAddress})`);
  }
  const registry = await conn.viem.getContractAt("PledgeRegistry", registryAddress);
  knowErrorsOf(pacts, registry);
  return { pacts, registry };
}

/** The contracts, the acting wallet and pact `pactId` (checked to exist) with its state and token. */
async function pactContext(conn: NetworkConnection, args: PactArgs, pactId: bigint) {
  const { pacts, registry } = await pactsAt(conn, args);
  const count = await pacts.read.pactCount();
  if (pactId < 1n || pactId > count) {
    throw new UserInputError(count === 0n ? `pact #${pactId} does not exist (no pacts yet)` : `pact #${pactId} does not exist (pacts #1 to #${count})`);
  }
  const wallet = await walletFor(conn, args.from);
  const pact = await pacts.read.getPact([pactId]);
  const state = PACT_STATES[await pacts.read.state([pactId])];
  const token = await tokenInfo(conn, pact.token);
  return { pacts, registry, wallet, from: getAddress(wallet.account.address), pact, state, token };
}

function requirePactState(pactId: bigint, state: string, allowed: string[], action: string) {
  if (!allowed.includes(state)) throw new UserInputError(`pact #${pactId} is ${state}; ${action} needs it ${allowed.join(" or ")}`);
}

export interface PactCreateArgs extends PactArgs {
  token: string;
  minBond: string;
  quorum: number;
  seats: number;
  members: string;
  joinBy: string;
  expiry: string;
  grace: string;
  liveness: string;
  challengeBond: string;
  keeperBps: number;
  beneficiary: string;
  arbiter: string;
  terms: string;
  uri: string;
  bonus: string;
  approve: boolean;
}

/** `pact create`: a pact on shared terms, open (`--seats`) or among named members (`--members a,b,c`). */
export async function createPact(conn: NetworkConnection, args: PactCreateArgs) {
  const { pacts } = await pactsAt(conn, args);
  const wallet = await walletFor(conn, args.from);
  const { addresses } = await recordedAddresses(conn);
  const recordedToken = addresses["MockTokens#MockERC20"];
  if (args.token === "" && recordedToken === undefined) throw new UserInputError("--token is required (the bond token's address)");
  const token = await tokenInfo(conn, parseAddress(args.token !== "" ? args.token : recordedToken, "--token"));
  const arbiter = await resolveRecorded(conn, args.arbiter, "PledgeSystem#CommitteeArbiter", "--arbiter");
  for (const [value, flag] of [[args.minBond, "--min-bond"], [args.challengeBond, "--challenge-bond"], [args.terms, "--terms"], [args.beneficiary, "--beneficiary"]] as const) {
    if (value === "") throw new UserInputError(`${flag} is required`);
  }
  const minBond = token.parse(args.minBond, "--min-bond");
  const challengeBond = token.parse(args.challengeBond, "--challenge-bond");
  const bonus = args.bonus === "" ? 0n : token.parse(args.bonus, "--bonus");
  const invited = args.members === "" ? [] : args.members.split(",").map((m) => parseAddress(m.trim(), "--members"));
  const seats = invited.length > 0 ? invited.length : args.seats;
  if (!Number.isInteger(args.quorum) || args.quorum < 2) throw new UserInputError(`--quorum must be at least 2, got ${args.quorum}`);
  if (seats < args.quorum) throw new UserInputError(`${invited.length > 0 ? "--members lists" : "--seats is"} ${seats}, below --quorum ${args.quorum}`);
  if (!Number.isInteger(args.keeperBps) || args.keeperBps < 0 || args.keeperBps > 10_000) {
    throw new UserInputError(`--keeper-bps must be 0..10000, got ${args.keeperBps}`);
  }
  const now = await latestTimestamp(conn);
  const joinDeadline = parseTime(args.joinBy, now, "--join-by");
  const expiry = parseTime(args.expiry, now, "--expiry");
  if (joinDeadline <= now) throw new UserInputError(`--join-by ${args.joinBy} (${iso(joinDeadline)}) is not after the latest block (${iso(now)})`);
  if (expiry <= joinDeadline) throw new UserInputError(`--expiry ${iso(expiry)} must be after --join-by ${iso(joinDeadline)}`);
  const params = {
    termsHash: isHex(args.terms) && args.terms.length === 66 ? args.terms : keccak256(toHex(args.terms)),
    termsURI: args.uri,
    token: token.address,
    minBond,
    quorum: args.quorum,
    maxMembers: seats,
    joinDeadline,
    expiry,
    grace: parseDuration(args.grace, "--grace"),
    keeperShareBps: args.keeperBps,
    beneficiary: parseAddress(args.beneficiary, "--beneficiary"),
    resolution: { arbiter, liveness: parseDuration(args.liveness, "--liveness"), challengeBond },
    bonus,
  };
  const approval = bonus === 0n ? null : await ensureAllowance(conn, token, wallet, { address: pacts.address, name: "Pacts contract" }, bonus, args.approve);
  let pactId: bigint;
  try {
    ({ result: pactId } = await pacts.simulate.createPact([params, invited], { account: wallet.account.address }));
  } catch (error) {
    throw explainRevert("createPact", error);
  }
  const tx = await send(conn, "createPact", () => pacts.write.createPact([params, invited], { account: wallet.account }));
  return {
    action: "created",
    pactId: pactId.toString(),
    founder: getAddress(wallet.account.address),
    token: `${token.symbol} ${token.address}`,
    minBond: token.fmt(minBond),
    quorum: args.quorum,
    seats,
    members: invited.length > 0 ? invited.join(" ") : "open",
    joinDeadline: iso(joinDeadline),
    expiry: iso(expiry),
    keeperShare: `${args.keeperBps / 100}% of a slashed bond after the challenger's reward`,
    beneficiary: params.beneficiary,
    bonus: token.fmt(bonus),
    transactions: [approval, tx].filter((h) => h !== null).join(" "),
  };
}

export interface PactJoinArgs extends PactArgs {
  id: bigint;
  bond: string;
  approve: boolean;
}

/** `pact join`: posts a bond; with --approve, first approves the tokens and the Pacts contract as sponsor in the registry. */
export async function joinPact(conn: NetworkConnection, args: PactJoinArgs) {
  const { pacts, registry, wallet, from, pact, state, token } = await pactContext(conn, args, args.id);
  requirePactState(args.id, state, ["Joining"], "joining");
  const bond = args.bond === "" ? pact.minBond : token.parse(args.bond, "--bond");
  if (bond < pact.minBond) throw new UserInputError(`--bond ${token.fmt(bond)} is below pact #${args.id}'s minimum ${token.fmt(pact.minBond)}`);
  if (pact.invitedOnly && !(await pacts.read.isInvited([args.id, from]))) throw new UserInputError(`${from} is not among pact #${args.id}'s named members`);
  const member = await pacts.read.getMember([args.id, from]);
  if (member.status !== 0) throw new UserInputError(`${from} already joined pact #${args.id}`);
  const txs: (string | null)[] = [];
  if (!(await registry.read.isApprovedSponsor([from, pacts.address]))) {
    if (!args.approve) {
      throw new UserInputError(
        `${from} has not approved the Pacts contract ${pacts.address} as its sponsor in the registry (it creates the member's pledge at activation). Rerun with --approve, or call approveSponsor yourself`,
      );
    }
    txs.push(await send(conn, "approveSponsor", () => registry.write.approveSponsor([pacts.address, true], { account: wallet.account })));
  }
  txs.push(await ensureAllowance(conn, token, wallet, { address: pacts.address, name: "Pacts contract" }, bond, args.approve));
  txs.push(await send(conn, "join", () => pacts.write.join([args.id, bond], { account: wallet.account })));
  const after = await pacts.read.getPact([args.id]);
  return {
    action: "joined",
    pactId: args.id.toString(),
    member: from,
    bond: token.fmt(bond),
    members: `${after.members} of ${after.seats} seats (quorum ${after.quorum})`,
    state: PACT_STATES[await pacts.read.state([args.id])],
    transactions: txs.filter((h) => h !== null).join(" "),
  };
}

/** `pact activate`: binds an Activatable pact; every member's pledge is created now. */
export async function activatePact(conn: NetworkConnection, args: PactArgs & { id: bigint }) {
  const { pacts, registry, wallet, state, token } = await pactContext(conn, args, args.id);
  if (state === "Joining") {
    const p = await pacts.read.getPact([args.id]);
    throw new UserInputError(
      `pact #${args.id} is Joining (${p.members} of ${p.seats} seats, quorum ${p.quorum}); it can be activated once the quorum is reached and ${iso(p.joinDeadline)} has passed, or every seat is taken`,
    );
  }
  requirePactState(args.id, state, ["Activatable"], "activation");
  const tx = await send(conn, "activate", () => pacts.write.activate([args.id], { account: wallet.account }));
  const members = await memberRows({ pacts, registry }, args.id, token);
  return { action: "activated", pactId: args.id.toString(), members, transactions: tx };
}

/** One row per member: bond, pledge, standing, its pledge's state, keeper shares, what defecting would cost it now. */
async function memberRows(
  { pacts, registry }: Awaited<ReturnType<typeof pactsAt>>,
  pactId: bigint,
  token: Awaited<ReturnType<typeof tokenInfo>>,
  lens: Awaited<ReturnType<typeof lensIfKnown>> = null,
) {
  return Promise.all(
    (await pacts.read.membersOf([pactId])).map(async (address) => {
      const m = await pacts.read.getMember([pactId, address]);
      const cost = await pacts.read.defectionCost([pactId, address]);
      // With the lens: bond, forfeited shares and the subsidies of the markets it sponsors; without: the first two.
      const loss = lens === null ? cost.bondAtRisk + cost.sharesForfeited : (await lens.read.memberCost([pactId, address])).lossIfDefect;
      return {
        member: getAddress(address),
        bond: token.fmt(m.bond),
        status: MEMBER_STATUSES[m.status],
        pledge: m.pledgeId === 0n ? "-" : `#${m.pledgeId} ${stateName(await registry.read.state([m.pledgeId]))}`,
        shares: token.fmt(await pacts.read.sharesOf([pactId, address])),
        defectionCost: cost.bondAtRisk === 0n ? "-" : token.fmt(loss),
      };
    }),
  );
}

/** `pact status`: the pact's settings and state, every member, the keeper accounts. */
export async function pactStatus(conn: NetworkConnection, args: PactArgs & { id: bigint }) {
  const { pacts, registry, pact, state, token } = await pactContext(conn, { ...args, from: "" }, args.id);
  const k = await pacts.read.keeperAccounts([args.id]);
  const lens = await lensIfKnown(conn, args);
  const members = await memberRows({ pacts, registry }, args.id, token, lens);
  return {
    pactId: args.id.toString(),
    state,
    founder: pact.founder,
    token: `${token.symbol} ${token.address}`,
    termsHash: pact.termsHash,
    seats: `${pact.members} of ${pact.seats} taken${pact.invitedOnly ? " (named members only)" : ""}, quorum ${pact.quorum}`,
    minBond: token.fmt(pact.minBond),
    joinDeadline: iso(pact.joinDeadline),
    activatedAt: pact.activatedAt === 0n ? "-" : iso(pact.activatedAt),
    expiry: iso(pact.expiry),
    challengeableUntil: iso(pact.expiry + BigInt(pact.grace)),
    keeperShare: `${pact.keeperShareBps / 100}%`,
    beneficiary: pact.beneficiary,
    bonus: `${token.fmt(pact.bonus)}${pact.bonusReclaimed ? " (reclaimed)" : ""}`,
    keepers: { funds: token.fmt(k.funds), paid: token.fmt(k.paid), recorded: `${pact.recorded} of ${pact.members} outcomes` },
    defectionCost: lens === null ? "bond at risk + keeper shares forfeited (no --lens: market subsidies not counted)" : "bond at risk + keeper shares forfeited + market subsidies at risk (DefectionLens)",
    members,
  };
}

/**
 * `pact record`: records the outcome of `--member`, or of every member whose pledge is final (or due: the pact
 * finalizes it in the registry first).
 */
export async function recordPact(conn: NetworkConnection, args: PactArgs & { id: bigint; member: string }) {
  const { pacts, registry, wallet, state } = await pactContext(conn, args, args.id);
  requirePactState(args.id, state, ["Active"], "recording outcomes");
  const due = new Set(["Slashable", "Releasable", "Breached", "Honored"]);
  const candidates = args.member === "" ? await pacts.read.membersOf([args.id]) : [parseAddress(args.member, "--member")];
  const recorded: { member: string; outcome: string; transaction: string }[] = [];
  const waiting: string[] = [];
  for (const address of candidates) {
    const m = await pacts.read.getMember([args.id, address]);
    if (MEMBER_STATUSES[m.status] !== "Pledged") {
      if (args.member !== "") throw new UserInputError(`${getAddress(address)} is ${MEMBER_STATUSES[m.status]} in pact #${args.id}; only a Pledged member's outcome can be recorded`);
      continue;
    }
    const pledgeState = stateName(await registry.read.state([m.pledgeId]));
    if (!due.has(pledgeState)) {
      waiting.push(`${getAddress(address)} (pledge #${m.pledgeId} ${pledgeState})`);
      continue;
    }
    const tx = await send(conn, "recordOutcome", () => pacts.write.recordOutcome([args.id, address], { account: wallet.account }));
    recorded.push({ member: getAddress(address), outcome: MEMBER_STATUSES[(await pacts.read.getMember([args.id, address])).status], transaction: tx });
  }
  if (recorded.length === 0) throw new UserInputError(`no outcome of pact #${args.id} can be recorded now${waiting.length ? `: ${waiting.join(", ")}` : ""}`);
  return { action: "recorded", pactId: args.id.toString(), recorded, notYet: waiting.join(", ") || "none" };
}

/**
 * `pact claim`: everything the account can take from pact `id`: its keeper shares (honored member), its refund
 * and bonus share (failed pact), the bonus back (founder), and its claimable balance (beneficiary).
 */
export async function claimPact(conn: NetworkConnection, args: PactArgs & { id: bigint; to: string }) {
  const { pacts, wallet, from, pact, state, token } = await pactContext(conn, args, args.id);
  const to = args.to === "" ? from : parseAddress(args.to, "--to");
  const paid: { what: string; amount: string; transaction: string }[] = [];
  const member = await pacts.read.getMember([args.id, from]);
  const shares = await pacts.read.sharesOf([args.id, from]);
  if (MEMBER_STATUSES[member.status] === "Honored" && shares > 0n) {
    paid.push({ what: "keeper shares", amount: token.fmt(shares), transaction: await send(conn, "claimShares", () => pacts.write.claimShares([args.id, to], { account: wallet.account })) });
  }
  if (state === "Failed" && MEMBER_STATUSES[member.status] === "Joined") {
    if (to !== from) throw new UserInputError(`a refund goes to the member itself; drop --to`);
    const share = pact.bonus / BigInt(pact.members);
    paid.push({ what: "refund (bond + bonus share)", amount: token.fmt(member.bond + share), transaction: await send(conn, "withdraw", () => pacts.write.withdraw([args.id], { account: wallet.account })) });
  }
  if (from === getAddress(pact.founder) && !pact.bonusReclaimed && pact.bonus > 0n && (state === "Active" || state === "Failed")) {
    const dust = pact.activatedAt === 0n ? pact.bonus - (pact.bonus / BigInt(pact.members || 1)) * BigInt(pact.members) : pact.bonus;
    if (dust > 0n) {
      paid.push({ what: "refund bonus back", amount: token.fmt(dust), transaction: await send(conn, "reclaimBonus", () => pacts.write.reclaimBonus([args.id], { account: wallet.account })) });
    }
  }
  const owed = await pacts.read.claimable([from, token.address]);
  if (owed > 0n) {
    paid.push({ what: "claimable (beneficiary)", amount: token.fmt(owed), transaction: await send(conn, "claim", () => pacts.write.claim([token.address, to], { account: wallet.account })) });
  }
  if (paid.length === 0) {
    throw new UserInputError(
      `nothing to take from pact #${args.id} for ${from} (${MEMBER_STATUSES[member.status]}; pact ${state}${MEMBER_STATUSES[member.status] === "Pledged" ? `; keeper shares ${token.fmt(shares)} vest once its pledge is honored` : ""})`,
    );
  }
  return { action: "claimed", pactId: args.id.toString(), account: from, to, paid };
}

/** `pact expel`: removes a member that withdrew its sponsor approval before activation; its bond goes to the beneficiary. */
export async function expelMember(conn: NetworkConnection, args: PactArgs & { id: bigint; member: string }) {
  const { pacts, registry, wallet, state, token } = await pactContext(conn, args, args.id);
  requirePactState(args.id, state, ["Joining", "Activatable"], "an expulsion");
  const member = parseAddress(args.member, "--member");
  const m = await pacts.read.getMember([args.id, member]);
  if (MEMBER_STATUSES[m.status] !== "Joined") throw new UserInputError(`${member} is ${MEMBER_STATUSES[m.status]} in pact #${args.id}; only a Joined member can be expelled`);
  if (await registry.read.isApprovedSponsor([member, pacts.address])) throw new UserInputError(`${member} still approves the Pacts contract as its sponsor: it cannot be expelled`);
  const tx = await send(conn, "expel", () => pacts.write.expel([args.id, member], { account: wallet.account }));
  return { action: "expelled", pactId: args.id.toString(), member, forfeited: token.fmt(m.bond), transactions: tx };
}
