/**
 * The regime sweep (issue 7): its grid, its fixed parameters and its options, and the work units the grid
 * splits into. A work unit is one (regime, bond, number of labs): its setup (pledges or pact, breach markets)
 * runs once on chain, and every tax and every profile of the term runs from a snapshot of it (chain.ts).
 */
import { UserInputError } from "../format.js";

export type Regime = "voluntary" | "bonded" | "pact";
export const REGIMES: readonly Regime[] = ["voluntary", "bonded", "pact"];

export interface SweepConfig {
  /** Alignment tax: what keeping the pledge costs a lab per period (whole bond tokens, paid on chain). */
  taxes: number[];
  /** Bond per lab (whole tokens); bonded and pact only (the voluntary pledge has none). */
  bonds: number[];
  /** Probability that a defector is detected during the term (once per term). */
  detections: number[];
  /** Numbers of labs. */
  labs: number[];
  /** Periods of the term. */
  periods: number;
  regimes: Regime[];
  /** Rivalry weights: a lab's utility is its own change minus `lambda` times its rivals' mean change. */
  lambdas: number[];
  periodDays: number;
  graceDays: number;
  livenessDays: number;
  /** Each lab's breach market: LMSR liquidity b as a fraction of the bond. */
  liquidityRatio: number;
  feeBps: number;
  /** The pledges' base challenge bond as a fraction of the bond. */
  challengeBondRatio: number;
  /** Pact: the share of a slashed bond (after the challenger's reward) paid to the keepers. */
  keeperShareBps: number;
  /** The detecting watcher buys BREACH in the defector's market up to this price before challenging. */
  breachTarget: number;
  /** Worker processes (each with its own in-process network); 1 runs in the task's process. */
  workers: number;
  outDir: string;
  quick: boolean;
}

/**
 * Default grid: 5 taxes x 5 bonds x 4 detection probabilities x 2 lab counts = 200 cells per regime. With 4
 * periods the closed-form threshold bond t P / d runs from 1,000 (t = 250, d = 1) to 20,000 (t = 1,250,
 * d = 0.25): the bonds bracket it in every panel.
 */
export const DEFAULTS: SweepConfig = {
  taxes: [250, 500, 750, 1_000, 1_250],
  bonds: [1_000, 2_500, 5_000, 10_000, 20_000],
  detections: [0.25, 0.5, 0.75, 1],
  labs: [2, 4],
  periods: 4,
  regimes: ["voluntary", "bonded", "pact"],
  lambdas: [0, 1],
  periodDays: 30,
  graceDays: 14,
  livenessDays: 3,
  liquidityRatio: 0.1,
  feeBps: 100,
  challengeBondRatio: 0.05,
  keeperShareBps: 5_000,
  breachTarget: 0.9,
  workers: 2,
  outDir: "reports/sweep",
  quick: false,
};

/** `--quick`: a small grid for tests and a first look (2 x 3 x 2 x 1 = 12 cells per regime). */
export const QUICK: Partial<SweepConfig> = {
  taxes: [250, 1_000],
  bonds: [1_000, 4_000, 16_000],
  detections: [0.5, 1],
  labs: [2],
};

export const SWEEP_USAGE = `npm run sweep -- [options]   (the Hardhat task \`sweep\`; docs/scenarios.md, "The regime sweep")

Grid (comma-separated lists):
  --taxes 250,500,750,1000,1250   alignment tax per period, whole tokens
  --bonds 1000,2500,5000,10000,20000   bond per lab, whole tokens
  --detections 0.25,0.5,0.75,1    probability a defector is detected in the term
  --labs 2,4                      numbers of labs (at most 13)
  --regimes voluntary,bonded,pact
Model:
  --periods 4  --liquidity-ratio 0.1  --fee-bps 100  --challenge-bond-ratio 0.05
  --keeper-share-bps 5000  --breach-target 0.9  --lambdas 0,1
Run:
  --workers N   worker processes (default ${DEFAULTS.workers}; 1 = in this process)
  --out DIR     report folder (default ${DEFAULTS.outDir})
  --quick       a small grid (taxes 250,1000; bonds 1000,4000,16000; detections 0.5,1; labs 2)`;

const LISTS = ["taxes", "bonds", "detections", "labs", "lambdas"] as const;
const NUMBERS = ["periods", "liquidityRatio", "feeBps", "challengeBondRatio", "keeperShareBps", "breachTarget", "workers"] as const;

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Parses `--name value` options (the task passes its options back as such); throws UserInputError with the usage. */
export function parseSweepArgs(argv: string[]): SweepConfig {
  const cfg: SweepConfig = { ...DEFAULTS };
  if (argv.includes("--quick")) Object.assign(cfg, QUICK, { quick: true });
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--quick") continue;
    if (flag === "--help") throw new UserInputError(SWEEP_USAGE);
    if (!flag.startsWith("--")) throw new UserInputError(`unexpected argument "${flag}"\n\n${SWEEP_USAGE}`);
    const key = camel(flag.slice(2));
    const value = argv[++i];
    if (value === undefined) throw new UserInputError(`${flag} needs a value\n\n${SWEEP_USAGE}`);
    if (key === "out") cfg.outDir = value;
    else if (key === "regimes") {
      const names = value.split(",").map((s) => s.trim());
      for (const n of names) if (!REGIMES.includes(n as Regime)) throw new UserInputError(`unknown regime "${n}" (${REGIMES.join(", ")})`);
      cfg.regimes = REGIMES.filter((r) => names.includes(r));
    } else if ((LISTS as readonly string[]).includes(key)) {
      const xs = value.split(",").map(Number);
      if (xs.length === 0 || xs.some((x) => !Number.isFinite(x) || x < 0)) throw new UserInputError(`${flag} takes non-negative numbers, got "${value}"`);
      cfg[key as (typeof LISTS)[number]] = [...new Set(xs)].sort((a, b) => a - b);
    } else if ((NUMBERS as readonly string[]).includes(key)) {
      const x = Number(value);
      if (!Number.isFinite(x) || x < 0) throw new UserInputError(`${flag} takes a non-negative number, got "${value}"`);
      cfg[key as (typeof NUMBERS)[number]] = x;
    } else throw new UserInputError(`unknown option ${flag}\n\n${SWEEP_USAGE}`);
  }
  if (cfg.detections.some((d) => d > 1)) throw new UserInputError("--detections are probabilities (0..1)");
  if (cfg.labs.some((n) => !Number.isInteger(n) || n < 2 || n > MAX_LABS)) throw new UserInputError(`--labs takes integers from 2 to ${MAX_LABS}`);
  if (cfg.bonds.some((b) => b <= 0)) throw new UserInputError("--bonds must be positive (the registry refuses a zero bond)");
  if (!Number.isInteger(cfg.periods) || cfg.periods < 1) throw new UserInputError("--periods must be a positive integer");
  if (!Number.isInteger(cfg.workers) || cfg.workers < 1) throw new UserInputError("--workers must be a positive integer");
  if (!(cfg.breachTarget > 0.5 && cfg.breachTarget < 1)) throw new UserInputError("--breach-target is a price in (0.5, 1)");
  if (cfg.keeperShareBps > 10_000) throw new UserInputError("--keeper-share-bps is at most 10000");
  return cfg;
}

/** Accounts: deployer, 3 committee members, the watcher, the safety fund, the alignment sink, then the labs (20 in all). */
export const FIXED_ACCOUNTS = 7;
export const MAX_LABS = 20 - FIXED_ACCOUNTS;

/** One setup on chain: every tax and every (defectors, detected) profile runs from its snapshot. */
/** The settings every unit takes from the sweep's configuration as they are. */
type UnitSettings = Pick<
  SweepConfig,
  "periods" | "periodDays" | "graceDays" | "livenessDays" | "liquidityRatio" | "feeBps" | "challengeBondRatio" | "keeperShareBps" | "breachTarget"
>;

export interface WorkUnit extends UnitSettings {
  id: number;
  regime: Regime;
  labs: number;
  /** Whole tokens; 0 for the voluntary regime, whose runs do not depend on the bond (it has none). */
  bond: number;
  taxes: number[];
}

/** On-chain runs of a unit: (N + 1)(N + 2) / 2 profiles (defectors D = 0..N, detected k = 0..D) per tax. */
export const runsOfUnit = (u: Pick<WorkUnit, "labs" | "taxes">) => (u.taxes.length * (u.labs + 1) * (u.labs + 2)) / 2;

/** The grid's work units, the most expensive first (so that a pool of workers ends together). */
export function workUnits(cfg: SweepConfig): WorkUnit[] {
  const units: Omit<WorkUnit, "id">[] = [];
  const fixed = {
    taxes: cfg.taxes,
    periods: cfg.periods,
    periodDays: cfg.periodDays,
    graceDays: cfg.graceDays,
    livenessDays: cfg.livenessDays,
    liquidityRatio: cfg.liquidityRatio,
    feeBps: cfg.feeBps,
    challengeBondRatio: cfg.challengeBondRatio,
    keeperShareBps: cfg.keeperShareBps,
    breachTarget: cfg.breachTarget,
  };
  for (const regime of cfg.regimes) {
    for (const labs of cfg.labs) {
      if (regime === "voluntary") units.push({ regime, labs, bond: 0, ...fixed });
      else for (const bond of cfg.bonds) units.push({ regime, labs, bond, ...fixed });
    }
  }
  units.sort((a, b) => b.labs - a.labs);
  return units.map((u, id) => ({ id, ...u }));
}
