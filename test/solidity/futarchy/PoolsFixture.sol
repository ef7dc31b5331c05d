// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ConditionalPools} from "../../../contracts/futarchy/ConditionalPools.sol";
import {IConditionalPools} from "../../../contracts/interfaces/IConditionalPools.sol";
import {OutcomeVault} from "../../../contracts/markets/OutcomeVault.sol";
import {MockERC20} from "../../mocks/MockERC20.sol";
import {PoolId} from "../../../contracts/types/FutarchyIds.sol";
import {ConditionId, PositionId} from "../../../contracts/types/MarketIds.sol";

/// @notice Shared setup for ConditionalPools tests: one vault, the pools contract on it, two collaterals (a metric
/// token and a quote token) and a binary decision condition. The pool trades the two "pass" positions, as futarchy
/// does: metric = outcome 0 of the condition on the metric token, quote = outcome 0 on the quote token (four
/// distinct balance slots per trade, the realistic case). Actors split both collaterals and approve the pools.
abstract contract PoolsFixture is Test {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant FUNDS = 1e30;
    uint256 internal constant MIN_SHARES = 1_000;
    PositionId internal constant ROOT = PositionId.wrap(0);

    uint256 internal constant T0 = 1_700_000_000;
    uint256 internal constant B0 = 100;
    uint16 internal constant FEE = 30;
    uint64 internal constant DURATION = 1 days;
    uint32 internal constant DELAY = 1 hours;
    uint128 internal constant STEP = 0.01e18;
    uint128 internal constant SEED_M = 1_000e18;
    uint128 internal constant SEED_Q = 2_000e18;

    OutcomeVault internal vault;
    ConditionalPools internal pools;
    MockERC20 internal metricToken;
    MockERC20 internal quoteToken;
    ConditionId internal cond;
    PositionId internal M; // pass-metric
    PositionId internal Q; // pass-quote
    PositionId internal M_FAIL; // fail-metric
    PositionId internal Q_FAIL; // fail-quote

    address internal oracle = makeAddr("oracle");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");

    function _deployPools() internal {
        vm.warp(T0);
        vm.roll(B0);
        vault = new OutcomeVault();
        pools = new ConditionalPools(vault);
        metricToken = new MockERC20("Metric", "MET", 18);
        quoteToken = new MockERC20("Quote", "USD", 18);
        vm.prank(oracle);
        cond = vault.prepareCondition(keccak256("decision"), 2);
        M = vault.positionId(IERC20(address(metricToken)), ROOT, cond, 0);
        Q = vault.positionId(IERC20(address(quoteToken)), ROOT, cond, 0);
        M_FAIL = vault.positionId(IERC20(address(metricToken)), ROOT, cond, 1);
        Q_FAIL = vault.positionId(IERC20(address(quoteToken)), ROOT, cond, 1);
        _fund(alice, FUNDS);
        _fund(bob, FUNDS);
        _fund(carol, FUNDS);
    }

    /// @dev Mints `amount` of both collaterals to `who`, splits them on the condition, approves the pools.
    function _fund(address who, uint256 amount) internal {
        _fundOn(who, amount, cond);
    }

    function _fundOn(address who, uint256 amount, ConditionId c) internal {
        metricToken.mint(who, amount);
        quoteToken.mint(who, amount);
        vm.startPrank(who);
        metricToken.approve(address(vault), amount);
        quoteToken.approve(address(vault), amount);
        vault.split(IERC20(address(metricToken)), ROOT, c, amount);
        vault.split(IERC20(address(quoteToken)), ROOT, c, amount);
        vault.setApprovalForAll(address(pools), true);
        vm.stopPrank();
    }

    function _params() internal view returns (IConditionalPools.PoolParams memory) {
        return _paramsAt(uint64(block.timestamp), uint64(block.timestamp) + DURATION);
    }

    function _paramsAt(uint64 start, uint64 end) internal view returns (IConditionalPools.PoolParams memory) {
        return IConditionalPools.PoolParams({
            metric: M, quote: Q, feeBps: FEE, start: start, end: end, twapDelay: DELAY, twapMaxStep: STEP
        });
    }

    /// @dev Alice creates the default pool (salt 0, window from now for DURATION, seed SEED_M / SEED_Q) for herself.
    function _createDefault() internal returns (PoolId id) {
        (id,) = _create(alice, bytes32(0), _params(), SEED_M, SEED_Q);
    }

    function _create(
        address who,
        bytes32 salt,
        IConditionalPools.PoolParams memory params,
        uint128 m,
        uint128 q
    ) internal returns (PoolId id, uint256 shares) {
        vm.prank(who);
        return pools.createPool(salt, params, m, q, who);
    }

    function _swap(address who, PoolId id, bool metricIn, uint256 amountIn) internal returns (uint256) {
        vm.prank(who);
        return pools.swap(id, metricIn, amountIn, 0, who);
    }

    function _add(address who, PoolId id, uint256 shares) internal returns (uint256, uint256) {
        vm.prank(who);
        return pools.addLiquidity(id, shares, type(uint256).max, type(uint256).max, who);
    }

    function _remove(address who, PoolId id, uint256 shares) internal returns (uint256, uint256) {
        vm.prank(who);
        return pools.removeLiquidity(id, shares, 0, 0, who);
    }

    function _reserves(PoolId id) internal view returns (uint256 rM, uint256 rQ) {
        IConditionalPools.Pool memory p = pools.getPool(id);
        return (p.reserveMetric, p.reserveQuote);
    }

    function _bal(address who, PositionId id) internal view returns (uint256) {
        return vault.balanceOf(who, PositionId.unwrap(id));
    }

    /// @dev Moves to the next block, `dt` seconds later.
    function _next(uint256 dt) internal {
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + dt);
    }
}
