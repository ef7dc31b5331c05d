// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ChallengeId, PledgeId} from "../types/Ids.sol";

/// @title IOptimisticResolution
/// @notice Optimistic resolution of alleged breaches. Anyone challenges an active pledge by posting
/// a bond and an evidence URI. If nobody disputes within the pledge's liveness window the breach
/// stands and the pledge can be slashed. Anyone may dispute once, by matching the challenge bond;
/// the pledge's arbiter then rules. The loser's bond goes to the winner, less a registry-wide fee
/// (to the treasury, or burned) so that disputing oneself never pays. A rejected challenge returns
/// the pledge to `Active`, and each rejection doubles the bond the next challenge must post, up to the
/// pledge's own bond.
/// @dev Time boundaries (each stated once; no second where both sides hold):
///  - disputable while `block.timestamp < challengedAt + liveness`; slashable from then on;
///  - rulable while `block.timestamp < disputedAt + arbitrationTimeout`; voidable from then on.
interface IOptimisticResolution {
    /// @notice A challenge as stored. `disputer == address(0)` until disputed.
    struct Challenge {
        address challenger;
        uint64 challengedAt;
        address disputer;
        uint64 disputedAt;
        uint128 bond;
        uint64 pledgeId;
    }

    /// @notice A challenge was opened against a pledge; disputes are accepted while `block.timestamp < disputeDeadline`.
    event PledgeChallenged(
        PledgeId indexed pledgeId,
        ChallengeId indexed challengeId,
        address indexed challenger,
        uint256 bond,
        uint64 disputeDeadline,
        string evidenceURI
    );
    /// @notice A challenge was disputed; the arbiter's ruling is accepted while `block.timestamp < rulingDeadline`.
    event ChallengeDisputed(
        PledgeId indexed pledgeId,
        ChallengeId indexed challengeId,
        address indexed disputer,
        uint256 bond,
        uint64 rulingDeadline
    );
    /// @notice The arbiter ruled on a disputed challenge. `breached` true upholds the breach.
    event ChallengeRuled(
        PledgeId indexed pledgeId, ChallengeId indexed challengeId, address indexed arbiter, bool breached
    );
    /// @notice The loser's bond of a disputed challenge was paid out.
    event DisputeBondsSettled(
        ChallengeId indexed challengeId, address indexed winner, uint256 toWinner, uint256 fee, address feeRecipient
    );
    /// @notice A disputed challenge was voided because the arbiter missed its deadline; both bonds were refunded.
    event ChallengeVoided(PledgeId indexed pledgeId, ChallengeId indexed challengeId);

    /// @notice The challenge does not exist.
    error ChallengeUnknown(ChallengeId challengeId);
    /// @notice The challenge is not the open challenge of its pledge.
    error ChallengeNotOpen(ChallengeId challengeId, ChallengeId open);
    /// @notice A pledger cannot challenge its own pledge (it would capture the challenger's reward).
    error ChallengerIsPledger(PledgeId pledgeId, address pledger);
    /// @notice The caller is not the arbiter of the challenged pledge.
    error CallerNotArbiter(ChallengeId challengeId, address caller, address arbiter);
    /// @notice The challenge bond now required exceeds the most the challenger agreed to post (e.g. a top-up
    /// of the pledge's bond landed first and raised it).
    error ChallengeBondAboveMax(PledgeId pledgeId, uint256 required, uint256 maxBond);

    /// @notice Alleges that a pledge was breached during its term, posting the required challenge bond
    /// (pulled from the caller in the pledge's bond token; approve first).
    /// @dev Accepted only in state `Active`, not from the pledger. The bond is `requiredChallengeBond`:
    /// `challengeBond * 2^rejectedChallenges`, capped at max(pledge bond, challengeBond); it reverts
    /// `ChallengeBondAboveMax` if that exceeds `maxBond`, so a transaction that lands first (a `topUp` raising
    /// a capped bond) cannot make the challenger post more than it signed for.
    /// @param pledgeId The pledge alleged to be breached.
    /// @param evidenceURI Where the evidence lives; emitted, not stored.
    /// @param maxBond The most the caller agrees to post (read `requiredChallengeBond` first).
    /// @return challengeId The new challenge's id.
    function challenge(PledgeId pledgeId, string calldata evidenceURI, uint256 maxBond)
        external
        returns (ChallengeId challengeId);

    /// @notice Disputes the open challenge of a pledge by matching its bond, sending it to the arbiter.
    /// @dev Accepted only in state `Challenged`. Anyone may dispute, once per challenge.
    /// @param pledgeId The challenged pledge.
    function dispute(PledgeId pledgeId) external;

    /// @notice The pledge's arbiter rules on a disputed challenge.
    /// @dev Accepted only from the pledge's arbiter, in state `Disputed`. Upheld: the pledge is slashed
    /// and final. Rejected: the pledge returns to `Active` (or `Releasable` if its term and grace are over).
    /// @param challengeId The disputed challenge, which must be its pledge's open challenge.
    /// @param breached True upholds the breach; false rejects the challenge.
    function rule(ChallengeId challengeId, bool breached) external;

    /// @notice Voids a disputed challenge whose arbiter missed the ruling deadline; both bonds are
    /// credited back to their posters and the pledge returns to `Active` (or `Releasable`).
    /// @dev Accepted only in state `RulingOverdue`. Permissionless.
    /// @param pledgeId The pledge whose challenge is voided.
    function voidChallenge(PledgeId pledgeId) external;

    /// @notice Reads a challenge.
    /// @param challengeId The challenge.
    /// @return The stored challenge (all zero if unknown).
    function getChallenge(ChallengeId challengeId) external view returns (Challenge memory);

    /// @notice The open challenge of a pledge (once `Breached`: the challenge that established the breach), or 0 if none.
    /// @param pledgeId The pledge.
    /// @return The open challenge's id.
    function openChallenge(PledgeId pledgeId) external view returns (ChallengeId);

    /// @notice The bond the next challenge of a pledge must post, in the pledge's bond token.
    /// @dev Reverts `PledgeUnknown` for unknown ids.
    /// @param pledgeId The pledge.
    /// @return token The bond token.
    /// @return amount The amount.
    function requiredChallengeBond(PledgeId pledgeId) external view returns (IERC20 token, uint256 amount);
}
