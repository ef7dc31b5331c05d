// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IOptimisticResolution} from "../interfaces/IOptimisticResolution.sol";
import {IPledgeRegistry} from "../interfaces/IPledgeRegistry.sol";
import {ChallengeId, PledgeId} from "../types/Ids.sol";
import {ExactTransfer} from "../utils/ExactTransfer.sol";
import {BondMath} from "./BondMath.sol";

/// @title PledgeRegistry
/// @notice Bonded pledges with optimistic breach resolution and pull-based payouts. One escrow for
/// every token: the registry's balance of a token is exactly the bonds of unsettled pledges, the
/// bonds of open challenges and disputes, and the unclaimed balances in that token.
/// @dev The registry has no owner and no upgrade path; its parameters are immutable.
contract PledgeRegistry is IPledgeRegistry, IOptimisticResolution, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Where burned amounts go: an address nobody holds the key of (many tokens refuse address(0)).
    address public constant BURN_ADDRESS = 0x000000000000000000000000000000000000dEaD;

    address private immutable _treasury;
    uint16 private immutable _challengerRewardBps;
    uint16 private immutable _disputeFeeBps;
    uint32 private immutable _minLiveness;
    uint32 private immutable _maxLiveness;
    uint32 private immutable _maxGrace;
    uint32 private immutable _arbitrationTimeout;

    uint256 private _pledgeCount;
    uint256 private _challengeCount;
    mapping(uint256 pledgeId => Pledge) private _pledges;
    mapping(uint256 challengeId => Challenge) private _challenges;
    mapping(address account => mapping(IERC20 token => uint256)) private _claimable;
    /// @dev Outside the `Pledge` struct on purpose: a pledge without a governor costs no extra slot.
    mapping(uint256 pledgeId => address) private _governors;
    mapping(address pledger => mapping(address sponsor => bool)) private _sponsorApproved;

    /// @param cfg Registry-wide parameters; see `IPledgeRegistry.RegistryConfig`.
    constructor(RegistryConfig memory cfg) {
        if (cfg.challengerRewardBps > BondMath.BPS) revert ConfigInvalid("challengerRewardBps", cfg.challengerRewardBps);
        if (cfg.disputeFeeBps > BondMath.BPS) revert ConfigInvalid("disputeFeeBps", cfg.disputeFeeBps);
        if (cfg.minLiveness == 0) revert ConfigInvalid("minLiveness", cfg.minLiveness);
        if (cfg.maxLiveness < cfg.minLiveness) revert ConfigInvalid("maxLiveness", cfg.maxLiveness);
        if (cfg.arbitrationTimeout == 0) revert ConfigInvalid("arbitrationTimeout", cfg.arbitrationTimeout);
        _treasury = cfg.treasury;
        _challengerRewardBps = cfg.challengerRewardBps;
        _disputeFeeBps = cfg.disputeFeeBps;
        _minLiveness = cfg.minLiveness;
        _maxLiveness = cfg.maxLiveness;
        _maxGrace = cfg.maxGrace;
        _arbitrationTimeout = cfg.arbitrationTimeout;
    }

    // ---------------------------------------------------------------- pledges

    /// @inheritdoc IPledgeRegistry
    function createPledge(PledgeParams calldata params) external nonReentrant returns (PledgeId pledgeId) {
        pledgeId = _recordPledge(msg.sender, params);
        ExactTransfer.pullExact(params.token, msg.sender, params.bond);
    }

    /// @inheritdoc IPledgeRegistry
    function createPledgeFor(address pledger, PledgeParams calldata params)
        external
        nonReentrant
        returns (PledgeId pledgeId)
    {
        if (pledger == address(0) || pledger == msg.sender) revert PledgerInvalid(pledger);
        if (!_sponsorApproved[pledger][msg.sender]) revert SponsorNotApproved(pledger, msg.sender);
        pledgeId = _recordPledge(pledger, params);
        emit PledgeSponsored(pledgeId, pledger, msg.sender);
        ExactTransfer.pullExact(params.token, msg.sender, params.bond);
    }

    /// @inheritdoc IPledgeRegistry
    function approveSponsor(address sponsor, bool approved) external {
        _sponsorApproved[msg.sender][sponsor] = approved;
        emit SponsorApproval(msg.sender, sponsor, approved);
    }

    /// @inheritdoc IPledgeRegistry
    function createGovernedPledge(PledgeParams calldata params, address governor)
        external
        nonReentrant
        returns (PledgeId pledgeId)
    {
        // The pledger as its own governor could release itself from its pledge at will.
        if (governor == address(0) || governor == msg.sender) revert GovernorInvalid(governor);
        pledgeId = _recordPledge(msg.sender, params);
        _governors[PledgeId.unwrap(pledgeId)] = governor;
        emit PledgeGoverned(pledgeId, governor);
        ExactTransfer.pullExact(params.token, msg.sender, params.bond);
    }

    /// @inheritdoc IPledgeRegistry
    /// @dev Only moves `expiry` earlier: in the grace period (`expiry <= now`) the expiry is already past and only
    /// the event is emitted (old and new expiry equal). With `grace == 0` the pledge is `Releasable` at once.
    /// No token moves and nothing is credited here: the bond returns only through `finalize`, after the grace
    /// period, so a breach during the term can still be challenged and slashed.
    function release(PledgeId pledgeId) external nonReentrant {
        Pledge storage p = _requireGovernorInActive(pledgeId);
        uint64 oldExpiry = p.expiry;
        uint64 newExpiry = oldExpiry;
        if (block.timestamp < oldExpiry) {
            newExpiry = uint64(block.timestamp); // fits: block.timestamp < oldExpiry, a uint64
            p.expiry = newExpiry;
        }
        emit PledgeReleased(pledgeId, msg.sender, oldExpiry, newExpiry);
    }

    /// @inheritdoc IPledgeRegistry
    /// @dev The grace period is kept (it passed `maxGrace` at creation), so the pledge is challengeable until
    /// `amendment.expiry + grace` and `state` derives from the new expiry at once. An open challenge cannot
    /// exist in `Active`, so amending never changes a running challenge; the escalation count
    /// (`rejectedChallenges`) carries over, and a lower bond can only lower the escalation cap.
    function amend(PledgeId pledgeId, Amendment calldata amendment) external nonReentrant {
        Pledge storage p = _requireGovernorInActive(pledgeId);
        if (amendment.expiry <= block.timestamp) revert ExpiryNotInFuture(amendment.expiry, block.timestamp);
        uint128 currentBond = p.bond;
        uint128 newBond = amendment.bond;
        if (newBond == 0 || newBond > currentBond) revert AmendedBondInvalid(pledgeId, newBond, currentBond);
        uint128 refunded;
        unchecked {
            refunded = currentBond - newBond; // newBond <= currentBond (checked above)
        }
        p.termsHash = amendment.termsHash;
        p.expiry = amendment.expiry;
        p.bond = newBond;
        emit PledgeAmended(
            pledgeId, msg.sender, amendment.termsHash, amendment.termsURI, amendment.expiry, newBond, refunded
        );
        _credit(p.pledger, p.token, refunded);
    }

    /// @inheritdoc IPledgeRegistry
    function topUp(PledgeId pledgeId, uint128 amount) external nonReentrant {
        Pledge storage p = _requireState(pledgeId, _bit(PledgeState.Active) | _bit(PledgeState.Challenged) | _bit(PledgeState.Disputed));
        if (msg.sender != p.pledger) revert CallerNotPledger(pledgeId, msg.sender, p.pledger);
        if (amount == 0) revert BondZero();
        uint128 newBond = SafeCast.toUint128(uint256(p.bond) + amount);
        p.bond = newBond;
        emit BondToppedUp(pledgeId, amount, newBond);
        ExactTransfer.pullExact(p.token, msg.sender, amount);
    }

    /// @inheritdoc IPledgeRegistry
    function finalize(PledgeId pledgeId) external nonReentrant returns (Outcome outcome) {
        Pledge storage p = _requireState(pledgeId, _bit(PledgeState.Slashable) | _bit(PledgeState.Releasable));
        if (p.openChallenge != 0) {
            // Slashable: the challenge stood unopposed; the challenger's own bond comes back with its reward.
            Challenge storage c = _challenges[p.openChallenge];
            _slash(pledgeId, p, c.challenger, c.bond);
            return Outcome.Breached;
        }
        p.outcome = Outcome.Honored;
        emit PledgeHonored(pledgeId, p.pledger, p.bond);
        _credit(p.pledger, p.token, p.bond);
        return Outcome.Honored;
    }

    // ------------------------------------------------------------- resolution

    /// @inheritdoc IOptimisticResolution
    function challenge(PledgeId pledgeId, string calldata evidenceURI, uint256 maxBond)
        external
        nonReentrant
        returns (ChallengeId challengeId)
    {
        Pledge storage p = _requireState(pledgeId, _bit(PledgeState.Active));
        if (msg.sender == p.pledger) revert ChallengerIsPledger(pledgeId, msg.sender);
        uint128 bond = _nextChallengeBond(p);
        if (bond > maxBond) revert ChallengeBondAboveMax(pledgeId, bond, maxBond);
        uint256 id = ++_challengeCount;
        challengeId = ChallengeId.wrap(id);
        _challenges[id] = Challenge({
            challenger: msg.sender,
            challengedAt: uint64(block.timestamp),
            disputer: address(0),
            disputedAt: 0,
            bond: bond,
            pledgeId: uint64(PledgeId.unwrap(pledgeId)) // ids are sequential: never near 2^64
        });
        p.openChallenge = uint64(id);
        emit PledgeChallenged(
            pledgeId, challengeId, msg.sender, bond, uint64(block.timestamp + p.liveness), evidenceURI
        );
        ExactTransfer.pullExact(p.token, msg.sender, bond);
    }

    /// @inheritdoc IOptimisticResolution
    function dispute(PledgeId pledgeId) external nonReentrant {
        Pledge storage p = _requireState(pledgeId, _bit(PledgeState.Challenged));
        uint256 id = p.openChallenge;
        Challenge storage c = _challenges[id];
        c.disputer = msg.sender;
        c.disputedAt = uint64(block.timestamp);
        uint64 rulingDeadline = uint64(block.timestamp + _arbitrationTimeout);
        emit ChallengeDisputed(pledgeId, ChallengeId.wrap(id), msg.sender, c.bond, rulingDeadline);
        ExactTransfer.pullExact(p.token, msg.sender, c.bond);
        p.arbiter.onDisputed(ChallengeId.wrap(id), pledgeId, rulingDeadline);
    }

    /// @inheritdoc IOptimisticResolution
    function rule(ChallengeId challengeId, bool breached) external nonReentrant {
        Challenge storage c = _challenges[ChallengeId.unwrap(challengeId)];
        if (c.challenger == address(0)) revert ChallengeUnknown(challengeId);
        PledgeId pledgeId = PledgeId.wrap(c.pledgeId);
        Pledge storage p = _pledges[c.pledgeId];
        if (msg.sender != address(p.arbiter)) revert CallerNotArbiter(challengeId, msg.sender, address(p.arbiter));
        if (p.openChallenge != ChallengeId.unwrap(challengeId)) {
            revert ChallengeNotOpen(challengeId, ChallengeId.wrap(p.openChallenge));
        }
        _requireState(pledgeId, _bit(PledgeState.Disputed));
        emit ChallengeRuled(pledgeId, challengeId, msg.sender, breached);
        if (breached) {
            uint256 toChallenger = _settleDisputeBonds(challengeId, c, p.token, c.challenger);
            _slash(pledgeId, p, c.challenger, toChallenger);
        } else {
            uint256 toDisputer = _settleDisputeBonds(challengeId, c, p.token, c.disputer);
            p.openChallenge = 0;
            unchecked {
                // saturates: escalation stops at BondMath.MAX_ESCALATIONS anyway, and at the pledge's bond
                if (p.rejectedChallenges < type(uint8).max) ++p.rejectedChallenges;
            }
            _credit(c.disputer, p.token, toDisputer);
        }
    }

    /// @inheritdoc IOptimisticResolution
    function voidChallenge(PledgeId pledgeId) external nonReentrant {
        Pledge storage p = _requireState(pledgeId, _bit(PledgeState.RulingOverdue));
        uint256 id = p.openChallenge;
        Challenge storage c = _challenges[id];
        p.openChallenge = 0;
        emit ChallengeVoided(pledgeId, ChallengeId.wrap(id));
        _credit(c.challenger, p.token, c.bond);
        _credit(c.disputer, p.token, c.bond);
    }

    // ----------------------------------------------------------------- claims

    /// @inheritdoc IPledgeRegistry
    function claim(IERC20 token, address to) external nonReentrant returns (uint256 amount) {
        // The registry itself is refused: the balance would be zeroed while the tokens never left.
        if (to == address(0) || to == address(this)) revert ClaimRecipientInvalid(to);
        amount = _claimable[msg.sender][token];
        if (amount == 0) revert NothingToClaim(msg.sender, token);
        _claimable[msg.sender][token] = 0;
        emit Claimed(msg.sender, token, to, amount);
        token.safeTransfer(to, amount);
    }

    /// @inheritdoc IPledgeRegistry
    function flushBurned(IERC20 token) external nonReentrant returns (uint256 amount) {
        amount = _claimable[BURN_ADDRESS][token];
        if (amount == 0) revert NothingToClaim(BURN_ADDRESS, token);
        _claimable[BURN_ADDRESS][token] = 0;
        emit BurnFlushed(token, amount);
        token.safeTransfer(BURN_ADDRESS, amount);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IPledgeRegistry
    function getPledge(PledgeId pledgeId) external view returns (Pledge memory) {
        return _pledges[PledgeId.unwrap(pledgeId)];
    }

    /// @inheritdoc IPledgeRegistry
    function governorOf(PledgeId pledgeId) external view returns (address) {
        return _governors[PledgeId.unwrap(pledgeId)];
    }

    /// @inheritdoc IPledgeRegistry
    function isApprovedSponsor(address pledger, address sponsor) external view returns (bool) {
        return _sponsorApproved[pledger][sponsor];
    }

    /// @inheritdoc IPledgeRegistry
    function state(PledgeId pledgeId) external view returns (PledgeState) {
        return _state(_pledges[PledgeId.unwrap(pledgeId)]);
    }

    /// @inheritdoc IPledgeRegistry
    function claimable(address account, IERC20 token) external view returns (uint256) {
        return _claimable[account][token];
    }

    /// @inheritdoc IPledgeRegistry
    function config() external view returns (RegistryConfig memory) {
        return RegistryConfig({
            treasury: _treasury,
            challengerRewardBps: _challengerRewardBps,
            disputeFeeBps: _disputeFeeBps,
            minLiveness: _minLiveness,
            maxLiveness: _maxLiveness,
            maxGrace: _maxGrace,
            arbitrationTimeout: _arbitrationTimeout
        });
    }

    /// @inheritdoc IPledgeRegistry
    function pledgeCount() external view returns (uint256) {
        return _pledgeCount;
    }

    /// @inheritdoc IOptimisticResolution
    function getChallenge(ChallengeId challengeId) external view returns (Challenge memory) {
        return _challenges[ChallengeId.unwrap(challengeId)];
    }

    /// @inheritdoc IOptimisticResolution
    function openChallenge(PledgeId pledgeId) external view returns (ChallengeId) {
        return ChallengeId.wrap(_pledges[PledgeId.unwrap(pledgeId)].openChallenge);
    }

    /// @inheritdoc IOptimisticResolution
    function requiredChallengeBond(PledgeId pledgeId) external view returns (IERC20 token, uint256 amount) {
        Pledge storage p = _pledges[PledgeId.unwrap(pledgeId)];
        if (p.pledger == address(0)) revert PledgeUnknown(pledgeId);
        return (p.token, _nextChallengeBond(p));
    }

    // --------------------------------------------------------------- internal

    /// @dev The checks and effects of creating a pledge (`createPledge`, `createGovernedPledge`, `createPledgeFor`):
    /// validates the parameters, stores the pledge with `pledger` as pledger and emits `PledgeCreated`. The caller
    /// pulls the bond.
    function _recordPledge(address pledger, PledgeParams calldata params) private returns (PledgeId pledgeId) {
        _validateParams(pledger, params);
        uint256 id = ++_pledgeCount;
        pledgeId = PledgeId.wrap(id);
        Pledge storage p = _pledges[id];
        p.pledger = pledger;
        p.expiry = params.expiry;
        p.grace = params.grace;
        p.token = params.token;
        p.liveness = params.resolution.liveness;
        p.arbiter = params.resolution.arbiter;
        p.beneficiary = params.beneficiary;
        p.bond = params.bond;
        p.challengeBond = params.resolution.challengeBond;
        p.termsHash = params.termsHash;
        emit PledgeCreated(pledgeId, pledger, params.token, params);
    }

    function _validateParams(address pledger, PledgeParams calldata params) private view {
        if (address(params.token) == address(0)) revert TokenZero();
        if (params.bond == 0) revert BondZero();
        if (params.expiry <= block.timestamp) revert ExpiryNotInFuture(params.expiry, block.timestamp);
        if (params.grace > _maxGrace) revert GraceTooLong(params.grace, _maxGrace);
        ResolutionSettings calldata r = params.resolution;
        if (r.liveness < _minLiveness || r.liveness > _maxLiveness) {
            revert LivenessOutOfRange(r.liveness, _minLiveness, _maxLiveness);
        }
        if (r.challengeBond == 0) revert ChallengeBondZero();
        if (address(r.arbiter) == address(0) || address(r.arbiter) == pledger) {
            revert ArbiterInvalid(address(r.arbiter));
        }
        if (params.beneficiary == pledger) revert BeneficiaryIsPledger(params.beneficiary);
    }

    /// @dev Escalation is capped at the pledge's own bond (or the base bond if larger): rejected sham
    /// challenges can raise the stakes for real challengers at most to what the pledger itself risks.
    function _nextChallengeBond(Pledge storage p) private view returns (uint128) {
        uint128 base = p.challengeBond;
        uint128 bond = p.bond;
        return BondMath.escalatedBond(base, p.rejectedChallenges, bond > base ? bond : base);
    }

    /// @dev Derives the state from stored facts and the clock. Each boundary: the earlier state holds
    /// while `block.timestamp < deadline`, the later one from `deadline` on.
    function _state(Pledge storage p) private view returns (PledgeState) {
        if (p.pledger == address(0)) return PledgeState.None;
        if (p.outcome == Outcome.Breached) return PledgeState.Breached;
        if (p.outcome == Outcome.Honored) return PledgeState.Honored;
        uint256 open = p.openChallenge;
        if (open != 0) {
            Challenge storage c = _challenges[open];
            if (c.disputer == address(0)) {
                return block.timestamp < uint256(c.challengedAt) + p.liveness
                    ? PledgeState.Challenged
                    : PledgeState.Slashable;
            }
            return block.timestamp < uint256(c.disputedAt) + _arbitrationTimeout
                ? PledgeState.Disputed
                : PledgeState.RulingOverdue;
        }
        return block.timestamp < uint256(p.expiry) + p.grace ? PledgeState.Active : PledgeState.Releasable;
    }

    /// @dev Loads a pledge and reverts unless its state is in the `allowed` bitmap.
    function _requireState(PledgeId pledgeId, uint256 allowed) private view returns (Pledge storage p) {
        p = _pledges[PledgeId.unwrap(pledgeId)];
        PledgeState current = _state(p);
        if (current == PledgeState.None) revert PledgeUnknown(pledgeId);
        if (_bit(current) & allowed == 0) revert UnexpectedState(pledgeId, current, allowed);
    }

    /// @dev Loads a pledge in `Active` and reverts unless the caller is its governor (zero for a pledge without
    /// one, which no caller can be). The state is checked first, as in `topUp`.
    function _requireGovernorInActive(PledgeId pledgeId) private view returns (Pledge storage p) {
        p = _requireState(pledgeId, _bit(PledgeState.Active));
        address governor = _governors[PledgeId.unwrap(pledgeId)];
        if (msg.sender != governor) revert CallerNotGovernor(pledgeId, msg.sender, governor);
    }

    function _bit(PledgeState s) private pure returns (uint256) {
        return 1 << uint8(s);
    }

    /// @dev Credits the fee on the loser's bond to the treasury (or the burn address) and returns what the
    /// winner gets (its own bond plus the loser's bond less the fee), which the caller credits.
    function _settleDisputeBonds(ChallengeId challengeId, Challenge storage c, IERC20 token, address winner)
        private
        returns (uint256 toWinner)
    {
        // The fee rounds up, against the winner: a self-dispute always costs something when the fee rate is non-zero.
        (uint256 fee, uint256 loserRest) = BondMath.splitCeil(c.bond, _disputeFeeBps);
        address feeRecipient = _treasury == address(0) ? BURN_ADDRESS : _treasury;
        toWinner = uint256(c.bond) + loserRest;
        emit DisputeBondsSettled(challengeId, winner, toWinner, fee, feeRecipient);
        _credit(feeRecipient, token, fee);
    }

    /// @dev Marks the pledge breached and splits its bond: the challenger gets its reward plus
    /// `challengerCredit` (its own bond and any dispute winnings) in one credit; the beneficiary (or the
    /// burn address) gets the rest. A pact is the beneficiary of its members' pledges and splits what it receives.
    function _slash(PledgeId pledgeId, Pledge storage p, address challenger, uint256 challengerCredit) private {
        p.outcome = Outcome.Breached;
        uint256 bond = p.bond;
        (uint256 reward, uint256 rest) = BondMath.split(bond, _challengerRewardBps);
        address beneficiary = p.beneficiary == address(0) ? BURN_ADDRESS : p.beneficiary;
        emit PledgeSlashed(pledgeId, challenger, bond, reward, rest, beneficiary);
        _credit(challenger, p.token, challengerCredit + reward);
        _credit(beneficiary, p.token, rest);
    }

    function _credit(address account, IERC20 token, uint256 amount) private {
        if (amount == 0) return;
        _claimable[account][token] += amount;
        emit ClaimCredited(account, token, amount);
    }
}
