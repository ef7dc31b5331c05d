import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

/*
 * The command-line interface (docs/cli.md): `npx hardhat pledge|committee|market|decision <command> --help`.
 * Every command finds the PledgeSystem (and Futarchy) deployment Ignition recorded for the connected chain
 * unless --registry / --markets / --decisions / --pools are given, acts as the first configured account unless --from (an address
 * of a configured account, or its index) says otherwise, and prints tables, or JSON with --json.
 * Amounts are in the bond token's units (its decimals read from the token).
 */

const REGISTRY = "Registry address (if empty: the PledgeSystem deployment Ignition recorded for this chain)";
const MARKETS = "BreachMarkets address (if empty: the PledgeSystem deployment Ignition recorded for this chain)";
const DECISIONS = "FutarchyDecisions address (if empty: the Futarchy deployment Ignition recorded for this chain)";
const POOLS = "ConditionalPools address (if empty: the one the decisions contract is bound to)";
const PACTS = "Pacts address (if empty: the Pacts deployment Ignition recorded for this chain)";
const LENS = "DefectionLens address (if empty: the Pacts deployment's, recorded by Ignition; none: no cost of defection)";

/** --registry, --from and --json: the options every command takes. */
function common<T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>) {
  return builder
    .addOption({ name: "registry", description: REGISTRY, defaultValue: "" })
    .addOption({
      name: "from",
      description: "Account to act as: an address of a configured account, or its index (if empty: the first)",
      defaultValue: "",
    })
    .addFlag({ name: "json", description: "Print JSON instead of tables" });
}

/** The options of `hardhat scenario` (text, checked by the scenario parser). */
const SCENARIO_OPTIONS: [string, string][] = [
  ["seed", "Random seed: the same seed gives the same run"],
  ["labs", "Number of labs"],
  ["pledgesPerLab", "Pledges (each with its breach market) per lab"],
  ["watchers", "Number of watchers"],
  ["traders", "Number of traders"],
  ["periods", "Periods of the pledges' term"],
  ["periodDays", "Days per period"],
  ["graceDays", "Grace period after expiry, days"],
  ["bond", "Bond per pledge, whole tokens"],
  ["challengeBond", "Challenge bond, whole tokens"],
  ["liquidity", "LMSR liquidity b of each breach market, whole tokens"],
  ["feeBps", "Trading fee, basis points"],
  ["tax", "Alignment tax per pledge in the first period (off-chain)"],
  ["gain", "Private gain per pledge of defecting in the first period (off-chain)"],
  ["pressure", "Growth of tax and gain per period (0.2 = 20%)"],
  ["overconfidence", "Per lab, comma-separated, 0..1: how much it discounts the chance of being caught"],
  ["detect", "Probability per period that a watcher detects a breach"],
  ["tradesPerPeriod", "Trades per period (0: each trader looks at each open market)"],
  ["maxTrades", "Stop trading after this many trades"],
  ["prior", "Public prior of a breach in the first period"],
  ["out", "Report folder (default reports/<name>)"],
  ["pact", "The labs join one pact: the keepers' share of a slashed bond, basis points (flagship: 7500)"],
  // Futarchy scenarios (release, manipulation): scripts/lib/scenario/futarchy/config.ts.
  ["stepBlocks", "release/manipulation: blocks between the traders' looks (12 s each)"],
  ["destroy", "release: LAB's value if PASS,FAIL in run (a) (e.g. 8.5,10)"],
  ["add", "release: LAB's value if PASS,FAIL in run (b) (e.g. 11.5,10)"],
  ["risk", "release: P(breach) if PASS,FAIL in run (c) (e.g. 0.07,0.1)"],
  ["seeds", "manipulation: comma-separated seeds (default 1,2,3)"],
  ["sustain", "manipulation: comma-separated blocks the attacker sustains its push (default 5,20,60,150,300)"],
  ["variantSustain", "manipulation: k of the variants (no defenders, constrained defenders, thin liquidity)"],
  ["defenders", "manipulation: number of defenders"],
  ["truth", "manipulation: LAB's value if PASS,FAIL (default 9.9,10)"],
  ["attackBond", "manipulation: the attacker's mUSD"],
  ["attackShares", "manipulation: the attacker's LAB"],
  ["breachTruth", "manipulation: true P(breach) of the breach-market attack"],
  ["breachTarget", "manipulation: the BREACH price the attacker pushes to"],
  ["breachSustain", "manipulation: comma-separated rounds of the breach-market attack"],
];

/** The options of `hardhat sweep` (text, checked by the sweep's parser, scripts/lib/sweep/config.ts). */
const SWEEP_OPTIONS: [string, string][] = [
  ["taxes", "Alignment taxes per period, comma-separated, whole tokens (default 250,500,750,1000,1250)"],
  ["bonds", "Bonds per lab, comma-separated, whole tokens (default 1000,2500,5000,10000,20000)"],
  ["detections", "Detection probabilities, comma-separated (default 0.25,0.5,0.75,1)"],
  ["labs", "Numbers of labs, comma-separated (default 2,4)"],
  ["regimes", "voluntary,bonded,pact (default all)"],
  ["periods", "Periods of the term (default 4)"],
  ["lambdas", "Rivalry weights, comma-separated (default 0,1)"],
  ["liquidityRatio", "Breach-market liquidity b as a fraction of the bond (default 0.1)"],
  ["feeBps", "Breach-market fee, basis points (default 100)"],
  ["challengeBondRatio", "Challenge bond as a fraction of the bond (default 0.05)"],
  ["keeperShareBps", "Pact: keepers' share of a slashed bond after the challenger's reward (default 5000)"],
  ["breachTarget", "The watcher buys BREACH up to this price before challenging (default 0.9)"],
  ["workers", "Worker processes, each with its own in-process network (1: this process)"],
  ["out", "Report folder (default reports/sweep)"],
];

/** --markets, for the commands that touch breach markets. */
function withMarkets<T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>) {
  return builder.addOption({ name: "markets", description: MARKETS, defaultValue: "" });
}

/** --decisions and --pools, for the commands that touch futarchy decisions. */
function withDecisions<T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>) {
  return builder
    .addOption({ name: "decisions", description: DECISIONS, defaultValue: "" })
    .addOption({ name: "pools", description: POOLS, defaultValue: "" });
}

const pledgeId = { name: "id", description: "The pledge id", type: ArgumentType.BIGINT } as const;
const proposalId = { name: "id", description: "The proposal id", type: ArgumentType.BIGINT } as const;
const pactId = { name: "id", description: "The pact id", type: ArgumentType.BIGINT } as const;
const approveFlag = {
  name: "approve",
  description: "Approve exactly the amount needed first, when the allowance is short",
} as const;

export const tasks = [
  emptyTask("pledge", "Create, challenge, dispute, settle and claim pledges").build(),
  emptyTask("committee", "Rule on disputed challenges as a committee member").build(),
  emptyTask("market", "Open, quote, trade and redeem pledges' breach markets").build(),
  emptyTask("decision", "Propose, trade, finalize and redeem futarchy decisions on governed pledges").build(),
  emptyTask("pact", "Create, join, activate, record and claim pacts: pledges that bind only when competitors are bound too").build(),

  task(["pledge", "status"], "Show a pledge: state, bond, deadlines, open challenge, breach price, governor and open proposal, who can claim what")
    .addPositionalArgument(pledgeId)
    .addOption({ name: "registry", description: REGISTRY, defaultValue: "" })
    .addOption({ name: "markets", description: MARKETS, defaultValue: "" })
    .addOption({ name: "decisions", description: DECISIONS, defaultValue: "" })
    .addOption({ name: "lens", description: LENS, defaultValue: "" })
    .addFlag({ name: "json", description: "Print JSON instead of tables" })
    .setAction(() => import("./pledge-status.js"))
    .build(),

  common(task(["pledge", "create"], "Create a pledge: post a bond on terms until an expiry"))
    .addOption({ name: "bond", description: "Bond, in token units (e.g. 1000)", defaultValue: "" })
    .addOption({ name: "token", description: "Bond token address (if empty: the recorded MockTokens token, on local chains)", defaultValue: "" })
    .addOption({ name: "expiry", description: "Expiry: +90d, +12h, an ISO date or unix seconds", defaultValue: "+90d" })
    .addOption({ name: "grace", description: "Grace after expiry in which breaches may still be challenged (7d, 12h, seconds)", defaultValue: "7d" })
    .addOption({ name: "liveness", description: "Window to dispute a challenge (1d, 6h, seconds)", defaultValue: "1d" })
    .addOption({ name: "challengeBond", description: "Challenge bond, in token units (e.g. 100)", defaultValue: "" })
    .addOption({ name: "beneficiary", description: "Who receives a slashed bond (if empty: none, a slashed bond is burned)", defaultValue: "" })
    .addOption({ name: "arbiter", description: "Arbiter address (if empty: the recorded CommitteeArbiter)", defaultValue: "" })
    .addOption({ name: "terms", description: "The terms' text (hashed with keccak256) or their 32-byte hash", defaultValue: "" })
    .addOption({ name: "uri", description: "Where the terms are published", defaultValue: "" })
    .addOption({
      name: "governor",
      description: "Who may release or amend the pledge: decisions (the FutarchyDecisions contract) or an address (if empty: none, it binds until its expiry)",
      defaultValue: "",
    })
    .addOption({ name: "decisions", description: DECISIONS, defaultValue: "" })
    .addFlag(approveFlag)
    .setAction(() => import("./pledge-create.js"))
    .build(),

  common(task(["pledge", "top-up"], "Add to a pledge's bond (pledger only)"))
    .addPositionalArgument(pledgeId)
    .addOption({ name: "amount", description: "Amount to add, in token units", defaultValue: "" })
    .addFlag(approveFlag)
    .setAction(() => import("./pledge-top-up.js"))
    .build(),

  common(task(["pledge", "challenge"], "Allege a breach: post the challenge bond with evidence"))
    .addPositionalArgument(pledgeId)
    .addOption({ name: "evidence", description: "URI of the evidence", defaultValue: "" })
    .addOption({ name: "maxBond", description: "Most you will post, in token units (if empty: the bond required now)", defaultValue: "" })
    .addFlag(approveFlag)
    .setAction(() => import("./pledge-challenge.js"))
    .build(),

  common(task(["pledge", "dispute"], "Dispute a pledge's open challenge by matching its bond; the arbiter then rules"))
    .addPositionalArgument(pledgeId)
    .addFlag(approveFlag)
    .setAction(() => import("./pledge-dispute.js"))
    .build(),

  common(task(["pledge", "finalize"], "Settle a due pledge: slash it (Slashable) or release its bond (Releasable)"))
    .addPositionalArgument(pledgeId)
    .setAction(() => import("./pledge-finalize.js"))
    .build(),

  common(task(["pledge", "claim"], "Withdraw what the registry credited to the account"))
    .addOption({ name: "token", description: "Token to claim (if empty: every token a pledge uses)", defaultValue: "" })
    .addOption({ name: "to", description: "Recipient (if empty: the account itself)", defaultValue: "" })
    .setAction(() => import("./pledge-claim.js"))
    .build(),

  withMarkets(common(task(["pledge", "settle"], "Void overdue rulings, finalize every due pledge, resolve every decided breach market")))
    .addFlag({ name: "dryRun", description: "Only list what would be done" })
    .setAction(() => import("./pledge-settle.js"))
    .build(),

  common(task(["committee", "vote"], "Vote on a pledge's disputed challenge as a committee member"))
    .addPositionalArgument(pledgeId)
    .addPositionalArgument({ name: "ruling", description: "breached or not-breached" })
    .setAction(() => import("./committee-vote.js"))
    .build(),

  withMarkets(common(task(["market", "open"], "Open a pledge's breach market, paying the LMSR subsidy b ln 2")))
    .addPositionalArgument(pledgeId)
    .addOption({ name: "liquidity", description: "LMSR liquidity b, in token units", defaultValue: "" })
    .addOption({ name: "feeBps", description: "Trading fee in basis points", type: ArgumentType.INT, defaultValue: 0 })
    .addFlag(approveFlag)
    .setAction(() => import("./market-open.js"))
    .build(),

  withMarkets(common(task(["market", "quote"], "Prices and the cost or return of trading shares of each outcome")))
    .addPositionalArgument(pledgeId)
    .addOption({ name: "amount", description: "Shares to quote, in token units", defaultValue: "1" })
    .setAction(() => import("./market-quote.js"))
    .build(),

  withMarkets(common(task(["market", "buy"], "Buy BREACH or HONOR shares of a pledge's breach market")))
    .addPositionalArgument(pledgeId)
    .addPositionalArgument({ name: "outcome", description: "BREACH or HONOR" })
    .addOption({ name: "amount", description: "Shares to buy, in token units", defaultValue: "" })
    .addOption({ name: "maxCost", description: "Most to pay, fee included (if empty: the quote plus --slippage-bps)", defaultValue: "" })
    .addOption({ name: "slippageBps", description: "Slippage allowed over the quote when --max-cost is not given", type: ArgumentType.INT, defaultValue: 50 })
    .addFlag(approveFlag)
    .setAction(() => import("./market-buy.js"))
    .build(),

  withMarkets(common(task(["market", "sell"], "Sell BREACH or HONOR shares back to the market maker")))
    .addPositionalArgument(pledgeId)
    .addPositionalArgument({ name: "outcome", description: "BREACH or HONOR" })
    .addOption({ name: "amount", description: "Shares to sell, in token units", defaultValue: "" })
    .addOption({ name: "minReturn", description: "Least to receive (if empty: the quote less --slippage-bps)", defaultValue: "" })
    .addOption({ name: "slippageBps", description: "Slippage allowed under the quote when --min-return is not given", type: ArgumentType.INT, defaultValue: 50 })
    .addFlag({ name: "approve", description: "Let the market maker move your outcome shares first (setApprovalForAll), when it may not" })
    .setAction(() => import("./market-sell.js"))
    .build(),

  withMarkets(common(task(["market", "redeem"], "Redeem your shares of a resolved breach market")))
    .addPositionalArgument(pledgeId)
    .setAction(() => import("./market-redeem.js"))
    .build(),

  withDecisions(common(task(["decision", "propose"], "Propose to release or amend a governed pledge: stake and seed both branches' pools (pledger only)")))
    .addPositionalArgument(pledgeId)
    .addOption({ name: "kind", description: "release or amend", defaultValue: "" })
    .addOption({ name: "metric", description: "price (the metric token's price in the quote token) or risk (P(breach), amendments only)", defaultValue: "price" })
    .addOption({ name: "metricToken", description: "price: the token whose price decides", defaultValue: "" })
    .addOption({ name: "quoteToken", description: "The token prices are quoted in (risk: the pools' collateral)", defaultValue: "" })
    .addOption({ name: "metricAmount", description: "price: the metric seed per branch, in token units", defaultValue: "" })
    .addOption({ name: "quoteAmount", description: "The quote seed per branch, in token units", defaultValue: "" })
    .addOption({ name: "termsHash", description: "amend: the new terms' text (hashed with keccak256) or 32-byte hash (if empty: unchanged)", defaultValue: "" })
    .addOption({ name: "termsUri", description: "amend: where the new terms are published", defaultValue: "" })
    .addOption({ name: "expiry", description: "amend: the new expiry, after the decision window (+180d, an ISO date or unix seconds)", defaultValue: "" })
    .addOption({ name: "bond", description: "amend: the new bond, at most the current one, in token units (if empty: unchanged)", defaultValue: "" })
    .addFlag({ name: "approve", description: "Approve the decisions contract for exactly the stake and seeds, when the allowance is short" })
    .setAction(() => import("./decision-propose.js"))
    .build(),

  withDecisions(task(["decision", "status"], "Show a proposal: state, end, both pools' spot prices and TWAPs, the decision so far"))
    .addPositionalArgument(proposalId)
    .addOption({ name: "registry", description: REGISTRY, defaultValue: "" })
    .addFlag({ name: "json", description: "Print JSON instead of tables" })
    .setAction(() => import("./decision-status.js"))
    .build(),

  withDecisions(common(task(["decision", "trade"], "Buy or sell a branch's metric in its pool against the branch's quote")))
    .addPositionalArgument(proposalId)
    .addOption({ name: "branch", description: "pass or fail", defaultValue: "" })
    .addOption({ name: "side", description: "buy or sell (the branch's metric)", defaultValue: "" })
    .addOption({ name: "amount", description: "The metric to buy or sell, in token units", defaultValue: "" })
    .addOption({ name: "minOut", description: "Least to receive, in token units (if empty: the quote less --slippage-bps)", defaultValue: "" })
    .addOption({ name: "slippageBps", description: "Slippage allowed under the quote when --min-out is not given", type: ArgumentType.INT, defaultValue: 50 })
    .addFlag({ name: "split", description: "Split the collateral the trade lacks into PASS and FAIL positions first" })
    .addFlag({
      name: "approve",
      description: "Approve the vault for exactly the collateral --split needs, and let the pools move your positions (setApprovalForAll)",
    })
    .setAction(() => import("./decision-trade.js"))
    .build(),

  withDecisions(common(task(["decision", "finalize"], "Decide a proposal whose window has ended; on PASS the registry executes it")))
    .addPositionalArgument(proposalId)
    .setAction(() => import("./decision-finalize.js"))
    .build(),

  withDecisions(common(task(["decision", "execute"], "Retry the execution of a passed proposal the registry refused at finalization")))
    .addPositionalArgument(proposalId)
    .setAction(() => import("./decision-execute.js"))
    .build(),

  withDecisions(common(task(["decision", "poke"], "Record an observation in both pools of a trading proposal (keeps the TWAPs following untraded prices)")))
    .addPositionalArgument(proposalId)
    .setAction(() => import("./decision-poke.js"))
    .build(),

  withDecisions(common(task(["decision", "claim"], "Withdraw your refunded (PASS) or forfeited (FAIL, beneficiary) stake of a proposal's stake token")))
    .addPositionalArgument(proposalId)
    .setAction(() => import("./decision-claim.js"))
    .build(),

  withDecisions(common(task(["decision", "redeem"], "Redeem your positions of a decided proposal for the metric and quote tokens")))
    .addPositionalArgument(proposalId)
    .addFlag({ name: "removeLiquidity", description: "First remove your liquidity (pool shares) from both pools" })
    .setAction(() => import("./decision-redeem.js"))
    .build(),

  withPacts(common(task(["pact", "create"], "Create a pact: shared terms, a quorum by a join deadline, a minimum bond, the keepers' share")))
    .addOption({ name: "minBond", description: "Least bond a member posts, in token units", defaultValue: "" })
    .addOption({ name: "quorum", description: "Members needed for the pact to bind (at least 2)", type: ArgumentType.INT, defaultValue: 2 })
    .addOption({ name: "seats", description: "Seats of an open pact (at most 32)", type: ArgumentType.INT, defaultValue: 8 })
    .addOption({ name: "members", description: "Named members, comma-separated (if empty: open to anyone)", defaultValue: "" })
    .addOption({ name: "joinBy", description: "Join deadline: +3d, an ISO date or unix seconds", defaultValue: "+3d" })
    .addOption({ name: "expiry", description: "End of the members' pledges: +90d, an ISO date or unix seconds", defaultValue: "+90d" })
    .addOption({ name: "grace", description: "Grace after expiry in which breaches may still be challenged", defaultValue: "7d" })
    .addOption({ name: "liveness", description: "Window to dispute a challenge", defaultValue: "1d" })
    .addOption({ name: "challengeBond", description: "Challenge bond, in token units", defaultValue: "" })
    .addOption({ name: "keeperBps", description: "Share of a slashed bond (after the challenger's reward) for the keepers, bps", type: ArgumentType.INT, defaultValue: 7_500 })
    .addOption({ name: "beneficiary", description: "Who receives the rest of slashed bonds (a safety fund)", defaultValue: "" })
    .addOption({ name: "arbiter", description: "Arbiter address (if empty: the recorded CommitteeArbiter)", defaultValue: "" })
    .addOption({ name: "token", description: "Bond token address (if empty: the recorded MockTokens token, on local chains)", defaultValue: "" })
    .addOption({ name: "terms", description: "The terms' text (hashed with keccak256) or their 32-byte hash", defaultValue: "" })
    .addOption({ name: "uri", description: "Where the terms are published", defaultValue: "" })
    .addOption({ name: "bonus", description: "Refund bonus you put up, shared by the members if the pact fails", defaultValue: "" })
    .addFlag(approveFlag)
    .setAction(() => import("./pact-create.js"))
    .build(),

  withPacts(common(task(["pact", "join"], "Join a pact with a bond (binding: no leaving unless it fails)")))
    .addPositionalArgument(pactId)
    .addOption({ name: "bond", description: "Bond, in token units (if empty: the pact's minimum)", defaultValue: "" })
    .addFlag({ name: "approve", description: "Approve the bond and the Pacts contract as your sponsor in the registry first, when missing" })
    .setAction(() => import("./pact-join.js"))
    .build(),

  withPacts(common(task(["pact", "activate"], "Bind an activatable pact: every member's pledge starts now")))
    .addPositionalArgument(pactId)
    .setAction(() => import("./pact-activate.js"))
    .build(),

  withPacts(task(["pact", "status"], "Show a pact: state, seats, dates, keeper accounts, every member's pledge, shares and cost of defection"))
    .addPositionalArgument(pactId)
    .addOption({ name: "registry", description: REGISTRY, defaultValue: "" })
    .addOption({ name: "lens", description: LENS, defaultValue: "" })
    .addFlag({ name: "json", description: "Print JSON instead of tables" })
    .setAction(() => import("./pact-status.js"))
    .build(),

  withPacts(common(task(["pact", "record"], "Record members' final outcomes (finalizing due pledges): a breach pays the keepers")))
    .addPositionalArgument(pactId)
    .addOption({ name: "member", description: "One member (if empty: every member whose pledge is final or due)", defaultValue: "" })
    .setAction(() => import("./pact-record.js"))
    .build(),

  withPacts(common(task(["pact", "claim"], "Take what a pact owes you: keeper shares, a refund and bonus share, the bonus back, the beneficiary's part")))
    .addPositionalArgument(pactId)
    .addOption({ name: "to", description: "Recipient (if empty: the account itself)", defaultValue: "" })
    .setAction(() => import("./pact-claim.js"))
    .build(),

  withPacts(common(task(["pact", "expel"], "Expel a member that withdrew its sponsor approval before activation (its bond goes to the beneficiary)")))
    .addPositionalArgument(pactId)
    .addOption({ name: "member", description: "The member", defaultValue: "" })
    .setAction(() => import("./pact-expel.js"))
    .build(),

  scenarioTask(),
  sweepTask(),
];

/** --pacts, for the pact commands. */
function withPacts<T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>) {
  return builder.addOption({ name: "pacts", description: PACTS, defaultValue: "" });
}

/**
 * `npx hardhat scenario <name> [--seed N] [--labs N] ...` (`npm run scenario -- ...`): an agent-based
 * scenario on the real contracts; see docs/scenarios.md. Every option is passed as text to the
 * scenario parser (scripts/lib/scenario/scenarios.ts), which checks it.
 */
function scenarioTask() {
  // The builder's type grows with each option; the loop adds string options only, so one type serves.
  type Builder = { addOption(o: { name: string; description: string; defaultValue: string }): Builder };
  const t = task("scenario", "Run an agent-based scenario on the real contracts; writes reports/<name>/")
    .addPositionalArgument({ name: "name", description: "flagship | undisputed | alone | race | scale | release | manipulation", defaultValue: "flagship" })
    .addFlag({ name: "list", description: "List the scenarios and their options" })
    .addFlag({ name: "noDispute", description: "The defector does not dispute" })
    .addFlag({ name: "noPact", description: "Each lab pledges alone (no pact)" })
    .addFlag({ name: "quiet", description: "Progress bars instead of a line per period" })
    .addFlag({ name: "noVariants", description: "manipulation: skip the variants" });
  let b = t as unknown as Builder;
  for (const [name, description] of SCENARIO_OPTIONS) b = b.addOption({ name, description, defaultValue: "" });
  return (b as unknown as typeof t).setAction(() => import("../scripts/scenario.js")).build();
}


/**
 * `npx hardhat sweep [--taxes ...] [--workers N] [--quick]` (`npm run sweep -- ...`): the regime sweep (issue 7);
 * see docs/scenarios.md, "The regime sweep". Options are passed as text to the sweep's parser, which checks them.
 */
function sweepTask() {
  type Builder = { addOption(o: { name: string; description: string; defaultValue: string }): Builder };
  const t = task("sweep", "Sweep tax x bond x detection x labs under three regimes on chain; writes reports/sweep/")
    .addFlag({ name: "quick", description: "A small grid (tests, a first look)" })
    .addFlag({ name: "helpSweep", description: "List the sweep's options and defaults" });
  let b = t as unknown as Builder;
  for (const [name, description] of SWEEP_OPTIONS) b = b.addOption({ name, description, defaultValue: "" });
  return (b as unknown as typeof t).setAction(() => import("../scripts/sweep.js")).build();
}
