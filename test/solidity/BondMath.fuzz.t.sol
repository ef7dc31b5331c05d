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

    function testFuzz_splitCeil_sumsExactlyAndIsCeil(uint256 amount, uint256 bps) public pure {
        amount = bound(amount, 0, type(uint128).max);
        bps = bound(bps, 0, BPS);
        (uint256 share, uint256 rest) = BondMath.splitCeil(amount, bps);
        assertEq(share + rest, amount);
        // The ceiling, characterised without division: (share - 1) * BPS < amount * bps <= share * BPS.
        assertGe(share * BPS, amount * bps);
        if (share > 0) assertLt((share - 1) * BPS, amount * bps);
        assertLe(share, amount);
    }

    function test_splitCeil_edges() public pure {
        (uint256 share, uint256 rest) = BondMath.splitCeil(9_999, 1);
        assertEq(share, 1, "any non-zero rate on a non-zero amount takes at least 1 wei");
        assertEq(rest, 9_998);
        (share, rest) = BondMath.splitCeil(10_000, 1);
        assertEq(share, 1, "exact division is not rounded up further");
        (share, rest) = BondMath.splitCeil(0, BPS);
        assertEq(share, 0);
        (share, rest) = BondMath.splitCeil(type(uint128).max, BPS);
        assertEq(share, type(uint128).max);
        assertEq(rest, 0);
        (share, rest) = BondMath.splitCeil(type(uint128).max, 0);
        assertEq(share, 0);
        assertEq(rest, type(uint128).max);
    }

    /// @dev Reference: doubling by repeated multiplication in 512-bit-safe steps (stop once past the cap).
    function _reference(uint128 base, uint8 rejected, uint128 cap) private pure returns (uint256 bond) {
        bond = base;
        for (uint256 i = 0; i < rejected && bond <= cap; ++i) {
            bond *= 2;
        }
        if (bond > cap) bond = cap;
    }

    function testFuzz_escalatedBond_matchesCappedDoubling(uint128 base, uint8 rejected, uint128 cap) public pure {
        assertEq(BondMath.escalatedBond(base, rejected, cap), _reference(base, rejected, cap));
    }

    function testFuzz_escalatedBond_isMonotonicAndBounded(uint128 base, uint8 rejected, uint128 cap) public pure {
        vm.assume(rejected < type(uint8).max);
        cap = uint128(bound(cap, base, type(uint128).max)); // the registry passes cap >= base
        uint128 next = BondMath.escalatedBond(base, rejected + 1, cap);
        uint128 current = BondMath.escalatedBond(base, rejected, cap);
        assertGe(next, current);
        assertGe(current, base);
        assertLe(current, cap);
    }

    function test_escalatedBond_edges() public pure {
        uint128 max = type(uint128).max;
        assertEq(BondMath.escalatedBond(1, 0, max), 1);
        assertEq(BondMath.escalatedBond(1, 63, max), 1 << 63);
        assertEq(BondMath.escalatedBond(1, 127, max), uint128(1) << 127);
        assertEq(BondMath.escalatedBond(1, 128, max), max, "2^128 is past every uint128 cap");
        assertEq(BondMath.escalatedBond(1, 255, max), max);
        assertEq(BondMath.escalatedBond(max, 255, max), max, "no overflow at the largest inputs");
        assertEq(BondMath.escalatedBond(max, 1, max), max);
        assertEq(BondMath.escalatedBond(100, 3, 1000), 800);
        assertEq(BondMath.escalatedBond(100, 4, 1000), 1000, "capped");
        assertEq(BondMath.escalatedBond(0, 10, max), 0);
    }
}
