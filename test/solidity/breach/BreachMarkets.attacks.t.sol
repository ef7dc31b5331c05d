// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IMarketGate} from "../../../contracts/interfaces/IMarketGate.sol";
import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {ReentrantERC20} from "../../mocks/ReentrantERC20.sol";
import {PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {BreachFixture} from "./BreachFixture.sol";

/// @notice One attack on a breach market per test. Each asserts that the attack fails with a specific error (or
/// gains nothing), and that nobody else's bond-token balance, registry claimable or market books moved.
contract BreachMarketsAttacksTest is BreachFixture {
    // ==================================================== timing the resolution

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

    // ================================================== claiming the market

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

    // =================================================== forging the oracle

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

    // ====================================================== self-hedging

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

    // ================================================ self-hedging as sponsor

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
    /// BreachMarkets to pay `amount` to `to` and `toBeneficiary` to `excessTo`; checks every balance that moves.
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
        assertEq(token.balanceOf(excessTo), excessBefore + toBeneficiary, "beneficiary's balance");
        assertEq(token.balanceOf(address(vault)), vaultAfter, "the maker redeemed its winning inventory");
        assertEq(vault.balanceOf(address(maker), _pos(c, BREACH)), 0, "inventory burned");
        assertEq(vault.balanceOf(address(maker), _pos(c, HONOR)), 0, "inventory burned");
        assertEq(token.balanceOf(address(maker)), 0, "maker emptied");
        assertEq(token.balanceOf(address(markets)), 0, "nothing stays in BreachMarkets");
        _assertConservation();
    }

    function test_attack_pledgerAsSponsorProfitsFromOwnBreach_capped() public {
        // The maker takes the other side of every trade: a pledger that sponsors its own market holds the BREACH
        // side of every HONOR bought, and would gain from its own breach what the HONOR buyers paid (here more
        // than its whole bond). withdrawSubsidy pays it back its subsidy, to the wei, and the beneficiary the rest.
        (PledgeId id,, uint256 paid, uint256 bobCost) = _sponsoredWithHonorBought(pledger);
        assertGt(bobCost, uint256(BOND), "the uncapped gain would exceed the slashed bond");
        _breachAndResolve(id);

        // The market holds the subsidy and all bob paid (HONOR pays nothing): paid + bobCost.
        _withdrawExpecting(pledger, id, pledger, paid + bobCost, paid, beneficiary, bobCost);
        vm.prank(bob);
        assertEq(vault.redeem(token, ROOT, markets.conditionOf(id)), 0, "HONOR is worthless");
    }

    function test_attack_pledgerAsSponsorWithdrawsToAnotherAddress_capped() public {
        // The cap follows the sponsor, not the recipient.
        (PledgeId id,, uint256 paid, uint256 bobCost) = _sponsoredWithHonorBought(pledger);
        _breachAndResolve(id);
        _withdrawExpecting(pledger, id, alice, paid + bobCost, paid, beneficiary, bobCost);
    }

    function test_attack_affiliateAsSponsorProfitsFromBreach_capped() public {
        // The same through a declared affiliate; resolved at Slashable (the cap reads the reported BREACH).
        PledgeId id = _create();
        address[] memory list = new address[](1);
        list[0] = affiliate;
        vm.prank(pledger);
        markets.declareAffiliates(id, list);
        (ConditionId c, uint256 paid) = _openAs(affiliate, id, LIQUIDITY, TRADE_FEE_BPS);
        _assertSponsor(id, affiliate, paid);
        uint256 bobCost = _buy(bob, c, HONOR, BIG_TRADE);
        _challenge(id);
        vm.warp(block.timestamp + LIVENESS);
        _assertState(id, IPledgeRegistry.PledgeState.Slashable);
        assertTrue(markets.resolve(id));

        _withdrawExpecting(affiliate, id, affiliate, paid + bobCost, paid, beneficiary, bobCost);
    }

    function test_attack_thirdPartySponsorKeepsBreachGain() public {
        // The cap is for the pledger's side only: a third-party sponsor in the same market keeps all of it.
        (PledgeId id,, uint256 paid, uint256 bobCost) = _sponsoredWithHonorBought(sponsor);
        _breachAndResolve(id);
        _withdrawExpecting(sponsor, id, sponsor, paid + bobCost, paid + bobCost, beneficiary, 0);
        assertEq(token.balanceOf(beneficiary), 0, "the beneficiary gets nothing from the market");
    }

    function test_attack_declareThirdPartySponsorAffiliateAfterOpening_refused() public {
        // The pledger cannot turn a third-party sponsor into a capped one after the fact (to divert its gain to a
        // beneficiary the pledger chose): the sponsor of an open market cannot be declared.
        (PledgeId id,, uint256 paid, uint256 bobCost) = _sponsoredWithHonorBought(sponsor);
        _breachAndResolve(id);
        address[] memory list = new address[](1);
        list[0] = sponsor;
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketAffiliateIsSponsor.selector, id, sponsor));
        vm.prank(pledger);
        markets.declareAffiliates(id, list);
        assertFalse(markets.isAffiliate(id, sponsor));
        _withdrawExpecting(sponsor, id, sponsor, paid + bobCost, paid + bobCost, beneficiary, 0);
    }

    function test_attack_pledgerAsSponsorKeepsGainOnHonor() public {
        // No cap when HONOR is reported: traders bought BREACH, lost, and the pledger-sponsor keeps their payment.
        PledgeId id = _create();
        (ConditionId c, uint256 paid) = _openAs(pledger, id, LIQUIDITY, TRADE_FEE_BPS);
        uint256 aliceCost = _buy(alice, c, BREACH, BIG_TRADE);
        _honorAndResolve(id);
        _withdrawExpecting(pledger, id, pledger, paid + aliceCost, paid + aliceCost, beneficiary, 0);
    }

    function test_attack_pledgerAsSponsorLosesOnBreach_uncapped() public {
        // The cap only takes a gain: when traders bought BREACH, a breach costs the pledger-sponsor, and it
        // receives what is left (less than its subsidy), nothing going to the beneficiary.
        PledgeId id = _create();
        (ConditionId c, uint256 paid) = _openAs(pledger, id, LIQUIDITY, TRADE_FEE_BPS);
        uint256 aliceCost = _buy(alice, c, BREACH, BIG_TRADE);
        _breachAndResolve(id);
        uint256 left = paid + aliceCost - BIG_TRADE;
        assertLt(left, paid, "a loss");
        _withdrawExpecting(pledger, id, pledger, left, left, beneficiary, 0);
        vm.prank(alice);
        assertEq(vault.redeem(token, ROOT, c), BIG_TRADE, "the BREACH buyer is paid in full");
    }

    function test_attack_pledgerAsSponsorWithoutTrades_getsExactlyItsSubsidy() public {
        // The boundary: on BREACH with no trades the market holds exactly the subsidy; it all goes back.
        PledgeId id = _create();
        (, uint256 paid) = _openAs(pledger, id, LIQUIDITY, TRADE_FEE_BPS);
        _breachAndResolve(id);
        _withdrawExpecting(pledger, id, pledger, paid, paid, beneficiary, 0);
    }

    function test_statedLimit_pledgerCanDeclareAnyTraderAnAffiliate() public {
        // Not refused by any rule: declarations are the pledger's word, so it can shut a BREACH buyer out of its
        // market (it gains no position; the buyer can trade from another address).
        _buy(alice, BREACH, SHARES);
        address[] memory list = new address[](1);
        list[0] = alice;
        vm.prank(pledger);
        markets.declareAffiliates(pledgeId, list);
        _expectSelfHedge(pledgeId, alice);
        _buy(alice, BREACH, SHARES);
        // Alice can still sell what she holds (that lowers her BREACH exposure).
        _sell(alice, BREACH, SHARES);
        assertEq(_shares(alice, BREACH), 0);
    }

    // ========================================================== reentrancy

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

    // ============================================= after and before resolution

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

    // =============================================================== the bond

    function test_attack_pledgerFreesBondWhileMarketOpen_refused() public {
        // The pledger wants its bond back while its breach market still trades.
        _buy(alice, BREACH, SHARES);
        vm.warp(_end(pledgeId) - 1);
        uint256[] memory before = _snapshot();
        _expectUnexpectedState(pledgeId, IPledgeRegistry.PledgeState.Active, (1 << 4) | (1 << 6));
        vm.prank(pledger);
        registry.finalize(pledgeId);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.NothingToClaim.selector, pledger, token));
        vm.prank(pledger);
        registry.claim(token, pledger);
        _assertUnchanged(before);
        assertEq(token.balanceOf(address(registry)), BOND);
    }
}
