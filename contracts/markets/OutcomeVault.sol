// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IOutcomeVault} from "../interfaces/IOutcomeVault.sol";
import {ExactTransfer} from "../utils/ExactTransfer.sol";
import {PositionIds} from "./PositionIds.sol";
import {ConditionId, PositionId} from "../types/MarketIds.sol";

/// @title OutcomeVault
/// @notice See {IOutcomeVault}.
contract OutcomeVault is IOutcomeVault, ERC1155, ReentrancyGuardTransient {
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

    constructor() ERC1155("") {}

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
        StoredCondition storage c = _requireState(conditionId, ConditionState.Prepared);
        (uint256[] memory ids, uint256[] memory amounts) = _fullSet(collateral, parent, conditionId, c, amount);
        if (PositionId.unwrap(parent) == 0) {
            // The collateral comes in before any position exists.
            _pullExact(collateral, msg.sender, amount);
        } else {
            // Burn before mint: the mint's receiver hook must not see the parent still held.
            _burn(msg.sender, PositionId.unwrap(parent), amount);
        }
        emit PositionSplit(msg.sender, collateral, parent, conditionId, amount);
        _mintBatch(msg.sender, ids, amounts, "");
    }

    /// @inheritdoc IOutcomeVault
    function merge(IERC20 collateral, PositionId parent, ConditionId conditionId, uint256 amount)
        external
        nonReentrant
    {
        if (amount == 0) revert AmountZero();
        StoredCondition storage c = _requireState(conditionId, ConditionState.Prepared);
        (uint256[] memory ids, uint256[] memory amounts) = _fullSet(collateral, parent, conditionId, c, amount);
        _burnBatch(msg.sender, ids, amounts);
        emit PositionsMerged(msg.sender, collateral, parent, conditionId, amount);
        _payOut(collateral, parent, amount);
    }

    /// @inheritdoc IOutcomeVault
    function redeem(IERC20 collateral, PositionId parent, ConditionId conditionId)
        external
        nonReentrant
        returns (uint256 payout)
    {
        StoredCondition storage c = _requireState(conditionId, ConditionState.Resolved);
        uint256 n = c.outcomeCount;
        uint256[] memory ids = new uint256[](n);
        uint256[] memory balances = new uint256[](n);
        uint256 weighted;
        for (uint256 i; i < n; ++i) {
            uint256 id = _positionId(collateral, parent, conditionId, i);
            uint256 balance = balanceOf(msg.sender, id);
            ids[i] = id;
            balances[i] = balance;
            // Checked: overflows only for balances above 2^190 (denominator capped at 2^64 - 1).
            weighted += balance * c.payoutNumerators[i];
        }
        // One division over the sum, rounding down: never in the redeemer's favour.
        payout = weighted / c.payoutDenominator;
        _burnBatch(msg.sender, ids, balances);
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
        return PositionId.wrap(_positionId(collateral, parent, conditionId, outcomeIndex));
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

    function _requireState(ConditionId conditionId, ConditionState allowed)
        private
        view
        returns (StoredCondition storage c)
    {
        c = _conditions[conditionId];
        ConditionState current = _state(c);
        if (current != allowed) revert UnexpectedConditionState(conditionId, current, allowed);
    }

    /// @dev The ids of every outcome of `c` under `parent`, each with `amount`; at most MAX_OUTCOMES entries.
    function _fullSet(
        IERC20 collateral,
        PositionId parent,
        ConditionId conditionId,
        StoredCondition storage c,
        uint256 amount
    )
        private
        view
        returns (uint256[] memory ids, uint256[] memory amounts)
    {
        uint256 n = c.outcomeCount;
        ids = new uint256[](n);
        amounts = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            ids[i] = _positionId(collateral, parent, conditionId, i);
            amounts[i] = amount;
        }
    }

    function _positionId(IERC20 collateral, PositionId parent, ConditionId conditionId, uint256 outcomeIndex)
        private
        pure
        returns (uint256)
    {
        return PositionIds.compute(collateral, parent, conditionId, outcomeIndex);
    }

    /// @dev Pulls exactly `amount` or reverts (refuses fee-on-transfer tokens).
    function _pullExact(IERC20 token, address from, uint256 amount) private {
        uint256 received = ExactTransfer.pull(token, from, amount);
        if (received != amount) revert TokenTransferMismatch(token, amount, received);
    }

    /// @dev Pays `amount` to the caller: collateral when `parent` is 0, else minted as the parent position.
    function _payOut(IERC20 collateral, PositionId parent, uint256 amount) private {
        if (PositionId.unwrap(parent) == 0) {
            collateral.safeTransfer(msg.sender, amount);
        } else {
            _mint(msg.sender, PositionId.unwrap(parent), amount, "");
        }
    }
}
