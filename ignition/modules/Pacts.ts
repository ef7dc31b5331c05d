import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import PledgeSystem from "./PledgeSystem.js";

/**
 * Pacts (issue 7): assurance contracts among competitors, bound to the PledgeSystem module's registry, in
 * which each member's pledge is created at activation (the member approves the Pacts contract as its
 * sponsor first); and PactMarkets, the oracle and gate of each pact's "any member breaches" market in the
 * PledgeSystem's vault and market maker; and the DefectionLens reading both markets. A member's own breach market needs nothing here: its pledge is
 * a registry pledge, opened in the PledgeSystem's BreachMarkets. Pacts takes that BreachMarkets (it checks
 * that it reads the same registry): a member that sponsors its own pledge's market and gains from its breach
 * is capped there, the excess is credited to Pacts (its pledge's beneficiary), and `collectMarketExcess`
 * forwards it to the pact's beneficiary.
 *
 * No parameters of its own and no owner: every pact carries its own settings, and PactMarkets takes the
 * smallest market liquidity the PledgeSystem's BreachMarkets was deployed with (`minMarketLiquidity`),
 * read from it, so pledge and pact markets share one floor.
 */
export default buildModule("Pacts", (m) => {
  const { registry, maker, breachMarkets } = m.useModule(PledgeSystem);
  const pacts = m.contract("Pacts", [registry, breachMarkets]);
  const minLiquidity = m.staticCall(breachMarkets, "minLiquidity", []);
  const pactMarkets = m.contract("PactMarkets", [pacts, maker, minLiquidity]);
  // View-only: each pledge's and member's cost of defection at current state and prices (the CLI reads it).
  const lens = m.contract("DefectionLens", [breachMarkets, pactMarkets]);
  return { pacts, pactMarkets, lens };
});
