/**
 * The `pledge status` task's logic (scripts/lib/status.ts), on a deployment made through Ignition:
 * what it reads for an open challenge and after settlement, and its refusals of bad input.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { network } from "hardhat";
import { getAddress } from "viem";

import { deployLocalSystem } from "../../scripts/lib/deploy.js";
import { UserInputError } from "../../scripts/lib/format.js";
import { pledgeStatus, resolveRegistry } from "../../scripts/lib/status.js";
import { challengePledge, createStandardPledge, units } from "../utils/helpers.js";

describe("pledge status", async () => {
  const conn = await network.create();
  const { viem, networkHelpers } = conn;
  const [, pledger, challenger, beneficiary, m1, m2, m3] = await viem.getWalletClients();

  async function challengedPledge() {
    const sys = await deployLocalSystem(conn, {
      committeeMembers: [m1, m2, m3].map((w) => w.account.address),
    });
    const pledge = await createStandardPledge(
      sys,
      pledger,
      { bond: units("1000"), challengeBond: units("100"), beneficiary: beneficiary.account.address },
      await networkHelpers.time.latest(),
    );
    const { challengeId } = await challengePledge(sys, challenger, pledge.pledgeId);
    return { sys, pledge, challengeId };
  }

  it("shows an open challenge, then the breach and who can claim what after settlement", async () => {
    const { sys, pledge, challengeId } = await networkHelpers.loadFixture(challengedPledge);
    const open = await pledgeStatus(conn, sys.registry.address, pledge.pledgeId);
    assert.equal(open.state, "Challenged");
    assert.equal(open.bond, "1,000 mUSD");
    assert.equal(open.openChallenge?.id, challengeId.toString());
    assert.equal(open.openChallenge?.role, "open");
    assert.equal(open.openChallenge?.disputer, "none");
    assert.equal(open.nextChallengeBond, "100 mUSD");

    await networkHelpers.time.increase(pledge.liveness);
    await sys.registry.write.finalize([pledge.pledgeId]);
    const settled = await pledgeStatus(conn, sys.registry.address, pledge.pledgeId);
    assert.equal(settled.state, "Breached");
    assert.equal(settled.openChallenge?.role, "established the breach");
    // 20% reward (the module's default) plus the challenger's own 100 mUSD bond; the rest to the beneficiary.
    assert.equal(settled.claimable[`challenger ${getAddress(challenger.account.address)}`], "300 mUSD");
    assert.equal(settled.claimable[`beneficiary ${getAddress(beneficiary.account.address)}`], "800 mUSD");
    assert.equal(settled.claimable[`pledger ${getAddress(pledger.account.address)}`], "0 mUSD");
  });

  it("refuses unknown pledges and bad registry addresses with a UserInputError", async () => {
    const { sys } = await networkHelpers.loadFixture(challengedPledge);
    await assert.rejects(pledgeStatus(conn, sys.registry.address, 2n), (e: unknown) => {
      assert.ok(e instanceof UserInputError);
      assert.match(e.message, /pledge #2 does not exist \(the registry has pledges #1 to #1\)/);
      return true;
    });
    await assert.rejects(pledgeStatus(conn, sys.registry.address, 0n), UserInputError);
    await assert.rejects(resolveRegistry(conn, "0x1234"), /"0x1234" is not an address/);
    assert.equal(await resolveRegistry(conn, sys.registry.address.toLowerCase()), getAddress(sys.registry.address));
  });
});
