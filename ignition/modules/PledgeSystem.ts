import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The pledge system: the registry (pledges, bonds, optimistic resolution, claims), a k-of-n
 * committee arbiter bound to it, the outcome vault, the LMSR market maker and the breach-market
 * adapter (oracle and gate of every pledge's breach market). Nothing has an owner; every parameter
 * is fixed here.
 *
 * Parameters (module "PledgeSystem"):
 *   treasury              fee recipient on losing dispute bonds; 0x0 burns the fee (default 0x0)
 *   challengerRewardBps   share of a slashed bond paid to the winning challenger (default 2000 = 20%)
 *   disputeFeeBps         share of a losing dispute bond taken as fee (default 1000 = 10%)
 *   minLiveness           shortest liveness a pledge may choose, seconds (default 1 hour)
 *   maxLiveness           longest liveness, seconds (default 30 days)
 *   maxGrace              longest grace period, seconds (default 90 days)
 *   arbitrationTimeout    seconds the arbiter has to rule before a dispute can be voided (default 14 days)
 *   committeeMembers      committee addresses (required: no default, so no deploy gets a committee by accident)
 *   committeeThreshold    votes needed to rule, a strict majority (default 2)
 *   minMarketLiquidity    smallest LMSR liquidity b a breach market may open with, in bond-token
 *                         base units (default 10^18: one token of 18 decimals)
 *
 * Per network: ignition/parameters/<network>.json (localhost, sepolia, baseSepolia). The liveness, the
 * bond token and amount, the challenge bond, the grace period, the arbiter and the beneficiary are
 * chosen per pledge in `createPledge`, within the bounds above; see docs/deployment.md.
 */
export default buildModule("PledgeSystem", (m) => {
  const registry = m.contract("PledgeRegistry", [
    {
      treasury: m.getParameter("treasury", "0x0000000000000000000000000000000000000000"),
      challengerRewardBps: m.getParameter("challengerRewardBps", 2_000),
      disputeFeeBps: m.getParameter("disputeFeeBps", 1_000),
      minLiveness: m.getParameter("minLiveness", 3_600),
      maxLiveness: m.getParameter("maxLiveness", 30 * 86_400),
      maxGrace: m.getParameter("maxGrace", 90 * 86_400),
      arbitrationTimeout: m.getParameter("arbitrationTimeout", 14 * 86_400),
    },
  ]);
  const committee = m.contract("CommitteeArbiter", [
    registry,
    m.getParameter<string[]>("committeeMembers"),
    m.getParameter("committeeThreshold", 2),
  ]);
  const vault = m.contract("OutcomeVault", []);
  const maker = m.contract("LmsrMarketMaker", [vault]);
  const breachMarkets = m.contract("BreachMarkets", [
    registry,
    maker,
    m.getParameter("minMarketLiquidity", 10n ** 18n),
  ]);
  return { registry, committee, vault, maker, breachMarkets };
});
