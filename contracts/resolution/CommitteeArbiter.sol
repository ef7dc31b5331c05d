// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IArbiter} from "../interfaces/IArbiter.sol";
import {ICommitteeArbiter} from "../interfaces/ICommitteeArbiter.sol";
import {IOptimisticResolution} from "../interfaces/IOptimisticResolution.sol";
import {ChallengeId, PledgeId} from "../types/Ids.sol";

/// @title CommitteeArbiter
/// @notice A fixed k-of-n committee for local use and small deployments. Membership is set once at
/// deployment (at most `MAX_MEMBERS`), so no loop in a vote depends on user input.
contract CommitteeArbiter is ICommitteeArbiter {
    /// @notice The largest committee accepted.
    uint256 public constant MAX_MEMBERS = 32;

    struct Tally {
        bool known;
        bool ruled;
        uint8 votesBreached;
        uint8 votesNotBreached;
    }

    IOptimisticResolution private immutable _registry;
    uint8 private immutable _threshold;
    address[] private _members;
    mapping(address account => bool) private _isMember;
    mapping(uint256 challengeId => Tally) private _tallies;
    mapping(uint256 challengeId => mapping(address member => bool)) private _voted;

    /// @param registry_ The registry whose disputes this committee rules on.
    /// @param members_ Distinct, non-zero member addresses (1 to MAX_MEMBERS).
    /// @param threshold_ Votes needed to rule: a strict majority, at most the committee size.
    constructor(IOptimisticResolution registry_, address[] memory members_, uint8 threshold_) {
        if (address(registry_) == address(0)) revert RegistryZero();
        uint256 n = members_.length;
        if (n == 0 || n > MAX_MEMBERS) revert CommitteeSizeInvalid(n, MAX_MEMBERS);
        if (threshold_ > n || 2 * uint256(threshold_) <= n) revert ThresholdInvalid(threshold_, n);
        for (uint256 i = 0; i < n; ++i) {
            address m = members_[i];
            if (m == address(0) || _isMember[m]) revert MemberInvalid(m);
            _isMember[m] = true;
        }
        _members = members_;
        _registry = registry_;
        _threshold = threshold_;
    }

    /// @inheritdoc ICommitteeArbiter
    function vote(ChallengeId challengeId, bool breached) external {
        if (!_isMember[msg.sender]) revert CallerNotMember(msg.sender);
        uint256 id = ChallengeId.unwrap(challengeId);
        Tally storage t = _tallies[id];
        if (!t.known) revert DisputeUnknown(challengeId);
        if (t.ruled) revert AlreadyRuled(challengeId);
        if (_voted[id][msg.sender]) revert AlreadyVoted(challengeId, msg.sender);
        _voted[id][msg.sender] = true;
        uint8 count;
        unchecked {
            // at most MAX_MEMBERS votes per side: no overflow of uint8
            count = breached ? ++t.votesBreached : ++t.votesNotBreached;
        }
        emit VoteCast(challengeId, msg.sender, breached, t.votesBreached, t.votesNotBreached);
        if (count == _threshold) {
            t.ruled = true;
            emit RulingSubmitted(challengeId, breached);
            _registry.rule(challengeId, breached);
        }
    }

    /// @inheritdoc IArbiter
    /// @dev Only the registry; the pledge id and deadline are in the registry's own events.
    function onDisputed(ChallengeId challengeId, PledgeId, uint64 rulingDeadline) external {
        if (msg.sender != address(_registry)) revert CallerNotRegistry(msg.sender);
        _tallies[ChallengeId.unwrap(challengeId)].known = true;
        emit DisputeReceived(challengeId, rulingDeadline);
    }

    /// @inheritdoc ICommitteeArbiter
    function registry() external view returns (IOptimisticResolution) {
        return _registry;
    }

    /// @inheritdoc ICommitteeArbiter
    function threshold() external view returns (uint8) {
        return _threshold;
    }

    /// @inheritdoc ICommitteeArbiter
    function members() external view returns (address[] memory) {
        return _members;
    }

    /// @inheritdoc ICommitteeArbiter
    function isMember(address account) external view returns (bool) {
        return _isMember[account];
    }

    /// @inheritdoc ICommitteeArbiter
    function tally(ChallengeId challengeId)
        external
        view
        returns (bool known, bool ruled, uint8 votesBreached, uint8 votesNotBreached)
    {
        Tally storage t = _tallies[ChallengeId.unwrap(challengeId)];
        return (t.known, t.ruled, t.votesBreached, t.votesNotBreached);
    }

    /// @inheritdoc ICommitteeArbiter
    function hasVoted(ChallengeId challengeId, address member) external view returns (bool) {
        return _voted[ChallengeId.unwrap(challengeId)][member];
    }
}
