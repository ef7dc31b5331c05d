// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {PoolId, ProposalId} from "../types/FutarchyIds.sol";
import {PledgeId} from "../types/Ids.sol";
import {ConditionId} from "../types/MarketIds.sol";
import {IBreachMarkets} from "./IBreachMarkets.sol";
import {IConditionalPools} from "./IConditionalPools.sol";
import {IOutcomeVault} from "./IOutcomeVault.sol";
import {IPledgeRegistry} from "./IPledgeRegistry.sol";

/// @title IFutarchyDecisions
/// @notice Decision markets that bind a pledger who wants out. A pledge created with this contract as its governor
/// (`IPledgeRegistry.createGovernedPledge`) can be released early or amended only if a decision market says so: the
/// pledger proposes, stakes and seeds liquidity; traders trade conditional tokens of both branches for a fixed
/// window; after it, anyone finalizes, and PASS executes the release or the amendment in the registry (without
/// slashing), FAIL leaves the pledge binding.
/// @dev Each proposal prepares a binary decision condition in the vault with this contract as its oracle (outcome
/// `PASS` = 0, `FAIL` = 1) and reports `[1, 0]` or `[0, 1]` at finalization, so trades in the branch not taken are
/// void: whoever only split and merged gets exactly its collateral back, and a PASS (FAIL) position redeems 1:1
/// for its collateral exactly when the decision is PASS (FAIL).
///
/// Metrics, chosen by the proposal:
/// - `Price` (as MetaDAO): a metric token and a quote token are each split into PASS and FAIL versions; the pools
///   PASS-metric/PASS-quote and FAIL-metric/FAIL-quote are seeded from the proposer's liquidity at the same reference
///   price. PASS iff `twap(PASS) * BPS > twap(FAIL) * (BPS + thresholdBps)`.
/// - `Risk` (amendments only): the quote token is split into PASS and FAIL, each branch split again on the pledge's
///   breach condition (its breach market must be open), and the pools BREACH|branch/HONOR|branch are seeded at the
///   breach market's current probability. A pool's price `x` (HONOR per BREACH) is the odds of a breach, so the
///   probability of a breach given the branch is `x / (1 + x)`, read from the branch's TWAP. PASS iff
///   `P(breach | PASS) <= P(breach | FAIL) + thresholdBps / BPS` (and not equal: see below). A release cannot use it: released, the pledge
///   ends, so "breach given PASS" would be low by construction.
/// Equal values FAIL, for both metrics: a tie, and a window with no trade (both oracles stay at the common
/// reference), leave the pledge as it is. So for `Risk`, PASS iff `pass != fail` and `pass <= fail + tolerance`.
///
/// Lifecycle of a proposal, derived by `proposalState`: None -> Trading (`now < end`) -> Decidable (`now >= end`)
/// -> Passed | Failed (by `finalize`). A Passed proposal whose execution the registry refused (the pledge was under
/// challenge at finalization, say) stays Passed with `executed == false` until `execute` succeeds; the decision
/// itself is final either way.
///
/// Stake: `stakeBps` of the pledge's bond, in the bond token, pulled at proposal; refunded to the proposer on PASS,
/// forfeited on FAIL to the pledge's beneficiary (burned, sent to 0x…dEaD, when it has none); pull payments.
/// Liquidity: the proposer's seeds are split and pooled; the pools' shares are credited to the proposer, who
/// removes them from the pools when it likes (ConditionalPools accepts removals in every state).
///
/// Token assumptions: the stake, metric and quote tokens move exact amounts (inflows are measured; a shortfall
/// reverts).
interface IFutarchyDecisions {
    /// @notice What a proposal asks the registry to do on PASS.
    enum Kind {
        Release,
        Amend
    }

    /// @notice What the markets measure.
    enum Metric {
        Price,
        Risk
    }

    /// @notice Where a proposal stands. `None` for unknown ids.
    enum ProposalState {
        None,
        Trading,
        Decidable,
        Passed,
        Failed
    }

    /// @notice The parameters of one kind of decision, fixed at deployment.
    /// @param window Seconds of trading, from the proposal's block.
    /// @param twapDelay Seconds at the start of the window the oracles do not count.
    /// @param thresholdBps Price: the margin PASS must beat FAIL by; Risk: the tolerance on the breach probability.
    /// @param maxStepBps The oracles' step cap per block, in basis points of the reference price.
    /// @param feeBps The pools' swap fee.
    /// @param stakeBps The stake, in basis points of the pledge's bond.
    /// @param cooldown Seconds after a failed proposal before the pledge may have another.
    struct DecisionParams {
        uint32 window;
        uint32 twapDelay;
        uint16 thresholdBps;
        uint16 maxStepBps;
        uint16 feeBps;
        uint16 stakeBps;
        uint32 cooldown;
    }

    /// @notice A proposal as read (`getProposal`). The decision condition and the pool ids are derived from the
    /// proposal id, not stored: `decision = vault.conditionIdOf(this, bytes32(proposalId), 2)`, `passPool` and
    /// `failPool = pools.poolIdOf(this, keccak256(abi.encode(proposalId, PASS or FAIL)))`.
    /// @param decided Whether `finalize` ran; `passed` is meaningful only then.
    /// @param executed Whether the registry carried out a passed proposal.
    /// @param expiry, bond, termsHash The amendment (zero for a release).
    struct Proposal {
        PledgeId pledgeId;
        address proposer;
        Kind kind;
        Metric metric;
        bool decided;
        bool passed;
        bool executed;
        uint64 end;
        IERC20 metricToken;
        IERC20 quoteToken;
        IERC20 stakeToken;
        uint128 stake;
        ConditionId decision;
        PoolId passPool;
        PoolId failPool;
        bytes32 termsHash;
        uint64 expiry;
        uint128 bond;
    }

    /// @notice A proposal was made; its pools trade until `end`.
    event ProposalCreated(
        ProposalId indexed proposalId,
        PledgeId indexed pledgeId,
        address indexed proposer,
        Kind kind,
        Metric metric,
        ConditionId decision,
        PoolId passPool,
        PoolId failPool,
        uint64 end,
        uint256 stake
    );
    /// @notice An amendment's terms, emitted with its proposal.
    event AmendmentProposed(
        ProposalId indexed proposalId, bytes32 termsHash, string termsURI, uint64 expiry, uint128 bond
    );
    /// @notice The decision was reached from the two branches' averages (the values compared: prices for `Price`,
    /// breach probabilities for `Risk`, WAD).
    event ProposalFinalized(ProposalId indexed proposalId, bool passed, uint256 passValue, uint256 failValue);
    /// @notice The registry carried out a passed proposal.
    event ProposalExecuted(ProposalId indexed proposalId, PledgeId indexed pledgeId, Kind kind);
    /// @notice The registry refused a passed proposal at finalization (`reason` is its revert data); `execute`
    /// retries.
    event ExecutionFailed(ProposalId indexed proposalId, bytes reason);
    /// @notice An amount was credited to an account's claimable balance (stake refunds and forfeits).
    event ClaimCredited(address indexed account, IERC20 indexed token, uint256 amount);
    /// @notice Forfeited stakes of pledges without a beneficiary were sent to 0x…dEaD.
    event BurnFlushed(IERC20 indexed token, uint256 amount);
    /// @notice An account withdrew its claimable balance.
    event Claimed(address indexed account, IERC20 indexed token, address indexed to, uint256 amount);

    /// @notice No proposal has this id.
    error ProposalUnknown(ProposalId proposalId);
    /// @notice The proposal is in `current`; the entry point needs `allowed`.
    error UnexpectedProposalState(ProposalId proposalId, ProposalState current, ProposalState allowed);
    /// @notice The pledge does not name this contract as its governor.
    error PledgeNotGoverned(PledgeId pledgeId, address governor);
    /// @notice Only the pledger proposes.
    error CallerNotPledger(PledgeId pledgeId, address caller, address pledger);
    /// @notice The pledge is in `current`, not Active.
    error PledgeNotActive(PledgeId pledgeId, IPledgeRegistry.PledgeState current);
    /// @notice The pledge's term ended at `expiry` (it may be in its grace period, or released): nothing is left to
    /// release or amend, and a late amendment could lower the bond while breaches of the ended term are still
    /// challengeable.
    error PledgeTermEnded(PledgeId pledgeId, uint64 expiry, uint256 nowTs);
    /// @notice The pledge has an open proposal already.
    error ProposalAlreadyOpen(PledgeId pledgeId, ProposalId open);
    /// @notice The pledge's last proposal failed; another may come at `until`.
    error CooldownActive(PledgeId pledgeId, uint256 until, uint256 nowTs);
    /// @notice The Risk metric with a release, or a Risk proposal on a pledge without an open breach market.
    error MetricUnavailable(Kind kind, Metric metric);
    /// @notice A zero token, the same token for metric and quote, or a seed of zero.
    error LiquidityInvalid(IERC20 metricToken, IERC20 quoteToken, uint256 metricAmount, uint256 quoteAmount);
    /// @notice An amendment whose expiry is not after the window's end or whose bond is zero or above the current.
    error AmendmentInvalid(uint64 expiry, uint128 bond, uint64 windowEnd, uint128 currentBond);
    /// @notice A passed proposal was executed already.
    error ProposalAlreadyExecuted(ProposalId proposalId);
    /// @notice Decision parameters that are out of range or that an attacker could beat in fewer than
    /// `MIN_ATTACK_BLOCKS` blocks (`blocksNeeded`).
    error ParamsUnsafe(Kind kind, string field, uint256 value, uint256 blocksNeeded);
    /// @notice The token moved a different amount than asked.
    error TokenTransferMismatch(IERC20 token, uint256 expected, uint256 received);
    /// @notice The account has nothing to claim in this token.
    error NothingToClaim(address account, IERC20 token);
    /// @notice Claim to the zero address or to this contract.
    error ClaimRecipientInvalid(address to);

    /// @notice Proposes to release (`Kind.Release`) or amend a pledge whose governor is this contract. Only the
    /// pledger, only while the pledge is Active and its term runs (`now < expiry`: a released pledge takes no
    /// further proposal), with no proposal open and no cooldown running. Pulls the stake
    /// (bond token) and the liquidity (approve this contract for each token first), prepares the decision
    /// condition, splits and seeds both branches' pools (shares to the caller), and opens trading until
    /// `now + window`.
    /// @param pledgeId The pledge.
    /// @param kind Release or Amend.
    /// @param metric Price or Risk (Risk only for Amend).
    /// @param metricToken The token whose price decides (`Price`); ignored for `Risk` (pass zero).
    /// @param quoteToken The token prices are quoted in (`Price`), or the collateral of the conditional breach pools
    /// (`Risk`).
    /// @param metricAmount The metric seed per branch (`Price`); ignored for `Risk`.
    /// @param quoteAmount The quote seed per branch.
    /// @param amendment The new terms (`Amend`): expiry after the window ends, bond not zero and at most the current
    /// bond; ignored for `Release`.
    /// @return proposalId The new proposal.
    function propose(
        PledgeId pledgeId,
        Kind kind,
        Metric metric,
        IERC20 metricToken,
        IERC20 quoteToken,
        uint128 metricAmount,
        uint128 quoteAmount,
        IPledgeRegistry.Amendment calldata amendment
    ) external returns (ProposalId proposalId);

    /// @notice Decides a proposal whose window has ended, reports the decision to the vault, settles the stake and,
    /// on PASS, asks the registry to execute (a refusal is recorded, not reverted: see `execute`). Permissionless.
    /// @param proposalId The proposal, Decidable.
    /// @return passed The decision.
    function finalize(ProposalId proposalId) external returns (bool passed);

    /// @notice Retries the registry execution of a Passed proposal that was refused at finalization; reverts with
    /// the registry's error if it refuses again. Permissionless.
    /// @param proposalId The proposal, Passed and not executed.
    function execute(ProposalId proposalId) external;

    /// @notice Sends stakes forfeited by pledges without a beneficiary (credited to 0x…dEaD) to 0x…dEaD.
    /// Permissionless.
    /// @param token The token.
    /// @return amount The amount sent.
    function flushBurned(IERC20 token) external returns (uint256 amount);

    /// @notice Withdraws the caller's whole claimable balance of a token to `to`.
    /// @param token The token.
    /// @param to The recipient.
    /// @return amount The amount paid.
    function claim(IERC20 token, address to) external returns (uint256 amount);

    /// @notice The values the decision compares now (or at the end, once Decidable): for `Price` the two TWAPs, for
    /// `Risk` the two breach probabilities (WAD), and whether PASS would win. Reverts before any time counted.
    /// @param proposalId The proposal.
    /// @return passValue The PASS branch's value.
    /// @return failValue The FAIL branch's value.
    /// @return passing Whether the rule passes on them.
    function standing(ProposalId proposalId)
        external
        view
        returns (uint256 passValue, uint256 failValue, bool passing);

    /// @notice The pure decision rule.
    /// @param metric The metric.
    /// @param passValue The PASS branch's value (TWAP for `Price`, breach probability for `Risk`).
    /// @param failValue The FAIL branch's value.
    /// @param thresholdBps The kind's threshold (Price) or tolerance (Risk).
    /// @return Whether PASS wins.
    function decide(Metric metric, uint256 passValue, uint256 failValue, uint256 thresholdBps)
        external
        pure
        returns (bool);

    /// @notice Reads a proposal.
    /// @param proposalId The proposal.
    /// @return The stored proposal (all zero if unknown).
    function getProposal(ProposalId proposalId) external view returns (Proposal memory);

    /// @notice A proposal's state now.
    /// @param proposalId The proposal.
    /// @return The derived state.
    function proposalState(ProposalId proposalId) external view returns (ProposalState);

    /// @notice A pledge's open proposal (0 when none) and the time its cooldown ends (0 when none ran).
    /// @param pledgeId The pledge.
    /// @return open The open proposal.
    /// @return cooldownUntil The first second another proposal is accepted after a failure.
    function pledgeProposals(PledgeId pledgeId) external view returns (ProposalId open, uint64 cooldownUntil);

    /// @notice The parameters of a kind of decision.
    /// @param kind The kind.
    /// @return The parameters fixed at deployment.
    function paramsOf(Kind kind) external view returns (DecisionParams memory);

    /// @notice What an account can claim in a token.
    /// @param account The account (0x…dEaD for burned stakes).
    /// @param token The token.
    /// @return The claimable amount.
    function claimable(address account, IERC20 token) external view returns (uint256);

    /// @notice The number of proposals so far (the last id).
    /// @return The count.
    function proposalCount() external view returns (uint256);

    /// @notice The registry whose pledges this contract governs.
    /// @return The registry.
    function registry() external view returns (IPledgeRegistry);

    /// @notice The vault of the decision conditions.
    /// @return The vault.
    function vault() external view returns (IOutcomeVault);

    /// @notice The pools.
    /// @return The pools.
    function pools() external view returns (IConditionalPools);

    /// @notice The breach markets (the Risk metric's breach conditions).
    /// @return The breach markets.
    function breachMarkets() external view returns (IBreachMarkets);

    /// @notice The fewest blocks an attacker must hold a branch's spot for to move its TWAP by the threshold,
    /// below which deployment refuses a kind's parameters (`TwapOracle.minAttackUpdates` at `blockTime`).
    /// @return The minimum.
    function MIN_ATTACK_BLOCKS() external view returns (uint256);
}
