// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;


import {LmsrMath} from "../../../contracts/markets/LmsrMath.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {AdversarialBase} from "./AdversarialBase.sol";

/// @notice Rounding and dust: splitting an order never makes it cheaper, buy/sell round trips in any pieces never
/// profit (with or without a fee), and odd payout vectors redeem rounding down, never for more than the backing.
contract RoundingAttacksTest is AdversarialBase {
    uint256 internal constant ORDER = 1_000e18 + 13;

    /// @dev A market in `token` opened by this contract with fee `feeBps`.
    function _marketWithFee(bytes32 q, uint16 feeBps) internal returns (ConditionId c) {
        c = vault.prepareCondition(q, 2);
        uint256 paid = LmsrMath.subsidy(B, 2);
        token.mint(address(this), paid);
        token.approve(address(maker), paid);
        maker.createMarket(c, token, B, feeBps, sponsor, NO_GATE);
    }

    function test_attack_orderSplitting_neverCheaperThanOneBuy() public {
        (ConditionId whole,) = _marketIn(token, keccak256("whole"), B);
        (ConditionId split,) = _marketIn(token, keccak256("split"), B);
        uint256 one = _buy(alice, whole, BREACH, ORDER);
        uint256 pieces;
        uint256 piece = ORDER / 7;
        for (uint256 i; i < 7; ++i) {
            pieces += _buy(bob, split, BREACH, i == 6 ? ORDER - 6 * piece : piece);
        }
        assertGe(pieces, one, "seven pieces cost less than one order");
        assertEq(_sold(whole, BREACH), _sold(split, BREACH));
        assertEq(maker.prices(whole)[BREACH], maker.prices(split)[BREACH], "same state, same price");
        // Dust orders are never free: every 1-wei buy pays at least 1 wei.
        for (uint256 i; i < 20; ++i) {
            assertGe(_buy(alice, split, HONOR, 1), 1, "a free wei");
        }
    }

    function test_attack_roundTripInPieces_neverProfits() public {
        ConditionId[2] memory cs = [_marketWithFee(keccak256("no fee"), 0), _marketWithFee(keccak256("fee"), 150)];
        for (uint256 m; m < 2; ++m) {
            ConditionId c = cs[m];
            // One buy, sold back in 13 pieces.
            uint256 cost = _buy(alice, c, HONOR, ORDER);
            uint256 back;
            uint256 piece = ORDER / 13;
            for (uint256 i; i < 13; ++i) {
                back += _sellFor(alice, c, HONOR, i == 12 ? ORDER - 12 * piece : piece, alice);
            }
            assertLe(back, cost, "buy once, sell in pieces: profit");
            // Eleven buys, sold back at once.
            uint256 costs;
            piece = ORDER / 11;
            for (uint256 i; i < 11; ++i) {
                costs += _buy(bob, c, BREACH, i == 10 ? ORDER - 10 * piece : piece);
            }
            assertLe(_sellFor(bob, c, BREACH, ORDER, bob), costs, "buy in pieces, sell once: profit");
            assertEq(_sold(c, HONOR) + _sold(c, BREACH), 0, "everything sold back");
        }
        assertLe(token.balanceOf(alice), TRADER_FUNDS);
        assertLe(token.balanceOf(bob), TRADER_FUNDS);
    }

    function test_attack_oddPayouts_redeemRoundsDownNeverMoreThanBacking() public {
        bytes32 q2 = keccak256("payouts 1:2");
        bytes32 q3 = keccak256("payouts 1:1:1");
        ConditionId c2 = vault.prepareCondition(q2, 2);
        ConditionId c3 = vault.prepareCondition(q3, 3);
        address[3] memory holders = [alice, bob, stranger];
        uint256[3] memory amounts = [uint256(1_000_001), 333, 7];
        uint256 vaultBefore = token.balanceOf(address(vault));
        for (uint256 i; i < 3; ++i) {
            vm.startPrank(holders[i]);
            token.approve(address(vault), type(uint256).max);
            vault.split(token, ROOT, c2, amounts[i]);
            vm.stopPrank();
        }
        vm.startPrank(alice);
        vault.split(token, ROOT, c3, 10);
        vault.safeTransferFrom(alice, bob, _pos(c2, 1), 500_000, "");
        vault.safeTransferFrom(alice, bob, _pos(c3, 0), 1, "");
        vault.safeTransferFrom(alice, stranger, _pos(c3, 1), 1, "");
        vm.stopPrank();
        vault.reportPayouts(q2, _payouts(1, 2));
        uint256[] memory even = new uint256[](3);
        (even[0], even[1], even[2]) = (1, 1, 1);
        vault.reportPayouts(q3, even);

        // Worked by hand, floor((sum_i balance_i * numerator_i) / denominator):
        // c2 [1, 2]: alice (1_000_001, 500_001) -> 2_000_003 / 3 = 666_667; bob (333, 500_333) -> 1_000_999 / 3 =
        // 333_666; stranger (7, 7) -> 21 / 3 = 7. c3 [1, 1, 1]: alice (9, 9, 10) -> 28 / 3 = 9; bob (1, 0, 0) and
        // stranger (0, 1, 0) -> 1 / 3 = 0.
        uint256[3] memory expected2 = [uint256(666_667), 333_666, 7];
        uint256[3] memory expected3 = [uint256(9), 0, 0];
        uint256 paid;
        for (uint256 i; i < 3; ++i) {
            vm.startPrank(holders[i]);
            assertEq(vault.redeem(token, ROOT, c2), expected2[i], "1:2 payout");
            assertEq(vault.redeem(token, ROOT, c3), expected3[i], "1:1:1 payout");
            assertEq(vault.redeem(token, ROOT, c2), 0, "a second redemption pays nothing");
            vm.stopPrank();
            paid += expected2[i] + expected3[i];
        }
        uint256 backing = 1_000_001 + 333 + 7 + 10;
        assertEq(paid, backing - 2, "one wei of dust per condition, kept by the vault");
        assertEq(token.balanceOf(address(vault)), vaultBefore + 2);
    }
}
