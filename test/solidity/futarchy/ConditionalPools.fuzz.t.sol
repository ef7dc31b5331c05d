// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IConditionalPools} from "../../../contracts/interfaces/IConditionalPools.sol";
import {PoolId} from "../../../contracts/types/FutarchyIds.sol";
import {ConditionId, PositionId} from "../../../contracts/types/MarketIds.sol";
import {PoolsFixture} from "./PoolsFixture.sol";

/// @notice Property tests of ConditionalPools over random seeds, fees, amounts and sequences: `k` never decreases
/// across swaps, a round trip never profits the trader, adding then removing liquidity never returns more than was
/// paid, and each pool's reserves always equal what the contract holds of its positions in the vault.
contract ConditionalPoolsFuzzTest is PoolsFixture {
    uint256 internal constant MIN_SEED = 1e6;
    uint256 internal constant MAX_SEED = 1e27;
    uint256 internal constant MAX_TRADE = 1e27;

    function setUp() public {
        _deployPools();
    }

    function _fuzzPool(uint256 seedM, uint256 seedQ, uint256 fee) internal returns (PoolId id) {
        IConditionalPools.PoolParams memory params = _params();
        params.feeBps = uint16(bound(fee, 0, 1_000));
        // Keep the seeded price within [1e3, 1e33] wei of WAD: the oracle holds 1 wei to 2^128 - 1.
        uint256 m = bound(seedM, MIN_SEED, MAX_SEED);
        uint256 lo = m / 1e15 > MIN_SEED ? m / 1e15 : MIN_SEED;
        uint256 hi = m * 1e15 < MAX_SEED ? m * 1e15 : MAX_SEED;
        uint256 q = bound(seedQ, lo, hi);
        (id,) = _create(alice, bytes32(0), params, uint128(m), uint128(q));
    }

    function _k(PoolId id) internal view returns (uint256) {
        (uint256 rM, uint256 rQ) = _reserves(id);
        return rM * rQ;
    }

    function testFuzz_swap_kNeverDecreases(uint256 seedM, uint256 seedQ, uint256 fee, uint256[8] memory amounts)
        public
    {
        PoolId id = _fuzzPool(seedM, seedQ, fee);
        uint256 k = _k(id);
        for (uint256 i; i < amounts.length; ++i) {
            _next(bound(amounts[i] >> 200, 0, 600));
            uint256 amountIn = bound(amounts[i], 1, MAX_TRADE);
            _swap(i % 2 == 0 ? bob : carol, id, (amounts[i] >> 128) % 2 == 0, amountIn);
            uint256 k2 = _k(id);
            assertGe(k2, k, "k non-decreasing across a swap");
            k = k2;
        }
    }

    function testFuzz_swap_roundTripNeverProfits(
        uint256 seedM,
        uint256 seedQ,
        uint256 fee,
        uint256 amountIn,
        bool metricIn,
        bool nextBlock
    ) public {
        PoolId id = _fuzzPool(seedM, seedQ, fee);
        amountIn = bound(amountIn, 1, MAX_TRADE);
        (PositionId a, PositionId b) = metricIn ? (M, Q) : (Q, M);
        uint256 balA = _bal(bob, a);
        uint256 balB = _bal(bob, b);
        uint256 out = _swap(bob, id, metricIn, amountIn);
        if (nextBlock) _next(12);
        if (out > 0) _swap(bob, id, !metricIn, out);
        assertLe(_bal(bob, a), balA, "no gain in the input side");
        assertEq(_bal(bob, b), balB, "the other side is back where it was");
    }

    function testFuzz_liquidity_addThenRemoveNeverReturnsMoreThanPaid(
        uint256 seedM,
        uint256 seedQ,
        uint256 fee,
        uint256 trade,
        uint256 shares
    ) public {
        PoolId id = _fuzzPool(seedM, seedQ, fee);
        _swap(bob, id, trade % 2 == 0, bound(trade, 1, MAX_TRADE)); // odd reserves
        uint256 supply = pools.getPool(id).supply;
        shares = bound(shares, 1, supply * 100);
        uint256 carolM = _bal(carol, M);
        uint256 carolQ = _bal(carol, Q);
        (uint256 paidM, uint256 paidQ) = _add(carol, id, shares);
        (uint256 gotM, uint256 gotQ) = _remove(carol, id, shares);
        assertLe(gotM, paidM, "metric back <= paid");
        assertLe(gotQ, paidQ, "quote back <= paid");
        assertLe(_bal(carol, M), carolM);
        assertLe(_bal(carol, Q), carolQ);
        assertEq(pools.getPool(id).supply, supply);
    }

    /// @dev Two pools on two conditions (no shared position ids), random swaps, additions and removals on either:
    /// each pool's reserves equal the contract's vault balance of its two positions after every step.
    function testFuzz_reservesEqualHeldPositionsPerPool(uint256[12] memory ops) public {
        vm.prank(oracle);
        ConditionId cond2 = vault.prepareCondition(keccak256("decision 2"), 2);
        _fundOn(alice, 1e28, cond2);
        _fundOn(bob, 1e28, cond2);
        _fundOn(carol, 1e28, cond2);
        IConditionalPools.PoolParams memory p2 = _params();
        p2.metric = vault.positionId(IERC20(address(metricToken)), ROOT, cond2, 0);
        p2.quote = vault.positionId(IERC20(address(quoteToken)), ROOT, cond2, 0);
        PoolId[2] memory ids;
        ids[0] = _createDefault();
        (ids[1],) = _create(alice, bytes32(uint256(1)), p2, 3_000e18, 500e18);
        address[3] memory who = [alice, bob, carol];

        for (uint256 i; i < ops.length; ++i) {
            uint256 x = ops[i];
            PoolId id = ids[x % 2];
            address actor = who[(x >> 8) % 3];
            uint256 kind = (x >> 16) % 4;
            uint256 amount = bound(x >> 64, 1, 1e24);
            if (kind < 2) {
                _swap(actor, id, kind == 0, amount);
            } else if (kind == 2) {
                _add(actor, id, amount);
            } else {
                uint256 held = pools.sharesOf(id, actor);
                if (held > 0) _remove(actor, id, bound(amount, 1, held));
            }
            if ((x >> 32) % 3 == 0) _next(30);
            for (uint256 j; j < 2; ++j) {
                IConditionalPools.Pool memory p = pools.getPool(ids[j]);
                assertEq(_bal(address(pools), p.metric), p.reserveMetric, "metric held = reserve");
                assertEq(_bal(address(pools), p.quote), p.reserveQuote, "quote held = reserve");
            }
        }
    }
}
