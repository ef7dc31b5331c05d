/**
 * Our LmsrMarketMaker in the same states as Gnosis LMSRMarketMaker (gnosis-lmsr.ts): per sample a
 * fresh binary condition in the system's vault, a market with no gate and fee 0 funded with the same
 * 1,000 of collateral as the Gnosis market (b = 1,000 / ln 2), its first trade by another account,
 * then buy (first), buy (repeat), sell (repeat), sell (first) of 10 shares of outcome 0 by one trader. Every trade is a transaction of its
 * own, so every slot is cold, as in the anchor.
 *
 * Rows without an anchor, for pledges with breach markets: create + open, a trade (BreachMarkets as
 * gate: it reads the registry's state and the self-hedging rule on every trade; fee 1%), resolve, the
 * sponsor's withdrawal and a trader's redemption.
 */
import { keccak256, maxUint256, parseEther, toHex, zeroAddress } from "viem";

import { Recorder, type Measurer } from "../measurer.js";
import { OP } from "../operations.js";

/** b such that b ln 2 ~ 1,000: the Gnosis market's funding. */
const LIQUIDITY = parseEther("1442.695040888963407359");
const SHARES = parseEther("10");
const DEADLINE = 2n ** 40n;

const PLEDGE_WITH_MARKET = "create pledge with market (createPledge + openMarket)";
const OPEN_MARKET = "openMarket (breach market, b ln 2 subsidy)";
const BREACH_BUY = "breach-market buy (gated, 1% fee, repeat)";
const BREACH_SELL = "breach-market sell (gated, 1% fee, repeat)";
const RESOLVE = "breach-market resolve (report the pledge's outcome)";
const WITHDRAW = "withdrawSubsidy (breach-market sponsor, after resolution)";
const BREACH_REDEEM = "breach-market redeem (a trader's winning shares)";

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

    // Pledges with breach markets: create + open (two transactions, also summed), a gated trade with a
    // 1% fee in the repeat state, then after the grace period resolve, the sponsor's withdrawal and a
    // holder's redemption. One fresh pledge per sample.
    const { registry, committee, bondToken, breachMarkets } = ctx.pledges;
    const bond = parseEther("1000");
    const subsidy = await breachMarkets.read.quoteSubsidy([LIQUIDITY]);
    const samples = ctx.settings.samples;
    await send("mint", bondToken.write.mint([creator.account.address, (bond + subsidy) * BigInt(samples)], { account: deployer.account }));
    await send("mint", bondToken.write.mint([trader.account.address, parseEther("1000000")], { account: deployer.account }));
    await send("approve", bondToken.write.approve([registry.address, maxUint256], { account: creator.account }));
    await send("approve", bondToken.write.approve([breachMarkets.address, maxUint256], { account: creator.account }));
    await send("approve", bondToken.write.approve([maker.address, maxUint256], { account: trader.account }));
    const expiry = (await ctx.publicClient.getBlock()).timestamp + 365n * 86_400n;
    const HONOR = 1n;
    const pledges: bigint[] = [];
    for (let k = 0; k < samples; k++) {
      const created = await measure(
        "createPledge",
        registry.write.createPledge(
          [
            {
              termsHash: keccak256(toHex(`bench-gas breach market ${k}`)),
              termsURI: "ipfs://bench",
              token: bondToken.address,
              bond,
              expiry,
              grace: 86_400,
              beneficiary: deployer.account.address,
              resolution: { arbiter: committee.address, liveness: 86_400, challengeBond: parseEther("10") },
            },
          ],
          { account: creator.account },
        ),
      );
      const pledgeId = await registry.read.pledgeCount();
      pledges.push(pledgeId);
      const opened = await measure(
        "openMarket",
        breachMarkets.write.openMarket([pledgeId, LIQUIDITY, 100], { account: creator.account }),
      );
      rec.ours(OPEN_MARKET, opened);
      rec.ours(PLEDGE_WITH_MARKET, { gas: created.gas + opened.gas, calldata: opened.calldata, receipt: opened.receipt });
      const cid = await breachMarkets.read.conditionOf([pledgeId]);
      const buy = () => maker.write.buy([cid, HONOR, SHARES, maxUint256, DEADLINE, trader.account.address], { account: trader.account });
      const sell = () => maker.write.sell([cid, HONOR, SHARES, 0n, DEADLINE, trader.account.address], { account: trader.account });
      await send("buy", buy());
      rec.ours(BREACH_BUY, await measure("buy", buy()));
      rec.ours(BREACH_SELL, await measure("sell", sell()));
    }
    await ctx.conn.networkHelpers.time.increaseTo(expiry + 86_400n);
    for (const pledgeId of pledges) {
      const cid = await breachMarkets.read.conditionOf([pledgeId]);
      rec.ours(RESOLVE, await measure("resolve", breachMarkets.write.resolve([pledgeId], { account: deployer.account })));
      rec.ours(
        WITHDRAW,
        await measure(
          "withdraw",
          breachMarkets.write.withdrawSubsidy([pledgeId, creator.account.address], { account: creator.account }),
        ),
      );
      rec.ours(
        BREACH_REDEEM,
        await measure("redeem", vault.write.redeem([bondToken.address, 0n, cid], { account: trader.account })),
      );
    }
    return rec.rows();
  },
};
