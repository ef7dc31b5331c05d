import type { NetworkConnection } from "hardhat/types/network";

import MockTokensModule from "../../ignition/modules/MockTokens.js";
import SystemModule from "../../ignition/modules/System.js";

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

/** Futarchy parameters, as the Ignition module "Futarchy" takes them (see ignition/modules/Futarchy.ts). */
export type FutarchyParams = Partial<Record<
  `${"release" | "amend"}${"Window" | "TwapDelay" | "ThresholdBps" | "MaxStepBps" | "FeeBps" | "StakeBps" | "Cooldown"}` | "blockTime",
  number
>>;

/**
 * Deploys the pledge system, the futarchy contracts and pacts bound to it (module "System"), and a mock bond token through the
 * Ignition modules: the one deploy path
 * shared by the demo, the scenarios and the tests.
 *
 * On a live node (`--network localhost`) Ignition records deployments on disk; `deploymentId` then
 * names a fresh record (e.g. one per demo run) so a run never reconciles against an earlier one with
 * other parameters. The in-process network records nothing.
 */
export async function deployLocalSystem(
  conn: NetworkConnection,
  params: SystemParams,
  deploymentId?: string,
  futarchy: FutarchyParams = {},
) {
  const live = conn.networkConfig.type === "http";
  const options = live && deploymentId !== undefined ? { deploymentId } : {};
  const { registry, committee, vault, maker, breachMarkets, pools, decisions, pacts } = await conn.ignition.deploy(
    SystemModule,
    { parameters: { PledgeSystem: { ...params }, Futarchy: { ...futarchy } }, ...options },
  );
  const { bondToken } = await conn.ignition.deploy(MockTokensModule, options);
  return { registry, committee, vault, maker, breachMarkets, pools, decisions, pacts, bondToken };
}

/** The contracts `deployLocalSystem` returns (typed viem instances). */
export type DeployedSystem = Awaited<ReturnType<typeof deployLocalSystem>>;
