/**
 * One run of the system invariant suite: `step` picks a valid (or, on purpose, a refused) variant of a generated
 * action, running a prerequisite when the action has no target yet, and dispatches it; `end` settles
 * everything (rulings, voids, finalizations, resolutions, redemptions, withdrawals, claims, flushes) and checks
 * the contracts keep only the donations and accounted dust (SYS-END-1).
 */
import assert from "node:assert/strict";

import { PledgeState } from "../../scripts/lib/states.js";
import * as INV from "./spec.js";
import { cite } from "./spec.js";
import { type Action, type Kind, type PledgeM, BURN, FIXED, GAS, pick, REFUSE_PCT, TIMEOUT } from "./model.js";
import { MarketActions } from "./market-actions.js";

/** One run: generated actions in, model and chain compared after each, settled at the end. */
export class Run extends MarketActions {
  /** Per token: the vault's rounding dust the end step found (the model's, checked against the chain). */
  dust: bigint[] = [0n, 0n];

  // ============================================================ step and dispatch

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

  /** Whether `kind` has a target on which it would succeed at the next second. */
  enabled(kind: Kind): boolean {
    const st = (p: PledgeM) => this.stateAt(p, this.next);
    const some = (states: number[]) => this.pledges.some((p) => states.includes(st(p)));
    const trading = (p: PledgeM) => p.market !== null && p.market.breached === null && st(p) === PledgeState.Active;
    // Conditions of every kind: breach markets' and oracle conditions (no pledge, no market).
    const holds = (ci: number, both: boolean) =>
      this.actors.slice(1, 5).some((x) => {
        const [b0, b1] = [this.pos(x, ci, 0), this.pos(x, ci, 1)];
        return both ? b0 > 0n && b1 > 0n : b0 + b1 > 0n;
      });
    const condIdx = this.conds.map((_, i) => i);
    const preparedConds = condIdx.filter((i) => this.conds[i].payouts === null);
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
        return preparedConds.length > 0;
      case "merge":
        return preparedConds.some((ci) => holds(ci, true));
      case "resolve":
        return this.pledges.some((p) => p.market !== null && p.market.breached === null && FIXED.includes(st(p)));
      case "redeem":
        return condIdx.some((ci) => this.conds[ci].payouts !== null && holds(ci, false));
      case "report":
        return this.conds.some((c) => c.oracle !== null && c.payouts === null);
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
        return this.conds.filter((c) => c.payouts === null).length >= 2 ? "split" : "open";
      case "report":
        return "prepare";
      case "unnest":
        return "nest";
      default:
        return null;
    }
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
      case "prepare":
        return this.prepare(a, refuse);
      case "report":
        return this.report(a, refuse);
    }
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
      for (const m of this.env.memberAddrs) {
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
    // Every oracle condition still unreported: its oracle reports an odd vector, so every position can redeem.
    for (const [ci, c] of this.conds.entries()) {
      if (c.oracle !== null && c.payouts === null) await this.reportFor(ci, ci + 1, null);
    }
    // Top-level positions first (a holder whose part of an outcome is nested redeems unequal holdings, which
    // rounds down under an odd vector), then the nested sets (minting parent positions), then those.
    const redeemTop = async (): Promise<void> => {
      for (const [ci] of this.conds.entries()) {
        for (const who of this.actors) {
          if (this.pos(who, ci, 0) + this.pos(who, ci, 1) > 0n) await this.redeemFor(who, ci, "redeem");
        }
      }
    };
    await redeemTop();
    for (const [ni, n] of this.nests.entries()) {
      for (const who of this.actors.slice(1, 5)) {
        if (this.snap.nests[ni][0][this.posHolders.indexOf(who)] + this.snap.nests[ni][1][this.posHolders.indexOf(who)] > 0n) {
          await this.redeemNested(who, ni, n);
        }
      }
    }
    await redeemTop();
    for (const p of this.pledges) {
      if (p.market !== null && !p.market.withdrawn) await this.withdrawFor(p, p.market.sponsor, "withdraw");
    }
    // The excess of capped withdrawals is credited to the pledges' beneficiaries: each pulls it.
    for (const p of this.pledges) {
      if (p.market !== null && p.market.excess > 0n) await this.claimExcessFor(p, "withdraw");
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
      // The model's dust: collateral still locked for conditions every position of which was redeemed. Each
      // redemption rounds down by less than one unit (a nested one by less than one parent unit, which then
      // stays locked for the parent condition), so at most one wei per redemption.
      const dust = this.conds.filter((c) => c.tok === k).reduce((a, c) => a + c.locked, 0n);
      const redemptions =
        this.conds.filter((c) => c.tok === k).reduce((a, c) => a + c.redemptions, 0) +
        this.nests.filter((n) => this.conds[n.parent].tok === k).reduce((a, n) => a + n.redemptions, 0);
      assert.ok(dust >= 0n && dust <= BigInt(redemptions), cite(INV.END, `vault dust ${dust} token ${k}`));
      this.dust[k] = dust;
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
