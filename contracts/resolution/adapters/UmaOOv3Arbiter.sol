// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {IArbiter} from "../../interfaces/IArbiter.sol";
import {IOptimisticResolution} from "../../interfaces/IOptimisticResolution.sol";
import {IPledgeRegistry} from "../../interfaces/IPledgeRegistry.sol";
import {IUmaOOv3Arbiter} from "../../interfaces/IUmaOOv3Arbiter.sol";
import {
    IOptimisticOracleV3,
    IOptimisticOracleV3CallbackRecipient
} from "../../interfaces/external/IOptimisticOracleV3.sol";
import {ChallengeId, PledgeId} from "../../types/Ids.sol";
import {ExactTransfer} from "../../utils/ExactTransfer.sol";

/// @title UmaOOv3Arbiter
/// @notice Arbiter adapter to UMA's Optimistic Oracle V3 for one registry. Every parameter is immutable; there
/// is no owner. See `IUmaOOv3Arbiter` for the flow and docs/uma-adapter.md for the trust assumptions.
contract UmaOOv3Arbiter is IUmaOOv3Arbiter, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    IOptimisticResolution private immutable _registry;
    IOptimisticOracleV3 private immutable _oracle;
    bytes32 private immutable _identifier;
    IERC20 private immutable _currency;
    uint64 private immutable _liveness;
    uint256 private immutable _minimumBond;

    mapping(uint256 challengeId => Dispute) private _disputes;
    mapping(bytes32 assertionId => uint256 challengeId) private _challengeOf;

    /// @param registry_ The registry whose disputes this adapter rules on.
    /// @param oracle_ The OOv3 instance of this chain.
    /// @param identifier_ The DVM identifier, explicit (`"ASSERT_TRUTH2"` on current UMA deployments; never the
    /// deprecated default of `assertTruthWithDefaults`); it must be on UMA's identifier whitelist.
    /// @param currency_ The bond currency; it must be on UMA's collateral whitelist.
    /// @param liveness_ The OOv3 liveness, shorter than the registry's arbitration timeout.
    /// @param minimumBond_ The least bond an assertion posts (OOv3's own minimum applies on top).
    constructor(
        IOptimisticResolution registry_,
        IOptimisticOracleV3 oracle_,
        bytes32 identifier_,
        IERC20 currency_,
        uint64 liveness_,
        uint256 minimumBond_
    ) {
        if (address(registry_) == address(0)) revert AddressZero("registry");
        if (address(oracle_) == address(0)) revert AddressZero("oracle");
        if (address(currency_) == address(0)) revert AddressZero("currency");
        if (identifier_ == bytes32(0)) revert IdentifierZero();
        if (minimumBond_ == 0) revert BondZero();
        uint32 timeout = IPledgeRegistry(address(registry_)).config().arbitrationTimeout;
        if (liveness_ == 0 || liveness_ >= timeout) revert LivenessInvalid(liveness_, timeout);
        _registry = registry_;
        _oracle = oracle_;
        _identifier = identifier_;
        _currency = currency_;
        _liveness = liveness_;
        _minimumBond = minimumBond_;
    }

    // ------------------------------------------------------------ registry side

    /// @inheritdoc IArbiter
    /// @dev Only records the dispute: nothing here depends on a challenger's tokens or approvals, so the
    /// registry's `dispute` cannot be made to revert through this adapter.
    function onDisputed(ChallengeId challengeId, PledgeId pledgeId, uint64 rulingDeadline) external {
        if (msg.sender != address(_registry)) revert CallerNotRegistry(msg.sender);
        Dispute storage d = _disputes[ChallengeId.unwrap(challengeId)];
        if (d.rulingDeadline != 0) revert DisputeAlreadyKnown(challengeId);
        d.pledgeId = uint64(PledgeId.unwrap(pledgeId)); // the registry stores pledge ids as uint64 already
        d.rulingDeadline = rulingDeadline;
        emit DisputeReceived(challengeId, pledgeId, rulingDeadline);
    }

    /// @inheritdoc IUmaOOv3Arbiter
    function assertBreach(ChallengeId challengeId, uint256 maxBond)
        external
        nonReentrant
        returns (bytes32 assertionId)
    {
        uint256 cid = ChallengeId.unwrap(challengeId);
        Dispute storage d = _disputes[cid];
        if (d.rulingDeadline == 0) revert DisputeUnknown(challengeId);
        if (d.assertionId != bytes32(0)) revert BreachAlreadyAsserted(challengeId, d.assertionId);
        uint256 expiresAt = block.timestamp + _liveness;
        if (expiresAt >= d.rulingDeadline) revert AssertionWindowClosed(challengeId, expiresAt, d.rulingDeadline);
        uint256 bond = _requiredBond();
        if (bond > maxBond) revert AssertionBondAboveMax(bond, maxBond);
        bytes memory claim = _claim(challengeId, d.pledgeId);

        ExactTransfer.pullExact(_currency, msg.sender, bond);
        _currency.forceApprove(address(_oracle), bond);
        assertionId = _oracle.assertTruth(
            claim, msg.sender, address(this), address(0), _liveness, _currency, bond, _identifier, bytes32(0)
        );
        // The id comes from OOv3 (a hash of the assertion): it is only known after the call. Nothing can call
        // back into this dispute meanwhile: the only entry points that touch it are this guarded function and
        // OOv3's callbacks, which OOv3 cannot fire before `assertTruth` has returned the id.
        d.assertionId = assertionId;
        _challengeOf[assertionId] = cid;
        emit BreachAsserted(challengeId, assertionId, msg.sender, bond, uint64(expiresAt));
    }

    // --------------------------------------------------------------- OOv3 side

    /// @inheritdoc IOptimisticOracleV3CallbackRecipient
    /// @dev Never reverts for an assertion of this adapter that resolves once: the outcome is stored first, then
    /// the ruling is sent inside try/catch (a refusal emits `RulingFailed`, and `retryRuling` can re-send it).
    function assertionResolvedCallback(bytes32 assertionId, bool assertedTruthfully) external {
        if (msg.sender != address(_oracle)) revert CallerNotOracle(msg.sender);
        uint256 cid = _challengeOf[assertionId];
        if (cid == 0) {
            emit ForeignAssertionIgnored(assertionId);
            return;
        }
        Dispute storage d = _disputes[cid];
        if (d.resolved) revert AssertionAlreadyResolved(assertionId);
        d.resolved = true;
        d.assertedTruthfully = assertedTruthfully;
        ChallengeId challengeId = ChallengeId.wrap(cid);
        emit AssertionResolved(challengeId, assertionId, assertedTruthfully);

        d.ruled = true;
        try _registry.rule(challengeId, assertedTruthfully) {
            emit RulingSubmitted(challengeId, assertedTruthfully);
        } catch (bytes memory reason) {
            d.ruled = false;
            emit RulingFailed(challengeId, assertedTruthfully, reason);
        }
    }

    /// @inheritdoc IOptimisticOracleV3CallbackRecipient
    function assertionDisputedCallback(bytes32 assertionId) external {
        if (msg.sender != address(_oracle)) revert CallerNotOracle(msg.sender);
        uint256 cid = _challengeOf[assertionId];
        if (cid == 0) {
            emit ForeignAssertionIgnored(assertionId);
            return;
        }
        _disputes[cid].oracleDisputed = true;
        emit AssertionDisputed(ChallengeId.wrap(cid), assertionId);
    }

    /// @inheritdoc IUmaOOv3Arbiter
    function retryRuling(ChallengeId challengeId) external {
        Dispute storage d = _disputes[ChallengeId.unwrap(challengeId)];
        if (!d.resolved || d.ruled) revert RulingNotPending(challengeId);
        d.ruled = true;
        bool breached = d.assertedTruthfully;
        emit RulingSubmitted(challengeId, breached);
        _registry.rule(challengeId, breached);
    }

    // ------------------------------------------------------------------- views

    /// @inheritdoc IUmaOOv3Arbiter
    function registry() external view returns (IOptimisticResolution) {
        return _registry;
    }

    /// @inheritdoc IUmaOOv3Arbiter
    function oracle() external view returns (IOptimisticOracleV3) {
        return _oracle;
    }

    /// @inheritdoc IUmaOOv3Arbiter
    function identifier() external view returns (bytes32) {
        return _identifier;
    }

    /// @inheritdoc IUmaOOv3Arbiter
    function currency() external view returns (IERC20) {
        return _currency;
    }

    /// @inheritdoc IUmaOOv3Arbiter
    function liveness() external view returns (uint64) {
        return _liveness;
    }

    /// @inheritdoc IUmaOOv3Arbiter
    function minimumBond() external view returns (uint256) {
        return _minimumBond;
    }

    /// @inheritdoc IUmaOOv3Arbiter
    function requiredBond() external view returns (uint256) {
        return _requiredBond();
    }

    /// @inheritdoc IUmaOOv3Arbiter
    function getDispute(ChallengeId challengeId) external view returns (Dispute memory) {
        return _disputes[ChallengeId.unwrap(challengeId)];
    }

    /// @inheritdoc IUmaOOv3Arbiter
    function disputeStatus(ChallengeId challengeId) external view returns (DisputeStatus) {
        Dispute storage d = _disputes[ChallengeId.unwrap(challengeId)];
        if (d.rulingDeadline == 0) return DisputeStatus.None;
        if (d.ruled) return DisputeStatus.Ruled;
        if (d.resolved) return DisputeStatus.RulingUndelivered;
        if (d.assertionId != bytes32(0)) return DisputeStatus.Asserted;
        return block.timestamp + _liveness < d.rulingDeadline
            ? DisputeStatus.AwaitingAssertion
            : DisputeStatus.AssertionWindowClosed;
    }

    /// @inheritdoc IUmaOOv3Arbiter
    function challengeOf(bytes32 assertionId) external view returns (ChallengeId) {
        return ChallengeId.wrap(_challengeOf[assertionId]);
    }

    /// @inheritdoc IUmaOOv3Arbiter
    function claimFor(ChallengeId challengeId) external view returns (bytes memory) {
        Dispute storage d = _disputes[ChallengeId.unwrap(challengeId)];
        if (d.rulingDeadline == 0) revert DisputeUnknown(challengeId);
        return _claim(challengeId, d.pledgeId);
    }

    // ---------------------------------------------------------------- internal

    function _requiredBond() private view returns (uint256) {
        uint256 oracleMinimum = _oracle.getMinimumBond(address(_currency));
        return oracleMinimum > _minimumBond ? oracleMinimum : _minimumBond;
    }

    /// @dev The claim DVM voters read: which pledge, in which registry on which chain, and where the terms and
    /// the evidence are. "True" must mean "breached", since a settled-true assertion rules `breached = true`.
    function _claim(ChallengeId challengeId, uint64 pledgeId) private view returns (bytes memory) {
        bytes32 termsHash = IPledgeRegistry(address(_registry)).getPledge(PledgeId.wrap(pledgeId)).termsHash;
        return abi.encodePacked(
            "Pledge Markets breach claim: pledge ",
            Strings.toString(pledgeId),
            " of the PledgeRegistry at ",
            Strings.toHexString(address(_registry)),
            " on chain id ",
            Strings.toString(block.chainid),
            " (terms hash ",
            Strings.toHexString(uint256(termsHash), 32),
            ", terms URI in its PledgeCreated event) was breached during its term, as alleged by challenge ",
            Strings.toString(ChallengeId.unwrap(challengeId)),
            " (evidence URI in that challenge's PledgeChallenged event). True upholds the breach and slashes the",
            " pledge's bond; false rejects the challenge."
        );
    }
}
