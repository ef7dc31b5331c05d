// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Identifies a pool in a ConditionalPools: `keccak256(abi.encode(creator, salt))`.
type PoolId is bytes32;

/// @notice Identifies a proposal in a FutarchyDecisions. Ids start at 1; 0 means "none".
type ProposalId is uint256;
