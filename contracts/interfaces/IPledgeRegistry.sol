// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {PledgeId} from "../types/Ids.sol";
import {IArbiter} from "./IArbiter.sol";

/// @title IPledgeRegistry
/// @notice Bonded pledges. A pledger commits to terms (a hash and a URI), escrows a bond in any
/// ERC-20 that transfers exact amounts, and names who rules on alleged breaches. If a breach is
/// established the bond is slashed: a registry-wide share rewards the challenger and the rest goes
/// to the pledge's beneficiary (or is burned). If the term and its grace period pass with no
/// challenge open, anyone finalizes the pledge as `Honored` and the bond returns to the pledger.
/// Every payout is credited to a claimable balance that its owner withdraws (pull payments).
/// @dev Lifecycle, derived from stored facts and `block.timestamp` by `state`:
///   Active -> Challenged -> (Slashable -> Breached | Disputed -> (Breached | Active | RulingOverdue -> Active))
///   Active -> Releasable (at `expiry + grace`) -> Honored.
/// Time boundary: challengeable while `block.timestamp < expiry + grace`; releasable from then on.
/// Token assumptions: the bond token moves exactly the amounts asked (fee-on-transfer tokens are
/// refused by measuring balances) and does not rebase; see docs/threat-model.md.
interface IPledgeRegistry {
    /// @notice Where a pledge stands. `None` for unknown ids.
    enum PledgeState {
        None,
        Active,
        Challenged,
        Disputed,
        Slashable,
        RulingOverdue,
        Releasable,
        Breached,
        Honored
    }

    /// @notice The stored final outcome of a pledge.
    enum Outcome {
        None,
        Breached,
        Honored
    }

    /// @notice How alleged breaches of a pledge are resolved.
    /// @param arbiter Rules on disputed challenges; cannot be the pledger.
    /// @param liveness Seconds a challenge stays disputable.
    /// @param challengeBond Base bond a challenger (and a disputer) posts, in the bond token.
    struct ResolutionSettings {
        IArbiter arbiter;
        uint32 liveness;
        uint128 challengeBond;
    }

    /// @notice What a pledger commits to when creating a pledge.
    /// @param termsHash Hash of the terms document.
    /// @param termsURI Where the terms document lives; emitted, not stored.
    /// @param token The bond token.
    /// @param bond Amount escrowed, pulled from the pledger.
    /// @param expiry End of the term (unix seconds), strictly in the future.
    /// @param grace Seconds after `expiry` in which breaches during the term may still be challenged.
    /// @param beneficiary Receives the slashed bond less the challenger's reward; `address(0)` burns it.
    /// @param resolution How breaches are resolved.
    struct PledgeParams {
        bytes32 termsHash;
        string termsURI;
        IERC20 token;
        uint128 bond;
        uint64 expiry;
        uint32 grace;
        address beneficiary;
        ResolutionSettings resolution;
    }

    /// @notice A pledge as stored (6 slots).
    struct Pledge {
        address pledger;
        uint64 expiry;
        uint32 grace;
        IERC20 token;
        uint32 liveness;
        Outcome outcome;
        uint8 rejectedChallenges;
        IArbiter arbiter;
        uint64 openChallenge;
        address beneficiary;
        uint128 bond;
        uint128 challengeBond;
        bytes32 termsHash;
    }

    /// @notice Registry-wide parameters, fixed at deployment.
    /// @param treasury Receives the fee on a losing dispute bond; `address(0)` burns it.
    /// @param challengerRewardBps Share of a slashed bond paid to the winning challenger, in basis points.
    /// @param disputeFeeBps Share of a losing dispute bond taken as fee, in basis points.
    /// @param minLiveness Shortest liveness a pledge may choose, in seconds (at least 1).
    /// @param maxLiveness Longest liveness a pledge may choose, in seconds.
    /// @param maxGrace Longest grace period a pledge may choose, in seconds.
    /// @param arbitrationTimeout Seconds an arbiter has to rule on a dispute (at least 1).
    struct RegistryConfig {
        address treasury;
        uint16 challengerRewardBps;
        uint16 disputeFeeBps;
        uint32 minLiveness;
        uint32 maxLiveness;
        uint32 maxGrace;
        uint32 arbitrationTimeout;
    }

    /// @notice New terms a pledge's governor sets (`amend`).
    /// @param termsHash The new terms' hash.
    /// @param termsURI Where the new terms live; emitted, not stored.
    /// @param expiry The new end of the term, strictly in the future (may be earlier or later than the old one).
    /// @param bond The new bond, not zero and at most the current bond (the difference is credited to the pledger;
    /// a bond grows only by `topUp`).
    struct Amendment {
        bytes32 termsHash;
        string termsURI;
        uint64 expiry;
        uint128 bond;
    }

    /// @notice A pledge was created and its bond escrowed.
    event PledgeCreated(PledgeId indexed pledgeId, address indexed pledger, IERC20 indexed token, PledgeParams params);
    /// @notice The pledger added to a pledge's bond.
    event BondToppedUp(PledgeId indexed pledgeId, uint256 amount, uint256 newBond);
    /// @notice A breach was established and the bond split between the challenger and the beneficiary.
    event PledgeSlashed(
        PledgeId indexed pledgeId,
        address indexed challenger,
        uint256 bond,
        uint256 challengerReward,
        uint256 beneficiaryShare,
        address beneficiary
    );
    /// @notice The pledge's term and grace passed unchallenged; its bond was credited back to the pledger.
    event PledgeHonored(PledgeId indexed pledgeId, address indexed pledger, uint256 bond);
    /// @notice An amount was credited to an account's claimable balance.
    event ClaimCredited(address indexed account, IERC20 indexed token, uint256 amount);
    /// @notice An account withdrew its claimable balance.
    event Claimed(address indexed account, IERC20 indexed token, address indexed to, uint256 amount);
    /// @notice Burned amounts were sent to the burn address.
    event BurnFlushed(IERC20 indexed token, uint256 amount);

    /// @notice A pledge was created with `governor` as the only account that may release or amend it.
    event PledgeGoverned(PledgeId indexed pledgeId, address indexed governor);
    /// @notice The governor ended the pledge's term early: its expiry moved from `oldExpiry` to `newExpiry` (now);
    /// breaches during the term stay challengeable for the grace period, then the pledge is releasable as usual.
    event PledgeReleased(PledgeId indexed pledgeId, address indexed governor, uint64 oldExpiry, uint64 newExpiry);
    /// @notice The governor amended the pledge's terms; `refunded` of the bond was credited back to the pledger.
    event PledgeAmended(
        PledgeId indexed pledgeId,
        address indexed governor,
        bytes32 termsHash,
        string termsURI,
        uint64 expiry,
        uint128 bond,
        uint128 refunded
    );

    /// @notice `pledger` allowed (or stopped allowing) `sponsor` to create pledges in its name (`createPledgeFor`).
    event SponsorApproval(address indexed pledger, address indexed sponsor, bool approved);
    /// @notice A pledge was created in `pledger`'s name by `sponsor`, who paid its bond.
    event PledgeSponsored(PledgeId indexed pledgeId, address indexed pledger, address indexed sponsor);

    /// @notice The pledge does not exist.
    error PledgeUnknown(PledgeId pledgeId);
    /// @notice The pledge is in `current`; the action needs one of the states in the `allowed` bitmap (bit i = state i).
    error UnexpectedState(PledgeId pledgeId, PledgeState current, uint256 allowed);
    /// @notice Only the pledger may do this.
    error CallerNotPledger(PledgeId pledgeId, address caller, address pledger);
    /// @notice Zero bond token address.
    error TokenZero();
    /// @notice Bond (or top-up) of zero.
    error BondZero();
    /// @notice Challenge bond of zero.
    error ChallengeBondZero();
    /// @notice Expiry not strictly after the current time.
    error ExpiryNotInFuture(uint64 expiry, uint256 nowTs);
    /// @notice Grace period longer than the registry allows.
    error GraceTooLong(uint32 grace, uint32 maxGrace);
    /// @notice Liveness outside the registry's bounds.
    error LivenessOutOfRange(uint32 liveness, uint32 minLiveness, uint32 maxLiveness);
    /// @notice Zero arbiter address, or the pledger itself as arbiter.
    error ArbiterInvalid(address arbiter);
    /// @notice The pledger cannot be the beneficiary of its own slashing.
    error BeneficiaryIsPledger(address beneficiary);
    /// @notice The token moved a different amount than asked (fee-on-transfer or rebasing tokens are refused).
    error TokenTransferMismatch(IERC20 token, uint256 expected, uint256 received);
    /// @notice The account has nothing to claim in this token.
    error NothingToClaim(address account, IERC20 token);
    /// @notice Claim to the zero address or to the registry itself.
    error ClaimRecipientInvalid(address to);
    /// @notice Only the pledge's governor may do this (`governor` is zero for a pledge without one).
    error CallerNotGovernor(PledgeId pledgeId, address caller, address governor);
    /// @notice A governor of zero, or the pledger itself (who could then release its own pledge).
    error GovernorInvalid(address governor);
    /// @notice An amended bond of zero or above the current bond.
    error AmendedBondInvalid(PledgeId pledgeId, uint128 bond, uint128 currentBond);

    /// @notice `pledger` has not approved `sponsor` to create pledges in its name.
    error SponsorNotApproved(address pledger, address sponsor);
    /// @notice A pledger of zero, or the sponsor itself (use `createPledge`).
    error PledgerInvalid(address pledger);

    /// @notice A registry parameter is out of range at deployment.
    error ConfigInvalid(string field, uint256 value);

    /// @notice Creates a pledge and pulls its bond from the caller (approve the registry first).
    /// @param params The pledge's terms, bond and resolution settings.
    /// @return pledgeId The new pledge's id (ids start at 1).
    function createPledge(PledgeParams calldata params) external returns (PledgeId pledgeId);

    /// @notice Creates a pledge, like `createPledge`, that `governor` (a decision contract, not the pledger) may
    /// later release early or amend. A pledge created by `createPledge` has no governor and binds to its expiry.
    /// @param params The pledge's terms, bond and resolution settings.
    /// @param governor The only account that may call `release` and `amend` for it; not zero, not the caller.
    /// @return pledgeId The new pledge's id.
    function createGovernedPledge(PledgeParams calldata params, address governor) external returns (PledgeId pledgeId);

    /// @notice Creates a pledge in `pledger`'s name, paid by the caller (its sponsor): the bond is pulled from the
    /// caller, and everything else is as if `pledger` had called `createPledge` (the bond returns to the pledger when
    /// honored; only the pledger tops it up; the pledger may not challenge it, arbitrate it or be its beneficiary).
    /// A pact uses it to bind every member at one moment with the bonds it escrowed.
    /// @dev The pledger must have approved the caller (`approveSponsor`): nobody is named pledger without consent.
    /// @param pledger The account bound by the pledge; not zero, not the caller.
    /// @param params The pledge's terms, bond and resolution settings.
    /// @return pledgeId The new pledge's id.
    function createPledgeFor(address pledger, PledgeParams calldata params) external returns (PledgeId pledgeId);

    /// @notice Allows (or stops allowing) `sponsor` to create pledges in the caller's name with `createPledgeFor`.
    /// @param sponsor The sponsor (a pact contract, say).
    /// @param approved Whether it may.
    function approveSponsor(address sponsor, bool approved) external;

    /// @notice Ends a governed pledge's term now, without slashing: `expiry` becomes `block.timestamp` (if later),
    /// breaches during the term stay challengeable through the grace period, then anyone finalizes it as `Honored`
    /// and the bond returns to the pledger. Only the governor; only in `Active` (never under an open challenge).
    /// @param pledgeId The pledge.
    function release(PledgeId pledgeId) external;

    /// @notice Replaces a governed pledge's terms hash, expiry and bond. Only the governor; only in `Active`. A lower
    /// bond credits the difference to the pledger's claimable balance. Challenges and breach markets continue
    /// under the new terms (same pledge id, same breach condition).
    /// @param pledgeId The pledge.
    /// @param amendment The new terms.
    function amend(PledgeId pledgeId, Amendment calldata amendment) external;

    /// @notice Adds to a pledge's bond, pulled from the pledger. A bond can grow, never shrink.
    /// @dev Only the pledger; only in `Active`, `Challenged` or `Disputed`.
    /// @param pledgeId The pledge.
    /// @param amount The amount to add, greater than zero.
    function topUp(PledgeId pledgeId, uint128 amount) external;

    /// @notice Settles a pledge that is due: `Slashable` becomes `Breached` (bond slashed and split),
    /// `Releasable` becomes `Honored` (bond credited back to the pledger). Permissionless.
    /// @param pledgeId The pledge.
    /// @return outcome The final outcome.
    function finalize(PledgeId pledgeId) external returns (Outcome outcome);

    /// @notice Withdraws the caller's whole claimable balance of a token to `to`.
    /// @param token The token.
    /// @param to The recipient.
    /// @return amount The amount paid.
    function claim(IERC20 token, address to) external returns (uint256 amount);

    /// @notice Sends burned amounts of a token (slashed bonds of pledges without beneficiary, fees
    /// without treasury) to the burn address `0x…dEaD`. Permissionless.
    /// @param token The token.
    /// @return amount The amount sent.
    function flushBurned(IERC20 token) external returns (uint256 amount);

    /// @notice Reads a pledge.
    /// @param pledgeId The pledge.
    /// @return The stored pledge (all zero if unknown).
    function getPledge(PledgeId pledgeId) external view returns (Pledge memory);

    /// @notice The account that may release or amend a pledge.
    /// @param pledgeId The pledge.
    /// @return The governor, zero for a pledge without one.
    function governorOf(PledgeId pledgeId) external view returns (address);

    /// @notice Whether `pledger` allows `sponsor` to create pledges in its name.
    /// @param pledger The pledger.
    /// @param sponsor The sponsor.
    /// @return True if approved.
    function isApprovedSponsor(address pledger, address sponsor) external view returns (bool);

    /// @notice The state of a pledge now.
    /// @param pledgeId The pledge.
    /// @return The derived state (`None` for unknown ids).
    function state(PledgeId pledgeId) external view returns (PledgeState);

    /// @notice What an account can claim in a token.
    /// @param account The account (the burn address for burned amounts).
    /// @param token The token.
    /// @return The claimable amount.
    function claimable(address account, IERC20 token) external view returns (uint256);

    /// @notice The registry-wide parameters.
    /// @return The configuration fixed at deployment.
    function config() external view returns (RegistryConfig memory);

    /// @notice The number of pledges created so far (the last id).
    /// @return The count.
    function pledgeCount() external view returns (uint256);
}
