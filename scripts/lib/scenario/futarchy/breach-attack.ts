/**
 * The breach-market half of the manipulation scenario: an attacker pushes a pledge's BREACH price (the LMSR breach
 * market) away from what defenders believe, re-pushing after them for `sustain` rounds, then stops; the defenders
 * trade the price back; the pledge resolves (breached with the true probability, drawn from the seed, the same
 * draw for the baseline and every attack of a seed) and everyone redeems. Every figure is read from the chain:
 * prices from the maker, balances before, before resolution (for the profit and loss at the true probability)
 * and after the last claim.
 *
 * One transaction per block (automine, 12 s apart): an LMSR has no oracle to gate per block, so what matters is
 * the rounds the attacker re-pushes and what it pays for them.
 */
import { keccak256, parseEventLogs, stringToHex } from "viem";
import type { NetworkConnection } from "hardhat/types/network";

import { stateName } from "../../states.js";
import { Rng } from "../rng.js";
import { lmsrSharesToward } from "./agents.js";
import { GAS } from "./chain.js";
import { BREACH, HONOR, WAD } from "../../markets.js";
import { type Actor, type Address, type Role, balancesOf, deployWorld, fund } from "./world.js";

const DAY = 86_400n;
const BURN: Address = "0x000000000000000000000000000000000000dEaD";

export interface BreachAttackConfig {
  name: string;
  seed: number;
  defenders: number;
  /** The true probability of a breach; the defenders' views scatter around it (log-odds noise). */
  truth: number;
  noise: number;
  /** The BREACH price the attacker pushes to; 0 rounds = no attack (the baseline). */
  target: number;
  sustain: number;
  liquidity: number;
  /** Honest rounds before the attack and after it. */
  rounds: number;
  recovery: number;
  edge: number;
  activity: number;
  reactivity: number;
  /** A defender's largest trade, shares, as a fraction of b. */
  maxShares: number;
  attackBudget: number;
}

export interface BreachActorPnl {
  actor: string;
  role: Role;
  address: Address;
  before: bigint;
  after: bigint;
  /** On chain: after - before. */
  delta: bigint;
  /** At the true probability, before resolution: cash change + BREACH x p + HONOR x (1 - p) held (read from chain). */
  expected: bigint;
}

export interface BreachAttackResult {
  name: string;
  seed: number;
  sustain: number;
  target: number;
  truth: number;
  breached: boolean;
  /** BREACH price (0..1) read after every round's last transaction. */
  prices: { round: number; phase: "honest" | "attack" | "recovery"; price: number }[];
  /** The BREACH price when the attack ended (what a Risk proposal seeded then would read), and the mean over its rounds. */
  priceAtAttackEnd: number;
  meanAttackPrice: number;
  /** The price after the recovery rounds. */
  priceAfterRecovery: number;
  actors: BreachActorPnl[];
  attackerSpent: bigint;
  checks: { contractsEmpty: boolean; sumsToZero: boolean };
  stats: { transactions: number; seconds: number };
}

export async function runBreachAttack(conn: NetworkConnection, cfg: BreachAttackConfig): Promise<BreachAttackResult> {
  const started = performance.now();
  const rng = new Rng(cfg.seed * 7919 + 17);
  // The pledge's fate: one draw per seed, before any other, so the baseline and the attacks share it.
  const breached = rng.chance(cfg.truth);
  const w = await deployWorld(conn);
  const { chain, sys, units } = w;
  const { registry, vault, maker, breachMarkets, bondToken, committee } = sys;
  const free = [...w.free];
  const take = (name: string, role: Role): Actor => {
    const wallet = free.shift()!;
    return { name, role, address: wallet.account.address, wallet };
  };
  const lab = take("Lab (pledger, market sponsor)", "lab");
  const watcher = take("Watcher", "watcher");
  const safetyFund = take("Safety fund (beneficiary)", "beneficiary");
  const attacker = cfg.sustain > 0 ? take("Attacker", "attacker") : null;
  const defenders = Array.from({ length: cfg.defenders }, (_, i) => {
    const actor = take(`Defender ${i + 1}`, "defender");
    const logit = Math.log(cfg.truth / (1 - cfg.truth)) + cfg.noise * rng.normal();
    return { actor, view: 1 / (1 + Math.exp(-logit)) };
  });
  const actors: Actor[] = [lab, ...defenders.map((d) => d.actor), ...(attacker ? [attacker] : []), watcher, safetyFund, { name: "Burn (0x…dEaD)", role: "burn", address: BURN }];

  const bond = units(100_000);
  const liquidity = units(cfg.liquidity);
  const challengeBond = units(5_000);
  await fund(w, lab, bond + (await breachMarkets.read.quoteSubsidy([liquidity])), 0n);
  for (const d of defenders) await fund(w, d.actor, units(5 * cfg.liquidity), 0n);
  if (attacker) await fund(w, attacker, units(cfg.attackBudget), 0n);
  await fund(w, watcher, challengeBond, 0n);
  await fund(w, safetyFund, 0n, 0n);
  const before = new Map<string, bigint>();
  for (const a of actors) before.set(a.name, (await balancesOf(w, a.address)).bond);

  const expiry = chain.time + 30n * DAY;
  const created = await chain.send("createPledge", () =>
    registry.write.createPledge(
      [
        {
          termsHash: keccak256(stringToHex(`breach-attack ${cfg.name}`)),
          termsURI: `ipfs://pledge-terms/futarchy/${cfg.name}`,
          token: bondToken.address,
          bond,
          expiry,
          grace: Number(7n * DAY),
          beneficiary: safetyFund.address,
          resolution: { arbiter: committee.address, liveness: Number(DAY), challengeBond },
        },
      ],
      { account: lab.wallet!.account, gas: GAS },
    ),
  );
  const [ev] = parseEventLogs({ abi: registry.abi, logs: created!.logs, eventName: "PledgeCreated" });
  const pledgeId = ev.args.pledgeId;
  await chain.send("openMarket", () => breachMarkets.write.openMarket([pledgeId, liquidity, 100], { account: lab.wallet!.account, gas: GAS }));
  const condition = await breachMarkets.read.conditionOf([pledgeId]);
  const price = async () => Number((await maker.read.prices([condition]))[Number(BREACH)]) / 1e18;

  let attackerSpent = 0n;
  /** Buys toward `to`, at most `maxShares` shares; returns what it paid. */
  const buyToward = async (a: Actor, to: number, maxShares: number): Promise<bigint> => {
    const order = lmsrSharesToward(cfg.liquidity, await price(), to);
    if (!order) return 0n;
    const shares = Math.min(order.shares, maxShares);
    if (shares < 0.01) return 0n;
    const amount = units(Math.floor(shares * 100) / 100);
    const outcome = order.outcome === "BREACH" ? BREACH : HONOR;
    const [cost, fee] = await maker.read.quoteBuy([condition, outcome, amount]);
    const cash = await bondToken.read.balanceOf([a.address]);
    if (cost + fee > cash) return 0n;
    await chain.send("buy", () => maker.write.buy([condition, outcome, amount, cost + fee, chain.time + DAY, a.address], { account: a.wallet!.account, gas: GAS }));
    return cost + fee;
  };
  const prices: BreachAttackResult["prices"] = [];
  const honest = async (phase: "honest" | "recovery" | "attack", round: number, chance: number) => {
    for (const d of defenders) {
      if (!rng.chance(chance)) continue;
      if (Math.abs((await price()) - d.view) <= cfg.edge) continue;
      await buyToward(d.actor, d.view, cfg.maxShares * cfg.liquidity);
    }
    if (phase !== "attack") prices.push({ round, phase, price: await price() });
  };
  let round = 0;
  for (let i = 0; i < cfg.rounds; i++) await honest("honest", round++, cfg.activity);
  const attackPrices: number[] = [];
  if (attacker) {
    for (let i = 0; i < cfg.sustain; i++) {
      await honest("attack", round, cfg.reactivity);
      attackerSpent += await buyToward(attacker, cfg.target, Infinity);
      const p = await price();
      attackPrices.push(p);
      prices.push({ round: round++, phase: "attack", price: p });
    }
  }
  const priceAtAttackEnd = await price();
  for (let i = 0; i < cfg.recovery; i++) await honest("recovery", round++, cfg.activity);
  const priceAfterRecovery = await price();

  // Before resolution: each actor's positions, valued at the true probability.
  const ids = [await vault.read.positionId([bondToken.address, 0n, condition, BREACH]), await vault.read.positionId([bondToken.address, 0n, condition, HONOR])];
  const expected = new Map<string, bigint>();
  const pWad = BigInt(Math.round(cfg.truth * 1e6)) * 10n ** 12n;
  for (const a of actors) {
    const [b, h] = await vault.read.balanceOfBatch([[a.address, a.address], ids]);
    const cash = (await balancesOf(w, a.address)).bond - before.get(a.name)!;
    expected.set(a.name, cash + (b * pWad + h * (WAD - pWad)) / WAD);
  }

  // Resolution: the seed's draw.
  if (breached) {
    await chain.jumpTo(chain.time + 5n * DAY);
    const [, required] = await registry.read.requiredChallengeBond([pledgeId]);
    await chain.send("challenge", () => registry.write.challenge([pledgeId, `ipfs://evidence/${cfg.name}`, required], { account: watcher.wallet!.account, gas: GAS }));
    await chain.jumpTo(chain.time + DAY);
  } else {
    await chain.jumpTo(expiry + 7n * DAY);
  }
  await chain.send("finalize", () => registry.write.finalize([pledgeId], { account: watcher.wallet!.account, gas: GAS }));
  const outcome = stateName(await registry.read.state([pledgeId]));
  if (outcome !== (breached ? "Breached" : "Honored")) throw new Error(`pledge ended ${outcome}`);
  await chain.send("resolve", () => breachMarkets.write.resolve([pledgeId], { account: watcher.wallet!.account, gas: GAS }));
  for (const a of actors) {
    if (!a.wallet) continue;
    const [b, h] = await vault.read.balanceOfBatch([[a.address, a.address], ids]);
    if (b + h > 0n) await chain.send("redeem", () => vault.write.redeem([bondToken.address, 0n, condition], { account: a.wallet!.account, gas: GAS }));
  }
  await chain.send("withdrawSubsidy", () => breachMarkets.write.withdrawSubsidy([pledgeId, lab.address], { account: lab.wallet!.account, gas: GAS }));
  // A capped lab-sponsor's excess is credited to the pledge's beneficiary, the safety fund, which pulls it.
  if ((await breachMarkets.read.excessOf([pledgeId])) > 0n) {
    await chain.send("claimExcess", () => breachMarkets.write.claimExcess([pledgeId, safetyFund.address], { account: safetyFund.wallet!.account, gas: GAS }));
  }
  for (const a of actors) {
    if (a.wallet && (await registry.read.claimable([a.address, bondToken.address])) > 0n) {
      await chain.send("claim", () => registry.write.claim([bondToken.address, a.address], { account: a.wallet!.account, gas: GAS }));
    }
  }
  if ((await registry.read.claimable([BURN, bondToken.address])) > 0n) await chain.send("flushBurned", () => registry.write.flushBurned([bondToken.address], { account: watcher.wallet!.account, gas: GAS }));

  const pnl: BreachActorPnl[] = [];
  for (const a of actors) {
    const after = (await balancesOf(w, a.address)).bond;
    const b0 = before.get(a.name)!;
    pnl.push({ actor: a.name, role: a.role, address: a.address, before: b0, after, delta: after - b0, expected: expected.get(a.name)! });
  }
  let held = 0n;
  for (const addr of [registry.address, maker.address, breachMarkets.address, vault.address]) held += await bondToken.read.balanceOf([addr]);
  return {
    name: cfg.name,
    seed: cfg.seed,
    sustain: cfg.sustain,
    target: cfg.target,
    truth: cfg.truth,
    breached,
    prices,
    priceAtAttackEnd,
    meanAttackPrice: attackPrices.length ? attackPrices.reduce((s, x) => s + x, 0) / attackPrices.length : priceAtAttackEnd,
    priceAfterRecovery,
    actors: pnl,
    attackerSpent,
    checks: { contractsEmpty: held === 0n, sumsToZero: pnl.reduce((s, a) => s + a.delta, 0n) + held === 0n },
    stats: { transactions: chain.stats.transactions, seconds: (performance.now() - started) / 1000 },
  };
}
