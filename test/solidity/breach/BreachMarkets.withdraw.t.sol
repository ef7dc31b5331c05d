// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {BreachMarketsTestBase} from "./BreachMarketsTestBase.sol";

/// @notice Unit tests of withdrawSubsidy (the sponsor cap, recipients, tokens).
contract BreachMarketsWithdrawTest is BreachMarketsTestBase {
    // ========== withdrawSubsidy

    function test_sponsorOf_isZeroWithoutMarket() public {
        PledgeId id = _create();
        (address s, uint256 paid) = markets.sponsorOf(id);
        assertEq(s, address(0));
        assertEq(paid, 0);
        (s, paid) = markets.sponsorOf(UNKNOWN);
        assertEq(s, address(0));
        assertEq(paid, 0);
        _assertSponsor(pledgeId, sponsor, subsidy);
    }

    function test_withdrawSubsidy_revertsWhenCallerNotSponsor() public {
        // Neither the pledger, nor a stranger (even paying the sponsor), nor the beneficiary, nor the maker.
        uint256 aliceCost = _buy(alice, HONOR, SHARES);
        _breachAndResolve(pledgeId);
        uint256[] memory before = _snapshot();
        bytes32 books = _marketHash(conditionId);

        _expectNotSponsor(pledgeId, pledger, sponsor);
        _withdrawSubsidy(pledger, pledgeId, pledger);
        _expectNotSponsor(pledgeId, stranger, sponsor);
        _withdrawSubsidy(stranger, pledgeId, sponsor);
        _expectNotSponsor(pledgeId, beneficiary, sponsor);
        _withdrawSubsidy(beneficiary, pledgeId, beneficiary);
        _expectNotSponsor(pledgeId, address(maker), sponsor);
        _withdrawSubsidy(address(maker), pledgeId, sponsor);

        _assertUnchanged(before);
        assertEq(_marketHash(conditionId), books);
        assertEq(uint256(maker.marketState(conditionId)), uint256(ILmsrMarketMaker.MarketState.Resolved));
        // HONOR pays nothing on BREACH: the third-party sponsor gets the subsidy and all alice paid.
        assertEq(_withdrawSubsidy(sponsor, pledgeId, sponsor), subsidy + aliceCost);
        _assertConservation();
    }

    function test_withdrawSubsidy_checksCallerAndRecipientBeforeTheMaker() public {
        // Before resolution the maker would refuse too; BreachMarkets' own checks come first, in this order.
        _expectNotSponsor(pledgeId, stranger, sponsor);
        _withdrawSubsidy(stranger, pledgeId, address(0));
        _expectRecipientInvalid(address(0));
        _withdrawSubsidy(sponsor, pledgeId, address(0));
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Open, ILmsrMarketMaker.MarketState.Resolved);
        _withdrawSubsidy(sponsor, pledgeId, sponsor);
    }

    function test_withdrawSubsidy_revertsWhenRecipientZero() public {
        _honorAndResolve(pledgeId);
        _expectRecipientInvalid(address(0));
        _withdrawSubsidy(sponsor, pledgeId, address(0));
        assertEq(uint256(maker.marketState(conditionId)), uint256(ILmsrMarketMaker.MarketState.Resolved));
        assertEq(token.balanceOf(address(vault)), subsidy, "the subsidy is still in the vault");
        assertEq(_withdrawSubsidy(sponsor, pledgeId, sponsor), subsidy);
    }

    function test_withdrawSubsidy_revertsWhenRecipientIsBreachMarkets() public {
        // Funds sent to BreachMarkets itself would be stranded there.
        _honorAndResolve(pledgeId);
        _expectRecipientInvalid(address(markets));
        _withdrawSubsidy(sponsor, pledgeId, address(markets));
        assertEq(uint256(maker.marketState(conditionId)), uint256(ILmsrMarketMaker.MarketState.Resolved));
        assertEq(token.balanceOf(address(markets)), 0);
        assertEq(_withdrawSubsidy(sponsor, pledgeId, sponsor), subsidy);
    }

    function test_withdrawSubsidy_paysAnotherRecipient() public {
        _honorAndResolve(pledgeId);
        vm.expectEmit(address(markets));
        emit IBreachMarkets.SubsidyWithdrawn(pledgeId, sponsor, bob, subsidy, beneficiary, 0);
        assertEq(_withdrawSubsidy(sponsor, pledgeId, bob), subsidy);
        assertEq(token.balanceOf(bob), TRADER_FUNDS + subsidy);
        assertEq(token.balanceOf(sponsor), 0);
        _assertConservation();
    }

    function test_withdrawSubsidy_revertsBeforeResolution() public {
        // The maker refuses until the vault holds payouts; its error bubbles up, whatever the pledge's state.
        _buy(alice, BREACH, SHARES);
        bytes32 books = _marketHash(conditionId);
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Open, ILmsrMarketMaker.MarketState.Resolved);
        _withdrawSubsidy(sponsor, pledgeId, sponsor);

        _challenge(pledgeId);
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Open, ILmsrMarketMaker.MarketState.Resolved);
        _withdrawSubsidy(sponsor, pledgeId, sponsor);

        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(pledgeId);
        _assertState(pledgeId, IPledgeRegistry.PledgeState.Breached);
        uint256[] memory before = _snapshot();
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Open, ILmsrMarketMaker.MarketState.Resolved);
        _withdrawSubsidy(sponsor, pledgeId, sponsor);

        _assertUnchanged(before);
        assertEq(_marketHash(conditionId), books);
        assertEq(token.balanceOf(sponsor), 0);
        markets.resolve(pledgeId);
        assertGt(_withdrawSubsidy(sponsor, pledgeId, sponsor), 0, "withdrawable once resolved");
    }

    function test_withdrawSubsidy_revertsWhenWithdrawnTwice() public {
        uint256 aliceCost = _buy(alice, BREACH, SHARES);
        _honorAndResolve(pledgeId);
        assertEq(_withdrawSubsidy(sponsor, pledgeId, sponsor), subsidy + aliceCost, "BREACH pays nothing on HONOR");
        uint256[] memory before = _snapshot();
        bytes32 books = _marketHash(conditionId);

        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Withdrawn, ILmsrMarketMaker.MarketState.Resolved);
        _withdrawSubsidy(sponsor, pledgeId, sponsor);
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Withdrawn, ILmsrMarketMaker.MarketState.Resolved);
        _withdrawSubsidy(sponsor, pledgeId, bob);

        _assertUnchanged(before);
        assertEq(_marketHash(conditionId), books);
        assertEq(token.balanceOf(sponsor), subsidy + aliceCost);
    }

    function test_withdrawSubsidy_revertsWhenNoMarket() public {
        // A pledge whose market was never opened has no sponsor, even once its outcome is fixed.
        PledgeId id = _create();
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, id));
        _withdrawSubsidy(pledger, id, pledger);
        vm.warp(_end(id));
        registry.finalize(id);
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, id));
        _withdrawSubsidy(pledger, id, pledger);
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, id));
        _withdrawSubsidy(sponsor, id, sponsor);
    }

    function test_withdrawSubsidy_revertsWhenPledgeUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, UNKNOWN));
        _withdrawSubsidy(sponsor, UNKNOWN, sponsor);
    }

    function test_withdrawSubsidy_pledgerSponsorWithoutBeneficiary_excessToBurnAddress() public {
        // A pledge without a beneficiary: what a pledger-sponsor would gain from its own breach goes to 0x...dEaD.
        IPledgeRegistry.PledgeParams memory params = _params();
        params.beneficiary = address(0);
        PledgeId id = _create(params);
        (ConditionId c, uint256 paid) = _openAs(pledger, id, LIQUIDITY, TRADE_FEE_BPS);
        uint256 bobCost = _buy(bob, c, HONOR, 2_000e18);
        _breachAndResolve(id);
        uint256 pledgerBefore = token.balanceOf(pledger);
        uint256 burnBefore = token.balanceOf(BURN);
        uint256 vaultBefore = token.balanceOf(address(vault));

        vm.expectEmit(address(maker));
        emit ILmsrMarketMaker.MarketWithdrawn(c, address(markets), address(markets), paid + bobCost);
        vm.expectEmit(address(markets));
        emit IBreachMarkets.SubsidyWithdrawn(id, pledger, pledger, paid, BURN, bobCost);
        assertEq(_withdrawSubsidy(pledger, id, pledger), paid, "the pledger-sponsor gets its subsidy, no more");

        assertEq(token.balanceOf(pledger), pledgerBefore + paid);
        assertEq(token.balanceOf(BURN), burnBefore + bobCost, "the excess is burned");
        assertEq(token.balanceOf(beneficiary), 0, "the standard pledge's beneficiary is not this pledge's");
        // The maker redeemed 2_000e18 BREACH (its whole inventory after the split the HONOR buy needed).
        assertEq(token.balanceOf(address(vault)), vaultBefore - 2_000e18);
        assertEq(token.balanceOf(address(maker)), 0);
        assertEq(token.balanceOf(address(markets)), 0);
        _assertConservation();
    }
}
