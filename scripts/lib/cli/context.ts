/**
 * What every command of the command-line interface (tasks/) shares: finding the deployment, the
 * acting account, parsing amounts, times and durations in human units, checking balances and
 * allowances (approving exactly what is needed on request) and turning reverts into readable errors.
 * The tasks are thin: they parse arguments, call a command in scripts/lib/cli/ and print its result.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import type { NetworkConnection } from "hardhat/types/network";
import {
  type Abi,
  type Hex,
  BaseError,
  decodeErrorResult,
  erc20Abi,
  getAddress,
  isAddress,
  isHex,
  parseAbi,
  parseUnits,
} from "viem";

import { fmtAmount, UserInputError } from "../format.js";
import { stateName } from "../states.js";

export type Address = `0x${string}`;

/** Where the deployment is: each field overrides what Ignition recorded for the chain ("" = recorded). */
export interface DeploymentOverrides {
  registry?: string;
  markets?: string;
  decisions?: string;
  pools?: string;
  pacts?: string;
  lens?: string;
}

/** The options every command takes: the deployment overrides and the acting account. */
export interface CommonArgs extends DeploymentOverrides {
  /** The acting account: one of the configured accounts, by address or by index ("" = the first). */
  from?: string;
}

/**
 * Missing allowance: the message says what is missing; the task adds the command line to rerun
 * with `--approve`.
 */
export class AllowanceError extends UserInputError {}

/** A contract call reverted: the message names the custom error and its arguments. */
export class RevertError extends UserInputError {}

/** The addresses Ignition recorded for this chain (ignition/deployments/chain-<id>/deployed_addresses.json), or {}. */
export async function recordedAddresses(conn: NetworkConnection): Promise<{ file: string; addresses: Record<string, string> }> {
  const chainId = await (await conn.viem.getPublicClient()).getChainId();
  const file = path.join("ignition", "deployments", `chain-${chainId}`, "deployed_addresses.json");
  try {
    return { file, addresses: JSON.parse(await readFile(file, "utf8")) };
  } catch {
    return { file, addresses: {} };
  }
}

/** Checks an address argument and returns it checksummed. */
export function parseAddress(value: string, label: string): Address {
  if (!isAddress(value, { strict: false })) throw new UserInputError(`${label}: "${value}" is not an address`);
  return getAddress(value);
}

/** An address given as `given`, or else recorded by Ignition under `key` (PledgeSystem#...). */
export async function resolveRecorded(conn: NetworkConnection, given: string | undefined, key: string, option: string): Promise<Address> {
  if (given !== undefined && given !== "") return parseAddress(given, option);
  const { file, addresses } = await recordedAddresses(conn);
  const address = addresses[key];
  if (address === undefined) {
    throw new UserInputError(`no ${option} given and no ${key} recorded by Ignition in ${file}: deploy first or pass ${option}`);
  }
  return getAddress(address);
}

/** The registry: `--registry`, or the PledgeSystem deployment Ignition recorded for the chain. */
export async function registryAt(conn: NetworkConnection, args: DeploymentOverrides) {
  const address = await resolveRecorded(conn, args.registry, "PledgeSystem#PledgeRegistry", "--registry");
  return conn.viem.getContractAt("PledgeRegistry", address);
}

/** The breach-market adapter (`--markets` or recorded), with the maker and the vault it uses. */
export async function marketsAt(conn: NetworkConnection, args: DeploymentOverrides) {
  const address = await resolveRecorded(conn, args.markets, "PledgeSystem#BreachMarkets", "--markets");
  const breachMarkets = await conn.viem.getContractAt("BreachMarkets", address);
  const maker = await conn.viem.getContractAt("LmsrMarketMaker", await breachMarkets.read.maker());
  const vault = await conn.viem.getContractAt("OutcomeVault", await breachMarkets.read.vault());
  return { breachMarkets, maker, vault };
}

/** The breach-market adapter if one is given or recorded, else null (for read-only extras). */
export async function marketsIfKnown(conn: NetworkConnection, args: DeploymentOverrides) {
  if (args.markets === undefined || args.markets === "") {
    const { addresses } = await recordedAddresses(conn);
    if (addresses["PledgeSystem#BreachMarkets"] === undefined) return null;
  }
  return marketsAt(conn, args);
}

/**
 * The futarchy contracts: the decision contract (`--decisions`, or the Futarchy deployment Ignition
 * recorded for the chain) with the pools, vault, registry and breach markets it is bound to. `--pools`
 * and `--registry`, when given, must be the ones it is bound to.
 */
export async function decisionsAt(conn: NetworkConnection, args: DeploymentOverrides) {
  const address = await resolveRecorded(conn, args.decisions, "Futarchy#FutarchyDecisions", "--decisions");
  const decisions = await conn.viem.getContractAt("FutarchyDecisions", address);
  let bound: [Address, Address, Address, Address];
  try {
    bound = await Promise.all([decisions.read.pools(), decisions.read.vault(), decisions.read.registry(), decisions.read.breachMarkets()]);
  } catch {
    throw new UserInputError(`--decisions ${address} is not a FutarchyDecisions contract`);
  }
  const [poolsAddress, vaultAddress, registryAddress, breachMarketsAddress] = bound.map((a) => getAddress(a));
  for (const [given, actual, option] of [
    [args.pools, poolsAddress, "--pools"],
    [args.registry, registryAddress, "--registry"],
  ] as const) {
    if (given !== undefined && given !== "" && parseAddress(given, option) !== actual) {
      throw new UserInputError(`${option} ${getAddress(given)} is not the one the decisions contract ${address} is bound to (${actual})`);
    }
  }
  const pools = await conn.viem.getContractAt("ConditionalPools", poolsAddress);
  const vault = await conn.viem.getContractAt("OutcomeVault", vaultAddress);
  const registry = await conn.viem.getContractAt("PledgeRegistry", registryAddress);
  const breachMarkets = await conn.viem.getContractAt("BreachMarkets", breachMarketsAddress);
  return { decisions, pools, vault, registry, breachMarkets };
}

/** The decision contract if one is given or recorded, else null (for read-only extras). */
export async function decisionsIfKnown(conn: NetworkConnection, args: DeploymentOverrides) {
  if (args.decisions === undefined || args.decisions === "") {
    const { addresses } = await recordedAddresses(conn);
    if (addresses["Futarchy#FutarchyDecisions"] === undefined) return null;
  }
  return (await decisionsAt(conn, { decisions: args.decisions })).decisions;
}

/** The DefectionLens (`--lens`, or the Pacts deployment's, recorded by Ignition) if one is known, else null. */
export async function lensIfKnown(conn: NetworkConnection, args: DeploymentOverrides) {
  if (args.lens === undefined || args.lens === "") {
    const { addresses } = await recordedAddresses(conn);
    if (addresses["Pacts#DefectionLens"] === undefined) return null;
  }
  return conn.viem.getContractAt("DefectionLens", await resolveRecorded(conn, args.lens, "Pacts#DefectionLens", "--lens"));
}

/**
 * The acting account's wallet: `--from` is an address of one of the configured accounts or its index
 * (0 = the first, the default).
 */
export async function walletFor(conn: NetworkConnection, from: string | undefined) {
  const wallets = await conn.viem.getWalletClients();
  if (wallets.length === 0) throw new UserInputError("this network has no configured accounts to send from");
  if (from === undefined || from === "") return wallets[0];
  if (/^\d+$/.test(from)) {
    const wallet = wallets[Number(from)];
    if (wallet === undefined) throw new UserInputError(`--from ${from}: there are only ${wallets.length} accounts (0 to ${wallets.length - 1})`);
    return wallet;
  }
  const address = parseAddress(from, "--from");
  const wallet = wallets.find((w) => getAddress(w.account.address) === address);
  if (wallet === undefined) {
    throw new UserInputError(`--from ${address} is not one of this network's configured accounts (${wallets.length} configured)`);
  }
  return wallet;
}

export type Wallet = Awaited<ReturnType<typeof walletFor>>;

/** An ERC-20's symbol and decimals, with formatting and parsing in its human units. */
export async function tokenInfo(conn: NetworkConnection, address: Address) {
  const client = await conn.viem.getPublicClient();
  let symbol: string;
  let decimals: number;
  try {
    [symbol, decimals] = await Promise.all([
      client.readContract({ address, abi: erc20Abi, functionName: "symbol" }),
      client.readContract({ address, abi: erc20Abi, functionName: "decimals" }),
    ]);
  } catch {
    throw new UserInputError(`${address} is not an ERC-20 token (no symbol() and decimals())`);
  }
  return {
    address,
    symbol,
    decimals,
    /** e.g. "1,000.5 mUSD" */
    fmt: (value: bigint) => `${fmtAmount(value, decimals, 6)} ${symbol}`,
    parse: (value: string, label: string) => parseAmount(value, decimals, label),
    balanceOf: (owner: Address) => client.readContract({ address, abi: erc20Abi, functionName: "balanceOf", args: [owner] }),
  };
}

export type TokenInfo = Awaited<ReturnType<typeof tokenInfo>>;

/** Parses "1000", "1,000.5" or "1_000" into base units of a token with `decimals` decimals. */
export function parseAmount(value: string, decimals: number, label: string): bigint {
  const clean = value.trim().replace(/[,_]/g, "");
  if (!/^\d+(\.\d+)?$/.test(clean)) throw new UserInputError(`${label}: "${value}" is not an amount (e.g. 1000 or 12.5)`);
  const fraction = clean.split(".")[1] ?? "";
  if (fraction.length > decimals) {
    throw new UserInputError(`${label}: "${value}" has ${fraction.length} decimals; the token has ${decimals}`);
  }
  return parseUnits(clean, decimals);
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };

/** Parses a duration: "3600" or "3600s", "30m", "12h", "7d", "2w"; returns seconds. */
export function parseDuration(value: string, label: string): number {
  const m = /^(\d+)([smhdw]?)$/.exec(value.trim());
  if (m === null) throw new UserInputError(`${label}: "${value}" is not a duration (e.g. 3600, 30m, 12h, 7d, 2w)`);
  return Number(m[1]) * UNIT_SECONDS[m[2] === "" ? "s" : m[2]];
}

/**
 * Parses a point in time: "+90d" (relative to `now`, the latest block), a unix timestamp in seconds,
 * or an ISO date ("2027-01-31" or "2027-01-31T12:00:00Z").
 */
export function parseTime(value: string, now: bigint, label: string): bigint {
  const v = value.trim();
  if (v.startsWith("+")) return now + BigInt(parseDuration(v.slice(1), label));
  if (/^\d+$/.test(v)) return BigInt(v);
  const ms = Date.parse(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(ms)) {
    throw new UserInputError(`${label}: "${value}" is not a time (e.g. +90d, 2027-01-31, or unix seconds)`);
  }
  return BigInt(Math.floor(ms / 1000));
}

/** A unix timestamp as an ISO date (seconds precision). */
export const iso = (t: bigint | number) => new Date(Number(t) * 1000).toISOString().replace(".000Z", "Z");

/** The latest block's timestamp. */
export async function latestTimestamp(conn: NetworkConnection): Promise<bigint> {
  return (await (await conn.viem.getPublicClient()).getBlock()).timestamp;
}

/** Checks a pledge id against the registry's counter. */
export async function requirePledge(registry: { read: { pledgeCount: () => Promise<bigint> } }, pledgeId: bigint) {
  const count = await registry.read.pledgeCount();
  if (pledgeId < 1n || pledgeId > count) {
    throw new UserInputError(
      count === 0n ? `pledge #${pledgeId} does not exist (the registry has no pledges yet)` : `pledge #${pledgeId} does not exist (the registry has pledges #1 to #${count})`,
    );
  }
}

/** Refuses unless the pledge is in one of `allowed`, saying what the action needs. */
export function requireState(pledgeId: bigint, current: number, allowed: string[], action: string) {
  const name = stateName(current);
  if (!allowed.includes(name)) {
    throw new UserInputError(`pledge #${pledgeId} is ${name}; ${action} needs it ${allowed.join(" or ")}`);
  }
}

/**
 * Checks that `owner` holds `amount` of `token` and has allowed `spender` to pull it. With
 * `approve`, approves exactly `amount` when the allowance is short; without, throws an
 * AllowanceError saying what is missing.
 */
export async function ensureAllowance(
  conn: NetworkConnection,
  token: TokenInfo,
  wallet: Wallet,
  spender: { address: Address; name: string },
  amount: bigint,
  approve: boolean,
): Promise<Hex | null> {
  const client = await conn.viem.getPublicClient();
  const owner = getAddress(wallet.account.address);
  const balance = await client.readContract({ address: token.address, abi: erc20Abi, functionName: "balanceOf", args: [owner] });
  if (balance < amount) {
    throw new UserInputError(`${owner} holds ${token.fmt(balance)}; this needs ${token.fmt(amount)}`);
  }
  const allowance = await client.readContract({
    address: token.address,
    abi: erc20Abi,
    functionName: "allowance",
    args: [owner, spender.address],
  });
  if (allowance >= amount) return null;
  if (!approve) {
    throw new AllowanceError(
      `insufficient allowance: ${owner} allows the ${spender.name} (${spender.address}) to pull ${token.fmt(allowance)}; ` +
        `this needs ${token.fmt(amount)}. Rerun with --approve to approve exactly ${token.fmt(amount)}, ` +
        `or call ${token.symbol}.approve(${spender.address}, ${amount}) yourself`,
    );
  }
  return send(conn, "approve", () =>
    wallet.writeContract({
      address: token.address,
      abi: erc20Abi,
      functionName: "approve",
      args: [spender.address, amount],
      account: wallet.account,
      chain: wallet.chain,
    }),
  );
}

/**
 * Sets `spender`'s allowance back to zero when something is left of it (after a trade that used
 * less than the bound it approved), so no standing allowance stays behind.
 */
export async function revokeLeftover(conn: NetworkConnection, token: TokenInfo, wallet: Wallet, spender: Address): Promise<Hex | null> {
  const client = await conn.viem.getPublicClient();
  const owner = getAddress(wallet.account.address);
  const left = await client.readContract({ address: token.address, abi: erc20Abi, functionName: "allowance", args: [owner, spender] });
  if (left === 0n) return null;
  return send(conn, "approve", () =>
    wallet.writeContract({
      address: token.address,
      abi: erc20Abi,
      functionName: "approve",
      args: [spender, 0n],
      account: wallet.account,
      chain: wallet.chain,
    }),
  );
}

// Errors raised by the tokens the contracts call, which their own ABIs do not list.
const TOKEN_ERRORS = parseAbi([
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
  "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
  "error ERC1155MissingApprovalForAll(address operator, address owner)",
  "error ERC1155InsufficientBalance(address sender, uint256 balance, uint256 needed, uint256 tokenId)",
  "error SafeERC20FailedOperation(address token)",
  "error ReentrancyGuardReentrantCall()",
]);

const knownAbis: Abi[] = [TOKEN_ERRORS];

/** Registers a contract's ABI so that its custom errors are decoded in reverts. */
export function knowErrorsOf(...contracts: { abi: Abi }[]) {
  for (const c of contracts) if (!knownAbis.includes(c.abi)) knownAbis.push(c.abi);
}

/** `IFutarchyDecisions.ProposalState`, `Kind` and `Metric`, and `IConditionalPools.PoolState`, by value. */
export const PROPOSAL_STATES = ["None", "Trading", "Decidable", "Passed", "Failed"] as const;
export const KINDS = ["Release", "Amend"] as const;
export const METRICS = ["Price", "Risk"] as const;
export const POOL_STATES = ["None", "Pending", "Open", "Closed"] as const;

/** Shows a decoded argument: enum-like state values by name where the error names them. */
function showArg(errorName: string, name: string | undefined, value: unknown): string {
  if ((name === "current" || name === "allowed") && errorName === "UnexpectedProposalState") {
    return PROPOSAL_STATES[Number(value)] ?? String(value);
  }
  if ((name === "current" || name === "allowed") && errorName === "UnexpectedPoolState") {
    return POOL_STATES[Number(value)] ?? String(value);
  }
  if (name === "current" && errorName === "PledgeNotActive") return stateName(Number(value));
  if (name === "kind" && (errorName === "MetricUnavailable" || errorName === "ParamsUnsafe")) return KINDS[Number(value)] ?? String(value);
  if (name === "metric" && errorName === "MetricUnavailable") return METRICS[Number(value)] ?? String(value);
  if (name === "current" && (errorName === "UnexpectedState" || errorName === "BreachMarketPledgeState")) {
    return stateName(Number(value));
  }
  if (name === "allowed" && errorName === "UnexpectedState" && typeof value === "bigint") {
    const states = [];
    for (let i = 0; i < 16; i++) if ((value >> BigInt(i)) & 1n) states.push(stateName(i));
    return states.join("|");
  }
  return typeof value === "bigint" ? value.toString() : String(value);
}

/** The revert data somewhere in a viem error's chain, if any. */
function revertData(error: unknown): Hex | undefined {
  if (!(error instanceof BaseError)) return undefined;
  let found: Hex | undefined;
  error.walk((e) => {
    const candidate = (e as { raw?: unknown; data?: unknown }).raw ?? (e as { data?: unknown }).data;
    if (typeof candidate === "string" && isHex(candidate) && candidate.length >= 10) found = candidate;
    else if (typeof candidate === "object" && candidate !== null) {
      const inner = (candidate as { data?: unknown }).data;
      if (typeof inner === "string" && isHex(inner) && inner.length >= 10) found = inner;
    }
    return false;
  });
  return found;
}

/**
 * Revert data as "Name(arg=value, ...)" from the registered ABIs, or null when none has the error (used as is for
 * reasons a contract caught and re-emitted, such as `ExecutionFailed(id, reason)`).
 */
export function decodeRevert(data: Hex): string | null {
  for (const abi of knownAbis) {
    try {
      const decoded = decodeErrorResult({ abi, data });
      const item = abi.find((x) => x.type === "error" && x.name === decoded.errorName);
      const inputs = item !== undefined && item.type === "error" ? item.inputs : [];
      const args = (decoded.args ?? []).map((v, i) => `${inputs[i]?.name ?? i}=${showArg(decoded.errorName, inputs[i]?.name, v)}`);
      return `${decoded.errorName}(${args.join(", ")})`;
    } catch {
      // not this ABI's error
    }
  }
  return null;
}

/** Turns a failed call into a RevertError naming the custom error and its arguments ("Name(arg=value, ...)"). */
export function explainRevert(label: string, error: unknown): Error {
  if (error instanceof UserInputError) return error;
  const data = revertData(error);
  if (data !== undefined) {
    const decoded = decodeRevert(data);
    return new RevertError(decoded === null ? `${label} reverted with undecoded data ${data}` : `${label} reverted: ${decoded}`);
  }
  if (error instanceof BaseError) return new RevertError(`${label} failed: ${error.shortMessage}`);
  return error instanceof Error ? error : new Error(String(error));
}

/** Sends a transaction, waits for it and checks it succeeded; reverts become RevertErrors. */
export async function send(conn: NetworkConnection, label: string, tx: () => Promise<Hex>): Promise<Hex> {
  const client = await conn.viem.getPublicClient();
  let hash: Hex;
  try {
    hash = await tx();
  } catch (error) {
    throw explainRevert(label, error);
  }
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new RevertError(`${label} reverted (transaction ${hash})`);
  return hash;
}
