// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IArbiter} from "../../../../contracts/interfaces/IArbiter.sol";
import {IConditionalPools} from "../../../../contracts/interfaces/IConditionalPools.sol";
import {IFutarchyDecisions} from "../../../../contracts/interfaces/IFutarchyDecisions.sol";
import {IOptimisticResolution} from "../../../../contracts/interfaces/IOptimisticResolution.sol";
import {IOutcomeVault} from "../../../../contracts/interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../../../../contracts/interfaces/IPledgeRegistry.sol";
import {PoolId, ProposalId} from "../../../../contracts/types/FutarchyIds.sol";
import {PledgeId} from "../../../../contracts/types/Ids.sol";
import {ConditionId, PositionId} from "../../../../contracts/types/MarketIds.sol";
import {MockArbiter} from "../../../mocks/MockArbiter.sol";
import {MockERC20} from "../../../mocks/MockERC20.sol";

/// @title DecisionsHandler
/// @notice Drives one FutarchyDecisions (with its registry, vault and pools) across whole proposal lifecycles: three
/// governed pledges (one per pledger; the third has no beneficiary, so its forfeited stakes are burned), three
/// traders. Every proposal uses the Price metric with LAB as the metric token and USD as the quote token (neither is
/// the bond token, so the vault's LAB and USD are the decisions' collateral alone); the stake is in the bond token.
/// Actions: propose (release or amend), split, merge, swap, add and remove liquidity, poke runs, time in 12-second
/// blocks and jumps to a proposal's end +-1 s, finalize, execute, redeem, claim, challenge, rule.
/// Ghosts: per proposal and token the collateral locked (seeds + splits - merges), redeemed, and the winning supply
/// at the decision; per holder, proposal, token and branch the positions that holder took out of the pools net of
/// what it put in (seeds count as put in by the proposer), measured from its vault balances around each pool call;
/// per proposal where its stake was credited. Disagreements seen during a call (a redeem paying for a losing
/// position, a state going backwards, a failed proposal that changed its pledge) go to `violation`.
/// @dev Runs with `failOnRevert = false`; expected refusals are prechecked or caught and counted in `refused`.
/// Abstract: the invariant test file declares the concrete handler (EDR needs its artifact there).
abstract contract DecisionsHandler is CommonBase, StdCheats, StdUtils {
    uint256 public constant NACT = 3; // traders
    uint256 public constant NPLEDGE = 3; // pledgers, one pledge each
    uint256 public constant NHOLD = NACT + NPLEDGE; // holders 0..2 traders, 3..5 pledgers
    uint256 public constant PASS = 0;
    uint256 public constant FAIL = 1;
    uint256 public constant LAB = 0;
    uint256 public constant USD = 1;
    uint64 public constant BLOCK_TIME = 12;
    uint256 public constant FUNDS = 1e30;
    uint128 public constant PLEDGE_BOND = 1_000_000e18 + 7;
    PositionId internal constant ROOT = PositionId.wrap(0);

    uint256 public constant A_PROPOSE = 0;
    uint256 public constant A_SPLIT = 1;
    uint256 public constant A_MERGE = 2;
    uint256 public constant A_SWAP = 3;
    uint256 public constant A_ADD = 4;
    uint256 public constant A_REMOVE = 5;
    uint256 public constant A_POKE = 6;
    uint256 public constant A_WARP = 7;
    uint256 public constant A_JUMP = 8;
    uint256 public constant A_FINALIZE = 9;
    uint256 public constant A_EXECUTE = 10;
    uint256 public constant A_REDEEM = 11;
    uint256 public constant A_CLAIM = 12;
    uint256 public constant A_CHALLENGE = 13;
    uint256 public constant A_RULE = 14;
    uint256 public constant N_ACTIONS = 15;
    uint256 public constant V_MODEL = 0;
    uint256 public constant V_REDEEM = 1;
    uint256 public constant V_LIFE = 2;
    uint256 public constant V_EXEC = 3;

    IPledgeRegistry public immutable registry;
    /// @dev The registry's challenge entry points (the same contract).
    IOptimisticResolution public immutable resolution;
    IOutcomeVault public immutable vault;
    IConditionalPools public immutable pools;
    IFutarchyDecisions public immutable decisions;
    MockArbiter public immutable arbiter;
    IERC20 public immutable bondToken;
    IERC20[2] public tokens;

    address[NHOLD] internal _holders;
    address[NPLEDGE] public beneficiaries; // the third is zero: forfeits burn
    PledgeId[NPLEDGE] public pledgeIds;
    /// @dev Every ERC-20 balance of a holder at construction (LAB, USD).
    uint256[2][NHOLD] public initialBalance;

    /// @dev What the handler recorded of a proposal.
    struct Prop {
        uint256 pledgeIdx;
        address proposer;
        ConditionId decision;
        PoolId[2] pool;
        uint64 end;
        uint128 stake;
        IFutarchyDecisions.Kind kind;
        // pledge terms when proposed (a failed proposal must leave them)
        bytes32 termsHash0;
        uint64 expiry0;
        uint128 bond0;
        // decision
        uint8 lastState;
        bool decided;
        bool passed;
        uint64 decidedAt;
        uint64 executedAt; // 0 until the registry carried it out
        uint256 refunded; // stake credited to the proposer at finalize
        uint256 forfeited; // stake credited to the beneficiary (or the burn address) at finalize
    }

    // ------------------------------------------------------------- ghosts
    uint256 public count; // proposals made (ids 1..count)
    mapping(uint256 pid => Prop) internal _props;
    /// @dev Per proposal and token: seeds + splits - merges.
    mapping(uint256 pid => uint256[2]) public lockedOf;
    /// @dev Per proposal and token: collateral paid out by redeems.
    mapping(uint256 pid => uint256[2]) public redeemedOf;
    /// @dev Per proposal and token: the winning position's supply (over every tracked holder) at finalize.
    mapping(uint256 pid => uint256[2]) public winAtDecision;
    /// @dev Per holder, proposal, token and branch: positions out of the pools less positions into them.
    mapping(uint256 h => mapping(uint256 pid => int256[2][2])) internal _poolNet;
    /// @dev Stake-token credits the handler saw and claims it made, summed over accounts.
    uint256 public stakeCredited;
    uint256 public stakeClaimed;
    uint256[N_ACTIONS] public ok;
    uint256[N_ACTIONS] public refused;
    /// @dev Per pledge: the last proposal the registry carried out (0 when none).
    uint256[NPLEDGE] public lastExecuted;
    uint256 public passedCount;
    uint256 public failedCount;
    uint256 public executeRetriesOk;
    /// @dev The first disagreement seen during a call, per kind (V_MODEL, V_REDEEM, V_LIFE, V_EXEC).
    string[4] public violations;

    constructor(
        IPledgeRegistry registry_,
        IConditionalPools pools_,
        IFutarchyDecisions decisions_,
        MockArbiter arbiter_,
        IERC20 bondToken_,
        IERC20 lab_,
        IERC20 usd_
    ) {
        registry = registry_;
        resolution = IOptimisticResolution(address(registry_));
        pools = pools_;
        vault = pools_.vault();
        decisions = decisions_;
        arbiter = arbiter_;
        bondToken = bondToken_;
        tokens[LAB] = lab_;
        tokens[USD] = usd_;
        for (uint256 h; h < NHOLD; ++h) {
            address a = makeAddr(string.concat(h < NACT ? "dtrader" : "dpledger", vm.toString(h)));
            _holders[h] = a;
            for (uint256 t; t < 2; ++t) {
                MockERC20(address(tokens[t])).mint(a, FUNDS);
                initialBalance[h][t] = FUNDS;
            }
            MockERC20(address(bondToken_)).mint(a, FUNDS);
            vm.startPrank(a);
            for (uint256 t; t < 2; ++t) {
                tokens[t].approve(address(vault), type(uint256).max);
                tokens[t].approve(address(decisions_), type(uint256).max);
            }
            bondToken_.approve(address(registry_), type(uint256).max);
            bondToken_.approve(address(decisions_), type(uint256).max);
            vault.setApprovalForAll(address(pools_), true);
            vm.stopPrank();
        }
        for (uint256 k; k < NPLEDGE; ++k) {
            beneficiaries[k] = k == NPLEDGE - 1 ? address(0) : makeAddr(string.concat("dbeneficiary", vm.toString(k)));
            vm.prank(_holders[NACT + k]);
            pledgeIds[k] = registry_.createGovernedPledge(_pledgeParams(beneficiaries[k]), address(decisions_));
        }
    }

    /// @dev Observes every proposal's state before and after each action (refusals included), so a state change
    /// is never missed between two observations.
    modifier observed() {
        _observe();
        _;
    }

    // ================================================================ actions

    /// @notice A pledger proposes to release or amend its pledge, seeding both branches with bounded amounts.
    function propose(uint256 pledgeSeed, bool amend, uint256 metricSeed, uint256 quoteSeed, uint256 amendSeed) external observed {
        uint256 k = pledgeSeed % NPLEDGE;
        PledgeId id = pledgeIds[k];
        (ProposalId open, uint64 cooldownUntil) = decisions.pledgeProposals(id);
        if (
            ProposalId.unwrap(open) != 0 || block.timestamp < cooldownUntil
                || registry.state(id) != IPledgeRegistry.PledgeState.Active
                || block.timestamp >= registry.getPledge(id).expiry // term ended (released, or in grace)
        ) {
            return _refuse(A_PROPOSE);
        }
        IFutarchyDecisions.Kind kind = amend ? IFutarchyDecisions.Kind.Amend : IFutarchyDecisions.Kind.Release;
        IPledgeRegistry.Amendment memory a;
        if (amend) {
            uint64 end = uint64(block.timestamp) + decisions.paramsOf(kind).window;
            a = IPledgeRegistry.Amendment({
                termsHash: keccak256(abi.encode("amended", amendSeed)),
                termsURI: "ipfs://amended",
                expiry: end + uint64(bound(amendSeed, 1, 60 days)),
                bond: uint128(bound(amendSeed >> 64, 1, registry.getPledge(id).bond))
            });
        }
        uint256[2] memory seed = [bound(metricSeed, 1e18, 20_000e18), bound(quoteSeed, 1e18, 20_000e18)];
        if (_propose(k, kind, seed, a)) ++ok[A_PROPOSE];
        else _refuse(A_PROPOSE);
    }

    /// @notice A trader splits a token on an open proposal's decision.
    function split(uint256 actorSeed, uint256 pidSeed, uint256 tokSeed, uint256 amount) external observed {
        (bool found, uint256 pid) = _pickUndecided(pidSeed);
        if (!found) return _refuse(A_SPLIT);
        _split(actorSeed % NACT, pid, tokSeed % 2, bound(amount, 1, 50_000e18));
        ++ok[A_SPLIT];
    }

    /// @notice A trader merges what it holds of both branches (up to a bounded amount) back into collateral.
    function merge(uint256 actorSeed, uint256 pidSeed, uint256 tokSeed, uint256 amount) external observed {
        (bool found, uint256 pid) = _pickUndecided(pidSeed);
        uint256 h = actorSeed % NACT;
        uint256 t = tokSeed % 2;
        if (!found) return _refuse(A_MERGE);
        uint256 bp = _bal(_holders[h], pid, t, PASS);
        uint256 bf = _bal(_holders[h], pid, t, FAIL);
        uint256 most = bp < bf ? bp : bf;
        if (most == 0) return _refuse(A_MERGE);
        amount = bound(amount, 1, most);
        uint256 before = tokens[t].balanceOf(_holders[h]);
        vm.prank(_holders[h]);
        vault.merge(tokens[t], ROOT, _props[pid].decision, amount);
        if (tokens[t].balanceOf(_holders[h]) - before != amount) _violate(V_MODEL, "merge: paid != amount");
        lockedOf[pid][t] -= amount;
        ++ok[A_MERGE];
    }

    /// @notice A trader swaps in either pool, either direction; it splits first if it lacks the input.
    function swap(uint256 actorSeed, uint256 pidSeed, bool failBranch, bool metricIn, uint256 amount) external observed {
        (bool found, uint256 pid) = _pickAny(pidSeed);
        if (!found || block.timestamp >= _props[pid].end || _props[pid].decided) return _refuse(A_SWAP);
        if (_swap(actorSeed % NACT, pid, failBranch ? FAIL : PASS, metricIn, bound(amount, 1e12, 8_000e18))) {
            ++ok[A_SWAP];
        } else {
            _refuse(A_SWAP); // a zero output is refused by the pools
        }
    }

    /// @notice A trader adds liquidity to an open pool (splitting what it needs first).
    function addLiquidity(uint256 actorSeed, uint256 pidSeed, bool failBranch, uint256 sharesSeed) external observed {
        (bool found, uint256 pid) = _pickAny(pidSeed);
        if (!found || block.timestamp >= _props[pid].end || _props[pid].decided) return _refuse(A_ADD);
        if (_add(actorSeed % NACT, pid, failBranch ? FAIL : PASS, sharesSeed)) ++ok[A_ADD];
        else _refuse(A_ADD);
    }

    /// @notice A holder (trader or pledger) removes some or all of its shares; accepted in every pool state.
    function removeLiquidity(uint256 holderSeed, uint256 pidSeed, bool failBranch, uint256 sharesSeed) external observed {
        (bool found, uint256 pid) = _pickAny(pidSeed);
        uint256 h = holderSeed % NHOLD;
        uint256 b = failBranch ? FAIL : PASS;
        if (!found) return _refuse(A_REMOVE);
        PoolId poolId = _props[pid].pool[b];
        uint256 mine = pools.sharesOf(poolId, _holders[h]);
        if (mine == 0) return _refuse(A_REMOVE);
        uint256 shares = sharesSeed % 4 == 0 ? mine : bound(sharesSeed, 1, mine);
        (,, bool success) =
            _poolCall(h, pid, b, abi.encodeCall(IConditionalPools.removeLiquidity, (poolId, shares, 0, 0, _holders[h])));
        if (!success) return _refuse(A_REMOVE);
        ++ok[A_REMOVE];
    }

    /// @notice Pokes both pools of a trading proposal once a block for 1..24 blocks (a sustained price is how the
    /// oracles move: one capped step per block).
    function poke(uint256 pidSeed, uint256 blocks) external observed {
        (bool found, uint256 pid) = _pickAny(pidSeed);
        if (!found) return _refuse(A_POKE);
        blocks = bound(blocks, 1, 24);
        for (uint256 i; i < blocks; ++i) {
            if (block.timestamp >= _props[pid].end) return _refuse(A_POKE);
            pools.poke(_props[pid].pool[PASS]);
            pools.poke(_props[pid].pool[FAIL]);
            _roll(1);
        }
        ++ok[A_POKE];
    }

    /// @notice Time moves forward 1..600 blocks of 12 s.
    function warp(uint256 blocks) external observed {
        _roll(bound(blocks, 1, 600));
        ++ok[A_WARP];
    }

    /// @notice Jumps to a proposal's end - 1 s, the end itself, or the end + 1 s (one block later), if not past.
    function jumpToEnd(uint256 pidSeed, uint256 offsetSeed) external observed {
        (bool found, uint256 pid) = _pickAny(pidSeed);
        if (!found) return _refuse(A_JUMP);
        uint256 target = uint256(_props[pid].end) + (offsetSeed % 3) - 1;
        if (target <= block.timestamp) return _refuse(A_JUMP);
        vm.roll(block.number + (target - block.timestamp + BLOCK_TIME - 1) / BLOCK_TIME);
        vm.warp(target);
        ++ok[A_JUMP];
    }

    /// @notice Anyone finalizes a proposal; refused (and checked to be refused) unless Decidable.
    function finalize(uint256 pidSeed) external observed {
        (bool found, uint256 pid) = _pickAny(pidSeed);
        if (!found) return _refuse(A_FINALIZE);
        bool decidable = decisions.proposalState(ProposalId.wrap(pid)) == IFutarchyDecisions.ProposalState.Decidable;
        if (!decidable) {
            try decisions.finalize(ProposalId.wrap(pid)) {
                _violate(V_MODEL, "finalize accepted outside Decidable");
            } catch {}
            return _refuse(A_FINALIZE);
        }
        _finalize(pid);
        ++ok[A_FINALIZE];
    }

    /// @notice Anyone retries the execution of a passed, unexecuted proposal.
    function execute(uint256 pidSeed) external observed {
        (bool found, uint256 pid) = _pickAny(pidSeed);
        if (!found) return _refuse(A_EXECUTE);
        Prop storage r = _props[pid];
        try decisions.execute(ProposalId.wrap(pid)) {
            if (!r.passed || r.executedAt != 0) _violate(V_EXEC, "execute accepted for a proposal not Passed-unexecuted");
            r.executedAt = uint64(block.timestamp);
            lastExecuted[r.pledgeIdx] = pid;
            _checkExecuted(pid);
            ++executeRetriesOk;
            ++ok[A_EXECUTE];
        } catch {
            _refuse(A_EXECUTE);
        }
    }

    /// @notice A holder redeems a token's positions of a decided proposal: paid exactly its winning balance.
    function redeem(uint256 holderSeed, uint256 pidSeed, uint256 tokSeed) external observed {
        (bool found, uint256 pid) = _pickAny(pidSeed);
        if (!found || !_props[pid].decided) return _refuse(A_REDEEM);
        _redeem(holderSeed % NHOLD, pid, tokSeed % 2);
        ++ok[A_REDEEM];
    }

    /// @notice A pledger or beneficiary claims its stake-token balance in the decisions contract (or the burn
    /// address's is flushed).
    function claim(uint256 accountSeed) external observed {
        if (_claim(accountSeed % (NPLEDGE + NPLEDGE))) ++ok[A_CLAIM];
        else _refuse(A_CLAIM);
    }

    /// @notice A trader challenges an Active pledge (so a PASS reached now cannot execute until it is Active again).
    function challenge(uint256 pledgeSeed, uint256 actorSeed) external observed {
        PledgeId id = pledgeIds[pledgeSeed % NPLEDGE];
        if (registry.state(id) != IPledgeRegistry.PledgeState.Active) return _refuse(A_CHALLENGE);
        (, uint256 amount) = resolution.requiredChallengeBond(id);
        vm.prank(_holders[actorSeed % NACT]);
        resolution.challenge(id, "ipfs://evidence", amount);
        ++ok[A_CHALLENGE];
    }

    /// @notice A challenged pledge is disputed, then ruled: mostly "no breach" (Active again), one time in eight
    /// "breached" (slashed: the pledge ends).
    function rule(uint256 pledgeSeed, uint256 ruling) external observed {
        PledgeId id = pledgeIds[pledgeSeed % NPLEDGE];
        IPledgeRegistry.PledgeState s = registry.state(id);
        if (s == IPledgeRegistry.PledgeState.Challenged) {
            vm.prank(_holders[(ruling >> 8) % NACT]);
            try resolution.dispute(id) {} catch {
                return _refuse(A_RULE);
            }
            s = registry.state(id);
        }
        if (s != IPledgeRegistry.PledgeState.Disputed) return _refuse(A_RULE);
        arbiter.rule(resolution.openChallenge(id), ruling % 8 == 0);
        ++ok[A_RULE];
    }

    // ============================================================== end step

    /// @notice Warps past every end, finalizes every proposal, clears challenges and retries executions, removes
    /// every holder's liquidity, redeems everything and claims every stake (flushing the burn address).
    function endStep() external {
        uint256 last;
        for (uint256 pid = 1; pid <= count; ++pid) {
            if (_props[pid].end > last) last = _props[pid].end;
        }
        if (last >= block.timestamp) _roll((last - block.timestamp) / BLOCK_TIME + 1);
        _observe();
        for (uint256 pid = 1; pid <= count; ++pid) {
            if (!_props[pid].decided) _finalize(pid);
        }
        _observe();
        for (uint256 pid = 1; pid <= count; ++pid) {
            for (uint256 b; b < 2; ++b) {
                PoolId poolId = _props[pid].pool[b];
                for (uint256 h; h < NHOLD; ++h) {
                    uint256 mine = pools.sharesOf(poolId, _holders[h]);
                    if (mine == 0) continue;
                    (,, bool success) = _poolCall(
                        h, pid, b, abi.encodeCall(IConditionalPools.removeLiquidity, (poolId, mine, 0, 0, _holders[h]))
                    );
                    if (!success) _violate(V_MODEL, "end: removeLiquidity refused");
                }
            }
            for (uint256 h; h < NHOLD; ++h) {
                _redeem(h, pid, LAB);
                _redeem(h, pid, USD);
            }
        }
        for (uint256 i; i < NPLEDGE + NPLEDGE; ++i) {
            _claim(i);
        }
    }

    // ================================================================= views

    function holder(uint256 h) external view returns (address) {
        return _holders[h];
    }

    function prop(uint256 pid) external view returns (Prop memory) {
        return _props[pid];
    }

    function poolNet(uint256 h, uint256 pid, uint256 t, uint256 b) external view returns (int256) {
        return _poolNet[h][pid][t][b];
    }

    /// @notice The position id of a proposal's branch of a token.
    function position(uint256 pid, uint256 t, uint256 b) public view returns (uint256) {
        return PositionId.unwrap(vault.positionId(tokens[t], ROOT, _props[pid].decision, b));
    }

    /// @notice A position's supply over every holder the handler tracks (traders, pledgers, pools, decisions): the
    /// only accounts that ever receive one.
    function trackedSupply(uint256 pid, uint256 t, uint256 b) public view returns (uint256 sum) {
        uint256 id = position(pid, t, b);
        for (uint256 h; h < NHOLD; ++h) {
            sum += vault.balanceOf(_holders[h], id);
        }
        sum += vault.balanceOf(address(pools), id) + vault.balanceOf(address(decisions), id);
    }

    /// @notice What a holder may have taken out of the vault in a token, net of what it put in (INV-3's bound):
    /// over decided proposals its net take from the pools in the winning branch; over open ones the smaller of its
    /// net takes in the two branches (it can only merge what it holds of both).
    function winningBound(uint256 h, uint256 t) public view returns (int256 sum) {
        for (uint256 pid = 1; pid <= count; ++pid) {
            int256[2] memory n = _poolNet[h][pid][t];
            Prop storage r = _props[pid];
            if (r.decided) sum += n[r.passed ? PASS : FAIL];
            else sum += n[PASS] < n[FAIL] ? n[PASS] : n[FAIL];
        }
    }

    // ============================================================== internals

    function _pledgeParams(address beneficiary) internal view returns (IPledgeRegistry.PledgeParams memory) {
        return IPledgeRegistry.PledgeParams({
            termsHash: keccak256("terms v1"),
            termsURI: "ipfs://terms",
            token: bondToken,
            bond: PLEDGE_BOND,
            expiry: uint64(block.timestamp + 365 days),
            grace: 7 days,
            beneficiary: beneficiary,
            resolution: IPledgeRegistry.ResolutionSettings({
                arbiter: IArbiter(address(arbiter)),
                liveness: 1 days,
                challengeBond: 10_001e18
            })
        });
    }

    function _split(uint256 h, uint256 pid, uint256 t, uint256 amount) internal {
        uint256 before = tokens[t].balanceOf(_holders[h]);
        uint256 bp = _bal(_holders[h], pid, t, PASS);
        uint256 bf = _bal(_holders[h], pid, t, FAIL);
        vm.prank(_holders[h]);
        vault.split(tokens[t], ROOT, _props[pid].decision, amount);
        if (before - tokens[t].balanceOf(_holders[h]) != amount) _violate(V_MODEL, "split: pulled != amount");
        if (_bal(_holders[h], pid, t, PASS) - bp != amount || _bal(_holders[h], pid, t, FAIL) - bf != amount) {
            _violate(V_MODEL, "split: minted != amount per branch");
        }
        lockedOf[pid][t] += amount;
    }

    /// @dev Calls the pools as holder `h` and books the holder's measured position movements in branch `b` of `pid`
    /// into `_poolNet` (returned: LAB and USD, positive = out of the pools to the holder).
    function _poolCall(uint256 h, uint256 pid, uint256 b, bytes memory data)
        internal
        returns (int256 dLab, int256 dUsd, bool success)
    {
        address a = _holders[h];
        uint256 l0 = _bal(a, pid, LAB, b);
        uint256 u0 = _bal(a, pid, USD, b);
        vm.prank(a);
        (success,) = address(pools).call(data);
        if (!success) return (0, 0, false);
        dLab = int256(_bal(a, pid, LAB, b)) - int256(l0);
        dUsd = int256(_bal(a, pid, USD, b)) - int256(u0);
        _poolNet[h][pid][LAB][b] += dLab;
        _poolNet[h][pid][USD][b] += dUsd;
        // swap returns positive-in as negative balance change: report the amount taken in as positive
        dLab = -dLab;
        dUsd = -dUsd;
    }

    /// @dev Pledger `k` proposes; books the seeds (as put into the pools by the proposer) and checks what moved.
    function _propose(uint256 k, IFutarchyDecisions.Kind kind, uint256[2] memory seed, IPledgeRegistry.Amendment memory a)
        internal
        returns (bool)
    {
        address proposer = _holders[NACT + k];
        IPledgeRegistry.Pledge memory pl = registry.getPledge(pledgeIds[k]);
        uint256[3] memory before =
            [tokens[LAB].balanceOf(proposer), tokens[USD].balanceOf(proposer), bondToken.balanceOf(proposer)];
        vm.prank(proposer);
        try decisions.propose(
            pledgeIds[k],
            kind,
            IFutarchyDecisions.Metric.Price,
            tokens[LAB],
            tokens[USD],
            uint128(seed[LAB]),
            uint128(seed[USD]),
            a
        ) returns (ProposalId pidW) {
            uint256 pid = ProposalId.unwrap(pidW);
            count = pid;
            IFutarchyDecisions.Proposal memory p = decisions.getProposal(pidW);
            Prop storage r = _props[pid];
            r.pledgeIdx = k;
            r.proposer = proposer;
            r.decision = p.decision;
            r.pool[PASS] = p.passPool;
            r.pool[FAIL] = p.failPool;
            r.end = p.end;
            r.stake = p.stake;
            r.kind = p.kind;
            r.termsHash0 = pl.termsHash;
            r.expiry0 = pl.expiry;
            r.bond0 = pl.bond;
            r.lastState = uint8(IFutarchyDecisions.ProposalState.Trading);
            if (p.end != block.timestamp + decisions.paramsOf(kind).window) _violate(V_MODEL, "propose: end != now + window");
            if (before[2] - bondToken.balanceOf(proposer) != p.stake) _violate(V_MODEL, "propose: stake pulled != stake");
            for (uint256 t; t < 2; ++t) {
                if (before[t] - tokens[t].balanceOf(proposer) != seed[t]) _violate(V_MODEL, "propose: seed pulled != seed");
                lockedOf[pid][t] += seed[t];
                // the seeds went into the pools on the proposer's behalf
                _poolNet[NACT + k][pid][t][PASS] -= int256(seed[t]);
                _poolNet[NACT + k][pid][t][FAIL] -= int256(seed[t]);
            }
            return true;
        } catch {
            _violate(V_MODEL, "propose refused though every precondition held");
            return false;
        }
    }

    /// @dev Holder `h` swaps `amount` in branch `b` (splitting first what it lacks); checks the moves against the quote.
    function _swap(uint256 h, uint256 pid, uint256 b, bool metricIn, uint256 amount) internal returns (bool) {
        uint256 t = metricIn ? LAB : USD;
        uint256 held = _bal(_holders[h], pid, t, b);
        if (held < amount) _split(h, pid, t, amount - held);
        PoolId poolId = _props[pid].pool[b];
        uint256 quoted;
        try pools.quoteSwap(poolId, metricIn, amount) returns (uint256 q) {
            quoted = q;
        } catch {
            return false;
        }
        bytes memory data = abi.encodeCall(IConditionalPools.swap, (poolId, metricIn, amount, 0, _holders[h]));
        (int256 dl, int256 du, bool success) = _poolCall(h, pid, b, data);
        if (!success) return false;
        (int256 dIn, int256 dOut) = metricIn ? (dl, du) : (du, dl);
        if (dIn != int256(amount) || dOut != -int256(quoted)) _violate(V_MODEL, "swap: moved != amountIn / quote");
        return true;
    }

    /// @dev Holder `h` adds liquidity to branch `b`'s pool, splitting first what it lacks of either side.
    function _add(uint256 h, uint256 pid, uint256 b, uint256 sharesSeed) internal returns (bool success) {
        PoolId poolId = _props[pid].pool[b];
        IConditionalPools.Pool memory p = pools.getPool(poolId);
        uint256 shares = bound(sharesSeed, 1e9, p.supply / 2 + 1e9);
        // Each side rounded up: at most reserve * shares / supply + 1.
        uint256[2] memory need =
            [uint256(p.reserveMetric) * shares / p.supply + 1, uint256(p.reserveQuote) * shares / p.supply + 1];
        for (uint256 t; t < 2; ++t) {
            uint256 held = _bal(_holders[h], pid, t, b);
            if (held < need[t]) _split(h, pid, t, need[t] - held);
        }
        bytes memory data =
            abi.encodeCall(IConditionalPools.addLiquidity, (poolId, shares, need[LAB], need[USD], _holders[h]));
        (,, success) = _poolCall(h, pid, b, data);
    }

    function _finalize(uint256 pid) internal {
        Prop storage r = _props[pid];
        address forfeitTo = beneficiaries[r.pledgeIdx] == address(0) ? address(0xdEaD) : beneficiaries[r.pledgeIdx];
        uint256 c0 = decisions.claimable(r.proposer, bondToken);
        uint256 f0 = decisions.claimable(forfeitTo, bondToken);
        (,, bool passingBefore) = decisions.standing(ProposalId.wrap(pid));
        bool passed = decisions.finalize(ProposalId.wrap(pid));
        if (passed != passingBefore) _violate(V_MODEL, "finalize: decision != standing() just before");
        r.decided = true;
        r.passed = passed;
        r.decidedAt = uint64(block.timestamp);
        r.refunded = decisions.claimable(r.proposer, bondToken) - c0;
        r.forfeited = decisions.claimable(forfeitTo, bondToken) - f0;
        stakeCredited += r.refunded + r.forfeited;
        uint256 w = passed ? PASS : FAIL;
        for (uint256 t; t < 2; ++t) {
            winAtDecision[pid][t] = trackedSupply(pid, t, w);
        }
        IFutarchyDecisions.Proposal memory p = decisions.getProposal(ProposalId.wrap(pid));
        if (passed) {
            ++passedCount;
            if (p.executed) {
                r.executedAt = uint64(block.timestamp);
                lastExecuted[r.pledgeIdx] = pid;
                _checkExecuted(pid);
            }
        } else {
            ++failedCount;
            IPledgeRegistry.Pledge memory pl = registry.getPledge(pledgeIds[r.pledgeIdx]);
            if (pl.termsHash != r.termsHash0 || pl.expiry != r.expiry0 || pl.bond != r.bond0) {
                _violate(V_EXEC, "a failed proposal changed its pledge's terms, expiry or bond");
            }
        }
    }

    /// @dev A release sets the expiry to at most now; an amendment applies exactly the stored terms.
    function _checkExecuted(uint256 pid) internal {
        Prop storage r = _props[pid];
        IPledgeRegistry.Pledge memory pl = registry.getPledge(pledgeIds[r.pledgeIdx]);
        if (r.kind == IFutarchyDecisions.Kind.Release) {
            if (pl.expiry > block.timestamp) _violate(V_EXEC, "executed release left the expiry after the execution");
        } else {
            IFutarchyDecisions.Proposal memory p = decisions.getProposal(ProposalId.wrap(pid));
            if (pl.termsHash != p.termsHash || pl.expiry != p.expiry || pl.bond != p.bond) {
                _violate(V_EXEC, "executed amendment is not the stored one");
            }
        }
    }

    function _redeem(uint256 h, uint256 pid, uint256 t) internal {
        address a = _holders[h];
        uint256 w = _props[pid].passed ? PASS : FAIL;
        uint256 win = _bal(a, pid, t, w);
        uint256 before = tokens[t].balanceOf(a);
        vm.prank(a);
        uint256 paid;
        try vault.redeem(tokens[t], ROOT, _props[pid].decision) returns (uint256 p) {
            paid = p;
        } catch {
            return _violate(V_REDEEM, "redeem reverted for a decided proposal");
        }
        if (paid != win || tokens[t].balanceOf(a) - before != win) _violate(V_REDEEM, "redeem: paid != winning balance");
        if (_bal(a, pid, t, PASS) != 0 || _bal(a, pid, t, FAIL) != 0) _violate(V_REDEEM, "redeem: positions left");
        redeemedOf[pid][t] += paid;
        if (redeemedOf[pid][t] > winAtDecision[pid][t]) _violate(V_REDEEM, "redeemed more than the winning supply");
    }

    /// @dev Accounts 0..2: pledgers (stake refunds), 3..5: beneficiaries (forfeits; the burn address is flushed).
    function _claim(uint256 i) internal returns (bool) {
        address account = i < NPLEDGE ? _holders[NACT + i] : beneficiaries[i - NPLEDGE];
        if (account == address(0)) account = address(0xdEaD);
        uint256 amount = decisions.claimable(account, bondToken);
        if (amount == 0) return false;
        uint256 before = bondToken.balanceOf(account);
        if (account == address(0xdEaD)) {
            try decisions.flushBurned(bondToken) {} catch {
                _violate(V_MODEL, "flushBurned reverted with a balance to flush");
                return false;
            }
        } else {
            vm.prank(account);
            try decisions.claim(bondToken, account) {} catch {
                _violate(V_MODEL, "claim reverted with a balance to claim");
                return false;
            }
        }
        if (bondToken.balanceOf(account) - before != amount) _violate(V_MODEL, "claim: paid != claimable");
        stakeClaimed += amount;
        return true;
    }

    /// @dev Checks every proposal's state moved only forward (Trading -> Decidable -> Passed | Failed), that
    /// `decided` is never unset, and that only a passed proposal is executed.
    function _observe() internal {
        for (uint256 pid = 1; pid <= count; ++pid) {
            Prop storage r = _props[pid];
            uint8 s = uint8(decisions.proposalState(ProposalId.wrap(pid)));
            uint8 last = r.lastState;
            bool fine = s == last
                || (last == uint8(IFutarchyDecisions.ProposalState.Trading) && s == uint8(IFutarchyDecisions.ProposalState.Decidable))
                || (last == uint8(IFutarchyDecisions.ProposalState.Decidable) && s >= uint8(IFutarchyDecisions.ProposalState.Passed));
            if (!fine) _violate(V_LIFE, string.concat("state went from ", vm.toString(last), " to ", vm.toString(s)));
            IFutarchyDecisions.Proposal memory p = decisions.getProposal(ProposalId.wrap(pid));
            if (r.decided && !p.decided) _violate(V_LIFE, "decided unset");
            if (p.executed && !(p.decided && p.passed)) _violate(V_LIFE, "executed but not passed");
            r.lastState = s;
        }
    }

    function _pickAny(uint256 seed) internal view returns (bool, uint256) {
        if (count == 0) return (false, 0);
        // favour the latest proposals: they are the ones trading
        uint256 pid = count - (seed % (count < 4 ? count : 4));
        return (true, pid);
    }

    function _pickUndecided(uint256 seed) internal view returns (bool, uint256) {
        (bool found, uint256 pid) = _pickAny(seed);
        if (!found || _props[pid].decided) return (false, 0);
        return (true, pid);
    }

    function _bal(address a, uint256 pid, uint256 t, uint256 b) internal view returns (uint256) {
        return vault.balanceOf(a, position(pid, t, b));
    }

    function _roll(uint256 blocks) internal {
        vm.roll(block.number + blocks);
        vm.warp(block.timestamp + blocks * BLOCK_TIME);
    }

    function _refuse(uint256 action) internal {
        ++refused[action];
    }

    function _violate(uint256 kind, string memory what) internal {
        if (bytes(violations[kind]).length == 0) violations[kind] = what;
    }
}
