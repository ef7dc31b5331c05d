/**
 * The regime sweep (scripts/lib/sweep/): the best-reply solver on hand-written payoffs (fixed points from both
 * starts, a cycle, the expectation over detection), and a small sweep on chain: the payoffs are on-chain
 * balance changes (a keeper pays exactly t P, a caught defector loses exactly what the watcher and the safety
 * fund gain, a pact's keeper receives its share of the slashed bond), the voluntary regime never makes keeping a
 * best reply, and the worker processes measure the same runs as the task's own process.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";

import { network } from "hardhat";
import { parseUnits } from "viem";

import { UserInputError } from "../../scripts/lib/format.js";
import { type SweepConfig, parseSweepArgs, runsOfUnit, workUnits } from "../../scripts/lib/sweep/config.js";
import { runUnits } from "../../scripts/lib/sweep/pool.js";
import { writeSweepReport } from "../../scripts/lib/sweep/report.js";
import { runSweep } from "../../scripts/lib/sweep/run.js";
import { type MeasuredRun, type Payoff, bestReplyDynamics, binomial, expectedTable, isFixedPoint, symmetricPayoff } from "../../scripts/lib/sweep/solver.js";

const quiet = { isTTY: false, write: () => true };
const all = (n: number, keep: boolean) => Array<boolean>(n).fill(keep);

/** A symmetric game given by a keeper's and a defector's payoff as functions of the number of defectors. */
const game = (keep: (defectors: number) => number, defect: (defectors: number) => number): Payoff => (i, p) => {
  const d = p.filter((k) => !k).length;
  return p[i] ? keep(d) : defect(d);
};

describe("Sweep: best replies (pure)", () => {
  it("a prisoner's dilemma: from either start the labs end at all-defect, and all-keep is not a fixed point", () => {
    // Defecting saves 10 whatever the others do; each defector costs everyone 4.
    const pd = game((d) => -4 * d, (d) => 10 - 4 * d);
    for (const start of [all(3, true), all(3, false)]) {
      const r = bestReplyDynamics(pd, start);
      assert.equal(r.end, "fixed-point");
      assert.deepEqual(r.profile, all(3, false));
    }
    assert.equal(isFixedPoint(pd, all(3, true)), false);
    assert.equal(bestReplyDynamics(pd, all(3, true)).switches, 3);
  });

  it("a coordination game: both all-keep and all-defect are fixed points, each reached from itself", () => {
    // Keeping pays only if nobody defects.
    const stag = game((d) => (d === 0 ? 5 : -10), () => 0);
    assert.equal(isFixedPoint(stag, all(4, true)), true);
    assert.equal(isFixedPoint(stag, all(4, false)), true);
    assert.equal(bestReplyDynamics(stag, all(4, true)).keepers, 4);
    assert.equal(bestReplyDynamics(stag, all(4, false)).keepers, 0);
    // From a mixed profile the first lab to move sees a defector and defects: the rest follow.
    assert.equal(bestReplyDynamics(stag, [true, false, true, true]).keepers, 0);
  });

  it("a tie keeps the current choice", () => {
    const flat = game(() => 1, () => 1);
    assert.deepEqual(bestReplyDynamics(flat, [true, false]).profile, [true, false]);
  });

  it("matching pennies has no fixed point: the dynamics report the cycle", () => {
    // Lab 0 wants to match lab 1; lab 1 wants to differ.
    const pennies: Payoff = (i, p) => (i === 0 ? (p[0] === p[1] ? 1 : -1) : p[0] === p[1] ? -1 : 1);
    for (const start of [all(2, true), all(2, false)]) {
      const r = bestReplyDynamics(pennies, start);
      assert.equal(r.end, "cycle");
      assert.equal(r.cycle!.length, 4);
      assert.equal(new Set(r.cycle!.map((p) => p.join())).size, 4, "the cycle visits all four profiles");
    }
  });

  it("the expectation over detection weights each measured outcome by its binomial probability", () => {
    assert.equal(binomial(2, 1, 0.5), 0.5);
    assert.equal(binomial(3, 0, 0.25), 0.421875);
    // Two labs; a caught defector ends at -100, an unseen one at 0, a keeper at -10 (or +50 when its rival is caught).
    const runs: MeasuredRun[] = [
      { defectors: 0, detected: 0, deltas: [-10, -10] },
      { defectors: 1, detected: 0, deltas: [0, -10] },
      { defectors: 1, detected: 1, deltas: [-100, 50] },
      { defectors: 2, detected: 0, deltas: [0, 0] },
      { defectors: 2, detected: 1, deltas: [-100, 0] },
      { defectors: 2, detected: 2, deltas: [-100, -100] },
    ];
    const abs = expectedTable(2, runs, 0.25, 0);
    assert.deepEqual(abs.keep, [-10, 0.75 * -10 + 0.25 * 50]);
    assert.equal(abs.defect[1], 0.25 * -100);
    // Both defect: P(k = 1) = 2 d (1 - d), and then a given defector is the caught one with probability 1/2.
    assert.equal(abs.defect[2], 2 * 0.25 * 0.75 * 0.5 * -100 + 0.0625 * -100);
    // Relative payoffs subtract the rival's change: a caught lone defector also sees its rival gain 50.
    const rel = expectedTable(2, runs, 0.25, 1);
    assert.equal(rel.defect[1], 0.75 * (0 - -10) + 0.25 * (-100 - 50));
    assert.notEqual(rel.defect[1], abs.defect[1]);
    assert.equal(isFixedPoint(symmetricPayoff(abs), all(2, true)), abs.keep[0] >= abs.defect[1]);
  });
});

describe("Sweep: options and work units", () => {
  it("parses the grid, refuses what the chain cannot run, and splits the grid into units", () => {
    const cfg = parseSweepArgs(["--taxes", "500,100,500", "--labs", "3", "--regimes", "bonded,voluntary", "--workers", "1"]);
    assert.deepEqual(cfg.taxes, [100, 500]);
    assert.deepEqual(cfg.regimes, ["voluntary", "bonded"]);
    for (const bad of [["--labs", "1"], ["--labs", "14"], ["--detections", "1.5"], ["--bonds", "0"], ["--regimes", "pacts"], ["--nope", "1"], ["--workers", "0"]]) {
      assert.throws(() => parseSweepArgs(bad), UserInputError, bad.join(" "));
    }
    // The voluntary regime has no bond: one unit per lab count; the others one per (bond, lab count).
    const defaults = parseSweepArgs([]);
    assert.equal(defaults.taxes.length * defaults.bonds.length * defaults.detections.length * defaults.labs.length, 200);
    const units = workUnits(defaults);
    assert.equal(units.length, 2 + 2 * 5 * 2);
    assert.equal(units.reduce((s, u) => s + runsOfUnit(u), 0), 1_155);
  });
});

describe("Sweep: on chain", () => {
  const cfg: SweepConfig = {
    ...parseSweepArgs(["--quick"]),
    taxes: [250],
    bonds: [4_000],
    detections: [0.5, 1],
    labs: [2],
    workers: 1,
  };
  const P = BigInt(cfg.periods);
  const units = (x: number) => parseUnits(String(x), 18);

  it("payoffs are balance changes read from chain, and the no-bond regime never makes keeping a best reply", async () => {
    const run = await runSweep(cfg, () => network.create(), quiet);
    const unit = (regime: string) => run.units.find((u) => u.unit.regime === regime)!;
    const outcome = (regime: string, D: number, k: number) => unit(regime).runs.find((r) => r.defectors === D && r.detected === k)!;
    const tP = units(250) * P;
    const bond = units(4_000);

    // Voluntary: a keeper pays exactly the tax, to the alignment sink; a defector pays nothing.
    assert.deepEqual(outcome("voluntary", 0, 0).deltas, [-tP, -tP]);
    assert.equal(outcome("voluntary", 0, 0).sink, 2n * tP);
    assert.deepEqual(outcome("voluntary", 1, 1).deltas, [0n, -tP]);
    // Bonded: an unseen defector gets its bond and its whole subsidy back; a caught one loses its bond and,
    // through its market, what the watcher won beyond its 20% reward; the safety fund gets the other 80%.
    assert.deepEqual(outcome("bonded", 1, 0).deltas, [0n, -tP]);
    const caught = outcome("bonded", 1, 1);
    assert.equal(caught.safetyFund, (bond * 8_000n) / 10_000n);
    assert.equal(caught.deltas[0], -(caught.safetyFund + caught.watcher));
    assert.ok(-caught.deltas[0] > bond, "the breach market costs the caught defector more than its bond");
    assert.ok(caught.watcher > (bond * 2_000n) / 10_000n, "the watcher won in the market besides its reward");
    // Pact: the keeper receives keeperShareBps of the slashed bond less the challenger's reward (2 labs: all of it).
    const pact = outcome("pact", 1, 1);
    const toKeeper = (((bond * 8_000n) / 10_000n) * BigInt(cfg.keeperShareBps)) / 10_000n;
    assert.equal(pact.deltas[1], -tP + toKeeper);
    assert.equal(pact.deltas[0], caught.deltas[0]);
    // Every run settled to the end: the contracts hold nothing, and the changes sum to zero.
    for (const u of run.units) {
      for (const r of u.runs) {
        assert.equal(r.escrowLeft, 0n);
        assert.equal(r.deltas.reduce((s, x) => s + x, 0n) + r.sink + r.watcher + r.safetyFund, 0n);
      }
    }

    const cells = (regime: string) => run.analysis.cells.filter((c) => c.regime === regime);
    assert.ok(cells("voluntary").length > 0);
    for (const c of cells("voluntary")) {
      assert.equal(c.keepIsBestReply, false);
      assert.equal(c.defectDominates, true);
      assert.equal(c.fromAllKeep.keepers, 0);
    }
    // d B = 2,000 >= t P = 1,000 at d = 0.5: keeping is the best reply, in both bonded regimes.
    for (const c of [...cells("bonded"), ...cells("pact")]) assert.equal(c.keepIsBestReply, true, `${c.regime} d=${c.detection} lambda=${c.lambda}`);

    const dir = await mkdtemp(path.join(os.tmpdir(), "sweep-report-"));
    try {
      await writeSweepReport(run, dir);
      const files = await readdir(dir);
      for (const f of ["report.json", "report.md", "heatmap-voluntary-absolute.svg", "heatmap-bonded-relative.svg", "heatmap-pact-relative.svg", "pact-vs-pledge.svg"]) {
        assert.ok(files.includes(f), f);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("two worker processes measure the same runs as one in-process network", async () => {
    const small = { ...cfg, regimes: ["bonded" as const], detections: [1] };
    const one = await runUnits(workUnits(small), { workers: 1, connect: () => network.create(), progressOut: quiet });
    const two = await runUnits(workUnits({ ...small, bonds: [4_000, 8_000] }), { workers: 2, connect: () => network.create(), progressOut: quiet });
    assert.equal(two.length, 2);
    assert.deepEqual(two[0].runs, one[0].runs);
  });
});
