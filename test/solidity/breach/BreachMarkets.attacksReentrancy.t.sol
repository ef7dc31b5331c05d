// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {ReentrantERC20} from "../../mocks/ReentrantERC20.sol";
import {PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {BreachMarketsAttacksBase} from "./BreachMarketsAttacksBase.sol";

/// @notice Attacks on breach markets through a reentrant bond token, and around resolution (same assertions as BreachMarketsAttacksTest).
contract BreachMarketsReentrancyAttacksTest is BreachMarketsAttacksBase {
    // ========== reentrancy

    function test_attack_reentrantTokenDuringOpenMarket_refused() public {
        // While BreachMarkets pulls the subsidy, the token calls openMarket again (a second market, or a second
        // sponsor credit for one subsidy).
        (ReentrantERC20 hook, PledgeId id) = _hookPledge();
        uint256 amount = markets.quoteSubsidy(LIQUIDITY);
        hook.arm(address(markets), abi.encodeCall(markets.openMarket, (id, LIQUIDITY, TRADE_FEE_BPS)));

        vm.prank(sponsor);
        (ConditionId c, uint256 paid) = markets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);

        assertTrue(hook.reentered(), "hook did not fire");
        assertFalse(hook.reentrySucceeded(), "reentrant openMarket succeeded");
        assertEq(
            hook.reentryReturnData(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
            "reentrant call not refused by the guard"
        );
        assertEq(paid, amount);
        assertEq(hook.balanceOf(sponsor), 0);
        assertEq(hook.balanceOf(address(vault)), amount, "the vault holds exactly one subsidy");
        assertEq(hook.balanceOf(address(maker)), 0, "the maker split all of it");
        assertEq(hook.balanceOf(address(markets)), 0);
        assertEq(vault.balanceOf(address(maker), _posOf(hook, c, BREACH)), amount, "one subsidy of BREACH");
        assertEq(vault.balanceOf(address(maker), _posOf(hook, c, HONOR)), amount, "one subsidy of HONOR");
        _assertSponsor(id, sponsor, amount);
        assertEq(maker.getMarket(c).cash, 0);
        assertEq(maker.getMarket(c).sets, amount, "one subsidy of full sets");
        assertEq(hook.balanceOf(address(registry)), BOND, "the bond is untouched");
    }

    function test_attack_reentrantTokenTradesBeforeMarketFunded_refused() public {
        // While the subsidy is pulled the condition is prepared but the maker's market does not exist yet: a trade
        // slipped in from the token's hook meets a market in state None.
        (ReentrantERC20 hook, PledgeId id) = _hookPledge();
        ConditionId c = markets.conditionOf(id);
        hook.arm(
            address(maker),
            abi.encodeCall(maker.buy, (c, BREACH, SHARES, type(uint256).max, block.timestamp, address(hook)))
        );

        vm.prank(sponsor);
        markets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);

        assertTrue(hook.reentered());
        assertFalse(hook.reentrySucceeded(), "a trade went in before the market was funded");
        assertEq(
            hook.reentryReturnData(),
            abi.encodeWithSelector(
                ILmsrMarketMaker.UnexpectedMarketState.selector,
                c,
                ILmsrMarketMaker.MarketState.None,
                ILmsrMarketMaker.MarketState.Open
            )
        );
        assertEq(maker.getMarket(c).sold[BREACH], 0);
        assertEq(maker.getMarket(c).sets, markets.quoteSubsidy(LIQUIDITY));
        assertEq(hook.balanceOf(address(vault)), markets.quoteSubsidy(LIQUIDITY), "the subsidy, all in full sets");
        assertEq(hook.balanceOf(address(maker)), 0);
        assertEq(hook.balanceOf(address(hook)), 0, "the hook bought nothing");
    }

    function test_attack_reentrantTokenResolveDuringOpenMarket_refused() public {
        // The standard pledge is Releasable (its market resolvable); a fresh hook-token pledge is Active. The hook
        // tries to resolve the standard market from inside the new market's opening.
        vm.warp(_end(pledgeId));
        (ReentrantERC20 hook, PledgeId id) = _hookPledge();
        hook.arm(address(markets), abi.encodeCall(markets.resolve, (pledgeId)));
        vm.prank(sponsor);
        markets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
        assertEq(
            hook.reentryReturnData(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector)
        );
        assertEq(uint256(vault.conditionState(conditionId)), uint256(IOutcomeVault.ConditionState.Prepared));
    }

    function test_attack_reentrantTokenDuringWithdrawSubsidy_refused() public {
        // The first transfer of a withdrawal is the vault paying the maker's redeemed inventory: the hook tries to
        // withdraw the same market a second time from there.
        (ReentrantERC20 hook, PledgeId id) = _hookPledge();
        vm.prank(sponsor);
        (ConditionId c, uint256 paid) = markets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
        vm.warp(_end(id));
        markets.resolve(id);
        hook.arm(address(markets), abi.encodeCall(markets.withdrawSubsidy, (id, address(hook))));

        vm.prank(sponsor);
        assertEq(markets.withdrawSubsidy(id, sponsor), paid);

        assertTrue(hook.reentered(), "hook did not fire");
        assertFalse(hook.reentrySucceeded(), "reentrant withdrawSubsidy succeeded");
        assertEq(
            hook.reentryReturnData(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
            "reentrant call not refused by the guard"
        );
        assertEq(hook.balanceOf(sponsor), paid, "the sponsor is paid once");
        assertEq(hook.balanceOf(address(hook)), 0);
        assertEq(hook.balanceOf(address(vault)), 0);
        assertEq(hook.balanceOf(address(maker)), 0);
        assertEq(hook.balanceOf(address(markets)), 0);
        assertEq(uint256(maker.marketState(c)), uint256(ILmsrMarketMaker.MarketState.Withdrawn));
    }

    function test_attack_reentrantBeneficiaryDuringClaimExcess_refused() public {
        // The hook token is also the pledge's beneficiary: paying it the excess calls claimExcess again, as the
        // beneficiary, from inside the transfer. The guard refuses it (and the credit is already cleared).
        ReentrantERC20 hook = new ReentrantERC20();
        IPledgeRegistry.PledgeParams memory params = _params();
        params.token = hook;
        params.beneficiary = address(hook);
        PledgeId id = _create(params);
        (ConditionId c, uint256 paid) = _openAs(pledger, id, LIQUIDITY, TRADE_FEE_BPS);
        _fundTrader(hook, bob);
        uint256 bobCost = _buy(bob, c, HONOR, BIG_TRADE);
        _breachAndResolve(id);
        assertEq(_withdrawSubsidy(pledger, id, pledger), paid, "capped");
        assertEq(markets.excessOf(id), bobCost);
        hook.arm(address(markets), abi.encodeCall(markets.claimExcess, (id, address(hook))));

        vm.prank(address(hook));
        assertEq(markets.claimExcess(id, address(hook)), bobCost);

        assertTrue(hook.reentered(), "hook did not fire");
        assertFalse(hook.reentrySucceeded(), "reentrant claimExcess succeeded");
        assertEq(
            hook.reentryReturnData(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
            "reentrant call not refused by the guard"
        );
        assertEq(hook.balanceOf(address(hook)), bobCost, "the beneficiary is paid once");
        assertEq(hook.balanceOf(address(markets)), 0);
        assertEq(markets.excessOf(id), 0);
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNoExcess.selector, id));
        vm.prank(address(hook));
        markets.claimExcess(id, address(hook));
    }

    function test_attack_reentrantTokenWithdrawsDuringClaimExcess_gainsNothing() public {
        // A hook fired by the excess payment tries the sponsor's withdrawal again: the guard refuses it, and the
        // market was withdrawn anyway.
        ReentrantERC20 hook = new ReentrantERC20();
        IPledgeRegistry.PledgeParams memory params = _params();
        params.token = hook;
        PledgeId id = _create(params);
        (ConditionId c, uint256 paid) = _openAs(pledger, id, LIQUIDITY, TRADE_FEE_BPS);
        _fundTrader(hook, bob);
        uint256 bobCost = _buy(bob, c, HONOR, BIG_TRADE);
        _breachAndResolve(id);
        assertEq(_withdrawSubsidy(pledger, id, pledger), paid, "capped");
        hook.arm(address(markets), abi.encodeCall(markets.withdrawSubsidy, (id, address(hook))));
        vm.prank(beneficiary);
        assertEq(markets.claimExcess(id, beneficiary), bobCost);
        assertTrue(hook.reentered(), "hook did not fire");
        assertFalse(hook.reentrySucceeded(), "reentrant withdrawSubsidy succeeded");
        assertEq(hook.balanceOf(beneficiary), bobCost);
        assertEq(hook.balanceOf(address(hook)), 0);
        assertEq(hook.balanceOf(address(markets)), 0);
    }

    // ========== after and before resolution

    function test_attack_tradeAfterResolve_refused() public {
        // Once the outcome is reported, buying the winner (or dumping the loser) at market prices is refused.
        _buy(alice, BREACH, SHARES);
        _buy(attacker, HONOR, SHARES);
        _challenge(pledgeId);
        vm.warp(block.timestamp + LIVENESS);
        markets.resolve(pledgeId);
        uint256[] memory before = _snapshot();
        bytes32 books = _marketHash(conditionId);
        uint256 attackerBalance = token.balanceOf(attacker);

        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Resolved, ILmsrMarketMaker.MarketState.Open);
        _buy(attacker, BREACH, SHARES);
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Resolved, ILmsrMarketMaker.MarketState.Open);
        _sell(attacker, HONOR, SHARES);

        assertEq(token.balanceOf(attacker), attackerBalance);
        assertEq(_shares(attacker, HONOR), SHARES, "the loser keeps its worthless shares");
        assertEq(_marketHash(conditionId), books);
        _assertUnchanged(before);
    }

    function test_attack_sponsorWithdrawBeforeResolution_refused() public {
        // The sponsor sees a challenge coming and tries to pull the market's funds before it resolves, through
        // BreachMarkets (the maker's refusal bubbles up) and at the maker directly.
        uint256 aliceCost = _buy(alice, BREACH, SHARES);
        bytes32 books = _marketHash(conditionId);
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Open, ILmsrMarketMaker.MarketState.Resolved);
        _withdrawSubsidy(sponsor, pledgeId, sponsor);
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Open, ILmsrMarketMaker.MarketState.Resolved);
        vm.prank(sponsor);
        maker.withdraw(conditionId, sponsor);

        // Still refused once the pledge is Breached in the registry but before resolve reports it.
        _challenge(pledgeId);
        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(pledgeId);
        uint256[] memory before = _snapshot();
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Open, ILmsrMarketMaker.MarketState.Resolved);
        _withdrawSubsidy(sponsor, pledgeId, sponsor);
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Open, ILmsrMarketMaker.MarketState.Resolved);
        vm.prank(sponsor);
        maker.withdraw(conditionId, sponsor);

        assertEq(_marketHash(conditionId), books);
        _assertUnchanged(before);
        // After resolution the winners are still fully covered, and the sponsor gets exactly the rest.
        markets.resolve(pledgeId);
        vm.prank(alice);
        assertEq(vault.redeem(token, ROOT, conditionId), SHARES);
        assertEq(_withdrawSubsidy(sponsor, pledgeId, sponsor), subsidy + aliceCost - SHARES);
        assertEq(token.balanceOf(address(vault)), 0);
        assertEq(token.balanceOf(address(maker)), 0);
        _assertConservation();
    }

    function test_attack_nonSponsorWithdraw_refused() public {
        // The pledger (it did not sponsor) and an attacker try to take the resolved market's collateral, through
        // BreachMarkets and at the maker, where only BreachMarkets (the sponsor of record) may withdraw.
        uint256 aliceCost = _buy(alice, HONOR, SHARES);
        vm.warp(_end(pledgeId));
        markets.resolve(pledgeId);
        uint256[] memory before = _snapshot();
        bytes32 books = _marketHash(conditionId);

        _expectNotSponsor(pledgeId, attacker, sponsor);
        _withdrawSubsidy(attacker, pledgeId, attacker);
        _expectNotSponsor(pledgeId, pledger, sponsor);
        _withdrawSubsidy(pledger, pledgeId, pledger);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILmsrMarketMaker.MarketCallerNotSponsor.selector, conditionId, attacker, address(markets)
            )
        );
        vm.prank(attacker);
        maker.withdraw(conditionId, attacker);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILmsrMarketMaker.MarketCallerNotSponsor.selector, conditionId, pledger, address(markets)
            )
        );
        vm.prank(pledger);
        maker.withdraw(conditionId, pledger);

        _assertUnchanged(before);
        assertEq(_marketHash(conditionId), books);
        assertEq(token.balanceOf(attacker), TRADER_FUNDS);
        // HONOR won: the sponsor gets the subsidy and alice's payment less her SHARES of HONOR.
        assertEq(_withdrawSubsidy(sponsor, pledgeId, sponsor), subsidy + aliceCost - SHARES, "sponsor still withdraws");
    }

    function test_attack_sponsorBypassesBreachMarkets_refused() public {
        // The real sponsor goes to the maker directly (which would skip the cap): only BreachMarkets may withdraw.
        _honorAndResolve(pledgeId);
        uint256[] memory before = _snapshot();
        vm.expectRevert(
            abi.encodeWithSelector(
                ILmsrMarketMaker.MarketCallerNotSponsor.selector, conditionId, sponsor, address(markets)
            )
        );
        vm.prank(sponsor);
        maker.withdraw(conditionId, sponsor);
        _assertUnchanged(before);
        assertEq(uint256(maker.marketState(conditionId)), uint256(ILmsrMarketMaker.MarketState.Resolved));
    }

    function test_attack_sponsorWithdrawTwice_refused() public {
        uint256 aliceCost = _buy(alice, HONOR, SHARES);
        vm.warp(_end(pledgeId));
        markets.resolve(pledgeId);
        assertEq(_withdrawSubsidy(sponsor, pledgeId, sponsor), subsidy + aliceCost - SHARES);
        uint256[] memory before = _snapshot();
        bytes32 books = _marketHash(conditionId);

        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Withdrawn, ILmsrMarketMaker.MarketState.Resolved);
        _withdrawSubsidy(sponsor, pledgeId, sponsor);
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Withdrawn, ILmsrMarketMaker.MarketState.Resolved);
        _withdrawSubsidy(sponsor, pledgeId, alice);

        _assertUnchanged(before);
        assertEq(_marketHash(conditionId), books);
        // Alice's winning shares are still backed in the vault.
        vm.prank(alice);
        assertEq(vault.redeem(token, ROOT, conditionId), SHARES);
        assertEq(token.balanceOf(address(vault)), 0);
        _assertConservation();
    }
}
