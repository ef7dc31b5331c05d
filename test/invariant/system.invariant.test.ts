/**
 * System-wide invariant suite (issue 4): a fast-check model-based test over the whole pledge system,
 * deployed once through the production Ignition modules (`deployLocalSystem`) and reverted to the same
 * snapshot (`loadFixture`) before every run.
 *
 * Each run executes a random sequence of actor actions across the registry, the committee, the vault,
 * the market maker and BreachMarkets, in two bond tokens (the 18-decimal mUSD of the MockTokens module and
 * a 6-decimal MockERC20), plus simulator actions (time warps, jumps to a deadline second and one either
 * side, donations, a malicious ERC-1155 receiver). Every transaction is mined at a timestamp the model
 * chose, with a fixed gas limit (no estimation), so a refused action is really mined and reverts. After
 * every action one multicall snapshot of the chain is compared with the model: the token and position
 * movements are exactly the modelled ones (nothing at all for a refusal) and every invariant of
 * ./spec.ts holds. An end step settles everything and checks the contracts keep only the donations.
 *
 * Profiles: HARDHAT_TEST_PROFILE=ci runs more and longer sequences with a fixed seed; =coverage runs the
 * default number with that seed; the default profile runs a few with fast-check's random seed (printed on
 * failure). INV_DEBUG=1 prints every step.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";

import type { ContractReturnType, WalletClient } from "@nomicfoundation/hardhat-viem/types";
import fc from "fast-check";
import { network } from "hardhat";
import {
  type Abi,
  type Address,
  type Hex,
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  encodeFunctionData,
  getAddress,
  keccak256,
  parseEventLogs,
  toHex,
  zeroAddress,
} from "viem";

import { deployLocalSystem } from "../../scripts/lib/deploy.js";
import { PledgeState, stateName } from "../../scripts/lib/states.js";
import { isCiProfile, profileName, profileSeed } from "../utils/property-runs.js";
import * as INV from "./spec.js";
import { cite } from "./spec.js";
import {
  type Action,
  type CondM,
  type Kind,
  type Move,
  type NestM,
  type PledgeM,
  type PosMove,
  type Snap,
  type TallyM,
  type Via,
  actionArb,
  BREACH,
  BURN,
  COVERAGE_WALK,
  emptyCounts,
  FEE_BPS,
  FIXED,
  GAS,
  HONOR,
  KINDS,
  MAX_GRACE,
  MAX_LIVENESS,
  MIN_LIQUIDITY,
  MIN_LIVENESS,
  pick,
  REFUSE_PCT,
  REWARD_BPS,
  STEP2,
  TIMEOUT,
  WAD,
} from "./model.js";

// ------------------------------------------------------------------------------------------ profile

// ci: 40 runs of up to 60 actions with the fixed seed; coverage: the default size with the fixed seed (so the
// coverage figures reproduce); default: 8 runs of up to 32 actions with a random seed.
const CI = isCiProfile();
const NUM_RUNS = CI ? 40 : 8;
const MAX_ACTIONS = CI ? 60 : 32;
const SEED: number | undefined = profileSeed();

// ------------------------------------------------------------------------------------------ suite

describe(`System invariants (${profileName()} profile: ${NUM_RUNS} runs of up to ${MAX_ACTIONS} actions${SEED === undefined ? ", random seed" : `, seed ${SEED}`})`, async () => {
  const conn = await network.create();
  const { viem, networkHelpers } = conn;
  const { time, loadFixture } = networkHelpers;
  const pc = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  const [gW, aW, bW, cW, dW, eW, fW, m1, m2, m3] = wallets;
  const members = [m1, m2, m3];
  const memberAddrs = members.map((w) => getAddress(w.account.address));

  // ---- fixture: the whole system, once, through Ignition; then tokens, approvals and the hostile receiver
  async function deploySystem() {
    const sys = await deployLocalSystem(conn, {
      committeeMembers: memberAddrs,
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

  type Fixture = Awaited<ReturnType<typeof deploySystem>>;

  // ---- coverage across runs
  const counts = emptyCounts();
  const endCounts = emptyCounts();
  let runs = 0;
  let executed = 0;
  let refused = 0;
  let longest = 0;
  let exclusiveChecks = 0;
  const started = Date.now();

  after(() => {
    const kinds = KINDS.map((k) => `${k} ${counts[k].ok}/${counts[k].refused}`).join(", ");
    const ends = KINDS.filter((k) => endCounts[k].ok + endCounts[k].refused > 0)
      .map((k) => `${k} ${endCounts[k].ok}`)
      .join(", ");
    console.log(
      `[system invariants] ${runs} runs, ${executed} actions executed (${refused} refused as modelled), ` +
        `longest ${longest}, ${exclusiveChecks} exclusive-pair checks, ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
        `  per kind (ok/refused): ${kinds}\n  end steps (ok): ${ends}`,
    );
  });

  it(`random action sequences keep every system invariant (${INV.ALL_INVARIANTS.map((i) => i.id).join(", ")})`, async (t) => {
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: Math.floor(MAX_ACTIONS / 2), maxLength: MAX_ACTIONS, size: "max" }), async (actions) => {
        const fx = await loadFixture(deploySystem);
        const run = new Run(fx);
        await run.init();
        runs++;
        longest = Math.max(longest, actions.length);
        for (const action of actions) {
          await run.step(action);
        }
        await run.end();
        for (const k of KINDS) {
          counts[k].ok += run.counts[k].ok;
          counts[k].refused += run.counts[k].refused;
          endCounts[k].ok += run.endCounts[k].ok;
          endCounts[k].refused += run.endCounts[k].refused;
        }
        executed += run.executed;
        refused += run.refused;
        exclusiveChecks += run.exclusiveChecks;
      }),
      { numRuns: NUM_RUNS, seed: SEED, verbose: 1, examples: [[COVERAGE_WALK]] },
    );
    // SYS-RUN-1: a do-nothing run is not a pass.
    // The coverage summary is the name of a subtest, so every run prints what it did.
    const perKind = KINDS.map((k) => `${k} ${counts[k].ok}/${counts[k].refused}`).join(", ");
    const ends = KINDS.filter((k) => endCounts[k].ok > 0)
      .map((k) => `${k} ${endCounts[k].ok}`)
      .join(", ");
    await t.test(
      `coverage: ${runs} runs, ${executed} actions executed, ${refused} refused as modelled, ${exclusiveChecks} exclusive-pair checks; ` +
        `random phase ok/refused: ${perKind}; end step ok: ${ends}`,
      () => {
        // SYS-RUN-1. The end step's settlement (votes, voids, finalizations, claims, flushes, resolutions,
        // redemptions, withdrawals) counts too: it runs in every run, through the same checked attempts.
        const never = KINDS.filter((k) => counts[k].ok + endCounts[k].ok === 0);
        assert.deepEqual(never, [], cite(INV.RUN, `action kinds that never succeeded: ${never.join(", ")}`));
        assert.ok(refused > 0, cite(INV.RUN, "no refused attempt was made"));
      },
    );
  });

  // ================================================================================== one run

  class Run {
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

    constructor(fx: Fixture) {
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
      const keyed = [gW, aW, bW, cW, dW, eW, fW].map((w) => getAddress(w.account.address));
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
      const w = [gW, aW, bW, cW, dW, eW, fW, m1, m2, m3].find((x) => getAddress(x.account.address) === addr);
      assert.ok(w !== undefined, `no wallet for ${addr}`);
      return w;
    }
    /** Actors that sign transactions for pledges and trades (A, B, C, D). */
    player(i: number): Address {
      return this.actors[1 + (i % 4)];
    }

    // -------------------------------------------------------------- init

    async init(): Promise<void> {
      this.last = BigInt(await time.latest());
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
    marketOf(cond: number): Snap["markets"][number] {
      return this.snap.markets[cond];
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
      const marketCalls = this.conds.map((c) => ({
        address: maker.address,
        abi: maker.abi,
        functionName: "getMarket" as const,
        args: [c.id] as const,
      }));
      const mstateCalls = this.conds.map((c) => ({
        address: maker.address,
        abi: maker.abi,
        functionName: "marketState" as const,
        args: [c.id] as const,
      }));
      const priceCalls = this.conds.map((c) => ({
        address: maker.address,
        abi: maker.abi,
        functionName: "prices" as const,
        args: [c.id] as const,
      }));
      const call = async <T>(xs: readonly unknown[], f: () => Promise<T[]>): Promise<T[]> => (xs.length === 0 ? [] : f());
      const [block, bals, claims, gp, st, oc, chs, tl, cd, ps, mk, ms, pr, ns] = await Promise.all([
        pc.getBlock({ blockTag: "latest" }),
        pc.multicall({ ...mc, contracts: balCalls }),
        pc.multicall({ ...mc, contracts: claimCalls }),
        call(pledgeCalls, () => pc.multicall({ ...mc, contracts: pledgeCalls })),
        call(stateCalls, () => pc.multicall({ ...mc, contracts: stateCalls })),
        call(openCalls, () => pc.multicall({ ...mc, contracts: openCalls })),
        call(challengeCalls, () => pc.multicall({ ...mc, contracts: challengeCalls })),
        call(tallyCalls, () => pc.multicall({ ...mc, contracts: tallyCalls })),
        call(condCalls, () => pc.multicall({ ...mc, contracts: condCalls })),
        call(posCalls, () => pc.multicall({ ...mc, contracts: posCalls })),
        call(marketCalls, () => pc.multicall({ ...mc, contracts: marketCalls })),
        call(mstateCalls, () => pc.multicall({ ...mc, contracts: mstateCalls })),
        call(priceCalls, () => pc.multicall({ ...mc, contracts: priceCalls })),
        call(nestCalls, () => pc.multicall({ ...mc, contracts: nestCalls })),
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
        markets: this.conds.map((_, i) => ({ m: mk[i], state: ms[i], prices: pr[i] })),
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
    async mine(tx: () => Promise<Hex>): Promise<{ ok: true; logs: Awaited<ReturnType<typeof pc.getTransactionReceipt>>["logs"] } | { ok: false; error: string }> {
      assert.ok(this.next > this.last, "clock");
      await time.setNextBlockTimestamp(this.next);
      const before = await pc.getBlockNumber();
      let result: { ok: true; logs: Awaited<ReturnType<typeof pc.getTransactionReceipt>>["logs"] } | { ok: false; error: string };
      try {
        const hash = await tx();
        const receipt = await pc.getTransactionReceipt({ hash });
        if (receipt.status !== "success") result = { ok: false, error: "reverted (no reason)" };
        else result = { ok: true, logs: receipt.logs };
      } catch (e) {
        result = { ok: false, error: this.errorName(e) };
      }
      const block = await pc.getBlock({ blockTag: "latest" });
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
      apply: (logs: Awaited<ReturnType<typeof pc.getTransactionReceipt>>["logs"]) => void,
      detail: string,
    ): Promise<boolean> {
      const before = this.snap;
      const res = await this.mine(tx);
      const label = `${kind} ${detail} at ${this.last}`;
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
        assert.deepEqual(after.markets.map((x) => x.m), before.markets.map((x) => x.m), cite(INV.MODEL, `${label}: markets changed`));
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

    // ============================================================ invariants

    checkAll(): void {
      const s = this.snap;
      assert.equal(s.ts, this.last, "snapshot at the latest block");
      this.checkSolvency(s);
      this.checkBacking(s);
      this.checkMarkets(s);
      this.checkPayouts(s);
      this.checkLifecycle(s);
      this.checkGhosts(s);
    }

    checkSolvency(s: Snap): void {
      for (let k = 0; k < this.tokens.length; k++) {
        // SYS-SOLV-1
        let owed = 0n;
        s.pledges.forEach((x, i) => {
          if (this.pledges[i].tok !== k) return;
          if (x.p.outcome === 0) owed += x.p.bond;
          if (x.open !== 0n && x.p.outcome === 0) {
            const c = s.challenges.get(x.open);
            assert.ok(c !== undefined, `challenge ${x.open} read`);
            owed += c.disputer === zeroAddress ? c.bond : 2n * c.bond;
          }
        });
        const claimable = s.claim[k].reduce((a, b) => a + b, 0n);
        const regBal = s.bal[k][this.holders.indexOf(this.registry)];
        assert.equal(regBal, owed + claimable + this.donated(this.registry, k), cite(INV.SOLV_REGISTRY, `token ${k}`));
        // SYS-CRED-1
        this.claimants.forEach((c, i) => {
          assert.equal(s.claim[k][i], this.creditOf(c, k), cite(INV.CREDITS, `${this.holderName(c)} token ${k}`));
        });
        // SYS-SOLV-2
        const locked = this.conds.filter((c) => c.tok === k).reduce((a, c) => a + c.locked, 0n);
        assert.equal(
          s.bal[k][this.holders.indexOf(this.vault)],
          locked + this.donated(this.vault, k),
          cite(INV.SOLV_VAULT, `token ${k}`),
        );
        // SYS-SOLV-3
        let cash = 0n;
        s.markets.forEach((x, i) => {
          if (this.conds[i].tok === k) cash += x.m.cash;
        });
        assert.equal(
          s.bal[k][this.holders.indexOf(this.maker)],
          cash + this.donated(this.maker, k),
          cite(INV.SOLV_MAKER, `token ${k}`),
        );
        // SYS-SOLV-4
        assert.equal(s.bal[k][this.holders.indexOf(this.bm)], this.donated(this.bm, k), cite(INV.SOLV_BREACH, `token ${k}`));
        // SYS-CONS-1
        assert.equal(s.bal[k].reduce((a, b) => a + b, 0n), this.minted[k], cite(INV.CONSERVATION, `token ${k}`));
      }
    }

    checkBacking(s: Snap): void {
      this.conds.forEach((c, i) => {
        const sc = s.conds[i];
        // Parent units locked in nested sets are part of the outcome's supply.
        const supply = [0, 1].map(
          (o) =>
            sc.bals[o].reduce((a, b) => a + b, 0n) +
            this.nests.filter((n) => n.parent === i && n.po === o).reduce((a, n) => a + n.locked, 0n),
        );
        if (c.payouts === null) {
          for (const o of [0, 1]) {
            assert.equal(supply[o], c.locked, cite(INV.BACK_PREPARED, `condition ${i} outcome ${o}`));
          }
        } else {
          const den = c.payouts.reduce((a, b) => a + b, 0n);
          let redeemable = 0n;
          for (let h = 0; h < this.posHolders.length; h++) {
            redeemable += (sc.bals[0][h] * c.payouts[0] + sc.bals[1][h] * c.payouts[1]) / den;
          }
          for (const n of this.nests) if (n.parent === i) redeemable += (n.locked * c.payouts[n.po]) / den;
          assert.ok(redeemable <= c.locked && c.locked >= 0n, cite(INV.BACK_RESOLVED, `condition ${i}: ${redeemable} > ${c.locked}`));
        }
      });
      // Nested sets: each child's supply equals the parent units locked (before the child resolves), and what
      // they can redeem never exceeds it (after).
      this.nests.forEach((n, i) => {
        const bals = s.nests[i];
        const payouts = this.conds[n.child].payouts;
        if (payouts === null) {
          for (const o of [0, 1]) {
            assert.equal(bals[o].reduce((a, b) => a + b, 0n), n.locked, cite(INV.BACK_PREPARED, `nested set ${i} outcome ${o}`));
          }
        } else {
          const den = payouts[0] + payouts[1];
          let redeemable = 0n;
          for (let h = 0; h < this.posHolders.length; h++) redeemable += (bals[0][h] * payouts[0] + bals[1][h] * payouts[1]) / den;
          assert.ok(redeemable <= n.locked, cite(INV.BACK_RESOLVED, `nested set ${i}: ${redeemable} > ${n.locked}`));
        }
      });
    }

    checkMarkets(s: Snap): void {
      s.markets.forEach((x, i) => {
        const c = this.conds[i];
        const p = this.pledges[c.pledge];
        assert.ok(p.market !== null);
        const m = x.m;
        const makerIdx = this.posHolders.indexOf(this.maker);
        for (const o of [0, 1]) {
          const held = s.conds[i].bals[o][makerIdx];
          if (p.market.withdrawn) assert.equal(held, 0n, cite(INV.MAKER_INVENTORY, `market ${i} withdrawn`));
          else {
            assert.equal(held, m.sets - m.sold[o], cite(INV.MAKER_INVENTORY, `market ${i} outcome ${o}`));
            assert.ok(m.cash + m.sets >= m.sold[o], cite(INV.SOLV_MAKER, `market ${i} can pay outcome ${o}`));
          }
        }
        assert.equal(x.prices.length, 2);
        assert.equal(x.prices[0] + x.prices[1], WAD, cite(INV.MAKER_PRICES, `market ${i}`));
        const wantState = p.market.withdrawn ? 3 : c.payouts !== null ? 2 : 1;
        assert.equal(x.state, wantState, cite(INV.LIFE_DERIVED, `market ${i} state`));
      });
    }

    checkPayouts(s: Snap): void {
      this.conds.forEach((c, i) => {
        const got = s.conds[i].cond;
        if (c.payouts === null) {
          assert.equal(got.payoutDenominator, 0n, cite(INV.PAYOUT_FINAL, `condition ${i} unreported`));
          assert.equal(got.payoutNumerators.length, 0, cite(INV.PAYOUT_FINAL, `condition ${i} unreported`));
          return;
        }
        assert.deepEqual([...got.payoutNumerators], c.payouts, cite(INV.PAYOUT_FINAL, `condition ${i}`));
        assert.equal(got.payoutDenominator, c.payouts[0] + c.payouts[1], cite(INV.PAYOUT_FINAL, `condition ${i}`));
        assert.ok(got.payoutDenominator > 0n, cite(INV.PAYOUT_FINAL, `condition ${i}`));
        const p = this.pledges[c.pledge];
        const st = s.pledges[c.pledge].state;
        const breached = c.payouts[0] === 1n;
        assert.equal(p.market?.breached, breached, cite(INV.PAYOUT_MATCHES_PLEDGE, `condition ${i}`));
        const allowed: number[] = breached
          ? [PledgeState.Breached, PledgeState.Slashable]
          : [PledgeState.Honored, PledgeState.Releasable];
        assert.ok(allowed.includes(st), cite(INV.PAYOUT_MATCHES_PLEDGE, `pledge ${p.id} in ${stateName(st)}`));
      });
    }

    checkLifecycle(s: Snap): void {
      this.pledges.forEach((p, i) => {
        const x = s.pledges[i];
        const want = this.stateAt(p, s.ts);
        assert.equal(x.state, want, cite(INV.LIFE_DERIVED, `pledge ${p.id}: ${stateName(x.state)} vs ${stateName(want)}`));
        assert.ok(
          STEP2.get(p.lastState)?.has(x.state) === true,
          cite(INV.LIFE_MONOTONE, `pledge ${p.id}: ${stateName(p.lastState)} -> ${stateName(x.state)}`),
        );
        assert.equal(x.p.bond, p.bond, cite(INV.MODEL, `pledge ${p.id} bond`));
        assert.ok(x.p.bond >= (this.bondSeen.get(i) ?? 0n), cite(INV.LIFE_MONOTONE, `pledge ${p.id} bond decreased`));
        this.bondSeen.set(i, x.p.bond);
        assert.equal(x.p.outcome, p.outcome, cite(INV.MODEL, `pledge ${p.id} outcome`));
        assert.equal(x.open, p.ch?.id ?? 0n, cite(INV.MODEL, `pledge ${p.id} open challenge`));
        assert.equal(x.p.rejectedChallenges, p.rejected, cite(INV.MODEL, `pledge ${p.id} rejected challenges`));
        p.lastState = x.state;
      });
    }
    bondSeen = new Map<number, bigint>();

    checkGhosts(s: Snap): void {
      // SYS-GAIN-1: per actor, contract and token, withdrawn <= deposited + granted.
      for (const [k, g] of this.gain) {
        assert.ok(g.withdrawn <= g.deposited + g.granted, cite(INV.GAIN, `${k}: ${g.withdrawn} > ${g.deposited} + ${g.granted}`));
      }
      // Net of every actor = ghost gains - losses.
      this.actors.forEach((a, i) => {
        for (let k = 0; k < this.tokens.length; k++) {
          const g = this.ghost.get(`${a}:${k}`) ?? { gains: 0n, losses: 0n };
          assert.equal(s.bal[k][i] - this.initial[k][i], g.gains - g.losses, cite(INV.GAIN, `${this.holderName(a)} net, token ${k}`));
        }
      });
      // The hostile receiver's hooks never re-entered successfully.
      if (s.reentry.reentered) assert.equal(s.reentry.succeeded, false, cite(INV.REENTRY));
    }

    /** SYS-LIFE-3: at the current block, at most one of each exclusive pair is allowed, and the modelled one. */
    async checkExclusive(i: number): Promise<void> {
      const p = this.pledges[i];
      const { registry, breachMarkets, maker } = this.sys;
      const t = this.last; // eth_call at the latest block runs at its timestamp (checked by LIFE_DERIVED)
      const st = this.stateAt(p, t);
      const ok = async (f: () => Promise<unknown>): Promise<boolean> => {
        try {
          await f();
          return true;
        } catch {
          return false;
        }
      };
      const other = this.player(p.pledger === this.actors[3] ? 3 : 2);
      const challengeOk = await ok(() =>
        pc.simulateContract({ address: registry.address, abi: registry.abi, functionName: "challenge", args: [p.id, "x"], account: other }),
      );
      const finalizeOk = await ok(() =>
        pc.simulateContract({ address: registry.address, abi: registry.abi, functionName: "finalize", args: [p.id], account: other }),
      );
      const disputeOk = await ok(() =>
        pc.simulateContract({ address: registry.address, abi: registry.abi, functionName: "dispute", args: [p.id], account: other }),
      );
      const voidOk = await ok(() =>
        pc.simulateContract({ address: registry.address, abi: registry.abi, functionName: "voidChallenge", args: [p.id], account: other }),
      );
      const ruleOk =
        p.ch !== null &&
        (await ok(() =>
          pc.simulateContract({
            address: registry.address,
            abi: registry.abi,
            functionName: "rule",
            args: [p.ch?.id ?? 0n, false],
            account: getAddress(this.sys.committee.address),
          }),
        ));
      const detail = `pledge ${p.id} in ${stateName(st)} at ${t}`;
      assert.ok(!(challengeOk && finalizeOk), cite(INV.LIFE_EXCLUSIVE, `challenge and finalize, ${detail}`));
      assert.ok(!(disputeOk && finalizeOk), cite(INV.LIFE_EXCLUSIVE, `dispute and finalize, ${detail}`));
      assert.ok(!(ruleOk && voidOk), cite(INV.LIFE_EXCLUSIVE, `rule and void, ${detail}`));
      assert.equal(challengeOk, st === PledgeState.Active, cite(INV.LIFE_EXCLUSIVE, `challenge, ${detail}`));
      assert.equal(finalizeOk, st === PledgeState.Slashable || st === PledgeState.Releasable, cite(INV.LIFE_EXCLUSIVE, `finalize, ${detail}`));
      assert.equal(disputeOk, st === PledgeState.Challenged, cite(INV.LIFE_EXCLUSIVE, `dispute, ${detail}`));
      assert.equal(voidOk, st === PledgeState.RulingOverdue, cite(INV.LIFE_EXCLUSIVE, `void, ${detail}`));
      assert.equal(ruleOk, st === PledgeState.Disputed, cite(INV.LIFE_EXCLUSIVE, `rule, ${detail}`));
      if (p.market !== null && p.market.breached === null) {
        const trader = [this.actors[3], this.actors[4]].find((a) => !this.isHedger(p, a)) ?? this.actors[6];
        const buyOk = await ok(() =>
          pc.simulateContract({
            address: maker.address,
            abi: maker.abi,
            functionName: "buy",
            args: [p.market?.conditionId ?? "0x", HONOR, 1n, 2n ** 128n, t + 1000n, trader],
            account: trader,
          }),
        );
        const resolveOk = await ok(() =>
          pc.simulateContract({ address: breachMarkets.address, abi: breachMarkets.abi, functionName: "resolve", args: [p.id], account: other }),
        );
        assert.ok(!(buyOk && resolveOk), cite(INV.LIFE_EXCLUSIVE, `trade and resolve, ${detail}`));
        assert.equal(buyOk, st === PledgeState.Active, cite(INV.LIFE_EXCLUSIVE, `trade, ${detail}`));
        assert.equal(
          resolveOk,
          FIXED.includes(st),
          cite(INV.LIFE_EXCLUSIVE, `resolve, ${detail}`),
        );
      }
      this.exclusiveChecks++;
    }

    // ============================================================ actions

    async step(a: Action): Promise<void> {
      this.touched = null;
      const refuse = a.r < REFUSE_PCT;
      // An action with no valid target becomes its prerequisite (a pledge to challenge, a deadline to reach), so
      // sequences progress through the lifecycle; refused attempts are made on purpose (REFUSE_PCT).
      let kind = a.kind;
      this.warpFilter = null;
      for (let depth = 0; !refuse && depth < 6 && !this.enabled(kind); depth++) {
        const pre = this.prerequisite(kind);
        if (pre === null) break;
        kind = pre;
      }
      if (process.env.INV_DEBUG !== undefined) console.log(`step ${a.kind} -> ${kind}${refuse ? " (refuse)" : ""}`);
      await this.dispatch({ ...a, kind }, refuse);
      const live = this.pledges
        .map((_, i) => i)
        .filter((i) => this.pledges[i].outcome === 0 || (this.pledges[i].market !== null && this.pledges[i].market?.breached === null));
      const target = this.touched ?? (live.length > 0 ? pick(live, a.t + a.f) : null);
      if (target !== null) await this.checkExclusive(target);
    }

    warpFilter: ((p: PledgeM) => boolean) | null = null;

    /** Whether `kind` has a target on which it would succeed at the next second. */
    enabled(kind: Kind): boolean {
      const st = (p: PledgeM) => this.stateAt(p, this.next);
      const some = (states: number[]) => this.pledges.some((p) => states.includes(st(p)));
      const trading = (p: PledgeM) => p.market !== null && p.market.breached === null && st(p) === PledgeState.Active;
      const prepared = this.pledges.filter((p) => p.market !== null && p.market.breached === null);
      const holds = (p: PledgeM, both: boolean) => {
        const ci = this.condOf(p);
        return this.actors.slice(1, 5).some((x) => {
          const [b0, b1] = [this.pos(x, ci, 0), this.pos(x, ci, 1)];
          return both ? b0 > 0n && b1 > 0n : b0 + b1 > 0n;
        });
      };
      switch (kind) {
        case "topUp":
          return some([PledgeState.Active, PledgeState.Challenged, PledgeState.Disputed]);
        case "challenge":
          return some([PledgeState.Active]);
        case "dispute":
          return some([PledgeState.Challenged]);
        case "vote":
          return [...this.tallies.values()].some((t) => !t.ruled && st(this.pledges[t.pledge]) === PledgeState.Disputed);
        case "void":
          return some([PledgeState.RulingOverdue]);
        case "finalize":
          return some([PledgeState.Slashable, PledgeState.Releasable]);
        case "claim":
          return this.actors.slice(0, 7).some((x) => this.creditOf(x, 0) + this.creditOf(x, 1) > 0n);
        case "flush":
          return this.creditOf(BURN, 0) + this.creditOf(BURN, 1) > 0n;
        case "open":
          return this.pledges.some((p) => p.market === null && st(p) === PledgeState.Active);
        case "affiliates":
          return this.pledges.length > 0;
        case "buy":
        case "malBuy":
          return this.pledges.some(trading);
        case "sell":
          return this.pledges.some((p) => trading(p) && this.sellers(p).length > 0);
        case "split":
        case "malSplit":
          return prepared.length > 0;
        case "merge":
          return prepared.some((p) => holds(p, true));
        case "resolve":
          return this.pledges.some((p) => p.market !== null && p.market.breached === null && FIXED.includes(st(p)));
        case "redeem":
          return this.pledges.some((p) => p.market !== null && p.market.breached !== null && holds(p, false));
        case "withdraw":
          return this.pledges.some((p) => p.market !== null && p.market.breached !== null && !p.market.withdrawn);
        case "warpDeadline":
          return this.deadlines().length > 0;
        case "nest":
          return this.nestCandidates().length > 0;
        case "unnest":
          return this.unnestCandidates().length > 0;
        default:
          return true;
      }
    }

    /** What to do first when `kind` has no valid target. */
    prerequisite(kind: Kind): Kind | null {
      const deadlineFor = (f: (p: PledgeM) => boolean, otherwise: Kind): Kind => {
        this.warpFilter = f;
        if (this.deadlines().length > 0) return "warpDeadline";
        this.warpFilter = null;
        return otherwise;
      };
      switch (kind) {
        case "topUp":
        case "challenge":
        case "open":
        case "affiliates":
          return "create";
        case "dispute":
          return "challenge";
        case "vote":
          return "dispute";
        case "void":
          return deadlineFor((p) => p.ch?.disputer !== null && p.ch !== null, "dispute");
        case "finalize":
          return deadlineFor(() => true, "create");
        case "claim":
        case "flush":
          return "finalize";
        case "buy":
        case "malBuy":
        case "split":
        case "malSplit":
          return "open";
        case "sell":
          return "buy";
        case "merge":
          return "split";
        case "resolve":
          return deadlineFor((p) => p.market !== null && p.market.breached === null, "open");
        case "redeem":
        case "withdraw":
          return "resolve";
        case "warpDeadline":
          return this.warpFilter === null ? "create" : null;
        case "nest":
          return this.pledges.filter((p) => p.market !== null && p.market.breached === null).length >= 2 ? "split" : "open";
        case "unnest":
          return "nest";
        default:
          return null;
      }
    }

    /** Pending deadlines (the next one of each unsettled pledge), filtered by `warpFilter`. */
    deadlines(): { t: bigint; i: number }[] {
      const out: { t: bigint; i: number }[] = [];
      this.pledges.forEach((p, i) => {
        if (p.outcome !== 0 || (this.warpFilter !== null && !this.warpFilter(p))) return;
        if (p.ch === null) out.push({ t: p.expiry + p.grace, i });
        else if (p.ch.disputer === null) out.push({ t: p.ch.at + p.liveness, i });
        else out.push({ t: p.ch.disputedAt + TIMEOUT, i });
      });
      return out.filter((d) => d.t >= this.next);
    }

    async dispatch(a: Action, refuse: boolean): Promise<void> {
      switch (a.kind) {
        case "create":
          return this.create(a, refuse);
        case "topUp":
          return this.topUp(a, refuse);
        case "challenge":
          return this.challenge(a, refuse);
        case "dispute":
          return this.dispute(a, refuse);
        case "vote":
          return this.vote(a, refuse);
        case "void":
          return this.voidIt(a, refuse);
        case "finalize":
          return this.finalize(a, refuse);
        case "claim":
          return this.claim(a, refuse);
        case "flush":
          return this.flush(a, refuse);
        case "open":
          return this.open(a, refuse);
        case "affiliates":
          return this.affiliates(a, refuse);
        case "buy":
          return this.buy(a, refuse, false);
        case "sell":
          return this.sell(a, refuse);
        case "split":
          return this.split(a, refuse, false);
        case "merge":
          return this.merge(a, refuse);
        case "resolve":
          return this.resolve(a, refuse);
        case "redeem":
          return this.redeem(a, refuse);
        case "withdraw":
          return this.withdraw(a, refuse);
        case "donate":
          return this.donate(a);
        case "warp":
          return this.warp(a);
        case "warpDeadline":
          return this.warpDeadline(a);
        case "malBuy":
          return this.buy(a, false, true);
        case "malSplit":
          return this.split(a, false, true);
        case "nest":
          return this.nest(a, refuse);
        case "unnest":
          return this.unnest(a, refuse);
      }
    }

    /** Pledges whose state at the next second is one of `states`, else all (a refusal follows). */
    choose(a: Action, states: number[], refuse: boolean): number | null {
      if (this.pledges.length === 0) return null;
      const idx = this.pledges.map((_, i) => i);
      const fit = idx.filter((i) => states.includes(this.stateAt(this.pledges[i], this.next)));
      const unfit = idx.filter((i) => !states.includes(this.stateAt(this.pledges[i], this.next)));
      const pool = refuse ? (unfit.length > 0 ? unfit : idx) : fit.length > 0 ? fit : idx;
      const i = pick(pool, a.t);
      this.touched = i;
      return i;
    }

    unexpected(p: PledgeM, allowed: number[]): string | null {
      return allowed.includes(this.stateAt(p, this.next)) ? null : "UnexpectedState";
    }

    async create(a: Action, refuse: boolean): Promise<void> {
      const pledger = this.player(a.a);
      const tok = a.f % 2;
      const U = this.units(tok);
      const bond = U * BigInt(10 + (a.n % 990)) + BigInt(a.n % 13);
      const base = U * BigInt(1 + (a.n % 37)) + BigInt(a.n % 3);
      const grace = BigInt(a.f % 2 === 0 ? 0 : (a.n >> 3) % MAX_GRACE);
      const liveness = BigInt(MIN_LIVENESS + ((a.n >> 5) % 240));
      let expiry = this.next + 120n + BigInt((a.n >> 7) % 1_200);
      let beneficiary: Address = (a.f >> 1) % 3 === 0 ? zeroAddress : (a.f >> 1) % 3 === 1 ? this.beneficiaryE : this.player(a.a + 1);
      let error: string | null = null;
      let bondArg = bond;
      if (refuse) {
        const v = a.f % 3;
        if (v === 0) {
          expiry = this.next;
          error = "ExpiryNotInFuture";
        } else if (v === 1) {
          beneficiary = pledger;
          error = "BeneficiaryIsPledger";
        } else {
          bondArg = 0n;
          error = "BondZero";
        }
      }
      const token = this.tokens[tok];
      await this.attempt(
        "create",
        error,
        () =>
          this.sys.registry.write.createPledge(
            [
              {
                termsHash: keccak256(toHex(`terms ${a.n}`)),
                termsURI: `ipfs://terms/${a.n}`,
                token: token.address,
                bond: bondArg,
                expiry,
                grace: Number(grace),
                beneficiary,
                resolution: { arbiter: this.sys.committee.address, liveness: Number(liveness), challengeBond: base },
              },
            ],
            { account: this.wallet(pledger).account, gas: GAS },
          ),
        [
          { who: pledger, tok, amount: -bond, via: "registry" },
          { who: this.registry, tok, amount: bond, via: "registry" },
        ],
        [],
        () => {
          this.pledges.push({
            id: BigInt(this.pledges.length + 1),
            tok,
            pledger,
            beneficiary: getAddress(beneficiary),
            bond,
            base,
            rejected: 0,
            expiry,
            grace,
            liveness,
            outcome: 0,
            ch: null,
            market: null,
            affiliates: new Set(),
            lastState: PledgeState.Active,
          });
          this.touched = this.pledges.length - 1;
        },
        `${pledger.slice(0, 6)} bond ${bond} token ${tok}`,
      );
    }

    async topUp(a: Action, refuse: boolean): Promise<void> {
      const allowed = [PledgeState.Active, PledgeState.Challenged, PledgeState.Disputed];
      const i = this.choose(a, allowed, refuse && a.f % 2 === 0);
      if (i === null) return this.create(a, false);
      const p = this.pledges[i];
      const caller = refuse && a.f % 2 === 1 ? this.player(this.actors.indexOf(p.pledger)) : p.pledger;
      const amount = this.units(p.tok) * BigInt(1 + (a.n % 100)) + BigInt(a.n % 5);
      const error = this.unexpected(p, allowed) ?? (caller !== p.pledger ? "CallerNotPledger" : null);
      await this.attempt(
        "topUp",
        error,
        () => this.sys.registry.write.topUp([p.id, amount], { account: this.wallet(caller).account, gas: GAS }),
        [
          { who: caller, tok: p.tok, amount: -amount, via: "registry" },
          { who: this.registry, tok: p.tok, amount, via: "registry" },
        ],
        [],
        () => {
          p.bond += amount;
        },
        `pledge ${p.id} +${amount}`,
      );
    }

    async challenge(a: Action, refuse: boolean): Promise<void> {
      const i = this.choose(a, [PledgeState.Active], refuse && a.f % 2 === 0);
      if (i === null) return this.create(a, false);
      const p = this.pledges[i];
      let challenger = this.player(a.a);
      if (challenger === p.pledger) challenger = this.player(a.a + 1);
      if (refuse && a.f % 2 === 1) challenger = p.pledger;
      const bond = this.nextChallengeBond(p);
      const error = this.unexpected(p, [PledgeState.Active]) ?? (challenger === p.pledger ? "ChallengerIsPledger" : null);
      await this.attempt(
        "challenge",
        error,
        () => this.sys.registry.write.challenge([p.id, `ipfs://evidence/${a.n}`], { account: this.wallet(challenger).account, gas: GAS }),
        [
          { who: challenger, tok: p.tok, amount: -bond, via: "registry" },
          { who: this.registry, tok: p.tok, amount: bond, via: "registry" },
        ],
        [],
        () => {
          p.ch = { id: this.nextChallengeId(), challenger, at: this.last, bond, disputer: null, disputedAt: 0n };
        },
        `pledge ${p.id} bond ${bond}`,
      );
    }
    challengeCount = 0n;
    nextChallengeId(): bigint {
      this.challengeCount += 1n;
      return this.challengeCount;
    }

    async dispute(a: Action, refuse: boolean): Promise<void> {
      const i = this.choose(a, [PledgeState.Challenged], refuse);
      if (i === null) return this.create(a, false);
      const p = this.pledges[i];
      const disputer = this.player(a.a);
      const error = this.unexpected(p, [PledgeState.Challenged]);
      const bond = p.ch?.bond ?? 0n;
      await this.attempt(
        "dispute",
        error,
        () => this.sys.registry.write.dispute([p.id], { account: this.wallet(disputer).account, gas: GAS }),
        [
          { who: disputer, tok: p.tok, amount: -bond, via: "registry" },
          { who: this.registry, tok: p.tok, amount: bond, via: "registry" },
        ],
        [],
        () => {
          assert.ok(p.ch !== null);
          p.ch.disputer = disputer;
          p.ch.disputedAt = this.last;
          this.tallies.set(p.ch.id, { pledge: i, voted: new Set(), votes: [0, 0], ruled: false });
        },
        `pledge ${p.id}`,
      );
    }

    async vote(a: Action, refuse: boolean): Promise<void> {
      // Targets: a tally of a disputed challenge (open or not), a member who has not voted.
      const open = [...this.tallies.entries()].filter(([, t]) => !t.ruled && this.stateAt(this.pledges[t.pledge], this.next) === PledgeState.Disputed);
      const all = [...this.tallies.entries()];
      if (all.length === 0) {
        // Unknown dispute: refused.
        await this.attempt(
          "vote",
          "DisputeUnknown",
          () => this.sys.committee.write.vote([999n, true], { account: m1.account, gas: GAS }),
          [],
          [],
          () => {},
          "unknown dispute",
        );
        return;
      }
      const [cid, t] = refuse ? pick(all, a.t) : pick(open.length > 0 ? open : all, a.t);
      const p = this.pledges[t.pledge];
      this.touched = t.pledge;
      let voter: Address = pick(memberAddrs, a.a);
      const fresh = memberAddrs.filter((m) => !t.voted.has(m));
      if (!refuse && fresh.length > 0) voter = pick(fresh, a.a);
      const outsider = refuse && a.f % 3 === 0;
      if (outsider) voter = this.player(a.a);
      const breached = a.f % 2 === 0;
      let error: string | null = null;
      const count = (breached ? t.votes[0] : t.votes[1]) + 1;
      const rules = count === 2;
      if (outsider) error = "CallerNotMember";
      else if (t.ruled) error = "AlreadyRuled";
      else if (t.voted.has(voter)) error = "AlreadyVoted";
      else if (rules) {
        if (p.ch === null || p.ch.id !== cid) error = "ChallengeNotOpen";
        else error = this.unexpected(p, [PledgeState.Disputed]);
      }
      const moves: Move[] = [];
      await this.attempt(
        "vote",
        error,
        () => this.sys.committee.write.vote([cid, breached], { account: this.wallet(voter).account, gas: GAS }),
        moves,
        [],
        (logs) => {
          t.voted.add(voter);
          t.votes[breached ? 0 : 1]++;
          if (rules) {
            t.ruled = true;
            this.applyRuling(p, breached, logs);
          }
        },
        `challenge ${cid} by ${voter.slice(0, 6)} ${breached ? "breach" : "no breach"}`,
      );
    }

    /** The registry's ruling: dispute bonds split, then a slash (upheld) or the pledge back to Active. */
    applyRuling(p: PledgeM, breached: boolean, logs: Awaited<ReturnType<typeof pc.getTransactionReceipt>>["logs"]): void {
      const c = p.ch;
      assert.ok(c !== null && c.disputer !== null);
      const fee = (c.bond * FEE_BPS + 9_999n) / 10_000n;
      const rest = c.bond - fee;
      assert.equal(fee + rest, c.bond, cite(INV.DISPUTE_SPLIT));
      const settled = parseEventLogs({ abi: this.sys.registry.abi, eventName: "DisputeBondsSettled", logs });
      assert.equal(settled.length, 1, cite(INV.DISPUTE_SPLIT, "one settlement"));
      assert.equal(settled[0].args.fee, fee, cite(INV.DISPUTE_SPLIT, "fee"));
      assert.equal(settled[0].args.toWinner, c.bond + rest, cite(INV.DISPUTE_SPLIT, "winner"));
      assert.equal(settled[0].args.fee + settled[0].args.toWinner, 2n * c.bond, cite(INV.DISPUTE_SPLIT, "sum"));
      this.credit(this.actors[6], p.tok, fee);
      if (breached) {
        this.slash(p, c.challenger, c.bond + rest, logs);
      } else {
        this.credit(c.disputer, p.tok, c.bond + rest);
        p.ch = null;
        p.rejected = Math.min(p.rejected + 1, 255);
      }
    }

    slash(p: PledgeM, challenger: Address, challengerCredit: bigint, logs: Awaited<ReturnType<typeof pc.getTransactionReceipt>>["logs"]): void {
      const reward = (p.bond * REWARD_BPS) / 10_000n;
      const rest = p.bond - reward;
      const ev = parseEventLogs({ abi: this.sys.registry.abi, eventName: "PledgeSlashed", logs });
      assert.equal(ev.length, 1, cite(INV.SLASH_SPLIT, "one slash"));
      assert.equal(ev[0].args.challengerReward, reward, cite(INV.SLASH_SPLIT, "reward"));
      assert.equal(ev[0].args.beneficiaryShare, rest, cite(INV.SLASH_SPLIT, "share"));
      assert.equal(ev[0].args.challengerReward + ev[0].args.beneficiaryShare, ev[0].args.bond, cite(INV.SLASH_SPLIT, "sum"));
      assert.equal(ev[0].args.bond, p.bond, cite(INV.SLASH_SPLIT, "bond"));
      this.credit(challenger, p.tok, challengerCredit + reward);
      this.credit(p.beneficiary === zeroAddress ? BURN : p.beneficiary, p.tok, rest);
      p.outcome = 1;
    }

    async voidIt(a: Action, refuse: boolean): Promise<void> {
      const i = this.choose(a, [PledgeState.RulingOverdue], refuse);
      if (i === null) return this.create(a, false);
      return this.voidFor(i, this.player(a.a));
    }

    async voidFor(i: number, caller: Address): Promise<void> {
      const p = this.pledges[i];
      const error = this.unexpected(p, [PledgeState.RulingOverdue]);
      await this.attempt(
        "void",
        error,
        () => this.sys.registry.write.voidChallenge([p.id], { account: this.wallet(caller).account, gas: GAS }),
        [],
        [],
        () => {
          const c = p.ch;
          assert.ok(c !== null && c.disputer !== null);
          this.credit(c.challenger, p.tok, c.bond);
          this.credit(c.disputer, p.tok, c.bond);
          p.ch = null;
        },
        `pledge ${p.id}`,
      );
    }

    async finalize(a: Action, refuse: boolean): Promise<void> {
      const allowed = [PledgeState.Slashable, PledgeState.Releasable];
      const i = this.choose(a, allowed, refuse);
      if (i === null) return this.create(a, false);
      return this.finalizeFor(i, this.player(a.a));
    }

    async finalizeFor(i: number, caller: Address): Promise<void> {
      const allowed = [PledgeState.Slashable, PledgeState.Releasable];
      const p = this.pledges[i];
      const error = this.unexpected(p, allowed);
      await this.attempt(
        "finalize",
        error,
        () => this.sys.registry.write.finalize([p.id], { account: this.wallet(caller).account, gas: GAS }),
        [],
        [],
        (logs) => {
          if (p.ch !== null) {
            this.slash(p, p.ch.challenger, p.ch.bond, logs);
          } else {
            this.credit(p.pledger, p.tok, p.bond);
            p.outcome = 2;
          }
        },
        `pledge ${p.id}`,
      );
    }

    async claim(a: Action, refuse: boolean, forWho?: Address): Promise<void> {
      const owedTokens = [0, 1].filter((k) => this.actors.slice(0, 7).some((x) => this.creditOf(x, k) > 0n));
      const tok = forWho !== undefined || refuse || owedTokens.length === 0 ? a.f % 2 : pick(owedTokens, a.f);
      const keyed = this.actors.slice(0, 7);
      const owed = keyed.filter((x) => this.creditOf(x, tok) > 0n);
      const nothing = keyed.filter((x) => this.creditOf(x, tok) === 0n);
      const who =
        forWho ?? (refuse || owed.length === 0 ? pick(nothing.length > 0 ? nothing : keyed, a.a) : pick(owed, a.a));
      const amount = this.creditOf(who, tok);
      await this.attempt(
        "claim",
        amount === 0n ? "NothingToClaim" : null,
        () => this.sys.registry.write.claim([this.tokens[tok].address, who], { account: this.wallet(who).account, gas: GAS }),
        [
          { who, tok, amount, via: "registry" },
          { who: this.registry, tok, amount: -amount, via: "registry" },
        ],
        [],
        () => {
          this.credits.set(`${who}:${tok}`, 0n);
        },
        `${this.holderName(who)} token ${tok}: ${amount}`,
      );
    }

    async flush(a: Action, refuse: boolean): Promise<void> {
      const burned = [0, 1].filter((k) => this.creditOf(BURN, k) > 0n);
      const tok = refuse || burned.length === 0 ? a.f % 2 : pick(burned, a.f);
      const amount = this.creditOf(BURN, tok);
      await this.attempt(
        "flush",
        amount === 0n ? "NothingToClaim" : null,
        () => this.sys.registry.write.flushBurned([this.tokens[tok].address], { account: this.wallet(this.player(a.a)).account, gas: GAS }),
        [
          { who: BURN, tok, amount, via: "registry" },
          { who: this.registry, tok, amount: -amount, via: "registry" },
        ],
        [],
        () => {
          this.credits.set(`${BURN}:${tok}`, 0n);
        },
        `token ${tok}: ${amount}`,
      );
    }

    async open(a: Action, refuse: boolean): Promise<void> {
      const candidates = this.pledges.map((_, i) => i).filter((i) => this.pledges[i].market === null);
      const activeFree = candidates.filter((i) => this.stateAt(this.pledges[i], this.next) === PledgeState.Active);
      if (this.pledges.length === 0) return this.create(a, false);
      const i = !refuse && activeFree.length > 0 ? pick(activeFree, a.t) : pick(this.pledges.map((_, j) => j), a.t);
      this.touched = i;
      const p = this.pledges[i];
      const sponsor = a.f % 3 === 0 ? p.pledger : this.player(a.a);
      const lowLiquidity = refuse && a.f % 2 === 1;
      // Some markets open at (or just above) the deployment's minimum b, where rounding matters most.
      const tiny = a.f % 5 === 2;
      const liquidity = lowLiquidity
        ? MIN_LIQUIDITY - 1n
        : tiny
          ? MIN_LIQUIDITY + BigInt(a.n % 1_000)
          : this.units(p.tok) * BigInt(5 + (a.n % 300)) + BigInt(a.n % 7);
      const fee = a.n % 1_001;
      const st = this.stateAt(p, this.next);
      let error: string | null = null;
      if (st !== PledgeState.Active) error = "BreachMarketPledgeState";
      else if (lowLiquidity) error = "BreachMarketLiquidityTooLow";
      else if (p.market !== null) error = "UnexpectedConditionState";
      const subsidy = await this.sys.breachMarkets.read.quoteSubsidy([liquidity]);
      const conditionId = await this.sys.breachMarkets.read.conditionOf([p.id]);
      const condIndex = this.conds.length;
      await this.attempt(
        "open",
        error,
        () => this.sys.breachMarkets.write.openMarket([p.id, liquidity, fee], { account: this.wallet(sponsor).account, gas: GAS }),
        [
          { who: sponsor, tok: p.tok, amount: -subsidy, via: "breachMarkets" },
          { who: this.vault, tok: p.tok, amount: subsidy, via: "vault" },
        ],
        [],
        () => {
          p.market = { conditionId, sponsor, subsidy, liquidity, breached: null, withdrawn: false };
          this.conds.push({ id: conditionId, tok: p.tok, pledge: i, locked: subsidy, payouts: null, redemptions: 0 });
        },
        `pledge ${p.id} b ${liquidity} by ${this.holderName(sponsor)}`,
      );
      // The new condition's positions were not in the "before" snapshot: check the maker's inventory here.
      if (this.conds.length > condIndex) {
        const m = this.snap.conds[condIndex];
        assert.equal(m.bals[0][this.posHolders.indexOf(this.maker)], subsidy, cite(INV.MODEL, "maker inventory at opening"));
      }
    }

    async affiliates(a: Action, refuse: boolean): Promise<void> {
      if (this.pledges.length === 0) return this.create(a, false);
      const i = pick(this.pledges.map((_, j) => j), a.t);
      this.touched = i;
      const p = this.pledges[i];
      const others = this.actors.filter((x) => x !== p.pledger && x !== this.donor);
      let affiliate = pick(others, a.a);
      let caller = p.pledger;
      let error: string | null = null;
      if (refuse && a.f % 2 === 0) {
        caller = pick(others.filter((x) => x !== this.R), a.a);
        error = "BreachMarketCallerNotPledger";
      } else if (p.market !== null && (refuse || a.f % 4 === 1) && p.market.sponsor !== p.pledger) {
        affiliate = p.market.sponsor;
        error = "BreachMarketAffiliateIsSponsor";
      } else if (p.market !== null && affiliate === p.market.sponsor) {
        error = "BreachMarketAffiliateIsSponsor";
      }
      await this.attempt(
        "affiliates",
        error,
        () => this.sys.breachMarkets.write.declareAffiliates([p.id, [affiliate]], { account: this.wallet(caller).account, gas: GAS }),
        [],
        [],
        () => {
          p.affiliates.add(affiliate);
        },
        `pledge ${p.id}: ${this.holderName(affiliate)}`,
      );
    }

    /** Pledges with a market whose condition is unresolved, preferring those whose pledge is Active. */
    chooseMarket(a: Action, refuse: boolean): number | null {
      const withMarket = this.pledges.map((_, i) => i).filter((i) => this.pledges[i].market !== null);
      if (withMarket.length === 0) return null;
      const trading = withMarket.filter(
        (i) => this.pledges[i].market?.breached === null && this.stateAt(this.pledges[i], this.next) === PledgeState.Active,
      );
      const i = !refuse && trading.length > 0 ? pick(trading, a.t) : pick(withMarket, a.t);
      this.touched = i;
      return i;
    }

    async buy(a: Action, refuse: boolean, malicious: boolean): Promise<void> {
      const i = this.chooseMarket(a, refuse);
      if (i === null) return this.openOrCreate(a);
      const p = this.pledges[i];
      assert.ok(p.market !== null);
      const ci = this.condOf(p);
      const cid = p.market.conditionId;
      if (malicious) {
        // Armed first (its own block), so the buy below is modelled at the second it is mined: the receiver's
        // hook will re-enter the maker with a second buy, which must be refused.
        const inner = encodeFunctionData({
          abi: this.sys.maker.abi,
          functionName: "buy",
          args: [cid, HONOR, 1n, 2n ** 128n, 2n ** 64n, this.R],
        });
        await this.sideTx(() => this.receiver.write.arm([this.sys.maker.address, inner], { account: gW.account }));
      }
      let trader = malicious ? this.R : this.player(a.a);
      let outcome = BigInt(a.f % 2);
      // A declared affiliate receiver buys HONOR (its BREACH buys are refused attempts of `buy`).
      if (malicious && this.isHedger(p, this.R)) outcome = HONOR;
      let recipient = trader;
      if (!malicious && !refuse && outcome === BREACH && this.isHedger(p, trader)) {
        trader = [this.actors[3], this.actors[4], this.actors[2], this.actors[1]].find((x) => !this.isHedger(p, x)) ?? trader;
        recipient = trader;
      }
      // Mostly a fraction of b up to 1.5 b; sometimes a few wei.
      const amount =
        a.f % 7 === 3 ? 1n + BigInt(a.n % 5) : (p.market.liquidity * BigInt(1 + (a.n % 150))) / 100n + BigInt(a.n % 11) + 1n;
      let deadline = this.next + 600n;
      let variant = "";
      if (refuse) {
        const v = a.f % 3;
        if (v === 0) {
          variant = "self-hedge";
          outcome = BREACH;
          if (a.a % 2 === 0) trader = p.pledger;
          else recipient = p.pledger;
        } else if (v === 1) {
          variant = "deadline";
          deadline = this.next - 1n;
        } else variant = "maxCost";
      }
      const st = this.stateAt(p, this.next);
      const resolved = p.market.breached !== null;
      let error: string | null = null;
      if (deadline < this.next) error = "TradeDeadlinePassed";
      else if (resolved) error = "UnexpectedMarketState";
      else if (st !== PledgeState.Active) error = "BreachMarketPledgeState";
      else if (outcome === BREACH && (this.isHedger(p, trader) || this.isHedger(p, recipient))) error = "BreachMarketSelfHedge";
      let cost = 0n;
      let maxCost = 2n ** 200n;
      if (!resolved) {
        const [c, fee] = await this.sys.maker.read.quoteBuy([cid, outcome, amount]);
        cost = c + fee;
        maxCost = cost;
        if (variant === "maxCost") {
          maxCost = cost - 1n;
          if (error === null) error = "TradeMaxCostExceeded";
        }
      }
      const m = this.marketOf(ci).m;
      const held = m.sets - m.sold[Number(outcome)];
      const shortfall = amount > held ? amount - held : 0n;
      const o = Number(outcome);
      const args = [cid, outcome, amount, maxCost, deadline, recipient] as const;
      const moves: Move[] = [
        { who: trader, tok: p.tok, amount: -cost, via: "maker" },
        { who: this.maker, tok: p.tok, amount: cost - shortfall, via: "maker" },
        { who: this.vault, tok: p.tok, amount: shortfall, via: "vault" },
      ];
      const posMoves: PosMove[] = [
        { who: recipient, cond: ci, outcome: o, amount },
        { who: this.maker, cond: ci, outcome: o, amount: shortfall - amount },
        { who: this.maker, cond: ci, outcome: 1 - o, amount: shortfall },
      ];
      const soldBefore = m.sold[o];
      const apply = (): void => {
        this.conds[ci].locked += shortfall;
      };
      if (malicious) {
        // The receiver buys for itself (armed above).
        const ok = await this.attempt(
          "malBuy",
          error,
          () =>
            this.receiver.write.execute([this.sys.maker.address, encodeFunctionData({ abi: this.sys.maker.abi, functionName: "buy", args })], {
              account: gW.account,
              gas: GAS,
            }),
          moves,
          posMoves,
          apply,
          `pledge ${p.id} outcome ${o} x${amount}`,
        );
        if (ok) {
          assert.equal(await this.receiver.read.reentered(), true, cite(INV.REENTRY, "hook ran"));
          assert.equal(await this.receiver.read.reentrySucceeded(), false, cite(INV.REENTRY, "maker re-entered"));
          this.checkReentryError(await this.receiver.read.reentryReturnData());
        }
      } else {
        const ok = await this.attempt(
          "buy",
          error,
          () => this.sys.maker.write.buy([...args], { account: this.wallet(trader).account, gas: GAS }),
          moves,
          posMoves,
          apply,
          `${this.holderName(trader)}->${this.holderName(recipient)} pledge ${p.id} outcome ${o} x${amount} ${variant}`,
        );
        if (!ok) return;
      }
      if (error === null) {
        const after = this.marketOf(ci).m.sold[o];
        assert.equal(after - soldBefore, amount, cite(INV.MAKER_INVENTORY, "sold moves by the shares bought"));
      }
    }

    checkReentryError(data: Hex): void {
      assert.equal(this.decodeName(data), "ReentrancyGuardReentrantCall", cite(INV.REENTRY, "refused by the reentrancy guard"));
    }

    /** A transaction outside the model's actions (arming the receiver), mined at the next second. */
    async sideTx(tx: () => Promise<Hex>): Promise<void> {
      await time.setNextBlockTimestamp(this.next);
      const hash = await tx();
      const receipt = await pc.getTransactionReceipt({ hash });
      assert.equal(receipt.status, "success");
      this.last = this.next;
      this.next = this.last + 1n;
    }

    async openOrCreate(a: Action): Promise<void> {
      const active = this.pledges.filter((p) => p.market === null && this.stateAt(p, this.next) === PledgeState.Active);
      if (active.length > 0) return this.open(a, false);
      return this.create(a, false);
    }

    /** Sellers of a market: an actor holding shares the maker sold (at most sold[outcome]), not self-hedging. */
    sellers(p: PledgeM): { who: Address; o: number; max: bigint }[] {
      const ci = this.condOf(p);
      const m = this.marketOf(ci).m;
      const out: { who: Address; o: number; max: bigint }[] = [];
      for (const who of this.actors.slice(1, 5)) {
        for (const o of [0, 1]) {
          const h = this.pos(who, ci, o);
          const max = h < m.sold[o] ? h : m.sold[o];
          if (max > 0n && !(o === 1 && this.isHedger(p, who))) out.push({ who, o, max });
        }
      }
      return out;
    }

    async sell(a: Action, refuse: boolean): Promise<void> {
      const able = this.pledges
        .map((_, j) => j)
        .filter((j) => {
          const q = this.pledges[j];
          return q.market !== null && q.market.breached === null && this.stateAt(q, this.next) === PledgeState.Active && this.sellers(q).length > 0;
        });
      const i = !refuse && able.length > 0 ? pick(able, a.t) : this.chooseMarket(a, refuse);
      if (i === null) return this.openOrCreate(a);
      this.touched = i;
      const p = this.pledges[i];
      assert.ok(p.market !== null);
      const ci = this.condOf(p);
      const cid = p.market.conditionId;
      const m = this.marketOf(ci).m;
      const cands = this.sellers(p);
      let seller: Address;
      let o: number;
      let amount: bigint;
      if (cands.length === 0) {
        seller = this.player(a.a);
        o = a.f % 2;
        amount = 1n + BigInt(a.n % 1000);
      } else {
        const c = pick(cands, a.a);
        seller = c.who;
        o = c.o;
        amount = 1n + (BigInt(a.n) * c.max) / 1_000_000n;
        if (amount > c.max) amount = c.max;
      }
      const recipient = refuse && a.f % 2 === 0 ? p.pledger : seller;
      const st = this.stateAt(p, this.next);
      const resolved = p.market.breached !== null;
      let error: string | null = null;
      if (resolved) error = "UnexpectedMarketState";
      else if (st !== PledgeState.Active) error = "BreachMarketPledgeState";
      else if (o === 1 && (this.isHedger(p, seller) || this.isHedger(p, recipient))) error = "BreachMarketSelfHedge";
      else if (amount > m.sold[o]) error = "LmsrSellExceedsOutstanding";
      else if (amount > this.pos(seller, ci, o)) error = "ERC1155InsufficientBalance";
      let proceeds = 0n;
      if (!resolved && amount <= m.sold[o]) {
        [proceeds] = await this.sys.maker.read.quoteSell([cid, BigInt(o), amount]);
      }
      const merged = proceeds > m.cash ? proceeds - m.cash : 0n;
      await this.attempt(
        "sell",
        error,
        () =>
          this.sys.maker.write.sell([cid, BigInt(o), amount, proceeds, this.next + 600n, recipient], {
            account: this.wallet(seller).account,
            gas: GAS,
          }),
        [
          { who: recipient, tok: p.tok, amount: proceeds, via: "maker" },
          { who: this.maker, tok: p.tok, amount: merged - proceeds, via: "maker" },
          { who: this.vault, tok: p.tok, amount: -merged, via: "vault" },
        ],
        [
          { who: seller, cond: ci, outcome: o, amount: -amount },
          { who: this.maker, cond: ci, outcome: o, amount: amount - merged },
          { who: this.maker, cond: ci, outcome: 1 - o, amount: -merged },
        ],
        () => {
          this.conds[ci].locked -= merged;
          // The rules grant the recipient the quoted proceeds of the sale.
          this.addGain(recipient, "maker", p.tok, "granted", proceeds);
        },
        `${this.holderName(seller)}->${this.holderName(recipient)} pledge ${p.id} outcome ${o} x${amount} for ${proceeds}`,
      );
    }

    async split(a: Action, refuse: boolean, malicious: boolean): Promise<void> {
      const withMarket = this.pledges.map((_, i) => i).filter((i) => this.pledges[i].market !== null);
      if (withMarket.length === 0) return this.openOrCreate(a);
      const prepared = withMarket.filter((i) => this.pledges[i].market?.breached === null);
      const i = !refuse && prepared.length > 0 ? pick(prepared, a.t) : pick(withMarket, a.t);
      this.touched = i;
      const p = this.pledges[i];
      assert.ok(p.market !== null);
      const ci = this.condOf(p);
      const who = malicious ? this.R : this.player(a.a);
      const zero = refuse && a.f % 2 === 0;
      const amount = zero ? 0n : this.units(p.tok) * BigInt(1 + (a.n % 50)) + BigInt(a.n % 9);
      let error: string | null = null;
      if (zero) error = "AmountZero";
      else if (p.market.breached !== null) error = "UnexpectedConditionState";
      const token = this.tokens[p.tok].address;
      const args = [token, 0n, p.market.conditionId, amount] as const;
      const moves: Move[] = [
        { who, tok: p.tok, amount: -amount, via: "vault" },
        { who: this.vault, tok: p.tok, amount, via: "vault" },
      ];
      const posMoves: PosMove[] = [
        { who, cond: ci, outcome: 0, amount },
        { who, cond: ci, outcome: 1, amount },
      ];
      const apply = (): void => {
        this.conds[ci].locked += amount;
      };
      if (malicious) {
        // The receiver splits; its batch-mint hook re-enters the vault (a merge), which must be refused.
        const inner = encodeFunctionData({ abi: this.sys.vault.abi, functionName: "merge", args: [token, 0n, p.market.conditionId, 1n] });
        await this.sideTx(() => this.receiver.write.arm([this.sys.vault.address, inner], { account: gW.account }));
        const ok = await this.attempt(
          "malSplit",
          error,
          () =>
            this.receiver.write.execute([this.sys.vault.address, encodeFunctionData({ abi: this.sys.vault.abi, functionName: "split", args })], {
              account: gW.account,
              gas: GAS,
            }),
          moves,
          posMoves,
          apply,
          `pledge ${p.id} x${amount}`,
        );
        if (ok) {
          assert.equal(await this.receiver.read.reentrySucceeded(), false, cite(INV.REENTRY, "vault re-entered"));
          this.checkReentryError(await this.receiver.read.reentryReturnData());
        }
        return;
      }
      await this.attempt(
        "split",
        error,
        () => this.sys.vault.write.split([...args], { account: this.wallet(who).account, gas: GAS }),
        moves,
        posMoves,
        apply,
        `${this.holderName(who)} pledge ${p.id} x${amount}`,
      );
    }

    async merge(a: Action, refuse: boolean): Promise<void> {
      const withMarket = this.pledges.map((_, i) => i).filter((i) => this.pledges[i].market !== null);
      if (withMarket.length === 0) return this.openOrCreate(a);
      type Cand = { i: number; who: Address; max: bigint };
      const cands: Cand[] = [];
      for (const i of withMarket) {
        const ci = this.condOf(this.pledges[i]);
        for (const who of this.actors.slice(1, 5)) {
          const b0 = this.pos(who, ci, 0);
          const b1 = this.pos(who, ci, 1);
          const max = b0 < b1 ? b0 : b1;
          if (max > 0n && (refuse || this.pledges[i].market?.breached === null)) cands.push({ i, who, max });
        }
      }
      if (cands.length === 0) return this.split(a, false, false);
      const c = pick(cands, a.t);
      this.touched = c.i;
      const p = this.pledges[c.i];
      assert.ok(p.market !== null);
      const ci = this.condOf(p);
      let amount = 1n + (BigInt(a.n) * c.max) / 1_000_000n;
      if (amount > c.max) amount = c.max;
      const error = p.market.breached !== null ? "UnexpectedConditionState" : null;
      await this.attempt(
        "merge",
        error,
        () =>
          this.sys.vault.write.merge([this.tokens[p.tok].address, 0n, p.market?.conditionId ?? "0x", amount], {
            account: this.wallet(c.who).account,
            gas: GAS,
          }),
        [
          { who: c.who, tok: p.tok, amount, via: "vault" },
          { who: this.vault, tok: p.tok, amount: -amount, via: "vault" },
        ],
        [
          { who: c.who, cond: ci, outcome: 0, amount: -amount },
          { who: c.who, cond: ci, outcome: 1, amount: -amount },
        ],
        () => {
          this.conds[ci].locked -= amount;
          // A full set is worth one unit of collateral: the merge grants its amount.
          this.addGain(c.who, "vault", p.tok, "granted", amount);
        },
        `${this.holderName(c.who)} pledge ${p.id} x${amount}`,
      );
    }

    async resolve(a: Action, refuse: boolean): Promise<void> {
      const fixed = FIXED;
      const withMarket = this.pledges.map((_, i) => i).filter((i) => this.pledges[i].market !== null);
      const ready = withMarket.filter(
        (i) => this.pledges[i].market?.breached === null && fixed.includes(this.stateAt(this.pledges[i], this.next)),
      );
      if (this.pledges.length === 0) return this.create(a, false);
      const i = !refuse && ready.length > 0 ? pick(ready, a.t) : pick(refuse || withMarket.length === 0 ? this.pledges.map((_, j) => j) : withMarket, a.t);
      this.touched = i;
      return this.resolveFor(i, this.player(a.a));
    }

    async resolveFor(i: number, caller: Address): Promise<void> {
      const fixed = FIXED;
      const p = this.pledges[i];
      const st = this.stateAt(p, this.next);
      let error: string | null = null;
      if (p.market === null) error = "BreachMarketNotOpened";
      else if (!fixed.includes(st)) error = "BreachMarketPledgeState";
      else if (p.market.breached !== null) error = "UnexpectedConditionState";
      const breached = st === PledgeState.Breached || st === PledgeState.Slashable;
      await this.attempt(
        "resolve",
        error,
        () => this.sys.breachMarkets.write.resolve([p.id], { account: this.wallet(caller).account, gas: GAS }),
        [],
        [],
        () => {
          assert.ok(p.market !== null);
          p.market.breached = breached;
          this.conds[this.condOf(p)].payouts = breached ? [1n, 0n] : [0n, 1n];
        },
        `pledge ${p.id} in ${stateName(st)}`,
      );
    }

    async redeem(a: Action, refuse: boolean): Promise<void> {
      const resolved = this.conds.map((_, i) => i).filter((i) => this.conds[i].payouts !== null);
      const unresolved = this.conds.map((_, i) => i).filter((i) => this.conds[i].payouts === null);
      if (this.conds.length === 0) return this.openOrCreate(a);
      const nestedReady = this.nests.flatMap((n, i) =>
        this.conds[n.child].payouts === null
          ? []
          : this.actors
              .slice(1, 5)
              .filter((w) => this.snap.nests[i][0][this.posHolders.indexOf(w)] + this.snap.nests[i][1][this.posHolders.indexOf(w)] > 0n)
              .map((w) => ({ w, i })),
      );
      if (!refuse && nestedReady.length > 0 && a.f % 2 === 0) {
        const x = pick(nestedReady, a.a);
        return this.redeemNested(x.w, x.i, this.nests[x.i]);
      }
      const ci = !refuse && resolved.length > 0 ? pick(resolved, a.t) : pick(unresolved.length > 0 ? unresolved : resolved, a.t);
      const c = this.conds[ci];
      this.touched = c.pledge;
      const holders = this.actors.slice(1, 5).filter((x) => this.pos(x, ci, 0) + this.pos(x, ci, 1) > 0n);
      const who = holders.length > 0 ? pick(holders, a.a) : this.player(a.a);
      return this.redeemFor(who, ci, "redeem");
    }

    async redeemFor(who: Address, ci: number, kind: Kind): Promise<void> {
      const c = this.conds[ci];
      const b0 = this.pos(who, ci, 0);
      const b1 = this.pos(who, ci, 1);
      const error = c.payouts === null ? "UnexpectedConditionState" : null;
      const payouts = c.payouts ?? [0n, 0n];
      const den = payouts[0] + payouts[1];
      const payout = den === 0n ? 0n : (b0 * payouts[0] + b1 * payouts[1]) / den;
      const token = this.tokens[c.tok].address;
      const call = encodeFunctionData({ abi: this.sys.vault.abi, functionName: "redeem", args: [token, 0n, c.id] });
      await this.attempt(
        kind,
        error,
        () =>
          who === this.R
            ? this.receiver.write.execute([this.sys.vault.address, call], { account: gW.account, gas: GAS })
            : this.sys.vault.write.redeem([token, 0n, c.id], { account: this.wallet(who).account, gas: GAS }),
        [
          { who, tok: c.tok, amount: payout, via: "vault" },
          { who: this.vault, tok: c.tok, amount: -payout, via: "vault" },
        ],
        [
          { who, cond: ci, outcome: 0, amount: -b0 },
          { who, cond: ci, outcome: 1, amount: -b1 },
        ],
        () => {
          c.locked -= payout;
          c.redemptions++;
          this.addGain(who, "vault", c.tok, "granted", payout);
        },
        `${this.holderName(who)} condition ${ci}: ${payout}`,
      );
    }

    async withdraw(a: Action, refuse: boolean): Promise<void> {
      const withMarket = this.pledges.map((_, i) => i).filter((i) => this.pledges[i].market !== null);
      if (withMarket.length === 0) return this.openOrCreate(a);
      const ready = withMarket.filter((i) => this.pledges[i].market?.breached !== null && this.pledges[i].market?.withdrawn === false);
      const i = !refuse && ready.length > 0 ? pick(ready, a.t) : pick(withMarket, a.t);
      this.touched = i;
      const p = this.pledges[i];
      assert.ok(p.market !== null);
      const notSponsor = refuse && a.f % 2 === 0;
      const caller = notSponsor ? (p.market.sponsor === this.actors[3] ? this.actors[4] : this.actors[3]) : p.market.sponsor;
      return this.withdrawFor(p, caller, "withdraw");
    }

    async withdrawFor(p: PledgeM, caller: Address, kind: Kind): Promise<void> {
      const mk = p.market;
      assert.ok(mk !== null);
      const ci = this.condOf(p);
      let error: string | null = null;
      if (caller !== mk.sponsor) error = "BreachMarketCallerNotSponsor";
      else if (mk.breached === null || mk.withdrawn) error = "UnexpectedMarketState";
      const m = this.marketOf(ci).m;
      const w = mk.breached === true ? 0 : 1;
      const inventory = mk.breached === null || mk.withdrawn ? 0n : m.sets - m.sold[w];
      const received = mk.withdrawn ? 0n : m.cash + inventory;
      const hedger = this.isHedger(p, mk.sponsor);
      const toBeneficiary = mk.breached === true && hedger && received > mk.subsidy ? received - mk.subsidy : 0n;
      const amount = received - toBeneficiary;
      const beneficiary = p.beneficiary === zeroAddress ? BURN : p.beneficiary;
      const makerIdx = this.posHolders.indexOf(this.maker);
      const inv0 = this.snap.conds[ci].bals[0][makerIdx];
      const inv1 = this.snap.conds[ci].bals[1][makerIdx];
      await this.attempt(
        kind,
        error,
        () => this.sys.breachMarkets.write.withdrawSubsidy([p.id, caller], { account: this.wallet(caller).account, gas: GAS }),
        [
          { who: caller, tok: p.tok, amount, via: "breachMarkets" },
          { who: beneficiary, tok: p.tok, amount: toBeneficiary, via: "breachMarkets" },
          { who: this.maker, tok: p.tok, amount: -m.cash, via: "maker" },
          { who: this.vault, tok: p.tok, amount: -inventory, via: "vault" },
        ],
        [
          { who: this.maker, cond: ci, outcome: 0, amount: -inv0 },
          { who: this.maker, cond: ci, outcome: 1, amount: -inv1 },
        ],
        () => {
          mk.withdrawn = true;
          this.conds[ci].locked -= inventory;
          this.conds[ci].redemptions++;
          // The rules grant the sponsor what is left of its market (capped for a hedging sponsor of a breach).
          this.addGain(caller, "breachMarkets", p.tok, "granted", amount);
          if (toBeneficiary > 0n && beneficiary !== BURN) this.addGain(beneficiary, "breachMarkets", p.tok, "granted", toBeneficiary);
        },
        `pledge ${p.id} by ${this.holderName(caller)}: ${amount} (+${toBeneficiary} to beneficiary)`,
      );
    }

    async donate(a: Action): Promise<void> {
      const tok = a.f % 2;
      const to = pick([this.registry, this.vault, this.maker, this.bm], a.t);
      const amount = BigInt(1 + (a.n % 1000)) * (a.r % 2 === 0 ? 1n : this.units(tok));
      await this.attempt(
        "donate",
        null,
        () => this.tokens[tok].write.transfer([to, amount], { account: gW.account, gas: GAS }),
        [
          { who: this.donor, tok, amount: -amount, via: "donation" },
          { who: to, tok, amount, via: "donation" },
        ],
        [],
        () => {
          this.donations.set(`${to}:${tok}`, this.donated(to, tok) + amount);
        },
        `${this.holderName(to)} token ${tok}: ${amount}`,
      );
    }

    async warp(a: Action): Promise<void> {
      this.next = this.last + 1n + BigInt(a.n % 120);
      this.countSimulated("warp");
    }

    /** Jumps so that the next transaction lands on a pending deadline second, or one before or after it. */
    async warpDeadline(a: Action): Promise<void> {
      const future = this.deadlines();
      if (future.length === 0) return this.warp(a);
      const d = pick(future, a.t);
      // On its own: the deadline second, or one either side. As a prerequisite: the deadline itself.
      const target = d.t + (this.warpFilter === null ? BigInt((a.f % 3) - 1) : 0n);
      this.next = target > this.last ? target : this.last + 1n;
      this.touched = d.i;
      this.countSimulated("warpDeadline");
    }

    // ============================================================ nested positions

    /** (actor, parent condition, parent outcome, child condition, max): top-level positions that can be split on another prepared condition. */
    nestCandidates(): { who: Address; parent: number; po: number; child: number; max: bigint }[] {
      const out: { who: Address; parent: number; po: number; child: number; max: bigint }[] = [];
      this.conds.forEach((c, parent) => {
        for (const who of this.actors.slice(1, 5)) {
          for (const po of [0, 1]) {
            const max = this.pos(who, parent, po);
            if (max === 0n) continue;
            this.conds.forEach((d, child) => {
              // The parent's collateral names the nested ids; the vault lets any prepared condition nest under it.
              if (child !== parent && d.payouts === null) out.push({ who, parent, po, child, max });
            });
          }
        }
      });
      return out;
    }

    unnestCandidates(): { who: Address; n: number; max: bigint }[] {
      const out: { who: Address; n: number; max: bigint }[] = [];
      this.nests.forEach((n, i) => {
        if (this.conds[n.child].payouts !== null) return;
        for (const who of this.actors.slice(1, 5)) {
          const h = this.posHolders.indexOf(who);
          const b0 = this.snap.nests[i][0][h];
          const b1 = this.snap.nests[i][1][h];
          const max = b0 < b1 ? b0 : b1;
          if (max > 0n) out.push({ who, n: i, max });
        }
      });
      return out;
    }

    async nestOf(parent: number, po: number, child: number): Promise<number> {
      const i = this.nests.findIndex((n) => n.parent === parent && n.po === po && n.child === child);
      if (i >= 0) return i;
      const token = this.tokens[this.conds[parent].tok].address;
      const parentId = this.snap.conds[parent].ids[po];
      const childId = this.conds[child].id;
      const ids = [
        await this.sys.vault.read.positionId([token, parentId, childId, 0n]),
        await this.sys.vault.read.positionId([token, parentId, childId, 1n]),
      ] as const;
      this.nests.push({ parent, po, child, locked: 0n, ids, redemptions: 0 });
      // A new set holds nothing yet: extend the snapshot so the next attempt compares it.
      this.snap = await this.read();
      return this.nests.length - 1;
    }

    /** Splits a top-level position on another prepared condition (burn the parent, mint the nested set). */
    async nest(a: Action, refuse: boolean): Promise<void> {
      const cands = this.nestCandidates();
      if (cands.length === 0) return this.split(a, false, false);
      const c = pick(cands, a.t);
      this.touched = this.conds[c.parent].pledge;
      const ni = await this.nestOf(c.parent, c.po, c.child);
      const n = this.nests[ni];
      const tooMuch = refuse && a.f % 2 === 0;
      let amount = tooMuch ? c.max + 1n : 1n + (BigInt(a.n) * c.max) / 1_000_000n;
      if (!tooMuch && amount > c.max) amount = c.max;
      const error = tooMuch ? "ERC1155InsufficientBalance" : null;
      const token = this.tokens[this.conds[c.parent].tok].address;
      const parentId = this.snap.conds[c.parent].ids[c.po];
      await this.attempt(
        "nest",
        error,
        () => this.sys.vault.write.split([token, parentId, this.conds[c.child].id, amount], { account: this.wallet(c.who).account, gas: GAS }),
        [],
        [
          { who: c.who, cond: c.parent, outcome: c.po, amount: -amount },
          { who: c.who, nested: true, cond: ni, outcome: 0, amount },
          { who: c.who, nested: true, cond: ni, outcome: 1, amount },
        ],
        () => {
          n.locked += amount;
        },
        `${this.holderName(c.who)} ${amount} of ${c.parent}/${c.po} on ${c.child}`,
      );
    }

    /** Merges a nested set back into its parent position (or, once the child resolved, is refused). */
    async unnest(a: Action, refuse: boolean): Promise<void> {
      let cands = this.unnestCandidates();
      let resolvedChild = false;
      if (refuse || cands.length === 0) {
        // Holders of a nested set whose child condition resolved: merging is refused, they redeem instead.
        const late = this.nests.flatMap((n, i) =>
          this.conds[n.child].payouts === null
            ? []
            : this.actors.slice(1, 5).flatMap((who) => {
                const h = this.posHolders.indexOf(who);
                const max = this.snap.nests[i][0][h] < this.snap.nests[i][1][h] ? this.snap.nests[i][0][h] : this.snap.nests[i][1][h];
                return max > 0n ? [{ who, n: i, max }] : [];
              }),
        );
        if (late.length > 0) {
          cands = late;
          resolvedChild = true;
        }
      }
      if (cands.length === 0) return this.nest(a, false);
      const c = pick(cands, a.t);
      const n = this.nests[c.n];
      this.touched = this.conds[n.parent].pledge;
      let amount = 1n + (BigInt(a.n) * c.max) / 1_000_000n;
      if (amount > c.max) amount = c.max;
      const token = this.tokens[this.conds[n.parent].tok].address;
      const parentId = this.snap.conds[n.parent].ids[n.po];
      await this.attempt(
        "unnest",
        resolvedChild ? "UnexpectedConditionState" : null,
        () => this.sys.vault.write.merge([token, parentId, this.conds[n.child].id, amount], { account: this.wallet(c.who).account, gas: GAS }),
        [],
        [
          { who: c.who, cond: n.parent, outcome: n.po, amount },
          { who: c.who, nested: true, cond: c.n, outcome: 0, amount: -amount },
          { who: c.who, nested: true, cond: c.n, outcome: 1, amount: -amount },
        ],
        () => {
          n.locked -= amount;
        },
        `${this.holderName(c.who)} ${amount} of set ${c.n}`,
      );
    }

    /** Redeems a holder's nested set (its child condition resolved): the payout is minted as the parent position. */
    async redeemNested(who: Address, ni: number, n: NestM): Promise<void> {
      const h = this.posHolders.indexOf(who);
      const b0 = this.snap.nests[ni][0][h];
      const b1 = this.snap.nests[ni][1][h];
      const payouts = this.conds[n.child].payouts;
      const error = payouts === null ? "UnexpectedConditionState" : null;
      const den = payouts === null ? 0n : payouts[0] + payouts[1];
      const payout = payouts === null ? 0n : (b0 * payouts[0] + b1 * payouts[1]) / den;
      const token = this.tokens[this.conds[n.parent].tok].address;
      const parentId = this.snap.conds[n.parent].ids[n.po];
      await this.attempt(
        "redeem",
        error,
        () => this.sys.vault.write.redeem([token, parentId, this.conds[n.child].id], { account: this.wallet(who).account, gas: GAS }),
        [],
        [
          { who, cond: n.parent, outcome: n.po, amount: payout },
          { who, nested: true, cond: ni, outcome: 0, amount: -b0 },
          { who, nested: true, cond: ni, outcome: 1, amount: -b1 },
        ],
        () => {
          n.locked -= payout;
          n.redemptions++;
        },
        `nested set ${ni} by ${this.holderName(who)}: ${payout}`,
      );
    }

    // ============================================================ end step

    async end(): Promise<void> {
      this.inEnd = true;
      const none: Action = { kind: "warp", a: 0, t: 0, n: 0, f: 0, r: 99 };
      // 1. Disputes still within their ruling window: the committee rules (alternating outcomes).
      for (const [cid, t] of this.tallies) {
        const p = this.pledges[t.pledge];
        if (t.ruled || p.ch === null || p.ch.id !== cid || this.stateAt(p, this.next) !== PledgeState.Disputed) continue;
        const breached = p.id % 2n === 0n;
        for (const m of memberAddrs) {
          if (t.ruled || this.stateAt(p, this.next) !== PledgeState.Disputed) break;
          if (t.voted.has(m)) continue;
          // Vote the side that has not yet been voted twice.
          const side = (breached ? t.votes[0] : t.votes[1]) < 2 ? breached : !breached;
          const count = (side ? t.votes[0] : t.votes[1]) + 1;
          const rules = count === 2;
          await this.attempt(
            "vote",
            null,
            () => this.sys.committee.write.vote([cid, side], { account: this.wallet(m).account, gas: GAS }),
            [],
            [],
            (logs) => {
              t.voted.add(m);
              t.votes[side ? 0 : 1]++;
              if (rules) {
                t.ruled = true;
                this.applyRuling(p, side, logs);
              }
            },
            `end: challenge ${cid}`,
          );
        }
      }
      // 2. Past every deadline.
      let latest = this.next;
      for (const p of this.pledges) {
        const ds = [p.expiry + p.grace];
        if (p.ch !== null) ds.push(p.ch.at + p.liveness, p.ch.disputedAt + TIMEOUT);
        for (const d of ds) if (d + 1n > latest) latest = d + 1n;
      }
      this.next = latest;
      // 3. Void overdue disputes, finalize every pledge.
      for (const [i, p] of this.pledges.entries()) {
        if (this.stateAt(p, this.next) === PledgeState.RulingOverdue) await this.voidFor(i, this.actors[3]);
        const st = this.stateAt(p, this.next);
        if (st === PledgeState.Slashable || st === PledgeState.Releasable) await this.finalizeFor(i, this.actors[4]);
        assert.ok(p.outcome !== 0, cite(INV.END, `pledge ${p.id} final`));
      }
      // 4. Resolve every market, redeem every position, withdraw every subsidy.
      for (const [i, p] of this.pledges.entries()) {
        if (p.market !== null && p.market.breached === null) await this.resolveFor(i, this.actors[3]);
      }
      for (const [ni, n] of this.nests.entries()) {
        for (const who of this.actors.slice(1, 5)) {
          if (this.snap.nests[ni][0][this.posHolders.indexOf(who)] + this.snap.nests[ni][1][this.posHolders.indexOf(who)] > 0n) {
            await this.redeemNested(who, ni, n);
          }
        }
      }
      for (const [ci] of this.conds.entries()) {
        for (const who of this.actors) {
          if (this.pos(who, ci, 0) + this.pos(who, ci, 1) > 0n) await this.redeemFor(who, ci, "redeem");
        }
      }
      for (const p of this.pledges) {
        if (p.market !== null && !p.market.withdrawn) await this.withdrawFor(p, p.market.sponsor, "withdraw");
      }
      // 5. Every claim, then flush the burned amounts.
      for (const who of this.actors.slice(0, 7)) {
        for (let tok = 0; tok < this.tokens.length; tok++) {
          if (this.creditOf(who, tok) > 0n) await this.claim({ ...none, f: tok }, false, who);
        }
      }
      for (let tok = 0; tok < this.tokens.length; tok++) {
        if (this.creditOf(BURN, tok) > 0n) await this.flush({ ...none, f: tok }, false);
      }
      // SYS-END-1
      const s = this.snap;
      for (let k = 0; k < this.tokens.length; k++) {
        assert.equal(s.bal[k][this.holders.indexOf(this.registry)], this.donated(this.registry, k), cite(INV.END, `registry token ${k}`));
        assert.equal(s.bal[k][this.holders.indexOf(this.maker)], this.donated(this.maker, k), cite(INV.END, `maker token ${k}`));
        assert.equal(s.bal[k][this.holders.indexOf(this.bm)], this.donated(this.bm, k), cite(INV.END, `breachMarkets token ${k}`));
        const dust = this.conds.filter((c) => c.tok === k).reduce((a, c) => a + c.locked, 0n);
        const redemptions = this.conds.filter((c) => c.tok === k).reduce((a, c) => a + c.redemptions, 0);
        assert.ok(dust >= 0n && dust <= BigInt(redemptions), cite(INV.END, `vault dust ${dust} token ${k}`));
        assert.equal(s.bal[k][this.holders.indexOf(this.vault)], this.donated(this.vault, k) + dust, cite(INV.END, `vault token ${k}`));
        s.claim[k].forEach((c, i) => assert.equal(c, 0n, cite(INV.END, `claimable of ${this.holderName(this.claimants[i])}`)));
      }
      s.conds.forEach((c, i) => {
        for (const o of [0, 1]) assert.ok(c.bals[o].every((b) => b === 0n), cite(INV.END, `positions left in condition ${i}`));
      });
      s.nests.forEach((n, i) => {
        for (const o of [0, 1]) assert.ok(n[o].every((b) => b === 0n), cite(INV.END, `nested positions left in set ${i}`));
      });
      this.actors.forEach((a, i) => {
        for (let k = 0; k < this.tokens.length; k++) {
          const g = this.ghost.get(`${a}:${k}`) ?? { gains: 0n, losses: 0n };
          assert.equal(s.bal[k][i] - this.initial[k][i], g.gains - g.losses, cite(INV.END, `${this.holderName(a)} net, token ${k}`));
        }
      });
    }
  }
});
