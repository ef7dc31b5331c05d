/**
 * The named scenarios and their command-line options. Each scenario is a full `ScenarioConfig`;
 * options override its fields (`--seed 7 --labs 4 --detect 0.2 --no-dispute`).
 */
import { UserInputError } from "../format.js";
import type { ScenarioConfig } from "./engine.js";

/** The flagship pact's keeper share: 75% of a slashed bond, after the challenger's reward, to the labs that kept it. */
const FLAGSHIP_KEEPER_BPS = 7_500;

const BASE: Omit<ScenarioConfig, "name" | "title"> = {
  seed: 1,
  labs: 3,
  pledgesPerLab: 1,
  watchers: 2,
  traders: 4,
  periods: 12,
  periodDays: 15,
  graceDays: 30,
  livenessDays: 3,
  bond: 100_000,
  challengeBond: 5_000,
  liquidity: 10_000,
  feeBps: 100,
  tax0: 500,
  gain0: 2_000,
  pressureGrowth: 0.2,
  // Lab B is overconfident (it believes it is caught 6.7 times less often than it is); the others are not.
  overconfidence: [0, 0.85, 0],
  randomOverconfidence: false,
  detect: 0.35,
  dispute: true,
  tradesPerPeriod: 0,
  maxTrades: 0,
  prior: 0.05,
  verbose: true,
  keeperShareBps: null,
};

export const SCENARIOS: Record<string, { description: string; config: ScenarioConfig }> = {
  flagship: {
    description:
      "The demo: 3 labs bind themselves in one pact with 100,000 each for 180 days, competitive pressure mounts (tax and gain grow 20% a period), the overconfident Lab B defects, traders reprice, a watcher challenges, Lab B disputes, the committee rules, markets and bonds settle, and Lab B's slashed bond pays the labs that kept the pact (75% after the challenger's reward) and the safety fund.",
    config: { ...BASE, name: "flagship", title: "Flagship: one lab defects from a pact under competitive pressure", keeperShareBps: FLAGSHIP_KEEPER_BPS },
  },
  undisputed: {
    description: "The flagship where nobody disputes: the breach stands after the 3-day liveness and anyone finalizes it.",
    config: { ...BASE, name: "undisputed", title: "Flagship without a dispute", dispute: false, keeperShareBps: FLAGSHIP_KEEPER_BPS },
  },
  alone: {
    description: "The flagship without the pact: each lab pledges alone, and Lab B's slashed bond goes to the safety fund.",
    config: { ...BASE, name: "alone", title: "Flagship with lone pledges: one lab defects under competitive pressure" },
  },
  race: {
    description:
      "A race: 6 labs with random overconfidence, stronger pressure (25% a period), 3 watchers that each detect a breach 12% of the time per period: labs defect late in the term, some escape detection and profit, the caught ones lose their bonds.",
    config: {
      ...BASE,
      name: "race",
      title: "Race: labs with random overconfidence",
      labs: 6,
      watchers: 3,
      traders: 5,
      overconfidence: [],
      randomOverconfidence: true,
      pressureGrowth: 0.25,
      detect: 0.12,
      seed: 3,
    },
  },
  scale: {
    description:
      "Scale: 5 labs x 200 pledges = 1,000 pledges, each with its breach market, and 10,000 trades by 7 traders over 10 periods (8 of the term, 2 of grace); 2 labs are overconfident and defect.",
    config: {
      ...BASE,
      name: "scale",
      title: "Scale: 1,000 pledges and 10,000 trades",
      labs: 5,
      pledgesPerLab: 200,
      watchers: 2,
      traders: 7,
      periods: 8,
      periodDays: 15,
      graceDays: 30,
      bond: 1_000,
      challengeBond: 100,
      liquidity: 100,
      tax0: 5,
      gain0: 20,
      overconfidence: [0, 0.9, 0, 0.93, 0],
      detect: 0.4,
      tradesPerPeriod: 1_000,
      maxTrades: 10_000,
      verbose: false,
    },
  },
};

const NUMBER_OPTIONS: Record<string, keyof ScenarioConfig> = {
  seed: "seed",
  labs: "labs",
  "pledges-per-lab": "pledgesPerLab",
  watchers: "watchers",
  traders: "traders",
  periods: "periods",
  "period-days": "periodDays",
  "grace-days": "graceDays",
  bond: "bond",
  "challenge-bond": "challengeBond",
  liquidity: "liquidity",
  "fee-bps": "feeBps",
  tax: "tax0",
  gain: "gain0",
  pressure: "pressureGrowth",
  detect: "detect",
  "trades-per-period": "tradesPerPeriod",
  "max-trades": "maxTrades",
  prior: "prior",
};

export const USAGE = `usage: npm run scenario -- <name> [options]   (add --network localhost after the options for a running node)

scenarios:
${Object.entries(SCENARIOS)
  .map(([name, s]) => `  ${name.padEnd(11)} ${s.description}`)
  .join("\n")}

options (each overrides the scenario's value):
  --seed N               random seed (same seed, same run)
  --labs N               number of labs (accounts permitting: 6 + labs + watchers + traders <= 20)
  --pledges-per-lab N    pledges (each with its market) per lab
  --watchers N  --traders N
  --periods N            periods of the term;  --period-days N  --grace-days N
  --bond N  --challenge-bond N  --liquidity N (LMSR b)  --fee-bps N   (whole tokens)
  --tax N  --gain N      alignment tax and private gain in the first period (off-chain)
  --pressure X           growth of tax and gain per period (0.2 = 20%)
  --overconfidence a,b,c per lab, 0..1 (labs not listed: 0, or drawn at random in race)
  --detect P             probability per period that a watcher detects a breach
  --no-dispute           the defector does not dispute (the breach stands after the liveness)
  --trades-per-period N  (0: each trader looks at each open market every period)
  --max-trades N  --prior P
  --pact BPS             the labs join one pact; a slashed bond pays BPS (of 10,000, after the
                         challenger's reward) to the labs that kept it, the rest to the safety fund
  --no-pact              each lab pledges alone (the safety fund takes the slashed bond)
  --quiet / --verbose    progress bars / a line per period
  --out DIR              report folder (default reports/<name>)`;

/** Parses `<name> [options]` into a config and the report folder. */
export function parseScenarioArgs(argv: string[], defaultName?: string): { config: ScenarioConfig; outDir: string } {
  const args = [...argv];
  let name = defaultName;
  if (args.length > 0 && !args[0].startsWith("--")) name = args.shift();
  if (name === undefined) throw new UserInputError(USAGE);
  const preset = SCENARIOS[name];
  if (!preset) throw new UserInputError(`unknown scenario "${name}"\n\n${USAGE}`);
  const config: ScenarioConfig = { ...preset.config, overconfidence: [...preset.config.overconfidence] };
  let outDir: string | undefined;
  while (args.length > 0) {
    const flag = args.shift()!;
    if (!flag.startsWith("--")) throw new UserInputError(`unexpected argument "${flag}"\n\n${USAGE}`);
    const key = flag.slice(2);
    if (key === "help") throw new UserInputError(USAGE);
    if (key === "no-dispute") { config.dispute = false; continue; }
    if (key === "dispute") { config.dispute = true; continue; }
    if (key === "quiet") { config.verbose = false; continue; }
    if (key === "no-pact") { config.keeperShareBps = null; continue; }
    if (key === "verbose") { config.verbose = true; continue; }
    const value = args.shift();
    if (value === undefined) throw new UserInputError(`${flag} needs a value\n\n${USAGE}`);
    if (key === "out") { outDir = value; continue; }
    if (key === "pact") {
      const bps = Number(value);
      if (!Number.isInteger(bps) || bps < 0 || bps > 10_000) throw new UserInputError(`--pact takes the keepers' share in basis points, 0..10000, got "${value}"`);
      config.keeperShareBps = bps;
      continue;
    }
    if (key === "overconfidence") {
      config.overconfidence = value.split(",").map(Number);
      if (config.overconfidence.some((x) => !(x >= 0 && x <= 1))) throw new UserInputError(`--overconfidence takes numbers in 0..1`);
      continue;
    }
    const field = NUMBER_OPTIONS[key];
    if (!field) throw new UserInputError(`unknown option ${flag}\n\n${USAGE}`);
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new UserInputError(`${flag} takes a non-negative number, got "${value}"`);
    (config as unknown as Record<string, number>)[field] = n;
  }
  for (const k of ["labs", "pledgesPerLab", "watchers", "traders", "periods", "periodDays"] as const) {
    if (!Number.isInteger(config[k]) || config[k] < 1) throw new UserInputError(`--${k} must be a positive integer`);
  }
  if (config.keeperShareBps !== null && config.pledgesPerLab !== 1) {
    throw new UserInputError(`a pact takes one pledge per lab: use --pledges-per-lab 1 or --no-pact`);
  }
  if (config.keeperShareBps !== null && config.labs < 2) throw new UserInputError(`a pact needs at least 2 labs`);
  if (config.detect > 1 || config.prior >= 1) throw new UserInputError(`--detect and --prior are probabilities`);
  return { config, outDir: outDir ?? `reports/${config.name}` };
}
