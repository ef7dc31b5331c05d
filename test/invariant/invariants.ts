/**
 * The system invariant suite's invariant checks (./spec.ts ids), run on every chain snapshot: solvency,
 * backing, markets, payouts, lifecycle steps, the ghost gains, and the exclusive-pair check (no two
 * mutually exclusive entry points both succeed on one pledge at one second).
 */
import assert from "node:assert/strict";

import { getAddress, maxUint256, zeroAddress } from "viem";

import { PledgeState, stateName } from "../../scripts/lib/states.js";
import * as INV from "./spec.js";
import { cite } from "./spec.js";
import { type Snap, FIXED, HONOR, STEP2, WAD } from "./model.js";
import { RunState } from "./run-state.js";

/** A run's invariant checks, on the snapshot `read` took after every action. */
export abstract class RunChecks extends RunState {
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
        if (x !== null && this.conds[i].tok === k) cash += x.m.cash;
      });
      assert.equal(
        s.bal[k][this.holders.indexOf(this.maker)],
        cash + this.donated(this.maker, k),
        cite(INV.SOLV_MAKER, `token ${k}`),
      );
      // SYS-SOLV-4
      const excess = this.pledges.reduce((a, p) => a + (p.tok === k && p.market !== null ? p.market.excess : 0n), 0n);
      assert.equal(s.bal[k][this.holders.indexOf(this.bm)], this.donated(this.bm, k) + excess, cite(INV.SOLV_BREACH, `token ${k}`));
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
      // An oracle condition has no market (and no pledge).
      if (c.pledge === null) {
        assert.equal(x, null, `condition ${i}: no market read for an oracle condition`);
        return;
      }
      assert.ok(x !== null, `condition ${i}: market read`);
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
      // The oracle is the account that prepared the condition: the actor for an oracle condition, BreachMarkets
      // for a breach market's.
      assert.equal(getAddress(got.oracle), c.oracle ?? this.bm, cite(INV.PAYOUT_FINAL, `condition ${i} oracle`));
      if (c.payouts === null) {
        assert.equal(got.payoutDenominator, 0n, cite(INV.PAYOUT_FINAL, `condition ${i} unreported`));
        assert.equal(got.payoutNumerators.length, 0, cite(INV.PAYOUT_FINAL, `condition ${i} unreported`));
        return;
      }
      assert.deepEqual([...got.payoutNumerators], c.payouts, cite(INV.PAYOUT_FINAL, `condition ${i}`));
      assert.equal(got.payoutNumerators.length, 2, cite(INV.PAYOUT_FINAL, `condition ${i}: one numerator per outcome`));
      assert.equal(got.payoutDenominator, c.payouts[0] + c.payouts[1], cite(INV.PAYOUT_FINAL, `condition ${i}`));
      assert.ok(got.payoutDenominator > 0n, cite(INV.PAYOUT_FINAL, `condition ${i}`));
      // An oracle condition's vector is whatever its oracle reported (checked above against the model); a
      // breach market's must match its pledge.
      if (c.pledge === null) return;
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
      this.env.pc.simulateContract({ address: registry.address, abi: registry.abi, functionName: "challenge", args: [p.id, "x", maxUint256], account: other }),
    );
    const finalizeOk = await ok(() =>
      this.env.pc.simulateContract({ address: registry.address, abi: registry.abi, functionName: "finalize", args: [p.id], account: other }),
    );
    const disputeOk = await ok(() =>
      this.env.pc.simulateContract({ address: registry.address, abi: registry.abi, functionName: "dispute", args: [p.id], account: other }),
    );
    const voidOk = await ok(() =>
      this.env.pc.simulateContract({ address: registry.address, abi: registry.abi, functionName: "voidChallenge", args: [p.id], account: other }),
    );
    const ruleOk =
      p.ch !== null &&
      (await ok(() =>
        this.env.pc.simulateContract({
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
        this.env.pc.simulateContract({
          address: maker.address,
          abi: maker.abi,
          functionName: "buy",
          args: [p.market?.conditionId ?? "0x", HONOR, 1n, 2n ** 128n, t + 1000n, trader],
          account: trader,
        }),
      );
      const resolveOk = await ok(() =>
        this.env.pc.simulateContract({ address: breachMarkets.address, abi: breachMarkets.abi, functionName: "resolve", args: [p.id], account: other }),
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
}
