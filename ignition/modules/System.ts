import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import Futarchy from "./Futarchy.js";
import Pacts from "./Pacts.js";

/**
 * Everything at once: the pledge system, futarchy and pacts, sharing one registry (Ignition deploys the
 * PledgeSystem module once for both). The deploy path of the demo, the scenarios and the tests.
 */
export default buildModule("System", (m) => {
  const futarchy = m.useModule(Futarchy);
  const { pacts } = m.useModule(Pacts);
  return { ...futarchy, pacts };
});
