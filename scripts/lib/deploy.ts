import type { NetworkConnection } from "hardhat/types/network";

import MockTokensModule from "../../ignition/modules/MockTokens.js";
import PledgeSystemModule from "../../ignition/modules/PledgeSystem.js";

type Address = `0x${string}`;

/** Registry-wide parameters, as the Ignition module "PledgeSystem" takes them. */
export interface SystemParams {
  committeeMembers: Address[];
  committeeThreshold?: number;
  treasury?: Address;
  challengerRewardBps?: number;
  disputeFeeBps?: number;
  minLiveness?: number;
  maxLiveness?: number;
  maxGrace?: number;
  arbitrationTimeout?: number;
}

/**
 * Deploys the pledge system and a mock bond token through the Ignition modules: the one deploy path
 * shared by the demo, the scenarios and the tests.
 */
export async function deployLocalSystem(conn: NetworkConnection, params: SystemParams) {
  const { registry, committee } = await conn.ignition.deploy(PledgeSystemModule, {
    parameters: { PledgeSystem: { ...params } },
  });
  const { bondToken } = await conn.ignition.deploy(MockTokensModule);
  return { registry, committee, bondToken };
}
