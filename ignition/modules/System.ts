import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import Futarchy from "./Futarchy.js";
import Pacts from "./Pacts.js";
import PledgeSystem from "./PledgeSystem.js";

/**
 * Everything at once: the pledge system, futarchy, pacts and their markets, sharing one registry and one
 * market maker (Ignition deploys the PledgeSystem module once for all), and the DefectionLens that reads
 * them (each pledge's and member's cost of defection). The deploy path of the demo, the scenarios and the
 * tests.
 */
export default buildModule("System", (m) => {
  const futarchy = m.useModule(Futarchy);
  const { breachMarkets } = m.useModule(PledgeSystem);
  const { pacts, pactMarkets } = m.useModule(Pacts);
  const lens = m.contract("DefectionLens", [breachMarkets, pactMarkets]);
  return { ...futarchy, pacts, pactMarkets, lens };
});
