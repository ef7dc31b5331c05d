/**
 * The command-line interface (tasks/, logic in scripts/lib/cli/): each command's happy path and its
 * refusal of bad input, run on a system deployed through Ignition (deployLocalSystem). The commands
 * are called as the tasks call them, with the same argument objects, on this suite's connection
 * (the in-process network records no deployment, so every call names the registry and markets).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { network } from "hardhat";
import { HardhatPluginError } from "hardhat/plugins";
import { getAddress } from "viem";

import { AllowanceError, marketsAt, parseAmount, parseDuration, parseTime, RevertError } from "../../scripts/lib/cli/context.js";
import { buyShares, openMarket, quoteMarket, redeemShares, sellShares, type TradeArgs } from "../../scripts/lib/cli/market.js";
import {
  challengePledge,
  claim,
  committeeVote,
  createPledge,
  type CreateArgs,
  disputeChallenge,
  finalizePledge,
  topUpPledge,
} from "../../scripts/lib/cli/pledge.js";
import { renderResult } from "../../scripts/lib/cli/render.js";
import { settleAll } from "../../scripts/lib/cli/settle.js";
import { deployLocalSystem } from "../../scripts/lib/deploy.js";
import { UserInputError } from "../../scripts/lib/format.js";
import { pledgeStatus } from "../../scripts/lib/status.js";
import { DAY, units } from "../utils/helpers.js";
import { taskRunner } from "../utils/task-actions.js";

/** Asserts `promise` rejects with a UserInputError (of `kind`, if given) whose message matches `pattern`. */
async function refuses(promise: Promise<unknown>, pattern: RegExp, kind: typeof UserInputError = UserInputError) {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof kind, `expected a ${kind.name}, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

describe("command-line tasks", async () => {
  const conn = await network.create();
  const { viem, networkHelpers } = conn;
  const [, pledger, challenger, beneficiary, m1, m2, m3, trader] = await viem.getWalletClients();
  const addr = (w: { account: { address: `0x${string}` } }) => getAddress(w.account.address);

  async function deployed() {
    const sys = await deployLocalSystem(conn, { committeeMembers: [m1, m2, m3].map(addr) });
    for (const w of [pledger, challenger, beneficiary, trader]) await sys.bondToken.write.mint([addr(w), units("100000")]);
    const at = { registry: sys.registry.address, markets: sys.breachMarkets.address };
    const createArgs = (over: Partial<CreateArgs> = {}): CreateArgs => ({
      ...at,
      from: addr(pledger),
      bond: "1000",
      token: sys.bondToken.address,
      expiry: "+30d",
      grace: "7d",
      liveness: "1d",
      challengeBond: "100",
      beneficiary: addr(beneficiary),
      arbiter: sys.committee.address,
      terms: "We pause scaling past ASL-3 without the safeguards",
      uri: "ipfs://terms",
      approve: true,
      ...over,
    });
    return { sys, at, createArgs };
  }

  /** A deployed system with pledge #1 created through the CLI. */
  async function withPledge() {
    const d = await deployed();
    await createPledge(conn, d.createArgs());
    return d;
  }

  /** Pledge #1 with an open breach market (b = 100) funded by the pledger. */
  async function withMarket() {
    const d = await withPledge();
    await openMarket(conn, { ...d.at, from: addr(pledger), id: 1n, liquidity: "100", feeBps: 100, approve: true });
    return d;
  }

  const trade = (at: { registry: string; markets: string }, over: Partial<TradeArgs>): TradeArgs => ({
    ...at,
    from: addr(trader),
    id: 1n,
    outcome: "BREACH",
    amount: "10",
    limit: "",
    slippageBps: 50,
    approve: true,
    ...over,
  });

  describe("pledge create", () => {
    it("creates a pledge with amounts in token units, approving exactly the bond", async () => {
      const { sys, createArgs } = await networkHelpers.loadFixture(deployed);
      const out = await createPledge(conn, createArgs());
      assert.equal(out.pledgeId, "1");
      assert.equal(out.bond, "1,000 mUSD");
      assert.equal(out.challengeBond, "100 mUSD");
      const p = await sys.registry.read.getPledge([1n]);
      assert.equal(p.bond, units("1000"));
      assert.equal(p.liveness, DAY);
      assert.equal(p.grace, 7 * DAY);
      assert.equal(await sys.bondToken.read.allowance([addr(pledger), sys.registry.address]), 0n);
      assert.match(renderResult(out), /^action\s+created\npledgeId\s+1\n/);
    });

    it("refuses a missing allowance, bad amounts and times, and decodes the registry's revert", async () => {
      const { createArgs } = await networkHelpers.loadFixture(deployed);
      await refuses(createPledge(conn, createArgs({ approve: false })), /insufficient allowance: .* allows the registry .* to pull 0 mUSD; this needs 1,000 mUSD\. Rerun with --approve/, AllowanceError);
      await refuses(createPledge(conn, createArgs({ bond: "ten" })), /--bond: "ten" is not an amount/);
      await refuses(createPledge(conn, createArgs({ expiry: "yesterday" })), /--expiry: "yesterday" is not a time/);
      await refuses(createPledge(conn, createArgs({ expiry: "2001-01-01" })), /--expiry 2001-01-01 .* is not after the latest block/);
      await refuses(createPledge(conn, createArgs({ bond: "200000" })), /holds 100,000 mUSD; this needs 200,000 mUSD/);
      await refuses(
        createPledge(conn, createArgs({ liveness: "60" })),
        /createPledge reverted: LivenessOutOfRange\(liveness=60, minLiveness=3600, maxLiveness=2592000\)/,
        RevertError,
      );
    });
  });

  describe("pledge top-up", () => {
    it("adds to the bond", async () => {
      const { at } = await networkHelpers.loadFixture(withPledge);
      const out = await topUpPledge(conn, { ...at, from: addr(pledger), id: 1n, amount: "250.5", approve: true });
      assert.equal(out.bond, "1,250.5 mUSD");
    });

    it("refuses an unknown pledge, a caller other than the pledger and a zero amount", async () => {
      const { at } = await networkHelpers.loadFixture(withPledge);
      await refuses(topUpPledge(conn, { ...at, from: addr(pledger), id: 9n, amount: "1", approve: true }), /pledge #9 does not exist \(the registry has pledges #1 to #1\)/);
      await refuses(topUpPledge(conn, { ...at, from: addr(trader), id: 1n, amount: "1", approve: true }), /only the pledger .* can top up pledge #1/);
      await refuses(topUpPledge(conn, { ...at, from: addr(pledger), id: 1n, amount: "0", approve: true }), /--amount must be above 0/);
    });
  });

  describe("pledge challenge, dispute and committee vote", () => {
    it("challenges, disputes and rules a breach with two committee votes", async () => {
      const { at } = await networkHelpers.loadFixture(withPledge);
      const c = await challengePledge(conn, { ...at, from: addr(challenger), id: 1n, evidence: "ipfs://evidence", maxBond: "", approve: true });
      assert.equal(c.challengeId, "1");
      assert.equal(c.bond, "100 mUSD");
      const d = await disputeChallenge(conn, { ...at, from: addr(pledger), id: 1n, approve: true });
      assert.equal(d.bond, "100 mUSD");
      const v1 = await committeeVote(conn, { ...at, from: addr(m1), id: 1n, ruling: "breached" });
      assert.equal(v1.ruled, "not yet");
      const v2 = await committeeVote(conn, { ...at, from: "5", id: 1n, ruling: "breached" });
      assert.equal(v2.member, addr(m2));
      assert.equal(v2.ruled, "yes: the pledge is now Breached");
    });

    it("refuses a challenge above --max-bond or by the pledger, a dispute without a challenge, and bad votes", async () => {
      const { at } = await networkHelpers.loadFixture(withPledge);
      await refuses(
        challengePledge(conn, { ...at, from: addr(challenger), id: 1n, evidence: "ipfs://e", maxBond: "50", approve: true }),
        /requires a challenge bond of 100 mUSD, above --max-bond 50 mUSD/,
      );
      await refuses(
        challengePledge(conn, { ...at, from: addr(pledger), id: 1n, evidence: "ipfs://e", maxBond: "", approve: true }),
        /cannot challenge its own pledge #1/,
      );
      await refuses(disputeChallenge(conn, { ...at, from: addr(pledger), id: 1n, approve: true }), /pledge #1 is Active; a dispute needs it Challenged/);
      await challengePledge(conn, { ...at, from: addr(challenger), id: 1n, evidence: "ipfs://e", maxBond: "100", approve: true });
      await refuses(committeeVote(conn, { ...at, from: addr(m1), id: 1n, ruling: "breached" }), /pledge #1 is Challenged; a committee vote needs it Disputed/);
      await refuses(disputeChallenge(conn, { ...at, from: addr(beneficiary), id: 1n, approve: false }), /Rerun with --approve/, AllowanceError);
      await disputeChallenge(conn, { ...at, from: addr(beneficiary), id: 1n, approve: true });
      await refuses(committeeVote(conn, { ...at, from: addr(m1), id: 1n, ruling: "maybe" }), /ruling "maybe" must be breached or not-breached/);
      await refuses(committeeVote(conn, { ...at, from: addr(trader), id: 1n, ruling: "breached" }), /is not a member of the committee/);
      await committeeVote(conn, { ...at, from: addr(m1), id: 1n, ruling: "not-breached" });
      await refuses(committeeVote(conn, { ...at, from: addr(m1), id: 1n, ruling: "not-breached" }), /has already voted on challenge #1/);
      await refuses(committeeVote(conn, { ...at, from: "99", id: 1n, ruling: "breached" }), /--from 99: there are only \d+ accounts/);
    });
  });

  describe("pledge finalize and claim", () => {
    it("finalizes an undisputed challenge as a breach and claims the challenger's reward and bond", async () => {
      const { at, sys } = await networkHelpers.loadFixture(withPledge);
      await challengePledge(conn, { ...at, from: addr(challenger), id: 1n, evidence: "ipfs://e", maxBond: "", approve: true });
      await networkHelpers.time.increase(DAY);
      const f = await finalizePledge(conn, { ...at, from: addr(trader), id: 1n });
      assert.equal(f.outcome, "Breached");
      const before = await sys.bondToken.read.balanceOf([addr(challenger)]);
      const c = await claim(conn, { ...at, from: addr(challenger), token: "", to: "" });
      assert.deepEqual(c.claimed.map((x) => x.amount), ["300 mUSD"]);
      assert.equal((await sys.bondToken.read.balanceOf([addr(challenger)])) - before, units("300"));
      assert.match(renderResult(c), /claimed\ntoken\s+amount\s+transaction/);
    });

    it("refuses to finalize a pledge that is not due and to claim nothing", async () => {
      const { at } = await networkHelpers.loadFixture(withPledge);
      await refuses(finalizePledge(conn, { ...at, from: "", id: 1n }), /pledge #1 is Active; it becomes finalizable at .* \(expiry \+ grace\)/);
      await refuses(claim(conn, { ...at, from: addr(trader), token: "", to: "" }), /nothing to claim for .* \(tokens checked: 0x/);
      await refuses(claim(conn, { ...at, from: addr(trader), token: "0x12", to: "" }), /--token: "0x12" is not an address/);
    });
  });

  describe("market open, quote, buy, sell, redeem", () => {
    it("opens a market and quotes it at 50%", async () => {
      const { at, sys } = await networkHelpers.loadFixture(withPledge);
      const out = await openMarket(conn, { ...at, from: addr(pledger), id: 1n, liquidity: "100", feeBps: 100, approve: true });
      assert.equal(out.subsidy, "69.314718 mUSD");
      assert.equal(out.breachPrice, "50%");
      const q = await quoteMarket(conn, { ...at, from: "", id: 1n, amount: "1" });
      assert.equal(q.market, "Open");
      assert.deepEqual(q.quotes.map((r) => r.price), ["50%", "50%"]);
      assert.equal(await sys.bondToken.read.allowance([addr(pledger), sys.breachMarkets.address]), 0n);
    });

    it("refuses a second market, low liquidity, a bad fee and quoting a pledge without a market", async () => {
      const { at, createArgs } = await networkHelpers.loadFixture(withMarket);
      await refuses(openMarket(conn, { ...at, from: addr(pledger), id: 1n, liquidity: "100", feeBps: 0, approve: true }), /already has a breach market/);
      await createPledge(conn, createArgs());
      await refuses(quoteMarket(conn, { ...at, from: "", id: 2n, amount: "1" }), /pledge #2 has no breach market; open one with: npx hardhat market open 2/);
      await refuses(openMarket(conn, { ...at, from: addr(pledger), id: 2n, liquidity: "0.5", feeBps: 0, approve: true }), /--liquidity 0.5 mUSD is below the minimum 1 mUSD/);
      await refuses(openMarket(conn, { ...at, from: addr(pledger), id: 2n, liquidity: "10", feeBps: 100_000, approve: true }), /--fee-bps 100000 must be an integer from 0 to/);
    });

    it("buys and sells BREACH shares within the slippage bounds and moves the breach price", async () => {
      const { at, sys } = await networkHelpers.loadFixture(withMarket);
      const b = await buyShares(conn, trade(at, { amount: "20" }));
      assert.equal(b.holding, "20");
      assert.equal(await sys.bondToken.read.allowance([addr(trader), sys.maker.address]), 0n, "the unused bound is revoked");
      assert.match(b.breachPrice, /^5\d\.\d+%$/);
      const s = await sellShares(conn, trade(at, { amount: "5" }));
      assert.equal(s.holding, "15");
      const status = await pledgeStatus(conn, at.registry, 1n, await marketsAt(conn, at));
      assert.match(status.breachPrice, /^5\d\.\d+%$/);
    });

    it("refuses a bad outcome, a cost above --max-cost, a missing allowance, overselling and a sale without approval", async () => {
      const { at } = await networkHelpers.loadFixture(withMarket);
      await refuses(buyShares(conn, trade(at, { outcome: "MAYBE" })), /outcome "MAYBE" must be BREACH or HONOR/);
      await refuses(
        buyShares(conn, trade(at, { from: addr(pledger) })),
        /^buy reverted: BreachMarketSelfHedge\(pledgeId=1, account=0x70997970C51812dc3A010C7d01b50e0d17dc79C8\)$/,
        RevertError,
      );
      await refuses(buyShares(conn, trade(at, { limit: "1" })), /BREACH shares cost .* now, above --max-cost 1 mUSD/);
      await refuses(buyShares(conn, trade(at, { approve: false })), /allows the market maker .*Rerun with --approve/, AllowanceError);
      await refuses(sellShares(conn, trade(at, {})), /holds 0 BREACH shares of pledge #1; cannot sell 10/);
      await buyShares(conn, trade(at, { outcome: "honor" }));
      await refuses(sellShares(conn, trade(at, { outcome: "HONOR", approve: false })), /may not move .* outcome shares: rerun with --approve/);
      await refuses(sellShares(conn, trade(at, { outcome: "HONOR", limit: "100" })), /selling pays .* now, below --min-return 100 mUSD/);
    });

    it("redeems winning shares after settle resolved the market", async () => {
      const { at, sys } = await networkHelpers.loadFixture(withMarket);
      await buyShares(conn, trade(at, { outcome: "HONOR" }));
      await refuses(redeemShares(conn, { ...at, from: addr(trader), id: 1n }), /is not resolved \(the pledge is Active\).*pledge settle/);
      await networkHelpers.time.increase(37 * DAY);
      await settleAll(conn, { ...at, from: "", dryRun: false });
      const before = await sys.bondToken.read.balanceOf([addr(trader)]);
      const r = await redeemShares(conn, { ...at, from: addr(trader), id: 1n });
      assert.equal(r.outcome, "HONOR");
      assert.equal(r.received, "10 mUSD");
      assert.equal((await sys.bondToken.read.balanceOf([addr(trader)])) - before, units("10"));
      await refuses(redeemShares(conn, { ...at, from: addr(trader), id: 1n }), /holds no shares/);
    });
  });

  describe("pledge settle", () => {
    it("voids overdue rulings, finalizes due pledges and resolves their markets, listing what it did", async () => {
      const { at, sys, createArgs } = await networkHelpers.loadFixture(withMarket);
      // #2: challenged and left undisputed (Slashable); #3: disputed and never ruled (RulingOverdue).
      await createPledge(conn, createArgs({ expiry: "+60d" }));
      await createPledge(conn, createArgs({ expiry: "+60d" }));
      await challengePledge(conn, { ...at, from: addr(challenger), id: 2n, evidence: "ipfs://e", maxBond: "", approve: true });
      await challengePledge(conn, { ...at, from: addr(challenger), id: 3n, evidence: "ipfs://e", maxBond: "", approve: true });
      await disputeChallenge(conn, { ...at, from: addr(pledger), id: 3n, approve: true });
      await networkHelpers.time.increase(37 * DAY); // #1 Releasable; #3 past the 14-day ruling timeout

      const dry = await settleAll(conn, { ...at, from: "", dryRun: true });
      assert.deepEqual(dry.steps.map((s) => `${s.pledgeId} ${s.action}`), ["1 finalize", "1 resolveMarket", "2 finalize", "3 voidChallenge"]);
      const out = await settleAll(conn, { ...at, from: addr(trader), dryRun: false });
      assert.deepEqual(out.steps.map((s) => `${s.pledgeId} ${s.action} ${s.result}`), [
        "1 finalize Honored",
        "1 resolveMarket HONOR pays 1",
        "2 finalize Breached",
        "3 voidChallenge bonds refunded; pledge Active",
      ]);
      assert.equal(await sys.registry.read.state([1n]), 8);
      assert.match(renderResult(out), /steps\npledgeId\s+action\s+result\s+transaction/);
      const again = await settleAll(conn, { ...at, from: "", dryRun: false });
      assert.equal(again.steps.length, 0);
    });

    it("refuses a bad registry address and an account that is not configured", async () => {
      const { at } = await networkHelpers.loadFixture(withPledge);
      await refuses(settleAll(conn, { ...at, registry: "0x12", from: "", dryRun: false }), /--registry: "0x12" is not an address/);
      await refuses(
        settleAll(conn, { ...at, from: "0x000000000000000000000000000000000000dEaD", dryRun: false }),
        /--from 0x000000000000000000000000000000000000dEaD is not one of this network's configured accounts/,
      );
    });
  });

  describe("argument parsing", () => {
    it("parses amounts, durations and times in human units and refuses the rest", () => {
      assert.equal(parseAmount("1,000.5", 18, "--x"), units("1000.5"));
      assert.equal(parseAmount("1_000", 6, "--x"), 1_000_000_000n);
      assert.throws(() => parseAmount("1.1234567", 6, "--x"), /has 7 decimals; the token has 6/);
      assert.equal(parseDuration("7d", "--x"), 7 * DAY);
      assert.equal(parseDuration("3600", "--x"), 3600);
      assert.throws(() => parseDuration("7 days", "--x"), /is not a duration/);
      assert.equal(parseTime("+90d", 1_000n, "--x"), 1_000n + 90n * BigInt(DAY));
      assert.equal(parseTime("2027-01-31T00:00:00Z", 0n, "--x"), 1_801_353_600n);
      assert.equal(parseTime("1801353600", 0n, "--x"), 1_801_353_600n);
    });
  });

  describe("task actions (tasks/*.ts)", () => {
    const runTask = taskRunner(conn);

    it("runs every command through its task action and prints JSON", async () => {
      const { at, sys } = await networkHelpers.loadFixture(deployed);
      const create = { ...at, bond: "1000", token: sys.bondToken.address, expiry: "+30d", grace: "7d", liveness: "1d", challengeBond: "100", beneficiary: "", arbiter: sys.committee.address, terms: "terms", uri: "", approve: true };
      assert.equal((await runTask("pledge-create", { ...create, from: addr(pledger) })).pledgeId, "1");
      assert.equal((await runTask("pledge-status", { ...at, id: 1n })).breachPrice, "no market");
      assert.equal((await runTask("market-open", { ...at, from: addr(pledger), id: 1n, liquidity: "10", feeBps: 0, approve: true })).breachPrice, "50%");
      assert.equal((await runTask("market-quote", { ...at, from: "", id: 1n, amount: "1" })).market, "Open");
      const trade = { ...at, from: addr(trader), id: 1n, outcome: "BREACH", slippageBps: 50, approve: true };
      assert.equal((await runTask("market-buy", { ...trade, amount: "2", maxCost: "" })).holding, "2");
      assert.equal((await runTask("market-sell", { ...trade, amount: "1", minReturn: "" })).holding, "1");
      assert.equal((await runTask("pledge-top-up", { ...at, from: addr(pledger), id: 1n, amount: "1", approve: true })).bond, "1,001 mUSD");
      assert.equal((await runTask("pledge-challenge", { ...at, from: addr(challenger), id: 1n, evidence: "ipfs://e", maxBond: "", approve: true })).challengeId, "1");
      assert.equal((await runTask("pledge-dispute", { ...at, from: addr(pledger), id: 1n, approve: true })).action, "disputed");
      await runTask("committee-vote", { ...at, from: addr(m1), id: 1n, ruling: "breached" });
      assert.equal((await runTask("committee-vote", { ...at, from: addr(m3), id: 1n, ruling: "breached" })).ruled, "yes: the pledge is now Breached");
      const settled = await runTask("pledge-settle", { ...at, from: "", dryRun: false });
      assert.deepEqual(settled.steps, [{ pledgeId: "1", action: "resolveMarket", result: "BREACH pays 1", transaction: (settled.steps as { transaction: string }[])[0].transaction }]);
      assert.equal((await runTask("market-redeem", { ...at, from: addr(trader), id: 1n })).received, "1 mUSD");
      assert.deepEqual(((await runTask("pledge-claim", { ...at, from: addr(challenger), token: "", to: "" })).claimed as { amount: string }[]).map((c) => c.amount), ["390.2 mUSD"]);
      await runTask("pledge-create", { ...create, from: addr(pledger) });
      await runTask("pledge-challenge", { ...at, from: addr(challenger), id: 2n, evidence: "ipfs://e", maxBond: "", approve: true });
      await networkHelpers.time.increase(DAY);
      assert.equal((await runTask("pledge-finalize", { ...at, from: "", id: 2n })).outcome, "Breached");
    });

    it("turns bad input into a HardhatPluginError, with the command to rerun for a missing allowance", async () => {
      const { at } = await networkHelpers.loadFixture(withPledge);
      await assert.rejects(runTask("pledge-status", { ...at, id: 5n }), (e: unknown) => {
        assert.ok(HardhatPluginError.isHardhatPluginError(e));
        assert.match(e.message, /pledge #5 does not exist/);
        return true;
      });
      await assert.rejects(runTask("pledge-top-up", { ...at, from: addr(pledger), id: 1n, amount: "1", approve: false }), (e: unknown) => {
        assert.ok(HardhatPluginError.isHardhatPluginError(e));
        assert.match(e.message, /Rerun with --approve .*\n {2}npx hardhat .* --approve$/s);
        return true;
      });
    });
  });
});
