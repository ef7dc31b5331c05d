/**
 * Anchors for our LMSR market maker: Gnosis LMSRMarketMakerFactory.createLMSRMarketMaker (a clone of
 * LMSRMarketMaker, funded and opened in one transaction) and LMSRMarketMaker.trade, on
 * `settings.samples` fresh binary conditions (every trade splits or merges through ConditionalTokens,
 * so its gas depends on the condition id). Per market: the market's first trade (by the creator),
 * then by the trader buy (first), buy (repeat), sell (repeat), sell (first) (its balance goes to zero). Fee 0: the market's collateral balance returns to
 * zero within each trade, its cheapest path, so the anchor is the strictest.
 * Our side of these rows comes from our market maker's measurer once it exists (see measurer.ts).
 */
import { keccak256, maxUint256, parseEther, parseEventLogs, toHex, zeroAddress, type Address, type Hex } from "viem";

import type { LooseContract } from "../context.js";
import { fullPartitionAttempts } from "../gnosis-collection-ids.js";
import { Recorder, type Measurer } from "../measurer.js";
import { OP } from "../operations.js";

const FUNDING = parseEther("1000");
const SHARES = parseEther("10");
const TRADE = "LMSRMarketMaker.trade";

export const gnosisLmsrMeasurer: Measurer = {
  name: "Gnosis LMSRMarketMaker",
  async measure(ctx) {
    const { collateral, send, measure, gnosisWrite, gnosisRead } = ctx;
    const { deployer, oracle, trader, creator } = ctx.wallets;
    const { conditionalTokens: ctf, lmsrFactory, lmsrMarketAbi } = ctx.gnosis;

    for (const w of [creator, trader]) {
      await send("mint", collateral.write.mint([w.account.address, parseEther("1000000")], { account: deployer.account }));
    }
    await send("approve factory", collateral.write.approve([lmsrFactory.address, maxUint256], { account: creator.account }));

    const rec = new Recorder();
    for (let k = 0; k < ctx.settings.samples; k++) {
      const questionId = keccak256(toHex(`bench-gas lmsr ${k}`));
      await send("prepare (CTF)", gnosisWrite(oracle, ctf, "prepareCondition", [oracle.account.address, questionId, 2n]));
      const conditionId = (await gnosisRead(ctf, "getConditionId", [oracle.account.address, questionId, 2n])) as Hex;
      const attempts = fullPartitionAttempts(conditionId, 2);

      const created = await measure(
        "create LMSR",
        gnosisWrite(creator, lmsrFactory, "createLMSRMarketMaker", [ctf.address, collateral.address, [conditionId], 0n, zeroAddress, FUNDING]),
      );
      rec.anchor(OP.lmsrCreate, "LMSRMarketMakerFactory.createLMSRMarketMaker", created, attempts);
      const [event] = parseEventLogs({ abi: lmsrFactory.abi, logs: created.receipt.logs, eventName: "LMSRMarketMakerCreation" });
      const market: LooseContract = { address: (event.args as { lmsrMarketMaker: Address }).lmsrMarketMaker, abi: lmsrMarketAbi };

      await send("approve market", collateral.write.approve([market.address, maxUint256], { account: trader.account }));
      await send("approve market (CTF)", gnosisWrite(trader, ctf, "setApprovalForAll", [market.address, true]));
      await send("approve market", collateral.write.approve([market.address, maxUint256], { account: creator.account }));
      // The market's first trade, by another account: the rows below then differ only in the trader's balance.
      rec.anchor(
        OP.lmsrBuyMarketFirst,
        TRADE,
        await measure("buy (market's first)", gnosisWrite(creator, market, "trade", [[SHARES, 0n], 0n])),
        attempts,
      );
      const trade = (amount: bigint) => gnosisWrite(trader, market, "trade", [[amount, 0n], 0n]);
      rec.anchor(OP.lmsrBuyFirst, TRADE, await measure("buy", trade(SHARES)), attempts);
      rec.anchor(OP.lmsrBuyRepeat, TRADE, await measure("buy", trade(SHARES)), attempts);
      rec.anchor(OP.lmsrSellRepeat, TRADE, await measure("sell", trade(-SHARES)), attempts);
      rec.anchor(OP.lmsrSellFirst, TRADE, await measure("sell", trade(-SHARES)), attempts);
    }
    return rec.rows();
  },
};
