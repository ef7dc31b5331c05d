// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {ChallengeId, PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {BreachMarketsTestBase} from "./BreachMarketsTestBase.sol";

/// @notice Unit tests of the trading gate through every pledge state and at the exact second trading ends.
contract BreachMarketsGateTest is BreachMarketsTestBase {
    // ========== trading gate

    function test_trade_buysAndSellsWhileActive() public {
        uint256 costBreach = _buy(alice, BREACH, SHARES);
        uint256 costHonor = _buy(bob, HONOR, SHARES);
        assertGt(costBreach, 0);
        assertGt(costHonor, 0);
        assertEq(_shares(alice, BREACH), SHARES);
        assertEq(_shares(bob, HONOR), SHARES);
        assertEq(_sold(conditionId, BREACH), SHARES);
        assertEq(_sold(conditionId, HONOR), SHARES);

        uint256 proceeds = _sell(alice, BREACH, SHARES);
        assertGt(proceeds, 0);
        assertEq(_shares(alice, BREACH), 0);
        assertEq(_sold(conditionId, BREACH), 0);
        _sell(bob, HONOR, 1);
        assertEq(_shares(bob, HONOR), SHARES - 1);
    }

    function test_checkTrade_passesEveryDirectionForThirdParty() public view {
        markets.checkTrade(conditionId, alice, alice, BREACH, true);
        markets.checkTrade(conditionId, alice, alice, BREACH, false);
        markets.checkTrade(conditionId, alice, bob, HONOR, true);
        markets.checkTrade(conditionId, alice, bob, HONOR, false);
    }

    function test_checkTrade_revertsWhenConditionUnknown() public {
        ConditionId unknown = ConditionId.wrap(keccak256("nothing"));
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketUnknown.selector, unknown));
        markets.checkTrade(unknown, alice, alice, HONOR, true);
    }

    function test_checkTrade_revertsWhenConditionPreparedButNotOpened() public {
        // conditionOf is defined for every pledge; until the market opens it is not a known market.
        PledgeId id = _create();
        ConditionId c = markets.conditionOf(id);
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketUnknown.selector, c));
        markets.checkTrade(c, alice, alice, HONOR, true);
    }

    function test_trade_revertsWhenChallenged() public {
        _buy(bob, HONOR, SHARES);
        _challenge(pledgeId);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Challenged);
        _buy(alice, BREACH, SHARES);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Challenged);
        _sell(bob, HONOR, SHARES);
    }

    function test_trade_revertsInTheChallengeBlock() public {
        // Same timestamp as the challenge: trades ordered after it are refused.
        _challenge(pledgeId);
        assertEq(registry.getChallenge(registry.openChallenge(pledgeId)).challengedAt, block.timestamp);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Challenged);
        _buy(alice, HONOR, SHARES);
    }

    function test_trade_reopensAfterRejectedChallenge() public {
        ChallengeId cid = _challenge(pledgeId);
        _dispute(pledgeId);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Disputed);
        _buy(alice, BREACH, SHARES);

        _rule(cid, false);
        _assertState(pledgeId, IPledgeRegistry.PledgeState.Active);
        _buy(alice, BREACH, SHARES);
        assertEq(_shares(alice, BREACH), SHARES);
    }

    function test_trade_reopensAfterVoidedChallenge() public {
        _challenge(pledgeId);
        _dispute(pledgeId);
        vm.warp(block.timestamp + TIMEOUT);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.RulingOverdue);
        _buy(alice, HONOR, SHARES);

        registry.voidChallenge(pledgeId);
        _buy(alice, HONOR, SHARES);
        assertEq(_shares(alice, HONOR), SHARES);
    }

    function test_trade_staysClosedWhenChallengeRejectedAfterEnd() public {
        // Rejected after expiry + grace: the pledge returns to Releasable, not Active.
        vm.warp(_end(pledgeId) - 1);
        ChallengeId cid = _challenge(pledgeId);
        _dispute(pledgeId);
        vm.warp(_end(pledgeId));
        _assertState(pledgeId, IPledgeRegistry.PledgeState.Disputed);
        _rule(cid, false);
        _assertState(pledgeId, IPledgeRegistry.PledgeState.Releasable);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Releasable);
        _buy(alice, HONOR, SHARES);
    }

    function test_trade_revertsWhenDisputed() public {
        _challenge(pledgeId);
        _dispute(pledgeId);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Disputed);
        _buy(alice, HONOR, SHARES);
    }

    function test_trade_revertsWhenSlashable() public {
        _buy(alice, BREACH, SHARES);
        _challenge(pledgeId);
        vm.warp(block.timestamp + LIVENESS);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Slashable);
        _buy(bob, BREACH, SHARES);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Slashable);
        _sell(alice, BREACH, SHARES);
    }

    function test_trade_revertsWhenRulingOverdue() public {
        _challenge(pledgeId);
        _dispute(pledgeId);
        vm.warp(block.timestamp + TIMEOUT);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.RulingOverdue);
        _buy(alice, BREACH, SHARES);
    }

    function test_trade_revertsWhenBreachedButNotResolved() public {
        _challenge(pledgeId);
        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(pledgeId);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Breached);
        _buy(alice, BREACH, SHARES);
    }

    function test_trade_revertsWhenHonoredButNotResolved() public {
        vm.warp(_end(pledgeId));
        registry.finalize(pledgeId);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Honored);
        _buy(alice, HONOR, SHARES);
    }

    function test_trade_allowedAtLastActiveSecond() public {
        vm.warp(_end(pledgeId) - 1);
        _assertState(pledgeId, IPledgeRegistry.PledgeState.Active);
        _buy(alice, HONOR, SHARES);
        _sell(alice, HONOR, 1);
        assertEq(_shares(alice, HONOR), SHARES - 1);
    }

    function test_trade_revertsAtExpiryPlusGrace() public {
        _buy(alice, HONOR, SHARES);
        vm.warp(_end(pledgeId));
        assertEq(_end(pledgeId), START + TERM + GRACE);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Releasable);
        _buy(bob, HONOR, SHARES);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Releasable);
        _sell(alice, HONOR, SHARES);
    }

    function test_trade_revertsAfterResolveWithMakerState() public {
        vm.warp(_end(pledgeId));
        markets.resolve(pledgeId);
        // The maker closes a resolved market itself, before asking the gate.
        _expectMarketState(conditionId, ILmsrMarketMaker.MarketState.Resolved, ILmsrMarketMaker.MarketState.Open);
        _buy(alice, HONOR, SHARES);
    }
}
