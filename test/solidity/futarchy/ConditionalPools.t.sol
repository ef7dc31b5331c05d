// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {console} from "forge-std/console.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {CpmmMath} from "../../../contracts/futarchy/libraries/CpmmMath.sol";
import {TwapOracle} from "../../../contracts/futarchy/libraries/TwapOracle.sol";
import {IConditionalPools} from "../../../contracts/interfaces/IConditionalPools.sol";
import {ReentrantERC1155Receiver} from "../../mocks/ReentrantERC1155Receiver.sol";
import {PoolId} from "../../../contracts/types/FutarchyIds.sol";
import {PositionId} from "../../../contracts/types/MarketIds.sol";
import {PoolsFixture} from "./PoolsFixture.sol";
import {TestProfile} from "../utils/TestProfile.sol";

/// @notice Unit tests of ConditionalPools: creation and each of its refusals with their values, swaps both ways
/// against CpmmMath, the window's edge seconds, liquidity in and out with their rounding, the oracle (observation
/// before the trade, one per block, moved-and-reversed prices unseen, frozen after end), refused transfers and
/// reentry, and the quotes against the swaps they predict.
contract ConditionalPoolsTest is PoolsFixture {
    function setUp() public {
        _deployPools();
    }

    // ================================================================ create

    function test_createPool_pullsSeedMintsSharesAndLocksMinimum() public {
        bytes32 salt = keccak256("s");
        IConditionalPools.PoolParams memory params = _params();
        PoolId expected = PoolId.wrap(keccak256(abi.encode(alice, salt)));
        uint256 supply = Math.sqrt(uint256(SEED_M) * SEED_Q);
        uint256 ref = uint256(SEED_Q) * WAD / SEED_M;
        uint256 aliceM = _bal(alice, M);
        uint256 aliceQ = _bal(alice, Q);

        vm.expectEmit(address(pools));
        emit IConditionalPools.PoolCreated(
            expected, alice, salt, params, SEED_M, SEED_Q, bob, supply - MIN_SHARES, ref
        );
        vm.prank(alice);
        (PoolId id, uint256 shares) = pools.createPool(salt, params, SEED_M, SEED_Q, bob);

        assertEq(PoolId.unwrap(id), PoolId.unwrap(expected), "id = keccak(creator, salt)");
        assertEq(PoolId.unwrap(pools.poolIdOf(alice, salt)), PoolId.unwrap(expected), "poolIdOf");
        assertEq(shares, supply - MIN_SHARES, "shares = sqrt(m q) - MINIMUM_SHARES");
        assertEq(pools.sharesOf(id, bob), shares, "recipient credited");
        assertEq(pools.sharesOf(id, alice), 0, "creator not credited");
        assertEq(_bal(address(pools), M), SEED_M, "metric pulled");
        assertEq(_bal(address(pools), Q), SEED_Q, "quote pulled");
        assertEq(aliceM - _bal(alice, M), SEED_M, "creator paid metric");
        assertEq(aliceQ - _bal(alice, Q), SEED_Q, "creator paid quote");

        IConditionalPools.Pool memory p = pools.getPool(id);
        assertEq(PositionId.unwrap(p.metric), PositionId.unwrap(M));
        assertEq(PositionId.unwrap(p.quote), PositionId.unwrap(Q));
        assertEq(p.reserveMetric, SEED_M);
        assertEq(p.reserveQuote, SEED_Q);
        assertEq(p.creator, alice);
        assertEq(p.feeBps, FEE);
        assertEq(p.end, params.end);
        assertEq(p.supply, supply, "supply includes the locked shares");

        (uint128 obs, uint64 lastBlock) = pools.observation(id);
        assertEq(obs, ref, "reference price = seeded spot");
        assertEq(lastBlock, block.number, "creation block counts as observed");
        assertEq(pools.spotPrice(id), ref);
        assertEq(uint256(pools.poolState(id)), uint256(IConditionalPools.PoolState.Open));
    }

    function test_createPool_sameSaltOtherCreatorGivesOtherPool() public {
        (PoolId a,) = _create(alice, bytes32(0), _params(), SEED_M, SEED_Q);
        (PoolId b,) = _create(bob, bytes32(0), _params(), SEED_M, SEED_Q);
        assertTrue(PoolId.unwrap(a) != PoolId.unwrap(b));
        assertEq(_bal(address(pools), M), 2 * uint256(SEED_M));
    }

    function test_createPool_revertsWhenIdExists() public {
        PoolId id = _createDefault();
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.PoolExists.selector, id));
        _create(alice, bytes32(0), _params(), SEED_M, SEED_Q);
    }

    function test_createPool_revertsWhenPositionsEqual() public {
        IConditionalPools.PoolParams memory params = _params();
        params.quote = M;
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.PositionsEqual.selector, M));
        _create(alice, bytes32(0), params, SEED_M, SEED_Q);
    }

    function test_createPool_revertsWhenFeeAboveMax() public {
        IConditionalPools.PoolParams memory params = _params();
        params.feeBps = 1_001;
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.FeeTooHigh.selector, 1_001, 1_000));
        _create(alice, bytes32(0), params, SEED_M, SEED_Q);
        params.feeBps = 1_000; // the cap itself is accepted
        _create(alice, bytes32(0), params, SEED_M, SEED_Q);
    }

    function test_createPool_revertsWhenWindowInvalid() public {
        uint64 now_ = uint64(block.timestamp);
        // end not after start
        _expectWindowInvalid(_paramsAt(now_ + 100, now_ + 100));
        // end already passed
        _expectWindowInvalid(_paramsAt(now_ - 10, now_));
        // no counted time: start + delay == end
        _expectWindowInvalid(_paramsAt(now_, now_ + DELAY));
        // a start in the past counts from now: now + delay == end has no counted time either
        _expectWindowInvalid(_paramsAt(now_ - 1_000, now_ + DELAY));
        // one second of counted time is enough
        _create(alice, bytes32(0), _paramsAt(now_, now_ + DELAY + 1), SEED_M, SEED_Q);
    }

    function _expectWindowInvalid(IConditionalPools.PoolParams memory params) internal {
        vm.expectRevert(
            abi.encodeWithSelector(
                IConditionalPools.WindowInvalid.selector, params.start, params.end, params.twapDelay, block.timestamp
            )
        );
        _create(alice, bytes32(0), params, SEED_M, SEED_Q);
    }

    function test_createPool_revertsOnZeroSeed() public {
        vm.expectRevert(IConditionalPools.AmountZero.selector);
        _create(alice, bytes32(0), _params(), 0, SEED_Q);
        vm.expectRevert(IConditionalPools.AmountZero.selector);
        _create(alice, bytes32(0), _params(), SEED_M, 0);
    }

    function test_createPool_revertsWhenSeedMintsTooFewShares() public {
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.SeedTooSmall.selector, 1_000, 1_000));
        _create(alice, bytes32(0), _params(), 1_000, 1_000);
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.SeedTooSmall.selector, 1_000, 1_000));
        _create(alice, bytes32(0), _params(), 1_000, 1_002); // sqrt(1,002,000) = 1,000.99: rounds down
        (, uint256 shares) = _create(alice, bytes32(0), _params(), 1_001, 1_001);
        assertEq(shares, 1, "the least seed leaves one share");
    }

    function test_createPool_revertsOnZeroRecipient() public {
        vm.prank(alice);
        vm.expectRevert(IConditionalPools.RecipientZero.selector);
        pools.createPool(bytes32(0), _params(), SEED_M, SEED_Q, address(0));
    }

    function test_createPool_revertsWhenPositionsNotApproved() public {
        vm.prank(alice);
        vault.setApprovalForAll(address(pools), false);
        vm.expectRevert();
        _create(alice, bytes32(0), _params(), SEED_M, SEED_Q);
    }

    // ================================================================ state

    function test_poolState_followsTheWindowToTheSecond() public {
        uint64 start = uint64(block.timestamp + 100);
        uint64 end = start + 1_000 + DELAY;
        (PoolId id,) = _create(alice, bytes32(0), _paramsAt(start, end), SEED_M, SEED_Q);
        PoolId unknown = pools.poolIdOf(bob, bytes32(0));
        assertEq(uint256(pools.poolState(unknown)), uint256(IConditionalPools.PoolState.None));
        vm.warp(start - 1);
        assertEq(uint256(pools.poolState(id)), uint256(IConditionalPools.PoolState.Pending));
        vm.warp(start);
        assertEq(uint256(pools.poolState(id)), uint256(IConditionalPools.PoolState.Open));
        vm.warp(end - 1);
        assertEq(uint256(pools.poolState(id)), uint256(IConditionalPools.PoolState.Open));
        vm.warp(end);
        assertEq(uint256(pools.poolState(id)), uint256(IConditionalPools.PoolState.Closed));
    }

    // ================================================================ swap

    function test_swap_metricInPaysCpmmOutputAndKeepsTheFeeInReserves() public {
        PoolId id = _createDefault();
        _next(12);
        uint256 amountIn = 10e18;
        uint256 expected = CpmmMath.amountOut(SEED_M, SEED_Q, amountIn, FEE);
        uint256 bobM = _bal(bob, M);
        uint256 carolQ = _bal(carol, Q);
        uint128 obs = uint128(uint256(SEED_Q) * WAD / SEED_M); // at rest: the observation stays the reference

        vm.expectEmit(address(pools));
        emit IConditionalPools.Swapped(
            id, bob, carol, true, amountIn, expected, SEED_M + uint128(amountIn), SEED_Q - uint128(expected), obs
        );
        vm.prank(bob);
        uint256 out = pools.swap(id, true, amountIn, expected, carol);

        assertEq(out, expected, "output = CpmmMath.amountOut");
        assertEq(bobM - _bal(bob, M), amountIn, "trader paid exactly amountIn");
        assertEq(_bal(carol, Q) - carolQ, expected, "recipient got the output");
        (uint256 rM, uint256 rQ) = _reserves(id);
        assertEq(rM, SEED_M + amountIn, "the whole input, fee included, is in the reserve");
        assertEq(rQ, SEED_Q - expected);
        assertGt(rM * rQ, uint256(SEED_M) * SEED_Q, "k grows by the fee");
        // without the fee the output would have been larger
        assertGt(CpmmMath.amountOut(SEED_M, SEED_Q, amountIn, 0), expected);
        _assertHoldingsMatchReserves(id);
    }

    function test_swap_quoteInPaysCpmmOutput() public {
        PoolId id = _createDefault();
        _next(12);
        uint256 amountIn = 33e18 + 7;
        uint256 expected = CpmmMath.amountOut(SEED_Q, SEED_M, amountIn, FEE);
        uint256 bobQ = _bal(bob, Q);
        uint256 bobM = _bal(bob, M);
        uint256 out = _swap(bob, id, false, amountIn);
        assertEq(out, expected);
        assertEq(bobQ - _bal(bob, Q), amountIn);
        assertEq(_bal(bob, M) - bobM, expected);
        (uint256 rM, uint256 rQ) = _reserves(id);
        assertEq(rM, SEED_M - expected);
        assertEq(rQ, SEED_Q + amountIn);
        assertGe(rM * rQ, uint256(SEED_M) * SEED_Q, "k never decreases");
        _assertHoldingsMatchReserves(id);
    }

    function test_swap_kNeverDecreasesOverASequence() public {
        PoolId id = _createDefault();
        (uint256 rM, uint256 rQ) = _reserves(id);
        uint256 k = rM * rQ;
        for (uint256 i; i < 20; ++i) {
            _next(60);
            _swap(i % 2 == 0 ? bob : carol, id, i % 3 != 0, (i + 1) * 7e17 + i);
            (rM, rQ) = _reserves(id);
            assertGe(rM * rQ, k, "k non-decreasing");
            k = rM * rQ;
        }
        _assertHoldingsMatchReserves(id);
    }

    function test_swap_revertsBelowMinimumOutput() public {
        PoolId id = _createDefault();
        uint256 expected = pools.quoteSwap(id, true, 1e18);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.SlippageExceeded.selector, expected, expected + 1));
        pools.swap(id, true, 1e18, expected + 1, bob);
    }

    function test_swap_revertsOnZeroAmountOrRecipient() public {
        PoolId id = _createDefault();
        vm.prank(bob);
        vm.expectRevert(IConditionalPools.AmountZero.selector);
        pools.swap(id, true, 0, 0, bob);
        vm.prank(bob);
        vm.expectRevert(IConditionalPools.RecipientZero.selector);
        pools.swap(id, true, 1, 0, address(0));
    }

    function test_swap_revertsOnUnknownPool() public {
        PoolId id = pools.poolIdOf(bob, bytes32(0));
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.PoolUnknown.selector, id));
        pools.swap(id, true, 1e18, 0, bob);
    }

    function test_swap_acceptedFromStartToEndMinusOne() public {
        uint64 start = uint64(block.timestamp + 100);
        uint64 end = start + DELAY + 1_000;
        (PoolId id,) = _create(alice, bytes32(0), _paramsAt(start, end), SEED_M, SEED_Q);

        vm.warp(start - 1);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(
                IConditionalPools.UnexpectedPoolState.selector,
                id,
                IConditionalPools.PoolState.Pending,
                IConditionalPools.PoolState.Open
            )
        );
        pools.swap(id, true, 1e18, 0, bob);

        vm.warp(start);
        _swap(bob, id, true, 1e18);
        vm.roll(block.number + 1);
        vm.warp(end - 1);
        _swap(bob, id, false, 1e18);

        vm.roll(block.number + 1);
        vm.warp(end);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(
                IConditionalPools.UnexpectedPoolState.selector,
                id,
                IConditionalPools.PoolState.Closed,
                IConditionalPools.PoolState.Open
            )
        );
        pools.swap(id, true, 1e18, 0, bob);
    }

    function test_swap_revertsWhenReserveWouldExceed128Bits() public {
        PoolId id = _createDefault();
        uint256 big = type(uint128).max - FUNDS; // alice holds FUNDS - SEED_M already: fill to 2^128 - 1 - SEED_M
        _fund(alice, big);
        uint256 amountIn = _bal(alice, M); // 2^128 - 1 - SEED_M
        assertEq(amountIn, type(uint128).max - SEED_M);
        // The pool's reserve (SEED_M) plus the input overflows 128 bits by one.
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                CpmmMath.CpmmAmountTooLarge.selector, uint256(type(uint128).max) + 1, type(uint128).max
            )
        );
        pools.swap(id, true, amountIn + 1, 0, alice);
        // One less fits (the vault then refuses: alice does not hold amountIn + 1; here she swaps what she holds).
        _swap(alice, id, true, amountIn);
        (uint256 rM,) = _reserves(id);
        assertEq(rM, type(uint128).max);
    }

    // ================================================================ liquidity

    function test_addLiquidity_chargesEachSideRoundedUp() public {
        PoolId id = _createDefault();
        _next(12);
        _swap(bob, id, true, 12_345_678_901_234_567_891); // odd reserves
        (uint256 rM, uint256 rQ) = _reserves(id);
        uint256 supply = pools.getPool(id).supply;
        uint256 shares = 3e18 + 1;
        uint256 wantM = Math.mulDiv(shares, rM, supply, Math.Rounding.Ceil);
        uint256 wantQ = Math.mulDiv(shares, rQ, supply, Math.Rounding.Ceil);
        assertTrue(Math.mulDiv(shares, rM, supply) < wantM || Math.mulDiv(shares, rQ, supply) < wantQ, "rounds");
        uint256 carolM = _bal(carol, M);
        uint256 carolQ = _bal(carol, Q);

        vm.expectEmit(address(pools));
        emit IConditionalPools.LiquidityAdded(id, carol, bob, shares, wantM, wantQ);
        vm.prank(carol);
        (uint256 m, uint256 q) = pools.addLiquidity(id, shares, wantM, wantQ, bob);

        assertEq(m, wantM, "metric rounds up");
        assertEq(q, wantQ, "quote rounds up");
        assertEq(carolM - _bal(carol, M), m);
        assertEq(carolQ - _bal(carol, Q), q);
        assertEq(pools.sharesOf(id, bob), shares, "shares to `to`");
        assertEq(pools.getPool(id).supply, supply + shares);
        (uint256 rM2, uint256 rQ2) = _reserves(id);
        assertEq(rM2, rM + m);
        assertEq(rQ2, rQ + q);
        // reserve per share never falls
        assertGe(rM2 * supply, rM * (supply + shares));
        assertGe(rQ2 * supply, rQ * (supply + shares));
        _assertHoldingsMatchReserves(id);
    }

    function test_addLiquidity_revertsAboveEitherMaximum() public {
        PoolId id = _createDefault();
        (uint256 m, uint256 q) = CpmmMath.depositFor(1e18, SEED_M, SEED_Q, pools.getPool(id).supply);
        vm.startPrank(carol);
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.DepositAboveMax.selector, m, m - 1));
        pools.addLiquidity(id, 1e18, m - 1, q, carol);
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.DepositAboveMax.selector, q, q - 1));
        pools.addLiquidity(id, 1e18, m, q - 1, carol);
        vm.expectRevert(IConditionalPools.AmountZero.selector);
        pools.addLiquidity(id, 0, m, q, carol);
        vm.expectRevert(IConditionalPools.RecipientZero.selector);
        pools.addLiquidity(id, 1e18, m, q, address(0));
        vm.stopPrank();
    }

    function test_addLiquidity_refusedOutsideTheWindow() public {
        PoolId id = _createDefault();
        vm.warp(block.timestamp + DURATION);
        vm.prank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(
                IConditionalPools.UnexpectedPoolState.selector,
                id,
                IConditionalPools.PoolState.Closed,
                IConditionalPools.PoolState.Open
            )
        );
        pools.addLiquidity(id, 1e18, type(uint256).max, type(uint256).max, carol);
    }

    function test_removeLiquidity_paysEachSideRoundedDown() public {
        PoolId id = _createDefault();
        _next(12);
        _swap(bob, id, false, 98_765_432_109_876_543_211);
        (uint256 rM, uint256 rQ) = _reserves(id);
        uint256 supply = pools.getPool(id).supply;
        uint256 shares = 7e18 + 3;
        uint256 wantM = shares * rM / supply;
        uint256 wantQ = shares * rQ / supply;
        assertTrue(wantM * supply < shares * rM || wantQ * supply < shares * rQ, "rounds");
        uint256 carolM = _bal(carol, M);
        uint256 carolQ = _bal(carol, Q);
        uint256 aliceShares = pools.sharesOf(id, alice);

        vm.expectEmit(address(pools));
        emit IConditionalPools.LiquidityRemoved(id, alice, carol, shares, wantM, wantQ);
        vm.prank(alice);
        (uint256 m, uint256 q) = pools.removeLiquidity(id, shares, wantM, wantQ, carol);

        assertEq(m, wantM, "metric rounds down");
        assertEq(q, wantQ, "quote rounds down");
        assertEq(_bal(carol, M) - carolM, m);
        assertEq(_bal(carol, Q) - carolQ, q);
        assertEq(pools.sharesOf(id, alice), aliceShares - shares);
        assertEq(pools.getPool(id).supply, supply - shares);
        (uint256 rM2, uint256 rQ2) = _reserves(id);
        assertGe(rM2 * supply, rM * (supply - shares), "reserve per share never falls");
        assertGe(rQ2 * supply, rQ * (supply - shares), "reserve per share never falls");
        _assertHoldingsMatchReserves(id);
    }

    function test_removeLiquidity_revertsBelowEitherMinimum() public {
        PoolId id = _createDefault();
        (uint256 m, uint256 q) = CpmmMath.withdrawFor(1e18, SEED_M, SEED_Q, pools.getPool(id).supply);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.SlippageExceeded.selector, m, m + 1));
        pools.removeLiquidity(id, 1e18, m + 1, q, alice);
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.SlippageExceeded.selector, q, q + 1));
        pools.removeLiquidity(id, 1e18, m, q + 1, alice);
        vm.expectRevert(IConditionalPools.AmountZero.selector);
        pools.removeLiquidity(id, 0, 0, 0, alice);
        vm.expectRevert(IConditionalPools.RecipientZero.selector);
        pools.removeLiquidity(id, 1, 0, 0, address(0));
        vm.stopPrank();
    }

    function test_removeLiquidity_revertsBeyondTheCallersShares() public {
        PoolId id = _createDefault();
        uint256 held = pools.sharesOf(id, alice);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IConditionalPools.SharesInsufficient.selector, id, alice, held, held + 1)
        );
        pools.removeLiquidity(id, held + 1, 0, 0, alice);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.SharesInsufficient.selector, id, bob, 0, 1));
        pools.removeLiquidity(id, 1, 0, 0, bob);
        PoolId unknown = pools.poolIdOf(bob, bytes32(0));
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.PoolUnknown.selector, unknown));
        pools.removeLiquidity(unknown, 1, 0, 0, bob);
    }

    function test_removeLiquidity_acceptedAfterCloseWithoutMovingTheOracle() public {
        PoolId id = _createDefault();
        _next(DELAY + 100);
        _swap(bob, id, true, 100e18);
        vm.roll(block.number + 1);
        vm.warp(pools.getPool(id).end);
        uint256 twapAtEnd = pools.twap(id);
        (uint128 obs, uint64 lastBlock) = pools.observation(id);

        _next(1 days);
        uint256 all = pools.sharesOf(id, alice);
        _remove(alice, id, all);

        assertEq(pools.sharesOf(id, alice), 0);
        (uint128 obs2, uint64 lastBlock2) = pools.observation(id);
        assertEq(obs2, obs, "no observation after close");
        assertEq(lastBlock2, lastBlock);
        assertEq(pools.twap(id), twapAtEnd, "twap frozen");
        // only the locked shares' worth remains
        IConditionalPools.Pool memory p = pools.getPool(id);
        assertEq(p.supply, MIN_SHARES);
        assertGt(p.reserveMetric, 0);
        assertGt(p.reserveQuote, 0);
        assertLe(uint256(p.reserveMetric) * p.reserveQuote, (MIN_SHARES + 2) ** 2 * 4, "dust of the locked shares");
        _assertHoldingsMatchReserves(id);
    }

    function test_removeLiquidity_acceptedWhilePending() public {
        uint64 start = uint64(block.timestamp + 1_000);
        (PoolId id, uint256 shares) = _create(alice, bytes32(0), _paramsAt(start, start + DURATION), SEED_M, SEED_Q);
        _next(10);
        (uint128 obs, uint64 lastBlock) = pools.observation(id);
        _remove(alice, id, shares / 2);
        (uint128 obs2, uint64 lastBlock2) = pools.observation(id);
        assertEq(obs2, obs);
        assertEq(lastBlock2, lastBlock, "no observation while Pending");
    }

    // ================================================================ oracle

    function test_poke_recordsOncePerBlockAndEmits() public {
        PoolId id = _createDefault();
        assertFalse(pools.poke(id), "the creation block counts as observed");
        _next(12);
        _swap(bob, id, true, 100e18); // observes the seed spot, then moves it
        uint256 spot = pools.spotPrice(id);
        _next(12);
        (uint128 before,) = pools.observation(id);
        uint128 expected = TwapOracle.nextObservation(before, spot, STEP);
        vm.expectEmit(address(pools));
        emit IConditionalPools.Observed(id, expected);
        assertTrue(pools.poke(id));
        (uint128 obs, uint64 lastBlock) = pools.observation(id);
        assertEq(obs, expected, "moved toward spot by at most the step");
        assertEq(before - obs, STEP, "capped at one step");
        assertEq(lastBlock, block.number);
        assertFalse(pools.poke(id), "second poke in the block records nothing");
    }

    function test_poke_refusedOutsideTheWindow() public {
        uint64 start = uint64(block.timestamp + 100);
        (PoolId id,) = _create(alice, bytes32(0), _paramsAt(start, start + DURATION), SEED_M, SEED_Q);
        vm.expectRevert(
            abi.encodeWithSelector(
                IConditionalPools.UnexpectedPoolState.selector,
                id,
                IConditionalPools.PoolState.Pending,
                IConditionalPools.PoolState.Open
            )
        );
        pools.poke(id);
        vm.warp(start + DURATION);
        vm.expectRevert(
            abi.encodeWithSelector(
                IConditionalPools.UnexpectedPoolState.selector,
                id,
                IConditionalPools.PoolState.Closed,
                IConditionalPools.PoolState.Open
            )
        );
        pools.poke(id);
        PoolId unknown = pools.poolIdOf(bob, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.PoolUnknown.selector, unknown));
        pools.poke(unknown);
    }

    function test_swap_observesTheSpotBeforeItsOwnTrade() public {
        PoolId id = _createDefault();
        _next(12);
        _swap(bob, id, true, 200e18); // observation: seed spot (2e18) -> unchanged
        (uint128 obs,) = pools.observation(id);
        assertEq(obs, 2e18, "the trade's own price move is not observed");
        uint256 spotAfter = pools.spotPrice(id);
        _next(12);
        _swap(carol, id, false, 1e18); // observes the spot bob left
        (obs,) = pools.observation(id);
        assertEq(obs, TwapOracle.nextObservation(2e18, spotAfter, STEP));
    }

    function test_twoSwapsInOneBlockRecordOneObservation() public {
        PoolId id = _createDefault();
        _next(12);
        _swap(bob, id, true, 200e18);
        _next(12);
        uint256 spot1 = pools.spotPrice(id);
        _swap(bob, id, true, 50e18); // records from spot1
        (uint128 obs1, uint64 b1) = pools.observation(id);
        assertEq(obs1, TwapOracle.nextObservation(2e18, spot1, STEP));
        _swap(carol, id, false, 300e18); // same block: nothing recorded
        (uint128 obs2, uint64 b2) = pools.observation(id);
        assertEq(obs2, obs1, "one observation per block");
        assertEq(b2, b1);
    }

    function test_priceMovedAndReversedWithinABlockIsNeverObserved() public {
        PoolId id = _createDefault();
        _next(12);
        uint256 bobQ = _bal(bob, Q);
        uint256 out = _swap(bob, id, false, 1_500e18); // pumps the metric's price far up
        assertGt(pools.spotPrice(id), 4e18, "moved");
        _swap(bob, id, true, out); // and back, same block
        assertLt(bobQ - _bal(bob, Q), 1_500e18, "the round trip cost bob only fees");
        (uint128 obs,) = pools.observation(id);
        assertEq(obs, 2e18, "observation unchanged within the block");
        // next block: the spot is back within a hair of the reference, the observation barely moves
        _next(12);
        pools.poke(id);
        (obs,) = pools.observation(id);
        assertApproxEqRel(obs, 2e18, 0.01e18, "the pump left no trace beyond fees");
        assertLe(obs, 2e18 + STEP);
    }

    function test_twap_revertsBeforeCountedTime() public {
        PoolId id = _createDefault();
        uint64 countFrom = uint64(block.timestamp) + DELAY;
        vm.warp(countFrom);
        vm.expectRevert(abi.encodeWithSelector(TwapOracle.TwapNoCountedTime.selector, countFrom, countFrom));
        pools.twap(id);
        vm.warp(countFrom + 1);
        assertEq(pools.twap(id), 2e18, "at rest: the reference");
    }

    function test_twap_averagesObservationsAndFreezesAtEnd() public {
        PoolId id = _createDefault();
        uint256 t0 = block.timestamp;
        uint256 countFrom = t0 + DELAY;
        uint256 end = t0 + DURATION;
        // trade after the delay so the oracle moves
        _next(DELAY + 600);
        _swap(bob, id, false, 500e18); // observed 2e18 (at rest), price moves up
        uint256 tA = block.timestamp;
        _next(600);
        pools.poke(id); // observation 2e18 + STEP from tB
        uint256 tB = block.timestamp;
        _next(3_000);
        pools.poke(id); // 2e18 + 2 STEP from tC
        uint256 tC = block.timestamp;
        uint256 expected = (2e18 * (tB - countFrom) + (2e18 + uint256(STEP)) * (tC - tB)
                + (2e18 + 2 * uint256(STEP)) * (end - tC)) / (end - countFrom);
        assertLt(tA, tB);

        vm.warp(end - 1);
        uint256 before = pools.twap(id);
        assertLt(before, expected + 1, "still counting");
        vm.warp(end);
        assertEq(pools.twap(id), expected, "average over [countFrom, end)");
        vm.warp(end + 365 days);
        vm.roll(block.number + 100);
        assertEq(pools.twap(id), expected, "frozen after end");
    }

    // ================================================================ transfers and reentry

    function test_receiverHooks_refuseUnsolicitedTransfers() public {
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.TransferUnsolicited.selector, bob, address(vault)));
        vault.safeTransferFrom(bob, address(pools), PositionId.unwrap(M), 1e18, "");

        uint256[] memory ids = new uint256[](1);
        uint256[] memory amounts = new uint256[](1);
        ids[0] = PositionId.unwrap(M);
        amounts[0] = 1e18;
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.TransferUnsolicited.selector, bob, address(vault)));
        vault.safeBatchTransferFrom(bob, address(pools), ids, amounts, "");

        // an operator approved by bob (here carol) cannot push positions in either
        vm.prank(bob);
        vault.setApprovalForAll(carol, true);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.TransferUnsolicited.selector, carol, address(vault)));
        vault.safeTransferFrom(bob, address(pools), PositionId.unwrap(M), 1e18, "");
    }

    function test_receiverHooks_refuseCallsFromOtherContracts() public {
        // another contract claiming the pools as operator
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.TransferUnsolicited.selector, address(pools), carol));
        pools.onERC1155Received(address(pools), bob, 1, 1, "");
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IConditionalPools.TransferUnsolicited.selector, address(pools), carol));
        pools.onERC1155BatchReceived(address(pools), bob, new uint256[](0), new uint256[](0), "");
        // the real vault with the pools as operator is accepted
        vm.prank(address(vault));
        assertEq(pools.onERC1155Received(address(pools), bob, 1, 1, ""), IERC1155Receiver.onERC1155Received.selector);
    }

    function test_swapAndRemoval_refusePayingThePoolsContractItself() public {
        PoolId id = _createDefault();
        bytes memory err =
            abi.encodeWithSelector(IConditionalPools.TransferUnsolicited.selector, address(pools), address(vault));
        vm.prank(bob);
        vm.expectRevert(err);
        pools.swap(id, true, 1e18, 0, address(pools));
        vm.prank(alice);
        vm.expectRevert(err);
        pools.removeLiquidity(id, 1e18, 0, 0, address(pools));
        _assertHoldingsMatchReserves(id);
    }

    function test_supportsInterface_erc1155ReceiverAndErc165() public view {
        assertTrue(pools.supportsInterface(type(IERC1155Receiver).interfaceId));
        assertTrue(pools.supportsInterface(type(IERC165).interfaceId));
        assertFalse(pools.supportsInterface(0xffffffff));
    }

    function test_swap_refusesAReceiverThatReenters() public {
        PoolId id = _createDefault();
        ReentrantERC1155Receiver r = new ReentrantERC1155Receiver();
        // bob gives the receiver positions to trade with, then it approves the pools
        vm.startPrank(bob);
        vault.safeTransferFrom(bob, address(r), PositionId.unwrap(M), 10e18, "");
        vault.safeTransferFrom(bob, address(r), PositionId.unwrap(Q), 10e18, "");
        vm.stopPrank();
        r.execute(address(vault), abi.encodeCall(vault.setApprovalForAll, (address(pools), true)));

        bytes memory reenter = abi.encodeCall(pools.swap, (id, true, 1e18, 0, address(r)));
        r.arm(address(pools), reenter);
        (uint256 rM, uint256 rQ) = _reserves(id);
        uint256 expected = CpmmMath.amountOut(rM, rQ, 1e18, FEE);
        vm.prank(bob);
        pools.swap(id, true, 1e18, 0, address(r)); // pays the receiver, whose hook reenters

        assertTrue(r.reentered(), "hook ran");
        assertFalse(r.reentrySucceeded(), "reentry refused");
        assertEq(r.reentryReturnData(), abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector));
        (uint256 rM2, uint256 rQ2) = _reserves(id);
        assertEq(rM2, rM + 1e18, "only the outer swap happened");
        assertEq(rQ2, rQ - expected);
        _assertHoldingsMatchReserves(id);
    }

    function test_removeLiquidity_refusesAReceiverThatReenters() public {
        PoolId id = _createDefault();
        ReentrantERC1155Receiver r = new ReentrantERC1155Receiver();
        r.arm(address(pools), abi.encodeCall(pools.removeLiquidity, (id, 1e18, 0, 0, address(r))));
        _remove(alice, id, 1e18);
        vm.prank(alice);
        pools.removeLiquidity(id, 1e18, 0, 0, address(r));
        assertTrue(r.reentered());
        assertFalse(r.reentrySucceeded());
        assertEq(r.reentryReturnData(), abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector));
        _assertHoldingsMatchReserves(id);
    }

    // ================================================================ quotes and views

    function test_quoteSwap_equalsTheSwapsOutput() public {
        PoolId id = _createDefault();
        for (uint256 i; i < 6; ++i) {
            _next(12);
            bool metricIn = i % 2 == 0;
            uint256 amountIn = (i + 1) * 13e18 + i;
            uint256 quoted = pools.quoteSwap(id, metricIn, amountIn);
            assertEq(_swap(bob, id, metricIn, amountIn), quoted);
        }
    }

    function test_quoteSwapExactOut_isTheLeastInputForTheOutput() public {
        PoolId id = _createDefault();
        _next(12);
        _swap(bob, id, true, 77e18 + 5);
        for (uint256 i; i < 4; ++i) {
            bool metricIn = i % 2 == 1;
            uint256 want = (i + 1) * 9e18 + 3;
            uint256 amountIn = pools.quoteSwapExactOut(id, metricIn, want);
            assertGe(pools.quoteSwap(id, metricIn, amountIn), want, "enough");
            assertLt(pools.quoteSwap(id, metricIn, amountIn - 1), want, "least");
            uint256 snap = vm.snapshotState();
            assertGe(_swap(carol, id, metricIn, amountIn), want, "the swap pays it");
            vm.revertToState(snap);
        }
    }

    function test_views_revertOnUnknownPool() public {
        PoolId id = pools.poolIdOf(bob, bytes32(uint256(9)));
        bytes memory err = abi.encodeWithSelector(IConditionalPools.PoolUnknown.selector, id);
        vm.expectRevert(err);
        pools.quoteSwap(id, true, 1);
        vm.expectRevert(err);
        pools.quoteSwapExactOut(id, true, 1);
        vm.expectRevert(err);
        pools.spotPrice(id);
        vm.expectRevert(err);
        pools.twap(id);
        vm.expectRevert(err);
        pools.observation(id);
        assertEq(pools.getPool(id).end, 0);
        assertEq(pools.sharesOf(id, bob), 0);
    }

    function test_constants_andVault() public view {
        assertEq(address(pools.vault()), address(vault));
        assertEq(pools.MAX_FEE_BPS(), 1_000);
        assertEq(pools.MINIMUM_SHARES(), 1_000);
    }

    // ================================================================ gas

    /// @dev Execution gas of a swap, measured in-test with the pools' and the vault's storage cooled first (as in a
    /// fresh transaction), excluding the 21k intrinsic gas and calldata; the benchmark (scripts/lib/gas) measures
    /// whole transactions. Repeat: the trader already holds both positions, a new block after the oracle's delay
    /// (the observation and the cumulative slot are written).
    function test_gas_swapRepeatInANewBlock() public {
        // The coverage run's bytecode is unoptimized and instrumented: its gas says nothing.
        vm.skip(TestProfile.isCoverage());
        PoolId id = _createDefault();
        _next(DELAY + 60);
        _swap(bob, id, true, 1e18);
        _next(60);
        uint256 repeat = _measureSwap(bob, id, true, 1e18);
        uint256 sameBlock = _measureSwap(bob, id, false, 1e18);
        _next(60);
        uint256 quoteIn = _measureSwap(bob, id, false, 1e18);
        console.log("gas swap (repeat, new block) %d, same block %d, quote in %d", repeat, sameBlock, quoteIn);
        assertLt(repeat, 75_000, "execution gas of a repeat swap in a new block");
    }

    function _measureSwap(address who, PoolId id, bool metricIn, uint256 amountIn) internal returns (uint256 used) {
        vm.cool(address(pools));
        vm.cool(address(vault));
        vm.prank(who);
        uint256 g = gasleft();
        pools.swap(id, metricIn, amountIn, 0, who);
        used = g - gasleft();
    }

    // ================================================================ helpers

    function _assertHoldingsMatchReserves(PoolId id) internal view {
        (uint256 rM, uint256 rQ) = _reserves(id);
        assertEq(_bal(address(pools), M), rM, "held metric = reserve");
        assertEq(_bal(address(pools), Q), rQ, "held quote = reserve");
    }
}
