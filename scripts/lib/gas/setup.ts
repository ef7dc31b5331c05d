/**
 * Builds the benchmark's context on one network: our contracts (OutcomeVault and the collateral
 * through hardhat-viem, the pledge system through the Ignition deploy path), the Gnosis anchors from
 * their artifacts, and seed deposits so that no contract's collateral balance ever returns to zero
 * during a measurement (a balance slot cleared in one row and set in the next would skew both).
 */
import type { NetworkConnection } from "hardhat/types/network";
import { keccak256, maxUint256, parseEther, toHex, zeroAddress } from "viem";

import { deployLocalSystem } from "../deploy.js";
import {
  makeFreshAccounts,
  makeGnosisIo,
  makeMeasure,
  makeSend,
  type BenchContext,
  type BenchSettings,
} from "./context.js";
import { deployGnosis } from "./gnosis-deploy.js";

const SEED = parseEther("1");
const YEAR = 365 * 86_400;

export async function createBench(
  conn: NetworkConnection,
  settings: BenchSettings,
  gnosisCacheDir: string,
  log: (line: string) => void,
): Promise<BenchContext> {
  const { viem } = conn;
  const publicClient = await viem.getPublicClient();
  const all = await viem.getWalletClients();
  if (all.length < 8) throw new Error(`the benchmark needs 8 funded accounts, the network has ${all.length}`);
  const [deployer, oracle, holder, trader, creator, m1, m2, m3] = all;
  const send = makeSend(publicClient);

  const collateral = await viem.deployContract("MockERC20", ["Bench Collateral", "BCOL", 18]);
  const vault = await viem.deployContract("OutcomeVault");
  log(`      OutcomeVault ${vault.address}, collateral MockERC20 ${collateral.address}`);
  const pledges = await deployLocalSystem(conn, { committeeMembers: [m1, m2, m3].map((w) => w.account.address) });
  log(`      PledgeRegistry ${pledges.registry.address} (Ignition), bond token ${pledges.bondToken.address}`);
  const gnosis = await deployGnosis(publicClient, deployer, gnosisCacheDir, log);

  const ctx: BenchContext = {
    conn,
    publicClient,
    wallets: { deployer, oracle, holder, trader, creator },
    collateral,
    vault,
    pledges,
    gnosis,
    settings,
    log,
    send,
    measure: makeMeasure(publicClient),
    ...makeGnosisIo(publicClient),
    freshAccounts: makeFreshAccounts(conn),
  };

  // Seeds: the deployer splits on a condition of its own in the vault and in ConditionalTokens and
  // keeps the positions, and keeps one pledge open for ten years, so the vault, ConditionalTokens and
  // the registry always hold collateral.
  const seedQuestion = keccak256(toHex("bench-gas seed"));
  const ctf = gnosis.conditionalTokens;
  await send("mint seed", collateral.write.mint([deployer.account.address, 2n * SEED]));
  await send("approve vault", collateral.write.approve([vault.address, maxUint256]));
  await send("approve ctf", collateral.write.approve([ctf.address, maxUint256]));
  await send("seed prepare", vault.write.prepareCondition([seedQuestion, 2n]));
  const seedCondition = await vault.read.conditionIdOf([deployer.account.address, seedQuestion, 2n]);
  await send("seed split", vault.write.split([collateral.address, 0n, seedCondition, SEED]));
  await send(
    "seed prepare (CTF)",
    ctx.gnosisWrite(deployer, ctf, "prepareCondition", [deployer.account.address, seedQuestion, 2n]),
  );
  const seedCtfCondition = await ctx.gnosisRead(ctf, "getConditionId", [deployer.account.address, seedQuestion, 2n]);
  await send(
    "seed split (CTF)",
    ctx.gnosisWrite(deployer, ctf, "splitPosition", [collateral.address, toHex(0, { size: 32 }), seedCtfCondition, [1n, 2n], SEED]),
  );

  const { registry, bondToken, committee } = pledges;
  await send("mint seed bond", bondToken.write.mint([deployer.account.address, SEED]));
  await send("approve registry", bondToken.write.approve([registry.address, maxUint256]));
  const now = await conn.networkHelpers.time.latest();
  await send(
    "seed pledge",
    registry.write.createPledge([
      {
        termsHash: keccak256(toHex("bench-gas seed pledge")),
        termsURI: "ipfs://bench-gas/seed",
        token: bondToken.address,
        bond: SEED,
        expiry: BigInt(now + 10 * YEAR),
        grace: 0,
        beneficiary: zeroAddress,
        resolution: { arbiter: committee.address, liveness: 3_600, challengeBond: SEED },
      },
    ]),
  );
  return ctx;
}
