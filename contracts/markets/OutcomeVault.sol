// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IOutcomeVault} from "../interfaces/IOutcomeVault.sol";
import {PackedERC1155} from "../tokens/PackedERC1155.sol";
import {ExactTransfer} from "../utils/ExactTransfer.sol";
import {PositionIds} from "./PositionIds.sol";
import {ConditionId, PositionId} from "../types/MarketIds.sol";

/// @title OutcomeVault
/// @notice See {IOutcomeVault}.
contract OutcomeVault is IOutcomeVault, PackedERC1155, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @inheritdoc IOutcomeVault
    uint256 public constant MAX_OUTCOMES = 8;
    /// @inheritdoc IOutcomeVault
    uint256 public constant MAX_PAYOUT_DENOMINATOR = type(uint64).max;

    /// @dev A condition in one slot (oracle, outcome count, denominator) plus the numerators, four to a slot: a
    /// binary report writes one new slot, and every split, merge and redeem reads one slot to learn the state.
    /// Every numerator is at most the denominator, itself at most MAX_PAYOUT_DENOMINATOR = 2^64 - 1.
    struct StoredCondition {
        address oracle;
        uint8 outcomeCount;
        uint64 payoutDenominator;
        uint64[MAX_OUTCOMES] payoutNumerators;
    }

    mapping(ConditionId => StoredCondition) private _conditions;

    // ------------------------------------------------------------- oracle

    /// @inheritdoc IOutcomeVault
    function prepareCondition(bytes32 questionId, uint256 outcomeCount)
        external
        nonReentrant
        returns (ConditionId conditionId)
    {
        if (outcomeCount < 2 || outcomeCount > MAX_OUTCOMES) revert OutcomeCountInvalid(outcomeCount, MAX_OUTCOMES);
        conditionId = conditionIdOf(msg.sender, questionId, outcomeCount);
        StoredCondition storage c = _conditions[conditionId];
        if (c.oracle != address(0)) {
            revert UnexpectedConditionState(conditionId, _state(c), ConditionState.None);
        }
        c.oracle = msg.sender;
        c.outcomeCount = uint8(outcomeCount); // <= MAX_OUTCOMES, checked above
        emit ConditionPrepared(conditionId, msg.sender, questionId, outcomeCount);
    }

    /// @inheritdoc IOutcomeVault
    function reportPayouts(bytes32 questionId, uint256[] calldata payoutNumerators)
        external
        nonReentrant
        returns (ConditionId conditionId)
    {
        uint256 n = payoutNumerators.length;
        // The id commits to the caller, so only the oracle can name its own condition.
        conditionId = conditionIdOf(msg.sender, questionId, n);
        StoredCondition storage c = _conditions[conditionId];
        if (c.oracle == address(0)) _revertUnknownCondition(conditionId, questionId, n);
        if (c.payoutDenominator != 0) {
            revert UnexpectedConditionState(conditionId, ConditionState.Resolved, ConditionState.Prepared);
        }
        uint256 den;
        for (uint256 i; i < n; ++i) {
            den += payoutNumerators[i]; // n <= MAX_OUTCOMES; checked, the cap is checked below
        }
        if (den == 0) revert PayoutAllZero(conditionId);
        if (den > MAX_PAYOUT_DENOMINATOR) revert PayoutDenominatorTooLarge(conditionId, den, MAX_PAYOUT_DENOMINATOR);
        for (uint256 i; i < n; ++i) {
            // Each numerator is at most den <= 2^64 - 1: the cast is exact.
            c.payoutNumerators[i] = uint64(payoutNumerators[i]);
        }
        c.payoutDenominator = uint64(den);
        emit PayoutReported(conditionId, msg.sender, questionId, payoutNumerators);
    }

    // ------------------------------------------------------------- positions

    /// @inheritdoc IOutcomeVault
    function split(IERC20 collateral, PositionId parent, ConditionId conditionId, uint256 amount)
        external
        nonReentrant
    {
        if (amount == 0) revert AmountZero();
        (, uint256 n,) = _requireState(conditionId, ConditionState.Prepared);
        if (PositionId.unwrap(parent) == 0) {
            // The collateral comes in before any position exists.
            ExactTransfer.pullExact(collateral, msg.sender, amount);
        } else {
            // Burn before mint: the mint's receiver hook must not see the parent still held.
            _burn(msg.sender, PositionId.unwrap(parent), amount);
        }
        emit PositionSplit(msg.sender, collateral, parent, conditionId, amount);
        _mintRun(msg.sender, PositionIds.base(collateral, parent, conditionId), n, amount);
    }

    /// @inheritdoc IOutcomeVault
    function merge(IERC20 collateral, PositionId parent, ConditionId conditionId, uint256 amount)
        external
        nonReentrant
    {
        if (amount == 0) revert AmountZero();
        (, uint256 n,) = _requireState(conditionId, ConditionState.Prepared);
        _burnRun(msg.sender, PositionIds.base(collateral, parent, conditionId), n, amount);
        emit PositionsMerged(msg.sender, collateral, parent, conditionId, amount);
        _payOut(collateral, parent, amount);
    }

    /// @inheritdoc IOutcomeVault
    function redeem(IERC20 collateral, PositionId parent, ConditionId conditionId)
        external
        nonReentrant
        returns (uint256 payout)
    {
        (StoredCondition storage c, uint256 n, uint256 den) = _requireState(conditionId, ConditionState.Resolved);
        uint256[] memory balances = _burnRunAll(msg.sender, PositionIds.base(collateral, parent, conditionId), n);
        uint256 weighted;
        uint256 numerators;
        for (uint256 i; i < n; ++i) {
            // Four numerators per slot: one SLOAD per four outcomes.
            if (i % 4 == 0) numerators = _numeratorSlot(c, i / 4);
            unchecked {
                // balance <= 2^128 - 1 (PackedERC1155) and numerator <= 2^64 - 1: each product is below 2^192 and
                // the sum of at most MAX_OUTCOMES = 8 of them below 2^195.
                weighted += balances[i] * uint64(numerators >> (64 * (i % 4)));
            }
        }
        // One division over the sum, rounding down: never in the redeemer's favour.
        payout = weighted / den;
        emit PayoutRedeemed(msg.sender, collateral, parent, conditionId, payout);
        if (payout != 0) _payOut(collateral, parent, payout);
    }

    // ------------------------------------------------------------- views

    /// @inheritdoc IOutcomeVault
    function conditionIdOf(address oracle, bytes32 questionId, uint256 outcomeCount)
        public
        pure
        returns (ConditionId)
    {
        return ConditionId.wrap(keccak256(abi.encode(oracle, questionId, outcomeCount)));
    }

    /// @inheritdoc IOutcomeVault
    function positionId(IERC20 collateral, PositionId parent, ConditionId conditionId, uint256 outcomeIndex)
        external
        pure
        returns (PositionId)
    {
        return PositionId.wrap(PositionIds.compute(collateral, parent, conditionId, outcomeIndex));
    }

    /// @inheritdoc IOutcomeVault
    function getCondition(ConditionId conditionId) external view returns (Condition memory condition) {
        StoredCondition storage c = _conditions[conditionId];
        condition.oracle = c.oracle;
        condition.outcomeCount = c.outcomeCount;
        condition.payoutDenominator = c.payoutDenominator;
        if (c.payoutDenominator != 0) {
            uint256 n = c.outcomeCount;
            condition.payoutNumerators = new uint256[](n);
            for (uint256 i; i < n; ++i) {
                condition.payoutNumerators[i] = c.payoutNumerators[i];
            }
        }
    }

    /// @inheritdoc IOutcomeVault
    function conditionState(ConditionId conditionId) external view returns (ConditionState) {
        return _state(_conditions[conditionId]);
    }

    /// @inheritdoc IOutcomeVault
    function collateralHeld(IERC20 collateral) external view returns (uint256) {
        return collateral.balanceOf(address(this));
    }

    // ------------------------------------------------------------- internals

    /// @dev The caller prepared no condition `(caller, questionId, length)`. If it prepared the question with another
    /// outcome count, the vector has the wrong length; otherwise the condition is unknown. Revert path only; the loop
    /// is bounded by MAX_OUTCOMES.
    function _revertUnknownCondition(ConditionId conditionId, bytes32 questionId, uint256 length) private view {
        for (uint256 count = 2; count <= MAX_OUTCOMES; ++count) {
            ConditionId other = conditionIdOf(msg.sender, questionId, count);
            if (_conditions[other].oracle != address(0)) revert PayoutLengthMismatch(other, length, count);
        }
        revert UnexpectedConditionState(conditionId, ConditionState.None, ConditionState.Prepared);
    }

    function _state(StoredCondition storage c) private view returns (ConditionState) {
        if (c.oracle == address(0)) return ConditionState.None;
        return c.payoutDenominator == 0 ? ConditionState.Prepared : ConditionState.Resolved;
    }

    /// @dev Reverts unless the condition is in `allowed`; returns its record, outcome count and payout denominator.
    /// Reads the record's first slot once (oracle in bits 0-159, outcome count in 160-167, denominator in 168-231:
    /// StoredCondition's layout) instead of once per field.
    function _requireState(ConditionId conditionId, ConditionState allowed)
        private
        view
        returns (StoredCondition storage c, uint256 outcomeCount, uint256 payoutDenominator)
    {
        c = _conditions[conditionId];
        uint256 head;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            head := sload(c.slot)
        }
        outcomeCount = uint8(head >> 160);
        payoutDenominator = uint64(head >> 168);
        ConditionState current = uint160(head) == 0
            ? ConditionState.None
            : (payoutDenominator == 0 ? ConditionState.Prepared : ConditionState.Resolved);
        if (current != allowed) revert UnexpectedConditionState(conditionId, current, allowed);
    }

    /// @dev Slot `k` of `c.payoutNumerators`: numerators `4k` to `4k + 3`, numerator `i` in bits `64 * (i % 4)` up
    /// (a `uint64[8]` packs from the low-order bytes), the slots right after the record's first one.
    function _numeratorSlot(StoredCondition storage c, uint256 k) private view returns (uint256 word) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            word := sload(add(c.slot, add(1, k)))
        }
    }

    /// @dev Pays `amount` to the caller: collateral when `parent` is 0, else minted as the parent position.
    function _payOut(IERC20 collateral, PositionId parent, uint256 amount) private {
        if (PositionId.unwrap(parent) == 0) {
            collateral.safeTransfer(msg.sender, amount);
        } else {
            _mint(msg.sender, PositionId.unwrap(parent), amount);
        }
    }
}
