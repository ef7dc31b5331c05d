// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {BreachMarketsTestBase} from "./BreachMarketsTestBase.sol";

/// @notice Unit tests of the no-self-hedging rule.
contract BreachMarketsHedgingTest is BreachMarketsTestBase {
    // ========== self-hedging

    function test_selfHedge_pledgerCannotBuyBreach() public {
        _expectSelfHedge(pledgeId, pledger);
        _buy(pledger, BREACH, SHARES);
    }

    function test_selfHedge_pledgerCannotSellHonor() public {
        _buy(pledger, HONOR, SHARES);
        _expectSelfHedge(pledgeId, pledger);
        _sell(pledger, HONOR, SHARES);
        assertEq(_shares(pledger, HONOR), SHARES);
    }

    function test_selfHedge_pledgerMayBuyHonor() public {
        _buy(pledger, HONOR, SHARES);
        assertEq(_shares(pledger, HONOR), SHARES);
    }

    function test_selfHedge_pledgerMaySellBreach() public {
        // The pledger can only come to hold BREACH from a transfer (a stated limit); selling it is allowed.
        _buy(alice, BREACH, SHARES);
        uint256 breachPosition = _pos(conditionId, BREACH);
        vm.prank(alice);
        vault.safeTransferFrom(alice, pledger, breachPosition, SHARES, "");
        uint256 proceeds = _sell(pledger, BREACH, SHARES);
        assertGt(proceeds, 0);
        assertEq(_shares(pledger, BREACH), 0);
    }

    function test_selfHedge_pledgerCannotBuyBreachForSomeoneElse() public {
        _expectSelfHedge(pledgeId, pledger);
        _buyFor(pledger, conditionId, BREACH, SHARES, alice);
    }

    function test_selfHedge_pledgerCannotSellHonorToSomeoneElse() public {
        _buy(pledger, HONOR, SHARES);
        _expectSelfHedge(pledgeId, pledger);
        _sellFor(pledger, conditionId, HONOR, SHARES, alice);
    }

    function test_selfHedge_thirdPartyCannotBuyBreachForPledger() public {
        _expectSelfHedge(pledgeId, pledger);
        _buyFor(alice, conditionId, BREACH, SHARES, pledger);
    }

    function test_selfHedge_thirdPartyCannotSellHonorToPledger() public {
        _buy(alice, HONOR, SHARES);
        _expectSelfHedge(pledgeId, pledger);
        _sellFor(alice, conditionId, HONOR, SHARES, pledger);
    }

    function test_selfHedge_thirdPartyMayBuyHonorForPledger() public {
        _buyFor(alice, conditionId, HONOR, SHARES, pledger);
        assertEq(_shares(pledger, HONOR), SHARES);
    }

    function test_selfHedge_affiliateRefusedLikePledger() public {
        _declare(affiliate);
        _expectSelfHedge(pledgeId, affiliate);
        _buy(affiliate, BREACH, SHARES);
        _expectSelfHedge(pledgeId, affiliate);
        _buyFor(alice, conditionId, BREACH, SHARES, affiliate);

        _buy(affiliate, HONOR, SHARES);
        _expectSelfHedge(pledgeId, affiliate);
        _sell(affiliate, HONOR, SHARES);
        assertEq(_shares(affiliate, HONOR), SHARES);
    }

    function test_selfHedge_affiliateMaySellBreach() public {
        _buy(affiliate, BREACH, SHARES);
        _declare(affiliate);
        _sell(affiliate, BREACH, SHARES);
        assertEq(_shares(affiliate, BREACH), 0);
    }

    function test_selfHedge_undeclaredAccountMayBuyBreach() public {
        _buy(affiliate, BREACH, SHARES);
        assertEq(_shares(affiliate, BREACH), SHARES);
    }

    function test_selfHedge_affiliateOfOnePledgeFreeInAnother() public {
        PledgeId other = _create();
        (ConditionId otherMarket,) = _open(other);
        _declare(affiliate);
        assertFalse(markets.isAffiliate(other, affiliate));
        _buy(affiliate, otherMarket, BREACH, SHARES);
        assertEq(vault.balanceOf(affiliate, _pos(otherMarket, BREACH)), SHARES);
    }

    function test_checkTrade_selfHedgeMatrix() public {
        // Exposure to BREACH grows by buying BREACH or selling HONOR: those are refused, the others pass.
        markets.checkTrade(conditionId, pledger, pledger, HONOR, true);
        markets.checkTrade(conditionId, pledger, pledger, BREACH, false);
        _expectSelfHedge(pledgeId, pledger);
        markets.checkTrade(conditionId, pledger, pledger, BREACH, true);
        _expectSelfHedge(pledgeId, pledger);
        markets.checkTrade(conditionId, pledger, pledger, HONOR, false);
        _expectSelfHedge(pledgeId, pledger);
        markets.checkTrade(conditionId, alice, pledger, BREACH, true);
        _expectSelfHedge(pledgeId, pledger);
        markets.checkTrade(conditionId, alice, pledger, HONOR, false);
    }

    function test_checkTrade_stateCheckedBeforeSelfHedge() public {
        _challenge(pledgeId);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Challenged);
        markets.checkTrade(conditionId, pledger, pledger, BREACH, true);
    }
}
