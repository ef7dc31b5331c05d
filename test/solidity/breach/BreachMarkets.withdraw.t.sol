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
        assertEq(markets.excessOf(id), 0, "burned, not credited");
        // Nobody can claim it: the pledge has no beneficiary (not even the burn address's caller, were there one).
        vm.expectRevert(
            abi.encodeWithSelector(IBreachMarkets.BreachMarketCallerNotBeneficiary.selector, id, BURN, address(0))
        );
        vm.prank(BURN);
        markets.claimExcess(id, BURN);
        assertEq(token.balanceOf(beneficiary), 0, "the standard pledge's beneficiary is not this pledge's");
        // The maker redeemed 2_000e18 BREACH (its whole inventory after the split the HONOR buy needed).
        assertEq(token.balanceOf(address(vault)), vaultBefore - 2_000e18);
        assertEq(token.balanceOf(address(maker)), 0);
        assertEq(token.balanceOf(address(markets)), 0);
        _assertConservation();
    }

    // ========== claimExcess

    /// @dev A fresh pledge (beneficiary `beneficiary`) whose pledger sponsored its market, bob bought HONOR, and
    /// the pledge was breached and its market withdrawn: `excess` is credited to the beneficiary.
    function _creditedExcess() internal returns (PledgeId id, uint256 paid, uint256 excess) {
        id = _create();
        ConditionId c;
        (c, paid) = _openAs(pledger, id, LIQUIDITY, TRADE_FEE_BPS);
        excess = _buy(bob, c, HONOR, 2_000e18);
        _breachAndResolve(id);
        vm.expectEmit(address(markets));
        emit IBreachMarkets.SubsidyWithdrawn(id, pledger, pledger, paid, beneficiary, excess);
        assertEq(_withdrawSubsidy(pledger, id, pledger), paid, "capped");
    }

    function test_claimExcess_creditedThenPaidToTheBeneficiaryOnce() public {
        uint256 beneficiaryBefore = token.balanceOf(beneficiary);
        (PledgeId id,, uint256 excess) = _creditedExcess();
        assertEq(markets.excessOf(id), excess, "credited");
        assertEq(token.balanceOf(beneficiary), beneficiaryBefore, "not sent by the withdrawal");
        assertEq(token.balanceOf(address(markets)), excess, "held for the beneficiary");

        // Paid to another recipient of the beneficiary's choosing.
        vm.expectEmit(address(markets));
        emit IBreachMarkets.ExcessClaimed(id, beneficiary, alice, excess);
        vm.prank(beneficiary);
        assertEq(markets.claimExcess(id, alice), excess);
        assertEq(token.balanceOf(alice), TRADER_FUNDS + excess);
        assertEq(markets.excessOf(id), 0);
        assertEq(token.balanceOf(address(markets)), 0);

        // Once.
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNoExcess.selector, id));
        vm.prank(beneficiary);
        markets.claimExcess(id, beneficiary);
        _assertConservation();
    }

    function test_claimExcess_revertsWhenCallerNotBeneficiary() public {
        (PledgeId id,, uint256 excess) = _creditedExcess();
        address[4] memory callers = [pledger, sponsor, stranger, address(markets)];
        for (uint256 i; i < callers.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IBreachMarkets.BreachMarketCallerNotBeneficiary.selector, id, callers[i], beneficiary
                )
            );
            vm.prank(callers[i]);
            markets.claimExcess(id, callers[i]);
        }
        assertEq(markets.excessOf(id), excess, "still credited");
        // An unknown pledge has no beneficiary.
        vm.expectRevert(
            abi.encodeWithSelector(
                IBreachMarkets.BreachMarketCallerNotBeneficiary.selector, UNKNOWN, beneficiary, address(0)
            )
        );
        vm.prank(beneficiary);
        markets.claimExcess(UNKNOWN, beneficiary);
    }

    function test_claimExcess_revertsWhenRecipientInvalid() public {
        (PledgeId id,, uint256 excess) = _creditedExcess();
        _expectRecipientInvalid(address(0));
        vm.prank(beneficiary);
        markets.claimExcess(id, address(0));
        _expectRecipientInvalid(address(markets));
        vm.prank(beneficiary);
        markets.claimExcess(id, address(markets));
        assertEq(markets.excessOf(id), excess, "still credited");
    }

    function test_claimExcess_revertsWhenNothingCredited() public {
        // Before the market is withdrawn (or resolved), and after a third-party sponsor's withdrawal.
        _buy(bob, HONOR, SHARES);
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNoExcess.selector, pledgeId));
        vm.prank(beneficiary);
        markets.claimExcess(pledgeId, beneficiary);
        _breachAndResolve(pledgeId);
        _withdrawSubsidy(sponsor, pledgeId, sponsor);
        assertEq(markets.excessOf(pledgeId), 0, "a third-party sponsor is not capped");
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNoExcess.selector, pledgeId));
        vm.prank(beneficiary);
        markets.claimExcess(pledgeId, beneficiary);
        // A pledge without a market.
        PledgeId bare = _create();
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNoExcess.selector, bare));
        vm.prank(beneficiary);
        markets.claimExcess(bare, beneficiary);
    }
}
