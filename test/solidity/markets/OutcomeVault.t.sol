// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {console} from "forge-std/console.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {OutcomeVault} from "../../../contracts/markets/OutcomeVault.sol";
import {PackedERC1155} from "../../../contracts/tokens/PackedERC1155.sol";
import {FeeOnTransferERC20} from "../../mocks/FeeOnTransferERC20.sol";
import {MockERC20} from "../../mocks/MockERC20.sol";
import {ReentrantERC1155Receiver} from "../../mocks/ReentrantERC1155Receiver.sol";
import {ConditionId, PositionId} from "../../../contracts/types/MarketIds.sol";

/// @notice Unit tests of OutcomeVault: every entry point, every custom error with its exact arguments, nested
/// positions, redemption rounding, fee-on-transfer refusal and reentrancy through ERC-1155 receiver hooks.
contract OutcomeVaultTest is Test {
    bytes32 internal constant Q_A = keccak256("question A");
    bytes32 internal constant Q_B = keccak256("question B");
    PositionId internal constant ROOT = PositionId.wrap(0);
    uint256 internal constant FUNDS = 1e30;

    OutcomeVault internal vault;
    MockERC20 internal token;
    IERC20 internal col;
    address internal oracle = makeAddr("oracle");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");

    function setUp() public {
        vault = new OutcomeVault();
        token = new MockERC20("Collateral", "COL", 18);
        col = IERC20(address(token));
        address[2] memory holders = [alice, bob];
        for (uint256 i; i < holders.length; ++i) {
            token.mint(holders[i], FUNDS);
            vm.prank(holders[i]);
            token.approve(address(vault), type(uint256).max);
        }
    }

    // ================================================================ helpers

    function _prepare(bytes32 q, uint256 n) internal returns (ConditionId) {
        vm.prank(oracle);
        return vault.prepareCondition(q, n);
    }

    function _report(bytes32 q, uint256[] memory payouts) internal {
        vm.prank(oracle);
        vault.reportPayouts(q, payouts);
    }

    function _pos(PositionId parent, ConditionId c, uint256 i) internal view returns (uint256) {
        return PositionId.unwrap(vault.positionId(col, parent, c, i));
    }

    function _split(address who, PositionId parent, ConditionId c, uint256 amount) internal {
        vm.prank(who);
        vault.split(col, parent, c, amount);
    }

    function _merge(address who, PositionId parent, ConditionId c, uint256 amount) internal {
        vm.prank(who);
        vault.merge(col, parent, c, amount);
    }

    function _redeem(address who, PositionId parent, ConditionId c) internal returns (uint256) {
        vm.prank(who);
        return vault.redeem(col, parent, c);
    }

    function _give(address from, address to, uint256 id, uint256 amount) internal {
        vm.prank(from);
        vault.safeTransferFrom(from, to, id, amount, "");
    }

    function _v2(uint256 a, uint256 b) internal pure returns (uint256[] memory v) {
        v = new uint256[](2);
        (v[0], v[1]) = (a, b);
    }

    function _v3(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory v) {
        v = new uint256[](3);
        (v[0], v[1], v[2]) = (a, b, c);
    }

    // ====================================================== prepareCondition

    function test_prepareCondition_storesOracleAndCountAndEmits() public {
        ConditionId expected = ConditionId.wrap(keccak256(abi.encode(oracle, Q_A, uint256(3))));
        vm.expectEmit(address(vault));
        emit IOutcomeVault.ConditionPrepared(expected, oracle, Q_A, 3);
        ConditionId c = _prepare(Q_A, 3);
        assertEq(ConditionId.unwrap(c), ConditionId.unwrap(expected));
        assertEq(ConditionId.unwrap(vault.conditionIdOf(oracle, Q_A, 3)), ConditionId.unwrap(expected));
        IOutcomeVault.Condition memory cond = vault.getCondition(c);
        assertEq(cond.oracle, oracle);
        assertEq(cond.outcomeCount, 3);
        assertEq(cond.payoutDenominator, 0);
        assertEq(cond.payoutNumerators.length, 0);
        assertEq(uint256(vault.conditionState(c)), uint256(IOutcomeVault.ConditionState.Prepared));
        assertEq(uint256(vault.conditionState(ConditionId.wrap(Q_B))), uint256(IOutcomeVault.ConditionState.None));
    }

    function test_prepareCondition_acceptsTwoToMaxOutcomes() public {
        _prepare(Q_A, 2);
        _prepare(Q_A, vault.MAX_OUTCOMES());
        assertEq(vault.MAX_OUTCOMES(), 8);
    }

    function test_prepareCondition_revertsWhenOutcomeCountInvalid() public {
        uint256[3] memory bad = [uint256(0), 1, 9];
        for (uint256 i; i < bad.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IOutcomeVault.OutcomeCountInvalid.selector, bad[i], 8));
            _prepare(Q_A, bad[i]);
        }
    }

    function test_prepareCondition_revertsWhenPreparedTwice() public {
        ConditionId c = _prepare(Q_A, 2);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOutcomeVault.UnexpectedConditionState.selector,
                c,
                IOutcomeVault.ConditionState.Prepared,
                IOutcomeVault.ConditionState.None
            )
        );
        _prepare(Q_A, 2);
        // once resolved, still refused, naming the state
        _report(Q_A, _v2(1, 0));
        vm.expectRevert(
            abi.encodeWithSelector(
                IOutcomeVault.UnexpectedConditionState.selector,
                c,
                IOutcomeVault.ConditionState.Resolved,
                IOutcomeVault.ConditionState.None
            )
        );
        _prepare(Q_A, 2);
    }

    function test_prepareCondition_sameQuestionByAnotherCallerIsAnotherCondition() public {
        ConditionId c1 = _prepare(Q_A, 2);
        vm.prank(bob);
        ConditionId c2 = vault.prepareCondition(Q_A, 2);
        assertTrue(ConditionId.unwrap(c1) != ConditionId.unwrap(c2));
        assertEq(vault.getCondition(c2).oracle, bob);
    }

    // ============================================================ positionId

    function test_positionId_matchesFormulaAndIsOrderDependent() public {
        ConditionId a = _prepare(Q_A, 2);
        ConditionId b = _prepare(Q_B, 2);
        uint256 base = uint256(keccak256(abi.encode(col, ROOT, a))) & ~uint256(0xff);
        assertEq(_pos(ROOT, a, 0), base);
        assertEq(_pos(ROOT, a, 1), base | 1);
        assertEq(_pos(ROOT, a, 255), base | 255);
        PositionId aThenB = PositionId.wrap(_pos(PositionId.wrap(_pos(ROOT, a, 0)), b, 0));
        PositionId bThenA = PositionId.wrap(_pos(PositionId.wrap(_pos(ROOT, b, 0)), a, 0));
        assertTrue(PositionId.unwrap(aThenB) != PositionId.unwrap(bThenA));
        assertTrue(_pos(ROOT, a, 0) != _pos(ROOT, a, 1));
    }

    function test_positionId_revertsWhenIndexOutgrowsTheLowByte() public {
        ConditionId a = _prepare(Q_A, 2);
        vm.expectRevert(abi.encodeWithSelector(IOutcomeVault.OutcomeIndexTooLarge.selector, 256, 255));
        vault.positionId(col, ROOT, a, 256);
    }

    // ================================================================= split

    function test_split_collateralMintsFullSet() public {
        ConditionId c = _prepare(Q_A, 3);
        vm.expectEmit(address(vault));
        emit IOutcomeVault.PositionSplit(alice, col, ROOT, c, 1001);
        _split(alice, ROOT, c, 1001);
        for (uint256 i; i < 3; ++i) {
            assertEq(vault.balanceOf(alice, _pos(ROOT, c, i)), 1001);
        }
        assertEq(vault.collateralHeld(col), 1001);
        assertEq(token.balanceOf(alice), FUNDS - 1001);
    }

    function test_split_revertsWhenAmountZero() public {
        ConditionId c = _prepare(Q_A, 2);
        vm.expectRevert(IOutcomeVault.AmountZero.selector);
        _split(alice, ROOT, c, 0);
    }

    function test_split_revertsWhenConditionUnknown() public {
        ConditionId c = ConditionId.wrap(Q_A);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOutcomeVault.UnexpectedConditionState.selector,
                c,
                IOutcomeVault.ConditionState.None,
                IOutcomeVault.ConditionState.Prepared
            )
        );
        _split(alice, ROOT, c, 1);
    }

    function test_split_revertsWhenResolved() public {
        ConditionId c = _prepare(Q_A, 2);
        _report(Q_A, _v2(1, 1));
        vm.expectRevert(
            abi.encodeWithSelector(
                IOutcomeVault.UnexpectedConditionState.selector,
                c,
                IOutcomeVault.ConditionState.Resolved,
                IOutcomeVault.ConditionState.Prepared
            )
        );
        _split(alice, ROOT, c, 1);
    }

    function test_split_revertsOnFeeOnTransferCollateral() public {
        FeeOnTransferERC20 fee = new FeeOnTransferERC20(100); // 1 %
        fee.mint(alice, 10_000);
        vm.prank(alice);
        fee.approve(address(vault), type(uint256).max);
        ConditionId c = _prepare(Q_A, 2);
        vm.expectRevert(
            abi.encodeWithSelector(IOutcomeVault.TokenTransferMismatch.selector, IERC20(address(fee)), 10_000, 9_900)
        );
        vm.prank(alice);
        vault.split(IERC20(address(fee)), ROOT, c, 10_000);
    }

    function test_split_revertsWithoutAllowanceOrFunds() public {
        ConditionId c = _prepare(Q_A, 2);
        address carol = makeAddr("carol");
        vm.expectRevert(); // ERC20InsufficientAllowance from the token
        _split(carol, ROOT, c, 1);
    }

    function test_split_nestedBurnsParentAndMintsChildren() public {
        ConditionId a = _prepare(Q_A, 2);
        ConditionId b = _prepare(Q_B, 3);
        _split(alice, ROOT, a, 500);
        PositionId a0 = PositionId.wrap(_pos(ROOT, a, 0));
        vm.expectEmit(address(vault));
        emit IOutcomeVault.PositionSplit(alice, col, a0, b, 200);
        _split(alice, a0, b, 200);
        assertEq(vault.balanceOf(alice, PositionId.unwrap(a0)), 300);
        assertEq(vault.balanceOf(alice, _pos(ROOT, a, 1)), 500);
        for (uint256 i; i < 3; ++i) {
            assertEq(vault.balanceOf(alice, _pos(a0, b, i)), 200);
        }
        assertEq(vault.collateralHeld(col), 500); // nesting moves no collateral
    }

    function test_split_nestedRevertsWhenParentBalanceShort() public {
        ConditionId a = _prepare(Q_A, 2);
        ConditionId b = _prepare(Q_B, 2);
        _split(alice, ROOT, a, 10);
        uint256 a0 = _pos(ROOT, a, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, alice, 10, 11, a0)
        );
        _split(alice, PositionId.wrap(a0), b, 11);
    }

    function test_split_revertsAboveTheBalanceCap() public {
        ConditionId c = _prepare(Q_A, 2);
        uint256 cap = type(uint128).max;
        token.mint(alice, cap);
        vm.expectRevert(
            abi.encodeWithSelector(PackedERC1155.PackedBalanceOverflow.selector, alice, _pos(ROOT, c, 0), 0, cap + 1)
        );
        _split(alice, ROOT, c, cap + 1);
        _split(alice, ROOT, c, cap - 1);
        vm.expectRevert(
            abi.encodeWithSelector(PackedERC1155.PackedBalanceOverflow.selector, alice, _pos(ROOT, c, 0), cap - 1, 2)
        );
        _split(alice, ROOT, c, 2);
        _split(alice, ROOT, c, 1); // exactly at the cap
        assertEq(vault.balanceOf(alice, _pos(ROOT, c, 1)), cap);
    }

    // ================================================================= merge

    function test_merge_collateralPaysBackExactly() public {
        ConditionId c = _prepare(Q_A, 3);
        _split(alice, ROOT, c, 1001);
        vm.expectEmit(address(vault));
        emit IOutcomeVault.PositionsMerged(alice, col, ROOT, c, 600);
        _merge(alice, ROOT, c, 600);
        for (uint256 i; i < 3; ++i) {
            assertEq(vault.balanceOf(alice, _pos(ROOT, c, i)), 401);
        }
        assertEq(vault.collateralHeld(col), 401);
        assertEq(token.balanceOf(alice), FUNDS - 401);
    }

    function test_merge_nestedRoundTripRestoresEverything() public {
        ConditionId a = _prepare(Q_A, 2);
        ConditionId b = _prepare(Q_B, 3);
        _split(alice, ROOT, a, 777);
        PositionId a0 = PositionId.wrap(_pos(ROOT, a, 0));
        _split(alice, a0, b, 777);
        assertEq(vault.balanceOf(alice, PositionId.unwrap(a0)), 0);
        vm.expectEmit(address(vault));
        emit IOutcomeVault.PositionsMerged(alice, col, a0, b, 777);
        _merge(alice, a0, b, 777);
        assertEq(vault.balanceOf(alice, PositionId.unwrap(a0)), 777);
        for (uint256 i; i < 3; ++i) {
            assertEq(vault.balanceOf(alice, _pos(a0, b, i)), 0);
        }
        _merge(alice, ROOT, a, 777);
        assertEq(token.balanceOf(alice), FUNDS);
        assertEq(vault.collateralHeld(col), 0);
    }

    function test_merge_revertsWhenSetIncomplete() public {
        ConditionId c = _prepare(Q_A, 2);
        _split(alice, ROOT, c, 10);
        uint256 id1 = _pos(ROOT, c, 1);
        _give(alice, bob, id1, 1);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, alice, 9, 10, id1));
        _merge(alice, ROOT, c, 10);
    }

    function test_merge_revertsWhenAmountZero() public {
        ConditionId c = _prepare(Q_A, 2);
        vm.expectRevert(IOutcomeVault.AmountZero.selector);
        _merge(alice, ROOT, c, 0);
    }

    function test_merge_revertsWhenUnknownOrResolved() public {
        ConditionId c = _prepare(Q_A, 2);
        _split(alice, ROOT, c, 10);
        ConditionId unknown = ConditionId.wrap(Q_B);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOutcomeVault.UnexpectedConditionState.selector,
                unknown,
                IOutcomeVault.ConditionState.None,
                IOutcomeVault.ConditionState.Prepared
            )
        );
        _merge(alice, ROOT, unknown, 1);
        _report(Q_A, _v2(1, 1));
        vm.expectRevert(
            abi.encodeWithSelector(
                IOutcomeVault.UnexpectedConditionState.selector,
                c,
                IOutcomeVault.ConditionState.Resolved,
                IOutcomeVault.ConditionState.Prepared
            )
        );
        _merge(alice, ROOT, c, 10);
    }

    // ========================================================== reportPayouts

    function test_reportPayouts_storesNumeratorsAndDenominatorAndEmits() public {
        ConditionId c = _prepare(Q_A, 3);
        uint256[] memory p = _v3(1, 0, 2);
        vm.expectEmit(address(vault));
        emit IOutcomeVault.PayoutReported(c, oracle, Q_A, p);
        vm.prank(oracle);
        ConditionId r = vault.reportPayouts(Q_A, p);
        assertEq(ConditionId.unwrap(r), ConditionId.unwrap(c));
        IOutcomeVault.Condition memory cond = vault.getCondition(c);
        assertEq(cond.payoutDenominator, 3);
        assertEq(cond.payoutNumerators, p);
        assertEq(uint256(vault.conditionState(c)), uint256(IOutcomeVault.ConditionState.Resolved));
    }

    function test_reportPayouts_revertsWhenCallerIsNotTheOracle() public {
        _prepare(Q_A, 2);
        ConditionId bobs = vault.conditionIdOf(bob, Q_A, 2);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOutcomeVault.UnexpectedConditionState.selector,
                bobs,
                IOutcomeVault.ConditionState.None,
                IOutcomeVault.ConditionState.Prepared
            )
        );
        vm.prank(bob);
        vault.reportPayouts(Q_A, _v2(1, 0));
    }

    function test_reportPayouts_revertsWhenLengthMismatch() public {
        ConditionId c = _prepare(Q_A, 3);
        vm.expectRevert(abi.encodeWithSelector(IOutcomeVault.PayoutLengthMismatch.selector, c, 2, 3));
        _report(Q_A, _v2(1, 0));
        vm.expectRevert(abi.encodeWithSelector(IOutcomeVault.PayoutLengthMismatch.selector, c, 1, 3));
        _report(Q_A, new uint256[](1));
    }

    function test_reportPayouts_revertsWhenAllZero() public {
        ConditionId c = _prepare(Q_A, 3);
        vm.expectRevert(abi.encodeWithSelector(IOutcomeVault.PayoutAllZero.selector, c));
        _report(Q_A, _v3(0, 0, 0));
    }

    function test_reportPayouts_revertsWhenReportedTwice() public {
        ConditionId c = _prepare(Q_A, 2);
        _report(Q_A, _v2(0, 1));
        vm.expectRevert(
            abi.encodeWithSelector(
                IOutcomeVault.UnexpectedConditionState.selector,
                c,
                IOutcomeVault.ConditionState.Resolved,
                IOutcomeVault.ConditionState.Prepared
            )
        );
        _report(Q_A, _v2(1, 0));
        assertEq(vault.getCondition(c).payoutNumerators, _v2(0, 1)); // final
    }

    function test_reportPayouts_revertsWhenDenominatorTooLarge() public {
        ConditionId c = _prepare(Q_A, 2);
        uint256 max = vault.MAX_PAYOUT_DENOMINATOR();
        vm.expectRevert(
            abi.encodeWithSelector(IOutcomeVault.PayoutDenominatorTooLarge.selector, c, max + 1, max)
        );
        _report(Q_A, _v2(max, 1));
        _report(Q_A, _v2(max - 1, 1)); // exactly at the cap is fine
    }

    // ================================================================ redeem

    function test_redeem_binaryOddPayoutsRoundDown() public {
        ConditionId c = _prepare(Q_A, 2);
        _split(alice, ROOT, c, 10);
        _give(alice, bob, _pos(ROOT, c, 0), 1);
        _report(Q_A, _v2(1, 2));
        // alice: floor((9*1 + 10*2) / 3) = 9 (dust 2/3); bob: floor(1*1 / 3) = 0 (dust 1/3)
        vm.expectEmit(address(vault));
        emit IOutcomeVault.PayoutRedeemed(alice, col, ROOT, c, 9);
        assertEq(_redeem(alice, ROOT, c), 9);
        assertEq(_redeem(bob, ROOT, c), 0);
        assertEq(token.balanceOf(alice), FUNDS - 10 + 9);
        assertEq(token.balanceOf(bob), FUNDS);
        assertEq(vault.collateralHeld(col), 1); // the dust stays
        assertEq(vault.balanceOf(alice, _pos(ROOT, c, 0)), 0);
        assertEq(vault.balanceOf(alice, _pos(ROOT, c, 1)), 0);
        assertEq(vault.balanceOf(bob, _pos(ROOT, c, 0)), 0);
    }

    function test_redeem_threeOutcomesEqualPayoutsLeaveDust() public {
        ConditionId c = _prepare(Q_A, 3);
        _split(alice, ROOT, c, 5);
        _give(alice, bob, _pos(ROOT, c, 2), 1);
        _report(Q_A, _v3(1, 1, 1));
        // alice: floor((5 + 5 + 4) / 3) = 4; bob: floor(1 / 3) = 0
        assertEq(_redeem(alice, ROOT, c), 4);
        assertEq(_redeem(bob, ROOT, c), 0);
        assertEq(vault.collateralHeld(col), 1);
    }

    function test_redeem_threeOutcomesSingleWinner() public {
        ConditionId c = _prepare(Q_A, 3);
        _split(alice, ROOT, c, 1000);
        _give(alice, bob, _pos(ROOT, c, 1), 400);
        _report(Q_A, _v3(0, 7, 0));
        assertEq(_redeem(bob, ROOT, c), 400);
        assertEq(_redeem(alice, ROOT, c), 600);
        assertEq(vault.collateralHeld(col), 0);
    }

    function test_redeem_nestedMintsParentThenParentRedeems() public {
        ConditionId a = _prepare(Q_A, 2);
        ConditionId b = _prepare(Q_B, 3);
        _split(alice, ROOT, a, 900);
        PositionId a0 = PositionId.wrap(_pos(ROOT, a, 0));
        _split(alice, a0, b, 900);
        _give(alice, bob, _pos(a0, b, 1), 300);
        _report(Q_B, _v3(1, 1, 0));
        // alice holds 900, 600, 900: floor((900 + 600) / 2) = 750 of a0; bob floor(300 / 2) = 150
        vm.expectEmit(address(vault));
        emit IOutcomeVault.PayoutRedeemed(alice, col, a0, b, 750);
        assertEq(_redeem(alice, a0, b), 750);
        assertEq(_redeem(bob, a0, b), 150);
        assertEq(vault.balanceOf(alice, PositionId.unwrap(a0)), 750);
        assertEq(vault.balanceOf(bob, PositionId.unwrap(a0)), 150);
        _report(Q_A, _v2(1, 0));
        assertEq(_redeem(alice, ROOT, a), 750);
        assertEq(_redeem(bob, ROOT, a), 150);
        assertEq(vault.collateralHeld(col), 0);
    }

    function test_redeem_revertsWhenNotResolved() public {
        ConditionId c = _prepare(Q_A, 2);
        _split(alice, ROOT, c, 10);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOutcomeVault.UnexpectedConditionState.selector,
                c,
                IOutcomeVault.ConditionState.Prepared,
                IOutcomeVault.ConditionState.Resolved
            )
        );
        _redeem(alice, ROOT, c);
    }

    function test_redeem_holdingNothingPaysZeroAndIsIdempotent() public {
        ConditionId c = _prepare(Q_A, 2);
        _split(alice, ROOT, c, 10);
        _report(Q_A, _v2(1, 0));
        assertEq(_redeem(bob, ROOT, c), 0);
        assertEq(_redeem(alice, ROOT, c), 10);
        assertEq(_redeem(alice, ROOT, c), 0); // everything was burned the first time
        assertEq(vault.collateralHeld(col), 0);
    }

    // ============================================================ reentrancy

    function _receiverWithPositions() internal returns (ReentrantERC1155Receiver r, ConditionId a, ConditionId b) {
        r = new ReentrantERC1155Receiver();
        token.mint(address(r), 1000);
        r.execute(address(token), abi.encodeCall(IERC20.approve, (address(vault), type(uint256).max)));
        a = _prepare(Q_A, 2);
        b = _prepare(Q_B, 2);
        r.execute(address(vault), abi.encodeCall(IOutcomeVault.split, (col, ROOT, a, 500)));
    }

    function _assertRefused(ReentrantERC1155Receiver r) internal view {
        assertTrue(r.reentered(), "hook ran");
        assertFalse(r.reentrySucceeded(), "reentry refused");
        assertEq(r.reentryReturnData(), abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector));
    }

    function test_reentrancy_splitDuringSplitHookIsRefused() public {
        (ReentrantERC1155Receiver r, ConditionId a,) = _receiverWithPositions();
        r.arm(address(vault), abi.encodeCall(IOutcomeVault.split, (col, ROOT, a, 1)));
        r.execute(address(vault), abi.encodeCall(IOutcomeVault.split, (col, ROOT, a, 100)));
        _assertRefused(r);
        assertEq(vault.balanceOf(address(r), _pos(ROOT, a, 0)), 600);
        assertEq(vault.collateralHeld(col), 600);
    }

    function test_reentrancy_mergeDuringSplitHookIsRefused() public {
        (ReentrantERC1155Receiver r, ConditionId a,) = _receiverWithPositions();
        r.arm(address(vault), abi.encodeCall(IOutcomeVault.merge, (col, ROOT, a, 500)));
        r.execute(address(vault), abi.encodeCall(IOutcomeVault.split, (col, ROOT, a, 100)));
        _assertRefused(r);
        assertEq(vault.collateralHeld(col), 600);
    }

    function test_reentrancy_redeemDuringNestedMergeHookIsRefused() public {
        (ReentrantERC1155Receiver r, ConditionId a, ConditionId b) = _receiverWithPositions();
        PositionId a0 = PositionId.wrap(_pos(ROOT, a, 0));
        r.execute(address(vault), abi.encodeCall(IOutcomeVault.split, (col, a0, b, 200)));
        _report(Q_A, _v2(1, 0)); // a resolved, b still open: merging on b mints a0 (a hook)
        r.arm(address(vault), abi.encodeCall(IOutcomeVault.redeem, (col, ROOT, a)));
        r.execute(address(vault), abi.encodeCall(IOutcomeVault.merge, (col, a0, b, 200)));
        _assertRefused(r);
        assertEq(vault.balanceOf(address(r), PositionId.unwrap(a0)), 500);
        assertEq(vault.collateralHeld(col), 500);
    }

    function test_reentrancy_splitDuringNestedRedeemHookIsRefused() public {
        (ReentrantERC1155Receiver r, ConditionId a, ConditionId b) = _receiverWithPositions();
        PositionId a0 = PositionId.wrap(_pos(ROOT, a, 0));
        r.execute(address(vault), abi.encodeCall(IOutcomeVault.split, (col, a0, b, 200)));
        _report(Q_B, _v2(1, 0)); // redeeming on b mints a0 (a hook)
        r.arm(address(vault), abi.encodeCall(IOutcomeVault.split, (col, ROOT, a, 1)));
        r.execute(address(vault), abi.encodeCall(IOutcomeVault.redeem, (col, a0, b)));
        _assertRefused(r);
        assertEq(vault.balanceOf(address(r), PositionId.unwrap(a0)), 500);
        assertEq(vault.balanceOf(address(r), _pos(a0, b, 0)), 0);
    }

    // ================================================================== gas

    /// @dev Execution gas measured in-test with the vault's and the token's storage cooled before each call (as in a
    /// fresh transaction), excluding the 21k intrinsic gas and calldata; the benchmark measures whole transactions.
    function test_gas_splitMergeRedeem() public {
        ConditionId c = _prepare(Q_A, 2);
        uint256 firstSplit = _measure(alice, abi.encodeCall(IOutcomeVault.split, (col, ROOT, c, 1000)));
        uint256 repeatSplit = _measure(alice, abi.encodeCall(IOutcomeVault.split, (col, ROOT, c, 1000)));
        uint256 mergeGas = _measure(alice, abi.encodeCall(IOutcomeVault.merge, (col, ROOT, c, 500)));
        _report(Q_A, _v2(1, 0));
        uint256 redeemGas = _measure(alice, abi.encodeCall(IOutcomeVault.redeem, (col, ROOT, c)));
        assertEq(token.balanceOf(alice), FUNDS); // 2000 split, 500 merged back, 1500 redeemed at [1, 0]
        console.log("gas split (first) %d, split (repeat) %d", firstSplit, repeatSplit);
        console.log("gas merge %d, redeem %d", mergeGas, redeemGas);
    }

    function _measure(address who, bytes memory callData) internal returns (uint256 used) {
        vm.cool(address(vault));
        vm.cool(address(token));
        vm.prank(who);
        uint256 g = gasleft();
        (bool ok,) = address(vault).call(callData);
        used = g - gasleft();
        assertTrue(ok);
    }
}
