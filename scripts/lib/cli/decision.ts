/**
 * The futarchy commands of the command-line interface: propose a release or an amendment of a governed
 * pledge, read a proposal's standing, trade a branch's pool (splitting collateral into PASS and FAIL
 * positions on request), finalize, retry a refused execution, and redeem a decided proposal's positions
 * (removing the caller's liquidity first on request). Like the pledge and market commands, each checks
 * its input and the proposal's state first, sends as the `--from` account and returns a plain object.
 *
 * Units: a pool trades the branch's metric position against the branch's quote position. For the Price
 * metric these are the metric and quote tokens split on the decision (their own decimals); for the Risk
 * metric, BREACH|branch against HONOR|branch, both in the quote token's decimals. Prices are quote per
 * metric in human units; a Risk pool's price `x` (HONOR per BREACH) is shown as P(breach) = x / (1 + x).
 */
import type { NetworkConnection } from "hardhat/types/network";
import { type Hex, getAddress, isHex, keccak256, parseEventLogs, toHex, zeroAddress, zeroHash } from "viem";

import { fmtAmount, UserInputError } from "../format.js";
import { probabilityOfOdds, WAD } from "../markets.js";
import { stateName } from "../states.js";
import {
  type Address,
  type CommonArgs,
  type DeploymentOverrides,
  type TokenInfo,
  decisionsAt,
  decodeRevert,
  ensureAllowance,
  explainRevert,
  iso,
  KINDS,
  knowErrorsOf,
  latestTimestamp,
  METRICS,
  parseAddress,
  parseAmount,
  parseTime,
  POOL_STATES,
  PROPOSAL_STATES,
  requirePledge,
  requireState,
  send,
  tokenInfo,
  walletFor,
} from "./context.js";

const BPS = 10_000n;
const PASS = 0n;
const FAIL = 1n;
const BRANCHES = ["PASS", "FAIL"] as const;
type Branch = (typeof BRANCHES)[number];

/** Seconds as "2d 3h", "3h 4m", "4m 5s" or "5s". */
export function fmtDuration(seconds: bigint): string {
  const s = seconds < 0n ? -seconds : seconds;
  const d = s / 86_400n;
  const h = (s % 86_400n) / 3_600n;
  const m = (s % 3_600n) / 60n;
  const r = s % 60n;
  if (d > 0n) return `${d}d ${h}h`;
  if (h > 0n) return `${h}h ${m}m`;
  if (m > 0n) return `${m}m ${r}s`;
  return `${r}s`;
}

/** A point in time with how far it is from `now`: "2026-11-30T07:00:00Z (in 2h 3m)" or "(5m 0s ago)". */
export const fmtWhen = (t: bigint, now: bigint) => `${iso(t)} (${t > now ? `in ${fmtDuration(t - now)}` : `${fmtDuration(now - t)} ago`})`;

/** A WAD fraction as a percentage with two decimals, signed when asked: "3%", "+4.12%". */
const pct = (wad: bigint, signed = false) => `${signed && wad > 0n ? "+" : ""}${fmtAmount(wad * 100n, 18, 2)}%`;

/** P(breach) = x / (1 + x) from a Risk pool's odds x (HONOR per BREACH, WAD), rounded down as the contract does. */

/** The index of "pass" or "fail" (any case). */
export function parseBranch(value: string): bigint {
  const v = value.toUpperCase();
  if (v === "PASS") return PASS;
  if (v === "FAIL") return FAIL;
  throw new UserInputError(`--branch "${value}" must be pass or fail`);
}

function parseChoice<T extends string>(value: string, choices: readonly T[], option: string): T {
  const v = value.toLowerCase();
  const found = choices.find((c) => c === v);
  if (found === undefined) throw new UserInputError(`${option} "${value}" must be ${choices.join(" or ")}`);
  return found;
}

/** The decision contract and what it is bound to, with their errors registered for decoding. */
async function decisionContext(conn: NetworkConnection, args: DeploymentOverrides) {
  const c = await decisionsAt(conn, args);
  knowErrorsOf(c.decisions, c.pools, c.vault, c.registry, c.breachMarkets);
  return c;
}

type Decisions = Awaited<ReturnType<typeof decisionContext>>["decisions"];

/** Checks a proposal id against the decision contract's counter. */
export async function requireProposal(decisions: Decisions, proposalId: bigint) {
  const count = await decisions.read.proposalCount();
  if (proposalId < 1n || proposalId > count) {
    throw new UserInputError(
      count === 0n
        ? `proposal #${proposalId} does not exist (the decisions contract ${decisions.address} has no proposals yet)`
        : `proposal #${proposalId} does not exist (the decisions contract has proposals #1 to #${count})`,
    );
  }
}

/** One side of a pool: its vault position, how it is named and its decimals. */
interface Side {
  position: bigint;
  label: string;
  decimals: number;
  fmt: (v: bigint) => string;
}

const side = (position: bigint, label: string, decimals: number): Side => ({
  position,
  label,
  decimals,
  fmt: (v) => `${fmtAmount(v, decimals, 6)} ${label}`,
});

/** A proposal (checked to exist) with its state, parameters, tokens, and each branch's pool and positions. */
async function proposalContext(conn: NetworkConnection, args: DeploymentOverrides, proposalId: bigint) {
  const c = await decisionContext(conn, args);
  await requireProposal(c.decisions, proposalId);
  const p = await c.decisions.read.getProposal([proposalId]);
  const state = PROPOSAL_STATES[await c.decisions.read.proposalState([proposalId])];
  const params = await c.decisions.read.paramsOf([p.kind]);
  const kind = KINDS[p.kind];
  const metric = METRICS[p.metric];
  const quote = await tokenInfo(conn, getAddress(p.quoteToken));
  const metricToken = metric === "Price" ? await tokenInfo(conn, getAddress(p.metricToken)) : null;
  const stakeToken = await tokenInfo(conn, getAddress(p.stakeToken));
  const breachCondition = metric === "Risk" ? await c.breachMarkets.read.conditionOf([p.pledgeId]) : null;
  const branches = [];
  for (const [i, name] of BRANCHES.entries()) {
    const index = BigInt(i);
    const poolId = index === PASS ? p.passPool : p.failPool;
    const pool = await c.pools.read.getPool([poolId]);
    // The branch's position of the quote token on the decision: what the Risk pools' positions are nested under.
    const parent = await c.vault.read.positionId([quote.address, 0n, p.decision, index]);
    const metricSide =
      metricToken !== null
        ? side(pool.metric, `${name}-${metricToken.symbol}`, metricToken.decimals)
        : side(pool.metric, `BREACH|${name}-${quote.symbol}`, quote.decimals);
    const quoteSide = metricToken !== null ? side(pool.quote, `${name}-${quote.symbol}`, quote.decimals) : side(pool.quote, `HONOR|${name}-${quote.symbol}`, quote.decimals);
    branches.push({ name, index, poolId, pool, parent, metric: metricSide, quote: quoteSide });
  }
  const start = p.end - BigInt(params.window);
  return {
    ...c,
    proposalId,
    p,
    state,
    params,
    kind,
    metric,
    quote,
    metricToken,
    stakeToken,
    breachCondition,
    branches,
    start,
    twapFrom: start + BigInt(params.twapDelay),
  };
}

type ProposalContext = Awaited<ReturnType<typeof proposalContext>>;
type BranchContext = ProposalContext["branches"][number];

/** A pool's spot price in human units: quote per metric, or P(breach) for a Risk pool. */
function fmtSpot(ctx: ProposalContext, b: BranchContext, wad: bigint): string {
  if (ctx.metric === "Risk") return `P(breach) ${pct(probabilityOfOdds(wad))}`;
  // WAD of base units; scaled when the metric and quote tokens' decimals differ.
  const human = (wad * 10n ** BigInt(b.metric.decimals)) / 10n ** BigInt(b.quote.decimals);
  return `${fmtAmount(human, 18, 6)} ${ctx.quote.symbol}/${ctx.metricToken?.symbol ?? ""}`;
}

/** The decision so far, from `standing`: which way and by how much, against the threshold or tolerance. */
function describeStanding(ctx: ProposalContext, passValue: bigint, failValue: bigint, passing: boolean): string {
  const threshold = (BigInt(ctx.params.thresholdBps) * WAD) / BPS;
  const verdict = passing ? "passing" : "failing";
  if (ctx.metric === "Price") {
    const margin = failValue === 0n ? 0n : ((passValue - failValue) * WAD) / failValue;
    return `${verdict}: PASS ${pct(margin, true)} vs FAIL (passes above +${pct(threshold)})`;
  }
  const diff = passValue - failValue;
  return `${verdict}: P(breach|PASS) ${pct(passValue)} vs P(breach|FAIL) ${pct(failValue)}, ${pct(diff, true)} (passes at most +${pct(threshold)}, not equal)`;
}

// ---------------------------------------------------------------------------------------------
// decision propose

export interface ProposeArgs extends CommonArgs {
  id: bigint;
  kind: string;
  metric: string;
  metricToken: string;
  quoteToken: string;
  metricAmount: string;
  quoteAmount: string;
  termsHash: string;
  termsUri: string;
  expiry: string;
  bond: string;
  approve: boolean;
}

/**
 * `decision propose`: the pledger proposes to release or amend its governed pledge, staking a share of the bond and
 * seeding both branches' pools (the decision contract pulls the stake and the seeds: approved with --approve).
 */
export async function propose(conn: NetworkConnection, args: ProposeArgs) {
  const c = await decisionContext(conn, args);
  const { decisions, registry } = c;
  await requirePledge(registry, args.id);
  const kind = parseChoice(args.kind, ["release", "amend"] as const, "--kind");
  const metric = parseChoice(args.metric, ["price", "risk"] as const, "--metric");
  const pledge = await registry.read.getPledge([args.id]);
  const governor = getAddress(await registry.read.governorOf([args.id]));
  if (governor !== decisions.address) {
    throw new UserInputError(
      `pledge #${args.id} is ${governor === zeroAddress ? "not governed (created without --governor)" : `governed by ${governor}`}, not by the decisions contract ${decisions.address}: ` +
        "only a pledge created with --governor decisions can be released or amended by a decision",
    );
  }
  const wallet = await walletFor(conn, args.from);
  const from = getAddress(wallet.account.address);
  if (from !== getAddress(pledge.pledger)) throw new UserInputError(`only the pledger ${pledge.pledger} can propose for pledge #${args.id}; --from is ${from}`);
  requireState(args.id, await registry.read.state([args.id]), ["Active"], "a proposal");
  const now = await latestTimestamp(conn);
  const [open, cooldownUntil] = await decisions.read.pledgeProposals([args.id]);
  if (open !== 0n) throw new UserInputError(`pledge #${args.id} has proposal #${open} open already (npx hardhat decision status ${open})`);
  if (now < cooldownUntil) {
    throw new UserInputError(`pledge #${args.id}'s last proposal failed: another may come at ${fmtWhen(BigInt(cooldownUntil), now)}`);
  }

  // Tokens and seeds.
  if (args.quoteToken === "") throw new UserInputError("--quote-token is required (the token prices are quoted in, or the Risk pools' collateral)");
  const quote = await tokenInfo(conn, parseAddress(args.quoteToken, "--quote-token"));
  if (args.quoteAmount === "") throw new UserInputError("--quote-amount is required (the quote seed per branch, in token units)");
  const quoteAmount = quote.parse(args.quoteAmount, "--quote-amount");
  if (quoteAmount === 0n) throw new UserInputError("--quote-amount must be above 0");
  let metricToken: TokenInfo | null = null;
  let metricAmount = 0n;
  if (metric === "price") {
    if (args.metricToken === "") throw new UserInputError("--metric-token is required for --metric price (the token whose price decides)");
    metricToken = await tokenInfo(conn, parseAddress(args.metricToken, "--metric-token"));
    if (metricToken.address === quote.address) throw new UserInputError(`--metric-token and --quote-token are the same token (${quote.address})`);
    if (args.metricAmount === "") throw new UserInputError("--metric-amount is required for --metric price (the metric seed per branch, in token units)");
    metricAmount = metricToken.parse(args.metricAmount, "--metric-amount");
    if (metricAmount === 0n) throw new UserInputError("--metric-amount must be above 0");
  } else {
    if (kind === "release") throw new UserInputError("--metric risk is for amendments only: released, a pledge ends, so its breach risk under PASS says nothing");
    if (args.metricToken !== "" || args.metricAmount !== "") throw new UserInputError("--metric-token and --metric-amount are not used with --metric risk (the pools trade BREACH against HONOR in the quote token)");
    const condition = await c.breachMarkets.read.conditionOf([args.id]);
    if ((await c.vault.read.conditionState([condition])) !== 1) {
      throw new UserInputError(`--metric risk needs pledge #${args.id}'s breach market open: npx hardhat market open ${args.id} --liquidity <b>`);
    }
  }

  // The amendment (zero for a release).
  const params = await decisions.read.paramsOf([kind === "release" ? 0 : 1]);
  const windowEnd = now + BigInt(params.window);
  let amendment = { termsHash: zeroHash as Hex, termsURI: "", expiry: 0n, bond: 0n };
  const bondToken = await tokenInfo(conn, getAddress(pledge.token));
  if (kind === "release") {
    if (args.termsHash !== "" || args.termsUri !== "" || args.expiry !== "" || args.bond !== "") {
      throw new UserInputError("--terms-hash, --terms-uri, --expiry and --bond describe an amendment: use them with --kind amend");
    }
  } else {
    if (args.expiry === "") throw new UserInputError(`--expiry is required for --kind amend (the new expiry, after the decision window ends at about ${iso(windowEnd)})`);
    const expiry = parseTime(args.expiry, now, "--expiry");
    if (expiry <= windowEnd) throw new UserInputError(`--expiry ${args.expiry} (${iso(expiry)}) must be after the decision window's end (about ${iso(windowEnd)})`);
    const bond = args.bond === "" ? pledge.bond : bondToken.parse(args.bond, "--bond");
    if (bond === 0n || bond > pledge.bond) throw new UserInputError(`--bond ${bondToken.fmt(bond)} must be above 0 and at most the current bond ${bondToken.fmt(pledge.bond)}`);
    const termsHash = args.termsHash === "" ? pledge.termsHash : isHex(args.termsHash) && args.termsHash.length === 66 ? args.termsHash : keccak256(toHex(args.termsHash));
    amendment = { termsHash, termsURI: args.termsUri, expiry, bond };
  }

  // What the decision contract pulls, per token (a token used twice is approved once, for the sum).
  const stake = (pledge.bond * BigInt(params.stakeBps) + BPS - 1n) / BPS;
  const pulls = new Map<Address, { token: TokenInfo; amount: bigint }>();
  const pull = (token: TokenInfo, amount: bigint) => {
    if (amount === 0n) return;
    const prev = pulls.get(token.address);
    pulls.set(token.address, { token, amount: (prev?.amount ?? 0n) + amount });
  };
  pull(bondToken, stake);
  if (metricToken !== null) pull(metricToken, metricAmount);
  pull(quote, quoteAmount);
  const approvals: (Hex | null)[] = [];
  for (const { token, amount } of pulls.values()) {
    approvals.push(await ensureAllowance(conn, token, wallet, { address: decisions.address, name: "decisions contract" }, amount, args.approve));
  }

  const call = [
    args.id,
    kind === "release" ? 0 : 1,
    metric === "price" ? 0 : 1,
    metricToken?.address ?? zeroAddress,
    quote.address,
    metricAmount,
    quoteAmount,
    amendment,
  ] as const;
  let proposalId: bigint;
  try {
    ({ result: proposalId } = await decisions.simulate.propose(call, { account: wallet.account.address }));
  } catch (error) {
    throw explainRevert("propose", error);
  }
  const tx = await send(conn, "propose", () => decisions.write.propose(call, { account: wallet.account }));
  const ctx = await proposalContext(conn, args, proposalId);
  const spot = await c.pools.read.spotPrice([ctx.p.passPool]);
  const shares = await c.pools.read.sharesOf([ctx.p.passPool, from]);
  return {
    action: "proposed",
    proposalId: proposalId.toString(),
    pledgeId: args.id.toString(),
    kind: ctx.kind,
    metric: ctx.metric,
    proposer: from,
    decision: ctx.p.decision,
    passPool: ctx.p.passPool,
    failPool: ctx.p.failPool,
    tradingEnds: iso(ctx.p.end),
    twapCountsFrom: iso(ctx.twapFrom),
    stake: bondToken.fmt(stake),
    seedPerBranch: metricToken !== null ? `${metricToken.fmt(metricAmount)} + ${quote.fmt(quoteAmount)}` : quote.fmt(quoteAmount),
    referencePrice: fmtSpot(ctx, ctx.branches[0], spot),
    lpSharesPerPool: fmtAmount(shares, 18, 6),
    ...(kind === "amend"
      ? { newExpiry: iso(amendment.expiry), newBond: bondToken.fmt(amendment.bond), newTermsHash: amendment.termsHash, newTermsURI: amendment.termsURI }
      : {}),
    transactions: [...approvals, tx].filter((h) => h !== null).join(" "),
  };
}

// ---------------------------------------------------------------------------------------------
// decision status

export interface DecisionStatusArgs extends DeploymentOverrides {
  id: bigint;
}

/** `decision status`: where a proposal stands: state, end, both pools' spot prices and TWAPs, the decision so far. */
export async function decisionStatus(conn: NetworkConnection, args: DecisionStatusArgs) {
  const ctx = await proposalContext(conn, args, args.id);
  const { p, pools } = ctx;
  const now = await latestTimestamp(conn);
  const counting = now > ctx.twapFrom;
  const rows = [];
  for (const b of ctx.branches) {
    let twap = `not yet (counts from ${iso(ctx.twapFrom)})`;
    if (counting) twap = fmtSpot(ctx, b, await pools.read.twap([b.poolId]));
    rows.push({
      branch: b.name,
      spot: fmtSpot(ctx, b, await pools.read.spotPrice([b.poolId])),
      twap,
      reserves: `${b.metric.fmt(b.pool.reserveMetric)} / ${b.quote.fmt(b.pool.reserveQuote)}`,
      pool: `${POOL_STATES[await pools.read.poolState([b.poolId])]} ${b.poolId}`,
    });
  }
  let standing: string;
  if (!counting) standing = `not yet: the TWAPs count from ${fmtWhen(ctx.twapFrom, now)}`;
  else {
    const [passValue, failValue, passing] = await ctx.decisions.read.standing([args.id]);
    standing = describeStanding(ctx, passValue, failValue, passing);
  }
  const threshold = `${pct((BigInt(ctx.params.thresholdBps) * WAD) / BPS)} (${ctx.metric === "Price" ? "PASS must beat FAIL by more" : "tolerance on P(breach)"})`;
  const pledge = await ctx.registry.read.getPledge([p.pledgeId]);
  return {
    proposalId: args.id.toString(),
    pledgeId: p.pledgeId.toString(),
    pledgeState: stateName(await ctx.registry.read.state([p.pledgeId])),
    state: ctx.state,
    kind: ctx.kind,
    metric: ctx.metric,
    proposer: p.proposer,
    tokens: ctx.metricToken !== null ? `${ctx.metricToken.symbol} ${ctx.metricToken.address} in ${ctx.quote.symbol} ${ctx.quote.address}` : `BREACH/HONOR of pledge #${p.pledgeId} in ${ctx.quote.symbol} ${ctx.quote.address}`,
    tradingEnds: fmtWhen(p.end, now),
    twapCountsFrom: iso(ctx.twapFrom),
    threshold,
    decision: ctx.state === "Passed" || ctx.state === "Failed" ? `${ctx.state.toUpperCase()} (final); ${standing.replace(/^(passing|failing): /, "")}` : standing,
    stake: `${ctx.stakeToken.fmt(p.stake)}${ctx.state === "Passed" ? " (refunded to the proposer)" : ctx.state === "Failed" ? " (forfeited to the beneficiary)" : ""}`,
    executed: ctx.state === "Passed" ? (p.executed ? "yes" : `no: retry with npx hardhat decision execute ${args.id}`) : "n/a",
    ...(ctx.kind === "Amend"
      ? {
          amendment: `expiry ${iso(p.expiry)}, bond ${ctx.stakeToken.fmt(p.bond)} (now ${ctx.stakeToken.fmt(pledge.bond)}), termsHash ${p.termsHash}`,
        }
      : {}),
    pools: rows,
  };
}

// ---------------------------------------------------------------------------------------------
// decision trade

export interface DecisionTradeArgs extends CommonArgs {
  id: bigint;
  branch: string;
  side: string;
  amount: string;
  minOut: string;
  slippageBps: number;
  split: boolean;
  approve: boolean;
}

/**
 * `decision trade`: buys or sells `--amount` of a branch's metric in its pool, against the branch's quote. With
 * `--split` the collateral the trade lacks is split first (the vault pulls it: approved with --approve); the pools'
 * operator approval in the vault is given with --approve.
 */
export async function tradeDecision(conn: NetworkConnection, args: DecisionTradeArgs) {
  const ctx = await proposalContext(conn, args, args.id);
  const branchIndex = parseBranch(args.branch);
  const sideName = parseChoice(args.side, ["buy", "sell"] as const, "--side");
  if (ctx.state !== "Trading") throw new UserInputError(`proposal #${args.id} is ${ctx.state}: trading ended at ${iso(ctx.p.end)}`);
  const b = ctx.branches[Number(branchIndex)];
  const poolState = POOL_STATES[await ctx.pools.read.poolState([b.poolId])];
  if (poolState !== "Open") throw new UserInputError(`the ${b.name} pool of proposal #${args.id} is ${poolState}`);
  if (args.amount === "") throw new UserInputError(`--amount is required (the ${b.metric.label} to ${sideName})`);
  const amount = parseAmount(args.amount, b.metric.decimals, "--amount");
  if (amount === 0n) throw new UserInputError("--amount must be above 0");
  if (!Number.isInteger(args.slippageBps) || args.slippageBps < 0 || args.slippageBps > 10_000) {
    throw new UserInputError(`--slippage-bps ${args.slippageBps} must be an integer from 0 to 10000`);
  }
  const wallet = await walletFor(conn, args.from);
  const trader = getAddress(wallet.account.address);

  // Sizes: a buy pays what exactly `amount` of metric costs; a sell pays `amount` of metric in.
  const metricIn = sideName === "sell";
  const input = metricIn ? b.metric : b.quote;
  const output = metricIn ? b.quote : b.metric;
  let amountIn: bigint;
  try {
    amountIn = metricIn ? amount : await ctx.pools.read.quoteSwapExactOut([b.poolId, false, amount]);
  } catch {
    throw new UserInputError(`the ${b.name} pool holds ${b.metric.fmt(b.pool.reserveMetric)}: it cannot sell ${b.metric.fmt(amount)}`);
  }
  const quoted = await ctx.pools.read.quoteSwap([b.poolId, metricIn, amountIn]);
  const minOut = args.minOut === "" ? (quoted * (BPS - BigInt(args.slippageBps))) / BPS : parseAmount(args.minOut, output.decimals, "--min-out");
  if (quoted < minOut) throw new UserInputError(`${sideName === "buy" ? "buying" : "selling"} pays ${output.fmt(quoted)} now, below --min-out ${output.fmt(minOut)}`);

  // The input position: held, or split from collateral.
  const transactions: (Hex | null)[] = [];
  const held = await ctx.vault.read.balanceOf([trader, input.position]);
  let split = "none";
  if (held < amountIn) {
    const shortfall = amountIn - held;
    const collateral = ctx.metricToken !== null && metricIn ? ctx.metricToken : ctx.quote;
    if (!args.split) {
      throw new UserInputError(
        `${trader} holds ${input.fmt(held)}; this ${sideName} needs ${input.fmt(amountIn)}: rerun with --split to split ` +
          `${collateral.fmt(shortfall)} into PASS and FAIL positions first (or split it in the vault ${ctx.vault.address} yourself)`,
      );
    }
    transactions.push(await ensureAllowance(conn, collateral, wallet, { address: ctx.vault.address, name: "vault" }, shortfall, args.approve));
    transactions.push(
      await send(conn, "split", () => ctx.vault.write.split([collateral.address, 0n, ctx.p.decision, shortfall], { account: wallet.account })),
    );
    if (ctx.breachCondition !== null) {
      // Risk: the branch's position split again on the breach condition gives BREACH|branch and HONOR|branch.
      const condition = ctx.breachCondition;
      transactions.push(await send(conn, "split", () => ctx.vault.write.split([ctx.quote.address, b.parent, condition, shortfall], { account: wallet.account })));
    }
    split = `${collateral.fmt(shortfall)} into PASS and FAIL${ctx.breachCondition !== null ? " (then BREACH and HONOR)" : ""}`;
  }
  if (!(await ctx.vault.read.isApprovedForAll([trader, ctx.pools.address]))) {
    if (!args.approve) {
      throw new UserInputError(
        `the pools contract ${ctx.pools.address} may not move ${trader}'s positions: rerun with --approve ` +
          `(it calls setApprovalForAll(pools, true) on the vault ${ctx.vault.address}), or call that yourself`,
      );
    }
    transactions.push(await send(conn, "setApprovalForAll", () => ctx.vault.write.setApprovalForAll([ctx.pools.address, true], { account: wallet.account })));
  }

  const spotBefore = await ctx.pools.read.spotPrice([b.poolId]);
  const outBefore = await ctx.vault.read.balanceOf([trader, output.position]);
  transactions.push(await send(conn, "swap", () => ctx.pools.write.swap([b.poolId, metricIn, amountIn, minOut, trader], { account: wallet.account })));
  const [metricHeld, quoteHeld] = await ctx.vault.read.balanceOfBatch([[trader, trader], [b.metric.position, b.quote.position]]);
  const received = (metricIn ? quoteHeld : metricHeld) - outBefore;
  const spot = await ctx.pools.read.spotPrice([b.poolId]);
  return {
    action: sideName === "buy" ? "bought" : "sold",
    proposalId: args.id.toString(),
    branch: b.name,
    trader,
    split,
    paid: input.fmt(amountIn),
    received: output.fmt(received),
    minOut: output.fmt(minOut),
    spotBefore: fmtSpot(ctx, b, spotBefore),
    spot: fmtSpot(ctx, b, spot),
    holding: `${b.metric.fmt(metricHeld)}, ${b.quote.fmt(quoteHeld)}`,
    transactions: transactions.filter((h) => h !== null).join(" "),
  };
}

// ---------------------------------------------------------------------------------------------
// decision finalize, execute

export interface DecisionIdArgs extends CommonArgs {
  id: bigint;
}

/** What the registry did for a passed proposal, read back from the pledge. */
async function executionSummary(ctx: ProposalContext): Promise<string> {
  const pledge = await ctx.registry.read.getPledge([ctx.p.pledgeId]);
  const state = stateName(await ctx.registry.read.state([ctx.p.pledgeId]));
  if (ctx.kind === "Release") {
    return `pledge #${ctx.p.pledgeId} released: its term ended at ${iso(pledge.expiry)}; finalizable as Honored from ${iso(pledge.expiry + BigInt(pledge.grace))} (now ${state})`;
  }
  return `pledge #${ctx.p.pledgeId} amended: expiry ${iso(pledge.expiry)}, bond ${ctx.stakeToken.fmt(pledge.bond)} (now ${state})`;
}

/**
 * `decision finalize`: decides a proposal whose window has ended (permissionless). Before the end the contract's
 * refusal is shown decoded (`UnexpectedProposalState(..., current=Trading, allowed=Decidable)`).
 */
export async function finalizeDecision(conn: NetworkConnection, args: DecisionIdArgs) {
  const ctx = await proposalContext(conn, args, args.id);
  const wallet = await walletFor(conn, args.from);
  const tx = await send(conn, "finalize", () => ctx.decisions.write.finalize([args.id], { account: wallet.account }));
  const receipt = await (await conn.viem.getPublicClient()).getTransactionReceipt({ hash: tx });
  const logs = parseEventLogs({ abi: ctx.decisions.abi, logs: receipt.logs });
  const finalized = logs.find((l) => l.eventName === "ProposalFinalized");
  const failed = logs.find((l) => l.eventName === "ExecutionFailed");
  if (finalized === undefined || finalized.eventName !== "ProposalFinalized") throw new Error(`finalize ${tx} emitted no ProposalFinalized`);
  const { passed, passValue, failValue } = finalized.args;
  const after = await proposalContext(conn, args, args.id);
  const pledge = await ctx.registry.read.getPledge([ctx.p.pledgeId]);
  let executed = "n/a (FAIL: the pledge stays as it is)";
  if (passed) {
    if (failed !== undefined && failed.eventName === "ExecutionFailed") {
      const reason = failed.args.reason;
      const why = reason.length >= 10 ? (decodeRevert(reason) ?? reason) : "no reason";
      executed = `no: the registry refused (${why}); retry with npx hardhat decision execute ${args.id}`;
    } else executed = `yes: ${await executionSummary(after)}`;
  }
  const fmtValue = (v: bigint) => (ctx.metric === "Price" ? fmtSpot(ctx, ctx.branches[0], v) : `P(breach) ${pct(v)}`);
  return {
    action: "finalized",
    proposalId: args.id.toString(),
    pledgeId: ctx.p.pledgeId.toString(),
    decision: passed ? "PASS" : "FAIL",
    passValue: fmtValue(passValue),
    failValue: fmtValue(failValue),
    rule: describeStanding(ctx, passValue, failValue, passed),
    stake: `${ctx.stakeToken.fmt(ctx.p.stake)} ${passed ? `credited back to the proposer ${ctx.p.proposer}` : `forfeited to ${pledge.beneficiary === zeroAddress ? "0x…dEaD (burned)" : `the beneficiary ${pledge.beneficiary}`}`} (claim from the decisions contract)`,
    executed,
    transactions: tx,
  };
}

/** `decision execute`: retries the registry execution of a passed proposal the registry refused at finalization. */
export async function executeDecision(conn: NetworkConnection, args: DecisionIdArgs) {
  const ctx = await proposalContext(conn, args, args.id);
  if (ctx.state === "Trading" || ctx.state === "Decidable") {
    throw new UserInputError(`proposal #${args.id} is ${ctx.state}: finalize it first (from ${iso(ctx.p.end)}); a PASS executes at finalization`);
  }
  if (ctx.state === "Failed") throw new UserInputError(`proposal #${args.id} Failed: there is nothing to execute`);
  if (ctx.p.executed) throw new UserInputError(`proposal #${args.id} was executed already: ${await executionSummary(ctx)}`);
  const wallet = await walletFor(conn, args.from);
  const tx = await send(conn, "execute", () => ctx.decisions.write.execute([args.id], { account: wallet.account }));
  return {
    action: "executed",
    proposalId: args.id.toString(),
    pledgeId: ctx.p.pledgeId.toString(),
    kind: ctx.kind,
    result: await executionSummary(ctx),
    transactions: tx,
  };
}

// ---------------------------------------------------------------------------------------------
// decision redeem

/** `decision poke`: records an observation in both pools (at most one per block each) without trading. */
export async function pokeDecision(conn: NetworkConnection, args: DecisionIdArgs) {
  const ctx = await proposalContext(conn, args, args.id);
  if (ctx.state !== "Trading") {
    throw new UserInputError(`proposal #${args.id} is ${ctx.state}: its pools take observations only while it trades (until ${iso(ctx.p.end)})`);
  }
  const wallet = await walletFor(conn, args.from);
  const observations = [];
  for (const b of ctx.branches) {
    await send(conn, `poke ${b.name}`, () => ctx.pools.write.poke([b.poolId], { account: wallet.account }));
    const [observation, lastBlock] = await ctx.pools.read.observation([b.poolId]);
    observations.push({ branch: b.name, observation: fmtSpot(ctx, b, observation), block: lastBlock.toString() });
  }
  return { action: "poked", proposalId: args.id.toString(), observations };
}

/** `decision claim`: withdraws the caller's claimable balance of the proposal's stake token (a refunded or forfeited stake). */
export async function claimDecisionStake(conn: NetworkConnection, args: DecisionIdArgs) {
  const ctx = await proposalContext(conn, args, args.id);
  const wallet = await walletFor(conn, args.from);
  const token = getAddress(ctx.p.stakeToken);
  const amount = await ctx.decisions.read.claimable([wallet.account.address, token]);
  if (amount === 0n) {
    throw new UserInputError(`${wallet.account.address} has nothing to claim in ${ctx.stakeToken.symbol} from the decisions contract`);
  }
  const tx = await send(conn, "claim", () => ctx.decisions.write.claim([token, wallet.account.address], { account: wallet.account }));
  return {
    action: "claimed",
    account: wallet.account.address,
    amount: `${fmtAmount(amount, ctx.stakeToken.decimals, 6)} ${ctx.stakeToken.symbol}`,
    transactions: tx,
  };
}

export interface DecisionRedeemArgs extends CommonArgs {
  id: bigint;
  removeLiquidity: boolean;
}

/**
 * `decision redeem`: after the decision, pays the caller's positions of it out in the metric and quote tokens (the
 * branch taken 1:1, the other nothing). With `--remove-liquidity` it first takes the caller's pool shares out of
 * both (closed) pools. Risk positions (BREACH|branch, HONOR|branch) are merged back into the branch first while
 * the breach market trades, or redeemed on it once it is resolved.
 */
export async function redeemDecision(conn: NetworkConnection, args: DecisionRedeemArgs) {
  const ctx = await proposalContext(conn, args, args.id);
  if (ctx.state !== "Passed" && ctx.state !== "Failed") {
    throw new UserInputError(`proposal #${args.id} is ${ctx.state}: its positions redeem once it is finalized (from ${iso(ctx.p.end)}): npx hardhat decision finalize ${args.id}`);
  }
  const wallet = await walletFor(conn, args.from);
  const holder = getAddress(wallet.account.address);
  const transactions: Hex[] = [];
  const removed: string[] = [];
  const lpLeft: string[] = [];
  for (const b of ctx.branches) {
    const shares = await ctx.pools.read.sharesOf([b.poolId, holder]);
    if (shares === 0n) continue;
    if (!args.removeLiquidity) {
      lpLeft.push(`${fmtAmount(shares, 18, 6)} ${b.name}`);
      continue;
    }
    const pool = await ctx.pools.read.getPool([b.poolId]);
    transactions.push(await send(conn, "removeLiquidity", () => ctx.pools.write.removeLiquidity([b.poolId, shares, 0n, 0n, holder], { account: wallet.account })));
    const metricOut = (shares * pool.reserveMetric) / pool.supply;
    const quoteOut = (shares * pool.reserveQuote) / pool.supply;
    removed.push(`${b.name}: ${b.metric.fmt(metricOut)} + ${b.quote.fmt(quoteOut)}`);
  }

  const positions: { position: string; amount: string }[] = [];
  const tokens = ctx.metricToken !== null ? [ctx.metricToken, ctx.quote] : [ctx.quote];
  const before = await Promise.all(tokens.map((t) => t.balanceOf(holder)));
  if (ctx.breachCondition !== null) {
    const condition = ctx.breachCondition;
    const resolved = (await ctx.vault.read.conditionState([condition])) === 2;
    // The branch not taken pays nothing, nested or not: only the taken branch's BREACH and HONOR are worth merging.
    const taken = ctx.branches[ctx.state === "Passed" ? 0 : 1];
    for (const b of [taken]) {
      const [breach, honor] = await ctx.vault.read.balanceOfBatch([[holder, holder], [b.metric.position, b.quote.position]]);
      if (breach > 0n) positions.push({ position: b.metric.label, amount: fmtAmount(breach, b.metric.decimals, 6) });
      if (honor > 0n) positions.push({ position: b.quote.label, amount: fmtAmount(honor, b.quote.decimals, 6) });
      if (resolved && breach + honor > 0n) {
        transactions.push(await send(conn, "redeem", () => ctx.vault.write.redeem([ctx.quote.address, b.parent, condition], { account: wallet.account })));
      } else {
        const sets = breach < honor ? breach : honor;
        if (sets > 0n) {
          transactions.push(await send(conn, "merge", () => ctx.vault.write.merge([ctx.quote.address, b.parent, condition, sets], { account: wallet.account })));
        }
      }
    }
  }
  for (const token of tokens) {
    const ids = await Promise.all(ctx.branches.map((b) => ctx.vault.read.positionId([token.address, 0n, ctx.p.decision, b.index])));
    const balances = await ctx.vault.read.balanceOfBatch([[holder, holder], ids]);
    for (const [i, v] of balances.entries()) if (v > 0n) positions.push({ position: `${BRANCHES[i]}-${token.symbol}`, amount: fmtAmount(v, token.decimals, 6) });
    if (balances[0] + balances[1] === 0n) continue;
    transactions.push(await send(conn, "redeem", () => ctx.vault.write.redeem([token.address, 0n, ctx.p.decision], { account: wallet.account })));
  }
  if (transactions.length === 0) {
    throw new UserInputError(
      `${holder} holds no positions of proposal #${args.id}` +
        (lpLeft.length > 0 ? `; it has pool shares (${lpLeft.join(", ")}): rerun with --remove-liquidity` : ""),
    );
  }
  const after = await Promise.all(tokens.map((t) => t.balanceOf(holder)));
  const left: string[] = [];
  if (ctx.breachCondition !== null) {
    for (const b of [ctx.branches[ctx.state === "Passed" ? 0 : 1]]) {
      const [breach, honor] = await ctx.vault.read.balanceOfBatch([[holder, holder], [b.metric.position, b.quote.position]]);
      if (breach > 0n) left.push(b.metric.fmt(breach));
      if (honor > 0n) left.push(b.quote.fmt(honor));
    }
  }
  return {
    action: "redeemed",
    proposalId: args.id.toString(),
    decision: ctx.state === "Passed" ? "PASS" : "FAIL",
    holder,
    removedLiquidity: removed.length > 0 ? removed.join("; ") : "none",
    received: tokens.map((t, i) => t.fmt(after[i] - before[i])).join(", "),
    ...(lpLeft.length > 0 ? { poolShares: `${lpLeft.join(", ")} left in the pools (rerun with --remove-liquidity)` } : {}),
    ...(left.length > 0 ? { unmerged: `${left.join(", ")}: redeem once pledge #${ctx.p.pledgeId}'s breach market resolves` } : {}),
    positions,
    transactions: transactions.join(" "),
  };
}
