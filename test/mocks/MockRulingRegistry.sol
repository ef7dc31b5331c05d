// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IArbiter} from "../../contracts/interfaces/IArbiter.sol";
import {IPledgeRegistry} from "../../contracts/interfaces/IPledgeRegistry.sol";
import {ChallengeId, PledgeId} from "../../contracts/types/Ids.sol";

/// @notice TEST DOUBLE: the few registry functions an arbiter adapter calls (`config`, `getPledge`, `rule`),
/// with a switch that makes `rule` refuse, so tests can fail a ruling and then let a retry through. It is not a
/// registry: no pledges, no bonds. `notifyDispute` plays the registry's call to `onDisputed`.
contract MockRulingRegistry {
    error MockRulingRefused(ChallengeId challengeId);

    uint32 public immutable arbitrationTimeout;
    bool public refuseRulings;
    uint256 public rulings;
    ChallengeId public lastChallenge;
    bool public lastBreached;

    constructor(uint32 arbitrationTimeout_) {
        arbitrationTimeout = arbitrationTimeout_;
    }

    function setRefuseRulings(bool v) external {
        refuseRulings = v;
    }

    function notifyDispute(IArbiter arbiter, ChallengeId challengeId, PledgeId pledgeId, uint64 rulingDeadline) external {
        arbiter.onDisputed(challengeId, pledgeId, rulingDeadline);
    }

    function config() external view returns (IPledgeRegistry.RegistryConfig memory cfg) {
        cfg.arbitrationTimeout = arbitrationTimeout;
        cfg.minLiveness = 1;
        cfg.maxLiveness = 1;
    }

    function getPledge(PledgeId) external pure returns (IPledgeRegistry.Pledge memory p) {
        p.termsHash = keccak256("mock terms");
    }

    function rule(ChallengeId challengeId, bool breached) external {
        if (refuseRulings) revert MockRulingRefused(challengeId);
        ++rulings;
        lastChallenge = challengeId;
        lastBreached = breached;
    }
}
