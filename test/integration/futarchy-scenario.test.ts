/**
 * The futarchy scenarios (scripts/lib/scenario/futarchy/), short runs on the in-process network: the release
 * scenario's three decisions reach their outcomes (a release the markets reject leaves the pledge binding and a
 * later breach is slashed; one they accept releases it and it ends Honored without slashing; an amendment on the
 * Risk metric executes), the manipulation sweep reports who profited, and every run is conserved, read from chain:
 * at the window's end PASS and FAIL outstanding are equal and the vault holds exactly the outstanding positions;
 * after settlement the contracts are empty but for the pools' locked minimum liquidity, and each token's changes
 * over every actor (the lab as liquidity provider included) plus that dust sum to zero.
 */
import assert from "node:assert/strict";
import { access, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";

import { network } from "hardhat";

import { MANIPULATION_DEFAULTS, RELEASE_DEFAULTS } from "../../scripts/lib/scenario/futarchy/config.js";
import type { DecisionRunResult } from "../../scripts/lib/scenario/futarchy/decision.js";
import { failedFutarchyChecks, writeManipulationReport, writeReleaseReport } from "../../scripts/lib/scenario/futarchy/report.js";
import { type ManipulationReport, type ReleaseReport, runManipulationScenario, runReleaseScenario } from "../../scripts/lib/scenario/futarchy/scenarios.js";

const quiet = { log: () => {}, progressOut: { isTTY: false, write: () => true } };
const connect = () => network.create();

function assertConserved(r: DecisionRunResult) {
  assert.deepEqual(r.checks, { branchesEqual: true, vaultCoversPositions: true, contractsEmpty: true, vaultDustIsLockedLiquidity: true, sumsToZero: true }, r.name);
  // Recomputed here from the actors' rows: per token, the changes plus the vault's dust sum to zero.
  assert.equal(r.actors.reduce((s, a) => s + a.deltaBond, 0n) + r.vaultDust.bond, 0n);
  assert.equal(r.actors.reduce((s, a) => s + a.deltaShares, 0n) + r.vaultDust.shares, 0n);
  // The dust is the pools' locked minimum liquidity: a few thousand wei, not tokens.
  assert.ok(r.vaultDust.bond < 10n ** 9n && r.vaultDust.shares < 10n ** 9n);
}

describe("Futarchy scenarios", () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  let release: ReleaseReport;

  it("release: a rejected release leaves the pledge binding and its breach is slashed; an accepted one ends Honored; a Risk amendment executes", async () => {
    release = await runReleaseScenario(connect, { ...RELEASE_DEFAULTS, traders: 3, stepBlocks: 40, quiet: true }, quiet);
    const [fail, pass, risk] = release.runs;

    assert.equal(fail.passed, false);
    assert.equal(fail.executed, false);
    assert.equal(fail.pledgeOutcome, "Breached");
    const lab = (r: DecisionRunResult) => r.actors.find((a) => a.role === "lab")!;
    const fund = (r: DecisionRunResult) => r.actors.find((a) => a.role === "beneficiary")!;
    // Slashed: the watcher who challenged got 20% of the bond, the beneficiary the other 80% and the forfeited stake
    // (1% of the bond); the lab lost about its bond (its row also holds what it made as liquidity provider).
    const watcher = fail.actors.find((a) => a.role === "watcher")!;
    assert.equal(watcher.deltaBond, 20_000n * 10n ** 18n);
    assert.ok(fund(fail).deltaBond >= 81_000n * 10n ** 18n);
    assert.ok(lab(fail).value < -90_000n * 10n ** 18n, `${lab(fail).value}`);

    assert.equal(pass.passed, true);
    assert.equal(pass.executed, true);
    assert.match(pass.registryAction, /^released/);
    assert.equal(pass.pledgeOutcome, "Honored");
    // No slashing: the beneficiary received nothing, the 100,000 bond came back (what the lab lost is the breach
    // market's subsidy and what it lost as liquidity provider, far less than the bond).
    assert.equal(fund(pass).deltaBond, 0n);
    assert.ok(lab(pass).deltaBond > -50_000n * 10n ** 18n, `${lab(pass).deltaBond}`);

    assert.equal(risk.metric, "risk");
    assert.equal(risk.passed, true);
    assert.match(risk.registryAction, /^amended: bond 80,000, 20,000 credited back/);
    assert.equal(risk.pledgeOutcome, "Honored");
    assert.ok(risk.passValue < risk.failValue);

    for (const r of release.runs) {
      assertConserved(r);
      assert.ok(r.series.some((p) => p.branch === "PASS" && p.series === "TWAP"));
      assert.ok(r.series.some((p) => p.branch === "FAIL" && p.series === "TWAP"));
    }
    assert.deepEqual(failedFutarchyChecks(release), []);
  });

  it("release: writes report.json, report.md and the SVG charts", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "futarchy-release-"));
    dirs.push(dir);
    const files = (await writeReleaseReport(release, dir)).map((f) => path.basename(f)).sort();
    assert.deepEqual(files, ["amend-risk.svg", "pnl.svg", "release-fail.svg", "release-pass.svg", "report.json", "report.md"]);
    const json = JSON.parse(await readFile(path.join(dir, "report.json"), "utf8"));
    assert.equal(json.scenario, "release");
    assert.equal(json.runs.length, 3);
    assert.equal(json.network.chainId, 31337);
    assert.match(await readFile(path.join(dir, "release-fail.svg"), "utf8"), /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const md = await readFile(path.join(dir, "report.md"), "utf8");
    assert.match(md, /\*\*FAIL\*\*/);
    assert.match(md, /ended \*\*Breached\*\*/);
    assert.match(md, /ended \*\*Honored\*\*/);
  });

  let manipulation: ManipulationReport;

  it("manipulation: a short late attack does not flip the decision and loses to the defenders; every run is conserved", async () => {
    manipulation = await runManipulationScenario(
      connect,
      { ...MANIPULATION_DEFAULTS, seeds: [1], sustain: [5, 150], variants: false, breachSustain: [5], defenders: 3, stepBlocks: 60 },
      quiet,
    );
    const base = manipulation.rows.find((r) => r.kind === "baseline")!;
    assert.equal(base.passed, false, "the honest markets fail a release that destroys value");
    const short = manipulation.rows.find((r) => r.kind === "attack" && r.sustain === 5)!;
    assert.equal(short.changed, false);
    assert.equal(short.passed, false);
    const long = manipulation.rows.find((r) => r.kind === "attack" && r.sustain === 150)!;
    assert.equal(long.blocksPushed, 150);
    assert.ok(long.attacker!.value < 0n, "the attacker loses");
    assert.ok(long.defenders.value > 0n, "the defenders profit");
    for (const r of manipulation.rows) assert.ok(Object.values(r.checks).every(Boolean), `${r.kind} ${r.sustain}`);
    for (const b of manipulation.breach) assert.deepEqual(b.checks, { contractsEmpty: true, sumsToZero: true });
    const attacked = manipulation.breach.find((b) => b.sustain === 5)!;
    assert.ok(attacked.priceAtAttackEnd < 0.05, "the attacker moved the breach price to its target");
    assert.deepEqual(failedFutarchyChecks(manipulation), []);
  });

  it("manipulation: writes report.json, report.md and the SVG charts", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "futarchy-manipulation-"));
    dirs.push(dir);
    const files = (await writeManipulationReport(manipulation, dir)).map((f) => path.basename(f)).sort();
    assert.deepEqual(files, ["attack.svg", "breach.svg", "report.json", "report.md", "sweep.svg"]);
    for (const f of files) await access(path.join(dir, f));
    const md = await readFile(path.join(dir, "report.md"), "utf8");
    assert.match(md, /## Who profited/);
    assert.match(md, /\| attack \| 150 \|/);
  });
});
