/**
 * Reference rows, no target: Gnosis FixedProductMarketMaker (the constant-product market maker that
 * replaced LMSR in Omen), created and funded in one transaction by FPMMDeterministicFactory, then
 * buy (first), buy (repeat) and sell (repeat), fee 0, on `settings.samples` fresh binary conditions.
 */
import { keccak256, maxUint256, parseEther, parseEventLogs, toHex, type Address, type Hex } from "viem";

import type { LooseContract } from "../context.js";
import { fullPartitionAttempts } from "../gnosis-collection-ids.js";
import { Recorder, type Measurer } from "../measurer.js";
import { OP } from "../operations.js";

const FUNDING = parseEther("1000");
const INVESTMENT = parseEther("10");

export const gnosisFpmmMeasurer: Measurer = {
  name: "Gnosis FixedProductMarketMaker",
  async measure(ctx) {
    const { collateral, send, measure, gnosisWrite, gnosisRead } = ctx;
    const { deployer, oracle, trader, creator } = ctx.wallets;
    const { conditionalTokens: ctf, fpmmFactory, fpmmAbi } = ctx.gnosis;

    await send("mint", collateral.write.mint([creator.account.address, parseEther("1000000")], { account: deployer.account }));
    await send("mint", collateral.write.mint([trader.account.address, parseEther("1000000")], { account: deployer.account }));
    await send("approve factory", collateral.write.approve([fpmmFactory.address, maxUint256], { account: creator.account }));

    const rec = new Recorder();
    for (let k = 0; k < ctx.settings.samples; k++) {
      const questionId = keccak256(toHex(`bench-gas fpmm ${k}`));
      await send("prepare (CTF)", gnosisWrite(oracle, ctf, "prepareCondition", [oracle.account.address, questionId, 2n]));
      const conditionId = (await gnosisRead(ctf, "getConditionId", [oracle.account.address, questionId, 2n])) as Hex;
      const attempts = fullPartitionAttempts(conditionId, 2);

      const created = await measure(
        "create FPMM",
        gnosisWrite(creator, fpmmFactory, "create2FixedProductMarketMaker", [
          BigInt(k),
          ctf.address,
          collateral.address,
          [conditionId],
          0n,
          FUNDING,
          [],
        ]),
      );
      rec.anchor(OP.fpmmCreate, "FPMMDeterministicFactory.create2FixedProductMarketMaker", created, attempts);
      const [event] = parseEventLogs({
        abi: fpmmFactory.abi,
        logs: created.receipt.logs,
        eventName: "FixedProductMarketMakerCreation",
      });
      const fpmm: LooseContract = {
        address: (event.args as { fixedProductMarketMaker: Address }).fixedProductMarketMaker,
        abi: fpmmAbi,
      };

      await send("approve fpmm", collateral.write.approve([fpmm.address, maxUint256], { account: trader.account }));
      await send("approve fpmm (CTF)", gnosisWrite(trader, ctf, "setApprovalForAll", [fpmm.address, true]));
      const buy = () => gnosisWrite(trader, fpmm, "buy", [INVESTMENT, 0n, 0n]);
      rec.anchor(OP.fpmmBuyFirst, "FixedProductMarketMaker.buy", await measure("buy", buy()), attempts);
      rec.anchor(OP.fpmmBuyRepeat, "FixedProductMarketMaker.buy", await measure("buy", buy()), attempts);
      rec.anchor(
        OP.fpmmSellRepeat,
        "FixedProductMarketMaker.sell",
        await measure("sell", gnosisWrite(trader, fpmm, "sell", [INVESTMENT / 2n, 0n, maxUint256])),
        attempts,
      );
    }
    return rec.rows();
  },
};
