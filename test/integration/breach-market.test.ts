/**
 * A pledge with its breach market, from creation to redemption, for both outcomes. Deployed through
 * Ignition (`deployLocalSystem`); every figure is read from the chain. Each test starts from the
 * same snapshot: the system, a pledge (bond 1,000), and its market opened by the pledger with
 * liquidity b = 500 and a 1% fee (subsidy 500 ln 2 ~ 346.57).
 *
 * Conservation is checked to the wei: the bond token's total over every actor, the registry, the
 * vault and the maker is the same before and after, and the maker and vault end holding nothing.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { network } from "hardhat";
import type { Hash } from "viem";
import { getAddress } from "viem";

import { deployLocalSystem } from "../../scripts/lib/deploy.js";
import {
  BREACH,
  HONOR,
  WAD,
  breachPrice,
  buyShares,
  openBreachMarket,
  redeemShares,
  sellShares,
  sharesOf,
} from "../../scripts/lib/markets.js";
import { DAY, PledgeState, challengePledge, claimAll, createStandardPledge, units } from "../utils/helpers.js";

const LIQUIDITY = units("500");
const FEE_BPS = 100;

describe("Breach market of a pledge, end to end", async () => {
  const conn = await network.create();
  const { viem, networkHelpers } = conn;
  const { time, loadFixture } = networkHelpers;
  const publicClient = await viem.getPublicClient();
  const [, pledger, challenger, beneficiary, believer, skeptic, affiliate, m1, m2, m3] = await viem.getWalletClients();
  const send = async (label: string, tx: Promise<Hash>) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await tx });
    assert.equal(receipt.status, "success", label);
    return receipt;
  };
  const traders = [believer, skeptic];
  const everyone = [pledger, challenger, beneficiary, believer, skeptic, affiliate];

  async function pledgeWithMarket() {
    const sys = await deployLocalSystem(conn, {
      committeeMembers: [m1, m2, m3].map((w) => w.account.address),
      committeeThreshold: 2,
    });
    const pledge = await createStandardPledge(sys, pledger, { beneficiary: beneficiary.account.address }, await time.latest());
    const subsidy = await sys.breachMarkets.read.quoteSubsidy([LIQUIDITY]);
    await sys.bondToken.write.mint([pledger.account.address, subsidy]);
    const market = await openBreachMarket(sys, send, pledger, pledge.pledgeId, LIQUIDITY, FEE_BPS);
    for (const t of traders) await sys.bondToken.write.mint([t.account.address, units("2000")]);
    return { sys, pledge, market };
  }

  type Sys = Awaited<ReturnType<typeof pledgeWithMarket>>["sys"];
  const holders = (sys: Sys) => [
    ...everyone.map((w) => w.account.address),
    sys.registry.address,
    sys.vault.address,
    sys.maker.address,
    sys.breachMarkets.address,
  ];
  const totalHeld = async (sys: Sys) => {
    let sum = 0n;
    for (const h of holders(sys)) sum += await sys.bondToken.read.balanceOf([h]);
    return sum;
  };
  const now = async () => BigInt(await time.latest());

  it("opens with the subsidy b ln 2 from the pledger, BREACH at 50%, and the bond locked while it trades", async () => {
    const { sys, pledge, market } = await loadFixture(pledgeWithMarket);
    // 500 * ln 2 = 346.573590279972654708..., rounded up, plus the math library's error allowance.
    assert.ok(market.subsidy > units("346.573590279972654708") && market.subsidy < units("346.5736"), `${market.subsidy}`);
    assert.equal(await sys.bondToken.read.balanceOf([pledger.account.address]), 0n);
    // The maker split the whole subsidy into inventory: the vault holds the collateral, the maker a full set.
    assert.equal(await sys.bondToken.read.balanceOf([sys.maker.address]), 0n);
    assert.equal(await sys.bondToken.read.balanceOf([sys.vault.address]), market.subsidy);
    assert.deepEqual(await sharesOf(sys, market.conditionId, sys.maker.address), [market.subsidy, market.subsidy]);
    assert.equal(await breachPrice(sys, market.conditionId), WAD / 2n);
    const stored = await sys.maker.read.getMarket([market.conditionId]);
    // BreachMarkets is the sponsor of record; it remembers the real sponsor.
    assert.equal(getAddress(stored.sponsor), getAddress(sys.breachMarkets.address));
    assert.deepEqual(await sys.breachMarkets.read.sponsorOf([pledge.pledgeId]), [getAddress(pledger.account.address), market.subsidy]);
    assert.equal(getAddress(stored.gate), getAddress(sys.breachMarkets.address));
    assert.equal(getAddress(stored.collateral), getAddress(sys.bondToken.address));
    // While the market trades, the pledge is Active: the bond cannot be finalized or claimed.
    assert.equal(await sys.registry.read.state([pledge.pledgeId]), PledgeState.Active);
    await assert.rejects(sys.registry.write.finalize([pledge.pledgeId]), /UnexpectedState/);
    assert.equal(await sys.registry.read.claimable([pledger.account.address, sys.bondToken.address]), 0n);
  });

  it("refuses the pledger and its declared affiliates any trade that insures against its own breach", async () => {
    const { sys, market, pledge } = await loadFixture(pledgeWithMarket);
    const t = await now();
    await sys.bondToken.write.mint([pledger.account.address, units("100")]);
    await sys.bondToken.write.approve([sys.maker.address, units("100")], { account: pledger.account });
    await assert.rejects(
      sys.maker.write.buy([market.conditionId, BREACH, units("10"), units("100"), t + 600n, pledger.account.address], {
        account: pledger.account,
      }),
      /BreachMarketSelfHedge/,
    );
    // A third party cannot buy BREACH for the pledger either.
    await sys.bondToken.write.approve([sys.maker.address, units("100")], { account: skeptic.account });
    await assert.rejects(
      sys.maker.write.buy([market.conditionId, BREACH, units("10"), units("100"), t + 600n, pledger.account.address], {
        account: skeptic.account,
      }),
      /BreachMarketSelfHedge/,
    );
    // Betting on itself is allowed: the pledger buys HONOR.
    await buyShares(sys, send, pledger, market.conditionId, HONOR, units("10"), { now: t });
    assert.deepEqual(await sharesOf(sys, market.conditionId, pledger.account.address), [0n, units("10")]);
    // A declared affiliate is refused BREACH.
    await sys.breachMarkets.write.declareAffiliates([pledge.pledgeId, [affiliate.account.address]], { account: pledger.account });
    await sys.bondToken.write.mint([affiliate.account.address, units("100")]);
    await sys.bondToken.write.approve([sys.maker.address, units("100")], { account: affiliate.account });
    await assert.rejects(
      sys.maker.write.buy([market.conditionId, BREACH, units("10"), units("100"), t + 600n, affiliate.account.address], {
        account: affiliate.account,
      }),
      /BreachMarketSelfHedge/,
    );
  });

  it("breach: the price rises as the defection becomes known, a challenge closes trading, BREACH redeems 1, the sponsor keeps what is left", async () => {
    const { sys, pledge, market } = await loadFixture(pledgeWithMarket);
    const total0 = await totalHeld(sys);
    const cid = market.conditionId;
    const start = await breachPrice(sys, cid);

    const paidBeliever = await buyShares(sys, send, believer, cid, HONOR, units("200"), { now: await now() });
    const afterHonor = await breachPrice(sys, cid);
    assert.ok(afterHonor < start, "buying HONOR lowers BREACH");
    // The defection becomes known: the skeptic buys BREACH, and the price moves up past 50%.
    const paidSkeptic = await buyShares(sys, send, skeptic, cid, BREACH, units("900"), { now: await now() });
    const afterNews = await breachPrice(sys, cid);
    assert.ok(afterNews > start, `BREACH ${afterNews} after the news`);
    // The believer cuts its loss on half of its HONOR.
    const back = await sellShares(sys, send, believer, cid, HONOR, units("100"), { now: await now() });
    assert.ok(back < paidBeliever / 2n, "a round trip never profits");

    // challengePledge mints the challenge bond to the challenger: new supply, added to the total below.
    const { bond: challengeBond } = await challengePledge(sys, challenger, pledge.pledgeId);
    await assert.rejects(
      sys.maker.write.buy([cid, BREACH, 1n, units("1"), (await now()) + 600n, skeptic.account.address], {
        account: skeptic.account,
      }),
      /BreachMarketPledgeState/,
    );
    await assert.rejects(sys.breachMarkets.write.resolve([pledge.pledgeId]), /BreachMarketPledgeState/);
    await time.increase(pledge.liveness);
    // Slashable: the outcome is fixed, resolution may report it before the slash is finalized.
    assert.equal(await sys.registry.read.state([pledge.pledgeId]), PledgeState.Slashable);
    await send("finalize", sys.registry.write.finalize([pledge.pledgeId]));
    await send("resolve", sys.breachMarkets.write.resolve([pledge.pledgeId]));
    await assert.rejects(sys.breachMarkets.write.resolve([pledge.pledgeId]), /UnexpectedConditionState/);

    assert.equal(await redeemShares(sys, send, skeptic, cid), units("900"));
    assert.equal(await redeemShares(sys, send, believer, cid), 0n);
    const balanceBefore = await sys.bondToken.read.balanceOf([pledger.account.address]);
    await send("withdraw", sys.breachMarkets.write.withdrawSubsidy([pledge.pledgeId, pledger.account.address], { account: pledger.account }));
    const withdrawn = (await sys.bondToken.read.balanceOf([pledger.account.address])) - balanceBefore;
    // The sponsor paid the net winnings of the traders out of its subsidy: it lost, but at most b ln 2.
    const sponsorLoss = market.subsidy - withdrawn;
    assert.ok(sponsorLoss > 0n && sponsorLoss <= market.subsidy, `loss ${sponsorLoss}`);
    // Traders in aggregate gained exactly what the sponsor lost.
    const skepticGain = units("900") - paidSkeptic;
    const believerLoss = paidBeliever - back;
    assert.equal(skepticGain - believerLoss, sponsorLoss);

    await claimAll(sys, challenger);
    await claimAll(sys, beneficiary);
    assert.equal(await sys.bondToken.read.balanceOf([sys.maker.address]), 0n);
    assert.equal(await sys.bondToken.read.balanceOf([sys.vault.address]), 0n);
    assert.equal(await sys.bondToken.read.balanceOf([sys.registry.address]), 0n);
    assert.equal(await totalHeld(sys), total0 + challengeBond);
  });

  it("honor: trading runs to the end of the grace period, HONOR redeems 1, the pledger gets its bond and what is left of its subsidy", async () => {
    const { sys, pledge, market } = await loadFixture(pledgeWithMarket);
    const total0 = await totalHeld(sys);
    const cid = market.conditionId;
    const paidSkeptic = await buyShares(sys, send, skeptic, cid, BREACH, units("300"), { now: await now() });
    const paidBeliever = await buyShares(sys, send, believer, cid, HONOR, units("600"), { now: await now() });
    assert.ok((await breachPrice(sys, cid)) < WAD / 2n);

    // The last second before expiry + grace still trades (the pledge is Active); the next refuses.
    await sys.bondToken.write.approve([sys.maker.address, units("2")], { account: believer.account });
    await time.setNextBlockTimestamp(pledge.releasableAt - 1n);
    await send(
      "buy at the last Active second",
      sys.maker.write.buy([cid, HONOR, 1n, units("1"), pledge.releasableAt, believer.account.address], {
        account: believer.account,
      }),
    );
    const paidLast = units("2") - (await sys.bondToken.read.allowance([believer.account.address, sys.maker.address]));
    await time.setNextBlockTimestamp(pledge.releasableAt);
    await assert.rejects(
      sys.maker.write.buy([cid, HONOR, 1n, units("1"), pledge.releasableAt, believer.account.address], {
        account: believer.account,
      }),
      /BreachMarketPledgeState/,
    );
    await sys.bondToken.write.approve([sys.maker.address, 0n], { account: believer.account });

    // Releasable: HONOR is fixed. Resolution may come before or after the registry's finalize.
    await send("resolve", sys.breachMarkets.write.resolve([pledge.pledgeId]));
    await send("finalize", sys.registry.write.finalize([pledge.pledgeId]));
    assert.equal(await sys.registry.read.state([pledge.pledgeId]), PledgeState.Honored);
    assert.equal(await claimAll(sys, pledger), pledge.bond);

    assert.equal(await redeemShares(sys, send, believer, cid), units("600") + 1n);
    assert.equal(await redeemShares(sys, send, skeptic, cid), 0n);
    const balanceBefore = await sys.bondToken.read.balanceOf([pledger.account.address]);
    await send("withdraw", sys.breachMarkets.write.withdrawSubsidy([pledge.pledgeId, pledger.account.address], { account: pledger.account }));
    const withdrawn = (await sys.bondToken.read.balanceOf([pledger.account.address])) - balanceBefore;
    // The sponsor's result is the traders' aggregate loss (fees included), whatever its sign.
    const tradersNet = units("600") + 1n - paidBeliever - paidLast - paidSkeptic;
    assert.equal(withdrawn - market.subsidy, -tradersNet);
    assert.ok(market.subsidy - withdrawn <= market.subsidy);
    await assert.rejects(
      sys.breachMarkets.write.withdrawSubsidy([pledge.pledgeId, pledger.account.address], { account: pledger.account }),
      /UnexpectedMarketState/,
    );

    assert.equal(await sys.bondToken.read.balanceOf([sys.maker.address]), 0n);
    assert.equal(await sys.bondToken.read.balanceOf([sys.vault.address]), 0n);
    assert.equal(await sys.bondToken.read.balanceOf([sys.registry.address]), 0n);
    assert.equal(await totalHeld(sys), total0);
  });

  it("a pledger that sponsors its own market gains nothing from its breach: the excess is credited to the beneficiary, which claims it", async () => {
    const { sys, pledge, market } = await loadFixture(pledgeWithMarket);
    const cid = market.conditionId;
    // Traders believe the pledge: the market maker (the pledger's subsidy) is left short HONOR, long BREACH.
    const paid = await buyShares(sys, send, believer, cid, HONOR, units("800"), { now: await now() });
    await challengePledge(sys, challenger, pledge.pledgeId);
    await time.increase(pledge.liveness);
    await send("resolve", sys.breachMarkets.write.resolve([pledge.pledgeId]));
    await assert.rejects(
      sys.breachMarkets.write.withdrawSubsidy([pledge.pledgeId, skeptic.account.address], { account: skeptic.account }),
      /BreachMarketCallerNotSponsor/,
    );
    const beneficiaryBefore = await sys.bondToken.read.balanceOf([beneficiary.account.address]);
    const before = await sys.bondToken.read.balanceOf([pledger.account.address]);
    await send("withdraw", sys.breachMarkets.write.withdrawSubsidy([pledge.pledgeId, pledger.account.address], { account: pledger.account }));
    const withdrawn = (await sys.bondToken.read.balanceOf([pledger.account.address])) - before;
    // Without the cap the pledger would take the subsidy plus everything the believer paid.
    assert.equal(withdrawn, market.subsidy);
    // The excess is credited to the beneficiary, which pulls it.
    assert.equal(await sys.bondToken.read.balanceOf([beneficiary.account.address]), beneficiaryBefore);
    assert.equal(await sys.breachMarkets.read.excessOf([pledge.pledgeId]), paid);
    await send("claimExcess", sys.breachMarkets.write.claimExcess([pledge.pledgeId, beneficiary.account.address], { account: beneficiary.account }));
    const toBeneficiary = (await sys.bondToken.read.balanceOf([beneficiary.account.address])) - beneficiaryBefore;
    assert.equal(toBeneficiary, paid);
    assert.equal(await sys.breachMarkets.read.excessOf([pledge.pledgeId]), 0n);
    assert.equal(await sys.bondToken.read.balanceOf([sys.maker.address]), 0n);
  });
});
