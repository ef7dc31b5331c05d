/**
 * The system-wide invariants of Pledge Markets: registry, committee, outcome vault, LMSR market maker and
 * breach markets together. One named constant each (`id` and one sentence); assertion messages cite both
 * through `cite`, so a failure names the property it broke. The per-contract statements live in the
 * Solidity suites' InvariantSpec.sol files (test/solidity/invariant/, test/solidity/markets/); these tie
 * them together across contracts and tokens. Not a test file: it defines no tests.
 */

/** One invariant: a stable id and the one-sentence statement it checks. */
export interface Invariant {
  readonly id: string;
  readonly text: string;
}

/** Solvency of the registry, per bond token. */
export const SOLV_REGISTRY: Invariant = {
  id: "SYS-SOLV-1",
  text:
    "per token, the registry's balance equals the bonds of unsettled pledges, plus the bonds of open challenges " +
    "(twice when disputed), plus every account's claimable (the burn address included), plus the donations sent to it",
};

/** Solvency of the vault, per collateral token. */
export const SOLV_VAULT: Invariant = {
  id: "SYS-SOLV-2",
  text:
    "per token, the vault's balance equals the collateral locked by the positions of its conditions not yet paid " +
    "out (splits less merges less redemptions) plus the donations sent to it",
};

/** Solvency of the market maker, per collateral token. */
export const SOLV_MAKER: Invariant = {
  id: "SYS-SOLV-3",
  text:
    "per token, the market maker's balance equals the cash of its markets in that token plus the donations sent to " +
    "it, and every open market can pay every share it sold (cash + sets >= sold[j] for every outcome j)",
};

/** BreachMarkets holds nothing of its own. */
export const SOLV_BREACH: Invariant = {
  id: "SYS-SOLV-4",
  text:
    "per token, BreachMarkets holds exactly the donations sent to it plus the capped excess credited to " +
    "beneficiaries and not yet claimed: subsidies only pass through it (in at opening, out at withdrawal)",
};

/** Full backing of outcome tokens before resolution. */
export const BACK_PREPARED: Invariant = {
  id: "SYS-BACK-1",
  text:
    "for every prepared (unresolved) condition, each outcome's total supply, over every holder, equals the " +
    "collateral locked for the condition",
};

/** Backing after resolution. */
export const BACK_RESOLVED: Invariant = {
  id: "SYS-BACK-2",
  text:
    "for every resolved condition, what all holders can still redeem (floor of supply times numerator over " +
    "denominator, summed) never exceeds the collateral still locked for it, and redemptions never paid more than it locked",
};

/** The maker's inventory is its vault balance. */
export const MAKER_INVENTORY: Invariant = {
  id: "SYS-MKT-1",
  text:
    "for every market not withdrawn, the maker's vault balance of each outcome j is sets - sold[j] (none once " +
    "withdrawn), and sold[j] moves exactly by the shares traded",
};

/** Prices are a distribution. */
export const MAKER_PRICES: Invariant = {
  id: "SYS-MKT-2",
  text: "every breach market's prices sum to exactly 1e18",
};

/** Payout finality. */
export const PAYOUT_FINAL: Invariant = {
  id: "SYS-PAY-1",
  text:
    "a reported payout vector, whether BreachMarkets reported it for a breach market or an oracle condition's own " +
    "oracle reported it (odd vectors such as [1, 2] or [7, 1] included), never changes, has one numerator per " +
    "outcome, sums to a denominator > 0, is stored under the oracle that prepared the condition, and an unreported " +
    "condition has none",
};

/** Breach markets report the pledge's outcome. */
export const PAYOUT_MATCHES_PLEDGE: Invariant = {
  id: "SYS-PAY-2",
  text:
    "a resolved breach market reports [1, 0] (BREACH) exactly when its pledge's final outcome is Breached and " +
    "[0, 1] (HONOR) exactly when it is Honored (a Slashable or Releasable pledge at resolution ends so); an oracle " +
    "condition has no pledge and no market, and is bound by SYS-PAY-1 only",
};

/** Slash split. */
export const SLASH_SPLIT: Invariant = {
  id: "SYS-SPLIT-1",
  text:
    "a slash credits challenger reward + beneficiary (or burn) share == the slashed bond to the wei, the reward " +
    "being floor(bond * rewardBps / 10000)",
};

/** Dispute split. */
export const DISPUTE_SPLIT: Invariant = {
  id: "SYS-SPLIT-2",
  text:
    "a ruled dispute credits fee + the winner's take of the losing bond == the losing bond to the wei, the fee " +
    "being ceil(bond * feeBps / 10000), and the winner also gets its own bond back",
};

/** Claimables follow the rules. */
export const CREDITS: Invariant = {
  id: "SYS-CRED-1",
  text:
    "every account's claimable in every token equals what the model's rules credited it (refunds, rewards, " +
    "slashed shares, dispute winnings, fees) less what it claimed or flushed",
};

/** Lifecycle is monotone. */
export const LIFE_MONOTONE: Invariant = {
  id: "SYS-LIFE-1",
  text:
    "a pledge's state only moves along the documented transitions (at most one clock step and one action step " +
    "between two checks), a final state (Breached, Honored) never changes, and a bond never decreases",
};

/** State is derived from facts and the clock. */
export const LIFE_DERIVED: Invariant = {
  id: "SYS-LIFE-2",
  text:
    "each pledge's state is the one its stored facts and the block timestamp imply (the later state from each " +
    "deadline second on), and each market's state follows its condition's",
};

/** Exclusive actions. */
export const LIFE_EXCLUSIVE: Invariant = {
  id: "SYS-LIFE-3",
  text:
    "at every second at most one of each pair of exclusive actions is allowed (challenge vs finalize, dispute vs " +
    "finalize, arbiter ruling vs void, trade vs resolve), and the one allowed is the one the state implies",
};

/** The model predicts every outcome. */
export const MODEL: Invariant = {
  id: "SYS-MODEL-1",
  text:
    "every action succeeds exactly when the modelled state machine allows it, moves exactly the modelled amounts, " +
    "and a refused action reverts with the modelled custom error and changes nothing",
};

/** Reentrancy refused. */
export const REENTRY: Invariant = {
  id: "SYS-REENT-1",
  text:
    "a malicious ERC-1155 receiver re-entering the maker or the vault from its receiver hook is refused, and the " +
    "outer action still settles exactly as modelled",
};

/** Nobody takes more than the rules grant. */
export const GAIN: Invariant = {
  id: "SYS-GAIN-1",
  text:
    "no actor withdraws from a contract more of a token than it deposited into that contract plus what the rules " +
    "granted it there (registry credits, quoted sale proceeds, merges, modelled redemptions and subsidy withdrawals)",
};

/** Conservation of every token. */
export const CONSERVATION: Invariant = {
  id: "SYS-CONS-1",
  text:
    "per token, the balances of every actor, every contract and the burn address sum to everything minted: " +
    "no token is created or lost by the system",
};

/** The end state. */
export const END: Invariant = {
  id: "SYS-END-1",
  text:
    "once every deadline has passed, every dispute is ruled or voided, every pledge finalized, every market " +
    "resolved and withdrawn, and every actor has claimed, redeemed and withdrawn, each contract holds only the " +
    "donations sent to it, except the vault, which holds its donations plus exactly the rounding dust the model " +
    "accounts (collateral still locked for fully redeemed conditions, at most one wei per redemption, nested ones " +
    "included), no positions remain, " +
    "and each actor's net result is its ghost gains less its ghost losses",
};

/** The run did something. */
export const RUN: Invariant = {
  id: "SYS-RUN-1",
  text: "across the runs, every action kind succeeded at least once and refused attempts were made",
};

/** Every invariant, in the order the suite states them. */
export const ALL_INVARIANTS: readonly Invariant[] = [
  SOLV_REGISTRY,
  SOLV_VAULT,
  SOLV_MAKER,
  SOLV_BREACH,
  BACK_PREPARED,
  BACK_RESOLVED,
  MAKER_INVENTORY,
  MAKER_PRICES,
  PAYOUT_FINAL,
  PAYOUT_MATCHES_PLEDGE,
  SLASH_SPLIT,
  DISPUTE_SPLIT,
  CREDITS,
  LIFE_MONOTONE,
  LIFE_DERIVED,
  LIFE_EXCLUSIVE,
  MODEL,
  REENTRY,
  GAIN,
  CONSERVATION,
  END,
  RUN,
];

/** An assertion message: "<id>: <text> (<detail>)". */
export function cite(inv: Invariant, detail?: string): string {
  return detail === undefined ? `${inv.id}: ${inv.text}` : `${inv.id}: ${inv.text} [${detail}]`;
}
