/**
 * OutcomeVault against Gnosis ConditionalTokens, side by side on the same binary conditions'
 * life cycle, repeated on `settings.samples` fresh questions (Gnosis gas depends on the condition id):
 * prepare; split (first), split (repeat); merge (repeat), merge (first) (the holder's balances go to
 * zero); split again (not measured); report [1, 0]; redeem everything.
 */
import { keccak256, maxUint256, parseEther, toHex, type Hex } from "viem";

import { fullPartitionAttempts } from "../gnosis-collection-ids.js";
import { Recorder, type Measurer } from "../measurer.js";
import { OP } from "../operations.js";

const AMOUNT = parseEther("10");
const ROOT_COLLECTION: Hex = toHex(0, { size: 32 });
const PARTITION = [1n, 2n];

export const outcomeVaultMeasurer: Measurer = {
  name: "OutcomeVault vs ConditionalTokens",
  async measure(ctx) {
    const { collateral, vault, send, measure, gnosisWrite, gnosisRead } = ctx;
    const { deployer, oracle, holder } = ctx.wallets;
    const ctf = ctx.gnosis.conditionalTokens;
    const as = { account: holder.account };

    await send("mint", collateral.write.mint([holder.account.address, parseEther("1000000")], { account: deployer.account }));
    await send("approve vault", collateral.write.approve([vault.address, maxUint256], as));
    await send("approve ctf", collateral.write.approve([ctf.address, maxUint256], as));

    const rec = new Recorder();
    for (let k = 0; k < ctx.settings.samples; k++) {
      const questionId = keccak256(toHex(`bench-gas condition ${k}`));

      // Ours.
      rec.ours(OP.prepareCondition, await measure("prepare", vault.write.prepareCondition([questionId, 2n], { account: oracle.account })));
      const id = await vault.read.conditionIdOf([oracle.account.address, questionId, 2n]);
      const split = () => vault.write.split([collateral.address, 0n, id, AMOUNT], as);
      const merge = () => vault.write.merge([collateral.address, 0n, id, AMOUNT], as);
      rec.ours(OP.splitFirst, await measure("split", split()));
      rec.ours(OP.splitRepeat, await measure("split", split()));
      rec.ours(OP.mergeRepeat, await measure("merge", merge()));
      rec.ours(OP.mergeFirst, await measure("merge", merge()));
      await send("split", split());
      rec.ours(OP.reportPayouts, await measure("report", vault.write.reportPayouts([questionId, [1n, 0n]], { account: oracle.account })));
      rec.ours(OP.redeem, await measure("redeem", vault.write.redeem([collateral.address, 0n, id], as)));

      // Gnosis, same steps.
      const name = (fn: string) => `ConditionalTokens.${fn}`;
      rec.anchor(
        OP.prepareCondition,
        name("prepareCondition"),
        await measure("prepare (CTF)", gnosisWrite(oracle, ctf, "prepareCondition", [oracle.account.address, questionId, 2n])),
      );
      const gid = (await gnosisRead(ctf, "getConditionId", [oracle.account.address, questionId, 2n])) as Hex;
      const attempts = fullPartitionAttempts(gid, 2);
      const gsplit = () => gnosisWrite(holder, ctf, "splitPosition", [collateral.address, ROOT_COLLECTION, gid, PARTITION, AMOUNT]);
      const gmerge = () => gnosisWrite(holder, ctf, "mergePositions", [collateral.address, ROOT_COLLECTION, gid, PARTITION, AMOUNT]);
      rec.anchor(OP.splitFirst, name("splitPosition"), await measure("split (CTF)", gsplit()), attempts);
      rec.anchor(OP.splitRepeat, name("splitPosition"), await measure("split (CTF)", gsplit()), attempts);
      rec.anchor(OP.mergeRepeat, name("mergePositions"), await measure("merge (CTF)", gmerge()), attempts);
      rec.anchor(OP.mergeFirst, name("mergePositions"), await measure("merge (CTF)", gmerge()), attempts);
      await send("split (CTF)", gsplit());
      rec.anchor(
        OP.reportPayouts,
        name("reportPayouts"),
        await measure("report (CTF)", gnosisWrite(oracle, ctf, "reportPayouts", [questionId, [1n, 0n]])),
      );
      rec.anchor(
        OP.redeem,
        name("redeemPositions"),
        await measure("redeem (CTF)", gnosisWrite(holder, ctf, "redeemPositions", [collateral.address, ROOT_COLLECTION, gid, PARTITION])),
        attempts,
      );
    }
    return rec.rows();
  },
};
