// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ChallengeId, PledgeId} from "../types/Ids.sol";
import {IArbiter} from "./IArbiter.sol";
import {IOptimisticResolution} from "./IOptimisticResolution.sol";
import {IOptimisticOracleV3, IOptimisticOracleV3CallbackRecipient} from "./external/IOptimisticOracleV3.sol";

/// @title IUmaOOv3Arbiter
/// @notice An arbiter that sends each disputed challenge to UMA's Optimistic Oracle V3 (OOv3). The registry
/// tells it about a dispute (`onDisputed`, which only records it); anyone then asserts the breach on OOv3
/// (`assertBreach`), posting the OOv3 bond and getting it back from OOv3 if the assertion is upheld. When OOv3
/// settles the assertion it calls back (`assertionResolvedCallback`) and the adapter rules: upheld means
/// breached, not upheld means the challenge is rejected. A dispute nobody asserts is voided by the registry
/// after its ruling deadline (both registry bonds refunded).
/// @dev Settlement safety: the resolved callback records the outcome before it calls `registry.rule` inside a
/// try/catch, so a registry that refuses (the challenge was voided, or the call ran out of gas) never makes
/// OOv3's settlement revert; a ruling that failed can be re-sent by anyone with `retryRuling` while the
/// registry still accepts it. Callbacks about assertions this adapter did not make are ignored (emitted, never
/// reverted, never ruled on), so a stranger pointing its own assertion at this adapter cannot trap its bonds.
/// Time boundary: an assertion is accepted while `block.timestamp + liveness < rulingDeadline` (it can then
/// settle, undisputed, while the registry still accepts the ruling); from then on `assertBreach` reverts.
/// Currency assumption: exact transfers (fee-on-transfer tokens are refused by measuring the pull), no
/// rebasing; it is UMA-whitelisted anyway. The adapter holds no tokens between transactions.
interface IUmaOOv3Arbiter is IArbiter, IOptimisticOracleV3CallbackRecipient {
    /// @notice A dispute as stored. `rulingDeadline == 0` means unknown; `assertionId == 0` means not asserted.
    struct Dispute {
        uint64 pledgeId;
        uint64 rulingDeadline;
        bool oracleDisputed;
        bool resolved;
        bool assertedTruthfully;
        bool ruled;
        bytes32 assertionId;
    }

    /// @notice Where a dispute stands, derived from the stored facts and the clock.
    /// @dev `AwaitingAssertion` while `block.timestamp + liveness < rulingDeadline`, `AssertionWindowClosed`
    /// from then on (the registry voids the challenge once the ruling deadline passes).
    enum DisputeStatus {
        None,
        AwaitingAssertion,
        AssertionWindowClosed,
        Asserted,
        RulingUndelivered,
        Ruled
    }

    /// @notice The registry told the adapter about a dispute it must get ruled.
    event DisputeReceived(ChallengeId indexed challengeId, PledgeId indexed pledgeId, uint64 rulingDeadline);
    /// @notice The breach alleged by a challenge was asserted on OOv3; it can settle from `expiresAt`.
    event BreachAsserted(
        ChallengeId indexed challengeId,
        bytes32 indexed assertionId,
        address indexed asserter,
        uint256 bond,
        uint64 expiresAt
    );
    /// @notice An assertion of this adapter was disputed on OOv3 (UMA's DVM will decide it).
    event AssertionDisputed(ChallengeId indexed challengeId, bytes32 indexed assertionId);
    /// @notice An assertion of this adapter settled on OOv3.
    event AssertionResolved(ChallengeId indexed challengeId, bytes32 indexed assertionId, bool assertedTruthfully);
    /// @notice The ruling was accepted by the registry.
    event RulingSubmitted(ChallengeId indexed challengeId, bool breached);
    /// @notice The registry refused the ruling (during OOv3's settlement, which went on); `reason` is its revert
    /// data. `retryRuling` may re-send it.
    event RulingFailed(ChallengeId indexed challengeId, bool breached, bytes reason);
    /// @notice OOv3 called back about an assertion this adapter did not make; nothing was done.
    event ForeignAssertionIgnored(bytes32 indexed assertionId);

    /// @notice The caller is not the adapter's registry.
    error CallerNotRegistry(address caller);
    /// @notice The caller is not the adapter's OOv3.
    error CallerNotOracle(address caller);
    /// @notice The registry has not sent this dispute to the adapter.
    error DisputeUnknown(ChallengeId challengeId);
    /// @notice The registry already sent this dispute (a registry can dispute a challenge only once).
    error DisputeAlreadyKnown(ChallengeId challengeId);
    /// @notice The breach of this challenge was already asserted (one assertion per challenge).
    error BreachAlreadyAsserted(ChallengeId challengeId, bytes32 assertionId);
    /// @notice An assertion made now could settle only at `expiresAt`, not before the ruling deadline.
    error AssertionWindowClosed(ChallengeId challengeId, uint256 expiresAt, uint64 rulingDeadline);
    /// @notice The bond now required exceeds the most the caller agreed to post.
    error AssertionBondAboveMax(uint256 required, uint256 maxBond);
    /// @notice OOv3 reported a second resolution of the same assertion.
    error AssertionAlreadyResolved(bytes32 assertionId);
    /// @notice There is no undelivered ruling for this challenge (not resolved yet, or already ruled).
    error RulingNotPending(ChallengeId challengeId);
    /// @notice A constructor address is zero (`what` names it).
    error AddressZero(string what);
    /// @notice The identifier is zero: an explicit DVM identifier is required.
    error IdentifierZero();
    /// @notice The configured bond is zero.
    error BondZero();
    /// @notice The liveness is zero, or not shorter than the registry's arbitration timeout (an assertion could
    /// never settle in time).
    error LivenessInvalid(uint64 liveness, uint32 arbitrationTimeout);
    /// @notice A pull delivered `received`, not the `expected` amount (fee-on-transfer currencies are refused).
    error TokenTransferMismatch(IERC20 token, uint256 expected, uint256 received);

    /// @notice Asserts on OOv3 that the pledge of a disputed challenge was breached, with the caller as asserter.
    /// Pulls `requiredBond()` of `currency()` from the caller (approve this adapter first) and posts it on OOv3;
    /// OOv3 pays it back to the caller (with the OOv3 disputer's bond, less UMA's burn) if the assertion is
    /// upheld, and to the OOv3 disputer if not.
    /// @dev Permissionless; once per challenge; only while `block.timestamp + liveness < rulingDeadline`.
    /// @param challengeId The disputed challenge.
    /// @param maxBond The most the caller agrees to post (OOv3's minimum bond can rise; read `requiredBond`).
    /// @return assertionId The OOv3 assertion.
    function assertBreach(ChallengeId challengeId, uint256 maxBond) external returns (bytes32 assertionId);

    /// @notice Re-sends a ruling whose delivery failed during OOv3's settlement. Permissionless.
    /// @dev Reverts `RulingNotPending` unless the assertion resolved and the ruling is undelivered; a registry
    /// refusal reverts with the registry's error.
    /// @param challengeId The challenge.
    function retryRuling(ChallengeId challengeId) external;

    /// @notice The registry this adapter rules for.
    /// @return The registry.
    function registry() external view returns (IOptimisticResolution);

    /// @notice The OOv3 instance assertions go to.
    /// @return The oracle.
    function oracle() external view returns (IOptimisticOracleV3);

    /// @notice The DVM identifier of every assertion (on current UMA deployments `"ASSERT_TRUTH2"`, as bytes32).
    /// @return The identifier.
    function identifier() external view returns (bytes32);

    /// @notice The bond currency.
    /// @return The currency.
    function currency() external view returns (IERC20);

    /// @notice The OOv3 liveness of every assertion, in seconds.
    /// @return The liveness.
    function liveness() external view returns (uint64);

    /// @notice The configured minimum bond (the required bond is at least this and at least OOv3's minimum).
    /// @return The minimum bond.
    function minimumBond() external view returns (uint256);

    /// @notice The bond an assertion made now must post: the larger of `minimumBond()` and OOv3's minimum bond.
    /// @return The bond.
    function requiredBond() external view returns (uint256);

    /// @notice Reads a dispute.
    /// @param challengeId The challenge.
    /// @return The stored dispute (all zero if unknown).
    function getDispute(ChallengeId challengeId) external view returns (Dispute memory);

    /// @notice Where a dispute stands.
    /// @param challengeId The challenge.
    /// @return The status.
    function disputeStatus(ChallengeId challengeId) external view returns (DisputeStatus);

    /// @notice The challenge an assertion of this adapter is about (0 if the assertion is not the adapter's).
    /// @param assertionId The assertion.
    /// @return The challenge.
    function challengeOf(bytes32 assertionId) external view returns (ChallengeId);

    /// @notice The claim `assertBreach` would assert for a challenge: human-readable, naming the pledge, the
    /// challenge, the registry and the chain.
    /// @param challengeId The challenge.
    /// @return The claim bytes (UTF-8).
    function claimFor(ChallengeId challengeId) external view returns (bytes memory);
}
