/**
 * One futarchy decision on the real contracts, from the pledge to the last claim: a lab creates a governed pledge
 * (governor = FutarchyDecisions) and opens its breach market; a trader prices the breach market at the public
 * prior; the lab proposes (a release or an amendment, Price or Risk metric), staking and seeding both branches'
 * pools; traders with private views split collateral into PASS and FAIL positions and trade both pools toward
 * their views; a keeper pokes the pools nobody traded; optionally an attacker pushes the PASS spot up and the FAIL
 * spot down in the last blocks of the window; after the window a keeper finalizes. Then the pledge runs its
 * course (released, amended, or binding: the lab may breach and be slashed), the breach market resolves, the
 * lab removes its liquidity, everyone redeems and claims, and the result is read from the chain: balances before
 * and after, the decision's events, the pools' spot prices and TWAPs block by block.
 *
 * Time: blocks 12 s apart (Chain). Traders look every `stepBlocks` blocks; in the attack every block. The only
 * number not read from the chain is the valuation of the lab share (LAB) in the profit and loss: a mock token has
 * no price outside the pools, so each run states what a LAB is worth under the branch that was decided (`truth`)
 * and marks LAB balances at it (off-chain valuation, written as such in the reports).
 */
import { keccak256, parseEventLogs, stringToHex, zeroAddress } from "viem";
import type { NetworkConnection } from "hardhat/types/network";

import { BREACH, HONOR, probabilityOfOdds, WAD } from "../../markets.js";
import { stateName } from "../../states.js";
import type { Progress } from "../progress.js";
import { progressBar } from "../progress.js";
import { Rng } from "../rng.js";
import { type BranchTrader, type PoolReserves, departs, drawViews, fromWad, lmsrSharesToward, priceOfView, spotOf, swapToward, toWad } from "./agents.js";
import { FEES, GAS } from "./chain.js";
import { type Actor, type Address, FAIL, type Hex, PASS, type Role, type World, balancesOf, deployWorld, fund, positionTotal } from "./world.js";

const DAY = 86_400n;
const BURN: Address = "0x000000000000000000000000000000000000dEaD";

export interface AttackConfig {
  /** Blocks before the window's end the attacker starts pushing, each block to the end. */
  sustain: number;
  /** Capital, whole tokens: mUSD and LAB, split on the decision. */
  bond: number;
  shares: number;
  /** Each block, how far beyond the oracle's observation it pushes the spot, in step caps (>= 1 moves it fully). */
  overshoot: number;
}

export interface DecisionRunConfig {
  /** Run id, e.g. "release-fail". */
  name: string;
  title: string;
  seed: number;
  kind: "release" | "amend";
  metric: "price" | "risk";
  /** Price: LAB's value in mUSD under each branch; Risk: P(breach) under each branch. The traders' views scatter around it. */
  truth: { pass: number; fail: number };
  /** Log-normal (Price) or log-odds (Risk) noise of the views. */
  noise: number;
  /** The public prior of a breach, at which a trader prices the breach market before the proposal. */
  breachPrior: number;
  /** The lab's seeds per branch, whole tokens (LAB only for Price). */
  seedQuote: number;
  seedMetric: number;
  traders: number;
  /** Each trader's capital split on the decision, whole tokens. */
  traderBond: number;
  traderShares: number;
  /** A trader's largest trade, as a fraction of the pool's quote reserve (or metric reserve when selling). */
  maxTradeFraction: number;
  edge: number;
  activity: number;
  /** Chance a trader reacts in a given block of the attack. */
  reactivity: number;
  stepBlocks: number;
  /** After a FAIL the pledge stays binding: does the lab then breach it (and get challenged and slashed)? */
  breachIfBound: boolean;
  /** Amend: the new bond and the term's extension (days) on PASS. */
  amendBond: number;
  amendExtendDays: number;
  bond: number;
  breachLiquidity: number;
  attack?: AttackConfig;
  /** Label of the traders in the report ("Trader", or "Defender" in the manipulation scenario). */
  traderLabel: string;
}

export interface SeriesPoint {
  block: number;
  minutes: number;
  branch: "PASS" | "FAIL";
  series: "spot" | "TWAP";
  /** Price: mUSD per LAB; Risk: P(breach) (from the pool's odds). */
  value: number;
}

export interface ActorPnl {
  actor: string;
  role: Role;
  address: Address;
  bondBefore: bigint;
  bondAfter: bigint;
  sharesBefore: bigint;
  sharesAfter: bigint;
  /** On chain: after - before. */
  deltaBond: bigint;
  deltaShares: bigint;
  /** deltaBond + deltaShares x (LAB's value under the decided branch), in mUSD base units (LAB marked off-chain). */
  value: bigint;
}

/** A run's result: its configuration's identity and truth, then what happened on chain. */
export interface DecisionRunResult extends Pick<DecisionRunConfig, "name" | "title" | "seed" | "kind" | "metric" | "truth"> {
  /** Price: the pools' seed price (mUSD per LAB). */
  reference: number;
  views: { trader: string; pass: number; fail: number }[];
  pledgeId: bigint;
  proposalId: bigint;
  decision: Hex;
  passed: boolean;
  /** The values the decision compared (ProposalFinalized, WAD): TWAPs (Price) or breach probabilities (Risk). */
  passValue: bigint;
  failValue: bigint;
  thresholdBps: number;
  executed: boolean;
  /** What the registry did (events): released, amended, or nothing. */
  registryAction: string;
  /** The pledge's final state and how it got there. */
  pledgeOutcome: string;
  pledgeNote: string;
  /** LAB's value under the decided branch (mUSD), the off-chain mark. */
  mark: number;
  /** Window: blocks, the block the TWAP starts counting, the proposal's block. */
  window: { startBlock: number; countFromBlock: number; endBlock: number; blocks: number };
  series: SeriesPoint[];
  actors: ActorPnl[];
  attack: null | {
    sustain: number;
    /** Blocks in which the attacker's push was the block's last word on both pools. */
    blocksPushed: number;
    firstBlock: number;
    /** The attacker's trades (count) and its gross inflows to the pools (base units of each side). */
    trades: number;
  };
  checks: {
    /** At the window's end: PASS and FAIL positions (nested ones included) outstanding are equal, per token. */
    branchesEqual: boolean;
    /** At the window's end: the vault holds exactly the decision's outstanding sets plus the breach market's. */
    vaultCoversPositions: boolean;
    /** After settlement: registry, decisions, maker and breach markets hold nothing. */
    contractsEmpty: boolean;
    /** After settlement: what the vault still holds is the pools' locked minimum liquidity, and nothing else. */
    vaultDustIsLockedLiquidity: boolean;
    /** Per token, the actors' changes plus what stayed in the contracts sum to zero (no value created or lost). */
    sumsToZero: boolean;
  };
  vaultDust: { bond: bigint; shares: bigint };
  stats: { transactions: number; trades: number; pokes: number; gasUsed: bigint; counts: Record<string, number>; maxGas: Record<string, bigint>; seconds: number };
}

export interface DecisionHooks {
  log: (line: string) => void;
  progressOut?: { isTTY?: boolean; write(s: string): unknown };
  /** Progress bar over the window's blocks (off for the many short runs of a sweep). */
  progress: boolean;
}

interface TraderSim extends BranchTrader {
  actor: Actor;
}

/** Runs one decision on a fresh deployment on `conn`. */
export async function runDecision(conn: NetworkConnection, cfg: DecisionRunConfig, hooks: DecisionHooks): Promise<DecisionRunResult> {
  const started = performance.now();
  const rng = new Rng(cfg.seed);
  const w: World = await deployWorld(conn);
  const { chain, sys, labShare, units } = w;
  const { registry, decisions, pools, vault, maker, breachMarkets, bondToken, committee } = sys;
  const probability = cfg.metric === "risk";

  // ---- actors
  const free = [...w.free];
  const take = (name: string, role: Role): Actor => {
    const wallet = free.shift();
    if (!wallet) throw new Error(`not enough funded accounts for ${name}`);
    return { name, role, address: wallet.account.address, wallet };
  };
  const lab = take("Lab (pledger, proposer, LP)", "lab");
  const keeper = take("Keeper", "keeper");
  const watcher = take("Watcher", "watcher");
  const safetyFund = take("Safety fund (beneficiary)", "beneficiary");
  const attacker = cfg.attack ? take("Attacker", "attacker") : null;
  const traders: TraderSim[] = [];
  for (let i = 0; i < cfg.traders; i++) {
    const actor = take(`${cfg.traderLabel} ${i + 1}`, cfg.traderLabel === "Defender" ? "defender" : "trader");
    const view = drawViews(cfg.truth, cfg.noise, rng, probability);
    traders.push({ name: actor.name, actor, view, edge: cfg.edge, activity: cfg.activity });
  }
  const actors: Actor[] = [lab, ...traders.map((t) => t.actor), ...(attacker ? [attacker] : []), keeper, watcher, safetyFund, { name: "Burn (0x…dEaD)", role: "burn", address: BURN }];

  // ---- funding (minting is funding, not profit: balances are taken after it)
  const bond = units(cfg.bond);
  const liquidity = units(cfg.breachLiquidity);
  const subsidy = await breachMarkets.read.quoteSubsidy([liquidity]);
  const challengeBond = units(5_000);
  const stakeBps = cfg.kind === "release" ? 100n : 50n;
  const stake = (bond * stakeBps + 9_999n) / 10_000n;
  await fund(w, lab, bond + subsidy + stake + units(cfg.seedQuote), probability ? 0n : units(cfg.seedMetric));
  // Beyond what it splits, a trader holds 3 b for breach-market trades (moving the LMSR from 50% to 5% costs about 2.3 b).
  for (const t of traders) await fund(w, t.actor, units(cfg.traderBond) + units(3 * cfg.breachLiquidity), probability ? 0n : units(cfg.traderShares));
  if (attacker && cfg.attack) await fund(w, attacker, units(cfg.attack.bond), units(cfg.attack.shares));
  await fund(w, keeper, 0n, 0n);
  await fund(w, watcher, challengeBond, 0n);
  await fund(w, safetyFund, 0n, 0n);
  const before = new Map<string, { bond: bigint; shares: bigint }>();
  for (const a of actors) before.set(a.name, await balancesOf(w, a.address));

  // ---- the governed pledge and its breach market
  const expiry = chain.time + 30n * DAY;
  const grace = 7n * DAY;
  const liveness = DAY;
  const terms = `The lab will not deploy a model above the agreed capability threshold before the expiry (${cfg.name}).`;
  const created = await chain.send("createGovernedPledge", () =>
    registry.write.createGovernedPledge(
      [
        {
          termsHash: keccak256(stringToHex(terms)),
          termsURI: `ipfs://pledge-terms/futarchy/${cfg.name}`,
          token: bondToken.address,
          bond,
          expiry,
          grace: Number(grace),
          beneficiary: safetyFund.address,
          resolution: { arbiter: committee.address, liveness: Number(liveness), challengeBond },
        },
        decisions.address,
      ],
      { account: lab.wallet!.account, gas: GAS },
    ),
  );
  const [pledgeEv] = parseEventLogs({ abi: registry.abi, logs: created!.logs, eventName: "PledgeCreated" });
  const pledgeId = pledgeEv.args.pledgeId;
  await chain.send("openMarket", () => breachMarkets.write.openMarket([pledgeId, liquidity, 100], { account: lab.wallet!.account, gas: GAS }));
  const breachCondition = await breachMarkets.read.conditionOf([pledgeId]);
  // A trader prices the breach market at the public prior (the LMSR opens at 50%).
  const lmsrHolders = new Set<Actor>();
  const prior = lmsrSharesToward(cfg.breachLiquidity, 0.5, cfg.breachPrior);
  if (prior && traders.length > 0) {
    const t = traders[0].actor;
    const amount = units(Math.floor(prior.shares));
    await chain.send("buy", () =>
      maker.write.buy([breachCondition, prior.outcome === "BREACH" ? BREACH : HONOR, amount, amount * 2n, chain.time + DAY, t.address], { account: t.wallet!.account, gas: GAS }),
    );
    lmsrHolders.add(t);
  }

  // ---- the proposal
  const kind = cfg.kind === "release" ? 0 : 1;
  const metric = probability ? 1 : 0;
  const params = await decisions.read.paramsOf([kind]);
  const amendment = {
    termsHash: keccak256(stringToHex(terms + " Amended.")),
    termsURI: `ipfs://pledge-terms/futarchy/${cfg.name}/amended`,
    expiry: expiry + BigInt(cfg.amendExtendDays) * DAY,
    bond: cfg.kind === "amend" ? units(cfg.amendBond) : 0n,
  };
  const proposed = await chain.send("propose", () =>
    decisions.write.propose(
      [
        pledgeId,
        kind,
        metric,
        probability ? zeroAddress : labShare.address,
        bondToken.address,
        probability ? 0n : units(cfg.seedMetric),
        units(cfg.seedQuote),
        amendment,
      ],
      { account: lab.wallet!.account, gas: GAS },
    ),
  );
  const [pc] = parseEventLogs({ abi: decisions.abi, logs: proposed!.logs, eventName: "ProposalCreated" });
  const { proposalId, decision, passPool, failPool, end } = pc.args;
  const poolIds = { PASS: passPool, FAIL: failPool } as const;
  const poolInfo = { PASS: await pools.read.getPool([passPool]), FAIL: await pools.read.getPool([failPool]) };
  const countFrom = chain.time + BigInt(params.twapDelay);
  const startBlock = Number(chain.block);
  const startTime = chain.time;
  const maxStep = { PASS: 0n, FAIL: 0n };
  {
    // The step cap the proposal gave the oracles (DecisionMath.maxStepFor): read from the PoolCreated events.
    const logs = parseEventLogs({ abi: pools.abi, logs: proposed!.logs, eventName: "PoolCreated" });
    for (const l of logs) maxStep[l.args.poolId === passPool ? "PASS" : "FAIL"] = l.args.params.twapMaxStep;
  }
  hooks.log(
    `  ${cfg.title}: proposal #${proposalId} (${cfg.kind}, ${cfg.metric}) on pledge #${pledgeId}, window ${params.window / 3600} h = ${params.window / 12} blocks, TWAP from +${params.twapDelay / 60} min, threshold ${params.thresholdBps / 100}%`,
  );

  // ---- the window: automine off, blocks 12 s apart
  await chain.setWindowMode(true);
  const positionOf = (token: Address, parent: bigint, condition: Hex, index: bigint) => vault.read.positionId([token, parent, condition, index]);
  const branchPos = {
    bond: { PASS: await positionOf(bondToken.address, 0n, decision, PASS), FAIL: await positionOf(bondToken.address, 0n, decision, FAIL) },
    shares: { PASS: await positionOf(labShare.address, 0n, decision, PASS), FAIL: await positionOf(labShare.address, 0n, decision, FAIL) },
  };
  // Setup in the first block of the window: every trader (and the attacker) splits its capital on the decision;
  // for Risk each branch again on the breach condition.
  const splitters: { actor: Actor; bond: bigint; shares: bigint }[] = [
    ...traders.map((t) => ({ actor: t.actor, bond: units(cfg.traderBond), shares: probability ? 0n : units(cfg.traderShares) })),
    ...(attacker && cfg.attack ? [{ actor: attacker, bond: units(cfg.attack.bond), shares: units(cfg.attack.shares) }] : []),
  ];
  for (const s of splitters) {
    const account = s.actor.wallet!.account;
    await chain.send("split", () => vault.write.split([bondToken.address, 0n, decision, s.bond], { account, gas: GAS }));
    if (s.shares > 0n) await chain.send("split", () => vault.write.split([labShare.address, 0n, decision, s.shares], { account, gas: GAS }));
    if (probability) {
      for (const b of ["PASS", "FAIL"] as const) {
        await chain.send("split", () => vault.write.split([bondToken.address, branchPos.bond[b], breachCondition, s.bond], { account, gas: GAS }));
      }
    }
  }
  await chain.mineBlock();

  const series: SeriesPoint[] = [];
  const toValue = (wad: bigint) => fromWad(probability ? probabilityOfOdds(wad) : wad);
  const record = async () => {
    const minutes = Number(chain.time - startTime) / 60;
    for (const b of ["PASS", "FAIL"] as const) {
      const spot = await pools.read.spotPrice([poolIds[b]]);
      series.push({ block: Number(chain.block) - startBlock, minutes, branch: b, series: "spot", value: toValue(spot) });
      if (chain.time > countFrom) {
        const twap = await pools.read.twap([poolIds[b]]);
        series.push({ block: Number(chain.block) - startBlock, minutes, branch: b, series: "TWAP", value: toValue(twap) });
      }
    }
  };
  await record();

  // A block's state, mirrored locally while its transactions are queued: the reserves and the balances as the
  // previous block left them (read at "latest"), moved by each queued swap with the pools' own integer formula
  // (CpmmMath.amountOut), so each agent sees the earlier transactions of its block without a pending-state read.
  interface Mirror extends PoolReserves {
    /** The observation once this block's first update ran: the last one moved toward the block's opening spot by one step at most. */
    obsAfter: bigint;
  }
  let mirror: Record<"PASS" | "FAIL", Mirror>;
  let inBlock = new Map<string, bigint>();
  const openBlock = async () => {
    const m = {} as Record<"PASS" | "FAIL", Mirror>;
    for (const b of ["PASS", "FAIL"] as const) {
      const p = await pools.read.getPool([poolIds[b]]);
      const [obs] = await pools.read.observation([poolIds[b]]);
      const spot = (p.reserveQuote * WAD) / p.reserveMetric;
      const obsAfter = spot >= obs ? (spot < obs + maxStep[b] ? spot : obs + maxStep[b]) : obs - spot <= maxStep[b] ? spot : obs - maxStep[b];
      m[b] = { reserveMetric: p.reserveMetric, reserveQuote: p.reserveQuote, feeBps: p.feeBps, obsAfter };
    }
    mirror = m;
    inBlock = new Map();
  };
  const balanceOf = async (a: Actor, id: bigint) => {
    const key = `${a.address}:${id}`;
    let v = inBlock.get(key);
    if (v === undefined) {
      v = await vault.read.balanceOf([a.address, id]);
      inBlock.set(key, v);
    }
    return v;
  };
  let trades = 0;
  let pokes = 0;
  let attackTrades = 0;
  let blocksPushed = 0;
  let attackFirstBlock = -1;

  /** Queues a swap of at most `cap` input toward `target`; returns whether it traded. */
  const tradeToward = async (a: Actor, b: "PASS" | "FAIL", target: bigint, capFraction: number): Promise<boolean> => {
    const r = mirror[b];
    const order = swapToward(r, target);
    if (!order) return false;
    const info = poolInfo[b];
    const [idIn, idOut] = order.metricIn ? [info.metric, info.quote] : [info.quote, info.metric];
    const have = await balanceOf(a, idIn);
    const reserveIn = order.metricIn ? r.reserveMetric : r.reserveQuote;
    let amountIn = order.amountIn;
    const cap = (reserveIn * BigInt(Math.round(capFraction * 1e6))) / 1_000_000n;
    if (amountIn > cap) amountIn = cap;
    if (amountIn > have) amountIn = have;
    if (amountIn <= 0n) return false;
    const reserveOut = order.metricIn ? r.reserveQuote : r.reserveMetric;
    const net = amountIn * (10_000n - BigInt(r.feeBps));
    const out = (net * reserveOut) / (reserveIn * 10_000n + net); // CpmmMath.amountOut, rounded down
    if (out === 0n) return false;
    await chain.send("swap", () => pools.write.swap([poolIds[b], order.metricIn, amountIn, out, a.address], { account: a.wallet!.account, gas: GAS, ...FEES }));
    if (order.metricIn) {
      r.reserveMetric += amountIn;
      r.reserveQuote -= out;
    } else {
      r.reserveQuote += amountIn;
      r.reserveMetric -= out;
    }
    inBlock.set(`${a.address}:${idIn}`, have - amountIn);
    inBlock.set(`${a.address}:${idOut}`, (await balanceOf(a, idOut)) + out);
    trades++;
    return true;
  };

  const windowBlocks = Number((end - startTime) / chain.blockTime);
  const bar: Progress | null = hooks.progress ? progressBar(`  ${cfg.name} blocks`, windowBlocks, hooks.progressOut ?? process.stderr) : null;
  const blocksLeft = () => (chain.time + chain.blockTime < end ? Number((end - 1n - chain.time) / chain.blockTime) : 0);
  const step = async (attacking: boolean) => {
    await openBlock();
    const touched = { PASS: false, FAIL: false };
    const order = traders.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const i of order) {
      const t = traders[i];
      if (!rng.chance(attacking ? cfg.reactivity : t.activity)) continue;
      for (const b of ["PASS", "FAIL"] as const) {
        const target = priceOfView(b === "PASS" ? t.view.pass : t.view.fail, probability);
        if (!departs(spotOf(mirror[b]), target, t.edge)) continue;
        if (await tradeToward(t.actor, b, target, cfg.maxTradeFraction)) touched[b] = true;
      }
    }
    if (attacking && attacker && cfg.attack) {
      // The attacker has the last word in the block: the next block's first update observes what it leaves.
      if (attackFirstBlock < 0) attackFirstBlock = Number(chain.block) + 1 - startBlock;
      let pushed = 0;
      for (const b of ["PASS", "FAIL"] as const) {
        // The next block's first update moves the observation from `obsAfter` toward what the attacker leaves.
        const obs = mirror[b].obsAfter;
        const shift = (maxStep[b] * BigInt(Math.round(cfg.attack.overshoot * 100))) / 100n;
        const target = b === "PASS" ? obs + shift : obs > shift ? obs - shift : 1n;
        if (await tradeToward(attacker, b, target, 1)) {
          touched[b] = true;
          attackTrades++;
        }
        const spot = spotOf(mirror[b]);
        if (b === "PASS" ? spot >= obs + maxStep[b] : spot + maxStep[b] <= obs) pushed++;
      }
      if (pushed === 2) blocksPushed++;
    }
    for (const b of ["PASS", "FAIL"] as const) {
      if (touched[b]) continue;
      await chain.send("poke", () => pools.write.poke([poolIds[b]], { account: keeper.wallet!.account, gas: GAS, ...FEES }));
      pokes++;
    }
    await chain.mineBlock();
    await record();
    bar?.tick(Number(chain.block) - startBlock);
  };
  const sustain = cfg.attack?.sustain ?? 0;
  while (blocksLeft() > 0) {
    if (cfg.attack && blocksLeft() <= sustain) {
      await step(true);
      continue;
    }
    await step(false);
    let skip = Math.min(cfg.stepBlocks - 1, blocksLeft());
    if (cfg.attack) skip = Math.min(skip, Math.max(0, blocksLeft() - sustain));
    if (skip > 0) await chain.mineEmpty(BigInt(skip));
  }
  bar?.done(`window closed, ${trades} swaps, ${pokes} pokes`);

  // ---- window's end: the vault's accounting before the decision
  await chain.setWindowMode(false);
  await chain.jumpTo(end);
  const holders = [...actors.map((a) => a.address), pools.address, decisions.address, maker.address, breachMarkets.address];
  const nested = async (branch: bigint) => {
    const parent = await positionOf(bondToken.address, 0n, decision, branch);
    return [await positionOf(bondToken.address, parent, breachCondition, BREACH), await positionOf(bondToken.address, parent, breachCondition, HONOR)];
  };
  const bondPass = await positionTotal(w, holders, [branchPos.bond.PASS]);
  const bondFail = await positionTotal(w, holders, [branchPos.bond.FAIL]);
  const [nbp, nhp] = await nested(PASS);
  const [nbf, nhf] = await nested(FAIL);
  const nestedPassB = await positionTotal(w, holders, [nbp]);
  const nestedPassH = await positionTotal(w, holders, [nhp]);
  const nestedFailB = await positionTotal(w, holders, [nbf]);
  const nestedFailH = await positionTotal(w, holders, [nhf]);
  const sharesPass = await positionTotal(w, holders, [branchPos.shares.PASS]);
  const sharesFail = await positionTotal(w, holders, [branchPos.shares.FAIL]);
  const breachOut = await positionTotal(w, holders, [await positionOf(bondToken.address, 0n, breachCondition, BREACH)]);
  const honorOut = await positionTotal(w, holders, [await positionOf(bondToken.address, 0n, breachCondition, HONOR)]);
  const lockedBond = bondPass + nestedPassB;
  const branchesEqual =
    nestedPassB === nestedPassH && nestedFailB === nestedFailH && bondPass + nestedPassB === bondFail + nestedFailB && sharesPass === sharesFail && breachOut === honorOut;
  const vaultCoversPositions =
    (await vault.read.collateralHeld([bondToken.address])) === lockedBond + breachOut && (await vault.read.collateralHeld([labShare.address])) === sharesPass;

  // ---- the decision
  const fin = await chain.send("finalize", () => decisions.write.finalize([proposalId], { account: keeper.wallet!.account, gas: GAS }));
  const [finEv] = parseEventLogs({ abi: decisions.abi, logs: fin!.logs, eventName: "ProposalFinalized" });
  const passed = finEv.args.passed;
  const executedEv = parseEventLogs({ abi: decisions.abi, logs: fin!.logs, eventName: "ProposalExecuted" });
  const failedEv = parseEventLogs({ abi: decisions.abi, logs: fin!.logs, eventName: "ExecutionFailed" });
  const released = parseEventLogs({ abi: registry.abi, logs: fin!.logs, eventName: "PledgeReleased" });
  const amended = parseEventLogs({ abi: registry.abi, logs: fin!.logs, eventName: "PledgeAmended" });
  let registryAction = "none (FAIL: the pledge stays binding)";
  const iso = (t: bigint) => new Date(Number(t) * 1000).toISOString().replace(".000Z", "Z");
  if (released.length) registryAction = `released: expiry moved from ${iso(released[0].args.oldExpiry)} to ${iso(released[0].args.newExpiry)} (the decision's block)`;
  if (amended.length) registryAction = `amended: bond ${fmtTok(amended[0].args.bond)}, ${fmtTok(amended[0].args.refunded)} credited back to the lab, expiry +${cfg.amendExtendDays} days`;
  if (failedEv.length) registryAction = `execution refused by the registry (${failedEv[0].args.reason})`;
  hooks.log(
    `  decision: ${passed ? "PASS" : "FAIL"} (${probability ? "P(breach)" : "TWAP"} PASS ${fmtWad(finEv.args.passValue)} vs FAIL ${fmtWad(finEv.args.failValue)}); registry: ${registryAction}`,
  );

  // ---- the pledge's course after the decision
  const p = await registry.read.getPledge([pledgeId]);
  let pledgeNote: string;
  if (!passed && cfg.breachIfBound) {
    // Still bound, the lab breaches; a watcher challenges, nobody disputes, the breach stands after the liveness.
    await chain.jumpTo(chain.time + 5n * DAY);
    const [, required] = await registry.read.requiredChallengeBond([pledgeId]);
    await chain.send("challenge", () => registry.write.challenge([pledgeId, `ipfs://evidence/futarchy/${cfg.name}`, required], { account: watcher.wallet!.account, gas: GAS }));
    await chain.jumpTo(chain.time + liveness);
    await chain.send("finalize", () => registry.write.finalize([pledgeId], { account: watcher.wallet!.account, gas: GAS }));
    pledgeNote = "bound by the FAIL, the lab breached 5 days later; a watcher challenged, nobody disputed, the breach stood after the liveness and the bond was slashed";
  } else {
    await chain.jumpTo(p.expiry + BigInt(p.grace));
    await chain.send("finalize", () => registry.write.finalize([pledgeId], { account: keeper.wallet!.account, gas: GAS }));
    pledgeNote = passed
      ? cfg.kind === "release"
        ? "released at the decision; after the grace period finalized Honored, the bond back to the lab without slashing"
        : "amended at the decision; kept to the new expiry, finalized Honored after the grace period"
      : "bound by the FAIL, the lab kept its pledge to the expiry; finalized Honored";
  }
  const pledgeOutcome = stateName(await registry.read.state([pledgeId]));
  await chain.send("resolve", () => breachMarkets.write.resolve([pledgeId], { account: keeper.wallet!.account, gas: GAS }));

  // ---- settlement: the LP leaves the pools, everyone redeems, subsidies and claims
  for (const b of ["PASS", "FAIL"] as const) {
    const shares = await pools.read.sharesOf([poolIds[b], lab.address]);
    if (shares > 0n) await chain.send("removeLiquidity", () => pools.write.removeLiquidity([poolIds[b], shares, 0n, 0n, lab.address], { account: lab.wallet!.account, gas: GAS }));
  }
  for (const a of actors) {
    if (!a.wallet) continue;
    const account = a.wallet.account;
    if (probability) {
      for (const branch of [PASS, FAIL]) {
        const [nb, nh] = await nested(branch);
        const parent = await positionOf(bondToken.address, 0n, decision, branch);
        const [hb, hh] = await vault.read.balanceOfBatch([[a.address, a.address], [nb, nh]]);
        if (hb + hh > 0n) await chain.send("redeem", () => vault.write.redeem([bondToken.address, parent, breachCondition], { account, gas: GAS }));
      }
    }
    const [bp, bf, sp, sf] = await vault.read.balanceOfBatch([
      [a.address, a.address, a.address, a.address],
      [branchPos.bond.PASS, branchPos.bond.FAIL, branchPos.shares.PASS, branchPos.shares.FAIL],
    ]);
    if (bp + bf > 0n) await chain.send("redeem", () => vault.write.redeem([bondToken.address, 0n, decision], { account, gas: GAS }));
    if (sp + sf > 0n) await chain.send("redeem", () => vault.write.redeem([labShare.address, 0n, decision], { account, gas: GAS }));
    if (lmsrHolders.has(a)) await chain.send("redeem", () => vault.write.redeem([bondToken.address, 0n, breachCondition], { account, gas: GAS }));
  }
  await chain.send("withdrawSubsidy", () => breachMarkets.write.withdrawSubsidy([pledgeId, lab.address], { account: lab.wallet!.account, gas: GAS }));
  // A capped lab-sponsor's excess is credited to the pledge's beneficiary, the safety fund, which pulls it.
  if ((await breachMarkets.read.excessOf([pledgeId])) > 0n) {
    await chain.send("claimExcess", () => breachMarkets.write.claimExcess([pledgeId, safetyFund.address], { account: safetyFund.wallet!.account, gas: GAS }));
  }
  for (const a of actors) {
    if (!a.wallet) continue;
    if ((await registry.read.claimable([a.address, bondToken.address])) > 0n) {
      await chain.send("claim", () => registry.write.claim([bondToken.address, a.address], { account: a.wallet!.account, gas: GAS }));
    }
    if ((await decisions.read.claimable([a.address, bondToken.address])) > 0n) {
      await chain.send("claim", () => decisions.write.claim([bondToken.address, a.address], { account: a.wallet!.account, gas: GAS }));
    }
  }
  if ((await registry.read.claimable([BURN, bondToken.address])) > 0n) await chain.send("flushBurned", () => registry.write.flushBurned([bondToken.address], { account: keeper.wallet!.account, gas: GAS }));
  if ((await decisions.read.claimable([BURN, bondToken.address])) > 0n) await chain.send("flushBurned", () => decisions.write.flushBurned([bondToken.address], { account: keeper.wallet!.account, gas: GAS }));

  // ---- results, read from the chain
  const mark = passed ? cfg.truth.pass : cfg.truth.fail;
  const markWad = probability ? 0n : toWad(mark);
  const pnl: ActorPnl[] = [];
  for (const a of actors) {
    const b0 = before.get(a.name)!;
    const b1 = await balancesOf(w, a.address);
    const deltaBond = b1.bond - b0.bond;
    const deltaShares = b1.shares - b0.shares;
    pnl.push({
      actor: a.name,
      role: a.role,
      address: a.address,
      bondBefore: b0.bond,
      bondAfter: b1.bond,
      sharesBefore: b0.shares,
      sharesAfter: b1.shares,
      deltaBond,
      deltaShares,
      value: deltaBond + (deltaShares * markWad) / WAD,
    });
  }
  const held = async (token: "bond" | "shares", addr: Address) => (token === "bond" ? bondToken.read.balanceOf([addr]) : labShare.read.balanceOf([addr]));
  let contractsEmpty = true;
  for (const addr of [registry.address, decisions.address, maker.address, breachMarkets.address, pools.address]) {
    if ((await held("bond", addr)) !== 0n || (await held("shares", addr)) !== 0n) contractsEmpty = false;
  }
  const vaultDust = { bond: await held("bond", vault.address), shares: await held("shares", vault.address) };
  // The pools' locked minimum liquidity: their balance of the decided branch's positions (for Risk, of the
  // resolved breach outcome's nested positions under it), the only claims left on the vault.
  const winning = passed ? PASS : FAIL;
  let dustBond: bigint;
  let dustShares = 0n;
  if (probability) {
    const [nb, nh] = await nested(winning);
    const breached = pledgeOutcome === "Breached";
    dustBond = await positionTotal(w, [pools.address], [breached ? nb : nh]);
  } else {
    dustBond = await positionTotal(w, [pools.address], [winning === PASS ? branchPos.bond.PASS : branchPos.bond.FAIL]);
    dustShares = await positionTotal(w, [pools.address], [winning === PASS ? branchPos.shares.PASS : branchPos.shares.FAIL]);
  }
  const vaultDustIsLockedLiquidity = vaultDust.bond === dustBond && vaultDust.shares === dustShares;
  const sumBond = pnl.reduce((s, a) => s + a.deltaBond, 0n);
  const sumShares = pnl.reduce((s, a) => s + a.deltaShares, 0n);
  const sumsToZero = sumBond + vaultDust.bond === 0n && sumShares + vaultDust.shares === 0n;

  return {
    name: cfg.name,
    title: cfg.title,
    seed: cfg.seed,
    kind: cfg.kind,
    metric: cfg.metric,
    truth: cfg.truth,
    reference: cfg.seedQuote / cfg.seedMetric,
    views: traders.map((t) => ({ trader: t.name, pass: round(t.view.pass), fail: round(t.view.fail) })),
    pledgeId,
    proposalId,
    decision,
    passed,
    passValue: finEv.args.passValue,
    failValue: finEv.args.failValue,
    thresholdBps: params.thresholdBps,
    executed: executedEv.length > 0,
    registryAction,
    pledgeOutcome,
    pledgeNote,
    mark,
    window: {
      startBlock,
      countFromBlock: Math.ceil(Number(countFrom - startTime) / Number(chain.blockTime)),
      endBlock: startBlock + windowBlocks,
      blocks: windowBlocks,
    },
    series,
    actors: pnl,
    attack: cfg.attack ? { sustain: cfg.attack.sustain, blocksPushed, firstBlock: attackFirstBlock, trades: attackTrades } : null,
    checks: { branchesEqual, vaultCoversPositions, contractsEmpty, vaultDustIsLockedLiquidity, sumsToZero },
    vaultDust,
    stats: { ...chain.stats, trades, pokes, seconds: (performance.now() - started) / 1000 },
  };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
const fmtWad = (x: bigint) => (Number(x) / 1e18).toFixed(4);
const fmtTok = (x: bigint) => (Number(x / 10n ** 14n) / 1e4).toLocaleString("en-US");
