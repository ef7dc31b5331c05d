import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import PledgeSystem from "./PledgeSystem.js";

/**
 * Pacts (issue 7): assurance contracts among competitors, bound to the PledgeSystem module's registry, in
 * which each member's pledge is created at activation (the member approves the Pacts contract as its
 * sponsor first). No parameters and no owner: every pact carries its own settings.
 */
export default buildModule("Pacts", (m) => {
  const { registry } = m.useModule(PledgeSystem);
  const pacts = m.contract("Pacts", [registry]);
  return { pacts };
});
