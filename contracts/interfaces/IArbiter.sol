// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ChallengeId, PledgeId} from "../types/Ids.sol";

/// @title IArbiter
/// @notice Who rules on a disputed challenge. A pledge names its arbiter when it is created; the
/// registry only checks that rulings come from that address, so any contract (a k-of-n committee,
/// an adapter to an external oracle) can serve without redeploying the registry.
/// @dev The registry calls `onDisputed` once per dispute, then expects the arbiter to call
/// `IOptimisticResolution.rule` before the ruling deadline. A ruling that never comes locks
/// nothing: after the deadline anyone may void the challenge and both bonds are refunded.
interface IArbiter {
    /// @notice Tells the arbiter that a challenge on one of the pledges it arbitrates was disputed.
    /// @dev Called by the registry inside `dispute`; a revert here makes the dispute revert.
    /// @param challengeId The disputed challenge.
    /// @param pledgeId The pledge the challenge alleges was breached.
    /// @param rulingDeadline Rulings are accepted while `block.timestamp < rulingDeadline`.
    function onDisputed(ChallengeId challengeId, PledgeId pledgeId, uint64 rulingDeadline) external;
}
