/**
 * Our LmsrMarketMaker in the same states as Gnosis LMSRMarketMaker (gnosis-lmsr.ts): per sample a
 * fresh binary condition in the system's vault, a market with no gate and fee 0 funded with the same
 * 1,000 of collateral as the Gnosis market (b = 1,000 / ln 2), its first trade by another account,
 * then buy (first), buy (repeat), sell (repeat), sell (first) of 10 shares of outcome 0 by one trader. Every trade is a transaction of its
 * own, so every slot is cold, as in the anchor.
 *
 * One more row without an anchor: a trade in a pledge's breach market (BreachMarkets as gate: it reads
 * the registry's state and the self-hedging rule on every trade; fee 1%).
 */
import { keccak256, maxUint256, parseEther, toHex, zeroAddress } from "viem";

import { Recorder, type Measurer } from "../measurer.js";
import { OP } from "../operations.js";

/** b such that b ln 2 ~ 1,000: the Gnosis market's funding. */
const LIQUIDITY = parseEther("1442.695040888963407359");
const SHARES = parseEther("10");
const DEADLINE = 2n ** 40n;

export const BREACH_BUY = "breach-market buy (gated, 1% fee)";
export const BREACH_SELL = "breach-market sell (gated, 1% fee)";

export const lmsrMarketMakerMeasurer: Measurer = {
  name: "LmsrMarketMaker",
  async measure(ctx) {
    const { collateral, send, measure } = ctx;
    const { deployer, oracle, trader, creator } = ctx.wallets;
    const { vault, maker } = ctx.pledges;

    for (const w of [oracle, trader, creator]) {
      await send("mint", collateral.write.mint([w.account.address, parseEther("1000000")], { account: deployer.account }));
      await send("approve maker", collateral.write.approve([maker.address, maxUint256], { account: w.account }));
    }
    await send("approve maker (vault)", vault.write.setApprovalForAll([maker.address, true], { account: trader.account }));

    const rec = new Recorder();
    for (let k = 0; k < ctx.settings.samples; k++) {
      const questionId = keccak256(toHex(`bench-gas our lmsr ${k}`));
      await send("prepare", vault.write.prepareCondition([questionId, 2n], { account: oracle.account }));
      const cid = await vault.read.conditionIdOf([oracle.account.address, questionId, 2n]);
      rec.ours(
        OP.lmsrCreate,
        await measure(
          "create",
          maker.write.createMarket([cid, collateral.address, LIQUIDITY, 0, oracle.account.address, zeroAddress], {
            account: oracle.account,
          }),
        ),
      );
      // The market's first trade, by another account, as on the Gnosis side.
      rec.ours(
        OP.lmsrBuyMarketFirst,
        await measure(
          "buy (market's first)",
          maker.write.buy([cid, 0n, SHARES, maxUint256, DEADLINE, creator.account.address], { account: creator.account }),
        ),
      );
      const buy = () =>
        maker.write.buy([cid, 0n, SHARES, maxUint256, DEADLINE, trader.account.address], { account: trader.account });
      const sell = () => maker.write.sell([cid, 0n, SHARES, 0n, DEADLINE, trader.account.address], { account: trader.account });
      rec.ours(OP.lmsrBuyFirst, await measure("buy", buy()));
      rec.ours(OP.lmsrBuyRepeat, await measure("buy", buy()));
      rec.ours(OP.lmsrSellRepeat, await measure("sell", sell()));
      rec.ours(OP.lmsrSellFirst, await measure("sell", sell()));
    }

    // A pledge's breach market: the gate and the fee on top of the same trades (repeat states).
    const { registry, committee, bondToken, breachMarkets } = ctx.pledges;
    const bond = parseEther("1000");
    const subsidy = await breachMarkets.read.quoteSubsidy([LIQUIDITY]);
    await send("mint", bondToken.write.mint([creator.account.address, bond + subsidy], { account: deployer.account }));
    await send("mint", bondToken.write.mint([trader.account.address, parseEther("1000000")], { account: deployer.account }));
    await send("approve", bondToken.write.approve([registry.address, bond], { account: creator.account }));
    await send("approve", bondToken.write.approve([breachMarkets.address, subsidy], { account: creator.account }));
    await send("approve", bondToken.write.approve([maker.address, maxUint256], { account: trader.account }));
    const block = await ctx.publicClient.getBlock();
    await send(
      "createPledge",
      registry.write.createPledge(
        [
          {
            termsHash: keccak256(toHex("bench-gas breach market")),
            termsURI: "ipfs://bench",
            token: bondToken.address,
            bond,
            expiry: block.timestamp + 365n * 86_400n,
            grace: 86_400,
            beneficiary: deployer.account.address,
            resolution: { arbiter: committee.address, liveness: 86_400, challengeBond: parseEther("10") },
          },
        ],
        { account: creator.account },
      ),
    );
    const pledgeId = await registry.read.pledgeCount();
    await send("openMarket", breachMarkets.write.openMarket([pledgeId, LIQUIDITY, 100], { account: creator.account }));
    const cid = await breachMarkets.read.conditionOf([pledgeId]);
    const HONOR = 1n;
    const buy = () => maker.write.buy([cid, HONOR, SHARES, maxUint256, DEADLINE, trader.account.address], { account: trader.account });
    const sell = () => maker.write.sell([cid, HONOR, SHARES, 0n, DEADLINE, trader.account.address], { account: trader.account });
    await send("buy", buy());
    for (let k = 0; k < ctx.settings.samples; k++) {
      rec.ours(BREACH_BUY, await measure("buy", buy()));
      rec.ours(BREACH_SELL, await measure("sell", sell()));
    }
    return rec.rows();
  },
};
