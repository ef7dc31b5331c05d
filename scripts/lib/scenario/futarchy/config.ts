/**
 * The futarchy scenarios' configurations (`release`, `manipulation`) and their command-line options. Amounts
 * are whole tokens; prices are mUSD per LAB; probabilities are 0..1.
 */
import { UserInputError } from "../../format.js";
import type { AttackConfig, DecisionRunConfig } from "./decision.js";

/** What every run shares unless a scenario says otherwise. */
export const RUN_BASE: Omit<DecisionRunConfig, "name" | "title" | "kind" | "metric" | "truth"> = {
  seed: 1,
  noise: 0.04,
  reference: 10,
  breachPrior: 0.1,
  seedQuote: 100_000,
  seedMetric: 10_000,
  traders: 5,
  traderBond: 100_000,
  traderShares: 10_000,
  maxTradeFraction: 0.02,
  edge: 0.01,
  activity: 0.5,
  reactivity: 0.8,
  stepBlocks: 10,
  breachIfBound: true,
  amendBond: 80_000,
  amendExtendDays: 30,
  bond: 100_000,
  breachLiquidity: 10_000,
  traderLabel: "Trader",
};

export interface ReleaseConfig {
  name: "release";
  seed: number;
  traders: number;
  stepBlocks: number;
  /** The three runs' truths: (a) the release destroys value, (b) it adds value; (c) the amendment's breach risk. */
  destroy: { pass: number; fail: number };
  add: { pass: number; fail: number };
  risk: { pass: number; fail: number };
  quiet: boolean;
}

export const RELEASE_DEFAULTS: ReleaseConfig = {
  name: "release",
  seed: 1,
  traders: 5,
  stepBlocks: 10,
  destroy: { pass: 8.5, fail: 10 },
  add: { pass: 11.5, fail: 10 },
  risk: { pass: 0.07, fail: 0.1 },
  quiet: false,
};

/** The three runs of the release scenario. */
export function releaseRuns(c: ReleaseConfig): DecisionRunConfig[] {
  const base = { ...RUN_BASE, seed: c.seed, traders: c.traders, stepBlocks: c.stepBlocks };
  return [
    {
      ...base,
      name: "release-fail",
      title: "(a) Release, Price metric: traders believe the release destroys value",
      kind: "release",
      metric: "price",
      truth: c.destroy,
      breachIfBound: true,
    },
    {
      ...base,
      name: "release-pass",
      title: "(b) Release, Price metric: traders believe the release adds value",
      kind: "release",
      metric: "price",
      truth: c.add,
    },
    {
      ...base,
      name: "amend-risk",
      title: "(c) Amendment, Risk metric: a narrower pledge, bond 80,000, 30 days longer",
      kind: "amend",
      metric: "risk",
      truth: c.risk,
      noise: 0.15,
      breachIfBound: false,
    },
  ];
}

export interface ManipulationConfig {
  name: "manipulation";
  seeds: number[];
  /** Blocks the attacker sustains its push, swept. */
  sustain: number[];
  /** The variants' sustain (no defenders, capital-constrained defenders, thin liquidity). */
  variantSustain: number;
  defenders: number;
  truth: { pass: number; fail: number };
  attackBond: number;
  attackShares: number;
  stepBlocks: number;
  /** Breach-market attack: the true P(breach), the attacker's target price, the blocks swept. */
  breachTruth: number;
  breachTarget: number;
  breachSustain: number[];
  variants: boolean;
  quiet: boolean;
}

export const MANIPULATION_DEFAULTS: ManipulationConfig = {
  name: "manipulation",
  seeds: [1, 2, 3],
  sustain: [5, 20, 60, 150, 300],
  variantSustain: 150,
  defenders: 4,
  // A marginal release: LAB is worth 1% less if the lab is released; honest markets FAIL it.
  truth: { pass: 9.9, fail: 10 },
  attackBond: 1_000_000,
  attackShares: 100_000,
  stepBlocks: 30,
  breachTruth: 0.2,
  breachTarget: 0.03,
  breachSustain: [5, 20, 60],
  variants: true,
  quiet: true,
};

export type ManipulationRunKind = "baseline" | "attack" | "no-defenders" | "constrained-defenders" | "thin-liquidity";

/** One decision run of the manipulation sweep. */
export function manipulationRun(c: ManipulationConfig, seed: number, kind: ManipulationRunKind, sustain: number): DecisionRunConfig {
  const attack: AttackConfig | undefined =
    kind === "baseline" ? undefined : { sustain, bond: c.attackBond, shares: c.attackShares, overshoot: 2 };
  const run: DecisionRunConfig = {
    ...RUN_BASE,
    seed,
    name: kind === "baseline" ? `seed${seed}-baseline` : `seed${seed}-${kind}-k${sustain}`,
    title: kind === "baseline" ? `seed ${seed}: no attack` : `seed ${seed}: ${kind}, k = ${sustain}`,
    kind: "release",
    metric: "price",
    truth: c.truth,
    traders: c.defenders,
    traderLabel: "Defender",
    stepBlocks: c.stepBlocks,
    breachIfBound: false,
    attack,
  };
  if (kind === "no-defenders") run.traders = 0;
  if (kind === "constrained-defenders") {
    run.traderBond = 5_000;
    run.traderShares = 500;
  }
  if (kind === "thin-liquidity") {
    run.seedQuote = 10_000;
    run.seedMetric = 1_000;
  }
  return run;
}

const numberList = (flag: string, v: string) => {
  const xs = v.split(",").map(Number);
  if (xs.length === 0 || xs.some((x) => !Number.isInteger(x) || x < 0)) throw new UserInputError(`${flag} takes comma-separated non-negative integers`);
  return xs;
};
const pair = (flag: string, v: string) => {
  const xs = v.split(",").map(Number);
  if (xs.length !== 2 || xs.some((x) => !(x > 0))) throw new UserInputError(`${flag} takes two positive numbers: PASS,FAIL`);
  return { pass: xs[0], fail: xs[1] };
};
const positive = (flag: string, v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UserInputError(`${flag} takes a positive number, got "${v}"`);
  return n;
};

export const FUTARCHY_USAGE = `futarchy scenarios:
  release       A lab proposes to drop its governed pledge (Price metric) twice: (a) traders believe the release
                destroys value -> FAIL -> the pledge stays binding, the lab breaches and is slashed; (b) they believe
                it adds value -> PASS -> released, Honored, bond back; (c) an amendment decided on the Risk metric
  manipulation  An attacker pushes PASS up and FAIL down for the last k blocks of the window against defenders,
                k swept (5, 20, 60, 150, 300), over seeds 1-3, with variants (no defenders, capital-constrained
                defenders, thin liquidity); and pushes a breach market's price against defenders

options (release):      --seed N  --traders N  --step-blocks N  --destroy P,F  --add P,F  --risk P,F  --quiet
options (manipulation): --seeds 1,2,3  --sustain 5,20,60,150,300  --variant-sustain N  --defenders N  --truth P,F
                        --attack-bond N  --attack-shares N  --step-blocks N  --breach-truth P  --breach-target P
                        --breach-sustain 5,20,60  --no-variants  --verbose
both:                   --out DIR (default reports/<name>)`;

/** Parses the options of a futarchy scenario (`release` or `manipulation`). */
export function parseFutarchyArgs(name: string, argv: string[]): { config: ReleaseConfig | ManipulationConfig; outDir: string } {
  const args = [...argv];
  let outDir: string | undefined;
  if (name === "release") {
    const c: ReleaseConfig = structuredClone(RELEASE_DEFAULTS);
    while (args.length > 0) {
      const flag = args.shift()!;
      if (flag === "--quiet") { c.quiet = true; continue; }
      if (flag === "--verbose") { c.quiet = false; continue; }
      const v = args.shift();
      if (v === undefined) throw new UserInputError(`${flag} needs a value\n\n${FUTARCHY_USAGE}`);
      if (flag === "--out") outDir = v;
      else if (flag === "--seed") c.seed = positive(flag, v);
      else if (flag === "--traders") c.traders = positive(flag, v);
      else if (flag === "--step-blocks") c.stepBlocks = positive(flag, v);
      else if (flag === "--destroy") c.destroy = pair(flag, v);
      else if (flag === "--add") c.add = pair(flag, v);
      else if (flag === "--risk") c.risk = pair(flag, v);
      else throw new UserInputError(`unknown option ${flag} for release\n\n${FUTARCHY_USAGE}`);
    }
    if (c.traders > 11) throw new UserInputError("--traders: at most 11 (the network has 20 accounts)");
    return { config: c, outDir: outDir ?? "reports/release" };
  }
  const c: ManipulationConfig = structuredClone(MANIPULATION_DEFAULTS);
  while (args.length > 0) {
    const flag = args.shift()!;
    if (flag === "--quiet") { c.quiet = true; continue; }
    if (flag === "--verbose") { c.quiet = false; continue; }
    if (flag === "--no-variants") { c.variants = false; continue; }
    const v = args.shift();
    if (v === undefined) throw new UserInputError(`${flag} needs a value\n\n${FUTARCHY_USAGE}`);
    if (flag === "--out") outDir = v;
    else if (flag === "--seeds") c.seeds = numberList(flag, v);
    else if (flag === "--seed") c.seeds = [positive(flag, v)];
    else if (flag === "--sustain") c.sustain = numberList(flag, v);
    else if (flag === "--variant-sustain") c.variantSustain = positive(flag, v);
    else if (flag === "--defenders") c.defenders = Number(v);
    else if (flag === "--truth") c.truth = pair(flag, v);
    else if (flag === "--attack-bond") c.attackBond = positive(flag, v);
    else if (flag === "--attack-shares") c.attackShares = positive(flag, v);
    else if (flag === "--step-blocks") c.stepBlocks = positive(flag, v);
    else if (flag === "--breach-truth") c.breachTruth = positive(flag, v);
    else if (flag === "--breach-target") c.breachTarget = positive(flag, v);
    else if (flag === "--breach-sustain") c.breachSustain = numberList(flag, v);
    else throw new UserInputError(`unknown option ${flag} for manipulation\n\n${FUTARCHY_USAGE}`);
  }
  if (!(c.defenders >= 0 && c.defenders <= 10 && Number.isInteger(c.defenders))) throw new UserInputError("--defenders: 0 to 10");
  return { config: c, outDir: outDir ?? "reports/manipulation" };
}
