import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import type { NetworkConnection } from "hardhat/types/network";
import { keccak256, parseEventLogs, parseUnits, stringToHex, type Hash } from "viem";

import { deployLocalSystem } from "./deploy.js";
import { fmtAmount, fmtDelta, renderTable, toJson } from "./format.js";
import { BREACH, HONOR, WAD, breachPrice, buyShares, openBreachMarket, redeemShares } from "./markets.js";
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
  contracts: { registry: string; committee: string; vault: string; maker: string; breachMarkets: string };
  pledges: { lab: string; pledgeId: bigint; bond: bigint; outcome: string; conditionId: string; subsidy: bigint; subsidyBack: bigint }[];
  /** The BREACH price (WAD) of each pledge's market after each step, read from the maker. */
  breachPrices: { step: string; day: number; labA: bigint; labB: bigint }[];
  slash: { bond: bigint; challengerReward: bigint; beneficiaryShare: bigint; beneficiary: string };
  disputeBonds: { winner: string; toWinner: bigint; fee: bigint; feeRecipient: string } | null;
  actors: ActorRow[];
  defectorLoss: bigint;
  /** What Lab B lost of its own market subsidy (subsidy - what it withdrew). */
  defectorSubsidyLoss: bigint;
  registryBalanceAfter: bigint;
  /** Bond-token balances of the vault and the maker after everyone settled (0 when nothing is stranded). */
  marketsBalanceAfter: bigint;
  gasUsed: Record<string, bigint>;
}

/**
 * The first scenario: two labs pledge and open their pledges' breach markets, an optimist buys
 * HONOR, one lab defects and an informed trader buys BREACH in its market, a watcher challenges
 * (closing that market), the defector disputes (or nobody does), the committee rules, the bond is
 * slashed, both markets resolve, traders redeem, the labs withdraw what is left of their subsidies,
 * and everyone claims. Every number in the
 * report is read from the chain (balances, claimables, event logs), never computed here.
 */
export async function runDemo(conn: NetworkConnection, opts: DemoOptions): Promise<DemoReport> {
  const { viem, networkHelpers } = conn;
  const { log } = opts;
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  if (wallets.length < 11) throw new Error(`the demo needs 11 funded accounts, the network has ${wallets.length}`);
  const [deployer, labA, labB, watcher, m1, m2, m3, treasury, safetyFund, optimist, insider] = wallets;
  const actors = [
    { name: "Lab A (keeps its pledge)", wallet: labA },
    { name: "Lab B (defects)", wallet: labB },
    { name: "Watcher (challenger)", wallet: watcher },
    { name: "Optimist (trader)", wallet: optimist },
    { name: "Informed trader", wallet: insider },
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

  log("[1/9] Deploying the registry, the 2-of-3 committee and the breach markets through Ignition");
  const sys = await deployLocalSystem(conn, {
    committeeMembers: [m1, m2, m3].map((w) => w.account.address),
    committeeThreshold: 2,
    treasury: treasury.account.address,
  }, `demo-${Date.now()}`);
  const { registry, committee, bondToken, vault, maker, breachMarkets } = sys;
  const decimals = await bondToken.read.decimals();
  const symbol = await bondToken.read.symbol();
  const units = (n: string) => parseUnits(n, decimals);
  const fmt = (v: bigint) => `${fmtAmount(v, decimals)} ${symbol}`;
  const cfg = await registry.read.config();
  log(`      registry ${registry.address}, committee ${committee.address}, bond token ${symbol} ${bondToken.address}`);
  log(`      challenger reward ${cfg.challengerRewardBps / 100}% of a slashed bond, dispute fee ${cfg.disputeFeeBps / 100}%`);

  log("[2/9] Funding the labs, the watcher and two traders");
  const funding: [typeof labA, string][] = [
    [labA, "150000"],
    [labB, "150000"],
    [watcher, "20000"],
    [optimist, "20000"],
    [insider, "20000"],
  ];
  for (const [w, amount] of funding) {
    await send("mint", bondToken.write.mint([w.account.address, units(amount)], { account: deployer.account }));
    await send("approve", bondToken.write.approve([registry.address, 2n ** 256n - 1n], { account: w.account }));
  }
  const before = new Map<string, bigint>();
  for (const a of actors) before.set(a.name, await bondToken.read.balanceOf([a.wallet.account.address]));

  log("[3/9] Both labs pledge: no frontier training run past the agreed threshold for 180 days");
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

  log("[4/9] Each lab opens its pledge's breach market, paying the LMSR subsidy b ln 2 (b = 10,000)");
  const liquidity = units("10000");
  const feeBps = 100;
  const marketA = await openBreachMarket(sys, send, labA, pledgeA, liquidity, feeBps);
  const marketB = await openBreachMarket(sys, send, labB, pledgeB, liquidity, feeBps);
  log(`      each subsidy ${fmt(marketA.subsidy)}, trading fee ${feeBps / 100}%`);
  const breachPrices: DemoReport["breachPrices"] = [];
  const t0 = BigInt(await networkHelpers.time.latest());
  const pct = (p: bigint) => `${(Number((p * 10_000n) / WAD) / 100).toFixed(2)}%`;
  const record = async (step: string) => {
    const now = BigInt(await networkHelpers.time.latest());
    const row = {
      step,
      day: Number((now - t0) / DAY),
      labA: await breachPrice(sys, marketA.conditionId),
      labB: await breachPrice(sys, marketB.conditionId),
    };
    breachPrices.push(row);
    log(`      day ${String(row.day).padStart(3)}  P(breach) Lab A ${pct(row.labA).padStart(6)}  Lab B ${pct(row.labB).padStart(6)}  (${step})`);
  };
  await record("markets open");
  const trade = async (who: typeof optimist, conditionId: `0x${string}`, outcome: bigint, amount: string) => {
    const now = BigInt(await networkHelpers.time.latest());
    return buyShares(sys, send, who, conditionId, outcome, units(amount), { now });
  };
  await trade(optimist, marketA.conditionId, HONOR, "6000");
  await trade(optimist, marketB.conditionId, HONOR, "6000");
  await record("an optimist buys HONOR in both");

  log("[5/9] 90 days of competitive pressure later, Lab B trains past the threshold; word gets out");
  await networkHelpers.time.increase(90n * DAY);
  await trade(insider, marketB.conditionId, BREACH, "12000");
  await record("an informed trader buys BREACH in Lab B");
  await trade(insider, marketB.conditionId, BREACH, "8000");
  await record("and more");
  log("      a watcher challenges Lab B's pledge: trading in its market closes");
  const [, challengeBond] = await registry.read.requiredChallengeBond([pledgeB]);
  await send(
    "challenge",
    registry.write.challenge([pledgeB, "ipfs://evidence/lab-b-training-run", challengeBond], { account: watcher.account }),
  );
  const challengeId = await registry.read.openChallenge([pledgeB]);
  log(`      challenge #${challengeId} with a ${fmt(challengeBond)} bond; pledge #${pledgeB} is ${stateName(await registry.read.state([pledgeB]))}`);
  await record("challenge: Lab B's market closed");

  let ruling;
  if (opts.dispute) {
    log("[6/9] Lab B disputes, matching the bond; the committee votes 2 of 3 that the pledge was breached");
    await send("dispute", registry.write.dispute([pledgeB], { account: labB.account }));
    await send("vote", committee.write.vote([challengeId, true], { account: m1.account }));
    ruling = await send("vote (ruling)", committee.write.vote([challengeId, true], { account: m2.account }));
  } else {
    log("[6/9] Nobody disputes; after the 3-day liveness the breach stands and anyone finalizes");
    await networkHelpers.time.increase(3n * DAY);
    ruling = await send("finalize (slash)", registry.write.finalize([pledgeB], { account: watcher.account }));
  }
  const [slashed] = parseEventLogs({ abi: registry.abi, logs: ruling.logs, eventName: "PledgeSlashed" });
  const [bonds] = parseEventLogs({ abi: registry.abi, logs: ruling.logs, eventName: "DisputeBondsSettled" });
  log(`      pledge #${pledgeB} is ${stateName(await registry.read.state([pledgeB]))}: ${fmt(slashed.args.bond)} slashed`);

  await send("resolve (breach)", breachMarkets.write.resolve([pledgeB], { account: deployer.account }));
  log(`      Lab B's market resolved: BREACH pays 1, HONOR 0`);

  log("[7/9] Lab A's term and grace end with no challenge: anyone finalizes it as Honored");
  const pa = await registry.read.getPledge([pledgeA]);
  await networkHelpers.time.increaseTo(pa.expiry + BigInt(pa.grace));
  await record("end of Lab A's grace period");
  await send("finalize (honor)", registry.write.finalize([pledgeA], { account: deployer.account }));
  await send("resolve (honor)", breachMarkets.write.resolve([pledgeA], { account: deployer.account }));
  log(`      pledge #${pledgeA} is ${stateName(await registry.read.state([pledgeA]))}; its market resolved: HONOR pays 1`);

  log("[8/9] Traders redeem their positions; each lab withdraws what is left of its market subsidy");
  for (const a of actors) {
    for (const [label, m] of [["Lab A", marketA], ["Lab B", marketB]] as const) {
      const got = await redeemShares(sys, send, a.wallet, m.conditionId);
      if (got > 0n) log(`      ${a.name} redeemed ${fmt(got)} in ${label}'s market`);
    }
  }
  const subsidyBack = new Map<string, bigint>();
  for (const [lab, m, name] of [[labA, marketA, "Lab A"], [labB, marketB, "Lab B"]] as const) {
    const balance = await bondToken.read.balanceOf([lab.account.address]);
    const pledgeId = name === "Lab A" ? pledgeA : pledgeB;
    await send("withdrawSubsidy", breachMarkets.write.withdrawSubsidy([pledgeId, lab.account.address], { account: lab.account }));
    const back = (await bondToken.read.balanceOf([lab.account.address])) - balance;
    subsidyBack.set(name, back);
    log(`      ${name} withdrew ${fmt(back)} of its ${fmt(m.subsidy)} subsidy`);
  }

  log("[9/9] Everyone withdraws what the registry owes it (pull payments)");
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
  const defectorSubsidyLoss = marketB.subsidy - subsidyBack.get("Lab B")!;
  const registryBalanceAfter = await bondToken.read.balanceOf([registry.address]);
  const marketsBalanceAfter =
    (await bondToken.read.balanceOf([vault.address])) + (await bondToken.read.balanceOf([maker.address]));

  log("");
  log(
    renderTable(
      ["actor", `before (${symbol})`, `after (${symbol})`, "change"],
      rows.map((r) => [r.actor, fmtAmount(r.before, decimals), fmtAmount(r.after, decimals), fmtDelta(r.delta, decimals)]),
    ),
  );
  log("");
  log("");
  log(
    renderTable(
      ["day", "step", "P(breach) Lab A", "P(breach) Lab B"],
      breachPrices.map((r) => [String(r.day), r.step, pct(r.labA), pct(r.labB)]),
      ["r", "l", "r", "r"],
    ),
  );
  log("");
  log(`Lab B, the defector, lost ${fmt(defectorLoss)}: ${fmt(defectorSubsidyLoss)} of its market subsidy went to the traders`);
  log(`  who priced its defection, and its ${fmt(slashed.args.bond)} bond went`);
  log(`  ${fmt(slashed.args.challengerReward)} to the watcher (reward) and ${fmt(slashed.args.beneficiaryShare)} to the safety fund;`);
  if (bonds) {
    log(`  its ${fmt(challengeBond)} dispute bond went ${fmt(bonds.args.toWinner - challengeBond)} to the watcher and ${fmt(bonds.args.fee)} to the treasury.`);
  }
  log(`Lab A kept its pledge and got its ${fmt(bond)} bond back; its market cost it ${fmt(marketA.subsidy - subsidyBack.get("Lab A")!)} (subsidy less what it withdrew, fees included).`);
  log(`Left in escrow: registry ${fmt(registryBalanceAfter)}, vault and market maker ${fmt(marketsBalanceAfter)}.`);

  const report: DemoReport = {
    scenario: opts.dispute ? "demo (disputed breach)" : "demo (undisputed breach)",
    network: { chainId: await publicClient.getChainId() },
    token: { address: bondToken.address, symbol, decimals },
    contracts: {
      registry: registry.address,
      committee: committee.address,
      vault: vault.address,
      maker: maker.address,
      breachMarkets: breachMarkets.address,
    },
    pledges: [
      {
        lab: "Lab A",
        pledgeId: pledgeA,
        bond,
        outcome: stateName(await registry.read.state([pledgeA])),
        conditionId: marketA.conditionId,
        subsidy: marketA.subsidy,
        subsidyBack: subsidyBack.get("Lab A")!,
      },
      {
        lab: "Lab B",
        pledgeId: pledgeB,
        bond,
        outcome: stateName(await registry.read.state([pledgeB])),
        conditionId: marketB.conditionId,
        subsidy: marketB.subsidy,
        subsidyBack: subsidyBack.get("Lab B")!,
      },
    ],
    breachPrices,
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
    defectorSubsidyLoss,
    registryBalanceAfter,
    marketsBalanceAfter,
    gasUsed,
  };
  await mkdir(opts.outDir, { recursive: true });
  const file = path.join(opts.outDir, "report.json");
  await writeFile(file, toJson(report) + "\n");
  log(`Report written to ${path.relative(process.cwd(), file)}`);
  return report;
}
