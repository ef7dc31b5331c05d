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
  minMarketLiquidity?: bigint;
}

/**
 * Deploys the pledge system and a mock bond token through the Ignition modules: the one deploy path
 * shared by the demo, the scenarios and the tests.
 *
 * On a live node (`--network localhost`) Ignition records deployments on disk; `deploymentId` then
 * names a fresh record (e.g. one per demo run) so a run never reconciles against an earlier one with
 * other parameters. The in-process network records nothing.
 */
export async function deployLocalSystem(conn: NetworkConnection, params: SystemParams, deploymentId?: string) {
  const live = conn.networkConfig.type === "http";
  const options = live && deploymentId !== undefined ? { deploymentId } : {};
  const { registry, committee, vault, maker, breachMarkets } = await conn.ignition.deploy(PledgeSystemModule, {
    parameters: { PledgeSystem: { ...params } },
    ...options,
  });
  const { bondToken } = await conn.ignition.deploy(MockTokensModule, options);
  return { registry, committee, vault, maker, breachMarkets, bondToken };
}

/** The contracts `deployLocalSystem` returns (typed viem instances). */
export type DeployedSystem = Awaited<ReturnType<typeof deployLocalSystem>>;
