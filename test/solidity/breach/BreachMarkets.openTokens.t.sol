// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {SwitchableFeeERC20} from "../../mocks/SwitchableFeeERC20.sol";
import {ChallengeId, PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {BreachMarketsTestBase} from "./BreachMarketsTestBase.sol";

/// @notice Unit tests of openMarket, continued (refused states, tokens, fees).
contract BreachMarketsOpenTokensTest is BreachMarketsTestBase {
    // ========== openMarket

    function test_openMarket_revertsWhenChallenged() public {
        _assertOpenRefusedIn(IPledgeRegistry.PledgeState.Challenged);
    }

    function test_openMarket_revertsWhenDisputed() public {
        _assertOpenRefusedIn(IPledgeRegistry.PledgeState.Disputed);
    }

    function test_openMarket_revertsWhenSlashable() public {
        _assertOpenRefusedIn(IPledgeRegistry.PledgeState.Slashable);
    }

    function test_openMarket_revertsWhenRulingOverdue() public {
        _assertOpenRefusedIn(IPledgeRegistry.PledgeState.RulingOverdue);
    }

    function test_openMarket_revertsWhenReleasable() public {
        _assertOpenRefusedIn(IPledgeRegistry.PledgeState.Releasable);
    }

    function test_openMarket_revertsWhenBreached() public {
        _assertOpenRefusedIn(IPledgeRegistry.PledgeState.Breached);
    }

    function test_openMarket_revertsWhenHonored() public {
        _assertOpenRefusedIn(IPledgeRegistry.PledgeState.Honored);
    }

    function test_openMarket_acceptsAfterRejectedChallenge() public {
        PledgeId id = _create();
        ChallengeId cid = _challenge(id);
        _dispute(id);
        _rule(cid, false);
        _assertState(id, IPledgeRegistry.PledgeState.Active);
        (ConditionId c,) = _open(id);
        assertEq(uint256(maker.marketState(c)), uint256(ILmsrMarketMaker.MarketState.Open));
    }

    function test_openMarket_revertsWhenSubsidyNotApproved() public {
        PledgeId id = _create();
        token.mint(sponsor, subsidy);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(markets), 0, subsidy)
        );
        vm.prank(sponsor);
        markets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
        assertEq(token.balanceOf(sponsor), subsidy);
    }

    function test_openMarket_revertsWhenBondTokenChargesFeeAfterPledge() public {
        // The registry refuses fee-on-transfer tokens when the bond is pulled; this one switches its fee on later.
        SwitchableFeeERC20 sfee = new SwitchableFeeERC20();
        IPledgeRegistry.PledgeParams memory params = _params();
        params.token = sfee;
        PledgeId id = _create(params);
        sfee.setFeeBps(100);

        uint256 amount = markets.quoteSubsidy(LIQUIDITY);
        sfee.mint(sponsor, amount);
        vm.prank(sponsor);
        sfee.approve(address(markets), amount);
        uint256 received = amount - amount * 100 / 10_000;
        vm.expectRevert(
            abi.encodeWithSelector(IBreachMarkets.TokenTransferMismatch.selector, sfee, amount, received)
        );
        vm.prank(sponsor);
        markets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
        assertEq(sfee.balanceOf(sponsor), amount, "sponsor keeps the subsidy");
        assertEq(uint256(vault.conditionState(_expectedCondition(id))), uint256(IOutcomeVault.ConditionState.None));
    }

    function test_openMarket_separateMarketsPerPledge() public {
        PledgeId other = _create();
        (ConditionId c,) = _open(other);
        assertTrue(ConditionId.unwrap(c) != ConditionId.unwrap(conditionId));
        assertEq(markets.marketOf(c).pledgeId, PledgeId.unwrap(other));
        assertEq(markets.marketOf(conditionId).pledgeId, PledgeId.unwrap(pledgeId));
    }

    function test_conditionOf_isDefinedBeforeOpening() public {
        PledgeId id = _create();
        ConditionId c = markets.conditionOf(id);
        assertEq(ConditionId.unwrap(c), ConditionId.unwrap(_expectedCondition(id)));
        assertEq(markets.marketOf(c).pledger, address(0), "no market yet");
        (ConditionId opened,) = _open(id);
        assertEq(ConditionId.unwrap(opened), ConditionId.unwrap(c));
    }
}
