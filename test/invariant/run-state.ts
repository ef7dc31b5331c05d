/**
 * The system invariant suite's run state (./system.invariant.test.ts): the environment a run is given (clients,
 * wallets, the time helper), the fixture (the whole system deployed once through Ignition, plus the 6-decimal
 * token, the hostile ERC-1155 receiver, the multicall reader, balances and approvals), and `RunState`, the base
 * of one run: the model's state, accounts and names, model helpers, the chain snapshot (`read`), and sending
 * (`mine`, `attempt`: every transaction mined at the model's timestamp, its movements compared with the model).
 * The invariant checks (./invariants.ts) and the actions (./pledge-actions.ts, ./market-actions.ts, ./run.ts)
 * extend it.
 */
import assert from "node:assert/strict";

import type { ContractReturnType, PublicClient, WalletClient } from "@nomicfoundation/hardhat-viem/types";
import type { NetworkConnection } from "hardhat/types/network";
import {
  type Abi,
  type Address,
  type Hex,
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  encodeFunctionData,
  getAddress,
} from "viem";

import { deployLocalSystem } from "../../scripts/lib/deploy.js";
import { PledgeState } from "../../scripts/lib/states.js";
import * as INV from "./spec.js";
import { cite } from "./spec.js";
import {
  type CondM,
  type Kind,
  type Move,
  type NestM,
  type PledgeM,
  type PosMove,
  type Snap,
  type TallyM,
  type Via,
  BURN,
  emptyCounts,
  FEE_BPS,
  MAX_GRACE,
  MAX_LIVENESS,
  MIN_LIQUIDITY,
  MIN_LIVENESS,
  REWARD_BPS,
  TIMEOUT,
} from "./model.js";

/** What a run needs from the test's network connection. */
export interface RunEnv {
  pc: PublicClient;
  time: NetworkConnection["networkHelpers"]["time"];
  /** The deployer (token owner; arms the hostile receiver, donates). */
  deployer: WalletClient;
  /** The actors with keys: the deployer, A, B, C, D, E, F (treasury). */
  keyed: WalletClient[];
  /** The committee members. */
  members: WalletClient[];
  memberAddrs: Address[];
}

/** The logs of a mined transaction. */
export type Logs = Awaited<ReturnType<PublicClient["getTransactionReceipt"]>>["logs"];

// ------------------------------------------------------------------------------------------ fixture

/** The whole system, once, through Ignition; then tokens, approvals and the hostile receiver. */
export async function deploySystem(conn: NetworkConnection, env: RunEnv) {
  const { viem } = conn;
  const [gW, aW, bW, cW, dW, eW, fW] = env.keyed;
  const sys = await deployLocalSystem(conn, {
    committeeMembers: env.memberAddrs,
    committeeThreshold: 2,
    treasury: fW.account.address,
    challengerRewardBps: Number(REWARD_BPS),
    disputeFeeBps: Number(FEE_BPS),
    minLiveness: MIN_LIVENESS,
    maxLiveness: MAX_LIVENESS,
    maxGrace: MAX_GRACE,
    arbitrationTimeout: Number(TIMEOUT),
    minMarketLiquidity: MIN_LIQUIDITY,
  });
  const six = await viem.deployContract("MockERC20", ["Six Dollar", "SIX", 6]);
  const receiver = await viem.deployContract("ReentrantERC1155Receiver", []);
  const multicall = await viem.deployContract("InvMulticall", []);
  const tokens: ContractReturnType<"MockERC20">[] = [
    await viem.getContractAt("MockERC20", sys.bondToken.address),
    await viem.getContractAt("MockERC20", six.address),
  ];
  const spenders = [sys.registry.address, sys.vault.address, sys.maker.address, sys.breachMarkets.address];
  const maxUint = 2n ** 256n - 1n;
  const minted: bigint[] = [];
  for (const [k, token] of tokens.entries()) {
    const unit = 10n ** BigInt(k === 0 ? 18 : 6);
    const initial = 10_000_000n * unit;
    minted.push(initial * 8n);
    for (const w of [gW, aW, bW, cW, dW, eW, fW]) {
      await token.write.mint([w.account.address, initial]);
      for (const s of spenders) await token.write.approve([s, maxUint], { account: w.account });
    }
    await token.write.mint([receiver.address, initial]);
    for (const s of [sys.vault.address, sys.maker.address]) {
      await receiver.write.execute([
        token.address,
        encodeFunctionData({ abi: token.abi, functionName: "approve", args: [s, maxUint] }),
      ]);
    }
  }
  for (const w of [gW, aW, bW, cW, dW, eW, fW]) {
    await sys.vault.write.setApprovalForAll([sys.maker.address, true], { account: w.account });
  }
  await receiver.write.execute([
    sys.vault.address,
    encodeFunctionData({ abi: sys.vault.abi, functionName: "setApprovalForAll", args: [sys.maker.address, true] }),
  ]);
  return { sys, tokens, receiver, multicall, minted };
}

export type Fixture = Awaited<ReturnType<typeof deploySystem>>;

// ------------------------------------------------------------------------------------------ run state

/** A run's model state, accounts, helpers, chain snapshot and sending; every layer of the run extends it. */
export abstract class RunState {
  readonly env: RunEnv;
  readonly sys: Fixture["sys"];
  readonly tokens: Fixture["tokens"];
  readonly receiver: Fixture["receiver"];
  readonly multicall: Fixture["multicall"];
  readonly minted: bigint[];
  readonly abi: Abi;

  /** Actors with keys, then the hostile receiver (index 7). */
  readonly actors: Address[];
  /** Token holders: the actors, the four contracts and the burn address. */
  readonly holders: Address[];
  /** Registry claimants: the actors and the burn address. */
  readonly claimants: Address[];
  /** Position holders: the actors and the maker. */
  readonly posHolders: Address[];

  pledges: PledgeM[] = [];
  conds: CondM[] = [];
  nests: NestM[] = [];
  tallies = new Map<bigint, TallyM>();
  credits = new Map<string, bigint>();
  donations = new Map<string, bigint>();
  /** Per actor and token: gains and losses as the model computes them. */
  ghost = new Map<string, { gains: bigint; losses: bigint }>();
  /** Per actor, contract and token: deposited, granted by the rules, withdrawn (measured). */
  gain = new Map<string, { deposited: bigint; granted: bigint; withdrawn: bigint }>();
  initial: bigint[][] = [];
  /** Timestamp of the latest block, and of the next transaction. */
  last = 0n;
  next = 0n;
  snap!: Snap;
  counts = emptyCounts();
  endCounts = emptyCounts();
  executed = 0;
  refused = 0;
  exclusiveChecks = 0;
  inEnd = false;
  /** Touched pledge of the current action (for the exclusive-pair check). */
  touched: number | null = null;
  /** Set by `prerequisite` when it warps for a pledge: only those pledges' deadlines count (`deadlines`); `step` clears it. */
  warpFilter: ((p: PledgeM) => boolean) | null = null;

  constructor(fx: Fixture, env: RunEnv) {
    this.env = env;
    this.sys = fx.sys;
    this.tokens = fx.tokens;
    this.receiver = fx.receiver;
    this.multicall = fx.multicall;
    this.minted = fx.minted;
    this.abi = [
      ...fx.sys.registry.abi,
      ...fx.sys.committee.abi,
      ...fx.sys.vault.abi,
      ...fx.sys.maker.abi,
      ...fx.sys.breachMarkets.abi,
      ...fx.receiver.abi,
      ...fx.tokens[0].abi,
    ] as Abi;
    const keyed = env.keyed.map((w) => getAddress(w.account.address));
    this.actors = [...keyed, getAddress(fx.receiver.address)];
    this.holders = [
      ...this.actors,
      getAddress(fx.sys.registry.address),
      getAddress(fx.sys.vault.address),
      getAddress(fx.sys.maker.address),
      getAddress(fx.sys.breachMarkets.address),
      BURN,
    ];
    this.claimants = [...this.actors, BURN];
    this.posHolders = [...this.actors, getAddress(fx.sys.maker.address)];
  }

  // -------------------------------------------------------------- accounts and names

  get A(): Address {
    return this.actors[1];
  }
  get donor(): Address {
    return this.actors[0];
  }
  get beneficiaryE(): Address {
    return this.actors[5];
  }
  get R(): Address {
    return this.actors[7];
  }
  get maker(): Address {
    return getAddress(this.sys.maker.address);
  }
  get vault(): Address {
    return getAddress(this.sys.vault.address);
  }
  get registry(): Address {
    return getAddress(this.sys.registry.address);
  }
  get bm(): Address {
    return getAddress(this.sys.breachMarkets.address);
  }
  wallet(addr: Address): WalletClient {
    const w = [...this.env.keyed, ...this.env.members].find((x) => getAddress(x.account.address) === addr);
    assert.ok(w !== undefined, `no wallet for ${addr}`);
    return w;
  }
  /** Actors that sign transactions for pledges and trades (A, B, C, D). */
  player(i: number): Address {
    return this.actors[1 + (i % 4)];
  }

  // -------------------------------------------------------------- init

  async init(): Promise<void> {
    this.last = BigInt(await this.env.time.latest());
    this.next = this.last + 1n;
    this.snap = await this.read();
    this.initial = this.snap.bal.map((row) => row.slice(0, this.actors.length));
    this.checkAll();
  }

  // -------------------------------------------------------------- model helpers

  stateAt(p: PledgeM, t: bigint): number {
    if (p.outcome === 1) return PledgeState.Breached;
    if (p.outcome === 2) return PledgeState.Honored;
    if (p.ch !== null) {
      if (p.ch.disputer === null) return t < p.ch.at + p.liveness ? PledgeState.Challenged : PledgeState.Slashable;
      return t < p.ch.disputedAt + TIMEOUT ? PledgeState.Disputed : PledgeState.RulingOverdue;
    }
    return t < p.expiry + p.grace ? PledgeState.Active : PledgeState.Releasable;
  }
  nextChallengeBond(p: PledgeM): bigint {
    const cap = p.bond > p.base ? p.bond : p.base;
    const b = p.base << BigInt(Math.min(p.rejected, 128));
    return b > cap ? cap : b;
  }
  credit(who: Address, tok: number, amount: bigint): void {
    if (amount === 0n) return;
    const k = `${who}:${tok}`;
    this.credits.set(k, (this.credits.get(k) ?? 0n) + amount);
    if (who !== BURN) this.addGain(who, "registry", tok, "granted", amount);
  }
  creditOf(who: Address, tok: number): bigint {
    return this.credits.get(`${who}:${tok}`) ?? 0n;
  }
  addGain(who: Address, via: Via, tok: number, field: "deposited" | "granted" | "withdrawn", amount: bigint): void {
    const k = `${who}:${via}:${tok}`;
    const g = this.gain.get(k) ?? { deposited: 0n, granted: 0n, withdrawn: 0n };
    g[field] += amount;
    this.gain.set(k, g);
  }
  donated(contract: Address, tok: number): bigint {
    return this.donations.get(`${contract}:${tok}`) ?? 0n;
  }
  isHedger(p: PledgeM, who: Address): boolean {
    return who === p.pledger || p.affiliates.has(who);
  }
  condOf(p: PledgeM): number {
    assert.ok(p.market !== null);
    const i = this.conds.findIndex((c) => c.id === p.market?.conditionId);
    assert.ok(i >= 0);
    return i;
  }
  units(tok: number): bigint {
    return 10n ** BigInt(tok === 0 ? 18 : 6);
  }
  pos(who: Address, cond: number, outcome: number): bigint {
    return this.snap.conds[cond].bals[outcome][this.posHolders.indexOf(who)];
  }
  /** The market of a breach-market condition (an oracle condition has none). */
  marketOf(cond: number): NonNullable<Snap["markets"][number]> {
    const m = this.snap.markets[cond];
    assert.ok(m !== null, `condition ${cond} has no market`);
    return m;
  }
  /** A condition's name in details: its pledge's, or the oracle's question. */
  condName(ci: number): string {
    const c = this.conds[ci];
    return c.pledge === null ? `oracle condition ${ci}` : `pledge ${this.pledges[c.pledge].id}`;
  }

  // -------------------------------------------------------------- chain reads

  async read(): Promise<Snap> {
    const { registry, vault, maker, committee } = this.sys;
    const mc = { multicallAddress: this.multicall.address, allowFailure: false as const, batchSize: 0 };
    const balCalls = this.tokens.flatMap((t) =>
      this.holders.map((h) => ({ address: t.address, abi: t.abi, functionName: "balanceOf" as const, args: [h] as const })),
    );
    const claimCalls = this.tokens.flatMap((t) =>
      this.claimants.map((c) => ({
        address: registry.address,
        abi: registry.abi,
        functionName: "claimable" as const,
        args: [c, t.address] as const,
      })),
    );
    const pledgeCalls = this.pledges.map((p) => ({
      address: registry.address,
      abi: registry.abi,
      functionName: "getPledge" as const,
      args: [p.id] as const,
    }));
    const stateCalls = this.pledges.map((p) => ({
      address: registry.address,
      abi: registry.abi,
      functionName: "state" as const,
      args: [p.id] as const,
    }));
    const openCalls = this.pledges.map((p) => ({
      address: registry.address,
      abi: registry.abi,
      functionName: "openChallenge" as const,
      args: [p.id] as const,
    }));
    const key = this.readKey();
    const chIds = this.challengeIds();
    const challengeCalls = chIds.map((id) => ({
      address: registry.address,
      abi: registry.abi,
      functionName: "getChallenge" as const,
      args: [id] as const,
    }));
    const tallyCalls = [...this.tallies.keys()].map((id) => ({
      address: committee.address,
      abi: committee.abi,
      functionName: "tally" as const,
      args: [id] as const,
    }));
    const condCalls = this.conds.map((c) => ({
      address: vault.address,
      abi: vault.abi,
      functionName: "getCondition" as const,
      args: [c.id] as const,
    }));
    const posIds = await Promise.all(
      this.conds.map((c) => this.positionIds(c)),
    );
    const posCalls = this.conds.map((_, i) => ({
      address: vault.address,
      abi: vault.abi,
      functionName: "balanceOfBatch" as const,
      args: [
        [...this.posHolders, ...this.posHolders],
        [...this.posHolders.map(() => posIds[i][0]), ...this.posHolders.map(() => posIds[i][1])],
      ] as const,
    }));
    const nestCalls = this.nests.map((n) => ({
      address: vault.address,
      abi: vault.abi,
      functionName: "balanceOfBatch" as const,
      args: [
        [...this.posHolders, ...this.posHolders],
        [...this.posHolders.map(() => n.ids[0]), ...this.posHolders.map(() => n.ids[1])],
      ] as const,
    }));
    // Markets exist for breach-market conditions only; an oracle condition has none (null in the snapshot).
    const marketIds = this.conds.filter((c) => c.pledge !== null).map((c) => c.id);
    const marketCalls = marketIds.map((id) => ({
      address: maker.address,
      abi: maker.abi,
      functionName: "getMarket" as const,
      args: [id] as const,
    }));
    const mstateCalls = marketIds.map((id) => ({
      address: maker.address,
      abi: maker.abi,
      functionName: "marketState" as const,
      args: [id] as const,
    }));
    const priceCalls = marketIds.map((id) => ({
      address: maker.address,
      abi: maker.abi,
      functionName: "prices" as const,
      args: [id] as const,
    }));
    const call = async <T>(xs: readonly unknown[], f: () => Promise<T[]>): Promise<T[]> => (xs.length === 0 ? [] : f());
    const [block, bals, claims, gp, st, oc, chs, tl, cd, ps, mk, ms, pr, ns] = await Promise.all([
      this.env.pc.getBlock({ blockTag: "latest" }),
      this.env.pc.multicall({ ...mc, contracts: balCalls }),
      this.env.pc.multicall({ ...mc, contracts: claimCalls }),
      call(pledgeCalls, () => this.env.pc.multicall({ ...mc, contracts: pledgeCalls })),
      call(stateCalls, () => this.env.pc.multicall({ ...mc, contracts: stateCalls })),
      call(openCalls, () => this.env.pc.multicall({ ...mc, contracts: openCalls })),
      call(challengeCalls, () => this.env.pc.multicall({ ...mc, contracts: challengeCalls })),
      call(tallyCalls, () => this.env.pc.multicall({ ...mc, contracts: tallyCalls })),
      call(condCalls, () => this.env.pc.multicall({ ...mc, contracts: condCalls })),
      call(posCalls, () => this.env.pc.multicall({ ...mc, contracts: posCalls })),
      call(marketCalls, () => this.env.pc.multicall({ ...mc, contracts: marketCalls })),
      call(mstateCalls, () => this.env.pc.multicall({ ...mc, contracts: mstateCalls })),
      call(priceCalls, () => this.env.pc.multicall({ ...mc, contracts: priceCalls })),
      call(nestCalls, () => this.env.pc.multicall({ ...mc, contracts: nestCalls })),
    ]);
    const nH = this.holders.length;
    const nC = this.claimants.length;
    const nP = this.posHolders.length;
    const challenges = new Map<bigint, Snap["challenges"] extends Map<bigint, infer V> ? V : never>();
    chIds.forEach((id, i) => challenges.set(id, chs[i]));
    const tallies = new Map<bigint, readonly [boolean, boolean, number, number]>();
    [...this.tallies.keys()].forEach((id, i) => tallies.set(id, tl[i]));
    return {
      key,
      ts: block.timestamp,
      bal: this.tokens.map((_, k) => bals.slice(k * nH, (k + 1) * nH)),
      claim: this.tokens.map((_, k) => claims.slice(k * nC, (k + 1) * nC)),
      pledges: this.pledges.map((_, i) => ({ p: gp[i], state: st[i], open: oc[i] })),
      challenges,
      tallies,
      conds: this.conds.map((c, i) => ({
        cond: cd[i],
        ids: posIds[i],
        bals: [ps[i].slice(0, nP), ps[i].slice(nP, 2 * nP)],
      })),
      markets: this.conds.map((c) => {
        if (c.pledge === null) return null;
        const j = marketIds.indexOf(c.id);
        return { m: mk[j], state: ms[j], prices: pr[j] };
      }),
      nests: this.nests.map((_, i) => [ns[i].slice(0, nP), ns[i].slice(nP, 2 * nP)]),
      reentry: {
        reentered: await this.receiver.read.reentered(),
        succeeded: await this.receiver.read.reentrySucceeded(),
      },
    };
  }

  challengeIds(): bigint[] {
    return [...this.tallies.keys(), ...this.pledges.flatMap((p) => (p.ch === null ? [] : [p.ch.id]))];
  }

  /** What a snapshot read depends on: the ids the model knows. */
  readKey(): string {
    return `${this.pledges.length}/${this.conds.length}/${this.nests.length}/${this.challengeIds().join(",")}`;
  }

  positionCache = new Map<Hex, readonly [bigint, bigint]>();
  async positionIds(c: CondM): Promise<readonly [bigint, bigint]> {
    const hit = this.positionCache.get(c.id);
    if (hit !== undefined) return hit;
    const token = this.tokens[c.tok].address;
    const ids = [
      await this.sys.vault.read.positionId([token, 0n, c.id, 0n]),
      await this.sys.vault.read.positionId([token, 0n, c.id, 1n]),
    ] as const;
    this.positionCache.set(c.id, ids);
    return ids;
  }

  // -------------------------------------------------------------- sending

  /**
   * Mines `tx` at the model's next timestamp with a fixed gas limit. Returns the receipt's logs when it
   * succeeded, or the decoded custom error name when it reverted.
   */
  async mine(tx: () => Promise<Hex>): Promise<{ ok: true; logs: Logs } | { ok: false; error: string }> {
    assert.ok(this.next > this.last, "clock");
    await this.env.time.setNextBlockTimestamp(this.next);
    const before = await this.env.pc.getBlockNumber();
    let result: { ok: true; logs: Logs } | { ok: false; error: string };
    try {
      const hash = await tx();
      const receipt = await this.env.pc.getTransactionReceipt({ hash });
      if (receipt.status !== "success") result = { ok: false, error: "reverted (no reason)" };
      else result = { ok: true, logs: receipt.logs };
    } catch (e) {
      result = { ok: false, error: this.errorName(e) };
    }
    const block = await this.env.pc.getBlock({ blockTag: "latest" });
    assert.equal(block.number, before + 1n, cite(INV.MODEL, "every attempt is mined in a block of its own"));
    assert.equal(block.timestamp, this.next, cite(INV.MODEL, "mined at the modelled second"));
    this.last = this.next;
    this.next = this.last + 1n;
    return result;
  }

  /** The custom error in revert data, unwrapping the receiver's `CallFailed(bytes)`. */
  decodeName(data: Hex): string {
    try {
      const d = decodeErrorResult({ abi: this.abi, data });
      if (d.errorName === "CallFailed" && d.args !== undefined && typeof d.args[0] === "string") {
        return this.decodeName(d.args[0] as Hex);
      }
      return d.errorName;
    } catch {
      return `undecoded ${data}`;
    }
  }

  errorName(e: unknown): string {
    if (e instanceof BaseError) {
      const rev = e.walk((x) => x instanceof ContractFunctionRevertedError);
      if (rev instanceof ContractFunctionRevertedError) {
        if (rev.raw !== undefined) return this.decodeName(rev.raw);
        if (rev.data?.errorName !== undefined) return rev.data.errorName;
      }
      let data: Hex | undefined;
      e.walk((x) => {
        const d = (x as { data?: unknown }).data;
        if (typeof d === "string" && d.startsWith("0x") && d.length >= 10) {
          data = d as Hex;
          return true;
        }
        return false;
      });
      if (data !== undefined) return this.decodeName(data);
      return e.shortMessage;
    }
    return e instanceof Error ? e.message : String(e);
  }

  /**
   * Attempts an action. `expectError` null: it must succeed, move exactly `moves` and `posMoves`, and then
   * `apply` updates the model. Otherwise it must revert with that error and change nothing.
   */
  async attempt(
    kind: Kind,
    expectError: string | null,
    tx: () => Promise<Hex>,
    moves: Move[],
    posMoves: PosMove[],
    apply: (logs: Logs) => void,
    detail: string,
  ): Promise<boolean> {
    const before = this.snap;
    const res = await this.mine(tx);
    const label = `${kind} ${detail} at ${this.last}`;
    if (process.env.INV_DEBUG !== undefined) console.log(`  ${label}: ${res.ok ? "ok" : res.error}`);
    if (expectError === null) {
      assert.ok(res.ok, cite(INV.MODEL, `${label} should succeed, reverted ${res.ok ? "" : res.error}`));
    } else {
      assert.ok(!res.ok, cite(INV.MODEL, `${label} should revert ${expectError}, succeeded`));
      assert.equal(res.error, expectError, cite(INV.MODEL, `${label}: refusal error`));
    }
    const after = await this.read();
    // Token movements: exactly the modelled ones, for every holder and token (none for a refusal).
    const expected = this.tokens.map(() => this.holders.map(() => 0n));
    const okMoves = res.ok ? moves : [];
    for (const m of okMoves) {
      const i = this.holders.indexOf(m.who);
      assert.ok(i >= 0, `unknown holder ${m.who}`);
      expected[m.tok][i] += m.amount;
      // The counterparty side of an actor's move is the contract it moved through.
    }
    for (let k = 0; k < this.tokens.length; k++) {
      for (let i = 0; i < this.holders.length; i++) {
        const delta = after.bal[k][i] - before.bal[k][i];
        assert.equal(
          delta,
          expected[k][i],
          cite(INV.MODEL, `${label}: token ${k} movement of ${this.holderName(this.holders[i])}`),
        );
      }
    }
    // Position movements: exactly the modelled ones.
    const expectedPos = new Map<string, bigint>();
    for (const m of res.ok ? posMoves : []) {
      const k = `${m.nested === true ? "n" : ""}${m.cond}:${m.outcome}:${m.who}`;
      expectedPos.set(k, (expectedPos.get(k) ?? 0n) + m.amount);
    }
    for (let c = 0; c < before.conds.length; c++) {
      for (let o = 0; o < 2; o++) {
        for (let h = 0; h < this.posHolders.length; h++) {
          const d = after.conds[c].bals[o][h] - before.conds[c].bals[o][h];
          const want = expectedPos.get(`${c}:${o}:${this.posHolders[h]}`) ?? 0n;
          assert.equal(d, want, cite(INV.MODEL, `${label}: position ${c}/${o} of ${this.holderName(this.posHolders[h])}`));
        }
      }
    }
    for (let n = 0; n < before.nests.length; n++) {
      for (let o = 0; o < 2; o++) {
        for (let h = 0; h < this.posHolders.length; h++) {
          const d = after.nests[n][o][h] - before.nests[n][o][h];
          const want = expectedPos.get(`n${n}:${o}:${this.posHolders[h]}`) ?? 0n;
          assert.equal(d, want, cite(INV.MODEL, `${label}: nested position ${n}/${o} of ${this.holderName(this.posHolders[h])}`));
        }
      }
    }
    if (!res.ok) {
      // A refusal changes nothing else either: claimables, pledges, challenges, markets, conditions.
      assert.deepEqual(after.claim, before.claim, cite(INV.MODEL, `${label}: claimables changed`));
      assert.deepEqual(
        after.pledges.map((x) => [x.p, x.open]),
        before.pledges.map((x) => [x.p, x.open]),
        cite(INV.MODEL, `${label}: pledges changed`),
      );
      assert.deepEqual(after.tallies, before.tallies, cite(INV.MODEL, `${label}: tallies changed`));
      assert.deepEqual(after.markets.map((x) => x?.m), before.markets.map((x) => x?.m), cite(INV.MODEL, `${label}: markets changed`));
      assert.deepEqual(after.conds.map((x) => x.cond), before.conds.map((x) => x.cond), cite(INV.MODEL, `${label}: conditions changed`));
      this.refused++;
      (this.inEnd ? this.endCounts : this.counts)[kind].refused++;
    } else {
      for (const m of okMoves) {
        if (!this.actors.includes(m.who)) continue;
        const g = this.ghost.get(`${m.who}:${m.tok}`) ?? { gains: 0n, losses: 0n };
        if (m.amount > 0n) g.gains += m.amount;
        else g.losses -= m.amount;
        this.ghost.set(`${m.who}:${m.tok}`, g);
        if (m.amount < 0n) this.addGain(m.who, m.via, m.tok, "deposited", -m.amount);
        else this.addGain(m.who, m.via, m.tok, "withdrawn", m.amount);
      }
      apply(res.logs);
      (this.inEnd ? this.endCounts : this.counts)[kind].ok++;
    }
    this.executed++;
    // The model may now know more ids (a pledge, a challenge, a condition) than the snapshot read.
    this.snap = after.key === this.readKey() ? after : await this.read();
    this.checkAll();
    return res.ok;
  }

  holderName(a: Address): string {
    const names = ["G(donor)", "A", "B", "C", "D", "E(beneficiary)", "F(treasury)", "R(receiver)", "registry", "vault", "maker", "breachMarkets", "burn"];
    const i = this.holders.indexOf(a);
    return i >= 0 ? names[i] : a;
  }

  countSimulated(kind: Kind): void {
    (this.inEnd ? this.endCounts : this.counts)[kind].ok++;
    this.executed++;
  }

  /** Every invariant, on the latest snapshot (./invariants.ts). */
  abstract checkAll(): void;
}
