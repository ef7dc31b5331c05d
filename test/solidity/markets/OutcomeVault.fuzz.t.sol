// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {OutcomeVault} from "../../../contracts/markets/OutcomeVault.sol";
import {MockERC20} from "../../mocks/MockERC20.sol";
import {ConditionId, PositionId} from "../../../contracts/types/MarketIds.sol";

/// @notice Property tests of OutcomeVault: split/merge conserves collateral exactly (top-level and nested), and
/// redemption pays the reference `floor(sum_i balance_i * p_i / sum_i p_i)` per holder, never more in total than the
/// vault holds, leaving less than one unit of dust per redeemer.
contract OutcomeVaultFuzzTest is Test {
    PositionId internal constant ROOT = PositionId.wrap(0);
    uint256 internal constant NHOLD = 3;
    /// @dev The largest balance a position can hold (PackedERC1155: a uint128 per id).
    uint256 internal constant MAX_AMOUNT = type(uint128).max;

    OutcomeVault internal vault;
    MockERC20 internal token;
    IERC20 internal col;
    address internal oracle = makeAddr("oracle");
    address[NHOLD] internal holders;

    function setUp() public {
        vault = new OutcomeVault();
        token = new MockERC20("Collateral", "COL", 18);
        col = IERC20(address(token));
        for (uint256 h; h < NHOLD; ++h) {
            holders[h] = makeAddr(string.concat("holder", vm.toString(h)));
            token.mint(holders[h], MAX_AMOUNT);
            vm.prank(holders[h]);
            token.approve(address(vault), type(uint256).max);
        }
    }

    function _pos(PositionId parent, ConditionId c, uint256 i) internal view returns (uint256) {
        return PositionId.unwrap(vault.positionId(col, parent, c, i));
    }

    function testFuzz_split_thenMergeReturnsExactCollateral(
        uint256 outcomes,
        uint256 amount,
        uint256 mergeAmount,
        uint256 nestedOutcome,
        bool nested
    ) public {
        outcomes = _bound(outcomes, 2, vault.MAX_OUTCOMES());
        amount = _bound(amount, 1, MAX_AMOUNT);
        mergeAmount = _bound(mergeAmount, 1, amount);
        address alice = holders[0];
        vm.prank(oracle);
        ConditionId a = vault.prepareCondition("A", outcomes);
        vm.prank(oracle);
        ConditionId b = vault.prepareCondition("B", 3);

        vm.startPrank(alice);
        vault.split(col, ROOT, a, amount);
        if (nested) {
            PositionId parent = PositionId.wrap(_pos(ROOT, a, _bound(nestedOutcome, 0, outcomes - 1)));
            vault.split(col, parent, b, amount);
            vault.merge(col, parent, b, mergeAmount);
            assertEq(vault.balanceOf(alice, PositionId.unwrap(parent)), mergeAmount);
            if (mergeAmount < amount) vault.merge(col, parent, b, amount - mergeAmount);
            assertEq(vault.balanceOf(alice, PositionId.unwrap(parent)), amount);
            for (uint256 i; i < 3; ++i) {
                assertEq(vault.balanceOf(alice, _pos(parent, b, i)), 0);
            }
        }
        vault.merge(col, ROOT, a, mergeAmount);
        assertEq(token.balanceOf(alice), MAX_AMOUNT - amount + mergeAmount);
        assertEq(vault.collateralHeld(col), amount - mergeAmount);
        if (mergeAmount < amount) vault.merge(col, ROOT, a, amount - mergeAmount);
        vm.stopPrank();
        assertEq(token.balanceOf(alice), MAX_AMOUNT);
        assertEq(vault.collateralHeld(col), 0);
        for (uint256 i; i < outcomes; ++i) {
            assertEq(vault.balanceOf(alice, _pos(ROOT, a, i)), 0);
        }
    }

    function testFuzz_redeem_paysReferenceAndNeverMoreThanHeld(
        uint256 outcomes,
        uint256 total,
        uint256[8] memory payoutSeeds,
        uint256[8][2] memory shareSeeds,
        bool smallPayouts
    ) public {
        outcomes = _bound(outcomes, 2, vault.MAX_OUTCOMES());
        total = _bound(total, 1, MAX_AMOUNT);
        vm.prank(oracle);
        ConditionId c = vault.prepareCondition("Q", outcomes);
        vm.prank(holders[0]);
        vault.split(col, ROOT, c, total);

        // holder 0 hands arbitrary shares of each outcome to holders 1 and 2
        uint256[8][NHOLD] memory bal;
        for (uint256 i; i < outcomes; ++i) {
            uint256 id = _pos(ROOT, c, i);
            uint256 left = total;
            for (uint256 h = 1; h < NHOLD; ++h) {
                uint256 give = _bound(shareSeeds[h - 1][i], 0, left);
                left -= give;
                bal[h][i] = give;
                vm.prank(holders[0]);
                vault.safeTransferFrom(holders[0], holders[h], id, give, "");
            }
            bal[0][i] = left;
        }

        // any valid payout vector: each numerator below 2^61 so that the sum stays under the cap
        uint256[] memory p = new uint256[](outcomes);
        uint256 den;
        for (uint256 i; i < outcomes; ++i) {
            p[i] = _bound(payoutSeeds[i], 0, smallPayouts ? 5 : (1 << 61) - 1);
            den += p[i];
        }
        if (den == 0) {
            p[outcomes - 1] = 1;
            den = 1;
        }
        vm.prank(oracle);
        vault.reportPayouts("Q", p);

        uint256 paid;
        for (uint256 h; h < NHOLD; ++h) {
            paid += _redeemAndCheck(c, h, bal[h], p, den);
            assertLe(paid, total, "never pays more than it holds");
        }
        assertEq(vault.collateralHeld(col), total - paid);
        assertLt(total - paid, NHOLD, "dust below one unit per redeemer");
    }

    /// @dev Holder `h` redeems; checks the payout against the reference formula and that every position was burned.
    function _redeemAndCheck(ConditionId c, uint256 h, uint256[8] memory bal, uint256[] memory p, uint256 den)
        internal
        returns (uint256 got)
    {
        uint256 weighted;
        for (uint256 i; i < p.length; ++i) {
            weighted += bal[i] * p[i];
        }
        uint256 expected = weighted / den;
        uint256 before = token.balanceOf(holders[h]);
        vm.prank(holders[h]);
        got = vault.redeem(col, ROOT, c);
        assertEq(got, expected, "reference payout");
        assertEq(token.balanceOf(holders[h]) - before, expected, "paid in collateral");
        for (uint256 i; i < p.length; ++i) {
            assertEq(vault.balanceOf(holders[h], _pos(ROOT, c, i)), 0, "all burned");
        }
    }
}
