import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import PledgeSystem from "./PledgeSystem.js";

/**
 * Futarchy (issue 6): the conditional constant-product pools and the decision contract that may
 * release or amend pledges created with it as governor (`createGovernedPledge`), bound to the
 * PledgeSystem module's registry, vault and breach markets. Nothing has an owner.
 *
 * Parameters (module "Futarchy"), per kind of decision (`release…` and `amend…`):
 *   …Window        seconds of trading             (release 3 days, amend 2 days)
 *   …TwapDelay     seconds the oracles skip        (release 12 hours, amend 8 hours)
 *   …ThresholdBps  Price: margin PASS must beat FAIL by; Risk: tolerance on P(breach)
 *                                                  (release 300 = 3%, amend 200 = 2%)
 *   …MaxStepBps    oracle step cap per block, bps of the reference price (50 = 0.5%, both)
 *   …FeeBps        pools' swap fee (30 = 0.3%, both)
 *   …StakeBps      stake, bps of the pledge's bond (release 100 = 1%, amend 50 = 0.5%)
 *   …Cooldown      seconds after a failed proposal (release 7 days, amend 3 days)
 *   blockTime      the chain's block time, seconds, for the manipulation check (12)
 * The contract refuses any kind whose parameters an attacker could beat in fewer than 100 blocks
 * (FutarchyDecisions.MIN_ATTACK_BLOCKS); the reasoning behind the defaults is in docs/futarchy.md.
 */
export default buildModule("Futarchy", (m) => {
  const { registry, committee, vault, maker, breachMarkets } = m.useModule(PledgeSystem);
  const pools = m.contract("ConditionalPools", [vault]);
  const kind = (prefix: string, d: { window: number; delay: number; threshold: number; stake: number; cooldown: number }) => ({
    window: m.getParameter(`${prefix}Window`, d.window),
    twapDelay: m.getParameter(`${prefix}TwapDelay`, d.delay),
    thresholdBps: m.getParameter(`${prefix}ThresholdBps`, d.threshold),
    maxStepBps: m.getParameter(`${prefix}MaxStepBps`, 50),
    feeBps: m.getParameter(`${prefix}FeeBps`, 30),
    stakeBps: m.getParameter(`${prefix}StakeBps`, d.stake),
    cooldown: m.getParameter(`${prefix}Cooldown`, d.cooldown),
  });
  const decisions = m.contract("FutarchyDecisions", [
    registry,
    pools,
    breachMarkets,
    kind("release", { window: 3 * 86_400, delay: 12 * 3_600, threshold: 300, stake: 100, cooldown: 7 * 86_400 }),
    kind("amend", { window: 2 * 86_400, delay: 8 * 3_600, threshold: 200, stake: 50, cooldown: 3 * 86_400 }),
    m.getParameter("blockTime", 12),
  ]);
  return { registry, committee, vault, maker, breachMarkets, pools, decisions };
});
