// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IMarketGate} from "../../../contracts/interfaces/IMarketGate.sol";
import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {BreachMarketsAttacksBase} from "./BreachMarketsAttacksBase.sol";

/// @notice One attack on a breach market per test (timing the resolution, claiming someone else's market, forging the oracle, self-hedging); each asserts the attack fails with a specific error or gains nothing, and nobody else's balances, claimables or market books moved.
contract BreachMarketsAttacksTest is BreachMarketsAttacksBase {
    // ========== timing the resolution

    function test_attack_frontRunResolution_refused() public {
        // The attacker watches a challenge go unanswered and tries to buy BREACH in the block its liveness ends.
        _buy(bob, HONOR, SHARES);
        _challenge(pledgeId);
        uint256 slashableAt = block.timestamp + LIVENESS;
        vm.warp(slashableAt);
        _assertState(pledgeId, IPledgeRegistry.PledgeState.Slashable);
        uint256[] memory before = _snapshot();
        bytes32 books = _marketHash(conditionId);

        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Slashable);
        _buy(attacker, BREACH, SHARES);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Slashable);
        _buyFor(attacker, conditionId, BREACH, SHARES, alice);

        _assertUnchanged(before);
        assertEq(_marketHash(conditionId), books, "market books unchanged");
        assertEq(_shares(attacker, BREACH), 0);
        assertEq(token.balanceOf(attacker), TRADER_FUNDS, "attacker paid and gained nothing");
    }

    function test_attack_frontRunHonorAtEndOfGrace_refused() public {
        // The term and grace end unchallenged: HONOR is certain from that second on; buying it then is refused.
        _buy(alice, BREACH, SHARES);
        vm.warp(_end(pledgeId));
        uint256[] memory before = _snapshot();
        bytes32 books = _marketHash(conditionId);

        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Releasable);
        _buy(attacker, HONOR, SHARES);

        _assertUnchanged(before);
        assertEq(_marketHash(conditionId), books);
        assertEq(token.balanceOf(attacker), TRADER_FUNDS);
    }

    function test_attack_resolveWhileChallenged_refused() public {
        // A BREACH holder tries to fix the outcome as soon as a challenge is filed, before liveness runs out.
        _buy(attacker, BREACH, SHARES);
        _challenge(pledgeId);
        vm.warp(block.timestamp + LIVENESS - 1);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Challenged);
        vm.prank(attacker);
        markets.resolve(pledgeId);
        assertEq(uint256(vault.conditionState(conditionId)), uint256(IOutcomeVault.ConditionState.Prepared));
    }

    // ========== claiming the market

    function test_attack_dustMarketForSomeoneElsesPledge_refused() public {
        // Opening is once per pledge: the attacker tries to take a fresh pledge's only market with a token subsidy.
        PledgeId id = _create();
        token.mint(attacker, 1);
        vm.prank(attacker);
        token.approve(address(markets), type(uint256).max);
        uint256[] memory before = _snapshot();

        vm.expectRevert(
            abi.encodeWithSelector(IBreachMarkets.BreachMarketLiquidityTooLow.selector, 1, MIN_LIQUIDITY)
        );
        vm.prank(attacker);
        markets.openMarket(id, 1, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IBreachMarkets.BreachMarketLiquidityTooLow.selector, MIN_LIQUIDITY - 1, MIN_LIQUIDITY
            )
        );
        vm.prank(attacker);
        markets.openMarket(id, uint128(MIN_LIQUIDITY - 1), 0);

        _assertUnchanged(before);
        // The market is still free for the pledger (or anyone) at a real liquidity.
        (, uint256 paid) = _openAs(pledger, id, LIQUIDITY, TRADE_FEE_BPS);
        _assertSponsor(id, pledger, paid);
    }

    function test_attack_createMarketOnBreachConditionDirectly_refused() public {
        // The attacker skips BreachMarkets and asks the maker for an ungated market on a pledge's breach condition.
        PledgeId id = _create();
        ConditionId c = markets.conditionOf(id);
        vm.prank(attacker);
        token.approve(address(maker), type(uint256).max);
        uint256[] memory before = _snapshot();

        // Before opening: the condition does not exist, so it has no oracle the attacker could be.
        vm.expectRevert(
            abi.encodeWithSelector(ILmsrMarketMaker.MarketCreatorNotOracle.selector, c, attacker, address(0))
        );
        vm.prank(attacker);
        maker.createMarket(c, token, 1, 0, attacker, IMarketGate(address(0)));
        _assertUnchanged(before);

        // After opening (which moves the subsidy into the vault): the market exists and keeps its gate and sponsor.
        (, uint256 paid) = _open(id);
        before = _snapshot();
        bytes32 books = _marketHash(c);
        _expectMarketState(c, ILmsrMarketMaker.MarketState.Open, ILmsrMarketMaker.MarketState.None);
        vm.prank(attacker);
        maker.createMarket(c, token, 1, 0, attacker, IMarketGate(address(0)));

        assertEq(_marketHash(c), books);
        assertEq(address(maker.getMarket(c).gate), address(markets));
        _assertSponsor(id, sponsor, paid);
        _assertUnchanged(before);
        assertEq(token.balanceOf(attacker), TRADER_FUNDS);
    }

    function test_attack_truncatedPledgeIdAlias_refused() public {
        // The cache packs ids in 96 bits: 2^96 + id would alias `pledgeId`'s market if it were accepted.
        PledgeId alias_ = PledgeId.wrap((uint256(1) << 96) + PledgeId.unwrap(pledgeId));
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketPledgeIdTooLarge.selector, alias_));
        vm.prank(attacker);
        markets.openMarket(alias_, LIQUIDITY, 0);
        assertEq(markets.marketOf(conditionId).pledgeId, PledgeId.unwrap(pledgeId));
    }

    // ========== forging the oracle

    function test_attack_conditionFromOtherOracle_cannotCollide() public {
        // The attacker prepares the same question (bytes32(pledgeId), 2 outcomes) as its own oracle, before the
        // pledge's market opens, gives it a maker market gated by BreachMarkets, and resolves it to BREACH.
        PledgeId id = _create();
        bytes32 question = _question(id);
        vm.prank(attacker);
        ConditionId fake = vault.prepareCondition(question, 2);
        assertEq(ConditionId.unwrap(fake), ConditionId.unwrap(vault.conditionIdOf(attacker, question, 2)));
        assertTrue(ConditionId.unwrap(fake) != ConditionId.unwrap(markets.conditionOf(id)), "ids commit to the oracle");

        // The real market still opens (no collision) and is the only one BreachMarkets knows.
        (ConditionId real,) = _open(id);
        assertEq(markets.marketOf(fake).pledger, address(0));
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketUnknown.selector, fake));
        markets.checkTrade(fake, alice, alice, HONOR, true);

        // A market on the fake condition that borrows BreachMarkets as gate is refused by it: no trade goes through.
        vm.startPrank(attacker);
        token.approve(address(maker), type(uint256).max);
        maker.createMarket(fake, token, uint128(MIN_LIQUIDITY), 0, attacker, markets);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketUnknown.selector, fake));
        _buy(alice, fake, BREACH, SHARES);

        _buy(alice, real, HONOR, SHARES);
        bytes32 books = _marketHash(real);
        uint256[] memory before = _snapshot();
        uint256[] memory payouts = _payouts(1, 0);
        vm.prank(attacker);
        vault.reportPayouts(question, payouts);

        assertEq(uint256(vault.conditionState(fake)), uint256(IOutcomeVault.ConditionState.Resolved));
        assertEq(uint256(vault.conditionState(real)), uint256(IOutcomeVault.ConditionState.Prepared), "real unresolved");
        assertEq(uint256(maker.marketState(real)), uint256(ILmsrMarketMaker.MarketState.Open));
        assertEq(_marketHash(real), books);
        _assertUnchanged(before);
        _buy(bob, real, HONOR, SHARES); // the real market keeps trading
    }

    function test_attack_reportViaVaultDirectly_refused() public {
        // Only the oracle names its condition: the attacker's report addresses (attacker, question, 2), which
        // does not exist.
        _buy(alice, HONOR, SHARES);
        uint256[] memory before = _snapshot();
        bytes32 books = _marketHash(conditionId);
        bytes32 question = _question(pledgeId);
        ConditionId attackers = vault.conditionIdOf(attacker, question, 2);
        uint256[] memory payouts = _payouts(1, 0);

        _expectConditionState(attackers, IOutcomeVault.ConditionState.None, IOutcomeVault.ConditionState.Prepared);
        vm.prank(attacker);
        vault.reportPayouts(question, payouts);

        assertEq(uint256(vault.conditionState(conditionId)), uint256(IOutcomeVault.ConditionState.Prepared));
        assertEq(_marketHash(conditionId), books);
        _assertUnchanged(before);
    }

    function test_attack_resolveTwice_refused() public {
        // Resolved to BREACH at Slashable; once finalized, a second resolve cannot report anything else.
        _buy(alice, BREACH, SHARES);
        _challenge(pledgeId);
        vm.warp(block.timestamp + LIVENESS);
        vm.prank(attacker);
        assertTrue(markets.resolve(pledgeId));
        registry.finalize(pledgeId);
        uint256[] memory before = _snapshot();

        _expectConditionState(conditionId, IOutcomeVault.ConditionState.Resolved, IOutcomeVault.ConditionState.Prepared);
        vm.prank(attacker);
        markets.resolve(pledgeId);

        IOutcomeVault.Condition memory c = vault.getCondition(conditionId);
        assertEq(c.payoutNumerators[BREACH], 1);
        assertEq(c.payoutNumerators[HONOR], 0);
        _assertUnchanged(before);
    }

    // ========== self-hedging

    function test_attack_selfHedgeViaRecipient_refused() public {
        // A friend of the pledger buys BREACH and names the pledger as recipient.
        uint256[] memory before = _snapshot();
        bytes32 books = _marketHash(conditionId);
        _expectSelfHedge(pledgeId, pledger);
        _buyFor(attacker, conditionId, BREACH, SHARES, pledger);

        assertEq(_shares(pledger, BREACH), 0);
        assertEq(_marketHash(conditionId), books);
        _assertUnchanged(before);
        assertEq(token.balanceOf(attacker), TRADER_FUNDS);
    }

    function test_attack_selfHedgeViaAffiliate_refused() public {
        // The pledger declared `attacker` an affiliate: it may neither buy BREACH nor receive it, nor sell HONOR.
        address[] memory list = new address[](1);
        list[0] = attacker;
        vm.prank(pledger);
        markets.declareAffiliates(pledgeId, list);
        _buy(attacker, HONOR, SHARES);
        uint256[] memory before = _snapshot();
        bytes32 books = _marketHash(conditionId);
        uint256 attackerBalance = token.balanceOf(attacker);

        _expectSelfHedge(pledgeId, attacker);
        _buy(attacker, BREACH, SHARES);
        _expectSelfHedge(pledgeId, attacker);
        _buyFor(attacker, conditionId, BREACH, SHARES, alice);
        _expectSelfHedge(pledgeId, attacker);
        _buyFor(alice, conditionId, BREACH, SHARES, attacker);
        _expectSelfHedge(pledgeId, attacker);
        _sell(attacker, HONOR, SHARES);

        assertEq(_shares(attacker, BREACH), 0);
        assertEq(_shares(attacker, HONOR), SHARES);
        assertEq(token.balanceOf(attacker), attackerBalance);
        assertEq(_marketHash(conditionId), books);
        _assertUnchanged(before);
    }

    function test_statedLimit_positionsTransferredToPledger() public {
        // Documented limit (IBreachMarkets, docs/threat-model.md): the gate sees trades, not ERC-1155 transfers.
        // An undeclared friend can buy BREACH and hand it over; the pledger can then only sell it (reduce exposure).
        _buy(attacker, BREACH, SHARES);
        uint256 breachPosition = _pos(conditionId, BREACH);
        vm.prank(attacker);
        vault.safeTransferFrom(attacker, pledger, breachPosition, SHARES, "");
        assertEq(_shares(pledger, BREACH), SHARES);
        // Declaring the friend afterwards stops further buys, not what was already transferred.
        address[] memory list = new address[](1);
        list[0] = attacker;
        vm.prank(pledger);
        markets.declareAffiliates(pledgeId, list);
        _expectSelfHedge(pledgeId, attacker);
        _buy(attacker, BREACH, SHARES);
    }
}
