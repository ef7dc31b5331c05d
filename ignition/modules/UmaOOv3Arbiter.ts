import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import PledgeSystemModule from "./PledgeSystem.js";

/** `bytes32("ASSERT_TRUTH2")`: the explicit DVM identifier of current UMA deployments (docs/uma-adapter.md). */
export const ASSERT_TRUTH2 = "0x4153534552545f54525554483200000000000000000000000000000000000000";

/**
 * The UMA Optimistic Oracle V3 arbiter adapter (contracts/resolution/adapters/UmaOOv3Arbiter.sol), bound
 * to the PledgeSystem module's registry (deployed with the same deployment id, Ignition reuses it).
 * Pledges that want disputes to go to UMA name this adapter as their arbiter; nothing else is wired.
 * For public chains with an OOv3 deployment; see docs/uma-adapter.md and docs/deployment.md.
 *
 * Parameters (module "UmaOOv3Arbiter"):
 *   oracle        UMA's OptimisticOracleV3 on this chain (required)
 *   currency      the assertion bond currency, on UMA's collateral whitelist (required)
 *   identifier    the DVM identifier (default ASSERT_TRUTH2; never the deprecated default identifier)
 *   liveness      the assertion's OOv3 liveness, seconds, shorter than the registry's arbitrationTimeout
 *                 (default 2 hours)
 *   minimumBond   the least bond an assertion posts, in the currency's base units; OOv3's own minimum
 *                 applies on top (default 1: OOv3's minimum decides)
 */
export default buildModule("UmaOOv3Arbiter", (m) => {
  const { registry } = m.useModule(PledgeSystemModule);
  const umaArbiter = m.contract("UmaOOv3Arbiter", [
    registry,
    m.getParameter<string>("oracle"),
    m.getParameter("identifier", ASSERT_TRUTH2),
    m.getParameter<string>("currency"),
    m.getParameter("liveness", 7_200),
    m.getParameter("minimumBond", 1n),
  ]);
  return { umaArbiter };
});
