// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ConditionalPools} from "../../../contracts/futarchy/ConditionalPools.sol";
import {FutarchyDecisions} from "../../../contracts/futarchy/FutarchyDecisions.sol";
import {IConditionalPools} from "../../../contracts/interfaces/IConditionalPools.sol";
import {IFutarchyDecisions} from "../../../contracts/interfaces/IFutarchyDecisions.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {PoolId, ProposalId} from "../../../contracts/types/FutarchyIds.sol";
import {PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {MockERC20} from "../../mocks/MockERC20.sol";
import {BreachFixture} from "../breach/BreachFixture.sol";

/// @notice Shared setup for FutarchyDecisions tests: the breach-market fixture (registry, MockArbiter, vault,
/// maker, breach markets, funded traders) plus ConditionalPools and FutarchyDecisions with short windows that
/// still pass the contract's manipulation check (6 hours, 12-second blocks), a metric token ("LAB", the lab's
/// share) and a governed pledge `gid` (governor: the decisions contract) with its breach market open.
/// Time moves in blocks: `_blocks(n)` rolls n blocks of 12 s.
abstract contract FutarchyFixture is BreachFixture {
    uint256 internal constant PASS = 0;
    uint256 internal constant FAIL = 1;
    uint64 internal constant BLOCK_TIME = 12;
    uint32 internal constant WINDOW = 6 hours;
    uint32 internal constant DELAY = 20 minutes;
    uint16 internal constant THRESHOLD = 300; // 3 %
    uint16 internal constant STEP = 50; // 0.5 % of the reference per block
    uint16 internal constant POOL_FEE = 30;
    uint16 internal constant STAKE_BPS = 100; // 1 % of the bond
    uint32 internal constant COOLDOWN = 1 days;
    uint128 internal constant SEED = 10_000e18; // per branch and side: reference price 1.0

    ConditionalPools internal pools;
    FutarchyDecisions internal decisions;
    MockERC20 internal lab;
    PledgeId internal gid;
    /// @dev The breach condition of `gid`'s market.
    ConditionId internal gCondition;
    address internal keeper;

    function setUp() public virtual override {
        super.setUp();
        keeper = makeAddr("keeper");
        pools = new ConditionalPools(vault);
        decisions = new FutarchyDecisions(registry, pools, markets, _dparams(), _dparams(), BLOCK_TIME);
        lab = new MockERC20("Lab Share", "LAB", 18);
        vm.label(address(pools), "pools");
        vm.label(address(decisions), "decisions");
        address[5] memory traders = [alice, bob, attacker, stranger, pledger];
        for (uint256 i; i < traders.length; ++i) {
            _fundTrader(lab, traders[i]);
            vm.startPrank(traders[i]);
            lab.approve(address(decisions), type(uint256).max);
            token.approve(address(decisions), type(uint256).max);
            lab.approve(address(vault), type(uint256).max);
            token.approve(address(vault), type(uint256).max);
            vault.setApprovalForAll(address(pools), true);
            vm.stopPrank();
        }
        gid = _createGoverned();
        (gCondition,) = _open(gid);
    }

    function _dparams() internal pure returns (IFutarchyDecisions.DecisionParams memory) {
        return IFutarchyDecisions.DecisionParams({
            window: WINDOW,
            twapDelay: DELAY,
            thresholdBps: THRESHOLD,
            maxStepBps: STEP,
            feeBps: POOL_FEE,
            stakeBps: STAKE_BPS,
            cooldown: COOLDOWN
        });
    }

    function _createGoverned() internal returns (PledgeId id) {
        IPledgeRegistry.PledgeParams memory params = _params();
        _fund(params.token, pledger, params.bond);
        vm.prank(pledger);
        id = registry.createGovernedPledge(params, address(decisions));
    }

    function _noAmendment() internal pure returns (IPledgeRegistry.Amendment memory a) {}

    function _proposeRelease() internal returns (ProposalId) {
        vm.prank(pledger);
        return decisions.propose(
            gid, IFutarchyDecisions.Kind.Release, IFutarchyDecisions.Metric.Price, lab, token, SEED, SEED, _noAmendment()
        );
    }

    function _amendment() internal view returns (IPledgeRegistry.Amendment memory) {
        return IPledgeRegistry.Amendment({
            termsHash: keccak256("terms v2"),
            termsURI: "ipfs://terms-v2",
            expiry: uint64(block.timestamp + 60 days),
            bond: BOND / 2
        });
    }

    function _proposeAmend(IFutarchyDecisions.Metric metric) internal returns (ProposalId) {
        vm.prank(pledger);
        return decisions.propose(
            gid, IFutarchyDecisions.Kind.Amend, metric, lab, token, SEED, SEED, _amendment()
        );
    }

    /// @dev Rolls `n` blocks of BLOCK_TIME seconds.
    function _blocks(uint256 n) internal {
        vm.roll(block.number + n);
        vm.warp(block.timestamp + n * BLOCK_TIME);
    }

    function _pool(ProposalId id, uint256 branch) internal view returns (PoolId) {
        IFutarchyDecisions.Proposal memory p = decisions.getProposal(id);
        return branch == PASS ? p.passPool : p.failPool;
    }

    /// @dev Splits `amount` of `tok` into PASS and FAIL positions of the proposal for `who`.
    function _splitFor(address who, ProposalId id, IERC20 tok, uint256 amount) internal {
        ConditionId decision = decisions.getProposal(id).decision;
        vm.prank(who);
        vault.split(tok, ROOT, decision, amount);
    }

    /// @dev `who` swaps `amountIn` in a branch's pool (metric in when `metricIn`).
    function _swap(address who, ProposalId id, uint256 branch, bool metricIn, uint256 amountIn)
        internal
        returns (uint256 out)
    {
        PoolId pool = _pool(id, branch); // read before the prank: the prank applies to the next call only
        vm.prank(who);
        out = pools.swap(pool, metricIn, amountIn, 0, who);
    }

    /// @dev Buys metric with quote in a branch until its spot is at least `target` (WAD), in one swap.
    function _pushTo(address who, ProposalId id, uint256 branch, uint256 target) internal {
        IConditionalPools.Pool memory p = pools.getPool(_pool(id, branch));
        uint256 k = uint256(p.reserveMetric) * p.reserveQuote;
        // New metric reserve m' with q'/m' = target and m' q' = k: m' = sqrt(k / target).
        uint256 mNew = _sqrt(k * 1e18 / target);
        // The fee stays in the reserves, so gross the input up by it (the target is reached to within the fee).
        if (mNew > p.reserveMetric) {
            _swap(who, id, branch, true, (mNew - p.reserveMetric) * 10_000 / (10_000 - POOL_FEE) + 1);
        } else {
            _swap(who, id, branch, false, (k / mNew - p.reserveQuote) * 10_000 / (10_000 - POOL_FEE) + 1);
        }
    }

    /// @dev Pokes both pools once in each of `n` consecutive blocks.
    function _pokeBlocks(ProposalId id, uint256 n) internal {
        for (uint256 i; i < n; ++i) {
            _blocks(1);
            pools.poke(_pool(id, PASS));
            pools.poke(_pool(id, FAIL));
        }
    }

    /// @dev Warps to the proposal's end.
    function _toEnd(ProposalId id) internal {
        uint64 end = decisions.getProposal(id).end;
        uint256 n = (end - block.timestamp + BLOCK_TIME - 1) / BLOCK_TIME;
        _blocks(n);
        assertGe(block.timestamp, end);
    }

    function _sqrt(uint256 x) internal pure returns (uint256 y) {
        if (x == 0) return 0;
        y = x;
        uint256 z = (x + 1) / 2;
        while (z < y) {
            y = z;
            z = (x / z + z) / 2;
        }
    }
}
