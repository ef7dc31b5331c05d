// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ChallengeId} from "../types/Ids.sol";
import {IArbiter} from "./IArbiter.sol";
import {IOptimisticResolution} from "./IOptimisticResolution.sol";

/// @title ICommitteeArbiter
/// @notice A k-of-n committee that rules on disputes of one registry. Members vote on each dispute;
/// the first outcome to reach `threshold` votes is sent to the registry as the ruling. The threshold
/// is a strict majority, so two outcomes can never both reach it.
interface ICommitteeArbiter is IArbiter {
    /// @notice The registry told the committee about a dispute it must rule on.
    event DisputeReceived(ChallengeId indexed challengeId, uint64 rulingDeadline);
    /// @notice A member voted on a dispute.
    event VoteCast(ChallengeId indexed challengeId, address indexed member, bool breached, uint8 votesBreached, uint8 votesNotBreached);
    /// @notice The committee's ruling reached the threshold and was sent to the registry.
    event RulingSubmitted(ChallengeId indexed challengeId, bool breached);

    /// @notice The caller is not the committee's registry.
    error CallerNotRegistry(address caller);
    /// @notice The caller is not a committee member.
    error CallerNotMember(address caller);
    /// @notice The member already voted on this dispute.
    error AlreadyVoted(ChallengeId challengeId, address member);
    /// @notice The registry has not sent this dispute to the committee.
    error DisputeUnknown(ChallengeId challengeId);
    /// @notice The committee already ruled on this dispute.
    error AlreadyRuled(ChallengeId challengeId);
    /// @notice Committee size outside 1..MAX_MEMBERS.
    error CommitteeSizeInvalid(uint256 size, uint256 maxSize);
    /// @notice A member is the zero address or appears twice.
    error MemberInvalid(address member);
    /// @notice The threshold is not a strict majority of the committee (or exceeds its size).
    error ThresholdInvalid(uint256 threshold, uint256 size);
    /// @notice The registry address is zero.
    error RegistryZero();

    /// @notice Casts the caller's vote on a dispute; the vote that reaches the threshold submits the ruling.
    /// @param challengeId The disputed challenge.
    /// @param breached True to uphold the breach, false to reject the challenge.
    function vote(ChallengeId challengeId, bool breached) external;

    /// @notice The registry this committee rules for.
    /// @return The registry.
    function registry() external view returns (IOptimisticResolution);

    /// @notice The votes needed to rule.
    /// @return The threshold.
    function threshold() external view returns (uint8);

    /// @notice The committee members.
    /// @return The members, in the order given at deployment.
    function members() external view returns (address[] memory);

    /// @notice Whether an address is a member.
    /// @param account The address.
    /// @return True if a member.
    function isMember(address account) external view returns (bool);

    /// @notice The tally of a dispute.
    /// @param challengeId The disputed challenge.
    /// @return known Whether the registry sent this dispute.
    /// @return ruled Whether the committee already ruled.
    /// @return votesBreached Votes to uphold the breach.
    /// @return votesNotBreached Votes to reject the challenge.
    function tally(ChallengeId challengeId)
        external
        view
        returns (bool known, bool ruled, uint8 votesBreached, uint8 votesNotBreached);

    /// @notice Whether a member voted on a dispute.
    /// @param challengeId The disputed challenge.
    /// @param member The member.
    /// @return True if it voted.
    function hasVoted(ChallengeId challengeId, address member) external view returns (bool);
}
