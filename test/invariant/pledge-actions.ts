/**
 * The system invariant suite's registry and committee actions: create, top up, challenge, dispute, vote,
 * void, finalize, claim, flush. Each computes the expected outcome (the refusal, or the token and position
 * movements) from the model, attempts the transaction and applies it to the model.
 */
import assert from "node:assert/strict";

import { type Address, getAddress, keccak256, parseEventLogs, toHex, zeroAddress } from "viem";

import { PledgeState } from "../../scripts/lib/states.js";
import * as INV from "./spec.js";
import { cite } from "./spec.js";
import {
  type Action,
  type Move,
  type PledgeM,
  BURN,
  FEE_BPS,
  GAS,
  MAX_GRACE,
  MIN_LIVENESS,
  pick,
  REWARD_BPS,
} from "./model.js";
import { type Logs } from "./run-state.js";
import { RunChecks } from "./invariants.js";

/** A run's registry and committee actions, and the target choice they share. */
export abstract class PledgeActions extends RunChecks {
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
      () => this.sys.registry.write.challenge([p.id, `ipfs://evidence/${a.n}`, bond], { account: this.wallet(challenger).account, gas: GAS }),
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
        () => this.sys.committee.write.vote([999n, true], { account: this.env.members[0].account, gas: GAS }),
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
    let voter: Address = pick(this.env.memberAddrs, a.a);
    const fresh = this.env.memberAddrs.filter((m) => !t.voted.has(m));
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
  applyRuling(p: PledgeM, breached: boolean, logs: Logs): void {
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

  slash(p: PledgeM, challenger: Address, challengerCredit: bigint, logs: Logs): void {
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
}
