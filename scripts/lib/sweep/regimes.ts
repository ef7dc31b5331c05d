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

// TODO(pact regime): Pacts (contracts/pacts/Pacts.sol, issue 8) is not on main yet. Once its Ignition module
// lands and deployLocalSystem returns the contract: commit = createPact (quorum = seats = N, keeperShareBps,
// beneficiary the safety fund), each lab approveSponsor(pacts) and join with bond B, activate, read each
// member's pledge id; finalize = recordOutcome for each member; claims = claimShares for honored members with
// shares, and the beneficiary's claim.
const pact: RegimeOps = {
  hasBond: true,
  hasMarkets: true,
  spenders: () => [],
  commit: async () => {
    throw new Error("the pact regime needs the Pacts contract, which is not deployed by this version (see regimes.ts)");
  },
  finalize: async () => {},
  claims: async () => {},
};

export const REGIME_OPS: Record<Regime, RegimeOps> = { voluntary, bonded, pact };
