// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Identifies a pledge in a PledgeRegistry. Ids start at 1; 0 means "none".
type PledgeId is uint256;

/// @notice Identifies a challenge (an alleged breach) in a PledgeRegistry. Ids start at 1; 0 means "none".
type ChallengeId is uint256;

using {eqPledge as ==} for PledgeId global;
using {eqChallenge as ==} for ChallengeId global;

function eqPledge(PledgeId a, PledgeId b) pure returns (bool) {
    return PledgeId.unwrap(a) == PledgeId.unwrap(b);
}

function eqChallenge(ChallengeId a, ChallengeId b) pure returns (bool) {
    return ChallengeId.unwrap(a) == ChallengeId.unwrap(b);
}
