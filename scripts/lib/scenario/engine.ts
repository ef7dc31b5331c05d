/**
 * The scenario engine: agents (labs, watchers, traders, the committee) acting on the real contracts,
 * deployed through the Ignition modules. Time moves in periods (`time.increase`); in each period the
 * labs decide whether to keep their pledges, traders trade the breach markets on their noisy
 * beliefs, watchers look for breaches and challenge, defectors dispute and the committee rules.
 * Afterwards every pledge is finalized, every market resolved, every position redeemed, every
 * subsidy withdrawn and every claim paid, and the result is read from the chain: balances before
 * and after, and the events of the rulings and withdrawals. The only numbers not read from the chain
 * are the labs' alignment tax and private gain, which no contract knows (off-chain bookkeeping).
 *
 * Randomness comes from one seeded generator; with the same seed and options a run sends the same
 * transactions in the same order and reads the same results.
 */
import type { NetworkConnection } from "hardhat/types/network";
import { keccak256, maxUint256, parseEventLogs, parseUnits, stringToHex } from "viem";

import { deployLocalSystem, type DeployedSystem } from "../deploy.js";
import { fmtAmount } from "../format.js";
import { BREACH, HONOR, WAD, type Signer } from "../markets.js";
import { stateName } from "../states.js";
import { type Lab, type Trader, type Watcher, alignmentTax, belief, decideDefect, decideTrade, detects, privateGain } from "./agents.js";
import { newTxStats, makeSender } from "../tx.js";
import { type Progress, progressBar } from "./progress.js";
import { Rng } from "./rng.js";

const DAY = 86_400n;
/**
 * Gas limit of every transaction: at least 2.7 times the most any of them uses (openMarket, about 362k).
 * Given explicitly, the node does not estimate each transaction's gas (a second execution of it); a
 * transaction that ran out would revert, and `send` throws on any revert.
 */
const GAS = 1_000_000n;
/** Settlement transactions in flight at once (order-independent ones only). */
const SETTLE_CONCURRENCY = 8;

/** Runs `fn` on every item, `n` at a time, in order within each batch. */
async function inBatches<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += n) await Promise.all(items.slice(i, i + n).map(fn));
}
type Address = `0x${string}`;
type Hex = `0x${string}`;

import type { ActorResult, DefectorResult, Flow, PactResult, PledgeResult, PricePoint, ScenarioConfig, ScenarioHooks, ScenarioResult } from "./types.js";

export type { ActorResult, DefectorResult, Flow, PactResult, PledgeResult, PricePoint, ScenarioConfig, ScenarioHooks, ScenarioResult };

interface PledgeSim {
  lab: number;
  id: bigint;
  conditionId: Hex;
  subsidy: bigint;
  /** Mirror of the chain for scheduling only; decisions that matter are checked by the contracts. */
  open: boolean;
  defected: boolean;
  challengedAt: number | null;
  challengeId: bigint | null;
  challenger: Address | null;
  disputed: boolean;
  finalizeAfter: bigint | null;
  resolved: "breach" | "honor" | null;
}

export async function runScenario(conn: NetworkConnection, cfg: ScenarioConfig, hooks: ScenarioHooks): Promise<ScenarioResult> {
  const started = performance.now();
  const { viem, networkHelpers } = conn;
  // A log line first clears the progress bar being drawn, if any (a terminal shows both, each on its line).
  let activeBar: Progress | null = null;
  const log = (line: string) => {
    activeBar?.clear();
    hooks.log(line);
  };
  const rng = new Rng(cfg.seed);
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  const need = 6 + cfg.labs + cfg.watchers + cfg.traders;
  const inPact = cfg.keeperShareBps !== null;
  if (inPact && cfg.pledgesPerLab !== 1) throw new Error(`scenario "${cfg.name}": a pact takes one pledge per lab (pledgesPerLab is ${cfg.pledgesPerLab})`);
  if (wallets.length < need) {
    throw new Error(
      `scenario "${cfg.name}" needs ${need} funded accounts (6 + ${cfg.labs} labs + ${cfg.watchers} watchers + ${cfg.traders} traders); the network has ${wallets.length}`,
    );
  }
  const [deployer, m1, m2, m3, treasury, safetyFund] = wallets;
  const labWallets = wallets.slice(6, 6 + cfg.labs);
  const watcherWallets = wallets.slice(6 + cfg.labs, 6 + cfg.labs + cfg.watchers);
  const traderWallets = wallets.slice(6 + cfg.labs + cfg.watchers, need);
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const labName = (i: number) => `Lab ${i < 26 ? letters[i] : i + 1}`;

  const txStats = newTxStats();
  const send = makeSender(publicClient, txStats);
  const bar = (label: string, total: number): Progress | null =>
    (activeBar = cfg.verbose ? null : progressBar(label, total, hooks.progressOut ?? process.stderr));

  // ---- agents
  const labs: Lab[] = labWallets.map((_, i) => ({
    name: labName(i),
    tax0: cfg.tax0,
    gain0: cfg.gain0,
    overconfidence: cfg.overconfidence[i] ?? (cfg.randomOverconfidence ? Math.round(rng.uniform(0, 0.95) * 100) / 100 : 0),
  }));
  const watchers: Watcher[] = watcherWallets.map((_, i) => ({ name: `Watcher ${i + 1}`, detect: cfg.detect }));
  const traders: Trader[] = traderWallets.map((_, i) => ({
    name: `Trader ${i + 1}`,
    noise: Math.round(rng.uniform(0.2, 1.2) * 100) / 100,
    insight: Math.round(rng.uniform(0.2, 0.8) * 100) / 100,
    edge: 0.04,
    sharesPerGap: Math.max(1, Math.round(cfg.liquidity * 1.5)),
    maxShares: Math.max(1, Math.round(cfg.liquidity * 0.6)),
  }));

  // ---- deploy
  const deploymentId = `demo-${cfg.name}-${cfg.seed}-${Date.now()}`;
  log(`Deploying the registry, the 2-of-3 committee and the breach markets through Ignition`);
  const sys: DeployedSystem = await deployLocalSystem(
    conn,
    {
      committeeMembers: [m1, m2, m3].map((w) => w.account.address),
      committeeThreshold: 2,
      treasury: treasury.account.address,
    },
    deploymentId,
  );
  const { registry, committee, bondToken, vault, maker, breachMarkets, pacts, lens } = sys;
  const decimals = await bondToken.read.decimals();
  const symbol = await bondToken.read.symbol();
  const units = (n: number) => parseUnits(String(n), decimals);
  const toUnits = (x: number) => parseUnits(x.toFixed(decimals > 6 ? 6 : decimals), decimals);
  const fmt = (v: bigint) => `${fmtAmount(v, decimals, 0)} ${symbol}`;
  const chainId = await publicClient.getChainId();
  log(`  chain ${chainId}, registry ${registry.address}, bond token ${symbol} ${bondToken.address}`);

  // ---- funding (minting is funding, not profit: balances are taken after it)
  const pledgeCount = cfg.labs * cfg.pledgesPerLab;
  const liquidity = units(cfg.liquidity);
  const subsidyEach = await breachMarkets.read.quoteSubsidy([liquidity]);
  const bond = units(cfg.bond);
  const challengeBond = units(cfg.challengeBond);
  // A challenge bond may escalate for repeat challenges; every pledge is challenged at most once here.
  const labFunds = BigInt(cfg.pledgesPerLab) * (bond + subsidyEach + challengeBond);
  const watcherFunds = BigInt(pledgeCount) * challengeBond;
  const traderFunds = units(Math.max(100_000, cfg.liquidity * 20)) * BigInt(pledgeCount);
  const mintAndApprove: [Signer, bigint, Address[]][] = [
    ...labWallets.map((w): [Signer, bigint, Address[]] => [w, labFunds, [registry.address, breachMarkets.address, ...(inPact ? [pacts.address] : [])]]),
    ...watcherWallets.map((w): [Signer, bigint, Address[]] => [w, watcherFunds, [registry.address]]),
    ...traderWallets.map((w): [Signer, bigint, Address[]] => [w, traderFunds, [maker.address]]),
  ];
  log(`Funding ${cfg.labs} labs, ${cfg.watchers} watchers and ${cfg.traders} traders`);
  for (const [w, amount, spenders] of mintAndApprove) {
    await send("mint", bondToken.write.mint([w.account.address, amount], { account: deployer.account , gas: GAS }));
    for (const s of spenders) await send("approve", bondToken.write.approve([s, maxUint256], { account: w.account , gas: GAS }));
  }
  for (const w of traderWallets) {
    await send("setApprovalForAll", vault.write.setApprovalForAll([maker.address, true], { account: w.account , gas: GAS }));
  }
  const actorList: { name: string; role: ActorResult["role"]; wallet: Signer; lab?: number }[] = [
    ...labWallets.map((w, i) => ({ name: labs[i].name, role: "lab" as const, wallet: w, lab: i })),
    ...watcherWallets.map((w, i) => ({ name: watchers[i].name, role: "watcher" as const, wallet: w })),
    ...traderWallets.map((w, i) => ({ name: traders[i].name, role: "trader" as const, wallet: w })),
    { name: "Safety fund", role: "beneficiary", wallet: safetyFund },
    { name: "Treasury", role: "treasury", wallet: treasury },
  ];
  const before = new Map<string, bigint>();
  for (const a of actorList) before.set(a.name, await bondToken.read.balanceOf([a.wallet.account.address]));

  // ---- pledges and their markets
  const start = BigInt(await networkHelpers.time.latest());
  const periodSeconds = BigInt(cfg.periodDays) * DAY;
  const expiry = start + BigInt(cfg.periods) * periodSeconds;
  const grace = BigInt(cfg.graceDays) * DAY;
  const livenessSeconds = BigInt(cfg.livenessDays) * DAY;
  log(
    `${pledgeCount} pledge${pledgeCount === 1 ? "" : "s"} of ${fmt(bond)} for ${cfg.periods * cfg.periodDays} days (+${cfg.graceDays} days grace), each with a breach market (b = ${fmtAmount(liquidity, decimals)}, subsidy ${fmt(subsidyEach)})`,
  );
  const pledges: PledgeSim[] = [];
  const resolution = { arbiter: committee.address, liveness: Number(livenessSeconds), challengeBond };
  const addPledge = async (i: number, id: bigint) => {
    await send("openMarket", breachMarkets.write.openMarket([id, liquidity, cfg.feeBps], { account: labWallets[i].account, gas: GAS }));
    const conditionId = await breachMarkets.read.conditionOf([id]);
    pledges.push({
      lab: i,
      id,
      conditionId,
      subsidy: subsidyEach,
      open: true,
      defected: false,
      challengedAt: null,
      challengeId: null,
      challenger: null,
      disputed: false,
      finalizeAfter: null,
      resolved: null,
    });
  };
  const pBar = bar("pledges", pledgeCount);
  let pactId = 0n;
  if (inPact) {
    // One pact: every lab joins with its bond; with every seat taken it binds at once, creating each lab's
    // pledge in the registry at the same moment (the lab is the pledger, the pact the beneficiary).
    const terms = `Every member will not train a model above the agreed compute threshold before the expiry.`;
    const created = await send(
      "createPact",
      pacts.write.createPact(
        [
          {
            termsHash: keccak256(stringToHex(terms)),
            termsURI: `ipfs://pact-terms/${cfg.name}`,
            token: bondToken.address,
            minBond: bond,
            quorum: cfg.labs,
            maxMembers: cfg.labs,
            joinDeadline: start + DAY,
            expiry,
            grace: Number(grace),
            keeperShareBps: cfg.keeperShareBps!,
            beneficiary: safetyFund.account.address,
            resolution,
            bonus: 0n,
          },
          [],
        ],
        { account: deployer.account, gas: GAS },
      ),
    );
    pactId = parseEventLogs({ abi: pacts.abi, logs: created.logs, eventName: "PactCreated" })[0].args.pactId;
    for (const lab of labWallets) {
      await send("approveSponsor", registry.write.approveSponsor([pacts.address, true], { account: lab.account, gas: GAS }));
      await send("join", pacts.write.join([pactId, bond], { account: lab.account, gas: GAS }));
    }
    const activated = await send("activate", pacts.write.activate([pactId], { account: deployer.account, gas: GAS + 250_000n * BigInt(cfg.labs) }));
    const members = parseEventLogs({ abi: pacts.abi, logs: activated.logs, eventName: "MemberPledged" });
    log(`  pact #${pactId}: ${cfg.labs} labs joined with ${fmt(bond)} each; it bound them all at once (pledges ${members.map((e) => `#${e.args.pledgeId}`).join(", ")}); a breach pays ${cfg.keeperShareBps! / 100}% of the slashed bond (after the challenger's reward) to the labs that kept it`);
    for (const e of members) {
      await addPledge(labWallets.findIndex((w) => w.account.address.toLowerCase() === e.args.member.toLowerCase()), e.args.pledgeId);
      pBar?.tick(pledges.length);
    }
  }
  for (let k = 0; k < (inPact ? 0 : cfg.pledgesPerLab); k++) {
    for (let i = 0; i < cfg.labs; i++) {
      const lab = labWallets[i];
      const terms = `${labs[i].name} will not train a model above the agreed compute threshold before the expiry (pledge ${k + 1}).`;
      const receipt = await send(
        "createPledge",
        registry.write.createPledge(
          [
            {
              termsHash: keccak256(stringToHex(terms)),
              termsURI: `ipfs://pledge-terms/${cfg.name}/${i}/${k}`,
              token: bondToken.address,
              bond,
              expiry,
              grace: Number(grace),
              beneficiary: safetyFund.account.address,
              resolution,
            },
          ],
          { account: lab.account, gas: GAS },
        ),
      );
      const [created] = parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "PledgeCreated" });
      await addPledge(i, created.args.pledgeId);
      pBar?.tick(pledges.length);
    }
  }
  pBar?.done("pledges created, markets open");

  // ---- the run
  const gracePeriods = Math.ceil(cfg.graceDays / cfg.periodDays);
  const steps = cfg.periods + gracePeriods;
  const defectedAt: (number | null)[] = labs.map(() => null);
  /** What each defector stood to lose on chain at the moment it defected, read from the DefectionLens. */
  const costAtDefection: bigint[] = labs.map(() => 0n);
  /** DefectionLens: a pact member's whole loss (bond, forfeited shares, market subsidies), or a lone pledge's. */
  const onchainDefectionCost = async (lab: number): Promise<bigint> => {
    let total = 0n;
    for (const p of pledges) {
      if (p.lab !== lab) continue;
      total += inPact
        ? (await lens.read.memberCost([pactId, labWallets[lab].account.address])).lossIfDefect
        : (await lens.read.pledgeCost([p.id])).total;
    }
    return total;
  };
  const taxPaid = labs.map(() => 0);
  const gained = labs.map(() => 0);
  const knows = traders.map(() => labs.map(() => false));
  const perPledgeSeries = pledgeCount <= 12;
  const prices: PricePoint[] = [];
  const heldBy = traders.map(() => new Set<number>());
  let trades = 0;
  const detectPerPeriod = 1 - Math.pow(1 - cfg.detect, cfg.watchers);

  const resolveMarket = async (p: PledgeSim) => {
    const r = await send("resolve", breachMarkets.write.resolve([p.id], { account: deployer.account , gas: GAS }));
    const [ev] = parseEventLogs({ abi: breachMarkets.abi, logs: r.logs, eventName: "BreachMarketResolved" });
    p.resolved = ev.args.breached ? "breach" : "honor";
    p.open = false;
  };
  const latest = async () => BigInt(await networkHelpers.time.latest());

  // With many pledges the chart shows two means (defectors' pledges, kept pledges), read each period
  // from a fixed sample of at most 100 pledges (every pledge's final outcome is in the report).
  const sample = (): PledgeSim[] => {
    if (pledges.length <= 100) return pledges;
    const step = pledges.length / 100;
    return Array.from({ length: 100 }, (_, i) => pledges[Math.floor(i * step)]);
  };
  const recordPrices = async (period: number) => {
    const groups = new Map<string, { sum: bigint; n: bigint }>();
    for (const p of perPledgeSeries ? pledges : sample()) {
      let price: bigint;
      if (p.resolved) price = p.resolved === "breach" ? WAD : 0n;
      else if (!p.open) continue; // closed by a challenge, not yet resolved
      else price = (await maker.read.prices([p.conditionId]))[Number(BREACH)];
      if (perPledgeSeries) {
        prices.push({ period, day: period * cfg.periodDays, series: `${labs[p.lab].name} #${p.id}`, price });
      } else {
        const key = defectedAt[p.lab] !== null ? "defectors' pledges (mean)" : "kept pledges (mean)";
        const g = groups.get(key) ?? { sum: 0n, n: 0n };
        g.sum += price;
        g.n += 1n;
        groups.set(key, g);
      }
    }
    for (const [series, g] of groups) prices.push({ period, day: period * cfg.periodDays, series, price: g.sum / g.n });
  };

  const pct = (p: bigint) => `${(Number((p * 10_000n) / WAD) / 100).toFixed(1)}%`;
  const describePrices = () =>
    pledges
      .slice(0, 6)
      .map((p) => `${labs[p.lab].name} ${p.resolved ? (p.resolved === "breach" ? "BREACHED" : "HONORED") : p.open ? pct(prices.findLast((x) => x.series.endsWith(`#${p.id}`))?.price ?? 0n) : "closed"}`)
      .join("  ");

  await recordPrices(0);
  const tradeBudget = cfg.maxTrades > 0 ? cfg.maxTrades : Infinity;
  const totalPlanned =
    cfg.tradesPerPeriod > 0 ? Math.min(tradeBudget, cfg.tradesPerPeriod * steps) : Math.min(tradeBudget, steps * traders.length * pledgeCount);
  const tBar = bar("trades", totalPlanned);

  const tryTrade = async (ti: number, p: PledgeSim, period: number, now: bigint) => {
    const pressure = Math.pow(1 + cfg.pressureGrowth, Math.min(period, cfg.periods));
    const prior = Math.min(0.6, cfg.prior * pressure);
    const b = belief(traders[ti], knows[ti][p.lab], prior, rng);
    const price = (await maker.read.prices([p.conditionId]))[Number(BREACH)];
    const order = decideTrade(traders[ti], b, Number(price) / 1e18);
    if (!order) return;
    const outcome = order.side === "BREACH" ? BREACH : HONOR;
    const amount = units(order.shares);
    // An LMSR share never costs more than 1 token: the amount plus the fee bounds the cost (no quote needed).
    const maxCost = amount + (amount * BigInt(cfg.feeBps)) / 10_000n + 1n;
    const w = traderWallets[ti];
    await send(
      "buy",
      maker.write.buy([p.conditionId, outcome, amount, maxCost, now + DAY, w.account.address], { account: w.account , gas: GAS }),
    );
    heldBy[ti].add(pledges.indexOf(p));
    trades++;
    tBar?.tick(trades);
  };

  for (let period = 0; period < steps; period++) {
    const inTerm = period < cfg.periods;
    const pressure = Math.pow(1 + cfg.pressureGrowth, period);
    const atStakePerPledge = Number(cfg.bond + cfg.challengeBond);
    // Labs: keep (pay the tax) or defect (take the gain), once, for all their pledges.
    if (inTerm) {
      for (let i = 0; i < labs.length; i++) {
        if (defectedAt[i] !== null) continue;
        // Per pledge: the tax, the gain and what is at stake all scale with the number of its pledges.
        const view = { period, periods: cfg.periods, pressure, detectPerPeriod, atStake: atStakePerPledge };
        if (decideDefect(labs[i], view)) {
          defectedAt[i] = period;
          gained[i] += privateGain(labs[i], view) * cfg.pledgesPerLab;
          for (const p of pledges) if (p.lab === i) p.defected = true;
          costAtDefection[i] = await onchainDefectionCost(i);
          log(`day ${String(period * cfg.periodDays).padStart(3)}: ${labs[i].name} defects (private gain ${fmt(toUnits(gained[i]))}, off-chain): it trains past the threshold; on chain it stands to lose ${fmt(costAtDefection[i])} if caught (DefectionLens)`);
        } else {
          taxPaid[i] += alignmentTax(labs[i], view) * cfg.pledgesPerLab;
        }
      }
    }
    // Traders learn of defections, each with its own chance per period.
    for (let ti = 0; ti < traders.length; ti++) {
      for (let i = 0; i < labs.length; i++) {
        if (defectedAt[i] !== null && !knows[ti][i] && rng.chance(traders[ti].insight)) knows[ti][i] = true;
      }
    }
    // Trades.
    const now = await latest();
    if (trades < tradeBudget) {
      if (cfg.tradesPerPeriod > 0) {
        // Each market is followed by two traders (pledge index k: traders k and k + 1, modulo their number),
        // as analysts cover some firms, not all: a trade picks an open market, then one of its two traders.
        const open = pledges.filter((p) => p.open);
        // A trader that sees no edge passes; looking goes on until the period's trades are made (at most 10
        // looks per trade).
        const target = Math.min(tradeBudget, trades + cfg.tradesPerPeriod);
        for (let looks = 0; looks < 10 * cfg.tradesPerPeriod && open.length > 0 && trades < target; looks++) {
          const p = rng.pick(open);
          const k = pledges.indexOf(p);
          await tryTrade((k + rng.int(Math.min(2, traders.length))) % traders.length, p, period, now);
        }
      } else {
        for (let ti = 0; ti < traders.length; ti++) {
          for (const p of pledges) if (p.open && trades < tradeBudget) await tryTrade(ti, p, period, now);
        }
      }
    }
    // Watchers: each breach not yet challenged may be detected; the first watcher to detect it challenges.
    // Evidence of a breach surfaces from the period after it: a watcher cannot detect it the same period.
    for (const p of pledges) {
      if (!p.defected || !p.open || p.challengedAt !== null || defectedAt[p.lab]! >= period) continue;
      const order = watchers.map((_, j) => j);
      const first = rng.int(order.length);
      for (let n = 0; n < order.length; n++) {
        const j = order[(first + n) % order.length];
        if (!detects(watchers[j], rng)) continue;
        const w = watcherWallets[j];
        const [, required] = await registry.read.requiredChallengeBond([p.id]);
        await send(
          "challenge",
          registry.write.challenge([p.id, `ipfs://evidence/${cfg.name}/${p.id}`, required], { account: w.account , gas: GAS }),
        );
        p.challengedAt = period;
        p.open = false;
        p.challenger = w.account.address;
        p.challengeId = await registry.read.openChallenge([p.id]);
        if (cfg.verbose) log(`day ${String(period * cfg.periodDays).padStart(3)}: ${watchers[j].name} challenges ${labs[p.lab].name}'s pledge #${p.id} (bond ${fmt(required)}): its market closes`);
        if (cfg.dispute) {
          await send("dispute", registry.write.dispute([p.id], { account: labWallets[p.lab].account , gas: GAS }));
          p.disputed = true;
          // The committee knows the truth here: it votes that the pledge was breached iff the lab defected.
          await send("vote", committee.write.vote([p.challengeId, p.defected], { account: m1.account , gas: GAS }));
          await send("vote", committee.write.vote([p.challengeId, p.defected], { account: m2.account , gas: GAS }));
          if (cfg.verbose) log(`         ${labs[p.lab].name} disputes; the committee rules 2 of 3: breached; pledge #${p.id} is ${stateName(await registry.read.state([p.id]))}`);
          await resolveMarket(p);
        } else {
          p.finalizeAfter = (await latest()) + livenessSeconds;
          if (cfg.verbose) log(`         nobody disputes within the ${cfg.livenessDays}-day liveness`);
        }
        break;
      }
    }
    await networkHelpers.time.increase(periodSeconds);
    const after = await latest();
    for (const p of pledges) {
      if (p.finalizeAfter !== null && !p.resolved && after >= p.finalizeAfter) {
        await send("finalize", registry.write.finalize([p.id], { account: watcherWallets[0].account , gas: GAS }));
        await resolveMarket(p);
      }
    }
    await recordPrices(period + 1);
    if (cfg.verbose) log(`day ${String((period + 1) * cfg.periodDays).padStart(3)}: P(breach) ${describePrices()}`);
  }
  tBar?.done(`trades sent`, trades);

  // ---- settlement: finalize and resolve what is left, redeem, withdraw subsidies, claim.
  const end = expiry + grace;
  if ((await latest()) < end) await networkHelpers.time.increaseTo(end);
  const settleTotal = pledges.length * 2 + heldBy.reduce((n, s) => n + s.size, 0);
  const sBar = bar("settlement", settleTotal);
  let settled = 0;
  log(`Settlement: finalizing and resolving every pledge, redeeming positions, withdrawing subsidies, claiming`);
  // Settlement transactions do not depend on each other's order (each pledge, each holder's redemption,
  // each withdrawal is its own), so they are sent a few at a time; every one is still its own transaction.
  await inBatches(pledges, SETTLE_CONCURRENCY, async (p) => {
    if (!p.resolved) {
      const st = stateName(await registry.read.state([p.id]));
      if (st === "Releasable" || st === "Slashable") {
        await send("finalize", registry.write.finalize([p.id], { account: deployer.account , gas: GAS }));
      }
      await resolveMarket(p);
    }
    sBar?.tick(++settled);
  });
  const holdings = traders.flatMap((_, ti) => [...heldBy[ti]].sort((a, b) => a - b).map((k) => [ti, k] as const));
  await inBatches(holdings, SETTLE_CONCURRENCY, async ([ti, k]) => {
    await send("redeem", vault.write.redeem([bondToken.address, 0n, pledges[k].conditionId], { account: traderWallets[ti].account , gas: GAS }));
    sBar?.tick(++settled);
  });
  const withdrawn = new Map<bigint, { amount: bigint; toBeneficiary: bigint }>();
  await inBatches(pledges, SETTLE_CONCURRENCY, async (p) => {
    const lab = labWallets[p.lab];
    const r = await send("withdrawSubsidy", breachMarkets.write.withdrawSubsidy([p.id, lab.account.address], { account: lab.account , gas: GAS }));
    const [ev] = parseEventLogs({ abi: breachMarkets.abi, logs: r.logs, eventName: "SubsidyWithdrawn" });
    withdrawn.set(p.id, { amount: ev.args.amount, toBeneficiary: ev.args.toBeneficiary });
    sBar?.tick(++settled);
  });
  // A lab sponsoring its own market is capped on its own breach: BreachMarkets credits the excess to the pledge's
  // beneficiary, who pulls it: the safety fund itself, or the pact, which forwards it to the fund's claimable there.
  for (const p of pledges) {
    if (withdrawn.get(p.id)!.toBeneficiary === 0n) continue;
    if (inPact) {
      await send("collectMarketExcess", pacts.write.collectMarketExcess([pactId, labWallets[p.lab].account.address], { account: deployer.account, gas: GAS }));
    } else {
      await send("claimExcess", breachMarkets.write.claimExcess([p.id, safetyFund.account.address], { account: safetyFund.account, gas: GAS }));
    }
  }
  if (inPact) {
    // Every member's outcome into the pact (the last one sends the rounding dust to the fund), then the labs that
    // kept the pledge take their shares of the defectors' slashed bonds.
    for (const p of pledges) {
      await send("recordOutcome", pacts.write.recordOutcome([pactId, labWallets[p.lab].account.address], { account: deployer.account, gas: GAS }));
    }
    for (const p of pledges) {
      const lab = labWallets[p.lab];
      if ((await pacts.read.sharesOf([pactId, lab.account.address])) > 0n) {
        await send("claimShares", pacts.write.claimShares([pactId, lab.account.address], { account: lab.account, gas: GAS }));
      }
    }
  }
  for (const a of actorList) {
    const owed = await registry.read.claimable([a.wallet.account.address, bondToken.address]);
    if (owed > 0n) await send("claim", registry.write.claim([bondToken.address, a.wallet.account.address], { account: a.wallet.account , gas: GAS }));
    if (inPact && (await pacts.read.claimable([a.wallet.account.address, bondToken.address])) > 0n) {
      await send("claim", pacts.write.claim([bondToken.address, a.wallet.account.address], { account: a.wallet.account, gas: GAS }));
    }
  }
  sBar?.done("settled");

  // ---- results, read from the chain
  const slashEvents = await publicClient.getContractEvents({ address: registry.address, abi: registry.abi, eventName: "PledgeSlashed", fromBlock: 0n, strict: true });
  const disputeEvents = await publicClient.getContractEvents({ address: registry.address, abi: registry.abi, eventName: "DisputeBondsSettled", fromBlock: 0n, strict: true });
  const honorEvents = await publicClient.getContractEvents({ address: registry.address, abi: registry.abi, eventName: "PledgeHonored", fromBlock: 0n, strict: true });
  const nameOf = new Map<string, string>(actorList.map((a) => [a.wallet.account.address.toLowerCase(), a.name]));
  const who = (addr: string) => nameOf.get(addr.toLowerCase()) ?? addr;
  let pact: PactResult | null = null;
  if (inPact) {
    const query = { address: pacts.address, abi: pacts.abi, args: { pactId }, fromBlock: 0n, strict: true } as const;
    const breaches = await publicClient.getContractEvents({ ...query, eventName: "BreachRecorded" });
    const claimed = await publicClient.getContractEvents({ ...query, eventName: "SharesClaimed" });
    const settledEv = await publicClient.getContractEvents({ ...query, eventName: "PactSettled" });
    pact = {
      address: pacts.address,
      pactId,
      keeperShareBps: cfg.keeperShareBps!,
      breaches: breaches.map((e) => ({ lab: who(e.args.member), slashed: e.args.slashed, toKeepers: e.args.toKeepers, forfeited: e.args.forfeited, toBeneficiary: e.args.toBeneficiary })),
      keepers: claimed.map((e) => ({ lab: who(e.args.member), shares: e.args.amount })),
      dust: settledEv.reduce((sum, e) => sum + e.args.dust, 0n),
    };
  }

  const pledgeResults: PledgeResult[] = [];
  for (const p of pledges) {
    const w = withdrawn.get(p.id)!;
    pledgeResults.push({
      lab: labs[p.lab].name,
      pledgeId: p.id,
      bond,
      conditionId: p.conditionId,
      defected: p.defected,
      defectedAtPeriod: defectedAt[p.lab],
      challengedAtPeriod: p.challengedAt,
      challenger: p.challenger,
      disputed: p.disputed,
      outcome: stateName(await registry.read.state([p.id])),
      subsidy: p.subsidy,
      subsidyBack: w.amount,
      subsidyToBeneficiary: w.toBeneficiary,
    });
  }

  const actors: ActorResult[] = [];
  for (const a of actorList) {
    const after = await bondToken.read.balanceOf([a.wallet.account.address]);
    const b = before.get(a.name)!;
    const tax = a.lab !== undefined ? toUnits(taxPaid[a.lab]) : 0n;
    const gain = a.lab !== undefined ? toUnits(gained[a.lab]) : 0n;
    actors.push({ actor: a.name, role: a.role, address: a.wallet.account.address, before: b, after, delta: after - b, alignmentTaxPaid: -tax, privateGain: gain, total: after - b - tax + gain });
  }

  const defectors: DefectorResult[] = [];
  for (let i = 0; i < labs.length; i++) {
    if (defectedAt[i] === null) continue;
    const addr = labWallets[i].account.address;
    const mine = pledges.filter((p) => p.lab === i);
    const ids = new Set(mine.map((p) => p.id));
    const challengeIds = new Set(mine.filter((p) => p.challengeId !== null).map((p) => p.challengeId!));
    const flows: Flow[] = [];
    const addFlow = (to: string, via: string, amount: bigint) => {
      if (amount === 0n) return;
      const f = flows.find((x) => x.to === to && x.via === via);
      if (f) f.amount += amount;
      else flows.push({ from: labs[i].name, to, via, amount });
    };
    let slashed = 0n;
    for (const ev of slashEvents) {
      if (!ids.has(ev.args.pledgeId)) continue;
      slashed += ev.args.bond;
      addFlow(who(ev.args.challenger), "challenger reward (slashed bond)", ev.args.challengerReward);
      if (pact === null) {
        addFlow(who(ev.args.beneficiary), "beneficiary share (slashed bond)", ev.args.beneficiaryShare);
      } else if (pact.breaches.length === 1) {
        // One breach: every share the keepers claimed, and the dust, came from it (read from the pact's events).
        for (const k of pact.keepers) addFlow(k.lab, "keeper share (slashed bond, via the pact)", k.shares);
        addFlow(who(safetyFund.account.address), "beneficiary share (slashed bond, via the pact)", pact.breaches[0].toBeneficiary + pact.dust);
      } else {
        // Several breaches: the pact's split of this one (the keepers' part is shared among every keeper).
        const b = pact.breaches.find((x) => x.lab === labs[i].name)!;
        addFlow("the labs that kept the pledge", "keeper share (slashed bond, via the pact)", b.toKeepers);
        addFlow(who(safetyFund.account.address), "beneficiary share (slashed bond, via the pact)", b.toBeneficiary);
      }
    }
    let disputeLost = 0n;
    for (const ev of disputeEvents) {
      if (!challengeIds.has(ev.args.challengeId) || ev.args.winner.toLowerCase() === addr.toLowerCase()) continue;
      const lost = ev.args.toWinner - (ev.args.toWinner + ev.args.fee) / 2n; // toWinner = bond + (bond - fee)
      disputeLost += lost + ev.args.fee;
      addFlow(who(ev.args.winner), "lost dispute bond", lost);
      addFlow(who(ev.args.feeRecipient), "dispute fee", ev.args.fee);
    }
    let subsidyLoss = 0n;
    for (const p of mine) {
      const w = withdrawn.get(p.id)!;
      const loss = p.subsidy - w.amount;
      subsidyLoss += loss;
      // What the sponsor did not get back went to the traders who priced the breach. (A market that made
      // money credits the excess to the beneficiary, SubsidyWithdrawn.toBeneficiary, which claims it (through the
      // pact's collectMarketExcess in a pact): the traders' money, not the lab's.)
      addFlow("traders (via its breach market)", "market subsidy", loss);
    }
    const returned = honorEvents.filter((ev) => ids.has(ev.args.pledgeId)).reduce((s, ev) => s + ev.args.bond, 0n);
    const row = actors.find((a) => a.actor === labs[i].name)!;
    defectors.push({
      lab: labs[i].name,
      address: addr,
      defectedAtPeriod: defectedAt[i]!,
      costAtDefection: costAtDefection[i],
      pledges: mine.length,
      caught: mine.filter((p) => p.challengedAt !== null).length,
      onchainLoss: -row.delta,
      slashedBonds: slashed,
      disputeBondsLost: disputeLost,
      subsidyLoss,
      bondsReturned: returned,
      flows,
    });
  }
  const defectorLoss = defectors.reduce((s, d) => s + d.onchainLoss, 0n);
  const registryBalanceAfter = await bondToken.read.balanceOf([registry.address]);
  const pactsBalanceAfter = await bondToken.read.balanceOf([pacts.address]);
  const marketsBalanceAfter = (await bondToken.read.balanceOf([vault.address])) + (await bondToken.read.balanceOf([maker.address])) + (await bondToken.read.balanceOf([breachMarkets.address]));
  const sumDeltas = actors.reduce((s, a) => s + a.delta, 0n);

  const seconds = (performance.now() - started) / 1000;
  return {
    scenario: cfg.name,
    title: cfg.title,
    seed: cfg.seed,
    config: cfg,
    network: { chainId, name: conn.networkName },
    token: { address: bondToken.address, symbol, decimals },
    contracts: { registry: registry.address, committee: committee.address, vault: vault.address, maker: maker.address, breachMarkets: breachMarkets.address, pacts: pacts.address },
    pact,
    pledges: pledgeResults,
    prices,
    actors,
    defectors,
    defectorLoss,
    registryBalanceAfter,
    marketsBalanceAfter,
    pactsBalanceAfter,
    conservation: {
      registryEmpty: registryBalanceAfter === 0n && pactsBalanceAfter === 0n,
      defectorLossExplained: defectors.every((d) => d.onchainLoss === d.slashedBonds + d.disputeBondsLost + d.subsidyLoss),
      actorsSumToZero: sumDeltas === 0n && marketsBalanceAfter === 0n,
    },
    stats: { ...txStats, trades, seconds },
  };
}
