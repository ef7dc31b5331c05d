import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import type { NetworkConnection } from "hardhat/types/network";
import { keccak256, parseEventLogs, parseUnits, stringToHex, type Hash } from "viem";

import { deployLocalSystem } from "./deploy.js";
import { fmtAmount, fmtDelta, renderTable, toJson } from "./format.js";
import { stateName } from "./states.js";

const DAY = 86_400n;

export interface DemoOptions {
  /** true: the defector disputes and the committee rules; false: nobody disputes. */
  dispute: boolean;
  /** Folder for report.json. */
  outDir: string;
  log: (line: string) => void;
}

export interface ActorRow {
  actor: string;
  address: string;
  before: bigint;
  after: bigint;
  delta: bigint;
}

export interface DemoReport {
  scenario: string;
  network: { chainId: number };
  token: { address: string; symbol: string; decimals: number };
  contracts: { registry: string; committee: string };
  pledges: { lab: string; pledgeId: bigint; bond: bigint; outcome: string }[];
  slash: { bond: bigint; challengerReward: bigint; beneficiaryShare: bigint; beneficiary: string };
  disputeBonds: { winner: string; toWinner: bigint; fee: bigint; feeRecipient: string } | null;
  actors: ActorRow[];
  defectorLoss: bigint;
  registryBalanceAfter: bigint;
  gasUsed: Record<string, bigint>;
}

/**
 * The first scenario: two labs pledge, one defects, a watcher challenges, the defector disputes (or
 * nobody does), the committee rules, the bond is slashed, and everyone claims. Every number in the
 * report is read from the chain (balances, claimables, event logs), never computed here.
 */
export async function runDemo(conn: NetworkConnection, opts: DemoOptions): Promise<DemoReport> {
  const { viem, networkHelpers } = conn;
  const { log } = opts;
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  if (wallets.length < 9) throw new Error(`the demo needs 9 funded accounts, the network has ${wallets.length}`);
  const [deployer, labA, labB, watcher, m1, m2, m3, treasury, safetyFund] = wallets;
  const actors = [
    { name: "Lab A (keeps its pledge)", wallet: labA },
    { name: "Lab B (defects)", wallet: labB },
    { name: "Watcher (challenger)", wallet: watcher },
    { name: "Safety fund (beneficiary)", wallet: safetyFund },
    { name: "Treasury (dispute fees)", wallet: treasury },
  ];
  const gasUsed: Record<string, bigint> = {};
  const send = async (label: string, tx: Promise<Hash>) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await tx });
    if (receipt.status !== "success") throw new Error(`${label}: transaction reverted`);
    gasUsed[label] = receipt.gasUsed;
    return receipt;
  };

  log("[1/7] Deploying the registry and the 2-of-3 committee through Ignition");
  const { registry, committee, bondToken } = await deployLocalSystem(conn, {
    committeeMembers: [m1, m2, m3].map((w) => w.account.address),
    committeeThreshold: 2,
    treasury: treasury.account.address,
  }, `demo-${Date.now()}`);
  const decimals = await bondToken.read.decimals();
  const symbol = await bondToken.read.symbol();
  const units = (n: string) => parseUnits(n, decimals);
  const fmt = (v: bigint) => `${fmtAmount(v, decimals)} ${symbol}`;
  const cfg = await registry.read.config();
  log(`      registry ${registry.address}, committee ${committee.address}, bond token ${symbol} ${bondToken.address}`);
  log(`      challenger reward ${cfg.challengerRewardBps / 100}% of a slashed bond, dispute fee ${cfg.disputeFeeBps / 100}%`);

  log("[2/7] Funding the labs and the watcher");
  const funding: [typeof labA, string][] = [[labA, "150000"], [labB, "150000"], [watcher, "20000"]];
  for (const [w, amount] of funding) {
    await send("mint", bondToken.write.mint([w.account.address, units(amount)], { account: deployer.account }));
    await send("approve", bondToken.write.approve([registry.address, 2n ** 256n - 1n], { account: w.account }));
  }
  const before = new Map<string, bigint>();
  for (const a of actors) before.set(a.name, await bondToken.read.balanceOf([a.wallet.account.address]));

  log("[3/7] Both labs pledge: no frontier training run past the agreed threshold for 180 days");
  const now = BigInt(await networkHelpers.time.latest());
  const bond = units("100000");
  const pledgeFor = async (lab: typeof labA, name: string) => {
    const terms = `${name} will not train a model above the agreed compute threshold before the expiry.`;
    await send(
      "createPledge",
      registry.write.createPledge(
        [
          {
            termsHash: keccak256(stringToHex(terms)),
            termsURI: `ipfs://pledge-terms/${name.replace(/\s/g, "-").toLowerCase()}`,
            token: bondToken.address,
            bond,
            expiry: now + 180n * DAY,
            grace: Number(30n * DAY),
            beneficiary: safetyFund.account.address,
            resolution: { arbiter: committee.address, liveness: Number(3n * DAY), challengeBond: units("5000") },
          },
        ],
        { account: lab.account },
      ),
    );
    const id = await registry.read.pledgeCount();
    log(`      ${name} pledged ${fmt(bond)} (pledge #${id}), state ${stateName(await registry.read.state([id]))}`);
    return id;
  };
  const pledgeA = await pledgeFor(labA, "Lab A");
  const pledgeB = await pledgeFor(labB, "Lab B");

  log("[4/7] 90 days of competitive pressure later, Lab B trains past the threshold; a watcher challenges");
  await networkHelpers.time.increase(90n * DAY);
  const [, challengeBond] = await registry.read.requiredChallengeBond([pledgeB]);
  await send(
    "challenge",
    registry.write.challenge([pledgeB, "ipfs://evidence/lab-b-training-run"], { account: watcher.account }),
  );
  const challengeId = await registry.read.openChallenge([pledgeB]);
  log(`      challenge #${challengeId} with a ${fmt(challengeBond)} bond; pledge #${pledgeB} is ${stateName(await registry.read.state([pledgeB]))}`);

  let ruling;
  if (opts.dispute) {
    log("[5/7] Lab B disputes, matching the bond; the committee votes 2 of 3 that the pledge was breached");
    await send("dispute", registry.write.dispute([pledgeB], { account: labB.account }));
    await send("vote", committee.write.vote([challengeId, true], { account: m1.account }));
    ruling = await send("vote (ruling)", committee.write.vote([challengeId, true], { account: m2.account }));
  } else {
    log("[5/7] Nobody disputes; after the 3-day liveness the breach stands and anyone finalizes");
    await networkHelpers.time.increase(3n * DAY);
    ruling = await send("finalize (slash)", registry.write.finalize([pledgeB], { account: watcher.account }));
  }
  const [slashed] = parseEventLogs({ abi: registry.abi, logs: ruling.logs, eventName: "PledgeSlashed" });
  const [bonds] = parseEventLogs({ abi: registry.abi, logs: ruling.logs, eventName: "DisputeBondsSettled" });
  log(`      pledge #${pledgeB} is ${stateName(await registry.read.state([pledgeB]))}: ${fmt(slashed.args.bond)} slashed`);

  log("[6/7] Lab A's term and grace end with no challenge: anyone finalizes it as Honored");
  const pa = await registry.read.getPledge([pledgeA]);
  await networkHelpers.time.increaseTo(pa.expiry + BigInt(pa.grace));
  await send("finalize (honor)", registry.write.finalize([pledgeA], { account: deployer.account }));
  log(`      pledge #${pledgeA} is ${stateName(await registry.read.state([pledgeA]))}`);

  log("[7/7] Everyone withdraws what it is owed (pull payments)");
  for (const a of actors) {
    const owed = await registry.read.claimable([a.wallet.account.address, bondToken.address]);
    if (owed === 0n) continue;
    await send("claim", registry.write.claim([bondToken.address, a.wallet.account.address], { account: a.wallet.account }));
    log(`      ${a.name} claimed ${fmt(owed)}`);
  }

  const rows: ActorRow[] = [];
  for (const a of actors) {
    const after = await bondToken.read.balanceOf([a.wallet.account.address]);
    const b = before.get(a.name)!;
    rows.push({ actor: a.name, address: a.wallet.account.address, before: b, after, delta: after - b });
  }
  const defectorLoss = -rows[1].delta;
  const registryBalanceAfter = await bondToken.read.balanceOf([registry.address]);

  log("");
  log(
    renderTable(
      ["actor", `before (${symbol})`, `after (${symbol})`, "change"],
      rows.map((r) => [r.actor, fmtAmount(r.before, decimals), fmtAmount(r.after, decimals), fmtDelta(r.delta, decimals)]),
    ),
  );
  log("");
  log(`Lab B, the defector, lost ${fmt(defectorLoss)}: its ${fmt(slashed.args.bond)} bond went`);
  log(`  ${fmt(slashed.args.challengerReward)} to the watcher (reward) and ${fmt(slashed.args.beneficiaryShare)} to the safety fund;`);
  if (bonds) {
    log(`  its ${fmt(challengeBond)} dispute bond went ${fmt(bonds.args.toWinner - challengeBond)} to the watcher and ${fmt(bonds.args.fee)} to the treasury.`);
  }
  log(`Lab A kept its pledge and got its ${fmt(bond)} bond back. Registry escrow left: ${fmt(registryBalanceAfter)}.`);

  const report: DemoReport = {
    scenario: opts.dispute ? "demo (disputed breach)" : "demo (undisputed breach)",
    network: { chainId: await publicClient.getChainId() },
    token: { address: bondToken.address, symbol, decimals },
    contracts: { registry: registry.address, committee: committee.address },
    pledges: [
      { lab: "Lab A", pledgeId: pledgeA, bond, outcome: stateName(await registry.read.state([pledgeA])) },
      { lab: "Lab B", pledgeId: pledgeB, bond, outcome: stateName(await registry.read.state([pledgeB])) },
    ],
    slash: {
      bond: slashed.args.bond,
      challengerReward: slashed.args.challengerReward,
      beneficiaryShare: slashed.args.beneficiaryShare,
      beneficiary: slashed.args.beneficiary,
    },
    disputeBonds: bonds
      ? { winner: bonds.args.winner, toWinner: bonds.args.toWinner, fee: bonds.args.fee, feeRecipient: bonds.args.feeRecipient }
      : null,
    actors: rows,
    defectorLoss,
    registryBalanceAfter,
    gasUsed,
  };
  await mkdir(opts.outDir, { recursive: true });
  const file = path.join(opts.outDir, "report.json");
  await writeFile(file, toJson(report) + "\n");
  log(`Report written to ${path.relative(process.cwd(), file)}`);
  return report;
}
