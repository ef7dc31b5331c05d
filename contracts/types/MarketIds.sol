// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Identifies a condition in an OutcomeVault: `keccak256(abi.encode(oracle, questionId, outcomeCount))`.
type ConditionId is bytes32;

/// @notice Identifies an ERC-1155 outcome position in an OutcomeVault (its token id). 0 means "the collateral itself"
/// wherever a parent position is expected.
type PositionId is uint256;
