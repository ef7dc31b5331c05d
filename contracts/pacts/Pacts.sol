// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IBreachMarkets} from "../interfaces/IBreachMarkets.sol";
import {IPacts} from "../interfaces/IPacts.sol";
import {IPledgeRegistry} from "../interfaces/IPledgeRegistry.sol";
import {BondMath} from "../registry/BondMath.sol";
import {PactId, PledgeId} from "../types/Ids.sol";
import {ExactTransfer} from "../utils/ExactTransfer.sol";

/// @title Pacts
/// @notice Assurance contracts among competitors on top of a pledge registry: see `IPacts`.
/// @dev The token balance of this contract covers, per token: the bonds escrowed by members of pacts not yet
/// activated (nor refunded or expelled), the refund bonuses not yet paid or reclaimed, the claimable balances, and
/// each pact's keeper liability `funds - paid`; plus slashes taken from the registry but not yet recorded (the
/// registry pays all of this contract's claimable at once) and whatever was sent unasked. BreachMarkets only credits
/// this contract (`collectMarketExcess` pulls and books in one call), so nothing arrives from it unbooked. Loops run over a pact's
/// members only, at most `MAX_MEMBERS`.
contract Pacts is IPacts, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Most members a pact may have: bounds the loops of `createPact`, `activate` and the last record.
    uint16 public constant MAX_MEMBERS = 32;
    /// @notice Scale of the keeper-share accumulator `accPerBond`.
    uint256 public constant ACC_SCALE = 1e27;

    IPledgeRegistry private immutable _registry;
    IBreachMarkets private immutable _breachMarkets;

    uint256 private _pactCount;
    mapping(uint256 pactId => Pact) private _pacts;
    mapping(uint256 pactId => address[]) private _memberList;
    mapping(uint256 pactId => mapping(address account => Member)) private _members;
    mapping(uint256 pactId => mapping(address account => bool)) private _invited;
    mapping(uint256 pactId => KeeperAccounts) private _keepers;
    mapping(address account => mapping(IERC20 token => uint256)) private _claimable;

    /// @param registry_ The registry in which members' pledges are created.
    /// @param breachMarkets_ The BreachMarkets on `registry_` whose capped excess this contract collects for the pacts'
    /// beneficiaries, or zero for a deployment without breach markets.
    constructor(IPledgeRegistry registry_, IBreachMarkets breachMarkets_) {
        if (address(registry_) == address(0)) revert PactParamInvalid("registry", 0);
        if (address(breachMarkets_) != address(0)) {
            IPledgeRegistry read = breachMarkets_.registry();
            if (read != registry_) revert BreachMarketsRegistryMismatch(breachMarkets_, read, registry_);
        }
        _registry = registry_;
        _breachMarkets = breachMarkets_;
    }

    // ------------------------------------------------------------------ joining

    /// @inheritdoc IPacts
    function createPact(PactParams calldata params, address[] calldata invited)
        external
        nonReentrant
        returns (PactId pactId)
    {
        uint256 seats = invited.length != 0 ? invited.length : params.maxMembers;
        _validate(params, seats);
        uint256 id = ++_pactCount;
        pactId = PactId.wrap(id);
        for (uint256 i; i < invited.length; ++i) {
            address a = invited[i];
            if (
                a == address(0) || _invited[id][a] || a == params.beneficiary
                    || a == address(params.resolution.arbiter)
            ) revert InviteeInvalid(a);
            _invited[id][a] = true;
        }
        Pact storage p = _pacts[id];
        p.founder = msg.sender;
        p.joinDeadline = params.joinDeadline;
        p.quorum = params.quorum;
        p.seats = uint16(seats); // <= MAX_MEMBERS (validated)
        p.token = params.token;
        p.expiry = params.expiry;
        p.grace = params.grace;
        p.invitedOnly = invited.length != 0;
        p.beneficiary = params.beneficiary;
        p.keeperShareBps = params.keeperShareBps;
        p.minBond = params.minBond;
        p.bonus = params.bonus;
        p.termsHash = params.termsHash;
        p.resolution = params.resolution;
        emit PactCreated(pactId, msg.sender, params.token, params, invited);
        if (params.bonus != 0) ExactTransfer.pullExact(params.token, msg.sender, params.bonus);
    }

    /// @inheritdoc IPacts
    function join(PactId pactId, uint128 bond) external nonReentrant {
        uint256 id = PactId.unwrap(pactId);
        Pact storage p = _requireState(pactId, _bit(PactState.Joining));
        if (p.invitedOnly && !_invited[id][msg.sender]) revert NotInvited(pactId, msg.sender);
        if (msg.sender == p.beneficiary || msg.sender == address(p.resolution.arbiter)) {
            revert MemberInvalid(pactId, msg.sender);
        }
        Member storage m = _members[id][msg.sender];
        if (m.status != MemberStatus.None) revert AlreadyMember(pactId, msg.sender);
        if (bond < p.minBond) revert BondBelowMinimum(pactId, bond, p.minBond);
        if (!_registry.isApprovedSponsor(msg.sender, address(this))) revert SponsorNotApproved(pactId, msg.sender);
        m.bond = bond;
        m.status = MemberStatus.Joined;
        _memberList[id].push(msg.sender);
        uint16 members = p.members + 1; // < seats <= MAX_MEMBERS: Joining means a seat is free
        p.members = members;
        p.totalBond += bond; // at most MAX_MEMBERS bonds of at most 2^128 - 1 each would overflow: checked add
        emit MemberJoined(pactId, msg.sender, bond, members);
        ExactTransfer.pullExact(p.token, msg.sender, bond);
    }

    /// @inheritdoc IPacts
    function expel(PactId pactId, address member) external nonReentrant {
        uint256 id = PactId.unwrap(pactId);
        Pact storage p = _requireState(pactId, _bit(PactState.Joining) | _bit(PactState.Activatable));
        Member storage m = _members[id][member];
        if (m.status != MemberStatus.Joined) revert MemberStatusInvalid(pactId, member, m.status);
        if (_registry.isApprovedSponsor(member, address(this))) revert MemberStillApproves(pactId, member);
        _expel(pactId, p, m, member);
    }

    /// @inheritdoc IPacts
    /// @dev First expels every member that withdrew its sponsor approval (the registry would refuse its pledge), as
    /// `expel` does: a member cannot stall activation by revoking just before it. If the pact is then no longer
    /// Activatable (below quorum, or a seat freed before the deadline), it is not activated and the expulsions stand.
    function activate(PactId pactId) external nonReentrant {
        uint256 id = PactId.unwrap(pactId);
        Pact storage p = _requireState(pactId, _bit(PactState.Activatable));
        address[] storage list = _memberList[id];
        // Backwards: an expulsion moves the last entry (already checked) into the removed one's place.
        for (uint256 i = list.length; i != 0; --i) {
            address member = list[i - 1];
            if (!_registry.isApprovedSponsor(member, address(this))) _expel(pactId, p, _members[id][member], member);
        }
        if (_state(p) != PactState.Activatable) return;
        uint64 nowTs = uint64(block.timestamp);
        p.activatedAt = nowTs;
        p.compliantBond = p.totalBond;
        IERC20 token = p.token;
        emit PactActivated(pactId, nowTs, p.members, p.totalBond);
        token.forceApprove(address(_registry), p.totalBond);
        IPledgeRegistry.PledgeParams memory params = IPledgeRegistry.PledgeParams({
            termsHash: p.termsHash,
            termsURI: "",
            token: token,
            bond: 0,
            expiry: p.expiry,
            grace: p.grace,
            beneficiary: address(this),
            resolution: p.resolution
        });
        uint256 n = list.length;
        for (uint256 i; i < n; ++i) {
            address member = list[i];
            Member storage m = _members[id][member];
            params.bond = m.bond;
            PledgeId pledgeId = _registry.createPledgeFor(member, params);
            m.pledgeId = uint64(PledgeId.unwrap(pledgeId)); // registry ids are sequential: never near 2^64
            m.status = MemberStatus.Pledged;
            emit MemberPledged(pactId, member, pledgeId, m.bond);
        }
    }

    /// @inheritdoc IPacts
    function withdraw(PactId pactId) external nonReentrant returns (uint256 amount) {
        uint256 id = PactId.unwrap(pactId);
        Pact storage p = _requireState(pactId, _bit(PactState.Failed));
        Member storage m = _members[id][msg.sender];
        if (m.status != MemberStatus.Joined) revert MemberStatusInvalid(pactId, msg.sender, m.status);
        m.status = MemberStatus.Refunded;
        uint256 bonusShare = p.bonus / p.members; // members >= 1: the caller is one
        amount = uint256(m.bond) + bonusShare;
        emit MemberRefunded(pactId, msg.sender, m.bond, bonusShare);
        p.token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IPacts
    function reclaimBonus(PactId pactId) external nonReentrant returns (uint256 amount) {
        Pact storage p = _requireState(pactId, _bit(PactState.Active) | _bit(PactState.Failed));
        if (msg.sender != p.founder) revert CallerNotFounder(pactId, msg.sender, p.founder);
        if (p.bonusReclaimed) revert NothingToReclaim(pactId);
        amount = p.bonus;
        // A failed pact keeps `members` equal shares for its members; the founder takes the rounding dust.
        if (p.activatedAt == 0 && p.members != 0) amount -= (amount / p.members) * p.members;
        if (amount == 0) revert NothingToReclaim(pactId);
        p.bonusReclaimed = true;
        emit BonusReclaimed(pactId, msg.sender, amount);
        p.token.safeTransfer(msg.sender, amount);
    }

    // ----------------------------------------------------------------- outcomes

    /// @inheritdoc IPacts
    function recordOutcome(PactId pactId, address member) external nonReentrant returns (bool breached) {
        uint256 id = PactId.unwrap(pactId);
        Pact storage p = _requireState(pactId, _bit(PactState.Active));
        Member storage m = _members[id][member];
        if (m.status != MemberStatus.Pledged) revert MemberStatusInvalid(pactId, member, m.status);
        PledgeId pledgeId = PledgeId.wrap(m.pledgeId);
        IPledgeRegistry.PledgeState s = _registry.state(pledgeId);
        if (s == IPledgeRegistry.PledgeState.Slashable || s == IPledgeRegistry.PledgeState.Releasable) {
            // The registry's own settlement: credits nothing to anyone but the challenger, the pledger and this pact.
            _registry.finalize(pledgeId);
            s = _registry.state(pledgeId);
        }
        if (s == IPledgeRegistry.PledgeState.Breached) {
            _recordBreach(pactId, p, m, member);
            breached = true;
        } else if (s == IPledgeRegistry.PledgeState.Honored) {
            m.status = MemberStatus.Honored;
            emit HonorRecorded(pactId, member);
        } else {
            revert OutcomeNotFinal(pactId, member, s);
        }
        uint16 recorded = p.recorded + 1; // at most `members`: each member is recorded once
        p.recorded = recorded;
        if (recorded == p.members) _settle(pactId, p);
    }

    /// @inheritdoc IPacts
    function claimShares(PactId pactId, address to) external nonReentrant returns (uint256 amount) {
        uint256 id = PactId.unwrap(pactId);
        if (to == address(0) || to == address(this)) revert RecipientInvalid(to);
        Member storage m = _members[id][msg.sender];
        if (m.status != MemberStatus.Honored) revert MemberStatusInvalid(pactId, msg.sender, m.status);
        KeeperAccounts storage k = _keepers[id];
        amount = _accrued(m, k.accPerBond);
        if (amount == 0) revert NoShares(pactId, msg.sender);
        m.paid += uint128(amount); // paid + amount <= accrued <= funds < 2^128
        k.paid += uint128(amount);
        emit SharesClaimed(pactId, msg.sender, to, amount);
        _pacts[id].token.safeTransfer(to, amount);
    }

    /// @inheritdoc IPacts
    /// @dev Books before it pulls: the credit is what BreachMarkets holds for the pledge, and the pull must deliver
    /// exactly that (exact-transfer tokens only), so this contract's balance still covers every credit.
    function collectMarketExcess(PactId pactId, address member) external nonReentrant returns (uint256 amount) {
        IBreachMarkets bm = _breachMarkets;
        if (address(bm) == address(0)) revert NoBreachMarkets();
        Pact storage p = _requireState(pactId, _bit(PactState.Active));
        Member storage m = _members[PactId.unwrap(pactId)][member];
        MemberStatus s = m.status;
        if (s != MemberStatus.Pledged && s != MemberStatus.Honored && s != MemberStatus.Breached) {
            revert MemberStatusInvalid(pactId, member, s);
        }
        PledgeId pledgeId = PledgeId.wrap(m.pledgeId);
        amount = bm.excessOf(pledgeId);
        if (amount == 0) revert NoMarketExcess(pactId, member, pledgeId);
        IERC20 token = p.token; // the pledge's bond token: BreachMarkets pays in it
        address beneficiary = p.beneficiary;
        _credit(beneficiary, token, amount);
        emit MarketExcessCollected(pactId, member, pledgeId, beneficiary, amount);
        uint256 before = token.balanceOf(address(this));
        bm.claimExcess(pledgeId, address(this));
        uint256 received = token.balanceOf(address(this)) - before;
        if (received != amount) revert TokenTransferMismatch(token, amount, received);
    }

    /// @inheritdoc IPacts
    function claim(IERC20 token, address to) external nonReentrant returns (uint256 amount) {
        if (to == address(0) || to == address(this)) revert RecipientInvalid(to);
        amount = _claimable[msg.sender][token];
        if (amount == 0) revert NothingToClaim(msg.sender, token);
        _claimable[msg.sender][token] = 0;
        emit Claimed(msg.sender, token, to, amount);
        token.safeTransfer(to, amount);
    }

    // -------------------------------------------------------------------- views

    /// @inheritdoc IPacts
    function state(PactId pactId) external view returns (PactState) {
        return _state(_pacts[PactId.unwrap(pactId)]);
    }

    /// @inheritdoc IPacts
    function getPact(PactId pactId) external view returns (Pact memory) {
        return _pacts[PactId.unwrap(pactId)];
    }

    /// @inheritdoc IPacts
    function getMember(PactId pactId, address account) external view returns (Member memory) {
        return _members[PactId.unwrap(pactId)][account];
    }

    /// @inheritdoc IPacts
    function membersOf(PactId pactId) external view returns (address[] memory) {
        return _memberList[PactId.unwrap(pactId)];
    }

    /// @inheritdoc IPacts
    function isInvited(PactId pactId, address account) external view returns (bool) {
        return _invited[PactId.unwrap(pactId)][account];
    }

    /// @inheritdoc IPacts
    function keeperAccounts(PactId pactId) external view returns (KeeperAccounts memory) {
        return _keepers[PactId.unwrap(pactId)];
    }

    /// @inheritdoc IPacts
    function sharesOf(PactId pactId, address account) external view returns (uint256) {
        uint256 id = PactId.unwrap(pactId);
        Member storage m = _members[id][account];
        MemberStatus s = m.status;
        if (s != MemberStatus.Pledged && s != MemberStatus.Honored) return 0;
        return _accrued(m, _keepers[id].accPerBond);
    }

    /// @inheritdoc IPacts
    function defectionCost(PactId pactId, address account) external view returns (DefectionCost memory cost) {
        uint256 id = PactId.unwrap(pactId);
        Pact storage p = _pacts[id];
        Member storage m = _members[id][account];
        if (m.status != MemberStatus.Pledged) return cost;
        IPledgeRegistry.PledgeState s = _registry.state(PledgeId.wrap(m.pledgeId));
        if (s == IPledgeRegistry.PledgeState.Breached || s == IPledgeRegistry.PledgeState.Honored) return cost;
        cost.bondAtRisk = _registry.getPledge(PledgeId.wrap(m.pledgeId)).bond;
        uint256 rest;
        (cost.toChallenger, rest) = BondMath.split(cost.bondAtRisk, _registry.config().challengerRewardBps);
        cost.sharesForfeited = _accrued(m, _keepers[id].accPerBond);
        cost.othersCompliantBond = p.compliantBond - m.bond;
        (uint256 keeperPart, uint256 beneficiaryPart) = BondMath.split(rest, p.keeperShareBps);
        if (cost.othersCompliantBond == 0) {
            cost.toBeneficiary = rest;
        } else {
            cost.toKeepers = keeperPart;
            cost.toBeneficiary = beneficiaryPart;
        }
    }

    /// @inheritdoc IPacts
    function claimable(address account, IERC20 token) external view returns (uint256) {
        return _claimable[account][token];
    }

    /// @inheritdoc IPacts
    function pactCount() external view returns (uint256) {
        return _pactCount;
    }

    /// @inheritdoc IPacts
    function registry() external view returns (IPledgeRegistry) {
        return _registry;
    }

    /// @inheritdoc IPacts
    function breachMarkets() external view returns (IBreachMarkets) {
        return _breachMarkets;
    }

    // ----------------------------------------------------------------- internal

    function _validate(PactParams calldata params, uint256 seats) private view {
        if (address(params.token) == address(0)) revert PactParamInvalid("token", 0);
        if (params.minBond == 0) revert PactParamInvalid("minBond", 0);
        if (params.quorum < 2) revert PactParamInvalid("quorum", params.quorum);
        if (seats < params.quorum || seats > MAX_MEMBERS) revert PactParamInvalid("seats", seats);
        if (params.joinDeadline <= block.timestamp) revert PactParamInvalid("joinDeadline", params.joinDeadline);
        if (params.expiry <= params.joinDeadline) revert PactParamInvalid("expiry", params.expiry);
        if (params.keeperShareBps > BondMath.BPS) revert PactParamInvalid("keeperShareBps", params.keeperShareBps);
        if (params.beneficiary == address(0) || params.beneficiary == address(this)) {
            revert PactParamInvalid("beneficiary", uint160(params.beneficiary));
        }
        // Checked here, so that `activate` cannot fail on settings the registry refuses.
        IPledgeRegistry.RegistryConfig memory cfg = _registry.config();
        IPledgeRegistry.ResolutionSettings calldata r = params.resolution;
        if (params.grace > cfg.maxGrace) revert PactParamInvalid("grace", params.grace);
        if (r.liveness < cfg.minLiveness || r.liveness > cfg.maxLiveness) {
            revert PactParamInvalid("liveness", r.liveness);
        }
        if (r.challengeBond == 0) revert PactParamInvalid("challengeBond", 0);
        if (address(r.arbiter) == address(0)) revert PactParamInvalid("arbiter", 0);
    }

    /// @dev Splits a recorded breach: what the pact got from the registry (the bond less the challenger's reward)
    /// goes `keeperShareBps` to the members still in compliance and the rest to the beneficiary; the breacher's
    /// unvested shares go to the keepers too. With no member left in compliance, everything goes to the beneficiary.
    function _recordBreach(PactId pactId, Pact storage p, Member storage m, address member) private {
        uint256 id = PactId.unwrap(pactId);
        IERC20 token = p.token;
        KeeperAccounts storage k = _keepers[id];
        uint256 acc = k.accPerBond;
        uint256 forfeited = _accrued(m, acc); // `paid` is zero: shares are paid only once Honored
        m.status = MemberStatus.Breached;
        uint128 compliant = p.compliantBond - m.bond; // the member was in compliance until now
        p.compliantBond = compliant;

        uint256 slashed = _registry.getPledge(PledgeId.wrap(m.pledgeId)).bond;
        (, uint256 rest) = BondMath.split(slashed, _registry.config().challengerRewardBps);
        (uint256 toKeepers, uint256 toBeneficiary) = BondMath.split(rest, p.keeperShareBps);
        if (compliant == 0) {
            toBeneficiary = rest;
            toKeepers = 0;
            k.funds -= uint128(forfeited); // forfeited <= funds - paid (shares never exceed the pool)
            toBeneficiary += forfeited;
            forfeited = 0;
        } else {
            k.funds += uint128(toKeepers); // toKeepers <= a bond < 2^128; funds bounded by the token's supply
            acc += (toKeepers + forfeited) * ACC_SCALE / compliant;
            k.accPerBond = acc;
        }
        emit BreachRecorded(pactId, member, slashed, toKeepers, forfeited, toBeneficiary, acc);
        _credit(p.beneficiary, token, toBeneficiary);
        // The registry pays all of this contract's claimable at once; a second record finds it already taken.
        if (_registry.claimable(address(this), token) != 0) _registry.claim(token, address(this));
    }

    /// @dev The last record: keeper shares that rounding left unclaimable go to the beneficiary.
    function _settle(PactId pactId, Pact storage p) private {
        uint256 id = PactId.unwrap(pactId);
        KeeperAccounts storage k = _keepers[id];
        uint256 acc = k.accPerBond;
        uint256 owed;
        address[] storage list = _memberList[id];
        uint256 n = list.length;
        for (uint256 i; i < n; ++i) {
            Member storage m = _members[id][list[i]];
            if (m.status == MemberStatus.Honored) owed += _accrued(m, acc);
        }
        uint256 dust = k.funds - k.paid - owed;
        k.funds -= uint128(dust);
        emit PactSettled(pactId, dust);
        _credit(p.beneficiary, p.token, dust);
    }

    /// @dev Keeper shares accrued by a member and not yet paid: `bond * accPerBond / ACC_SCALE - paid`, rounded down.
    function _accrued(Member storage m, uint256 acc) private view returns (uint256) {
        return uint256(m.bond) * acc / ACC_SCALE - m.paid;
    }

    function _state(Pact storage p) private view returns (PactState) {
        if (p.founder == address(0)) return PactState.None;
        if (p.activatedAt != 0) return PactState.Active;
        if (block.timestamp >= p.expiry) return PactState.Failed;
        bool quorate = p.members >= p.quorum;
        if (block.timestamp >= p.joinDeadline) return quorate ? PactState.Activatable : PactState.Failed;
        if (p.members == p.seats) return PactState.Activatable; // every seat taken (seats >= quorum)
        return PactState.Joining;
    }

    function _requireState(PactId pactId, uint256 allowed) private view returns (Pact storage p) {
        p = _pacts[PactId.unwrap(pactId)];
        PactState current = _state(p);
        if (current == PactState.None) revert PactUnknown(pactId);
        if (_bit(current) & allowed == 0) revert PactUnexpectedState(pactId, current, allowed);
    }

    function _bit(PactState s) private pure returns (uint256) {
        return 1 << uint8(s);
    }

    /// @dev Expels a Joined member that no longer approves this contract as its sponsor: its bond goes to the
    /// beneficiary and its seat is freed (`expel`, and `activate` for every such member).
    function _expel(PactId pactId, Pact storage p, Member storage m, address member) private {
        uint128 bond = m.bond;
        m.status = MemberStatus.Expelled;
        _removeFromList(_memberList[PactId.unwrap(pactId)], member);
        unchecked {
            p.members -= 1; // the member was counted
            p.totalBond -= bond; // its bond was counted
        }
        emit MemberExpelled(pactId, member, msg.sender, bond);
        _credit(p.beneficiary, p.token, bond);
    }

    /// @dev Removes `account` from a member list (at most `MAX_MEMBERS` long) by swapping in the last entry.
    function _removeFromList(address[] storage list, address account) private {
        uint256 last = list.length - 1;
        for (uint256 i; i <= last; ++i) {
            if (list[i] == account) {
                list[i] = list[last];
                list.pop();
                return;
            }
        }
    }

    function _credit(address account, IERC20 token, uint256 amount) private {
        if (amount == 0) return;
        _claimable[account][token] += amount;
        emit ClaimCredited(account, token, amount);
    }
}
