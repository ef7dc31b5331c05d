/**
 * The three regimes of the sweep, behind one small interface the runner (chain.ts) calls:
 *
 * - voluntary: no contract. A lab's pledge is a promise; keeping it costs the tax, breaking it costs nothing.
 * - bonded: each lab creates its own pledge in the PledgeRegistry (bond B, beneficiary the safety fund, the
 *   committee as arbiter) and sponsors its breach market (liquidity b = B x liquidityRatio).
 * - pact: the labs join one pact in Pacts with bond B each; the pact binds and creates every member's pledge;
 *   keepers receive a share of a detected defector's slashed bond; each member sponsors its pledge's market.
 */
import { keccak256, parseEventLogs, stringToHex } from "viem";

import type { DeployedSystem } from "../deploy.js";
import type { Signer } from "../markets.js";
import type { World } from "./chain.js";
import { GAS } from "./chain.js";
import type { Regime, WorkUnit } from "./config.js";

type Address = `0x${string}`;

export interface RegimeContext {
  world: World;
  unit: WorkUnit;
  labs: Signer[];
  bond: bigint;
  challengeBond: bigint;
  expiry: bigint;
  grace: number;
  liveness: number;
}

/** What a regime's setup made: lab i's pledge is `pledgeIds[i]` (none in the voluntary regime). */
export interface Commitment {
  pledgeIds: bigint[];
  /** The pact, in the pact regime. */
  pactId?: bigint;
}

export interface RegimeOps {
  /** Whether a defector can lose a bond (pledges exist, watchers challenge them). */
  hasBond: boolean;
  /** Whether each pledge has a breach market its lab sponsors. */
  hasMarkets: boolean;
  /** Contracts besides the registry and the breach markets that pull the labs' tokens (and hold escrow). */
  spenders(sys: DeployedSystem): Address[];
  /** The labs' commitments, made once per unit before its snapshot. */
  commit(ctx: RegimeContext): Promise<Commitment>;
  /** After the grace period: finalize every pledge (slashed if challenged, else honored). */
  finalize(ctx: RegimeContext, c: Commitment): Promise<void>;
  /** After the registry's claims: whatever else the regime owes (keeper shares, beneficiary shares). */
  claims(ctx: RegimeContext, c: Commitment, accounts: Signer[]): Promise<void>;
}

const terms = (unit: WorkUnit, who: string) =>
  `${who} will not train a model above the agreed compute threshold before the expiry (sweep unit ${unit.id}).`;

const voluntary: RegimeOps = {
  hasBond: false,
  hasMarkets: false,
  spenders: () => [],
  commit: async () => ({ pledgeIds: [] }),
  finalize: async () => {},
  claims: async () => {},
};

const bonded: RegimeOps = {
  hasBond: true,
  hasMarkets: true,
  spenders: () => [],
  async commit({ world, unit, labs, bond, challengeBond, expiry, grace, liveness }) {
    const { registry, committee, bondToken } = world.sys;
    const pledgeIds: bigint[] = [];
    for (let i = 0; i < labs.length; i++) {
      const text = terms(unit, `Lab ${i + 1}`);
      const receipt = await world.send(
        "createPledge",
        registry.write.createPledge(
          [
            {
              termsHash: keccak256(stringToHex(text)),
              termsURI: `ipfs://pledge-terms/sweep/${unit.id}/${i}`,
              token: bondToken.address,
              bond,
              expiry,
              grace,
              beneficiary: world.safetyFund.account.address,
              resolution: { arbiter: committee.address, liveness, challengeBond },
            },
          ],
          { account: labs[i].account, gas: GAS },
        ),
      );
      const [created] = parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "PledgeCreated" });
      pledgeIds.push(created.args.pledgeId);
    }
    return { pledgeIds };
  },
  async finalize({ world }, c) {
    for (const id of c.pledgeIds) {
      await world.send("finalize", world.sys.registry.write.finalize([id], { account: world.deployer.account, gas: GAS }));
    }
  },
  claims: async () => {},
};

/**
 * One pact with every lab a named member (quorum = seats = N, no refund bonus), each joining with bond B after
 * approving the pact as its sponsor in the registry; the last seat taken makes it Activatable and the deployer
 * activates it, which creates every member's pledge at once (pledger the member, beneficiary the pact).
 */
const pact: RegimeOps = {
  hasBond: true,
  hasMarkets: true,
  spenders: (sys) => [sys.pacts.address],
  async commit({ world, unit, labs, bond, challengeBond, expiry, grace, liveness }) {
    const { registry, committee, bondToken, pacts } = world.sys;
    const now = BigInt(await world.conn.networkHelpers.time.latest());
    const receipt = await world.send(
      "createPact",
      pacts.write.createPact(
        [
          {
            termsHash: keccak256(stringToHex(terms(unit, "Each member"))),
            termsURI: `ipfs://pact-terms/sweep/${unit.id}`,
            token: bondToken.address,
            minBond: bond,
            quorum: labs.length,
            maxMembers: labs.length,
            joinDeadline: now + 3_600n,
            expiry,
            grace,
            keeperShareBps: unit.keeperShareBps,
            beneficiary: world.safetyFund.account.address,
            resolution: { arbiter: committee.address, liveness, challengeBond },
            bonus: 0n,
          },
          labs.map((l) => l.account.address),
        ],
        { account: world.deployer.account, gas: GAS },
      ),
    );
    const [created] = parseEventLogs({ abi: pacts.abi, logs: receipt.logs, eventName: "PactCreated" });
    const pactId = created.args.pactId;
    for (const lab of labs) {
      await world.send("approveSponsor", registry.write.approveSponsor([pacts.address, true], { account: lab.account, gas: GAS }));
      await world.send("join", pacts.write.join([pactId, bond], { account: lab.account, gas: GAS }));
    }
    await world.send("activate", pacts.write.activate([pactId], { account: world.deployer.account, gas: 5_000_000n }));
    const pledgeIds: bigint[] = [];
    for (const lab of labs) pledgeIds.push((await pacts.read.getMember([pactId, lab.account.address])).pledgeId);
    return { pledgeIds, pactId };
  },
  async finalize({ world, labs }, c) {
    // recordOutcome finalizes each member's pledge in the registry first (slashed or honored).
    for (const lab of labs) {
      await world.send("recordOutcome", world.sys.pacts.write.recordOutcome([c.pactId!, lab.account.address], { account: world.deployer.account, gas: GAS }));
    }
  },
  async claims({ world, labs }, c, accounts) {
    const { pacts, bondToken } = world.sys;
    for (const lab of labs) {
      if ((await pacts.read.sharesOf([c.pactId!, lab.account.address])) === 0n) continue;
      const m = await pacts.read.getMember([c.pactId!, lab.account.address]);
      if (m.status !== HONORED) continue;
      await world.send("claimShares", pacts.write.claimShares([c.pactId!, lab.account.address], { account: lab.account, gas: GAS }));
    }
    for (const a of accounts) {
      if ((await pacts.read.claimable([a.account.address, bondToken.address])) === 0n) continue;
      await world.send("pactClaim", pacts.write.claim([bondToken.address, a.account.address], { account: a.account, gas: GAS }));
    }
  },
};

/** IPacts.MemberStatus.Honored. */
const HONORED = 5;

export const REGIME_OPS: Record<Regime, RegimeOps> = { voluntary, bonded, pact };
