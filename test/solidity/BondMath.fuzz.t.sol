// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {BondMath} from "../../contracts/registry/BondMath.sol";

/// @notice Fuzz tests of BondMath over its whole documented domain: amount < 2^128, bps <= 10_000.
contract BondMathFuzzTest is Test {
    uint256 internal constant BPS = 10_000;

    function testFuzz_split_sumsExactly(uint256 amount, uint256 bps) public pure {
        amount = bound(amount, 0, type(uint128).max);
        bps = bound(bps, 0, BPS);
        (uint256 share, uint256 rest) = BondMath.split(amount, bps);
        assertEq(share + rest, amount);
    }

    function testFuzz_split_shareIsFloor(uint256 amount, uint256 bps) public pure {
        amount = bound(amount, 0, type(uint128).max);
        bps = bound(bps, 0, BPS);
        (uint256 share,) = BondMath.split(amount, bps);
        assertEq(share, amount * bps / BPS);
        // The floor, characterised without division: share * BPS <= amount * bps < (share + 1) * BPS.
        assertLe(share * BPS, amount * bps);
        assertLt(amount * bps, (share + 1) * BPS);
        assertLe(share, amount);
    }

    function test_split_edges() public pure {
        (uint256 share, uint256 rest) = BondMath.split(9_999, 1);
        assertEq(share, 0, "dust rounds to the rest");
        assertEq(rest, 9_999);
        (share, rest) = BondMath.split(type(uint128).max, BPS);
        assertEq(share, type(uint128).max);
        assertEq(rest, 0);
        (share, rest) = BondMath.split(type(uint128).max, 0);
        assertEq(share, 0);
        assertEq(rest, type(uint128).max);
    }

    function testFuzz_escalatedBond_matchesCappedDoubling(uint128 base, uint8 rejected) public pure {
        uint256 n = rejected < 64 ? rejected : 64;
        uint256 expected = uint256(base) * (2 ** n);
        if (expected > type(uint128).max) expected = type(uint128).max;
        assertEq(BondMath.escalatedBond(base, rejected), expected);
    }

    function testFuzz_escalatedBond_isMonotonic(uint128 base, uint8 rejected) public pure {
        vm.assume(rejected < type(uint8).max);
        assertGe(BondMath.escalatedBond(base, rejected + 1), BondMath.escalatedBond(base, rejected));
        assertGe(BondMath.escalatedBond(base, rejected), base);
    }

    function test_escalatedBond_edges() public pure {
        assertEq(BondMath.escalatedBond(1, 0), 1);
        assertEq(BondMath.escalatedBond(1, 63), 1 << 63);
        assertEq(BondMath.escalatedBond(1, 64), 1 << 64);
        assertEq(BondMath.escalatedBond(1, 65), 1 << 64, "no doubling past 64");
        assertEq(BondMath.escalatedBond(1, 255), 1 << 64);
        assertEq(BondMath.escalatedBond(type(uint128).max, 1), type(uint128).max);
        assertEq(BondMath.escalatedBond(uint128(1) << 127, 1), type(uint128).max, "2^128 saturates");
        assertEq(BondMath.escalatedBond((uint128(1) << 127) - 1, 1), type(uint128).max - 1);
        assertEq(BondMath.escalatedBond(0, 10), 0);
    }
}
