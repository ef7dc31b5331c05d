import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import Futarchy from "./Futarchy.js";
import Pacts from "./Pacts.js";

/**
 * Everything at once: the pledge system, futarchy, pacts and their markets, sharing one registry and one
 * market maker (Ignition deploys the PledgeSystem module once for all), with the DefectionLens (module
 * Pacts) that reads them. The deploy path of the demo, the scenarios and the
 * tests.
 */
export default buildModule("System", (m) => {
  const futarchy = m.useModule(Futarchy);
  const { pacts, pactMarkets, lens } = m.useModule(Pacts);
  return { ...futarchy, pacts, pactMarkets, lens };
});
