// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IArbiter} from "../../contracts/interfaces/IArbiter.sol";
import {IOptimisticResolution} from "../../contracts/interfaces/IOptimisticResolution.sol";
import {ChallengeId, PledgeId} from "../../contracts/types/Ids.sol";

/// @notice An arbiter that records disputes and rules when told to: lets tests drive rulings directly.
/// `setRevertOnDispute` makes `onDisputed` fail, to test an arbiter that refuses disputes; `setBurnGasOnDispute` makes
/// it loop until it runs out of gas (an arbiter whose hook eats whatever gas the registry forwards). An arbiter that
/// never rules is this mock left alone.
contract MockArbiter is IArbiter {
    error ArbiterRefused(ChallengeId challengeId);

    IOptimisticResolution public immutable registry;
    bool public revertOnDispute;
    bool public burnGasOnDispute;
    uint256 public spins;
    uint256 public disputesReceived;
    ChallengeId public lastChallenge;

    constructor(IOptimisticResolution registry_) {
        registry = registry_;
    }

    function setRevertOnDispute(bool v) external {
        revertOnDispute = v;
    }

    function setBurnGasOnDispute(bool v) external {
        burnGasOnDispute = v;
    }

    function onDisputed(ChallengeId challengeId, PledgeId, uint64) external {
        if (revertOnDispute) revert ArbiterRefused(challengeId);
        while (burnGasOnDispute) {
            ++spins;
        }
        ++disputesReceived;
        lastChallenge = challengeId;
    }

    function rule(ChallengeId challengeId, bool breached) external {
        registry.rule(challengeId, breached);
    }
}
