/**
 * The futarchy commands of the command-line interface (tasks/decision-*.ts, logic in scripts/lib/cli/decision.ts),
 * with `pledge create --governor decisions` and the governor in `pledge status`: a release decided PASS from
 * proposal to redemption, an amendment decided on breach risk, and the refusals of bad input, on a system
 * deployed through Ignition (deployLocalSystem, plus the LabShare module for a metric token). The in-process
 * network records no deployment, so every call names the registry, markets, decisions and pools, as the
 * `--registry` / `--markets` / `--decisions` / `--pools` options do.
 *
 * The decision contract is deployed with 8-hour windows and 1-hour TWAP delays (3% threshold, 0.5% step,
 * 12-second blocks: 112 blocks to flip a decision, above the contract's minimum of 100).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { network } from "hardhat";
import { getAddress } from "viem";

import LabShareModule from "../../ignition/modules/LabShare.js";
import { decisionsAt, RevertError, AllowanceError } from "../../scripts/lib/cli/context.js";
import {
  decisionStatus,
  type DecisionTradeArgs,
  claimDecisionStake,
  executeDecision,
  finalizeDecision,
  propose,
  type ProposeArgs,
  redeemDecision,
  tradeDecision,
} from "../../scripts/lib/cli/decision.js";
import { openMarket } from "../../scripts/lib/cli/market.js";
import { createPledge, type CreateArgs } from "../../scripts/lib/cli/pledge.js";
import { renderResult } from "../../scripts/lib/cli/render.js";
import { deployLocalSystem, type FutarchyParams } from "../../scripts/lib/deploy.js";
import { UserInputError } from "../../scripts/lib/format.js";
import { pledgeStatus } from "../../scripts/lib/status.js";
import { units } from "../utils/helpers.js";
import { taskRunner } from "../utils/task-actions.js";

/** 8-hour windows, 1-hour delays: 112 blocks of 12 s to flip a decision, above the contract's minimum of 100. */
const FUTARCHY: FutarchyParams = {
  releaseWindow: 28_800,
  releaseTwapDelay: 3_600,
  releaseThresholdBps: 300,
  releaseMaxStepBps: 50,
  amendWindow: 28_800,
  amendTwapDelay: 3_600,
  amendThresholdBps: 300,
  amendMaxStepBps: 50,
  blockTime: 12,
};

/** Asserts `promise` rejects with a UserInputError (of `kind`, if given) whose message matches `pattern`. */
async function refuses(promise: Promise<unknown>, pattern: RegExp, kind: typeof UserInputError = UserInputError) {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof kind, `expected a ${kind.name}, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

describe("command-line tasks: futarchy decisions", async () => {
  const conn = await network.create();
  const { viem, networkHelpers } = conn;
  const [, pledger, trader, beneficiary, m1, m2, m3] = await viem.getWalletClients();
  const addr = (w: { account: { address: `0x${string}` } }) => getAddress(w.account.address);

  async function deployed() {
    const sys = await deployLocalSystem(conn, { committeeMembers: [m1, m2, m3].map(addr) }, undefined, FUTARCHY);
    const { labShare } = await conn.ignition.deploy(LabShareModule);
    for (const w of [pledger, trader]) {
      await sys.bondToken.write.mint([addr(w), units("100000")]);
      await labShare.write.mint([addr(w), units("100000")]);
    }
    const at = { registry: sys.registry.address, markets: sys.breachMarkets.address, decisions: sys.decisions.address, pools: sys.pools.address };
    const createArgs = (over: Partial<CreateArgs> = {}): CreateArgs => ({
      ...at,
      from: addr(pledger),
      bond: "1000",
      token: sys.bondToken.address,
      expiry: "+90d",
      grace: "7d",
      liveness: "1d",
      challengeBond: "100",
      beneficiary: addr(beneficiary),
      arbiter: sys.committee.address,
      terms: "No deployment without third-party evals",
      uri: "ipfs://terms",
      governor: "decisions",
      approve: true,
      ...over,
    });
    const proposeArgs = (over: Partial<ProposeArgs> = {}): ProposeArgs => ({
      ...at,
      from: addr(pledger),
      id: 1n,
      kind: "release",
      metric: "price",
      metricToken: labShare.address,
      quoteToken: sys.bondToken.address,
      metricAmount: "1000",
      quoteAmount: "1000",
      termsHash: "",
      termsUri: "",
      expiry: "",
      bond: "",
      approve: true,
      ...over,
    });
    const trade = (over: Partial<DecisionTradeArgs> = {}): DecisionTradeArgs => ({
      ...at,
      from: addr(trader),
      id: 1n,
      branch: "pass",
      side: "buy",
      amount: "100",
      minOut: "",
      slippageBps: 50,
      split: true,
      approve: true,
      ...over,
    });
    return { sys, labShare, at, createArgs, proposeArgs, trade };
  }

  /** Governed pledge #1 (bond 1,000 mUSD) with release proposal #1 seeded 1,000 LAB / 1,000 mUSD per branch. */
  async function withProposal() {
    const d = await deployed();
    await createPledge(conn, d.createArgs());
    await propose(conn, d.proposeArgs());
    return d;
  }

  /** Records an observation in `pool` in each of `blocks` blocks, 12 seconds apart. */
  async function poke(pools: { write: { poke: (a: [`0x${string}`]) => Promise<`0x${string}`> } }, pool: `0x${string}`, blocks: number) {
    for (let i = 0; i < blocks; i++) {
      await pools.write.poke([pool]);
      await networkHelpers.mine(1, { interval: 12 });
    }
  }

  it("creates a governed pledge, proposes a release, trades PASS up with --split, finalizes PASS, and redeems", async () => {
    const { sys, labShare, at, createArgs, proposeArgs, trade } = await networkHelpers.loadFixture(deployed);
    const created = await createPledge(conn, createArgs());
    assert.equal(created.governor, `${sys.decisions.address} (FutarchyDecisions)`);
    assert.equal(getAddress(await sys.registry.read.governorOf([1n])), sys.decisions.address);
    const decisions = (await decisionsAt(conn, at)).decisions;
    let status = await pledgeStatus(conn, at.registry, 1n, null, decisions);
    assert.equal(status.governor, `${sys.decisions.address} (FutarchyDecisions)`);
    assert.equal(status.proposal, "none");

    // Propose: stake 1% of the bond plus the seeds, approved exactly (mUSD once, for stake and seed together).
    const p = await propose(conn, proposeArgs());
    assert.equal(p.proposalId, "1");
    assert.equal(p.stake, "10 mUSD");
    assert.equal(p.seedPerBranch, "1,000 LAB + 1,000 mUSD");
    assert.equal(p.referencePrice, "1 mUSD/LAB");
    assert.equal(await sys.bondToken.read.allowance([addr(pledger), sys.decisions.address]), 0n);
    assert.equal(await labShare.read.allowance([addr(pledger), sys.decisions.address]), 0n);
    status = await pledgeStatus(conn, at.registry, 1n, null, decisions);
    assert.match(status.proposal, /^#1 Trading, trading until /);

    let s = await decisionStatus(conn, { ...at, id: 1n });
    assert.equal(s.state, "Trading");
    assert.match(s.decision, /^not yet: the TWAPs count from .* \(in (1h 0m|59m \d+s)\)$/);
    assert.match(s.pools[0].twap, /^not yet \(counts from /);
    assert.match(s.tradingEnds, /\(in (8h 0m|7h 59m)\)$/);

    // Buy 100 PASS-LAB: the trader holds no PASS-mUSD, so --split splits what the buy costs first.
    await refuses(tradeDecision(conn, trade({ split: false })), /holds 0 PASS-mUSD; this buy needs 111\.\d+ PASS-mUSD: rerun with --split/);
    const t = await tradeDecision(conn, trade());
    assert.match(t.split, /^111\.\d+ mUSD into PASS and FAIL$/);
    assert.match(t.paid, /^111\.\d+ PASS-mUSD$/);
    assert.match(t.received, /^100(\.\d+)? PASS-LAB$/);
    assert.equal(t.spotBefore, "1 mUSD/LAB");
    assert.match(t.spot, /^1\.23\d+ mUSD\/LAB$/);
    assert.equal(await sys.bondToken.read.allowance([addr(trader), sys.vault.address]), 0n, "the split used exactly what was approved");

    // 30 blocks of pokes move the PASS oracle 30 steps of 0.5% toward the spot; the TWAPs count from the delay on.
    await poke(sys.pools, p.passPool, 30);
    s = await decisionStatus(conn, { ...at, id: 1n });
    assert.match(s.decision, /^not yet/);
    await networkHelpers.time.increase(3_600);
    s = await decisionStatus(conn, { ...at, id: 1n });
    assert.match(s.decision, /^passing: PASS \+15(\.\d+)?% vs FAIL \(passes above \+3%\)$/);
    assert.match(s.pools[0].twap, /^1\.15 mUSD\/LAB$/);
    assert.equal(s.pools[1].twap, "1 mUSD/LAB");
    assert.equal(s.executed, "n/a");
    assert.match(renderResult(s), /pools\nbranch\s+spot\s+twap\s+reserves\s+pool\n/);

    // Too early to finalize: the contract's refusal, decoded.
    await refuses(
      finalizeDecision(conn, { ...at, from: addr(trader), id: 1n }),
      /^finalize reverted: UnexpectedProposalState\(proposalId=1, current=Trading, allowed=Decidable\)$/,
      RevertError,
    );
    await refuses(redeemDecision(conn, { ...at, from: addr(trader), id: 1n, removeLiquidity: false }), /proposal #1 is Trading: its positions redeem once it is finalized/);

    await networkHelpers.time.increaseTo(BigInt(Date.parse(p.tradingEnds) / 1000));
    await refuses(tradeDecision(conn, trade()), /proposal #1 is Decidable: trading ended at/);
    const f = await finalizeDecision(conn, { ...at, from: addr(trader), id: 1n });
    assert.equal(f.decision, "PASS");
    assert.match(f.passValue, /^1\.1\d+ mUSD\/LAB$/);
    assert.equal(f.failValue, "1 mUSD/LAB");
    assert.match(f.executed, /^yes: pledge #1 released: its term ended at .*; finalizable as Honored from /);
    assert.match(f.stake, /^10 mUSD credited back to the proposer /);
    assert.equal(await sys.decisions.read.claimable([addr(pledger), sys.bondToken.address]), units("10"));
    const claimed = await claimDecisionStake(conn, { ...at, from: addr(pledger), id: 1n });
    assert.equal(claimed.amount, "10 mUSD");
    assert.equal(await sys.decisions.read.claimable([addr(pledger), sys.bondToken.address]), 0n);
    await refuses(claimDecisionStake(conn, { ...at, from: addr(pledger), id: 1n }), /has nothing to claim in mUSD from the decisions contract$/);
    await refuses(executeDecision(conn, { ...at, from: "", id: 1n }), /^proposal #1 was executed already: pledge #1 released/);
    s = await decisionStatus(conn, { ...at, id: 1n });
    assert.equal(s.state, "Passed");
    assert.equal(s.executed, "yes");
    assert.match(s.decision, /^PASSED \(final\); PASS \+1\d/);
    assert.equal((await pledgeStatus(conn, at.registry, 1n, null, decisions)).proposal, "none");

    // The trader's PASS-LAB pays 1:1, its FAIL-mUSD nothing.
    const labBefore = await labShare.read.balanceOf([addr(trader)]);
    const passLab = await sys.vault.read.balanceOf([addr(trader), await sys.vault.read.positionId([labShare.address, 0n, p.decision, 0n])]);
    const r = await redeemDecision(conn, { ...at, from: addr(trader), id: 1n, removeLiquidity: false });
    assert.equal(r.decision, "PASS");
    assert.match(r.received, /^100(\.\d+)? LAB, 0 mUSD$/);
    assert.equal((await labShare.read.balanceOf([addr(trader)])) - labBefore, passLab);
    await refuses(redeemDecision(conn, { ...at, from: addr(trader), id: 1n, removeLiquidity: false }), /holds no positions of proposal #1$/);

    // The proposer's seeds are in the pools: redeem says so, and --remove-liquidity takes them out first.
    await refuses(
      redeemDecision(conn, { ...at, from: addr(pledger), id: 1n, removeLiquidity: false }),
      /holds no positions of proposal #1; it has pool shares \(.* PASS, .* FAIL\): rerun with --remove-liquidity/,
    );
    const lp = await redeemDecision(conn, { ...at, from: addr(pledger), id: 1n, removeLiquidity: true });
    assert.match(lp.removedLiquidity, /^PASS: 8\d\d\.\d+ PASS-LAB \+ 1,11\d\.\d+ PASS-mUSD; FAIL: 999\.\d+ FAIL-LAB \+ 999\.\d+ FAIL-mUSD$/);
    assert.match(lp.received, /^8\d\d\.\d+ LAB, 1,11\d\.\d+ mUSD$/);
  });

  it("decides an amendment on breach risk: P(breach) per branch, nested splits, a PASS that amends the bond", async () => {
    const { sys, at, createArgs, proposeArgs, trade } = await networkHelpers.loadFixture(deployed);
    await createPledge(conn, createArgs());
    await openMarket(conn, { ...at, from: addr(pledger), id: 1n, liquidity: "100", feeBps: 0, approve: true });
    const riskArgs = proposeArgs({ kind: "amend", metric: "risk", metricToken: "", metricAmount: "", quoteAmount: "100", expiry: "+120d", bond: "500", termsHash: "Amended terms", termsUri: "ipfs://v2" });
    await refuses(propose(conn, { ...riskArgs, kind: "release", expiry: "", bond: "", termsHash: "", termsUri: "" }), /--metric risk is for amendments only/);
    const p = await propose(conn, riskArgs);
    assert.equal(p.metric, "Risk");
    assert.equal(p.stake, "5 mUSD");
    assert.equal(p.referencePrice, "P(breach) 50%");
    assert.equal(p.newBond, "500 mUSD");

    // Buying BREACH|FAIL raises P(breach | FAIL): the amendment looks safer than the status quo.
    const t = await tradeDecision(conn, trade({ branch: "fail", amount: "10" }));
    assert.match(t.split, /^\d+\.\d+ mUSD into PASS and FAIL \(then BREACH and HONOR\)$/);
    assert.match(t.received, /^10(\.\d+)? BREACH\|FAIL-mUSD$/);
    assert.match(t.spot, /^P\(breach\) 5\d\.\d+%$/);
    await poke(sys.pools, p.failPool, 20);
    await networkHelpers.time.increase(3_600);
    const s = await decisionStatus(conn, { ...at, id: 1n });
    assert.match(s.decision, /^passing: P\(breach\|PASS\) 50% vs P\(breach\|FAIL\) 5\d\.\d+%, -\d\.\d+% \(passes at most \+3%, not equal\)$/);
    assert.match(s.amendment ?? "", /bond 500 mUSD \(now 1,000 mUSD\)/);

    await networkHelpers.time.increase(28_800);
    const f = await finalizeDecision(conn, { ...at, from: "", id: 1n });
    assert.equal(f.decision, "PASS");
    assert.match(f.executed, /^yes: pledge #1 amended: expiry .*, bond 500 mUSD \(now Active\)$/);
    assert.equal((await sys.registry.read.getPledge([1n])).bond, units("500"));

    // The trader's PASS-mUSD (from the split) pays 1:1; its FAIL positions pay nothing.
    const r = await redeemDecision(conn, { ...at, from: addr(trader), id: 1n, removeLiquidity: false });
    assert.equal(r.received, t.split.replace(/ into .*/, ""));
  });

  it("refuses unknown proposals, ungoverned pledges, other proposers, bad options and missing allowances", async () => {
    const { sys, at, createArgs, proposeArgs, trade } = await networkHelpers.loadFixture(deployed);
    await refuses(decisionStatus(conn, { ...at, id: 9n }), /^proposal #9 does not exist \(the decisions contract 0x[0-9a-fA-F]{40} has no proposals yet\)$/);
    await createPledge(conn, createArgs({ governor: "" }));
    await createPledge(conn, createArgs());
    await refuses(createPledge(conn, createArgs({ governor: addr(pledger) })), /--governor .* is the pledger itself/);
    await refuses(createPledge(conn, createArgs({ decisions: "0x12" })), /--decisions: "0x12" is not an address/);
    assert.equal((await pledgeStatus(conn, at.registry, 1n, null, (await decisionsAt(conn, at)).decisions)).governor, "none (binds until its expiry)");
    await refuses(propose(conn, proposeArgs()), /pledge #1 is not governed \(created without --governor\), not by the decisions contract/);
    await refuses(propose(conn, proposeArgs({ id: 2n, from: addr(trader) })), /only the pledger .* can propose for pledge #2/);
    await refuses(propose(conn, proposeArgs({ id: 2n, kind: "leave" })), /--kind "leave" must be release or amend/);
    await refuses(propose(conn, proposeArgs({ id: 2n, expiry: "+1y" })), /describe an amendment: use them with --kind amend/);
    await refuses(propose(conn, proposeArgs({ id: 2n, kind: "amend", expiry: "+1h" })), /--expiry \+1h .* must be after the decision window's end/);
    await refuses(propose(conn, proposeArgs({ id: 2n, kind: "amend", expiry: "+60d", bond: "2000" })), /--bond 2,000 mUSD must be above 0 and at most the current bond 1,000 mUSD/);
    await refuses(propose(conn, proposeArgs({ id: 2n, metricToken: sys.bondToken.address })), /--metric-token and --quote-token are the same token/);
    await refuses(propose(conn, proposeArgs({ id: 2n, metric: "risk", kind: "amend", metricToken: "", metricAmount: "", expiry: "+60d" })), /--metric risk needs pledge #2's breach market open/);
    await refuses(propose(conn, proposeArgs({ id: 2n, approve: false })), /allows the decisions contract .* to pull 0 mUSD; this needs 1,010 mUSD\. Rerun with --approve/, AllowanceError);
    await refuses(decisionStatus(conn, { ...at, pools: sys.registry.address, id: 1n }), /--pools .* is not the one the decisions contract .* is bound to/);

    await propose(conn, proposeArgs({ id: 2n }));
    await refuses(propose(conn, proposeArgs({ id: 2n })), /pledge #2 has proposal #1 open already/);
    await refuses(tradeDecision(conn, trade({ id: 2n })), /^proposal #2 does not exist \(the decisions contract has proposals #1 to #1\)$/);
    await refuses(tradeDecision(conn, trade({ branch: "maybe" })), /--branch "maybe" must be pass or fail/);
    await refuses(tradeDecision(conn, trade({ side: "short" })), /--side "short" must be buy or sell/);
    await refuses(tradeDecision(conn, trade({ amount: "5000" })), /the PASS pool holds 1,000 PASS-LAB: it cannot sell 5,000 PASS-LAB/);
    await refuses(tradeDecision(conn, trade({ minOut: "101" })), /buying pays 100(\.\d+)? PASS-LAB now, below --min-out 101 PASS-LAB/);
    await refuses(tradeDecision(conn, trade({ approve: false })), /allows the vault .* to pull 0 mUSD; this needs 111\.\d+ mUSD/, AllowanceError);
    await refuses(tradeDecision(conn, trade({ side: "sell", split: false })), /holds 0 PASS-LAB; this sell needs 100 PASS-LAB: rerun with --split to split 100 LAB/);
    await refuses(executeDecision(conn, { ...at, from: "", id: 1n }), /proposal #1 is Trading: finalize it first/);
  });

  describe("task actions (tasks/decision-*.ts)", () => {
    const runTask = taskRunner(conn);

    it("runs the decision commands through their task actions and prints JSON", async () => {
      const { at, trade, proposeArgs } = await networkHelpers.loadFixture(withProposal);
      const status = await runTask("pledge-status", { ...at, id: 1n });
      assert.match(String(status.proposal), /^#1 Trading/);
      assert.equal((await runTask("decision-status", { ...at, id: 1n })).state, "Trading");
      assert.equal((await runTask("decision-trade", { ...trade(), side: "sell", amount: "10" })).action, "sold");
      await assert.rejects(runTask("decision-finalize", { ...at, from: "", id: 1n }), /UnexpectedProposalState\(proposalId=1, current=Trading, allowed=Decidable\)/);
      await assert.rejects(runTask("decision-propose", { ...proposeArgs(), approve: false }), /has proposal #1 open already/);
      const poked = await runTask("decision-poke", { ...at, from: "", id: 1n });
      assert.equal(poked.action, "poked");
      assert.deepEqual((poked.observations as { branch: string }[]).map((o) => o.branch), ["PASS", "FAIL"]);
      await networkHelpers.time.increase(28_800);
      await assert.rejects(runTask("decision-poke", { ...at, from: "", id: 1n }), /proposal #1 is Decidable: its pools take observations only while it trades/);
      // Nobody moved the oracles: a tie fails, the stake goes to the beneficiary, and the pledge binds.
      const f = await runTask("decision-finalize", { ...at, from: "", id: 1n });
      assert.equal(f.decision, "FAIL");
      assert.equal(f.executed, "n/a (FAIL: the pledge stays as it is)");
      await assert.rejects(runTask("decision-execute", { ...at, from: "", id: 1n }), /proposal #1 Failed: there is nothing to execute/);
      const r = await runTask("decision-redeem", { ...at, from: addr(trader), id: 1n, removeLiquidity: true });
      assert.equal(r.received, "10 LAB, 0 mUSD");
    });
  });
});
