/**
 * Pacts rows (no Gnosis anchor), over `settings.samples` pacts of 3 fresh members each (bonds of 10, 20
 * and 10 tokens, 75% keeper share): createPact, join (the first member, and each later one), activate (3
 * members: three pledges created in one transaction), recordOutcome of a breach (the pact takes its part
 * from the registry and moves the accumulator), recordOutcome of an honor (the last one settles the pact's
 * rounding dust, a loop over its members) and claimShares. Plus one pact of `Pacts.MAX_MEMBERS` = 32
 * members: the activation of the largest pact there can be.
 */
import { keccak256, maxUint256, parseEther, toHex, type Hash } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";

import { progress, type BenchContext, type Measured } from "../context.js";
import { Recorder, type Measurer } from "../measurer.js";
import { OP } from "../operations.js";

const GAS_LIMIT = 1_000_000n;
const DAY = 86_400;
const BOND = parseEther("10");

export const pactsMeasurer: Measurer = {
  name: "Pacts",
  async measure(ctx) {
    const { send, measure, conn, log } = ctx;
    const { registry, bondToken, committee, pacts } = ctx.pledges;
    const { deployer, creator } = ctx.wallets;
    const rec = new Recorder();
    const watcher = (await ctx.freshAccounts("pact watcher", 1))[0];
    await send("mint", bondToken.write.mint([watcher.address, parseEther("1000000")]));
    await send("approve", bondToken.write.approve([registry.address, maxUint256], { account: watcher, gas: GAS_LIMIT }));

    const newPact = async (members: number, label: string) => {
      const now = await conn.networkHelpers.time.latest();
      const params = {
        termsHash: keccak256(toHex(`bench-gas pact ${label}`)),
        termsURI: `ipfs://${keccak256(toHex(label)).slice(2, 61)}`,
        token: bondToken.address,
        minBond: BOND,
        quorum: 2,
        maxMembers: members,
        joinDeadline: BigInt(now + DAY),
        expiry: BigInt(now + 31 * DAY),
        grace: 0,
        keeperShareBps: 7_500,
        // Any account that is not a member stands in for a safety fund.
        beneficiary: creator.account.address,
        resolution: { arbiter: committee.address, liveness: 3_600, challengeBond: BOND / 10n },
        bonus: 0n,
      };
      const created = await measure("createPact", pacts.write.createPact([params, []], { account: deployer.account, gas: GAS_LIMIT }));
      return { created, pactId: await pacts.read.pactCount(), expiry: Number(params.expiry) };
    };
    const joinAll = async (pactId: bigint, accounts: PrivateKeyAccount[], bonds: bigint[]): Promise<Measured[]> => {
      const joins: Measured[] = [];
      for (const [i, account] of accounts.entries()) {
        await send("mint", bondToken.write.mint([account.address, 2n * bonds[i]]));
        await send("approve", bondToken.write.approve([pacts.address, maxUint256], { account, gas: GAS_LIMIT }));
        await send("approveSponsor", registry.write.approveSponsor([pacts.address, true], { account, gas: GAS_LIMIT }));
        joins.push(await measure("join", pacts.write.join([pactId, bonds[i]], { account, gas: GAS_LIMIT })));
      }
      return joins;
    };

    const samples = ctx.settings.samples;
    const tick = progress(log, "pacts", samples);
    for (let s = 0; s < samples; s++) {
      const { created, pactId, expiry } = await newPact(3, `sample ${s}`);
      rec.ours(OP.pactCreate, created);
      const accounts = await ctx.freshAccounts(`pact member ${s}`, 3);
      const [first, ...later] = await joinAll(pactId, accounts, [BOND, 2n * BOND, BOND]);
      rec.ours(OP.pactJoinFirst, first);
      for (const m of later) rec.ours(OP.pactJoinLater, m);
      rec.ours(OP.pactActivate3, await measure("activate", pacts.write.activate([pactId], { account: deployer.account, gas: 3n * GAS_LIMIT })));
      // The third member breaches: a watcher challenges, nobody disputes, the liveness passes.
      const breacher = (await pacts.read.getMember([pactId, accounts[2].address])).pledgeId;
      await send("challenge", registry.write.challenge([breacher, "ipfs://evidence", BOND / 10n], { account: watcher, gas: GAS_LIMIT }));
      await conn.networkHelpers.time.increase(3_600);
      rec.ours(OP.pactRecordBreach, await measure("recordOutcome", pacts.write.recordOutcome([pactId, accounts[2].address], { account: deployer.account, gas: GAS_LIMIT })));
      await conn.networkHelpers.time.increaseTo(expiry);
      rec.ours(OP.pactRecordHonor, await measure("recordOutcome", pacts.write.recordOutcome([pactId, accounts[0].address], { account: deployer.account, gas: GAS_LIMIT })));
      rec.ours(OP.pactRecordLast, await measure("recordOutcome", pacts.write.recordOutcome([pactId, accounts[1].address], { account: deployer.account, gas: GAS_LIMIT })));
      for (const account of accounts.slice(0, 2)) {
        rec.ours(OP.pactClaimShares, await measure("claimShares", pacts.write.claimShares([pactId, account.address], { account, gas: GAS_LIMIT })));
      }
      tick(s + 1);
    }

    const max = Number(await pacts.read.MAX_MEMBERS());
    const { pactId } = await newPact(max, "largest");
    await joinAll(pactId, await ctx.freshAccounts("pact largest", max), Array.from({ length: max }, () => BOND));
    const tx: Promise<Hash> = pacts.write.activate([pactId], { account: deployer.account, gas: 16_000_000n });
    rec.ours(OP.pactActivateMax, await measure("activate (32)", tx));
    return rec.rows();
  },
};
