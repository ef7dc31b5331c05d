// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ConditionId, PositionId} from "../types/MarketIds.sol";

/// @title IOutcomeVault
/// @notice Conditional tokens: ERC-1155 outcome positions backed by any ERC-20 collateral that transfers exact
/// amounts. An oracle prepares a condition (a question with 2 to `MAX_OUTCOMES` outcomes); anyone splits
/// collateral, or a position, into the full set of the condition's single-outcome positions and merges a full set
/// back; the oracle reports a payout vector once; holders redeem their positions for their share.
/// @dev Lifecycle of a condition, derived from stored facts by `conditionState`: None -> Prepared (by
/// `prepareCondition`) -> Resolved (by `reportPayouts`, final). Split and merge accept Prepared only; redeem accepts
/// Resolved only. Merging is not possible after resolution: holders redeem instead (a full set redeems for exactly
/// its amount less rounding, because the numerators sum to the denominator).
///
/// Position ids: `positionId(collateral, parent, condition, i) = (uint256(keccak256(abi.encode(collateral, parent,
/// condition))) & ~0xff) | i`, where `parent == 0` means the collateral itself: one hash per set, the outcome index
/// in the low byte, so a condition's outcomes are consecutive ids from an even one. Ids are order-dependent:
/// splitting on A then on B gives other ids than B then A. We do not need Gnosis's order-independent elliptic-curve
/// collection ids (about 7.4k gas per square-root attempt) because our nesting always has the decision condition
/// first and the breach condition second. A split always produces the full set of single outcomes (no custom
/// partitions).
///
/// Balances: a holder's balances of outcomes `2k` and `2k + 1` of a set share one storage slot (PackedERC1155), so a
/// binary split, merge or redeem writes one balance slot, not two. A balance is at most `2^128 - 1`: a split, mint
/// or transfer that would take one beyond reverts `PackedERC1155.PackedBalanceOverflow`.
///
/// Nested positions: a split with `parent != 0` burns `amount` of `parent` and mints the children; their ids
/// commit to `parent`, so they only ever convert back into `parent` (merge, redeem), never into collateral.
/// `collateral` is then a namespace only: the vault does not check that `parent` was built on it.
///
/// Token assumptions: the collateral moves exactly the amounts asked (inflows are measured and a shortfall reverts
/// `TokenTransferMismatch`), does not rebase and has no transfer hooks into this vault. Payout sums are capped at
/// `MAX_PAYOUT_DENOMINATOR` (2^64 - 1), so with balances below 2^128 a redemption's weighted sum stays below 2^195.
/// Every state-changing vault function (prepare, report, split, merge, redeem) is non-reentrant; ERC-1155 transfers
/// and approvals are not (as in OpenZeppelin's ERC1155: they write both balances before the receiver hook). Receiver
/// hooks run after all bookkeeping and events, and burns always precede mints.
interface IOutcomeVault is IERC1155 {
    /// @notice Where a condition stands. `None` for unknown ids.
    enum ConditionState {
        None,
        Prepared,
        Resolved
    }

    /// @notice A condition as stored.
    /// @param oracle The only account that may report its payouts (the account that prepared it).
    /// @param outcomeCount Number of outcomes, 2 to `MAX_OUTCOMES`.
    /// @param payoutDenominator Sum of the payout numerators; 0 until resolved.
    /// @param payoutNumerators One per outcome; empty until resolved.
    struct Condition {
        address oracle;
        uint8 outcomeCount;
        uint256 payoutDenominator;
        uint256[] payoutNumerators;
    }

    /// @notice Emitted when `oracle` prepares a condition.
    event ConditionPrepared(
        ConditionId indexed conditionId, address indexed oracle, bytes32 indexed questionId, uint256 outcomeCount
    );

    /// @notice Emitted when `stakeholder` splits `amount` of `parent` (collateral when 0) into the full set of
    /// `conditionId`'s outcome positions (the ERC-1155 TransferBatch of the mint follows). Indexed by the two keys
    /// one filters on, the account and the condition; each further topic would cost 119 gas more than a data word.
    event PositionSplit(
        address indexed stakeholder,
        IERC20 collateral,
        PositionId parent,
        ConditionId indexed conditionId,
        uint256 amount
    );

    /// @notice Emitted when `stakeholder` merges `amount` of the full set of `conditionId`'s outcome positions back
    /// into `parent` (collateral when 0), after the ERC-1155 TransferBatch of the burn.
    event PositionsMerged(
        address indexed stakeholder,
        IERC20 collateral,
        PositionId parent,
        ConditionId indexed conditionId,
        uint256 amount
    );

    /// @notice Emitted when the oracle resolves a condition.
    event PayoutReported(
        ConditionId indexed conditionId, address indexed oracle, bytes32 indexed questionId, uint256[] payoutNumerators
    );

    /// @notice Emitted when `redeemer` burns all its positions of `conditionId` under `parent` and receives `payout`
    /// of `parent` (collateral when 0), after the ERC-1155 TransferBatch of the burn.
    event PayoutRedeemed(
        address indexed redeemer,
        IERC20 collateral,
        PositionId parent,
        ConditionId indexed conditionId,
        uint256 payout
    );

    /// @notice The outcome count is below 2 or above `max`.
    error OutcomeCountInvalid(uint256 outcomeCount, uint256 max);
    /// @notice The condition is in `current`, the entry point accepts only `allowed`.
    error UnexpectedConditionState(ConditionId conditionId, ConditionState current, ConditionState allowed);
    /// @notice A split or merge of zero.
    error AmountZero();
    /// @notice The payout vector has `length` entries, the caller's condition `conditionId` on that question
    /// `outcomeCount` outcomes.
    error PayoutLengthMismatch(ConditionId conditionId, uint256 length, uint256 outcomeCount);
    /// @notice Every payout numerator is zero.
    error PayoutAllZero(ConditionId conditionId);
    /// @notice The payout numerators sum to `denominator`, above `max`.
    error PayoutDenominatorTooLarge(ConditionId conditionId, uint256 denominator, uint256 max);
    /// @notice `positionId` was asked for an outcome index above `max` (the index is an id's low byte).
    error OutcomeIndexTooLarge(uint256 outcomeIndex, uint256 max);
    /// @notice The vault received `received` of `token` where `expected` was sent (fee-on-transfer token).
    error TokenTransferMismatch(IERC20 token, uint256 expected, uint256 received);

    /// @notice Prepares a condition with the caller as its oracle.
    /// @param questionId The oracle's identifier of the question.
    /// @param outcomeCount Number of outcomes, 2 to `MAX_OUTCOMES`.
    /// @return conditionId `keccak256(abi.encode(msg.sender, questionId, outcomeCount))`.
    function prepareCondition(bytes32 questionId, uint256 outcomeCount) external returns (ConditionId conditionId);

    /// @notice Splits `amount` of `parent` into `amount` of each of `conditionId`'s outcome positions under `parent`.
    /// When `parent` is 0, pulls exactly `amount` of `collateral` from the caller (needs an allowance); otherwise burns
    /// `amount` of the caller's `parent` position first. The condition must be Prepared.
    /// @param collateral The collateral token (the namespace of the ids when `parent != 0`).
    /// @param parent The position to split, 0 for the collateral itself.
    /// @param conditionId The condition to split on.
    /// @param amount How much to split; not zero.
    function split(IERC20 collateral, PositionId parent, ConditionId conditionId, uint256 amount) external;

    /// @notice Merges `amount` of the full set of `conditionId`'s outcome positions under `parent` back into `parent`:
    /// burns `amount` of each of the caller's outcome positions first, then mints `amount` of `parent` or, when
    /// `parent` is 0, pays `amount` of `collateral`. The condition must be Prepared (after resolution, redeem).
    /// @param collateral The collateral token.
    /// @param parent The position to merge into, 0 for the collateral itself.
    /// @param conditionId The condition to merge on.
    /// @param amount How much to merge; not zero.
    function merge(IERC20 collateral, PositionId parent, ConditionId conditionId, uint256 amount) external;

    /// @notice Resolves the condition `(msg.sender, questionId, payoutNumerators.length)`: only its oracle can (the id
    /// is derived from the caller), and only once. Outcome `i` pays `payoutNumerators[i] / sum(payoutNumerators)` per
    /// unit. Reverts `PayoutLengthMismatch` when the caller prepared `questionId` with another outcome count, and
    /// `UnexpectedConditionState(id, None, Prepared)` when it prepared no such question.
    /// @param questionId The question the caller prepared.
    /// @param payoutNumerators One per outcome, not all zero, summing to at most `MAX_PAYOUT_DENOMINATOR`.
    /// @return conditionId The resolved condition.
    function reportPayouts(bytes32 questionId, uint256[] calldata payoutNumerators)
        external
        returns (ConditionId conditionId);

    /// @notice Burns the caller's whole balance of every outcome position of `conditionId` under `parent`, then pays
    /// `floor(sum_i balance_i * payoutNumerators[i] / payoutDenominator)`: one division over the sum, rounding down,
    /// in the vault's favour. Paid in `collateral` when `parent` is 0, else minted as `parent`. The condition must be
    /// Resolved. Holding nothing redeems nothing (and does not revert).
    /// @param collateral The collateral token.
    /// @param parent The position the outcome positions were split from, 0 for the collateral itself.
    /// @param conditionId The resolved condition.
    /// @return payout What the caller received.
    function redeem(IERC20 collateral, PositionId parent, ConditionId conditionId) external returns (uint256 payout);

    /// @notice The most outcomes a condition may have, which bounds every loop over outcomes.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_OUTCOMES() external view returns (uint256);

    /// @notice The largest allowed sum of payout numerators.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_PAYOUT_DENOMINATOR() external view returns (uint256);

    /// @notice The id of a condition: `keccak256(abi.encode(oracle, questionId, outcomeCount))`.
    function conditionIdOf(address oracle, bytes32 questionId, uint256 outcomeCount)
        external
        pure
        returns (ConditionId);

    /// @notice The id of outcome `outcomeIndex` of `conditionId` under `parent` (0: the collateral itself):
    /// `(uint256(keccak256(abi.encode(collateral, parent, conditionId))) & ~0xff) | outcomeIndex`. Order-dependent;
    /// not checked against the condition's outcome count; reverts `OutcomeIndexTooLarge` above 255.
    function positionId(IERC20 collateral, PositionId parent, ConditionId conditionId, uint256 outcomeIndex)
        external
        pure
        returns (PositionId);

    /// @notice A condition as stored (all zero for unknown ids).
    function getCondition(ConditionId conditionId) external view returns (Condition memory);

    /// @notice Where a condition stands, derived from the stored oracle and payout denominator.
    function conditionState(ConditionId conditionId) external view returns (ConditionState);

    /// @notice The vault's balance of `collateral`: the backing of every top-level position on it, plus anything
    /// sent to the vault directly (such donations are never paid out; they stay as unaccounted dust).
    function collateralHeld(IERC20 collateral) external view returns (uint256);
}
