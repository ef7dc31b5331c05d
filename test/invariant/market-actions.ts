/**
 * The system invariant suite's market, vault and simulator actions: open a breach market, affiliates, buy and
 * sell (also through the hostile receiver), split, merge, nested positions (nest, unnest, nested redemption),
 * resolve, redeem, withdraw, donations and time warps.
 */
import assert from "node:assert/strict";

import { type Address, type Hex, encodeFunctionData, keccak256, stringToHex, zeroAddress } from "viem";

import { PledgeState, stateName } from "../../scripts/lib/states.js";
import * as INV from "./spec.js";
import { cite } from "./spec.js";
import {
  type Action,
  type Kind,
  type Move,
  type NestM,
  type PledgeM,
  type PosMove,
  BREACH,
  BURN,
  FIXED,
  GAS,
  HONOR,
  MIN_LIQUIDITY,
  ORACLE_PAYOUTS,
  pick,
  TIMEOUT,
} from "./model.js";
import { PledgeActions } from "./pledge-actions.js";

/** A run's market, vault, nested-position and simulator actions. */
export abstract class MarketActions extends PledgeActions {
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
        p.market = { conditionId, sponsor, subsidy, liquidity, breached: null, withdrawn: false, excess: 0n };
        this.conds.push({
          id: conditionId,
          tok: p.tok,
          pledge: i,
          oracle: null,
          questionId: null,
          locked: subsidy,
          payouts: null,
          redemptions: 0,
        });
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
      await this.sideTx(() => this.receiver.write.arm([this.sys.maker.address, inner], { account: this.env.deployer.account }));
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
            account: this.env.deployer.account,
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
    await this.env.time.setNextBlockTimestamp(this.next);
    const hash = await tx();
    const receipt = await this.env.pc.getTransactionReceipt({ hash });
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
    // Any condition: a breach market's or an oracle condition (no pledge, no market).
    if (this.conds.length === 0) return this.openOrCreate(a);
    const all = this.conds.map((_, i) => i);
    const prepared = all.filter((i) => this.conds[i].payouts === null);
    const ci = !refuse && prepared.length > 0 ? pick(prepared, a.t) : pick(all, a.t);
    const cond = this.conds[ci];
    this.touched = cond.pledge;
    const who = malicious ? this.R : this.player(a.a);
    const zero = refuse && a.f % 2 === 0;
    const amount = zero ? 0n : this.units(cond.tok) * BigInt(1 + (a.n % 50)) + BigInt(a.n % 9);
    let error: string | null = null;
    if (zero) error = "AmountZero";
    else if (cond.payouts !== null) error = "UnexpectedConditionState";
    const token = this.tokens[cond.tok].address;
    const args = [token, 0n, cond.id, amount] as const;
    const moves: Move[] = [
      { who, tok: cond.tok, amount: -amount, via: "vault" },
      { who: this.vault, tok: cond.tok, amount, via: "vault" },
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
      const inner = encodeFunctionData({ abi: this.sys.vault.abi, functionName: "merge", args: [token, 0n, cond.id, 1n] });
      await this.sideTx(() => this.receiver.write.arm([this.sys.vault.address, inner], { account: this.env.deployer.account }));
      const ok = await this.attempt(
        "malSplit",
        error,
        () =>
          this.receiver.write.execute([this.sys.vault.address, encodeFunctionData({ abi: this.sys.vault.abi, functionName: "split", args })], {
            account: this.env.deployer.account,
            gas: GAS,
          }),
        moves,
        posMoves,
        apply,
        `${this.condName(ci)} x${amount}`,
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
      `${this.holderName(who)} ${this.condName(ci)} x${amount}`,
    );
  }

  async merge(a: Action, refuse: boolean): Promise<void> {
    // Any condition: a breach market's or an oracle condition.
    if (this.conds.length === 0) return this.openOrCreate(a);
    type Cand = { ci: number; who: Address; max: bigint };
    const cands: Cand[] = [];
    for (const ci of this.conds.keys()) {
      for (const who of this.actors.slice(1, 5)) {
        const b0 = this.pos(who, ci, 0);
        const b1 = this.pos(who, ci, 1);
        const max = b0 < b1 ? b0 : b1;
        if (max > 0n && (refuse || this.conds[ci].payouts === null)) cands.push({ ci, who, max });
      }
    }
    if (cands.length === 0) return this.split(a, false, false);
    const c = pick(cands, a.t);
    const ci = c.ci;
    const cond = this.conds[ci];
    this.touched = cond.pledge;
    let amount = 1n + (BigInt(a.n) * c.max) / 1_000_000n;
    if (amount > c.max) amount = c.max;
    const error = cond.payouts !== null ? "UnexpectedConditionState" : null;
    await this.attempt(
      "merge",
      error,
      () =>
        this.sys.vault.write.merge([this.tokens[cond.tok].address, 0n, cond.id, amount], {
          account: this.wallet(c.who).account,
          gas: GAS,
        }),
      [
        { who: c.who, tok: cond.tok, amount, via: "vault" },
        { who: this.vault, tok: cond.tok, amount: -amount, via: "vault" },
      ],
      [
        { who: c.who, cond: ci, outcome: 0, amount: -amount },
        { who: c.who, cond: ci, outcome: 1, amount: -amount },
      ],
      () => {
        this.conds[ci].locked -= amount;
        // A full set is worth one unit of collateral: the merge grants its amount.
        this.addGain(c.who, "vault", cond.tok, "granted", amount);
      },
      `${this.holderName(c.who)} ${this.condName(ci)} x${amount}`,
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
          ? this.receiver.write.execute([this.sys.vault.address, call], { account: this.env.deployer.account, gas: GAS })
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
        // The excess is credited to a beneficiary (held by BreachMarkets until claimExcess), burned without one.
        { who: beneficiary === BURN ? BURN : this.bm, tok: p.tok, amount: toBeneficiary, via: "breachMarkets" },
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
        if (toBeneficiary > 0n && beneficiary !== BURN) {
          this.addGain(beneficiary, "breachMarkets", p.tok, "granted", toBeneficiary);
          mk.excess = toBeneficiary;
        }
      },
      `pledge ${p.id} by ${this.holderName(caller)}: ${amount} (+${toBeneficiary} to beneficiary)`,
    );
  }

  /** The pledge's beneficiary pulls the excess a capped withdrawal credited to it (the end step). */
  async claimExcessFor(p: PledgeM, kind: Kind): Promise<void> {
    const mk = p.market;
    assert.ok(mk !== null && mk.excess > 0n && p.beneficiary !== zeroAddress);
    const amount = mk.excess;
    await this.attempt(
      kind,
      null,
      () => this.sys.breachMarkets.write.claimExcess([p.id, p.beneficiary], { account: this.wallet(p.beneficiary).account, gas: GAS }),
      [
        { who: p.beneficiary, tok: p.tok, amount, via: "breachMarkets" },
        { who: this.bm, tok: p.tok, amount: -amount, via: "breachMarkets" },
      ],
      [],
      () => {
        mk.excess = 0n;
      },
      `pledge ${p.id} excess ${amount} to ${this.holderName(p.beneficiary)}`,
    );
  }

  async donate(a: Action): Promise<void> {
    const tok = a.f % 2;
    const to = pick([this.registry, this.vault, this.maker, this.bm], a.t);
    const amount = BigInt(1 + (a.n % 1000)) * (a.r % 2 === 0 ? 1n : this.units(tok));
    await this.attempt(
      "donate",
      null,
      () => this.tokens[tok].write.transfer([to, amount], { account: this.env.deployer.account, gas: GAS }),
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

  // ============================================================ oracle conditions

  /** Questions asked so far in this run (each `prepare` asks a fresh one). */
  questions = 0;

  /**
   * An actor prepares a binary condition in the vault as its own oracle, on a fresh question id: a condition
   * with no pledge and no market, split, merged, nested, reported (`report`) and redeemed like any other.
   * Refused: the same question again by its oracle (UnexpectedConditionState), or one outcome (OutcomeCountInvalid).
   */
  async prepare(a: Action, refuse: boolean): Promise<void> {
    const mine = this.conds.filter((c) => c.oracle !== null);
    const again = refuse && a.f % 2 === 0 && mine.length > 0 ? pick(mine, a.t) : null;
    const oracle = again?.oracle ?? this.player(a.a);
    const questionId = again?.questionId ?? keccak256(stringToHex(`pledge-markets/system-suite/question/${this.questions}`));
    const outcomes = refuse && again === null ? 1n : 2n;
    const error = again !== null ? "UnexpectedConditionState" : outcomes !== 2n ? "OutcomeCountInvalid" : null;
    const conditionId = await this.sys.vault.read.conditionIdOf([oracle, questionId, 2n]);
    const tok = a.f % 2;
    await this.attempt(
      "prepare",
      error,
      () => this.sys.vault.write.prepareCondition([questionId, outcomes], { account: this.wallet(oracle).account, gas: GAS }),
      [],
      [],
      () => {
        this.questions++;
        this.conds.push({ id: conditionId, tok, pledge: null, oracle, questionId, locked: 0n, payouts: null, redemptions: 0 });
      },
      `${this.holderName(oracle)} question ${questionId.slice(0, 10)} (${outcomes} outcomes${again !== null ? ", again" : ""}), token ${tok}`,
    );
  }

  /**
   * An oracle condition's oracle reports a payout vector (odd ones: redemptions round down). Refused: a reporter
   * that is not the oracle (for it the question names no condition: UnexpectedConditionState), a second report
   * (UnexpectedConditionState), all zeros (PayoutAllZero).
   */
  async report(a: Action, refuse: boolean): Promise<void> {
    const oracleConds = this.conds.map((_, i) => i).filter((i) => this.conds[i].oracle !== null);
    const open = oracleConds.filter((i) => this.conds[i].payouts === null);
    const reported = oracleConds.filter((i) => this.conds[i].payouts !== null);
    if (oracleConds.length === 0 || (!refuse && open.length === 0)) return this.prepare(a, false);
    const v = refuse ? a.f % 3 : -1;
    const second = reported.length > 0 && (v === 2 || (refuse && open.length === 0));
    const ci = second ? pick(reported, a.t) : pick(open.length > 0 ? open : reported, a.t);
    return this.reportFor(ci, a.n, refuse ? (second ? "second" : v === 0 ? "notOracle" : "zeros") : null);
  }

  async reportFor(ci: number, n: number, variant: "notOracle" | "zeros" | "second" | null, kind: Kind = "report"): Promise<void> {
    const c = this.conds[ci];
    assert.ok(c.oracle !== null && c.questionId !== null, "an oracle condition");
    const oracle = c.oracle;
    const questionId = c.questionId;
    const caller = variant === "notOracle" ? (oracle === this.actors[3] ? this.actors[4] : this.actors[3]) : oracle;
    const payouts: bigint[] = variant === "zeros" ? [0n, 0n] : [...pick(ORACLE_PAYOUTS, n)];
    let error: string | null = null;
    if (caller !== oracle) error = "UnexpectedConditionState";
    else if (c.payouts !== null) error = "UnexpectedConditionState";
    else if (payouts[0] + payouts[1] === 0n) error = "PayoutAllZero";
    await this.attempt(
      kind,
      error,
      () => this.sys.vault.write.reportPayouts([questionId, payouts], { account: this.wallet(caller).account, gas: GAS }),
      [],
      [],
      () => {
        c.payouts = payouts;
      },
      `${this.condName(ci)} [${payouts.join(", ")}] by ${this.holderName(caller)}${variant === null ? "" : ` (${variant})`}`,
    );
  }
}
