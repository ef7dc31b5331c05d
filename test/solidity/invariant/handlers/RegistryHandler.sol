// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IArbiter} from "../../../../contracts/interfaces/IArbiter.sol";
import {ICommitteeArbiter} from "../../../../contracts/interfaces/ICommitteeArbiter.sol";
import {IOptimisticResolution} from "../../../../contracts/interfaces/IOptimisticResolution.sol";
import {IPledgeRegistry} from "../../../../contracts/interfaces/IPledgeRegistry.sol";
import {MockArbiter} from "../../../mocks/MockArbiter.sol";
import {MockERC20} from "../../../mocks/MockERC20.sol";
import {ChallengeId, PledgeId} from "../../../../contracts/types/Ids.sol";

/// @notice Both faces of a registry, so the handler can drive any implementation by its address.
interface IRegistry is IPledgeRegistry, IOptimisticResolution {}

/// @title RegistryHandler
/// @notice Drives two PledgeRegistry deployments (one with a treasury, one burning fees) with five actors,
/// two bond tokens (18 and 6 decimals), mock and committee arbiters, and a clock. It keeps its own model of
/// the documented state machine and of every credit the rules grant (from the configured bps and the bond
/// splits, never from the registry's numbers), measures every token movement, and records the first
/// disagreement; the invariant contract asserts on those records.
/// @dev Runs with `failOnRevert = false`, so a failed assertion here would be swallowed: disagreements are
/// stored in `modelViolation` / `lifeViolation` instead, and every registry call is wrapped in try/catch.
/// Abstract: the test file declares the concrete handler, so that its artifact exists whenever the test file is
/// compiled on its own (see `PledgeRegistryHandler` there).
abstract contract RegistryHandler is CommonBase, StdCheats, StdUtils {
    // ------------------------------------------------------------- constants

    /// @notice Where burned amounts go, as documented (not read from the registry).
    address public constant BURN = 0x000000000000000000000000000000000000dEaD;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant NREG = 2;
    uint256 internal constant NTOK = 2;
    uint256 internal constant NACT = 5;
    /// @notice What each actor holds of each token at the start: enough for challenge bonds near 2^128.
    uint256 public constant ACTOR_FUNDS = 1 << 200;
    /// @notice Stands for "no pledge" in violation reports.
    uint256 internal constant NO_PLEDGE = type(uint256).max;

    /// @notice Handler entry points (index into `ok` / `refused`).
    uint256 internal constant A_CREATE = 0;
    uint256 internal constant A_TOPUP = 1;
    uint256 internal constant A_CHALLENGE = 2;
    uint256 internal constant A_DISPUTE = 3;
    uint256 internal constant A_RULE = 4;
    uint256 internal constant A_VOID = 5;
    uint256 internal constant A_FINALIZE = 6;
    uint256 internal constant A_CLAIM = 7;
    uint256 internal constant A_FLUSH = 8;
    uint256 internal constant A_WARP = 9;
    uint256 internal constant A_PROBE = 10;
    uint256 public constant N_ACTIONS = 11;

    /// @notice Interesting paths within the actions (index into `paths`).
    uint256 internal constant P_NO_BENEFICIARY = 0;
    uint256 internal constant P_COMMITTEE_PLEDGE = 1;
    uint256 internal constant P_DISPUTE_SELF = 2;
    uint256 internal constant P_DISPUTE_PLEDGER = 3;
    uint256 internal constant P_RULE_UPHELD = 4;
    uint256 internal constant P_RULE_REJECTED = 5;
    uint256 internal constant P_RULE_COMMITTEE = 6;
    uint256 internal constant P_FINAL_BREACHED = 7;
    uint256 internal constant P_FINAL_HONORED = 8;
    uint256 internal constant P_WARP_ON_DEADLINE = 9;
    uint256 internal constant P_WARP_BEFORE_DEADLINE = 10;
    uint256 internal constant P_ESCALATED_CHALLENGE = 11; // a challenge after a rejection
    uint256 internal constant P_BURN_FLUSHED = 12;
    uint256 internal constant P_TOPUP_TO_CAP = 13;
    uint256 internal constant P_INVALID_CREATE = 14;
    uint256 internal constant P_FEE_TO_TREASURY = 15;
    uint256 internal constant P_ESCALATION_CAPPED = 16; // a challenge bond held down to max(bond, base)
    uint256 public constant N_PATHS = 17;

    // ----------------------------------------------------------------- types

    /// @notice Everything deployed by the test, handed over at construction.
    struct Setup {
        IRegistry[2] registries;
        IPledgeRegistry.RegistryConfig[2] configs;
        MockERC20[2] tokens;
        MockArbiter[2] mockArbiters;
        ICommitteeArbiter[2] committees;
        address[3] members;
        address[5] actors;
        address[2] beneficiaries;
    }

    /// @notice The handler's model of a pledge.
    struct MPledge {
        uint8 reg;
        uint8 tok;
        uint64 id;
        address pledger;
        address beneficiary;
        address arbiter;
        bool committee;
        uint64 expiry;
        uint32 grace;
        uint32 liveness;
        uint256 bond;
        uint256 challengeBase;
        uint256 rejected;
        uint256 open; // once Breached: the challenge that established the breach (as documented)
        uint256 lastChallenge;
        IPledgeRegistry.Outcome outcome;
    }

    /// @notice The handler's model of a challenge.
    struct MChallenge {
        address challenger;
        address disputer;
        uint64 challengedAt;
        uint64 disputedAt;
        uint256 bond;
        uint256 key; // index of the pledge in `_pledges`
        bool disputed;
        bool closed;
    }

    /// @notice Per registry, token and account: what it paid in, what the rules credited back (its own stakes
    /// returned, and gains), what it forfeited, and what it withdrew.
    struct Ledger {
        uint256 deposited;
        uint256 refunded;
        uint256 won;
        uint256 lost;
        uint256 withdrawn;
    }

    /// @notice Per registry and token, measured from balances.
    struct Totals {
        uint256 deposited;
        uint256 claimed;
        uint256 flushed;
    }

    // ----------------------------------------------------------------- state

    IRegistry[2] internal _regs;
    MockERC20[2] internal _toks;
    MockArbiter[2] internal _mocks;
    ICommitteeArbiter[2] internal _committees;
    address[3] internal _members;
    address[5] internal _actors;
    address[2] internal _beneficiaries;
    address[2] internal _treasury;
    uint256[2] internal _rewardBps;
    uint256[2] internal _feeBps;
    uint32[2] internal _minLiveness;
    uint32[2] internal _maxLiveness;
    uint32[2] internal _maxGrace;
    uint32[2] internal _timeout;

    /// @notice Every account the rules can credit: actors, treasury, dedicated beneficiaries, burn address.
    address[] internal _accounts;

    MPledge[] internal _pledges;
    mapping(uint256 reg => mapping(uint256 challengeId => MChallenge)) internal _challenges;
    uint256[2] internal _challengeCount;
    uint256[2] internal _pledgeCount;

    mapping(uint256 reg => mapping(uint256 tok => mapping(address account => Ledger))) internal _ledger;
    mapping(uint256 reg => mapping(uint256 tok => Totals)) internal _totals;

    /// @notice LIFE-A observations: last seen state (only final ones are kept) and bond per pledge.
    mapping(uint256 key => uint8) internal _seenFinal;
    mapping(uint256 key => uint256) internal _seenBond;

    /// @notice Successful calls per action, refused calls per action (refusals the model predicted), paths.
    uint256[11] public ok;
    uint256[11] public refused;
    uint256[17] public paths;

    /// @notice The first disagreement between registry and model (empty while none).
    string public modelViolation;
    /// @notice The first LIFE-A breach observed (empty while none).
    string public lifeViolation;

    constructor(Setup memory s) {
        for (uint256 r; r < NREG; ++r) {
            _regs[r] = s.registries[r];
            _mocks[r] = s.mockArbiters[r];
            _committees[r] = s.committees[r];
            _treasury[r] = s.configs[r].treasury;
            _rewardBps[r] = s.configs[r].challengerRewardBps;
            _feeBps[r] = s.configs[r].disputeFeeBps;
            _minLiveness[r] = s.configs[r].minLiveness;
            _maxLiveness[r] = s.configs[r].maxLiveness;
            _maxGrace[r] = s.configs[r].maxGrace;
            _timeout[r] = s.configs[r].arbitrationTimeout;
        }
        for (uint256 t; t < NTOK; ++t) {
            _toks[t] = s.tokens[t];
        }
        _members = s.members;
        _beneficiaries = s.beneficiaries;
        for (uint256 i; i < NACT; ++i) {
            address a = s.actors[i];
            _actors[i] = a;
            _accounts.push(a);
            for (uint256 t; t < NTOK; ++t) {
                _toks[t].mint(a, ACTOR_FUNDS);
                for (uint256 r; r < NREG; ++r) {
                    vm.prank(a);
                    _toks[t].approve(address(_regs[r]), type(uint256).max);
                }
            }
        }
        for (uint256 r; r < NREG; ++r) {
            if (_treasury[r] != address(0)) _accounts.push(_treasury[r]);
        }
        _accounts.push(s.beneficiaries[0]);
        _accounts.push(s.beneficiaries[1]);
        _accounts.push(BURN);
    }

    // ============================================================ actions

    /// @notice Creates a pledge (one in eight with one creation rule broken, which must be refused).
    function createPledge(uint256 actorSeed, uint256 amountSeed, uint256 timeSeed, uint256 choiceSeed) external {
        _create(mix(actorSeed, 1), mix(amountSeed, 2), mix(timeSeed, 3), mix(choiceSeed, 4), false);
        _observe();
    }

    /// @notice The pledger adds to its bond (sometimes a stranger tries, sometimes zero, sometimes up to the cap).
    function topUp(uint256 pledgeSeed, uint256 amountSeed) external {
        if (_bootstrapped(pledgeSeed)) return;
        amountSeed = mix(amountSeed, 2);
        (uint256 k,) = _choose(pledgeSeed, _bit(_ACTIVE) | _bit(_CHALLENGED) | _bit(_DISPUTED));
        MPledge storage p = _pledges[k];
        uint256 amount;
        uint256 mode = amountSeed % 16;
        if (mode == 0) {
            amount = 0;
        } else if (mode == 1 && p.bond < type(uint128).max) {
            amount = type(uint128).max - p.bond + ((amountSeed >> 8) % 2); // exactly to the cap, or one past
        } else {
            amount = _amount(amountSeed >> 8, p.tok);
        }
        address caller = (amountSeed >> 16) % 16 == 0 ? _otherActor(p.pledger, amountSeed >> 24) : p.pledger;
        _topUp(k, caller, amount);
        _observe();
    }

    /// @notice An actor other than the pledger challenges (sometimes the pledger tries, and must be refused).
    function challenge(uint256 pledgeSeed, uint256 actorSeed) external {
        if (_bootstrapped(pledgeSeed)) return;
        (uint256 k,) = _choose(pledgeSeed, _bit(_ACTIVE));
        _challengeBy(k, mix(actorSeed, 2));
        _observe();
    }

    /// @notice Someone disputes the open challenge: the challenger itself, the pledger, or any actor. With no
    /// challenge open, challenges an active pledge instead, so that deep paths stay reachable.
    function dispute(uint256 pledgeSeed, uint256 actorSeed) external {
        if (_bootstrapped(pledgeSeed)) return;
        actorSeed = mix(actorSeed, 2);
        (uint256 k, bool none) = _choose(pledgeSeed, _bit(_CHALLENGED));
        if (none) {
            (bool found, uint256 j) = _find(pledgeSeed, _bit(_ACTIVE));
            if (found) {
                _challengeBy(j, actorSeed);
                _observe();
                return;
            }
        }
        _disputeBy(k, actorSeed);
        _observe();
    }

    /// @notice The pledge's arbiter rules (the mock directly, or the committee by a 2-of-3 vote). With nothing
    /// disputed, disputes an open challenge (or challenges an active pledge) instead.
    function rule(uint256 pledgeSeed, bool breached, uint256 voteSeed) external {
        if (_bootstrapped(pledgeSeed)) return;
        voteSeed = mix(voteSeed, 2);
        (uint256 k, bool none) = _choose(pledgeSeed, _bit(_DISPUTED));
        if (none) {
            (bool found, uint256 j) = _find(pledgeSeed, _bit(_CHALLENGED));
            if (found) {
                _disputeBy(j, voteSeed);
                _observe();
                return;
            }
            (found, j) = _find(pledgeSeed, _bit(_ACTIVE));
            if (found) {
                _challengeBy(j, voteSeed);
                _observe();
                return;
            }
        }
        _rule(k, breached, voteSeed);
        _observe();
    }

    /// @notice Anyone voids a dispute whose ruling is overdue. With none overdue but one disputed, first warps
    /// exactly onto its ruling deadline (the first second at which voiding is allowed).
    function voidChallenge(uint256 pledgeSeed, uint256 actorSeed) external {
        if (_bootstrapped(pledgeSeed)) return;
        (uint256 k, bool none) = _choose(pledgeSeed, _bit(_RULING_OVERDUE));
        if (none) {
            (bool found, uint256 j) = _find(pledgeSeed, _bit(_DISPUTED));
            if (found) {
                vm.warp(_nextDeadline(j));
                ++paths[P_WARP_ON_DEADLINE];
                k = j;
            }
        }
        _void(k, _actors[mix(actorSeed, 2) % NACT]);
        _observe();
    }

    /// @notice Anyone finalizes a due pledge (Slashable or Releasable).
    function finalize(uint256 pledgeSeed, uint256 actorSeed) external {
        if (_bootstrapped(pledgeSeed)) return;
        (uint256 k,) = _choose(pledgeSeed, _bit(_SLASHABLE) | _bit(_RELEASABLE));
        _finalize(k, _actors[mix(actorSeed, 2) % NACT]);
        _observe();
    }

    /// @notice An account (actor, treasury or beneficiary) claims a token to itself; prefers one that is owed.
    function claim(uint256 accountSeed, uint256 regTokSeed) external {
        accountSeed = mix(accountSeed, 1);
        regTokSeed = mix(regTokSeed, 2);
        uint256 n = _accounts.length - 1; // every account but the burn address
        uint256 combo = regTokSeed % (NREG * NTOK);
        address who = _accounts[accountSeed % n];
        if ((regTokSeed >> 8) % 8 != 0) {
            // look for something owed, starting at the drawn account and registry/token
            bool found;
            for (uint256 i; i < n && !found; ++i) {
                address a = _accounts[(accountSeed + i) % n];
                for (uint256 j; j < NREG * NTOK; ++j) {
                    uint256 c = (regTokSeed + j) % (NREG * NTOK);
                    if (_owed(c / NTOK, c % NTOK, a) != 0) {
                        (who, combo, found) = (a, c, true);
                        break;
                    }
                }
            }
        }
        _claim(who, combo / NTOK, combo % NTOK);
        _observe();
    }

    /// @notice Anyone flushes the burned amounts of a token; prefers one with something to flush.
    function flushBurned(uint256 regTokSeed) external {
        regTokSeed = mix(regTokSeed, 1);
        uint256 combo = regTokSeed % (NREG * NTOK);
        if ((regTokSeed >> 8) % 8 != 0) {
            for (uint256 j; j < NREG * NTOK; ++j) {
                uint256 c = (regTokSeed + j) % (NREG * NTOK);
                if (_owed(c / NTOK, c % NTOK, BURN) != 0) {
                    combo = c;
                    break;
                }
            }
        }
        _flush(combo / NTOK, combo % NTOK);
        _observe();
    }

    /// @notice Moves the clock forward by a bounded random amount (short steps more often than long ones).
    function warp(uint256 seed) external {
        seed = mix(seed, 1);
        uint256 step = seed % 2 == 0 ? _bound(seed >> 8, 1, 1 hours) : _bound(seed >> 8, 1, 1 days);
        vm.warp(block.timestamp + step);
        ++ok[A_WARP];
        _observe();
    }

    /// @notice Moves the clock exactly onto the next deadline of a pledge, or onto the second before it.
    function warpToDeadline(uint256 pledgeSeed, bool justBefore) external {
        pledgeSeed = mix(pledgeSeed, 1);
        uint256 n = _pledges.length;
        if (n != 0) {
            for (uint256 i; i < n; ++i) {
                uint256 k = (pledgeSeed + i) % n;
                uint256 d = _nextDeadline(k);
                if (d <= block.timestamp) continue;
                if (justBefore && d - 1 > block.timestamp) {
                    vm.warp(d - 1);
                    ++paths[P_WARP_BEFORE_DEADLINE];
                } else {
                    vm.warp(d);
                    ++paths[P_WARP_ON_DEADLINE];
                }
                ++ok[A_WARP];
                _observe();
                return;
            }
        }
        vm.warp(block.timestamp + _bound(pledgeSeed, 1, 1 days));
        ++ok[A_WARP];
        _observe();
    }

    /// @notice Tries something the rules forbid; it must be refused.
    function probe(uint256 seed) external {
        seed = mix(seed, 1);
        uint256 kind = seed % 6;
        bool tried;
        bool success;
        string memory what;
        if (kind == 0) (tried, success, what) = _probeStrangerRules(seed);
        else if (kind == 1) (tried, success, what) = _probeRuleOnClosed(seed);
        else if (kind == 2) (tried, success, what) = _probeClaimToZero(seed);
        else if (kind == 3) (tried, success, what) = _probeCommittee(seed);
        else if (kind == 4) (tried, success, what) = _probeArbiterRefuses(seed);
        else (tried, success, what) = _probeUnknownPledge(seed);
        if (!tried) return;
        if (success) _modelFail(string.concat("forbidden call succeeded: ", what), NO_PLEDGE);
        else ++ok[A_PROBE];
        _observe();
    }

    /// @dev A stranger (not the arbiter) rules on a pledge's latest challenge (or on an unknown one).
    function _probeStrangerRules(uint256 seed) internal returns (bool tried, bool success, string memory what) {
        if (_pledges.length == 0) return (false, false, "");
        MPledge storage p = _pledges[(seed >> 8) % _pledges.length];
        uint256 cid = p.lastChallenge == 0 ? _challengeCount[p.reg] + 1 : p.lastChallenge;
        vm.prank(_actors[(seed >> 16) % NACT]);
        try _regs[p.reg].rule(ChallengeId.wrap(cid), (seed >> 24) % 2 == 0) {
            success = true;
        } catch {}
        return (true, success, "rule by a non-arbiter");
    }

    /// @dev The arbiter rules on a challenge that is no longer open.
    function _probeRuleOnClosed(uint256 seed) internal returns (bool tried, bool success, string memory what) {
        (bool found, uint256 r, uint256 cid, address arbiter) = _closedChallenge(seed >> 8);
        if (!found) return (false, false, "");
        vm.prank(arbiter);
        try _regs[r].rule(ChallengeId.wrap(cid), (seed >> 24) % 2 == 0) {
            success = true;
        } catch {}
        return (true, success, "rule on a closed challenge");
    }

    /// @dev A claim to the zero address.
    function _probeClaimToZero(uint256 seed) internal returns (bool tried, bool success, string memory what) {
        uint256 r = (seed >> 8) % NREG;
        uint256 t = (seed >> 16) % NTOK;
        vm.prank(_actors[(seed >> 24) % NACT]);
        try _regs[r].claim(_toks[t], address(0)) {
            success = true;
        } catch {}
        return (true, success, "claim to address(0)");
    }

    /// @dev A committee hears of a dispute from someone other than its registry, or a stranger votes.
    function _probeCommittee(uint256 seed) internal returns (bool tried, bool success, string memory what) {
        ICommitteeArbiter committee = _committees[(seed >> 8) % NREG];
        if ((seed >> 16) % 2 == 0) {
            try committee.onDisputed(ChallengeId.wrap(1), PledgeId.wrap(1), uint64(block.timestamp + 1)) {
                success = true;
            } catch {}
            return (true, success, "committee told of a dispute by a stranger");
        }
        vm.prank(_actors[(seed >> 24) % NACT]);
        try committee.vote(ChallengeId.wrap(1 + (seed >> 32) % 4), true) {
            success = true;
        } catch {}
        return (true, success, "vote by a non-member");
    }

    /// @dev A dispute whose arbiter refuses it (`onDisputed` reverts) must revert as a whole.
    function _probeArbiterRefuses(uint256 seed) internal returns (bool tried, bool success, string memory what) {
        if (_pledges.length == 0) return (false, false, "");
        (bool found, uint256 k) = _find(seed >> 8, _bit(_CHALLENGED));
        if (!found || _pledges[k].committee) return (false, false, "");
        MPledge storage p = _pledges[k];
        _mocks[p.reg].setRevertOnDispute(true);
        vm.prank(_actors[(seed >> 24) % NACT]);
        try _regs[p.reg].dispute(PledgeId.wrap(p.id)) {
            success = true;
        } catch {}
        _mocks[p.reg].setRevertOnDispute(false);
        return (true, success, "dispute refused by the arbiter");
    }

    /// @dev An unknown pledge id reads as `None` and cannot be finalized.
    function _probeUnknownPledge(uint256 seed) internal returns (bool tried, bool success, string memory what) {
        uint256 r = (seed >> 8) % NREG;
        PledgeId unknown = PledgeId.wrap(_pledgeCount[r] + 1 + (seed >> 16) % 3);
        if (_regs[r].state(unknown) != IPledgeRegistry.PledgeState.None) {
            _modelFail("state of an unknown pledge is not None", NO_PLEDGE);
        }
        vm.prank(_actors[(seed >> 24) % NACT]);
        try _regs[r].finalize(unknown) {
            success = true;
        } catch {}
        return (true, success, "finalize of an unknown pledge");
    }

    // ================================================================= end step

    /// @notice The end step: warps past every deadline, voids every overdue dispute, finalizes every pledge,
    /// has every account claim every token and flushes every burn. Not a fuzz target.
    function settleAll() external {
        uint256 latest = block.timestamp;
        uint256 n = _pledges.length;
        for (uint256 k; k < n; ++k) {
            MPledge storage p = _pledges[k];
            latest = _max(latest, uint256(p.expiry) + p.grace);
            if (p.open != 0) {
                MChallenge storage c = _challenges[p.reg][p.open];
                latest = _max(latest, uint256(c.challengedAt) + p.liveness);
                if (c.disputed) latest = _max(latest, uint256(c.disputedAt) + _timeout[p.reg]);
            }
        }
        vm.warp(latest + 1);
        _observe();
        for (uint256 k; k < n; ++k) {
            if (modelState(k) == _RULING_OVERDUE) _void(k, _actors[k % NACT]);
        }
        for (uint256 k; k < n; ++k) {
            IPledgeRegistry.PledgeState st = modelState(k);
            if (st == _SLASHABLE || st == _RELEASABLE) _finalize(k, _actors[(k + 1) % NACT]);
            st = modelState(k);
            if (st != _BREACHED && st != _HONORED) _modelFail("end step left a pledge unsettled", k);
        }
        for (uint256 i; i + 1 < _accounts.length; ++i) {
            for (uint256 r; r < NREG; ++r) {
                for (uint256 t; t < NTOK; ++t) {
                    if (_owed(r, t, _accounts[i]) != 0) _claim(_accounts[i], r, t);
                }
            }
        }
        for (uint256 r; r < NREG; ++r) {
            for (uint256 t; t < NTOK; ++t) {
                if (_owed(r, t, BURN) != 0) _flush(r, t);
            }
        }
        _observe();
    }

    // ============================================================ operations

    function _create(uint256 actorSeed, uint256 amountSeed, uint256 timeSeed, uint256 choiceSeed, bool forceValid)
        internal
    {
        address pledger = _actors[actorSeed % NACT];
        uint256 r = choiceSeed % NREG;
        uint256 t = (choiceSeed >> 8) % NTOK;
        bool committee = (choiceSeed >> 16) % 3 == 0;
        IPledgeRegistry.PledgeParams memory prm = _params(pledger, r, t, committee, amountSeed, timeSeed);
        prm.beneficiary = _pickBeneficiary(choiceSeed >> 24, pledger);
        bool valid = forceValid || _breakOne(prm, pledger, r, (choiceSeed >> 32) % 64);

        IRegistry reg = _regs[r];
        uint256 before = _toks[t].balanceOf(address(reg));
        vm.prank(pledger);
        try reg.createPledge(prm) returns (PledgeId pid) {
            if (!valid) {
                _modelFail("createPledge accepted invalid params", NO_PLEDGE);
                return;
            }
            uint256 id = PledgeId.unwrap(pid);
            if (id != _pledgeCount[r] + 1) {
                _modelFail("createPledge returned an unexpected id", NO_PLEDGE);
                return;
            }
            _pledgeCount[r] = id;
            _pulled(r, t, pledger, before, prm.bond, "createPledge");
            _record(prm, pledger, r, t, id, committee);
        } catch {
            if (valid) {
                _modelFail("createPledge refused valid params", NO_PLEDGE);
                return;
            }
            ++refused[A_CREATE];
            ++paths[P_INVALID_CREATE];
        }
    }

    /// @dev Valid parameters (times reach their bounds one time in eight each); the beneficiary is set apart.
    function _params(address pledger, uint256 r, uint256 t, bool committee, uint256 amountSeed, uint256 timeSeed)
        internal
        view
        returns (IPledgeRegistry.PledgeParams memory prm)
    {
        prm.termsHash = keccak256(abi.encode(pledger, amountSeed, timeSeed));
        prm.termsURI = "ipfs://terms";
        prm.token = _toks[t];
        prm.bond = uint128(_amount(amountSeed, t));
        prm.expiry = uint64(block.timestamp + _edgy(timeSeed, 1, 10 days));
        prm.grace = uint32(_edgy(timeSeed >> 64, 0, _maxGrace[r]));
        prm.resolution.liveness = uint32(_edgy(timeSeed >> 128, _minLiveness[r], _maxLiveness[r]));
        prm.resolution.challengeBond = uint128(_challengeBase(amountSeed >> 128, t, prm.bond));
        prm.resolution.arbiter = committee ? IArbiter(address(_committees[r])) : IArbiter(address(_mocks[r]));
    }

    function _record(
        IPledgeRegistry.PledgeParams memory prm,
        address pledger,
        uint256 r,
        uint256 t,
        uint256 id,
        bool committee
    ) internal {
        _pledges.push(
            MPledge({
                reg: uint8(r),
                tok: uint8(t),
                id: uint64(id),
                pledger: pledger,
                beneficiary: prm.beneficiary,
                arbiter: address(prm.resolution.arbiter),
                committee: committee,
                expiry: prm.expiry,
                grace: prm.grace,
                liveness: prm.resolution.liveness,
                bond: prm.bond,
                challengeBase: prm.resolution.challengeBond,
                rejected: 0,
                open: 0,
                lastChallenge: 0,
                outcome: IPledgeRegistry.Outcome.None
            })
        );
        ++ok[A_CREATE];
        if (prm.beneficiary == address(0)) ++paths[P_NO_BENEFICIARY];
        if (committee) ++paths[P_COMMITTEE_PLEDGE];
    }

    function _topUp(uint256 k, address caller, uint256 amount) internal {
        MPledge storage p = _pledges[k];
        uint256 allowedStates = _bit(_ACTIVE) | _bit(_CHALLENGED) | _bit(_DISPUTED);
        IPledgeRegistry.PledgeState st = modelState(k);
        bool allowed = _in(st, allowedStates) && caller == p.pledger && amount != 0
            && p.bond + amount <= type(uint128).max;
        IRegistry reg = _regs[p.reg];
        uint256 before = _toks[p.tok].balanceOf(address(reg));
        vm.prank(caller);
        try reg.topUp(PledgeId.wrap(p.id), uint128(amount)) {
            if (!allowed) {
                _modelFail("topUp accepted", k);
                return;
            }
            _pulled(p.reg, p.tok, caller, before, amount, "topUp");
            p.bond += amount;
            if (p.bond == type(uint128).max) ++paths[P_TOPUP_TO_CAP];
            ++ok[A_TOPUP];
        } catch (bytes memory err) {
            if (allowed) {
                _modelFail("topUp refused", k);
                return;
            }
            _checkRefusal(k, err, allowedStates, "topUp");
            ++refused[A_TOPUP];
        }
    }

    function _challenge(uint256 k, address who) internal {
        MPledge storage p = _pledges[k];
        IPledgeRegistry.PledgeState st = modelState(k);
        bool allowed = st == _ACTIVE && who != p.pledger;
        uint256 bond = escalatedBond(k);
        IRegistry reg = _regs[p.reg];
        uint256 before = _toks[p.tok].balanceOf(address(reg));
        vm.prank(who);
        try reg.challenge(PledgeId.wrap(p.id), "ipfs://evidence", bond) returns (ChallengeId cid_) {
            if (!allowed) {
                _modelFail("challenge accepted", k);
                return;
            }
            uint256 cid = ChallengeId.unwrap(cid_);
            if (cid != _challengeCount[p.reg] + 1) {
                _modelFail("challenge returned an unexpected id", k);
                return;
            }
            _challengeCount[p.reg] = cid;
            _pulled(p.reg, p.tok, who, before, bond, "challenge");
            _challenges[p.reg][cid] = MChallenge({
                challenger: who,
                disputer: address(0),
                challengedAt: uint64(block.timestamp),
                disputedAt: 0,
                bond: bond,
                key: k,
                disputed: false,
                closed: false
            });
            p.open = cid;
            p.lastChallenge = cid;
            ++ok[A_CHALLENGE];
            if (p.rejected != 0) ++paths[P_ESCALATED_CHALLENGE];
            if (p.rejected != 0 && bond < (p.challengeBase << _min(p.rejected, 128))) {
                ++paths[P_ESCALATION_CAPPED];
            }
        } catch (bytes memory err) {
            if (allowed) {
                _modelFail("challenge refused", k);
                return;
            }
            _checkRefusal(k, err, _bit(_ACTIVE), "challenge");
            ++refused[A_CHALLENGE];
        }
    }

    function _dispute(uint256 k, address who) internal {
        MPledge storage p = _pledges[k];
        bool allowed = modelState(k) == _CHALLENGED;
        uint256 cid = p.open;
        IRegistry reg = _regs[p.reg];
        uint256 before = _toks[p.tok].balanceOf(address(reg));
        vm.prank(who);
        try reg.dispute(PledgeId.wrap(p.id)) {
            if (!allowed) {
                _modelFail("dispute accepted", k);
                return;
            }
            MChallenge storage c = _challenges[p.reg][cid];
            _pulled(p.reg, p.tok, who, before, c.bond, "dispute");
            c.disputer = who;
            c.disputedAt = uint64(block.timestamp);
            c.disputed = true;
            if (p.committee) {
                (bool known,,,) = _committees[p.reg].tally(ChallengeId.wrap(cid));
                if (!known) _modelFail("committee was not told of the dispute", k);
            } else if (ChallengeId.unwrap(_mocks[p.reg].lastChallenge()) != cid) {
                _modelFail("arbiter was not told of the dispute", k);
            }
            ++ok[A_DISPUTE];
            if (who == c.challenger) ++paths[P_DISPUTE_SELF];
            if (who == p.pledger) ++paths[P_DISPUTE_PLEDGER];
        } catch (bytes memory err) {
            if (allowed) {
                _modelFail("dispute refused", k);
                return;
            }
            _checkRefusal(k, err, _bit(_CHALLENGED), "dispute");
            ++refused[A_DISPUTE];
        }
    }

    function _rule(uint256 k, bool breached, uint256 voteSeed) internal {
        MPledge storage p = _pledges[k];
        bool allowed = modelState(k) == _DISPUTED;
        uint256 cid = p.open;
        if (cid == 0) {
            // nothing open: the arbiter rules on the latest (closed) challenge, or on an unknown id
            cid = p.lastChallenge == 0 ? _challengeCount[p.reg] + 1 : p.lastChallenge;
        }
        bool success;
        bytes memory err;
        if (p.committee && allowed) {
            (success, err) = _committeeRules(p.reg, cid, breached, voteSeed);
        } else {
            vm.prank(p.arbiter);
            try _regs[p.reg].rule(ChallengeId.wrap(cid), breached) {
                success = true;
            } catch (bytes memory e) {
                err = e;
            }
        }
        if (success) {
            if (!allowed) {
                _modelFail("rule accepted", k);
                return;
            }
            _applyRule(k, breached);
            ++ok[A_RULE];
            ++paths[breached ? P_RULE_UPHELD : P_RULE_REJECTED];
            if (p.committee) ++paths[P_RULE_COMMITTEE];
        } else {
            if (allowed) {
                _modelFail("rule refused", k);
                return;
            }
            _checkRefusal(k, err, _bit(_DISPUTED), "rule");
            ++refused[A_RULE];
        }
    }

    /// @dev Two or three distinct members vote; with a dissenting first vote, the ruling is the third vote.
    function _committeeRules(uint256 r, uint256 cid, bool breached, uint256 voteSeed)
        internal
        returns (bool success, bytes memory err)
    {
        ICommitteeArbiter committee = _committees[r];
        uint256 first = voteSeed % 3;
        bool dissent = (voteSeed >> 8) % 2 == 0;
        uint256 votes = dissent ? 3 : 2;
        for (uint256 i; i < votes; ++i) {
            bool v = (dissent && i == 0) ? !breached : breached;
            vm.prank(_members[(first + i) % 3]);
            try committee.vote(ChallengeId.wrap(cid), v) {}
            catch (bytes memory e) {
                return (false, e);
            }
        }
        (, bool ruled,,) = committee.tally(ChallengeId.wrap(cid));
        return (ruled, "");
    }

    function _void(uint256 k, address who) internal {
        MPledge storage p = _pledges[k];
        bool allowed = modelState(k) == _RULING_OVERDUE;
        vm.prank(who);
        try _regs[p.reg].voidChallenge(PledgeId.wrap(p.id)) {
            if (!allowed) {
                _modelFail("voidChallenge accepted", k);
                return;
            }
            MChallenge storage c = _challenges[p.reg][p.open];
            _credit(p.reg, p.tok, c.challenger, c.bond, 0);
            _credit(p.reg, p.tok, c.disputer, c.bond, 0);
            c.closed = true;
            p.open = 0;
            ++ok[A_VOID];
        } catch (bytes memory err) {
            if (allowed) {
                _modelFail("voidChallenge refused", k);
                return;
            }
            _checkRefusal(k, err, _bit(_RULING_OVERDUE), "voidChallenge");
            ++refused[A_VOID];
        }
    }

    function _finalize(uint256 k, address who) internal {
        MPledge storage p = _pledges[k];
        IPledgeRegistry.PledgeState st = modelState(k);
        bool allowed = st == _SLASHABLE || st == _RELEASABLE;
        vm.prank(who);
        try _regs[p.reg].finalize(PledgeId.wrap(p.id)) returns (IPledgeRegistry.Outcome outcome) {
            if (!allowed) {
                _modelFail("finalize accepted", k);
                return;
            }
            if (st == _SLASHABLE) {
                if (outcome != IPledgeRegistry.Outcome.Breached) {
                    _modelFail("finalize returned not Breached", k);
                    return;
                }
                MChallenge storage c = _challenges[p.reg][p.open];
                _credit(p.reg, p.tok, c.challenger, c.bond, 0); // its own bond back
                _slashModel(k, c.challenger);
                c.closed = true;
                ++paths[P_FINAL_BREACHED];
            } else {
                if (outcome != IPledgeRegistry.Outcome.Honored) {
                    _modelFail("finalize returned not Honored", k);
                    return;
                }
                _credit(p.reg, p.tok, p.pledger, p.bond, 0);
                p.outcome = IPledgeRegistry.Outcome.Honored;
                ++paths[P_FINAL_HONORED];
            }
            ++ok[A_FINALIZE];
        } catch (bytes memory err) {
            if (allowed) {
                _modelFail("finalize refused", k);
                return;
            }
            _checkRefusal(k, err, _bit(_SLASHABLE) | _bit(_RELEASABLE), "finalize");
            ++refused[A_FINALIZE];
        }
    }

    function _claim(address who, uint256 r, uint256 t) internal {
        uint256 expected = _owed(r, t, who);
        IRegistry reg = _regs[r];
        IERC20 tok = _toks[t];
        uint256 regBefore = tok.balanceOf(address(reg));
        uint256 whoBefore = tok.balanceOf(who);
        vm.prank(who);
        try reg.claim(tok, who) returns (uint256 amount) {
            if (expected == 0) {
                _modelFail("claim paid an account the model owes nothing", NO_PLEDGE);
                return;
            }
            uint256 received = tok.balanceOf(who) - whoBefore;
            if (amount != expected || received != expected || regBefore - tok.balanceOf(address(reg)) != expected) {
                _modelFail("claim paid a different amount than the model owes", NO_PLEDGE);
                return;
            }
            _ledger[r][t][who].withdrawn += received;
            _totals[r][t].claimed += received;
            ++ok[A_CLAIM];
        } catch {
            if (expected != 0) {
                _modelFail("claim refused an account the model owes", NO_PLEDGE);
                return;
            }
            ++refused[A_CLAIM];
        }
    }

    function _flush(uint256 r, uint256 t) internal {
        uint256 expected = _owed(r, t, BURN);
        IRegistry reg = _regs[r];
        IERC20 tok = _toks[t];
        uint256 burnBefore = tok.balanceOf(BURN);
        try reg.flushBurned(tok) returns (uint256 amount) {
            if (expected == 0) {
                _modelFail("flushBurned sent what the model says was never burned", NO_PLEDGE);
                return;
            }
            uint256 received = tok.balanceOf(BURN) - burnBefore;
            if (amount != expected || received != expected) {
                _modelFail("flushBurned sent a different amount than was burned", NO_PLEDGE);
                return;
            }
            _ledger[r][t][BURN].withdrawn += received;
            _totals[r][t].flushed += received;
            ++ok[A_FLUSH];
            ++paths[P_BURN_FLUSHED];
        } catch {
            if (expected != 0) {
                _modelFail("flushBurned refused although something was burned", NO_PLEDGE);
                return;
            }
            ++refused[A_FLUSH];
        }
    }

    // ================================================================ the rules

    /// @dev A ruling: the loser's bond less the fee goes to the winner with its own bond back; the fee goes to
    /// the treasury (or is burned). Upheld also slashes the pledge; rejected reopens it and escalates.
    function _applyRule(uint256 k, bool breached) internal {
        MPledge storage p = _pledges[k];
        MChallenge storage c = _challenges[p.reg][p.open];
        uint256 fee = (c.bond * _feeBps[p.reg] + BPS - 1) / BPS; // rounds up, against the winner
        address feeTo = _treasury[p.reg] == address(0) ? BURN : _treasury[p.reg];
        _credit(p.reg, p.tok, feeTo, 0, fee);
        if (fee != 0 && feeTo != BURN) ++paths[P_FEE_TO_TREASURY];
        c.closed = true;
        if (breached) {
            _ledger[p.reg][p.tok][c.disputer].lost += c.bond;
            _credit(p.reg, p.tok, c.challenger, c.bond, c.bond - fee);
            _slashModel(k, c.challenger);
        } else {
            _ledger[p.reg][p.tok][c.challenger].lost += c.bond;
            _credit(p.reg, p.tok, c.disputer, c.bond, c.bond - fee);
            p.open = 0;
            ++p.rejected;
        }
    }

    /// @dev A slash: the challenger gets `bond * rewardBps / BPS` (rounded down); the beneficiary (or the burn
    /// address) gets the rest; the pledger forfeits the bond.
    function _slashModel(uint256 k, address challenger) internal {
        MPledge storage p = _pledges[k];
        uint256 reward = p.bond * _rewardBps[p.reg] / BPS;
        address ben = p.beneficiary == address(0) ? BURN : p.beneficiary;
        _credit(p.reg, p.tok, challenger, 0, reward);
        _credit(p.reg, p.tok, ben, 0, p.bond - reward);
        _ledger[p.reg][p.tok][p.pledger].lost += p.bond;
        p.outcome = IPledgeRegistry.Outcome.Breached;
    }

    function _credit(uint256 r, uint256 t, address a, uint256 refund, uint256 gain) internal {
        Ledger storage led = _ledger[r][t][a];
        led.refunded += refund;
        led.won += gain;
    }

    /// @dev Books a pull: the registry's balance must have grown by exactly `amount`.
    function _pulled(uint256 r, uint256 t, address from, uint256 before, uint256 amount, string memory what)
        internal
    {
        uint256 received = _toks[t].balanceOf(address(_regs[r])) - before;
        if (received != amount) _modelFail(string.concat(what, " pulled a different amount than the model"), NO_PLEDGE);
        _ledger[r][t][from].deposited += received;
        _totals[r][t].deposited += received;
    }

    // ================================================================ the model

    IPledgeRegistry.PledgeState internal constant _NONE = IPledgeRegistry.PledgeState.None;
    IPledgeRegistry.PledgeState internal constant _ACTIVE = IPledgeRegistry.PledgeState.Active;
    IPledgeRegistry.PledgeState internal constant _CHALLENGED = IPledgeRegistry.PledgeState.Challenged;
    IPledgeRegistry.PledgeState internal constant _DISPUTED = IPledgeRegistry.PledgeState.Disputed;
    IPledgeRegistry.PledgeState internal constant _SLASHABLE = IPledgeRegistry.PledgeState.Slashable;
    IPledgeRegistry.PledgeState internal constant _RULING_OVERDUE = IPledgeRegistry.PledgeState.RulingOverdue;
    IPledgeRegistry.PledgeState internal constant _RELEASABLE = IPledgeRegistry.PledgeState.Releasable;
    IPledgeRegistry.PledgeState internal constant _BREACHED = IPledgeRegistry.PledgeState.Breached;
    IPledgeRegistry.PledgeState internal constant _HONORED = IPledgeRegistry.PledgeState.Honored;

    /// @notice The state the documented lifecycle gives pledge `k` now. Boundaries: challengeable while
    /// now < expiry + grace; disputable while now < challengedAt + liveness; rulable while
    /// now < disputedAt + arbitrationTimeout; the later state holds from each deadline on.
    function modelState(uint256 k) public view returns (IPledgeRegistry.PledgeState) {
        MPledge storage p = _pledges[k];
        if (p.outcome == IPledgeRegistry.Outcome.Breached) return _BREACHED;
        if (p.outcome == IPledgeRegistry.Outcome.Honored) return _HONORED;
        if (p.open != 0) {
            MChallenge storage c = _challenges[p.reg][p.open];
            if (!c.disputed) {
                return block.timestamp >= uint256(c.challengedAt) + p.liveness ? _SLASHABLE : _CHALLENGED;
            }
            return block.timestamp >= uint256(c.disputedAt) + _timeout[p.reg] ? _RULING_OVERDUE : _DISPUTED;
        }
        return block.timestamp >= uint256(p.expiry) + p.grace ? _RELEASABLE : _ACTIVE;
    }

    /// @notice The bond the next challenge of pledge `k` must post: the base doubled once per rejection, and
    /// never more than the pledge's own bond (or the base, if that is larger).
    function escalatedBond(uint256 k) public view returns (uint256) {
        MPledge storage p = _pledges[k];
        uint256 cap = p.bond > p.challengeBase ? p.bond : p.challengeBase;
        uint256 b = p.challengeBase;
        for (uint256 i; i < p.rejected && b < cap; ++i) {
            b *= 2; // b < cap < 2^128 before doubling: no overflow
        }
        return b > cap ? cap : b;
    }

    /// @notice The next deadline of pledge `k` in its current state (0 if none).
    function _nextDeadline(uint256 k) internal view returns (uint256) {
        MPledge storage p = _pledges[k];
        IPledgeRegistry.PledgeState st = modelState(k);
        if (st == _ACTIVE) return uint256(p.expiry) + p.grace;
        if (st == _CHALLENGED) return uint256(_challenges[p.reg][p.open].challengedAt) + p.liveness;
        if (st == _DISPUTED) return uint256(_challenges[p.reg][p.open].disputedAt) + _timeout[p.reg];
        return 0;
    }

    function _owed(uint256 r, uint256 t, address a) internal view returns (uint256) {
        Ledger storage led = _ledger[r][t][a];
        return led.refunded + led.won - led.withdrawn;
    }

    // ============================================================== observation

    /// @dev LIFE-A, checked after every action against the previous observation: a final state stays, a bond
    /// never shrinks, and a final pledge's bond never changes.
    function _observe() internal {
        uint256 n = _pledges.length;
        for (uint256 k; k < n; ++k) {
            MPledge storage p = _pledges[k];
            PledgeId pid = PledgeId.wrap(p.id);
            uint8 st = uint8(_regs[p.reg].state(pid));
            uint256 bond = _regs[p.reg].getPledge(pid).bond;
            uint8 seen = _seenFinal[k];
            if (seen != 0 && st != seen) _lifeFail("a final state changed", k, seen, st);
            if (bond < _seenBond[k]) _lifeFail("a bond decreased", k, seen, st);
            if (seen != 0 && bond != _seenBond[k]) _lifeFail("a final pledge's bond changed", k, seen, st);
            if (st == uint8(_BREACHED) || st == uint8(_HONORED)) _seenFinal[k] = st;
            _seenBond[k] = bond;
        }
    }

    /// @dev A refusal that names a state (`UnexpectedState`) must name the pledge, the modelled state and the
    /// documented set of accepted states.
    function _checkRefusal(uint256 k, bytes memory err, uint256 allowedStates, string memory what) internal {
        if (err.length != 100 || bytes4(err) != IPledgeRegistry.UnexpectedState.selector) return;
        bytes memory args = new bytes(96);
        for (uint256 i; i < 96; ++i) {
            args[i] = err[i + 4];
        }
        (uint256 id, uint256 current, uint256 allowed) = abi.decode(args, (uint256, uint256, uint256));
        MPledge storage p = _pledges[k];
        if (id != p.id || current != uint256(modelState(k)) || allowed != allowedStates) {
            _modelFail(string.concat(what, ": UnexpectedState does not match the model"), k);
        }
    }

    function _modelFail(string memory why, uint256 k) internal {
        if (bytes(modelViolation).length != 0) return;
        string memory where = k < _pledges.length
            ? string.concat("pledge key ", vm.toString(k), ", model state ", vm.toString(uint256(modelState(k))), ", ")
            : "";
        modelViolation = string.concat(why, " (", where, "t=", vm.toString(block.timestamp), ")");
    }

    function _lifeFail(string memory why, uint256 k, uint8 before, uint8 nowState) internal {
        if (bytes(lifeViolation).length != 0) return;
        lifeViolation = string.concat(
            why, " (pledge key ", vm.toString(k), ", was ", vm.toString(before), ", now ", vm.toString(nowState), ")"
        );
    }

    // ================================================================= helpers

    /// @dev With no pledge yet, a pledge-based action creates one instead, so that most calls do something.
    function _bootstrapped(uint256 seed) internal returns (bool) {
        if (_pledges.length != 0) return false;
        _create(mix(seed, 1), mix(seed, 2), mix(seed, 3), mix(seed, 4), true);
        _observe();
        return true;
    }

    /// @dev Picks a pledge in one of the `mask` states, scanning from a random start. One call in eight takes
    /// the drawn pledge whatever its state, to check the refusal; so does a call when no pledge qualifies, and
    /// then `none` is true.
    function _choose(uint256 seed, uint256 mask) internal view returns (uint256 k, bool none) {
        uint256 h = mix(seed, 5);
        k = h % _pledges.length;
        if ((h >> 128) % 8 == 0) return (k, false);
        (bool found, uint256 j) = _find(seed, mask);
        return found ? (j, false) : (k, true);
    }

    /// @dev The first pledge in one of the `mask` states, scanning from a random start.
    function _find(uint256 seed, uint256 mask) internal view returns (bool found, uint256 k) {
        uint256 n = _pledges.length;
        uint256 start = mix(seed, 6) % n;
        for (uint256 i; i < n; ++i) {
            k = (start + i) % n;
            if (_in(modelState(k), mask)) return (true, k);
        }
        return (false, start);
    }

    function _challengeBy(uint256 k, uint256 actorSeed) internal {
        address pledger = _pledges[k].pledger;
        address who = (actorSeed >> 8) % 16 == 0 ? pledger : _otherActor(pledger, actorSeed);
        _challenge(k, who);
    }

    function _disputeBy(uint256 k, uint256 actorSeed) internal {
        MPledge storage p = _pledges[k];
        address who;
        uint256 mode = actorSeed % 4;
        if (mode == 0 && p.open != 0) {
            who = _challenges[p.reg][p.open].challenger;
        } else if (mode == 1) {
            who = p.pledger;
        } else {
            who = _actors[(actorSeed >> 8) % NACT];
        }
        _dispute(k, who);
    }

    function _closedChallenge(uint256 seed)
        internal
        view
        returns (bool found, uint256 r, uint256 cid, address arbiter)
    {
        uint256 n = _pledges.length;
        for (uint256 i; i < n; ++i) {
            MPledge storage p = _pledges[(seed + i) % n];
            uint256 last = p.lastChallenge;
            if (last != 0 && _challenges[p.reg][last].closed) return (true, p.reg, last, p.arbiter);
        }
    }

    /// @notice Spreads a fuzzer input over all bits: fuzzers favour 0, 1 and small values, which would otherwise
    /// pin every choice derived from the input to its first option. Amounts and times reach their edges through
    /// explicit modes instead (`_amount` dust, `_edgy` bounds, top-ups to the cap).
    function mix(uint256 seed, uint256 salt) public pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, salt)));
    }

    /// @dev `lo` or `hi` one time in eight each, otherwise uniform in between.
    function _edgy(uint256 seed, uint256 lo, uint256 hi) internal pure returns (uint256) {
        uint256 mode = seed % 8;
        if (mode == 0) return lo;
        if (mode == 1) return hi;
        return _bound(seed >> 8, lo, hi);
    }

    function _amount(uint256 seed, uint256 t) internal view returns (uint256) {
        uint256 unit = 10 ** _toks[t].decimals();
        uint256 mode = seed % 4;
        if (mode == 0) return _bound(seed >> 8, 1, 100); // dust: exercises rounding
        if (mode == 3) return _bound(seed >> 8, 1, 1e9 * unit);
        return _bound(seed >> 8, unit, 1e6 * unit);
    }

    /// @dev Half the time between bond/8 and the bond, so that a few rejections reach the escalation cap (the
    /// pledge's bond); otherwise independent of the bond, and rarely far above any bond (no escalation).
    function _challengeBase(uint256 seed, uint256 t, uint256 bond) internal view returns (uint256) {
        uint256 mode = seed % 16;
        if (mode == 0) return _bound(seed >> 8, 1 << 120, 1 << 127);
        if (mode <= 8) return _bound(seed >> 8, bond / 8 + 1, bond);
        return _amount(seed >> 4, t);
    }

    /// @dev address(0) (burn), a dedicated beneficiary, or another actor (never the pledger).
    function _pickBeneficiary(uint256 seed, address pledger) internal view returns (address) {
        uint256 mode = seed % 4;
        if (mode == 0) return address(0);
        if (mode == 1) return _beneficiaries[(seed >> 8) % 2];
        if (mode == 2) return _beneficiaries[0];
        return _otherActor(pledger, seed >> 8);
    }

    /// @dev Breaks one creation rule for `which` < 7; returns whether the params remain valid.
    function _breakOne(IPledgeRegistry.PledgeParams memory prm, address pledger, uint256 r, uint256 which)
        internal
        view
        returns (bool valid)
    {
        if (which == 0) prm.expiry = uint64(block.timestamp);
        else if (which == 1) prm.grace = _maxGrace[r] + 1;
        else if (which == 2) prm.resolution.liveness = _maxLiveness[r] + 1;
        else if (which == 3) prm.resolution.arbiter = IArbiter(pledger);
        else if (which == 4) prm.beneficiary = pledger;
        else if (which == 5) prm.bond = 0;
        else if (which == 6) prm.resolution.challengeBond = 0;
        else if (which == 7 && _minLiveness[r] > 1) prm.resolution.liveness = _minLiveness[r] - 1;
        else return true;
        return false;
    }

    function _otherActor(address not, uint256 seed) internal view returns (address) {
        address a = _actors[seed % NACT];
        return a == not ? _actors[(seed + 1) % NACT] : a;
    }

    function _bit(IPledgeRegistry.PledgeState s) internal pure returns (uint256) {
        return 1 << uint256(s);
    }

    function _in(IPledgeRegistry.PledgeState s, uint256 mask) internal pure returns (bool) {
        return _bit(s) & mask != 0;
    }

    function _max(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a : b;
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }

    // ================================================================= views

    function registry(uint256 r) external view returns (IRegistry) {
        return _regs[r];
    }

    function token(uint256 t) external view returns (MockERC20) {
        return _toks[t];
    }

    function accounts() external view returns (address[] memory) {
        return _accounts;
    }

    function actors() external view returns (address[5] memory) {
        return _actors;
    }

    function challengeCount(uint256 r) external view returns (uint256) {
        return _challengeCount[r];
    }

    function pledgeKeys() external view returns (uint256) {
        return _pledges.length;
    }

    function pledgeModel(uint256 k) external view returns (MPledge memory) {
        return _pledges[k];
    }

    function challengeModel(uint256 r, uint256 cid) external view returns (MChallenge memory) {
        return _challenges[r][cid];
    }

    function ledger(uint256 r, uint256 t, address a) external view returns (Ledger memory) {
        return _ledger[r][t][a];
    }

    function totals(uint256 r, uint256 t) external view returns (Totals memory) {
        return _totals[r][t];
    }

    function counts()
        external
        view
        returns (uint256[11] memory ok_, uint256[11] memory refused_, uint256[17] memory paths_)
    {
        return (ok, refused, paths);
    }

    function actionName(uint256 i) external pure returns (string memory) {
        string[11] memory names = [
            string("createPledge"), "topUp", "challenge", "dispute", "rule", "voidChallenge", "finalize", "claim",
            "flushBurned", "warp", "probe"
        ];
        return names[i];
    }

    function pathName(uint256 i) external pure returns (string memory) {
        string[17] memory names = [
            string("create: no beneficiary (burn)"),
            "create: committee arbiter",
            "dispute: by the challenger itself",
            "dispute: by the pledger",
            "rule: breach upheld",
            "rule: challenge rejected",
            "rule: by committee vote",
            "finalize: Breached (unopposed)",
            "finalize: Honored",
            "warp: exactly onto a deadline",
            "warp: one second before a deadline",
            "challenge: escalated bond",
            "flushBurned: burned amount sent",
            "topUp: bond up to 2^128-1",
            "create: invalid params refused",
            "rule: fee to treasury",
            "challenge: escalation capped at max(bond, base)"
        ];
        return names[i];
    }
}
