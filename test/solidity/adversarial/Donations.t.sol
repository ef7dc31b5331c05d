// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {PledgeId} from "../../../contracts/types/Ids.sol";
import {AdversarialBase} from "./AdversarialBase.sol";

/// @notice Donation attacks: collateral sent straight to the maker, the vault, the registry or BreachMarkets changes
/// no price, quote, payout, claim or withdrawal. Every contract pays from its own books, never from its balance, so
/// the donation stays put as unaccounted dust.
contract DonationAttacksTest is AdversarialBase {
    uint256 internal constant DONATION = 1e18 + 1;

    function _donate(address to) internal {
        vm.prank(attacker);
        assertTrue(token.transfer(to, DONATION));
    }

    /// @dev Everything the maker quotes for the standard market, hashed: prices, a buy and a sale quote, the books.
    function _quotes() internal view returns (bytes32) {
        (uint256 buyCost, uint256 buyFee) = maker.quoteBuy(conditionId, BREACH, SHARES);
        (uint256 sellProceeds, uint256 sellFee) = maker.quoteSell(conditionId, HONOR, SHARES);
        return keccak256(
            abi.encode(maker.prices(conditionId), buyCost, buyFee, sellProceeds, sellFee, _marketHash(conditionId))
        );
    }

    function test_attack_donationToMaker_changesNoPriceQuoteOrWithdrawal() public {
        uint256 aliceCost = _buy(alice, HONOR, SHARES);
        bytes32 quotes = _quotes();
        (uint256 buyCost, uint256 buyFee) = maker.quoteBuy(conditionId, BREACH, SHARES);
        _donate(address(maker));

        assertEq(_quotes(), quotes, "a price, quote or the books moved");
        uint256 bobCost = _buy(bob, BREACH, SHARES);
        assertEq(bobCost, buyCost + buyFee);

        _honorAndResolve(pledgeId);
        vm.prank(alice);
        assertEq(vault.redeem(token, ROOT, conditionId), SHARES);
        vm.prank(bob);
        assertEq(vault.redeem(token, ROOT, conditionId), 0);
        assertEq(
            _withdrawSubsidy(sponsor, pledgeId, sponsor),
            subsidy + aliceCost + bobCost - SHARES,
            "the sponsor gets its books, not the donation"
        );
        assertEq(token.balanceOf(address(maker)), DONATION, "the donation stays put");
        assertEq(token.balanceOf(attacker), TRADER_FUNDS - DONATION);
    }

    function test_attack_donationToVault_changesNoRedemption() public {
        uint256 aliceCost = _buy(alice, BREACH, SHARES);
        vm.startPrank(bob);
        token.approve(address(vault), type(uint256).max);
        vault.split(token, ROOT, conditionId, 1_001);
        vm.stopPrank();
        _donate(address(vault));

        _breachAndResolve(pledgeId);
        vm.prank(alice);
        assertEq(vault.redeem(token, ROOT, conditionId), SHARES, "the donation is not shared out");
        vm.prank(bob);
        assertEq(vault.redeem(token, ROOT, conditionId), 1_001);
        uint256 got = _withdrawSubsidy(sponsor, pledgeId, sponsor);
        assertEq(got, subsidy + aliceCost - SHARES);
        vm.prank(attacker);
        assertEq(vault.redeem(token, ROOT, conditionId), 0, "the donor cannot take it back");
        assertEq(token.balanceOf(address(vault)), DONATION, "the donation stays put");
        assertEq(vault.collateralHeld(token), DONATION, "collateralHeld counts it: a balance, not the books");
    }

    function test_attack_donationToRegistry_changesNoClaim() public {
        PledgeId other = _create();
        _challenge(other);
        _donate(address(registry));
        vm.warp(_end(pledgeId));
        registry.finalize(pledgeId);
        registry.finalize(other);

        assertEq(registry.claimable(pledger, token), BOND);
        assertEq(registry.claimable(challenger, token), CHALLENGE_BOND + REWARD);
        assertEq(registry.claimable(beneficiary, token), BENEFICIARY_SHARE);
        vm.prank(pledger);
        assertEq(registry.claim(token, pledger), BOND);
        vm.prank(challenger);
        assertEq(registry.claim(token, challenger), CHALLENGE_BOND + REWARD);
        vm.prank(beneficiary);
        assertEq(registry.claim(token, beneficiary), BENEFICIARY_SHARE);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.NothingToClaim.selector, attacker, IERC20(token)));
        vm.prank(attacker);
        registry.claim(token, attacker);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.NothingToClaim.selector, BURN, IERC20(token)));
        registry.flushBurned(token);
        assertEq(token.balanceOf(address(registry)), DONATION, "the donation stays put");
    }

    function test_attack_donationToBreachMarkets_notPaidOutToTheSponsor() public {
        // A pledger sponsoring its own market is capped at its subsidy on a breach: a donation must not count as its
        // gain (nor as the beneficiary's), and a third-party sponsor must not receive it either.
        PledgeId own = _create();
        _openAs(pledger, own, LIQUIDITY, TRADE_FEE_BPS);
        uint256 aliceCost = _buy(alice, markets.conditionOf(own), HONOR, SHARES);
        uint256 bobCost = _buy(bob, HONOR, SHARES);
        _donate(address(markets));

        _breachAndResolve(own);
        _honorAndResolve(pledgeId);
        uint256 beneficiaryBefore = token.balanceOf(beneficiary);
        uint256 toPledger = _withdrawSubsidy(pledger, own, pledger);
        assertEq(toPledger, subsidy, "capped at its subsidy");
        assertEq(markets.excessOf(own), aliceCost, "the gain is credited, not the donation");
        vm.prank(beneficiary);
        assertEq(markets.claimExcess(own, beneficiary), aliceCost, "the beneficiary claims the gain alone");
        assertEq(token.balanceOf(beneficiary) - beneficiaryBefore, aliceCost, "the gain, not the donation");
        uint256 toSponsor = _withdrawSubsidy(sponsor, pledgeId, sponsor);
        vm.prank(bob);
        assertEq(vault.redeem(token, ROOT, conditionId), SHARES);
        assertEq(toSponsor, subsidy + bobCost - SHARES, "its books, not the donation");
        assertEq(token.balanceOf(address(markets)), DONATION, "the donation stays put");
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNoExcess.selector, pledgeId));
        vm.prank(beneficiary);
        markets.claimExcess(pledgeId, beneficiary);
    }
}
