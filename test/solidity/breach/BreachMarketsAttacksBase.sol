// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {ReentrantERC20} from "../../mocks/ReentrantERC20.sol";
import {PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {BreachFixture} from "./BreachFixture.sol";

/// @notice Helpers shared by the BreachMarkets attack files (split like the unit tests, see BreachMarketsTestBase).
abstract contract BreachMarketsAttacksBase is BreachFixture {

    /// @dev One outcome bought in the sponsor-cap scenarios: about three times the maker's inventory of it (the
    /// subsidy, ~693e18), so the maker splits the shortfall and ends with BIG_TRADE of the other outcome, none of it.
    uint256 internal constant BIG_TRADE = 2_000e18;

    /// @dev Opens a fresh pledge's market as `who` and has bob buy BIG_TRADE of HONOR in it.
    function _sponsoredWithHonorBought(address who)
        internal
        returns (PledgeId id, ConditionId c, uint256 paid, uint256 bobCost)
    {
        id = _create();
        (c, paid) = _openAs(who, id, LIQUIDITY, TRADE_FEE_BPS);
        _assertSponsor(id, who, paid);
        bobCost = _buy(bob, c, HONOR, BIG_TRADE);
        assertEq(maker.getMarket(c).sets, BIG_TRADE, "the maker split the shortfall");
        assertEq(vault.balanceOf(address(maker), _pos(c, BREACH)), BIG_TRADE);
        assertEq(vault.balanceOf(address(maker), _pos(c, HONOR)), 0);
        assertEq(maker.getMarket(c).cash, bobCost - (BIG_TRADE - paid));
    }

    /// @dev Withdraws `id`'s market as `who` to `to`, expecting the maker to hand BreachMarkets `received` and
    /// BreachMarkets to pay `amount` to `to` and set `toBeneficiary` aside for `excessTo`: burned at once when
    /// `excessTo` is the burn address, else credited (`excessOf`) and then claimed by `excessTo` with
    /// `claimExcess`; checks every balance that moves.
    function _withdrawExpecting(
        address who,
        PledgeId id,
        address to,
        uint256 received,
        uint256 amount,
        address excessTo,
        uint256 toBeneficiary
    ) internal {
        assertEq(amount + toBeneficiary, received, "test arithmetic: the split adds up");
        ConditionId c = markets.conditionOf(id);
        uint256 toBefore = token.balanceOf(to);
        uint256 excessBefore = token.balanceOf(excessTo);
        // What the maker redeems from the vault: all it receives beyond its cash.
        uint256 vaultAfter = token.balanceOf(address(vault)) + maker.getMarket(c).cash - received;

        vm.expectEmit(address(maker));
        emit ILmsrMarketMaker.MarketWithdrawn(c, address(markets), address(markets), received);
        vm.expectEmit(address(markets));
        emit IBreachMarkets.SubsidyWithdrawn(id, who, to, amount, excessTo, toBeneficiary);
        assertEq(_withdrawSubsidy(who, id, to), amount, "returned amount");

        assertEq(token.balanceOf(to), toBefore + amount, "recipient's balance");
        if (excessTo == BURN || toBeneficiary == 0) {
            assertEq(markets.excessOf(id), 0, "no credit");
        } else {
            // Credited, not sent: the beneficiary pulls it.
            assertEq(markets.excessOf(id), toBeneficiary, "the excess is credited");
            assertEq(token.balanceOf(excessTo), excessBefore, "the beneficiary is not paid by the withdrawal");
            assertEq(token.balanceOf(address(markets)), toBeneficiary, "BreachMarkets holds the credit");
            vm.expectEmit(address(markets));
            emit IBreachMarkets.ExcessClaimed(id, excessTo, excessTo, toBeneficiary);
            vm.prank(excessTo);
            assertEq(markets.claimExcess(id, excessTo), toBeneficiary, "claimed");
            assertEq(markets.excessOf(id), 0, "the credit is cleared");
        }
        assertEq(token.balanceOf(excessTo), excessBefore + toBeneficiary, "beneficiary's balance");
        assertEq(token.balanceOf(address(vault)), vaultAfter, "the maker redeemed its winning inventory");
        assertEq(vault.balanceOf(address(maker), _pos(c, BREACH)), 0, "inventory burned");
        assertEq(vault.balanceOf(address(maker), _pos(c, HONOR)), 0, "inventory burned");
        assertEq(token.balanceOf(address(maker)), 0, "maker emptied");
        assertEq(token.balanceOf(address(markets)), 0, "nothing stays in BreachMarkets");
        _assertConservation();
    }

    /// @dev A pledge bonded in the hook token (the registry accepts it: it moves exact amounts) and the hook token
    /// minted and approved for `sponsor` to open its market.
    function _hookPledge() internal returns (ReentrantERC20 hook, PledgeId id) {
        hook = new ReentrantERC20();
        vm.label(address(hook), "hook token");
        IPledgeRegistry.PledgeParams memory params = _params();
        params.token = hook;
        id = _create(params);
        uint256 amount = markets.quoteSubsidy(LIQUIDITY);
        hook.mint(sponsor, amount);
        vm.prank(sponsor);
        hook.approve(address(markets), amount);
    }
}
