// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IBreachMarkets} from "./IBreachMarkets.sol";
import {IPledgeRegistry} from "./IPledgeRegistry.sol";
import {PactId, PledgeId} from "../types/Ids.sol";

/// @title IPacts
/// @notice Pacts: assurance contracts among competitors. A pact's members each post a bond on shared terms; the
/// pact binds only if a quorum joins by a deadline. Then every member's pledge is created in the registry at the
/// same moment (the member is its pledger, this contract its sponsor and beneficiary), and a member's breach is
/// challenged and resolved like any pledge's. If the quorum is missed, every member takes back its whole bond and
/// an equal share of the refund bonus its founder may have put up (a dominant assurance contract).
///
/// - Slashing: the registry pays the challenger's reward; the rest of the slashed bond comes to the pact, which
///   gives `keeperShareBps` of it to the members still in compliance pro-rata to their bonds and the remainder to
///   the pact's beneficiary. A breacher never shares in its own slash.
/// - Keeper shares vest when the member's own pledge is Honored. A member that breaches forfeits what it had
///   accrued from earlier breaches: it joins its own slash's keeper share. So defecting late costs more than the
///   bond: it also costs the compensation the member earned by keeping the pledge while others defected.
/// - Accounting: one reward-per-bond accumulator per pact: recording a breach is O(1) and so is every claim,
///   whatever the number of members; no member's payout depends on the order in which outcomes are recorded or
///   shares claimed (beyond rounding, which never favours a claimant). Rounding dust goes to the beneficiary once
///   every member's outcome is recorded.
/// - Consent: a member must first approve this contract as its sponsor in the registry (`approveSponsor`); one that
///   withdraws that approval before activation is expelled (by `expel`, or by `activate` itself): its bond goes to
///   the beneficiary, so stalling a pact (to collect a refund bonus, say) costs the staller its bond.
/// - Pull payments: refunds, bonus and keeper shares are paid to whoever asks for its own; the beneficiary's shares
///   are credited and withdrawn with `claim`.
/// - Breach markets: this contract is the beneficiary of every member's pledge, so when a member sponsored its own
///   pledge's breach market and gained from its breach, BreachMarkets credits the capped excess to this contract.
///   `collectMarketExcess` (permissionless) pulls it and credits it to the pact's beneficiary.
/// @dev Lifecycle, derived by `state` from stored facts and `block.timestamp`:
///   Joining -> Activatable (quorum reached and the deadline passed, or every seat taken) -> Active (`activate`);
///   Joining -> Failed (deadline passed below quorum); Activatable -> Failed (nobody activated before expiry).
interface IPacts {
    /// @notice Where a pact stands. `None` for unknown ids.
    enum PactState {
        None,
        Joining,
        Activatable,
        Active,
        Failed
    }

    /// @notice Where a member stands in its pact.
    enum MemberStatus {
        None,
        Joined,
        Refunded,
        Expelled,
        Pledged,
        Honored,
        Breached
    }

    /// @notice What a founder sets when creating a pact.
    /// @param termsHash Hash of the shared terms (every member's pledge carries it).
    /// @param termsURI Where the terms live; emitted, not stored.
    /// @param token The bond token (exact-transfer ERC-20s only).
    /// @param minBond Least bond a member posts.
    /// @param quorum Members needed for the pact to bind, at least 2.
    /// @param maxMembers Seats of an open pact, from `quorum` to `MAX_MEMBERS`; ignored when members are named
    /// (the list's length is the number of seats).
    /// @param joinDeadline Joining closes at this time (unix seconds), strictly in the future.
    /// @param expiry End of the pledges' term, after `joinDeadline`.
    /// @param grace Seconds after `expiry` in which breaches may still be challenged.
    /// @param keeperShareBps Share of a slashed bond (after the challenger's reward) paid to the keepers.
    /// @param beneficiary Receives the rest of slashed bonds, expelled bonds and rounding dust; not zero.
    /// @param resolution How alleged breaches are resolved (as for pledges).
    /// @param bonus Refund bonus pulled from the founder, shared equally by the members if the pact fails.
    struct PactParams {
        bytes32 termsHash;
        string termsURI;
        IERC20 token;
        uint128 minBond;
        uint16 quorum;
        uint16 maxMembers;
        uint64 joinDeadline;
        uint64 expiry;
        uint32 grace;
        uint16 keeperShareBps;
        address beneficiary;
        IPledgeRegistry.ResolutionSettings resolution;
        uint128 bonus;
    }

    /// @notice A pact as stored.
    struct Pact {
        address founder;
        uint64 joinDeadline;
        uint16 quorum;
        uint16 seats;
        IERC20 token;
        uint64 expiry;
        uint32 grace;
        bool invitedOnly;
        address beneficiary;
        uint64 activatedAt;
        uint16 keeperShareBps;
        uint16 members;
        uint16 recorded;
        bool bonusReclaimed;
        uint128 minBond;
        uint128 bonus;
        uint128 totalBond;
        uint128 compliantBond;
        bytes32 termsHash;
        IPledgeRegistry.ResolutionSettings resolution;
    }

    /// @notice A member of a pact.
    /// @param bond What it posted (its pledge's initial bond and its weight in keeper shares).
    /// @param pledgeId Its pledge in the registry (zero before activation).
    /// @param status Where it stands.
    /// @param paid Keeper shares paid out to it so far.
    struct Member {
        uint128 bond;
        uint64 pledgeId;
        MemberStatus status;
        uint128 paid;
    }

    /// @notice A pact's keeper-share accounts.
    /// @param accPerBond Keeper shares per unit of bond so far, scaled by `ACC_SCALE`.
    /// @param funds Everything ever put into keeper shares (net of what went to the beneficiary).
    /// @param paid Keeper shares paid out so far.
    struct KeeperAccounts {
        uint256 accPerBond;
        uint128 funds;
        uint128 paid;
    }

    /// @notice What a member would lose by defecting now, next to what keeping has earned it. Amounts in the bond token.
    /// @param bondAtRisk Its pledge's bond now (zero once its outcome is final or before activation).
    /// @param toChallenger Of that, the challenger's reward.
    /// @param toKeepers Of that, what would go to the other members still in compliance.
    /// @param toBeneficiary Of that, what would go to the pact's beneficiary.
    /// @param sharesForfeited Keeper shares it accrued from earlier breaches, lost on a breach (`Pledged` only).
    /// @param othersCompliantBond The bonds of the other members still in compliance, who would share `toKeepers`.
    struct DefectionCost {
        uint256 bondAtRisk;
        uint256 toChallenger;
        uint256 toKeepers;
        uint256 toBeneficiary;
        uint256 sharesForfeited;
        uint256 othersCompliantBond;
    }

    /// @notice A pact was created; `invited` lists its named members (empty for an open pact).
    event PactCreated(PactId indexed pactId, address indexed founder, IERC20 indexed token, PactParams params, address[] invited);
    /// @notice `member` joined with `bond`; `members` have joined so far.
    event MemberJoined(PactId indexed pactId, address indexed member, uint256 bond, uint256 members);
    /// @notice The pact bound: every member's pledge was created at `activatedAt`.
    event PactActivated(PactId indexed pactId, uint64 activatedAt, uint256 members, uint256 totalBond);
    /// @notice `member`'s pledge in the registry.
    event MemberPledged(PactId indexed pactId, address indexed member, PledgeId indexed pledgeId, uint256 bond);
    /// @notice The pact failed; `member` took back its bond and its share of the refund bonus.
    event MemberRefunded(PactId indexed pactId, address indexed member, uint256 bond, uint256 bonusShare);
    /// @notice `member` withdrew its sponsor approval before activation; its bond went to the beneficiary.
    event MemberExpelled(PactId indexed pactId, address indexed member, address indexed by, uint256 bond);
    /// @notice The founder took back `amount` of the refund bonus (all of it after activation; dust after a failure).
    event BonusReclaimed(PactId indexed pactId, address indexed founder, uint256 amount);
    /// @notice `member`'s pledge was breached: `toKeepers` (with `forfeited`, its own unvested shares) went to the
    /// members still in compliance, `toBeneficiary` to the beneficiary.
    event BreachRecorded(
        PactId indexed pactId,
        address indexed member,
        uint256 slashed,
        uint256 toKeepers,
        uint256 forfeited,
        uint256 toBeneficiary,
        uint256 accPerBond
    );
    /// @notice `member`'s pledge was honored: its keeper shares vest.
    event HonorRecorded(PactId indexed pactId, address indexed member);
    /// @notice Every member's outcome is recorded; `dust` (keeper shares no member can claim) went to the beneficiary.
    event PactSettled(PactId indexed pactId, uint256 dust);
    /// @notice `member` withdrew `amount` of keeper shares to `to`.
    event SharesClaimed(PactId indexed pactId, address indexed member, address to, uint256 amount);
    /// @notice An amount was credited to an account's claimable balance.
    event ClaimCredited(address indexed account, IERC20 indexed token, uint256 amount);
    /// @notice The capped excess of `member`'s own breach market (`pledgeId`) was pulled from BreachMarkets and
    /// credited to the pact's beneficiary.
    event MarketExcessCollected(
        PactId indexed pactId, address indexed member, PledgeId indexed pledgeId, address beneficiary, uint256 amount
    );
    /// @notice An account withdrew its claimable balance.
    event Claimed(address indexed account, IERC20 indexed token, address indexed to, uint256 amount);

    /// @notice The pact does not exist.
    error PactUnknown(PactId pactId);
    /// @notice The pact is in `current`; the action needs one of the states in the `allowed` bitmap (bit i = state i).
    error PactUnexpectedState(PactId pactId, PactState current, uint256 allowed);
    /// @notice A pact parameter is out of range (`field` names it).
    error PactParamInvalid(string field, uint256 value);
    /// @notice The named-member list holds the zero address, a repeat, the arbiter or the beneficiary (`account`).
    error InviteeInvalid(address account);
    /// @notice `account` is not among the pact's named members.
    error NotInvited(PactId pactId, address account);
    /// @notice `account` has already joined.
    error AlreadyMember(PactId pactId, address account);
    /// @notice A bond below the pact's minimum.
    error BondBelowMinimum(PactId pactId, uint256 bond, uint256 minBond);
    /// @notice `account` may not join: it is the pact's arbiter or beneficiary.
    error MemberInvalid(PactId pactId, address account);
    /// @notice `member` has not approved this contract as its sponsor in the registry.
    error SponsorNotApproved(PactId pactId, address member);
    /// @notice `account`'s standing is `status`; the action needs another.
    error MemberStatusInvalid(PactId pactId, address account, MemberStatus status);
    /// @notice `member` still approves this contract as its sponsor: it cannot be expelled.
    error MemberStillApproves(PactId pactId, address member);
    /// @notice `member`'s pledge is in `current`, not a final outcome (nor one `finalize` can fix now).
    error OutcomeNotFinal(PactId pactId, address member, IPledgeRegistry.PledgeState current);
    /// @notice Only the founder may do this.
    error CallerNotFounder(PactId pactId, address caller, address founder);
    /// @notice The founder already reclaimed the bonus, or there is none to reclaim.
    error NothingToReclaim(PactId pactId);
    /// @notice The member has no keeper shares to claim.
    error NoShares(PactId pactId, address member);
    /// @notice The account has nothing to claim in this token.
    error NothingToClaim(address account, IERC20 token);
    /// @notice A payment to the zero address or to this contract.
    error RecipientInvalid(address to);
    /// @notice `breachMarkets` reads `registry`, not this contract's registry `expected` (a wiring error).
    error BreachMarketsRegistryMismatch(IBreachMarkets breachMarkets, IPledgeRegistry registry, IPledgeRegistry expected);
    /// @notice This deployment has no breach markets (`breachMarkets` is zero).
    error NoBreachMarkets();
    /// @notice BreachMarkets holds no excess of `member`'s pledge `pledgeId` for this contract (no market, no capped
    /// gain, or already collected).
    error NoMarketExcess(PactId pactId, address member, PledgeId pledgeId);
    /// @notice An ERC-20 transfer in delivered `received`, not the `expected` amount.
    error TokenTransferMismatch(IERC20 token, uint256 expected, uint256 received);

    /// @notice Creates a pact and pulls its refund bonus (if any) from the caller, its founder.
    /// @param params The pact's terms, bonds, dates, shares and resolution settings.
    /// @param invited The named members (at most `MAX_MEMBERS`, at least `quorum`), or empty for an open pact.
    /// @return pactId The new pact's id (ids start at 1).
    function createPact(PactParams calldata params, address[] calldata invited) external returns (PactId pactId);

    /// @notice Joins a pact in `Joining`, escrowing `bond` (approve this contract first, and approve it as sponsor
    /// in the registry). Joining is binding: there is no leaving before the pact fails or the term ends.
    /// @param pactId The pact.
    /// @param bond At least the pact's `minBond`.
    function join(PactId pactId, uint128 bond) external;

    /// @notice Binds an `Activatable` pact: creates every member's pledge in the registry now, with its bond.
    /// Members that withdrew their sponsor approval are expelled first (their bonds go to the beneficiary); if the
    /// pact is then no longer Activatable, it is not activated (and the expulsions stand). Permissionless.
    /// @param pactId The pact.
    function activate(PactId pactId) external;

    /// @notice Before activation, removes a member that withdrew its sponsor approval; its bond is credited to the
    /// beneficiary and its seat freed. Permissionless (`activate` does the same for every such member).
    /// @param pactId The pact.
    /// @param member The member.
    function expel(PactId pactId, address member) external;

    /// @notice In a `Failed` pact, pays the caller its bond and its equal share of the refund bonus.
    /// @param pactId The pact.
    /// @return amount What the caller received.
    function withdraw(PactId pactId) external returns (uint256 amount);

    /// @notice Pays the founder what is left of its refund bonus: all of it once the pact is Active, the rounding
    /// dust of the members' equal shares once it Failed. Only the founder; once.
    /// @param pactId The pact.
    /// @return amount What the founder received.
    function reclaimBonus(PactId pactId) external returns (uint256 amount);

    /// @notice Records a member's final outcome, finalizing its pledge in the registry first when that is due.
    /// Breached: splits what the pact received between the keepers and the beneficiary; Honored: its keeper shares
    /// vest. The last record of a pact sends the rounding dust to the beneficiary. Permissionless.
    /// @param pactId The pact.
    /// @param member The member.
    /// @return breached Whether the member's pledge was breached.
    function recordOutcome(PactId pactId, address member) external returns (bool breached);

    /// @notice Pays a member whose pledge was honored its keeper shares so far, to `to`.
    /// @param pactId The pact.
    /// @param to The recipient.
    /// @return amount What was paid.
    function claimShares(PactId pactId, address to) external returns (uint256 amount);

    /// @notice Pulls the capped excess BreachMarkets credited to this contract for `member`'s pledge (the member
    /// sponsored its own pledge's breach market and gained from its breach) and credits it to the pact's
    /// beneficiary, who withdraws it with `claim`. Permissionless; the member's pledge must exist (Pledged, Honored
    /// or Breached).
    /// @param pactId The pact.
    /// @param member The member whose pledge's market was capped.
    /// @return amount What was credited to the beneficiary.
    function collectMarketExcess(PactId pactId, address member) external returns (uint256 amount);

    /// @notice Withdraws the caller's claimable balance of `token` (the beneficiaries' shares) to `to`.
    /// @param token The token.
    /// @param to The recipient.
    /// @return amount What was paid.
    function claim(IERC20 token, address to) external returns (uint256 amount);

    /// @notice The state of a pact now.
    /// @param pactId The pact.
    /// @return The derived state.
    function state(PactId pactId) external view returns (PactState);

    /// @notice Reads a pact.
    /// @param pactId The pact.
    /// @return The stored pact (all zero if unknown).
    function getPact(PactId pactId) external view returns (Pact memory);

    /// @notice Reads a pact's member.
    /// @param pactId The pact.
    /// @param account The account.
    /// @return The member (all zero for non-members).
    function getMember(PactId pactId, address account) external view returns (Member memory);

    /// @notice The members of a pact, in joining order (at most `MAX_MEMBERS`).
    /// @param pactId The pact.
    /// @return The members' addresses.
    function membersOf(PactId pactId) external view returns (address[] memory);

    /// @notice Whether `account` is among a pact's named members (always false for an open pact).
    /// @param pactId The pact.
    /// @param account The account.
    /// @return True if named.
    function isInvited(PactId pactId, address account) external view returns (bool);

    /// @notice A pact's keeper-share accounts.
    /// @param pactId The pact.
    /// @return The accounts.
    function keeperAccounts(PactId pactId) external view returns (KeeperAccounts memory);

    /// @notice A member's keeper shares not yet paid: claimable once its pledge is Honored, forfeited if Breached.
    /// @param pactId The pact.
    /// @param account The member.
    /// @return The amount.
    function sharesOf(PactId pactId, address account) external view returns (uint256);

    /// @notice What `account` would lose by defecting now, at the current state.
    /// @param pactId The pact.
    /// @param account The member.
    /// @return cost The breakdown.
    function defectionCost(PactId pactId, address account) external view returns (DefectionCost memory cost);

    /// @notice What an account can withdraw with `claim`.
    /// @param account The account.
    /// @param token The token.
    /// @return The claimable amount.
    function claimable(address account, IERC20 token) external view returns (uint256);

    /// @notice The number of pacts created so far (the last id).
    /// @return The count.
    function pactCount() external view returns (uint256);

    /// @notice The registry holding the members' pledges.
    /// @return The registry.
    function registry() external view returns (IPledgeRegistry);

    /// @notice The BreachMarkets whose capped excess `collectMarketExcess` pulls (zero: none).
    /// @return The breach markets.
    function breachMarkets() external view returns (IBreachMarkets);
}
