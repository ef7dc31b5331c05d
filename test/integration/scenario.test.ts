/**
 * The agent-based scenarios (scripts/lib/scenario/): a seeded run is reproducible (the same seed
 * gives the same transactions and the same results, each run on its own in-process network), and a
 * run's report is conserved: the registry and the markets end empty after everyone claimed, the
 * actors' on-chain changes sum to zero, and the defector's loss is exactly its slashed bond, its lost
 * dispute bond and its market subsidy loss, each read from chain events.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";

import { network } from "hardhat";

import { type ScenarioConfig, type ScenarioResult, runScenario } from "../../scripts/lib/scenario/engine.js";
import { writeReport } from "../../scripts/lib/scenario/report.js";
import { SCENARIOS } from "../../scripts/lib/scenario/scenarios.js";

const quiet = { log: () => {}, progressOut: { isTTY: false, write: () => true } };

async function run(config: ScenarioConfig): Promise<ScenarioResult> {
  const conn = await network.create();
  try {
    return await runScenario(conn, config, quiet);
  } finally {
    await conn.close();
  }
}

/** What must be identical between two runs with the same seed (not timings, not deployment ids). */
function outcome(r: ScenarioResult) {
  return {
    actors: r.actors.map((a) => [a.actor, a.before, a.after, a.alignmentTaxPaid, a.privateGain]),
    prices: r.prices,
    pledges: r.pledges,
    defectors: r.defectors,
    defectorLoss: r.defectorLoss,
    trades: r.stats.trades,
    transactions: r.stats.counts,
    gasUsed: r.stats.gasUsed,
  };
}

const config: ScenarioConfig = { ...SCENARIOS.flagship.config, name: "test-flagship", seed: 42, verbose: false };

describe("Scenarios", () => {
  let first: ScenarioResult;

  it("the flagship: one lab defects, is caught, disputes, and loses its bond, its dispute bond and part of its subsidy", async () => {
    first = await run(config);
    assert.equal(first.defectors.length, 1);
    const [d] = first.defectors;
    assert.equal(d.lab, "Lab B");
    assert.equal(d.caught, 1);
    const pledge = first.pledges.find((p) => p.lab === "Lab B")!;
    assert.equal(pledge.outcome, "Breached");
    assert.equal(pledge.disputed, true);
    for (const p of first.pledges.filter((x) => x.lab !== "Lab B")) assert.equal(p.outcome, "Honored");
    // Conservation, read from chain.
    assert.equal(first.registryBalanceAfter, 0n);
    assert.equal(first.marketsBalanceAfter, 0n);
    assert.equal(first.actors.reduce((s, a) => s + a.delta, 0n), 0n);
    assert.equal(d.slashedBonds, pledge.bond);
    assert.equal(d.disputeBondsLost, BigInt(config.challengeBond) * 10n ** 18n);
    assert.equal(d.subsidyLoss, pledge.subsidy - pledge.subsidyBack);
    assert.equal(first.defectorLoss, d.slashedBonds + d.disputeBondsLost + d.subsidyLoss);
    assert.equal(first.defectorLoss, -first.actors.find((a) => a.actor === "Lab B")!.delta);
    assert.equal(d.flows.reduce((s, f) => s + f.amount, 0n), first.defectorLoss);
    assert.deepEqual(first.conservation, { registryEmpty: true, defectorLossExplained: true, actorsSumToZero: true });
    // The pact: Lab B's slashed bond, less the challenger's reward, reached the labs that kept the pledge
    // (75%, pro-rata to their equal bonds) and the safety fund (25%), to the wei, read from the pact's events.
    assert.ok(first.pact !== null);
    assert.equal(first.pactsBalanceAfter, 0n);
    const [breach] = first.pact.breaches;
    assert.equal(breach.lab, "Lab B");
    const challengerReward = d.flows.find((f) => f.via === "challenger reward (slashed bond)")!.amount;
    assert.equal(breach.toKeepers + breach.toBeneficiary, d.slashedBonds - challengerReward);
    assert.equal(breach.toKeepers, ((d.slashedBonds - challengerReward) * 7_500n) / 10_000n);
    assert.deepEqual(first.pact.keepers.map((k) => k.lab).sort(), ["Lab A", "Lab C"]);
    for (const k of first.pact.keepers) {
      assert.equal(k.shares, breach.toKeepers / 2n, `${k.lab}'s share`);
      assert.equal(d.flows.find((f) => f.to === k.lab)!.amount, k.shares);
    }
    assert.equal(first.pact.keepers.reduce((s, k) => s + k.shares, 0n) + first.pact.dust, breach.toKeepers);
    // The defector ends worse off than every lab that kept its pledge, off-chain payoffs included.
    const defector = first.actors.find((a) => a.actor === "Lab B")!;
    for (const keeper of first.actors.filter((a) => a.role === "lab" && a.actor !== "Lab B")) {
      assert.ok(defector.total < keeper.total, `${keeper.actor} ${keeper.total} vs Lab B ${defector.total}`);
    }
  });

  it("the same seed gives the same run", async () => {
    const second = await run(config);
    assert.deepEqual(outcome(second), outcome(first));
  });

  it("without a dispute the breach stands after the liveness, and the loss is the bond and the subsidy loss", async () => {
    const r = await run({ ...config, name: "test-undisputed", dispute: false });
    const [d] = r.defectors;
    assert.equal(d.disputeBondsLost, 0n);
    assert.equal(r.defectorLoss, d.slashedBonds + d.subsidyLoss);
    assert.equal(r.registryBalanceAfter, 0n);
    assert.deepEqual(r.conservation, { registryEmpty: true, defectorLossExplained: true, actorsSumToZero: true });
  });

  it("the same run without the pact: Lab B's slashed bond goes to the safety fund, the keepers get nothing of it", async () => {
    const r = await run({ ...config, name: "test-alone", keeperShareBps: null });
    assert.equal(r.pact, null);
    const [d] = r.defectors;
    const fund = r.actors.find((a) => a.actor === "Safety fund")!;
    const reward = d.flows.find((f) => f.via === "challenger reward (slashed bond)")!.amount;
    assert.equal(fund.delta, d.slashedBonds - reward);
    const inPact = first.actors.find((a) => a.actor === "Lab A")!.delta;
    const alone = r.actors.find((a) => a.actor === "Lab A")!.delta;
    assert.equal(inPact - alone, first.pact!.keepers.find((k) => k.lab === "Lab A")!.shares, "Lab A's keeper share is the difference");
    assert.deepEqual(r.conservation, { registryEmpty: true, defectorLossExplained: true, actorsSumToZero: true });
  });

  it("writes report.json, report.md and the SVG charts", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "scenario-report-"));
    try {
      const files = (await writeReport(first, dir)).map((f) => path.basename(f)).sort();
      assert.deepEqual(files, ["breach-prices.svg", "defector-flows.svg", "pnl.svg", "report.json", "report.md"]);
      const json = JSON.parse(await readFile(path.join(dir, "report.json"), "utf8"));
      assert.equal(json.scenario, "test-flagship");
      assert.equal(json.network.chainId, 31337);
      assert.equal(json.registryBalanceAfter, "0");
      assert.equal(json.defectorLoss, first.defectorLoss.toString());
      const svg = await readFile(path.join(dir, "breach-prices.svg"), "utf8");
      assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(svg, /Lab B defects/);
      const md = await readFile(path.join(dir, "report.md"), "utf8");
      assert.match(md, /Lab B defected on day \d+ and LOST/);
      assert.match(md, /Through pact #1, Lab B's slashed bond paid the labs that kept the pledge/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
