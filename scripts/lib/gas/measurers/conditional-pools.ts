/**
 * Our ConditionalPools (futarchy's constant-product pools of vault positions, with a TWAP oracle)
 * against the Gnosis FixedProductMarketMaker buy rows measured by gnosis-fpmm.ts (the anchors are
 * joined through ANCHOR_FROM in operations.ts). Per sample a fresh binary condition in the bench's
 * vault and a pool between its two "pass" positions on two collaterals, as futarchy pairs them
 * (pass-metric: outcome 0 on the metric token; pass-quote: outcome 0 on the quote token), so a swap
 * touches four distinct balance slots: the trader's and the pool's of each side. Fee 0 as in the
 * anchors (the fee costs no gas). The trader holds the metric position (it split the metric token)
 * and swaps metric for quote:
 * - swap (first): it has never held the quote position: the output writes a new balance slot;
 * - swap (repeat): it holds both positions before and after.
 * Each swap is a transaction in a new block after the oracle's delay, so the oracle records an
 * observation and rewrites its cumulative slot: the realistic worst case of a swap (a poke by another
 * account made the pool's first counted observation before, as the LMSR rows leave a market's first
 * trade to another account).
 */
import { keccak256, maxUint256, parseEther, toHex } from "viem";

import { Recorder, type Measurer } from "../measurer.js";
import { OP } from "../operations.js";

const SEED = parseEther("1000");
const TRADE = parseEther("10");
const DELAY = 3_600;
const WINDOW = 30n * 86_400n;

export const conditionalPoolsMeasurer: Measurer = {
  name: "ConditionalPools",
  async measure(ctx) {
    const { conn, collateral, vault, send, measure } = ctx;
    const { deployer, oracle, trader, creator } = ctx.wallets;
    const pools = await conn.viem.deployContract("ConditionalPools", [vault.address]);
    const quoteToken = await conn.viem.deployContract("MockERC20", ["Bench Quote", "BQUOTE", 18]);
    const samples = ctx.settings.samples;

    for (const w of [creator, trader]) {
      for (const token of [collateral, quoteToken]) {
        await send("mint", token.write.mint([w.account.address, parseEther("1000000")], { account: deployer.account }));
        await send("approve vault", token.write.approve([vault.address, maxUint256], { account: w.account }));
      }
      await send("approve pools", vault.write.setApprovalForAll([pools.address, true], { account: w.account }));
    }

    const rec = new Recorder();
    for (let k = 0; k < samples; k++) {
      const questionId = keccak256(toHex(`bench-gas conditional pool ${k}`));
      await send("prepare", vault.write.prepareCondition([questionId, 2n], { account: oracle.account }));
      const cid = await vault.read.conditionIdOf([oracle.account.address, questionId, 2n]);
      const metric = await vault.read.positionId([collateral.address, 0n, cid, 0n]);
      const quote = await vault.read.positionId([quoteToken.address, 0n, cid, 0n]);
      for (const token of [collateral.address, quoteToken.address]) {
        await send("split", vault.write.split([token, 0n, cid, 2n * SEED], { account: creator.account }));
      }
      await send("split", vault.write.split([collateral.address, 0n, cid, 10n * TRADE], { account: trader.account }));

      const now = BigInt(await conn.networkHelpers.time.latest());
      const params = {
        metric,
        quote,
        feeBps: 0,
        start: now,
        end: now + WINDOW,
        twapDelay: DELAY,
        twapMaxStep: parseEther("0.01"),
      };
      const salt = toHex(k, { size: 32 });
      await send("create pool", pools.write.createPool([salt, params, SEED, SEED, creator.account.address], { account: creator.account }));
      const poolId = await pools.read.poolIdOf([creator.account.address, salt]);
      const swap = () => pools.write.swap([poolId, true, TRADE, 0n, trader.account.address], { account: trader.account });

      // The pool's first counted observation, by another account (not measured), so that the rows below
      // rewrite the oracle's cumulative slot rather than fill it: "first" is the trader's, not the pool's.
      await conn.networkHelpers.time.increase(DELAY + 60);
      await send("poke", pools.write.poke([poolId], { account: creator.account }));
      await conn.networkHelpers.time.increase(60);
      rec.ours(OP.poolSwapFirst, await measure("swap (first)", swap()));
      await conn.networkHelpers.time.increase(60);
      rec.ours(OP.poolSwapRepeat, await measure("swap (repeat)", swap()));
    }
    return rec.rows();
  },
};
