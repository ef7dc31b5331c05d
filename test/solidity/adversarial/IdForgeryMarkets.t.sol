// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {LmsrMath} from "../../../contracts/markets/LmsrMath.sol";
import {PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId, PositionId} from "../../../contracts/types/MarketIds.sol";
import {MockERC20} from "../../mocks/MockERC20.sol";
import {AdversarialBase} from "./AdversarialBase.sol";

/// @notice Id forgery and collisions on the markets: unknown condition and pledge ids (including ids that differ from
/// real ones only in their high bits) on every external entry point of the maker and of BreachMarkets, one
/// table-driven test per contract, and positions of another collateral or another parent. (The registry, committee
/// and vault are in IdForgery.t.sol: one file overflows solc-wasm's memory under coverage.)
contract IdForgeryMarketAttacksTest is AdversarialBase {
    ILmsrMarketMaker.MarketState internal constant NONE = ILmsrMarketMaker.MarketState.None;

    function test_attack_forgedIds_makerEveryEntryPoint() public {
        uint256[] memory before = _snapshot();
        bytes32 books = _marketHash(conditionId);
        ConditionId[3] memory ids = _forgedConditions();
        vm.startPrank(attacker);
        for (uint256 i; i < ids.length; ++i) {
            ConditionId c = ids[i];
            bytes memory notOpen =
                abi.encodeWithSelector(ILmsrMarketMaker.UnexpectedMarketState.selector, c, NONE, ILmsrMarketMaker.MarketState.Open);
            vm.expectRevert(notOpen);
            maker.buy(c, BREACH, SHARES, type(uint256).max, block.timestamp, attacker);
            vm.expectRevert(notOpen);
            maker.sell(c, BREACH, SHARES, 0, block.timestamp, attacker);
            vm.expectRevert(notOpen);
            maker.quoteBuy(c, BREACH, SHARES);
            vm.expectRevert(notOpen);
            maker.quoteSell(c, BREACH, SHARES);
            vm.expectRevert(notOpen);
            maker.prices(c);
            vm.expectRevert(
                abi.encodeWithSelector(
                    ILmsrMarketMaker.UnexpectedMarketState.selector, c, NONE, ILmsrMarketMaker.MarketState.Resolved
                )
            );
            maker.withdraw(c, attacker);
            vm.expectRevert(
                abi.encodeWithSelector(ILmsrMarketMaker.MarketCreatorNotOracle.selector, c, attacker, address(0))
            );
            maker.createMarket(c, token, B, 0, attacker, NO_GATE);
        }
        // Outcome indexes past the condition's, including one that differs from BREACH only in its top bit.
        uint256[2] memory outcomes = [uint256(2), uint256(1) << 255];
        for (uint256 i; i < outcomes.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(LmsrMath.LmsrOutcomeOutOfRange.selector, outcomes[i], 2));
            maker.buy(conditionId, outcomes[i], SHARES, type(uint256).max, block.timestamp, attacker);
        }
        vm.stopPrank();
        assertEq(_marketHash(conditionId), books, "the real market's books are untouched");
        _assertUnchanged(before);
    }

    function test_attack_forgedIds_breachMarketsEveryEntryPoint() public {
        PledgeId noMarket = _create(); // a real pledge whose market was never opened
        uint256[] memory before = _snapshot();
        PledgeId[5] memory ids = _forgedPledgeIds();
        vm.startPrank(attacker);
        for (uint256 i; i < ids.length; ++i) {
            PledgeId id = ids[i];
            if (PledgeId.unwrap(id) > type(uint96).max) {
                vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketPledgeIdTooLarge.selector, id));
            } else {
                _expectPledgeState(id, IPledgeRegistry.PledgeState.None);
            }
            markets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
            vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, id));
            markets.withdrawSubsidy(id, attacker);
            vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, id));
            markets.resolve(id);
            address[] memory list = new address[](1);
            list[0] = bob;
            _expectPledgeState(id, IPledgeRegistry.PledgeState.None);
            markets.declareAffiliates(id, list);
            assertFalse(markets.isAffiliate(id, bob));
        }
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, noMarket));
        markets.withdrawSubsidy(noMarket, attacker);
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, noMarket));
        markets.resolve(noMarket);
        ConditionId[3] memory cs = _forgedConditions();
        for (uint256 i; i < cs.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketUnknown.selector, cs[i]));
            markets.checkTrade(cs[i], attacker, attacker, BREACH, true);
            assertEq(markets.marketOf(cs[i]).pledger, address(0));
        }
        vm.stopPrank();
        _assertUnchanged(before);
    }

    function test_attack_positionsOfAnotherCollateral_cannotReachTheRealBacking() public {
        // The attacker splits a worthless token on the real breach condition (anyone may split on any condition) and
        // tries to turn those positions into the real collateral: merge, sell to the maker, transfer in, redeem.
        MockERC20 junk = new MockERC20("Junk", "JUNK", 18);
        junk.mint(attacker, SHARES);
        _buy(alice, BREACH, SHARES);
        bytes32 books = _marketHash(conditionId);
        vm.startPrank(attacker);
        junk.approve(address(vault), SHARES);
        vault.split(junk, ROOT, conditionId, SHARES);
        uint256 realBreach = _pos(conditionId, BREACH);
        vm.expectRevert(
            abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, attacker, 0, SHARES, realBreach)
        );
        vault.merge(token, ROOT, conditionId, SHARES);
        vm.expectRevert(
            abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, attacker, 0, SHARES, realBreach)
        );
        maker.sell(conditionId, BREACH, SHARES, 0, block.timestamp, attacker);
        uint256 junkBreach = _posOf(junk, conditionId, BREACH);
        vm.expectRevert(
            abi.encodeWithSelector(ILmsrMarketMaker.MarketUnsolicitedPositions.selector, attacker, attacker)
        );
        vault.safeTransferFrom(attacker, address(maker), junkBreach, SHARES, "");
        vm.stopPrank();

        _breachAndResolve(pledgeId);
        vm.prank(attacker);
        assertEq(vault.redeem(token, ROOT, conditionId), 0, "no real position, no real payout");
        vm.prank(attacker);
        assertEq(vault.redeem(junk, ROOT, conditionId), SHARES, "junk positions pay junk");
        assertEq(junk.balanceOf(attacker), SHARES);
        assertEq(token.balanceOf(attacker), TRADER_FUNDS);
        vm.prank(alice);
        assertEq(vault.redeem(token, ROOT, conditionId), SHARES, "alice's backing intact");
        assertEq(_marketHash(conditionId), books);
    }

    function test_attack_nestedPositionsOfAnotherParent_cannotMergeIntoIt() public {
        // Children of parent BREACH cannot be merged into parent HONOR (or into a parent with a high bit flipped).
        ConditionId inner = vault.prepareCondition(keccak256("inner question"), 2);
        _buy(attacker, BREACH, SHARES);
        _buy(bob, HONOR, SHARES);
        uint256 breachPos = _pos(conditionId, BREACH);
        uint256 honorPos = _pos(conditionId, HONOR);
        vm.prank(attacker);
        vault.split(token, PositionId.wrap(breachPos), inner, SHARES);
        uint256[] memory before = _snapshot();

        uint256[2] memory parents = [honorPos, breachPos ^ (uint256(1) << 200)];
        for (uint256 i; i < parents.length; ++i) {
            uint256 wrongChild = PositionId.unwrap(vault.positionId(token, PositionId.wrap(parents[i]), inner, 0));
            vm.expectRevert(
                abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, attacker, 0, SHARES, wrongChild)
            );
            vm.prank(attacker);
            vault.merge(token, PositionId.wrap(parents[i]), inner, SHARES);
        }
        assertEq(vault.balanceOf(attacker, honorPos), 0);
        assertEq(vault.balanceOf(bob, honorPos), SHARES, "bob's HONOR untouched");
        assertEq(vault.balanceOf(attacker, breachPos), 0);
        vm.prank(attacker);
        vault.merge(token, PositionId.wrap(breachPos), inner, SHARES);
        assertEq(vault.balanceOf(attacker, breachPos), SHARES, "the right parent merges back");
        _assertUnchanged(before);
    }
}
