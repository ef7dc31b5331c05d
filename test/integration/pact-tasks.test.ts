/**
 * The pact commands of the command-line interface (tasks/pact-*.ts, logic in scripts/lib/cli/pact.ts): a pact
 * created, joined by three labs, activated, one breach recorded and the keepers paid, run through the task
 * actions as `npx hardhat pact ... --json` would; and the refusals of bad input. The in-process network records
 * no deployment, so every call names the Pacts contract and the registry.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { network } from "hardhat";
import { getAddress } from "viem";

import { activatePact, claimPact, createPact, joinPact, type PactCreateArgs, pactStatus } from "../../scripts/lib/cli/pact.js";
import { lensIfKnown, tokenInfo } from "../../scripts/lib/cli/context.js";
import { deployLocalSystem } from "../../scripts/lib/deploy.js";
import { pledgeStatus } from "../../scripts/lib/status.js";
import { UserInputError } from "../../scripts/lib/format.js";
import { DAY, units } from "../utils/helpers.js";
import { taskRunner } from "../utils/task-actions.js";

async function refuses(promise: Promise<unknown>, pattern: RegExp) {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof UserInputError, `expected a UserInputError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

describe("command-line tasks: pacts", async () => {
  const conn = await network.create();
  const { viem, networkHelpers } = conn;
  const [founder, labA, labB, labC, fund, watcher, m1, m2, m3] = await viem.getWalletClients();
  const addr = (w: { account: { address: `0x${string}` } }) => getAddress(w.account.address);
  const runTask = taskRunner(conn);

  async function deployed() {
    const sys = await deployLocalSystem(conn, { committeeMembers: [m1, m2, m3].map(addr) });
    for (const w of [founder, labA, labB, labC, watcher]) await sys.bondToken.write.mint([addr(w), units("100000")]);
    const at = { pacts: sys.pacts.address, registry: sys.registry.address };
    const createArgs = (over: Partial<PactCreateArgs> = {}): PactCreateArgs => ({
      ...at,
      from: addr(founder),
      token: sys.bondToken.address,
      minBond: "1000",
      quorum: 2,
      seats: 3,
      members: "",
      joinBy: "+3d",
      expiry: "+90d",
      grace: "7d",
      liveness: "1d",
      challengeBond: "100",
      keeperBps: 7_500,
      beneficiary: addr(fund),
      arbiter: sys.committee.address,
      terms: "No training run above the agreed threshold",
      uri: "ipfs://pact",
      bonus: "",
      approve: true,
      ...over,
    });
    return { sys, at, createArgs };
  }

  it("create, join, activate, a breach recorded and the keepers paid, the fund paid", async () => {
    const { sys, at, createArgs } = await networkHelpers.loadFixture(deployed);
    const created = await runTask("pact-create", { ...createArgs() });
    assert.equal(created.pactId, "1");
    assert.equal(created.members, "open");
    for (const [w, bond] of [[labA, "1000"], [labB, "2000"], [labC, "1000"]] as const) {
      const joined = await runTask("pact-join", { ...at, from: addr(w), id: 1n, bond, approve: true });
      assert.equal(joined.action, "joined");
    }
    const status = await runTask("pact-status", { ...at, id: 1n });
    assert.equal(status.state, "Activatable");
    const activated = await runTask("pact-activate", { ...at, from: addr(founder), id: 1n });
    const members = activated.members as { member: string; status: string; pledge: string; defectionCost: string }[];
    assert.deepEqual(members.map((m) => m.status), ["Pledged", "Pledged", "Pledged"]);
    assert.match(members[2].pledge, /^#3 Active$/);
    assert.match(members[2].defectionCost, /^1,000(\.0+)? mUSD$/);

    // Lab C sponsors its pledge's breach market and a trader buys BREACH: with the DefectionLens, C's cost of
    // defection also counts the subsidy its market would lose if BREACH were reported.
    await sys.bondToken.write.approve([sys.breachMarkets.address, units("1000")], { account: labC.account });
    await sys.breachMarkets.write.openMarket([3n, units("100"), 0], { account: labC.account });
    const conditionId = await sys.breachMarkets.read.conditionOf([3n]);
    await sys.bondToken.write.approve([sys.maker.address, units("100")], { account: watcher.account });
    const now = BigInt(await networkHelpers.time.latest());
    await sys.maker.write.buy([conditionId, 0n, units("50"), units("100"), now + 3_600n, addr(watcher)], { account: watcher.account });
    const cost = await sys.lens.read.memberCost([1n, addr(labC)]);
    assert.ok(cost.marketLoss > 0n, "the market would cost C part of its subsidy");
    const withLens = await runTask("pact-status", { ...at, lens: sys.lens.address, id: 1n });
    const rowC = (withLens.members as { member: string; defectionCost: string }[]).find((m) => m.member === addr(labC))!;
    const token = await tokenInfo(conn, sys.bondToken.address);
    assert.equal(rowC.defectionCost, token.fmt(cost.lossIfDefect));
    assert.equal(cost.lossIfDefect, units("1000") + cost.marketLoss);
    assert.match(String(withLens.defectionCost), /DefectionLens/);
    const pledgeView = await pledgeStatus(conn, sys.registry.address, 3n, null, null, await lensIfKnown(conn, { lens: sys.lens.address }));
    assert.match(pledgeView.defectionCost, /market subsidy/);
    assert.equal((await pledgeStatus(conn, sys.registry.address, 3n)).defectionCost, "unknown (no --lens)");

    // Lab C breaches: a watcher challenges its pledge, nobody disputes, the liveness passes.
    await sys.bondToken.write.approve([sys.registry.address, units("100")], { account: watcher.account });
    await sys.registry.write.challenge([3n, "ipfs://evidence", units("100")], { account: watcher.account });
    await networkHelpers.time.increase(DAY);
    const recorded = await runTask("pact-record", { ...at, from: addr(watcher), id: 1n, member: "" });
    assert.deepEqual((recorded.recorded as { outcome: string }[]).map((r) => r.outcome), ["Breached"]);
    assert.match(String(recorded.notYet), /pledge #1 Active/);

    // Shares vest only when the keeper's own pledge is honored.
    await refuses(claimPact(conn, { ...at, from: addr(labA), id: 1n, to: "" }), /keeper shares .* vest once its pledge is honored/);
    await networkHelpers.time.increase(100 * DAY);
    await runTask("pact-record", { ...at, from: addr(watcher), id: 1n, member: "" });
    // Lab C's 1,000: the challenger 10% (the default registry), the pact 900: keepers 675 (A 225, B 450), fund 225.
    const reward = (units("1000") * BigInt((await sys.registry.read.config()).challengerRewardBps)) / 10_000n;
    const rest = units("1000") - reward;
    const toKeepers = (rest * 7_500n) / 10_000n;
    const before = await sys.bondToken.read.balanceOf([addr(labB)]);
    const claimedB = await runTask("pact-claim", { ...at, from: addr(labB), id: 1n, to: "" });
    assert.equal((claimedB.paid as { what: string }[])[0].what, "keeper shares");
    const gotB = (await sys.bondToken.read.balanceOf([addr(labB)])) - before;
    assert.equal(gotB, (units("2000") * ((toKeepers * 10n ** 27n) / units("3000"))) / 10n ** 27n, "B's share by bond, read from chain");
    await runTask("pact-claim", { ...at, from: addr(labA), id: 1n, to: "" });
    const fundClaim = await runTask("pact-claim", { ...at, from: addr(fund), id: 1n, to: "" });
    assert.equal((fundClaim.paid as { what: string }[])[0].what, "claimable (beneficiary)");
    assert.equal(await sys.bondToken.read.balanceOf([sys.pacts.address]), 0n, "the Pacts contract is empty");
    const after = await runTask("pact-status", { ...at, id: 1n });
    assert.match(String((after.keepers as { recorded: string }).recorded), /^3 of 3 outcomes$/);
  });

  it("refuses bad input with a sentence, before any transaction", async () => {
    const { sys, at, createArgs } = await networkHelpers.loadFixture(deployed);
    await refuses(createPact(conn, createArgs({ quorum: 1 })), /--quorum must be at least 2/);
    await refuses(createPact(conn, createArgs({ seats: 1 })), /--seats is 1, below --quorum 2/);
    await refuses(createPact(conn, createArgs({ expiry: "+1d" })), /must be after --join-by/);
    await refuses(createPact(conn, createArgs({ keeperBps: 10_001 })), /--keeper-bps must be 0..10000/);
    await refuses(createPact(conn, createArgs({ beneficiary: "" })), /--beneficiary is required/);
    await createPact(conn, createArgs());
    await refuses(joinPact(conn, { ...at, from: addr(labA), id: 1n, bond: "1000", approve: false }), /has not approved the Pacts contract .* as its sponsor/);
    await refuses(joinPact(conn, { ...at, from: addr(labA), id: 1n, bond: "999", approve: true }), /below pact #1's minimum/);
    await refuses(joinPact(conn, { ...at, from: addr(labA), id: 2n, bond: "1000", approve: true }), /pact #2 does not exist/);
    await refuses(activatePact(conn, { ...at, from: addr(founder), id: 1n }), /pact #1 is Joining \(0 of 3 seats, quorum 2\)/);
    await refuses(pactStatus(conn, { pacts: sys.registry.address, registry: "", id: 1n }), /is not a Pacts contract/);
    await refuses(claimPact(conn, { ...at, from: addr(labA), id: 1n, to: "" }), /nothing to take from pact #1/);
    assert.equal(await sys.pacts.read.pactCount(), 1n);
  });
});
