// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Identifies a pledge in a PledgeRegistry. Ids start at 1; 0 means "none".
type PledgeId is uint256;

/// @notice Identifies a challenge (an alleged breach) in a PledgeRegistry. Ids start at 1; 0 means "none".
type ChallengeId is uint256;

/// @notice Identifies a pact in a Pacts contract. Ids start at 1; 0 means "none".
type PactId is uint256;
