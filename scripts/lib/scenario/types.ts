/**
 * The scenarios' types: a scenario's configuration (scripts/lib/scenario/scenarios.ts holds the named
 * ones) and its result, every on-chain figure of which the engine reads from the chain.
 */
type Address = `0x${string}`;
type Hex = `0x${string}`;

export interface ScenarioConfig {
  /** Scenario name: the report folder is reports/<name>/. */
  name: string;
  title: string;
  seed: number;
  labs: number;
  pledgesPerLab: number;
  watchers: number;
  traders: number;
  /** Periods of the pledges' term; `periodDays` each. The grace period adds `ceil(graceDays / periodDays)`. */
  periods: number;
  periodDays: number;
  graceDays: number;
  livenessDays: number;
  /** Token amounts in whole tokens. */
  bond: number;
  challengeBond: number;
  liquidity: number;
  feeBps: number;
  /** Off-chain: alignment tax and private gain in the first period, and their growth per period (pressure). */
  tax0: number;
  gain0: number;
  pressureGrowth: number;
  /** Per lab, how much it discounts the chance of being caught (0..1). */
  overconfidence: number[];
  /** Labs beyond `overconfidence`: true, drawn at random in 0..0.95; false, 0 (they see the risk as it is). */
  randomOverconfidence: boolean;
  /** Probability that a watcher detects a given breach in a period. */
  detect: number;
  /** The defector disputes its challenge (the committee then rules); false: nobody disputes. */
  dispute: boolean;
  /** Trades per period; 0: each trader looks once at each open market each period. */
  tradesPerPeriod: number;
  /** Stop trading after this many trades in total (0: no limit). */
  maxTrades: number;
  /** Public prior of a breach in the first period; it grows with the pressure. */
  prior: number;
  /** Print a line per period (small scenarios) rather than a progress bar. */
  verbose: boolean;
  /**
   * The labs' pledges are one pact (Pacts): every lab joins with its bond, the pact binds them at one moment,
   * and a slashed bond (after the challenger's reward) pays this share, in basis points, to the labs that kept
   * the pledge, the rest to the safety fund. null: each lab pledges alone (the safety fund is the beneficiary).
   * A pact takes one pledge per lab.
   */
  keeperShareBps: number | null;
}

export interface ScenarioHooks {
  log: (line: string) => void;
  /** Progress bars go here (default stderr). */
  progressOut?: { isTTY?: boolean; write(s: string): unknown };
}

export interface ActorResult {
  actor: string;
  role: "lab" | "watcher" | "trader" | "beneficiary" | "treasury";
  address: Address;
  before: bigint;
  after: bigint;
  /** On-chain profit and loss: after - before (bond-token base units). */
  delta: bigint;
  /** Off-chain (labs only), token base units: taxes paid (negative) and private gain. */
  alignmentTaxPaid: bigint;
  privateGain: bigint;
  /** delta - alignmentTaxPaid + privateGain. */
  total: bigint;
}

export interface PledgeResult {
  lab: string;
  pledgeId: bigint;
  bond: bigint;
  conditionId: Hex;
  defected: boolean;
  defectedAtPeriod: number | null;
  challengedAtPeriod: number | null;
  challenger: Address | null;
  disputed: boolean;
  outcome: string;
  subsidy: bigint;
  /** What the sponsor (the lab) withdrew after resolution (SubsidyWithdrawn.amount). */
  subsidyBack: bigint;
  /** What was credited to the beneficiary instead (SubsidyWithdrawn.toBeneficiary; claimed with claimExcess, or through the pact). */
  subsidyToBeneficiary: bigint;
}

export interface Flow {
  from: string;
  to: string;
  via: string;
  amount: bigint;
}

export interface DefectorResult {
  lab: string;
  address: Address;
  defectedAtPeriod: number;
  /**
   * What it stood to lose on chain when it defected, read from the DefectionLens at that moment: for a pact
   * member `memberCost.lossIfDefect` (bond, keeper shares forfeited, subsidies of the markets it sponsors at
   * the prices then), else the sum of its pledges' `pledgeCost.total`.
   */
  costAtDefection: bigint;
  pledges: number;
  caught: number;
  /** Token balance lost on chain (before - after). */
  onchainLoss: bigint;
  slashedBonds: bigint;
  disputeBondsLost: bigint;
  subsidyLoss: bigint;
  /** Bonds returned because the breach was never caught. */
  bondsReturned: bigint;
  flows: Flow[];
}

/** A pact's settlement, read from the Pacts contract's events. */
export interface PactResult {
  address: Address;
  pactId: bigint;
  keeperShareBps: number;
  /** BreachRecorded: each breached member's slash and how the pact split it. */
  breaches: { lab: string; slashed: bigint; toKeepers: bigint; forfeited: bigint; toBeneficiary: bigint }[];
  /** SharesClaimed: what each lab that kept the pledge took from the pact. */
  keepers: { lab: string; shares: bigint }[];
  /** PactSettled: rounding dust sent to the beneficiary. */
  dust: bigint;
}

export interface PricePoint {
  period: number;
  day: number;
  series: string;
  /** BREACH price in WAD; after resolution the payout (WAD or 0). */
  price: bigint;
}

export interface ScenarioResult {
  scenario: string;
  title: string;
  seed: number;
  config: ScenarioConfig;
  network: { chainId: number; name: string };
  token: { address: Address; symbol: string; decimals: number };
  contracts: { registry: Address; committee: Address; vault: Address; maker: Address; breachMarkets: Address; pacts: Address };
  /** The pact binding the labs (null when each lab pledged alone). */
  pact: PactResult | null;
  pledges: PledgeResult[];
  prices: PricePoint[];
  actors: ActorResult[];
  defectors: DefectorResult[];
  /** Sum of the defectors' on-chain losses (the one defector's in the flagship). */
  defectorLoss: bigint;
  registryBalanceAfter: bigint;
  marketsBalanceAfter: bigint;
  pactsBalanceAfter: bigint;
  conservation: {
    /** The registry and the Pacts contract hold nothing after everyone claimed. */
    registryEmpty: boolean;
    /** Each defector's on-chain loss equals slashed bonds + dispute bonds lost + subsidy loss (read from events). */
    defectorLossExplained: boolean;
    /** The sum of every actor's on-chain delta is zero: value moved between actors, none stuck or created (markets and pacts empty). */
    actorsSumToZero: boolean;
  };
  /** Transactions of each kind, and the most gas any transaction of each kind used. */
  stats: { transactions: number; trades: number; gasUsed: bigint; counts: Record<string, number>; maxGas: Record<string, bigint>; seconds: number };
}
