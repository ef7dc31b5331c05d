// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

import {IArbiter} from "../../../../contracts/interfaces/IArbiter.sol";
import {IPacts} from "../../../../contracts/interfaces/IPacts.sol";
import {IPledgeRegistry} from "../../../../contracts/interfaces/IPledgeRegistry.sol";
import {Pacts} from "../../../../contracts/pacts/Pacts.sol";
import {PledgeRegistry} from "../../../../contracts/registry/PledgeRegistry.sol";
import {ChallengeId, PactId, PledgeId} from "../../../../contracts/types/Ids.sol";
import {MockArbiter} from "../../../mocks/MockArbiter.sol";
import {MockERC20} from "../../../mocks/MockERC20.sol";

/// @title PactsHandler
/// @notice Drives one Pacts contract on one registry with six labs (members, challengers, disputers), two founders,
/// two beneficiaries, a donor and a clock. Actions: create a pact (open or invited, with or without a refund bonus),
/// join, approve or revoke the sponsor, expel, warp (and jump to a pact's deadlines +-1 s), activate, top up,
/// challenge, dispute, rule (MockArbiter), void, finalize in the registry directly, record outcomes, claim shares,
/// claim (beneficiaries), withdraw (failed pacts), reclaim the bonus, registry claims by labs, donations.
/// Ghosts, kept from the documented rules and measured token movements, never from the contract's accounts: each
/// pact's state inputs (members, deadlines, activation), each member's status and bond, the bonds escrowed, the
/// bonus still held, each beneficiary's credits (expelled bonds, the bps split of each slash, settlement dust), each
/// pact's keeper funds and paid shares, and the tokens each address should have received from Pacts.
/// @dev Runs with `failOnRevert = false`: each Pacts call is predicted (succeeds or is refused) from the model and
/// wrapped in try/catch; disagreements go to `violation`. Abstract: the invariant test file declares the concrete
/// handler (EDR needs its artifact there).
abstract contract PactsHandler is CommonBase, StdCheats, StdUtils {
    uint256 public constant BPS = 10_000;
    uint256 public constant NLAB = 6;
    uint256 public constant MAX_PACTS = 5;
    uint256 public constant FUNDS = 1e36;
    uint128 public constant CHALLENGE_BOND = 10_001;

    uint256 public constant A_CREATE = 0;
    uint256 public constant A_JOIN = 1;
    uint256 public constant A_APPROVE = 2;
    uint256 public constant A_EXPEL = 3;
    uint256 public constant A_WARP = 4;
    uint256 public constant A_ACTIVATE = 5;
    uint256 public constant A_CHALLENGE = 6;
    uint256 public constant A_DISPUTE = 7;
    uint256 public constant A_RULE = 8;
    uint256 public constant A_VOID = 9;
    uint256 public constant A_FINALIZE = 10;
    uint256 public constant A_RECORD = 11;
    uint256 public constant A_CLAIM_SHARES = 12;
    uint256 public constant A_CLAIM = 13;
    uint256 public constant A_WITHDRAW = 14;
    uint256 public constant A_RECLAIM = 15;
    uint256 public constant A_REG_CLAIM = 16;
    uint256 public constant A_DONATE = 17;
    uint256 public constant A_TOPUP = 18;
    uint256 public constant N_ACTIONS = 19;

    Pacts public immutable pacts;
    PledgeRegistry public immutable registry;
    MockArbiter public immutable arbiter;
    MockERC20 public immutable token;
    uint16 public immutable rewardBps;
    address public immutable treasury;

    address[NLAB] public labs;
    address[2] public founders;
    address[2] public funds;
    address public donor;
    address public outsider;

    /// @notice The handler's model of a pact.
    struct MPact {
        address founder;
        address beneficiary;
        bool invitedOnly;
        uint16 quorum;
        uint16 seats;
        uint16 keeperBps;
        uint64 joinDeadline;
        uint64 expiry;
        uint32 grace;
        uint128 minBond;
        uint128 bonus;
        bool activated;
        bool bonusReclaimed;
        bool settled;
        uint16 members;
        uint16 recorded;
        uint256 bonusHeld; // bonus still in the contract
        uint256 compliant; // bonds of members Pledged or Honored
        uint256 keeperFunds; // sum of keepers' parts, less forfeits to the beneficiary and the settlement dust
        uint256 keeperPaid; // shares paid, measured
        uint256 dust;
    }

    /// @notice The handler's model of a member.
    struct MMember {
        IPacts.MemberStatus status;
        bool invited;
        uint128 bond;
        uint64 pledgeId;
        uint256 topUp;
        uint256 sharesPaid; // measured
        uint256 bondBack; // registry credit measured when its pledge was honored
    }

    uint256 public count;
    mapping(uint256 id => MPact) internal _pacts;
    mapping(uint256 id => mapping(address => MMember)) internal _members;
    mapping(uint256 id => address[]) internal _joined; // everyone who ever joined, in order
    mapping(uint256 pledgeId => uint256) public pactOfPledge;
    mapping(uint256 pledgeId => address) public memberOfPledge;
    uint256[] public pledgeIds;

    mapping(address => bool) public approved; // sponsor approval of Pacts in the registry
    mapping(address => uint256) public credited; // Pacts claimable credited, per account (the model's split)
    mapping(address => uint256) public claimed; // Pacts claimable withdrawn, per account
    mapping(address => uint256) public expectedOut; // tokens each address should have received from Pacts
    address[] public payees;
    mapping(address => bool) internal _isPayee;

    uint256 public escrowed; // bonds of Joined members
    uint256 public donations;
    uint256 public restRecorded; // sum over recorded breaches of (slashed - reward)
    uint256 public breachesRecorded;
    uint256 public honorsRecorded;
    uint256 public settlements;

    uint256[N_ACTIONS] public ok;
    uint256[N_ACTIONS] public refused;
    string public violation;

    constructor(Pacts pacts_, MockArbiter arbiter_, MockERC20 token_) {
        pacts = pacts_;
        registry = PledgeRegistry(address(pacts_.registry()));
        arbiter = arbiter_;
        token = token_;
        rewardBps = registry.config().challengerRewardBps;
        treasury = registry.config().treasury;
        for (uint256 i; i < NLAB; ++i) {
            address a = makeAddr(string.concat("ilab", vm.toString(i)));
            labs[i] = a;
            token_.mint(a, FUNDS);
            vm.startPrank(a);
            token_.approve(address(pacts_), type(uint256).max);
            token_.approve(address(registry), type(uint256).max);
            registry.approveSponsor(address(pacts_), true);
            vm.stopPrank();
            approved[a] = true;
        }
        for (uint256 i; i < 2; ++i) {
            founders[i] = makeAddr(string.concat("ifounder", vm.toString(i)));
            funds[i] = makeAddr(string.concat("ifund", vm.toString(i)));
            token_.mint(founders[i], FUNDS);
            vm.prank(founders[i]);
            token_.approve(address(pacts_), type(uint256).max);
        }
        donor = makeAddr("idonor");
        outsider = makeAddr("ioutsider");
    }

    // ================================================================ actions

    /// @notice A founder creates a pact: open (2..5 seats) or naming 2..5 labs, quorum 2..seats, a fuzzed keeper
    /// share, minimum bond, dates and (half the time) a refund bonus.
    function createPact(uint256 seed, uint256 seed2) external {
        if (count == MAX_PACTS) return _refuse(A_CREATE);
        uint256 f = seed % 2;
        IPacts.PactParams memory prm;
        prm.termsHash = keccak256(abi.encode("terms", count));
        prm.token = token;
        prm.minBond = uint128(1 + uint32(seed >> 8) % 1e6);
        uint256 seats = 2 + uint8(seed >> 40) % 4;
        prm.quorum = uint16(2 + uint8(seed >> 48) % (seats - 1));
        prm.maxMembers = uint16(seats);
        prm.joinDeadline = uint64(block.timestamp + 1 hours + uint32(seed2) % 2 days);
        prm.expiry = uint64(prm.joinDeadline + 1 days + uint32(seed2 >> 32) % 5 days);
        prm.grace = uint32(seed2 >> 64) % 1 days;
        prm.keeperShareBps = uint16(uint32(seed2 >> 96) % (BPS + 1));
        prm.beneficiary = funds[uint8(seed >> 56) % 2];
        prm.resolution = IPledgeRegistry.ResolutionSettings({
            arbiter: IArbiter(address(arbiter)),
            liveness: uint32(1 hours + uint32(seed2 >> 128) % 1 days),
            challengeBond: CHALLENGE_BOND
        });
        prm.bonus = uint8(seed >> 64) % 2 == 0 ? 0 : uint128(1 + uint80(seed >> 72) % 1e21);
        address[] memory invited;
        if (uint8(seed >> 160) % 3 == 0) {
            invited = new address[](seats);
            uint256 start = uint8(seed >> 168) % NLAB;
            for (uint256 i; i < seats; ++i) {
                invited[i] = labs[(start + i) % NLAB];
            }
        }
        uint256 before = token.balanceOf(address(pacts));
        vm.prank(founders[f]);
        try pacts.createPact(prm, invited) returns (PactId pid) {
            uint256 id = ++count;
            if (PactId.unwrap(pid) != id) _violate("createPact: id", id);
            if (token.balanceOf(address(pacts)) - before != prm.bonus) _violate("createPact: bonus pulled", id);
            _storePact(id, founders[f], prm, invited);
            ++ok[A_CREATE];
        } catch {
            _violate("createPact refused", count + 1);
        }
    }

    function _storePact(uint256 id, address founder, IPacts.PactParams memory prm, address[] memory invited) internal {
        MPact storage p = _pacts[id];
        p.founder = founder;
        p.beneficiary = prm.beneficiary;
        p.invitedOnly = invited.length != 0;
        p.quorum = prm.quorum;
        p.seats = invited.length != 0 ? uint16(invited.length) : prm.maxMembers;
        p.keeperBps = prm.keeperShareBps;
        p.joinDeadline = prm.joinDeadline;
        p.expiry = prm.expiry;
        p.grace = prm.grace;
        p.minBond = prm.minBond;
        p.bonus = prm.bonus;
        p.bonusHeld = prm.bonus;
        for (uint256 i; i < invited.length; ++i) {
            _members[id][invited[i]].invited = true;
        }
    }

    /// @notice A lab joins with a bond from the minimum to 1e24 (one in eight just below the minimum).
    function join(uint256 pactSeed, uint256 labSeed, uint256 bondSeed) external {
        if (count == 0) return _refuse(A_JOIN);
        (uint256 id, address a) = _pickJoiner(pactSeed, labSeed, bondSeed % 4 != 0);
        MPact storage p = _pacts[id];
        MMember storage m = _members[id][a];
        uint128 bond = bondSeed % 8 == 0 ? p.minBond - 1 : uint128(p.minBond + (bondSeed >> 8) % 1e24);
        bool expect = modelState(id) == IPacts.PactState.Joining && (!p.invitedOnly || m.invited)
            && m.status == IPacts.MemberStatus.None && bond >= p.minBond && approved[a];
        uint256 before = token.balanceOf(address(pacts));
        vm.prank(a);
        try pacts.join(PactId.wrap(id), bond) {
            if (!expect) _violate("join accepted", id);
            if (token.balanceOf(address(pacts)) - before != bond) _violate("join: bond escrowed", id);
            m.status = IPacts.MemberStatus.Joined;
            m.bond = bond;
            ++p.members;
            _joined[id].push(a);
            escrowed += bond;
            ++ok[A_JOIN];
        } catch {
            if (expect) _violate("join refused", id);
            ++refused[A_JOIN];
        }
    }

    /// @notice A lab approves or revokes Pacts as its sponsor in the registry (for every pact it is in).
    function setApproval(uint256 labSeed, bool value) external {
        address a = labs[labSeed % NLAB];
        vm.prank(a);
        registry.approveSponsor(address(pacts), value);
        approved[a] = value;
        ++ok[A_APPROVE];
    }

    /// @notice Anyone expels a joined member that no longer approves Pacts, before activation.
    function expel(uint256 pactSeed, uint256 memberSeed) external {
        (bool found, uint256 id, address a) = _findMember(pactSeed, memberSeed, K_EXPEL);
        if (!found) return _refuse(A_EXPEL);
        MPact storage p = _pacts[id];
        MMember storage m = _members[id][a];
        IPacts.PactState s = modelState(id);
        bool expect = (s == IPacts.PactState.Joining || s == IPacts.PactState.Activatable)
            && m.status == IPacts.MemberStatus.Joined && !approved[a];
        vm.prank(outsider);
        try pacts.expel(PactId.wrap(id), a) {
            if (!expect) _violate("expel accepted", id);
            m.status = IPacts.MemberStatus.Expelled;
            --p.members;
            escrowed -= m.bond;
            credited[p.beneficiary] += m.bond;
            ++ok[A_EXPEL];
        } catch {
            if (expect) _violate("expel refused", id);
            ++refused[A_EXPEL];
        }
    }

    /// @notice Time passes: 1 s to 12 hours, or a jump to one of a pact's deadlines (join deadline, expiry, end of
    /// grace) minus one second, on it, or plus one.
    function warp(uint256 seed, uint256 pactSeed) external {
        uint256 target = block.timestamp + 1 + seed % 12 hours;
        if (count != 0 && seed % 3 == 0) {
            MPact storage p = _pacts[1 + pactSeed % count];
            uint256 which = uint8(seed >> 8) % 3;
            uint256 t = which == 0 ? p.joinDeadline : which == 1 ? p.expiry : uint256(p.expiry) + p.grace;
            t = t + uint8(seed >> 16) % 3 - 1;
            if (t > block.timestamp) target = t;
        }
        vm.warp(target);
        ++ok[A_WARP];
    }

    /// @notice Anyone activates a pact: members that revoked their sponsor approval are expelled first; if the pact is
    /// still Activatable, every remaining member's pledge is created now.
    function activate(uint256 pactSeed) external {
        if (count == 0) return _refuse(A_ACTIVATE);
        uint256 id = _findPact(pactSeed, IPacts.PactState.Activatable);
        MPact storage p = _pacts[id];
        address[] storage list = _joined[id];
        bool expect = modelState(id) == IPacts.PactState.Activatable;
        vm.prank(outsider);
        try pacts.activate(PactId.wrap(id)) {
            if (!expect) _violate("activate accepted", id);
            for (uint256 i; i < list.length; ++i) {
                MMember storage m = _members[id][list[i]];
                if (m.status != IPacts.MemberStatus.Joined || approved[list[i]]) continue;
                m.status = IPacts.MemberStatus.Expelled;
                --p.members;
                escrowed -= m.bond;
                credited[p.beneficiary] += m.bond;
                if (uint256(pacts.getMember(PactId.wrap(id), list[i]).status) != uint256(IPacts.MemberStatus.Expelled)) {
                    _violate("activate: revoked member not expelled", id);
                }
            }
            if (modelState(id) != IPacts.PactState.Activatable) {
                if (pacts.getPact(PactId.wrap(id)).activatedAt != 0) _violate("activate: bound below quorum", id);
                ++ok[A_ACTIVATE];
                return;
            }
            p.activated = true;
            for (uint256 i; i < list.length; ++i) {
                MMember storage m = _members[id][list[i]];
                if (m.status != IPacts.MemberStatus.Joined) continue;
                m.status = IPacts.MemberStatus.Pledged;
                m.pledgeId = pacts.getMember(PactId.wrap(id), list[i]).pledgeId;
                pactOfPledge[m.pledgeId] = id;
                memberOfPledge[m.pledgeId] = list[i];
                pledgeIds.push(m.pledgeId);
                escrowed -= m.bond;
                p.compliant += m.bond;
                _expectOut(address(registry), m.bond);
                IPledgeRegistry.Pledge memory pl = registry.getPledge(PledgeId.wrap(m.pledgeId));
                if (pl.pledger != list[i] || pl.bond != m.bond || pl.beneficiary != address(pacts)) {
                    _violate("activate: pledge", id);
                }
            }
            ++ok[A_ACTIVATE];
        } catch {
            if (expect) _violate("activate refused", id);
            ++refused[A_ACTIVATE];
        }
    }

    /// @notice A member tops up its own pledge (Active, Challenged or Disputed).
    function topUp(uint256 pledgeSeed, uint256 amountSeed) external {
        (bool found, uint64 pid) = _findPledge(pledgeSeed, 0xE);
        if (!found || !_in(registry.state(PledgeId.wrap(pid)), 0xE)) return _refuse(A_TOPUP);
        address a = memberOfPledge[pid];
        uint128 amount = uint128(1 + amountSeed % 1e22);
        vm.prank(a);
        registry.topUp(PledgeId.wrap(pid), amount);
        _members[pactOfPledge[pid]][a].topUp += amount;
        ++ok[A_TOPUP];
    }

    /// @notice A lab other than the pledger challenges a member's Active pledge.
    function challenge(uint256 pledgeSeed, uint256 labSeed) external {
        (bool found, uint64 pid) = _findPledge(pledgeSeed, 0x2);
        if (!found || registry.state(PledgeId.wrap(pid)) != IPledgeRegistry.PledgeState.Active) {
            return _refuse(A_CHALLENGE);
        }
        address c = labs[labSeed % NLAB];
        if (c == memberOfPledge[pid]) c = labs[(labSeed + 1) % NLAB];
        (, uint256 amount) = registry.requiredChallengeBond(PledgeId.wrap(pid));
        vm.prank(c);
        registry.challenge(PledgeId.wrap(pid), "ipfs://evidence", amount);
        ++ok[A_CHALLENGE];
    }

    /// @notice Any lab (the pledger included) disputes an open challenge.
    function dispute(uint256 pledgeSeed, uint256 labSeed) external {
        (bool found, uint64 pid) = _findPledge(pledgeSeed, 0x4);
        if (!found || registry.state(PledgeId.wrap(pid)) != IPledgeRegistry.PledgeState.Challenged) {
            return _refuse(A_DISPUTE);
        }
        vm.prank(labs[labSeed % NLAB]);
        registry.dispute(PledgeId.wrap(pid));
        ++ok[A_DISPUTE];
    }

    /// @notice The MockArbiter rules on a disputed challenge (a breach slashes at once).
    function rule(uint256 pledgeSeed, bool breached) external {
        (bool found, uint64 pid) = _findPledge(pledgeSeed, 0x8);
        if (!found || registry.state(PledgeId.wrap(pid)) != IPledgeRegistry.PledgeState.Disputed) {
            return _refuse(A_RULE);
        }
        ChallengeId cid = registry.openChallenge(PledgeId.wrap(pid));
        arbiter.rule(cid, breached);
        ++ok[A_RULE];
    }

    /// @notice Anyone voids a challenge whose ruling is overdue.
    function voidChallenge(uint256 pledgeSeed) external {
        (bool found, uint64 pid) = _findPledge(pledgeSeed, 0x20);
        if (!found || registry.state(PledgeId.wrap(pid)) != IPledgeRegistry.PledgeState.RulingOverdue) {
            return _refuse(A_VOID);
        }
        registry.voidChallenge(PledgeId.wrap(pid));
        ++ok[A_VOID];
    }

    /// @notice Anyone finalizes a due member pledge in the registry directly, before the pact records it.
    function finalize(uint256 pledgeSeed) external {
        (bool found, uint64 pid) = _findPledge(pledgeSeed, 0x50);
        if (!found) return _refuse(A_FINALIZE);
        IPledgeRegistry.PledgeState s = registry.state(PledgeId.wrap(pid));
        if (s != IPledgeRegistry.PledgeState.Slashable && s != IPledgeRegistry.PledgeState.Releasable) {
            return _refuse(A_FINALIZE);
        }
        address a = memberOfPledge[pid];
        uint256 before = registry.claimable(a, token);
        registry.finalize(PledgeId.wrap(pid));
        if (s == IPledgeRegistry.PledgeState.Releasable) {
            _members[pactOfPledge[pid]][a].bondBack = registry.claimable(a, token) - before;
        }
        ++ok[A_FINALIZE];
    }

    /// @notice Anyone records a member's outcome: the model predicts whether it is accepted, the split of a breach
    /// (bps of the slashed bond, forfeits) and, on the last record, that only rounding dust is left.
    function recordOutcome(uint256 pactSeed, uint256 memberSeed) external {
        (bool found, uint256 id, address a) = _findMember(pactSeed, memberSeed, K_RECORD);
        if (!found) return _refuse(A_RECORD);
        _record(id, a);
    }

    function _record(uint256 id, address a) internal {
        MMember storage m = _members[id][a];
        IPledgeRegistry.PledgeState s =
            m.pledgeId == 0 ? IPledgeRegistry.PledgeState.None : registry.state(PledgeId.wrap(m.pledgeId));
        bool breach = s == IPledgeRegistry.PledgeState.Slashable || s == IPledgeRegistry.PledgeState.Breached;
        bool expect = modelState(id) == IPacts.PactState.Active && m.status == IPacts.MemberStatus.Pledged
            && (breach || s == IPledgeRegistry.PledgeState.Releasable || s == IPledgeRegistry.PledgeState.Honored);
        uint256 unvested = pacts.sharesOf(PactId.wrap(id), a);
        uint256 benBefore = pacts.claimable(_pacts[id].beneficiary, token);
        uint256 regBefore = registry.claimable(a, token);
        vm.prank(outsider);
        try pacts.recordOutcome(PactId.wrap(id), a) returns (bool breached) {
            if (!expect) _violate("recordOutcome accepted", id);
            if (breached != breach) _violate("recordOutcome: outcome", id);
            uint256 toBen = breach ? _modelBreach(id, a, unvested) : _modelHonor(id, a, s, regBefore);
            _afterRecord(id, benBefore, toBen);
            ++ok[A_RECORD];
        } catch {
            if (expect) _violate("recordOutcome refused", id);
            ++refused[A_RECORD];
        }
    }

    /// @notice A member claims its keeper shares to a fuzzed recipient (sometimes an invalid one).
    function claimShares(uint256 pactSeed, uint256 memberSeed, uint256 toSeed) external {
        (bool found, uint256 id, address a) = _findMember(pactSeed, memberSeed, K_CLAIM_SHARES);
        if (!found) return _refuse(A_CLAIM_SHARES);
        _claimShares(id, a, _recipient(toSeed));
    }

    function _claimShares(uint256 id, address a, address to) internal {
        MMember storage m = _members[id][a];
        uint256 owed = pacts.sharesOf(PactId.wrap(id), a);
        bool expect = m.status == IPacts.MemberStatus.Honored && owed != 0 && _validTo(to);
        vm.prank(a);
        try pacts.claimShares(PactId.wrap(id), to) returns (uint256 got) {
            if (!expect) _violate("claimShares accepted", id);
            if (got != owed) _violate("claimShares: amount", id);
            m.sharesPaid += got;
            _pacts[id].keeperPaid += got;
            _expectOut(to, got);
            ++ok[A_CLAIM_SHARES];
        } catch {
            if (expect) _violate("claimShares refused", id);
            ++refused[A_CLAIM_SHARES];
        }
    }

    /// @notice A beneficiary (or a lab, with nothing to claim) withdraws its claimable balance.
    function claim(uint256 accountSeed, uint256 toSeed) external {
        address who = accountSeed % 4 == 3 ? labs[(accountSeed >> 8) % NLAB] : funds[accountSeed % 2];
        address to = _recipient(toSeed);
        uint256 owed = credited[who] - claimed[who];
        bool expect = owed != 0 && _validTo(to);
        vm.prank(who);
        try pacts.claim(token, to) returns (uint256 got) {
            if (!expect) _violate("claim accepted", 0);
            if (got != owed) _violate("claim: amount", 0);
            claimed[who] += got;
            _expectOut(to, got);
            ++ok[A_CLAIM];
        } catch {
            if (expect) _violate("claim refused", 0);
            ++refused[A_CLAIM];
        }
    }

    /// @notice A member of a failed pact takes back its bond and an equal share of the bonus.
    function withdraw(uint256 pactSeed, uint256 memberSeed) external {
        (bool found, uint256 id, address a) = _findMember(pactSeed, memberSeed, K_WITHDRAW);
        if (!found) return _refuse(A_WITHDRAW);
        _withdraw(id, a);
    }

    function _withdraw(uint256 id, address a) internal {
        MPact storage p = _pacts[id];
        MMember storage m = _members[id][a];
        bool expect = modelState(id) == IPacts.PactState.Failed && m.status == IPacts.MemberStatus.Joined;
        vm.prank(a);
        try pacts.withdraw(PactId.wrap(id)) returns (uint256 got) {
            if (!expect) _violate("withdraw accepted", id);
            uint256 share = p.bonus / p.members;
            if (got != m.bond + share) _violate("withdraw: amount", id);
            m.status = IPacts.MemberStatus.Refunded;
            escrowed -= m.bond;
            p.bonusHeld -= share;
            _expectOut(a, got);
            ++ok[A_WITHDRAW];
        } catch {
            if (expect) _violate("withdraw refused", id);
            ++refused[A_WITHDRAW];
        }
    }

    /// @notice The founder (or, one time in four, someone else) reclaims what is left of the bonus.
    function reclaimBonus(uint256 pactSeed, uint256 callerSeed) external {
        if (count == 0) return _refuse(A_RECLAIM);
        uint256 id = 1 + pactSeed % count;
        MPact storage p = _pacts[id];
        address caller = callerSeed % 4 == 0 ? labs[callerSeed % NLAB] : p.founder;
        IPacts.PactState s = modelState(id);
        uint256 amount = p.bonus;
        if (!p.activated && p.members != 0) amount -= (amount / p.members) * p.members;
        bool expect = (s == IPacts.PactState.Active || s == IPacts.PactState.Failed) && caller == p.founder
            && !p.bonusReclaimed && amount != 0;
        vm.prank(caller);
        try pacts.reclaimBonus(PactId.wrap(id)) returns (uint256 got) {
            if (!expect) _violate("reclaimBonus accepted", id);
            if (got != amount) _violate("reclaimBonus: amount", id);
            p.bonusReclaimed = true;
            p.bonusHeld -= got;
            _expectOut(p.founder, got);
            ++ok[A_RECLAIM];
        } catch {
            if (expect) _violate("reclaimBonus refused", id);
            ++refused[A_RECLAIM];
        }
    }

    /// @notice A lab withdraws its registry balance (bonds back, rewards, dispute winnings).
    function registryClaim(uint256 labSeed) external {
        address a = labs[labSeed % NLAB];
        if (registry.claimable(a, token) == 0) return _refuse(A_REG_CLAIM);
        vm.prank(a);
        registry.claim(token, a);
        ++ok[A_REG_CLAIM];
    }

    /// @notice Someone sends tokens to Pacts unasked.
    function donate(uint256 amountSeed) external {
        uint256 amount = 1 + amountSeed % 1e20;
        donations += amount;
        token.mint(donor, amount);
        vm.prank(donor);
        token.transfer(address(pacts), amount);
        ++ok[A_DONATE];
    }

    /// @notice The end step: past every deadline, void overdue rulings, record every outcome, then every honored
    /// member claims its shares, every member of a failed pact withdraws, every founder reclaims and every
    /// beneficiary claims.
    function endStep() external {
        uint256 end = block.timestamp;
        for (uint256 id = 1; id <= count; ++id) {
            uint256 e = uint256(_pacts[id].expiry) + _pacts[id].grace;
            if (e > end) end = e;
        }
        vm.warp(end + 7 days + 1); // past every liveness (<= 1 day + 1 h) and ruling timeout (3 days)
        for (uint256 k; k < pledgeIds.length; ++k) {
            PledgeId pid = PledgeId.wrap(pledgeIds[k]);
            if (registry.state(pid) == IPledgeRegistry.PledgeState.RulingOverdue) registry.voidChallenge(pid);
        }
        for (uint256 id = 1; id <= count; ++id) {
            address[] storage list = _joined[id];
            for (uint256 i; i < list.length; ++i) {
                if (_members[id][list[i]].status == IPacts.MemberStatus.Pledged) _record(id, list[i]);
            }
        }
        for (uint256 id = 1; id <= count; ++id) {
            address[] storage list = _joined[id];
            for (uint256 i; i < list.length; ++i) {
                IPacts.MemberStatus st = _members[id][list[i]].status;
                if (st == IPacts.MemberStatus.Honored && pacts.sharesOf(PactId.wrap(id), list[i]) != 0) {
                    _claimShares(id, list[i], outsider);
                }
                if (st == IPacts.MemberStatus.Joined) _withdraw(id, list[i]);
            }
            if (!_pacts[id].bonusReclaimed) this.reclaimBonus(id - 1, 1);
        }
        for (uint256 f; f < 2; ++f) {
            if (credited[funds[f]] != claimed[funds[f]]) this.claim(f, 3);
        }
    }

    // ================================================================ model

    /// @notice The pact's state as documented, from the handler's facts and the clock.
    function modelState(uint256 id) public view returns (IPacts.PactState) {
        MPact storage p = _pacts[id];
        if (p.founder == address(0)) return IPacts.PactState.None;
        if (p.activated) return IPacts.PactState.Active;
        if (block.timestamp >= p.expiry) return IPacts.PactState.Failed;
        bool quorate = p.members >= p.quorum;
        if (block.timestamp >= p.joinDeadline) return quorate ? IPacts.PactState.Activatable : IPacts.PactState.Failed;
        if (p.members == p.seats) return IPacts.PactState.Activatable;
        return IPacts.PactState.Joining;
    }

    /// @notice What Pacts receives from a breached member's pledge: the slashed bond (joined bond + top-ups) less
    /// the challenger's reward (rounded down).
    function restOf(uint256 id, address a) public view returns (uint256) {
        MMember storage m = _members[id][a];
        uint256 slashed = uint256(m.bond) + m.topUp;
        return slashed - slashed * rewardBps / BPS;
    }

    function _modelBreach(uint256 id, address a, uint256 unvested) internal returns (uint256 toBen) {
        MPact storage p = _pacts[id];
        MMember storage m = _members[id][a];
        uint256 rest = restOf(id, a);
        p.compliant -= m.bond;
        if (p.compliant == 0) {
            // nobody left in compliance: the whole rest and the breacher's unvested shares go to the beneficiary
            toBen = rest + unvested;
            p.keeperFunds -= unvested;
        } else {
            uint256 toKeepers = rest * p.keeperBps / BPS;
            p.keeperFunds += toKeepers;
            toBen = rest - toKeepers;
        }
        m.status = IPacts.MemberStatus.Breached;
        restRecorded += rest;
        ++breachesRecorded;
    }

    function _modelHonor(uint256 id, address a, IPledgeRegistry.PledgeState s, uint256 regBefore)
        internal
        returns (uint256)
    {
        MMember storage m = _members[id][a];
        m.status = IPacts.MemberStatus.Honored;
        if (s == IPledgeRegistry.PledgeState.Releasable) m.bondBack = registry.claimable(a, token) - regBefore;
        ++honorsRecorded;
        return 0;
    }

    /// @dev The beneficiary got exactly the modelled part, plus, on the pact's last record, the rounding dust (at most
    /// 2 wei per member per breach: bonds here are below 1e27, so each floor loses under 1 wei).
    function _afterRecord(uint256 id, uint256 benBefore, uint256 toBen) internal {
        MPact storage p = _pacts[id];
        uint256 delta = pacts.claimable(p.beneficiary, token) - benBefore;
        ++p.recorded;
        credited[p.beneficiary] += delta;
        if (p.recorded == p.members) {
            if (delta < toBen) return _violate("settle: beneficiary short", id);
            uint256 dust = delta - toBen;
            if (dust > 2 * uint256(p.members) * (uint256(p.members) + 1)) _violate("settle: dust too large", id);
            p.keeperFunds -= dust;
            p.dust = dust;
            p.settled = true;
            ++settlements;
        } else if (delta != toBen) {
            _violate("record: beneficiary's part", id);
        }
    }

    // ============================================================== views

    function pactModel(uint256 id) external view returns (MPact memory) {
        return _pacts[id];
    }

    function memberModel(uint256 id, address a) external view returns (MMember memory) {
        return _members[id][a];
    }

    function joinedOf(uint256 id) external view returns (address[] memory) {
        return _joined[id];
    }

    function allPayees() external view returns (address[] memory) {
        return payees;
    }

    function pledgeCount() external view returns (uint256) {
        return pledgeIds.length;
    }

    function labList() external view returns (address[NLAB] memory) {
        return labs;
    }

    // ============================================================ helpers

    function _pickMember(uint256 pactSeed, uint256 memberSeed) internal view returns (bool, uint256, address) {
        if (count == 0) return (false, 0, address(0));
        uint256 id = 1 + pactSeed % count;
        address[] storage list = _joined[id];
        if (list.length == 0) return (false, id, address(0));
        return (true, id, list[memberSeed % list.length]);
    }

    uint8 internal constant K_EXPEL = 0;
    uint8 internal constant K_RECORD = 1;
    uint8 internal constant K_CLAIM_SHARES = 2;
    uint8 internal constant K_WITHDRAW = 3;
    uint8 internal constant K_BREACHED = 4;

    /// @dev Three times in four, the first (pact, member) from the seeds on that the action's rules accept; else (or
    /// when none does) a member picked at random, whom the rules may refuse (for share claims, a breacher first).
    function _findMember(uint256 pactSeed, uint256 memberSeed, uint8 kind) internal view returns (bool, uint256, address) {
        if (count == 0) return (false, 0, address(0));
        // The fourth time, for claims: a member the rules must refuse (a breacher, whose accrued shares are forfeit).
        uint8 want = memberSeed % 4 != 0 ? kind : kind == K_CLAIM_SHARES ? K_BREACHED : type(uint8).max;
        if (want != type(uint8).max) {
            for (uint256 i; i < count; ++i) {
                uint256 id = 1 + (pactSeed + i) % count;
                address[] storage list = _joined[id];
                for (uint256 j; j < list.length; ++j) {
                    address a = list[(memberSeed + j) % list.length];
                    if (_fits(want, id, a)) return (true, id, a);
                }
            }
        }
        return _pickMember(pactSeed, memberSeed);
    }

    function _fits(uint8 kind, uint256 id, address a) internal view returns (bool) {
        MMember storage m = _members[id][a];
        IPacts.PactState s = modelState(id);
        if (kind == K_EXPEL) {
            return (s == IPacts.PactState.Joining || s == IPacts.PactState.Activatable)
                && m.status == IPacts.MemberStatus.Joined && !approved[a];
        }
        if (kind == K_RECORD) {
            return m.status == IPacts.MemberStatus.Pledged && _in(registry.state(PledgeId.wrap(m.pledgeId)), 0x1D0);
        }
        if (kind == K_BREACHED) return m.status == IPacts.MemberStatus.Breached;
        if (kind == K_CLAIM_SHARES) {
            return m.status == IPacts.MemberStatus.Honored && pacts.sharesOf(PactId.wrap(id), a) != 0;
        }
        return s == IPacts.PactState.Failed && m.status == IPacts.MemberStatus.Joined;
    }

    /// @dev Three times in four, the first pact from the seed on in `want`; else (or when none is) one at random.
    function _findPact(uint256 seed, IPacts.PactState want) internal view returns (uint256) {
        if (seed % 4 != 0) {
            for (uint256 i; i < count; ++i) {
                uint256 id = 1 + (seed + i) % count;
                if (modelState(id) == want) return id;
            }
        }
        return 1 + seed % count;
    }

    /// @dev Three times in four, a pact in Joining and a lab the rules would let join it; else at random.
    function _pickJoiner(uint256 pactSeed, uint256 labSeed, bool smart) internal view returns (uint256, address) {
        if (smart) {
            for (uint256 i; i < count; ++i) {
                uint256 id = 1 + (pactSeed + i) % count;
                if (modelState(id) != IPacts.PactState.Joining) continue;
                for (uint256 j; j < NLAB; ++j) {
                    address a = labs[(labSeed + j) % NLAB];
                    MMember storage m = _members[id][a];
                    if (m.status == IPacts.MemberStatus.None && approved[a] && (!_pacts[id].invitedOnly || m.invited)) {
                        return (id, a);
                    }
                }
            }
        }
        return (1 + pactSeed % count, labs[labSeed % NLAB]);
    }

    /// @dev Three times in four, the first member pledge from the seed on whose registry state is in `mask`; else
    /// one at random (the caller refuses it when its state does not fit).
    function _findPledge(uint256 seed, uint256 mask) internal view returns (bool, uint64) {
        uint256 n = pledgeIds.length;
        if (n == 0) return (false, 0);
        if (seed % 4 != 0) {
            for (uint256 i; i < n; ++i) {
                uint64 pid = uint64(pledgeIds[(seed + i) % n]);
                if (_in(registry.state(PledgeId.wrap(pid)), mask)) return (true, pid);
            }
        }
        return _pickPledge(seed);
    }

    function _pickPledge(uint256 seed) internal view returns (bool, uint64) {
        if (pledgeIds.length == 0) return (false, 0);
        return (true, uint64(pledgeIds[seed % pledgeIds.length]));
    }

    function _recipient(uint256 seed) internal view returns (address) {
        uint256 k = seed % 12;
        if (k == 0) return address(0);
        if (k == 1) return address(pacts);
        if (k == 2) return outsider;
        if (k < 2 + NLAB + 1) return labs[k - 3];
        return founders[k % 2];
    }

    function _validTo(address to) internal view returns (bool) {
        return to != address(0) && to != address(pacts);
    }

    function _expectOut(address to, uint256 amount) internal {
        if (amount == 0) return;
        expectedOut[to] += amount;
        if (!_isPayee[to]) {
            _isPayee[to] = true;
            payees.push(to);
        }
    }

    function _in(IPledgeRegistry.PledgeState s, uint256 mask) internal pure returns (bool) {
        return (1 << uint8(s)) & mask != 0;
    }

    function _refuse(uint256 action) internal {
        ++refused[action];
    }

    function _violate(string memory what, uint256 id) internal {
        if (bytes(violation).length == 0) violation = string.concat(what, " (pact ", vm.toString(id), ")");
    }
}
