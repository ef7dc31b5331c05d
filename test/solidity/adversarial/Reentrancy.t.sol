// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {ChallengeId, PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId, PositionId} from "../../../contracts/types/MarketIds.sol";
import {ProbeERC20} from "../../mocks/ProbeERC20.sol";
import {ReentrantERC1155Receiver} from "../../mocks/ReentrantERC1155Receiver.sol";
import {ReentrantERC20} from "../../mocks/ReentrantERC20.sol";
import {AdversarialBase} from "./AdversarialBase.sol";

/// @notice Reentrancy through every token and receiver hook, and the order of effects and interactions seen from
/// inside a hook (burn before mint, book before paying). One attack per test; each checks that the nested call was
/// refused (or saw the books already updated) and that nobody else's balance moved.
contract ReentrancyAttacksTest is AdversarialBase {
    bytes32 internal constant Q_HOOK = keccak256("hook market");
    bytes32 internal constant Q_A = keccak256("question A");
    bytes32 internal constant Q_B = keccak256("question B");

    ReentrantERC20 internal hook;

    function setUp() public override {
        super.setUp();
        hook = new ReentrantERC20();
        vm.label(address(hook), "hook token");
    }

    function _hookMarket() internal returns (ConditionId c, uint256 paid) {
        (c, paid) = _marketIn(hook, Q_HOOK, B);
        _fundTrader(hook, alice);
        _fundTrader(hook, bob);
    }

    // ================================================================ registry

    function test_attack_reentrantTokenClaimReentersFinalize_refused() public {
        PledgeId honored = _pledgeWith(hook);
        PledgeId releasable = _pledgeWith(hook);
        vm.warp(_end(honored));
        registry.finalize(honored);

        hook.arm(address(registry), abi.encodeCall(registry.finalize, (releasable)));
        vm.prank(pledger);
        assertEq(registry.claim(hook, pledger), BOND);

        assertTrue(hook.reentered(), "hook did not fire");
        _assertGuardRefused(hook.reentrySucceeded(), hook.reentryReturnData());
        _assertState(releasable, IPledgeRegistry.PledgeState.Releasable);
        assertEq(registry.claimable(pledger, hook), 0, "the nested finalize credited nothing");
        assertEq(hook.balanceOf(pledger), BOND, "paid once");
        assertEq(hook.balanceOf(address(registry)), BOND, "the other bond is still escrowed");
    }

    function test_attack_reentrantTokenChallengeReentersDispute_refused() public {
        PledgeId id = _pledgeWith(hook);
        _fund(hook, challenger, CHALLENGE_BOND);
        // While the challenge bond moves the challenge is already open: dispute it from inside the transfer.
        hook.arm(address(registry), abi.encodeCall(registry.dispute, (id)));
        vm.prank(challenger);
        ChallengeId cid = registry.challenge(id, EVIDENCE_URI, type(uint256).max);

        _assertGuardRefused(hook.reentrySucceeded(), hook.reentryReturnData());
        _assertState(id, IPledgeRegistry.PledgeState.Challenged);
        assertEq(registry.getChallenge(cid).disputer, address(0), "no disputer");
        assertEq(arbiter.disputesReceived(), 0, "the arbiter heard of nothing");
        assertEq(hook.balanceOf(address(registry)), uint256(BOND) + CHALLENGE_BOND);
        assertEq(hook.balanceOf(challenger), 0);
    }

    // =================================================================== vault

    function test_attack_reentrantTokenVaultSplitReentersMerge_refused() public {
        ConditionId c = vault.prepareCondition(Q_A, 2);
        hook.mint(alice, 1_000);
        vm.startPrank(alice);
        hook.approve(address(vault), type(uint256).max);
        vault.split(hook, ROOT, c, 600);
        vm.stopPrank();

        // The pull of a split calls back: merge the caller's full sets out before they are minted.
        hook.arm(address(vault), abi.encodeCall(vault.merge, (IERC20(address(hook)), ROOT, c, 600)));
        vm.prank(alice);
        vault.split(hook, ROOT, c, 400);

        _assertGuardRefused(hook.reentrySucceeded(), hook.reentryReturnData());
        assertEq(vault.balanceOf(alice, _posOf(hook, c, 0)), 1_000);
        assertEq(vault.balanceOf(alice, _posOf(hook, c, 1)), 1_000);
        assertEq(hook.balanceOf(address(vault)), 1_000, "the vault holds every unit split");
        assertEq(hook.balanceOf(alice), 0);
        assertEq(hook.balanceOf(address(hook)), 0);
    }

    function test_attack_reentrantTokenVaultMergePayoutReentersSplit_refused() public {
        ConditionId c = vault.prepareCondition(Q_A, 2);
        hook.mint(alice, 1_000);
        vm.startPrank(alice);
        hook.approve(address(vault), type(uint256).max);
        vault.split(hook, ROOT, c, 1_000);
        vm.stopPrank();

        // The merge's payout calls back: split again while the merged sets are burned but not yet paid for.
        hook.arm(address(vault), abi.encodeCall(vault.split, (IERC20(address(hook)), ROOT, c, 400)));
        vm.prank(alice);
        vault.merge(hook, ROOT, c, 400);

        _assertGuardRefused(hook.reentrySucceeded(), hook.reentryReturnData());
        assertEq(vault.balanceOf(alice, _posOf(hook, c, 0)), 600);
        assertEq(vault.balanceOf(alice, _posOf(hook, c, 1)), 600);
        assertEq(hook.balanceOf(alice), 400);
        assertEq(hook.balanceOf(address(vault)), 600, "the vault backs exactly the sets left");
        assertEq(vault.balanceOf(address(hook), _posOf(hook, c, 0)), 0);
    }

    function test_attack_reentrantTokenVaultRedeemReentersRedeem_refused() public {
        ConditionId c = vault.prepareCondition(Q_A, 2);
        hook.mint(alice, 1_001);
        hook.mint(bob, 500);
        vm.prank(alice);
        hook.approve(address(vault), type(uint256).max);
        vm.prank(bob);
        hook.approve(address(vault), type(uint256).max);
        vm.prank(alice);
        vault.split(hook, ROOT, c, 1_001);
        vm.prank(bob);
        vault.split(hook, ROOT, c, 500);
        _report(Q_A, 1, 2);

        hook.arm(address(vault), abi.encodeCall(vault.redeem, (IERC20(address(hook)), ROOT, c)));
        vm.prank(alice);
        assertEq(vault.redeem(hook, ROOT, c), 1_001, "a full set redeems for its amount");

        _assertGuardRefused(hook.reentrySucceeded(), hook.reentryReturnData());
        assertEq(hook.balanceOf(alice), 1_001);
        assertEq(hook.balanceOf(address(vault)), 500, "bob's backing is intact");
        vm.prank(bob);
        assertEq(vault.redeem(hook, ROOT, c), 500);
        assertEq(hook.balanceOf(address(vault)), 0);
    }

    // =================================================================== maker

    function test_attack_reentrantTokenMakerBuyReentersSell_refused() public {
        (ConditionId c, uint256 paid) = _hookMarket();
        uint256 first = _buy(alice, c, BREACH, SHARES);
        hook.arm(address(maker), abi.encodeCall(maker.sell, (c, BREACH, SHARES, 0, block.timestamp, address(hook))));
        uint256 second = _buy(alice, c, BREACH, SHARES);

        _assertGuardRefused(hook.reentrySucceeded(), hook.reentryReturnData());
        assertEq(vault.balanceOf(alice, _posOf(hook, c, BREACH)), 2 * SHARES);
        assertEq(_sold(c, BREACH), 2 * SHARES);
        assertEq(hook.balanceOf(alice), TRADER_FUNDS - first - second);
        assertEq(
            hook.balanceOf(address(maker)) + hook.balanceOf(address(vault)), paid + first + second, "every unit in the books"
        );
        assertEq(uint256(maker.getMarket(c).cash) + maker.getMarket(c).sets, paid + first + second);
    }

    function test_attack_reentrantTokenMakerSellPayoutReentersBuy_refused() public {
        (ConditionId c, uint256 paid) = _hookMarket();
        uint256 cost = _buy(alice, c, HONOR, SHARES);
        uint256 bobCost = _buy(bob, c, BREACH, SHARES);
        // While the sale pays out (HONOR's price not yet lowered in anyone's view), buy HONOR back.
        hook.arm(
            address(maker), abi.encodeCall(maker.buy, (c, HONOR, 1e18, type(uint256).max, block.timestamp, address(hook)))
        );
        uint256 proceeds = _sellFor(alice, c, HONOR, SHARES, alice);

        _assertGuardRefused(hook.reentrySucceeded(), hook.reentryReturnData());
        assertLe(proceeds, cost, "no round-trip profit");
        assertEq(hook.balanceOf(alice), TRADER_FUNDS - cost + proceeds);
        assertEq(_sold(c, HONOR), 0);
        assertEq(_sold(c, BREACH), SHARES, "bob's position untouched");
        assertEq(vault.balanceOf(bob, _posOf(hook, c, BREACH)), SHARES);
        assertEq(hook.balanceOf(bob), TRADER_FUNDS - bobCost);
        assertEq(
            hook.balanceOf(address(maker)) + hook.balanceOf(address(vault)),
            paid + cost + bobCost - proceeds,
            "every unit in the books"
        );
    }

    function test_attack_reentrantTokenMakerWithdrawReentersWithdraw_refused() public {
        (ConditionId c, uint256 paid) = _hookMarket();
        uint256 cost = _buy(alice, c, BREACH, SHARES);
        _report(Q_HOOK, 0, 1); // HONOR: alice's BREACH pays nothing, the maker's inventory everything
        // The vault's payout of the maker's inventory calls back: withdraw a second time.
        hook.arm(address(maker), abi.encodeCall(maker.withdraw, (c, address(hook))));
        vm.prank(sponsor);
        uint256 got = maker.withdraw(c, sponsor);

        _assertGuardRefused(hook.reentrySucceeded(), hook.reentryReturnData());
        assertEq(got, paid + cost, "the sponsor gets the subsidy and alice's losing stake, once");
        assertEq(hook.balanceOf(sponsor), got);
        assertEq(hook.balanceOf(address(hook)), 0);
        assertEq(hook.balanceOf(address(maker)), 0);
        assertEq(hook.balanceOf(address(vault)), 0);
        vm.prank(alice);
        assertEq(vault.redeem(hook, ROOT, c), 0, "the losing side redeems nothing");
    }

    // ======================================================= cross-contract

    function test_attack_reentrantReceiverBuyPayoutOpensMarketViaBreachMarkets_refused() public {
        // A breach-market buy delivers shares to a receiver that, from its hook, opens another pledge's market:
        // BreachMarkets is not locked, but the maker (mid-buy) is.
        ReentrantERC1155Receiver r = new ReentrantERC1155Receiver();
        PledgeId other = _create();
        uint256 sub = markets.quoteSubsidy(LIQUIDITY);
        token.mint(address(r), sub);
        r.execute(address(token), abi.encodeCall(IERC20.approve, (address(markets), sub)));
        r.arm(address(markets), abi.encodeCall(markets.openMarket, (other, LIQUIDITY, TRADE_FEE_BPS)));
        uint256 vaultBefore = token.balanceOf(address(vault));

        uint256 cost = _buyFor(alice, conditionId, HONOR, SHARES, address(r));

        assertTrue(r.reentered(), "hook did not fire");
        _assertGuardRefused(r.reentrySucceeded(), r.reentryReturnData());
        assertEq(vault.balanceOf(address(r), _pos(conditionId, HONOR)), SHARES);
        assertEq(token.balanceOf(address(r)), sub, "the receiver's subsidy never left it");
        (address s, uint256 paidSub) = markets.sponsorOf(other);
        assertEq(s, address(0));
        assertEq(paidSub, 0);
        ConditionId otherC = markets.conditionOf(other);
        assertEq(uint256(vault.conditionState(otherC)), uint256(IOutcomeVault.ConditionState.None));
        assertEq(uint256(maker.marketState(otherC)), uint256(ILmsrMarketMaker.MarketState.None));
        assertEq(markets.marketOf(otherC).pledger, address(0));
        assertEq(token.balanceOf(address(markets)), 0);
        assertEq(token.balanceOf(address(vault)) + token.balanceOf(address(maker)), vaultBefore + cost);
    }

    // ============================================ burn before mint (split)

    /// @dev A receiver holding 1,000 full sets of question A (split from `token`), and question B prepared.
    function _receiverWithSets() internal returns (ReentrantERC1155Receiver r, ConditionId a, ConditionId b) {
        r = new ReentrantERC1155Receiver();
        token.mint(address(r), 2_000);
        r.execute(address(token), abi.encodeCall(IERC20.approve, (address(vault), type(uint256).max)));
        a = vault.prepareCondition(Q_A, 2);
        b = vault.prepareCondition(Q_B, 3);
        r.execute(address(vault), abi.encodeCall(IOutcomeVault.split, (IERC20(address(token)), ROOT, a, 1_000)));
    }

    function test_attack_mintBeforeBurn_nestedSplitHookSeesParentDebited() public {
        (ReentrantERC1155Receiver r, ConditionId a, ConditionId b) = _receiverWithSets();
        uint256 a0 = _pos(a, 0);
        uint256 vaultBefore = token.balanceOf(address(vault));
        // While the children are minted, read the receiver's parent balance: it must already be debited.
        r.arm(address(vault), abi.encodeCall(vault.balanceOf, (address(r), a0)));
        r.execute(address(vault), abi.encodeCall(IOutcomeVault.split, (IERC20(address(token)), PositionId.wrap(a0), b, 400)));

        assertTrue(r.reentered(), "the batch receiver hook did not run");
        assertTrue(r.reentrySucceeded(), "the probe failed");
        assertEq(abi.decode(r.reentryReturnData(), (uint256)), 600, "the parent was still held while children minted");
        assertEq(vault.balanceOf(address(r), a0), 600);
        for (uint256 j; j < 3; ++j) {
            assertEq(vault.balanceOf(address(r), PositionId.unwrap(vault.positionId(token, PositionId.wrap(a0), b, j))), 400);
        }
        assertEq(token.balanceOf(address(vault)), vaultBefore, "a nested split moves no collateral");
    }

    function test_attack_mintBeforeBurn_collateralSplitHookSeesCollateralPulled() public {
        (ReentrantERC1155Receiver r, ConditionId a,) = _receiverWithSets();
        uint256 vaultBefore = token.balanceOf(address(vault));
        // While the positions are minted, read the vault's collateral: it must already hold the new 300.
        r.arm(address(token), abi.encodeCall(IERC20.balanceOf, (address(vault))));
        r.execute(address(vault), abi.encodeCall(IOutcomeVault.split, (IERC20(address(token)), ROOT, a, 300)));

        assertTrue(r.reentered(), "the batch receiver hook did not run");
        assertTrue(r.reentrySucceeded(), "the probe failed");
        assertEq(
            abi.decode(r.reentryReturnData(), (uint256)), vaultBefore + 300, "positions minted before collateral arrived"
        );
        assertEq(vault.balanceOf(address(r), _pos(a, 0)), 1_300);
        assertEq(vault.balanceOf(address(r), _pos(a, 1)), 1_300);
        assertEq(token.balanceOf(address(r)), 700);
    }

    // ============================================= book before paying

    function test_attack_payBeforeBook_claimHookSeesZeroClaimable() public {
        ProbeERC20 probe = new ProbeERC20();
        PledgeId honored = _pledgeWith(probe);
        PledgeId other = _pledgeWith(probe);
        vm.warp(_end(honored));
        registry.finalize(honored);
        registry.finalize(other);
        assertEq(registry.claimable(pledger, probe), 2 * uint256(BOND), "both bonds credited to the pledger");

        probe.watch(
            address(registry), address(registry), abi.encodeCall(registry.claimable, (pledger, IERC20(address(probe))))
        );
        vm.prank(pledger);
        assertEq(registry.claim(probe, pledger), 2 * uint256(BOND));

        assertEq(probe.probes(), 1, "one transfer out of the registry");
        assertEq(abi.decode(probe.probed(), (uint256)), 0, "the claimable balance was still booked when paid");
        assertEq(probe.balanceOf(pledger), 2 * uint256(BOND));
        assertEq(probe.balanceOf(address(registry)), 0);
    }

    function test_attack_payBeforeBook_makerWithdrawHookSeesWithdrawn() public {
        ProbeERC20 probe = new ProbeERC20();
        (ConditionId c, uint256 paid) = _marketIn(probe, Q_HOOK, B);
        _fundTrader(probe, alice);
        uint256 cost = _buy(alice, c, HONOR, SHARES);
        _report(Q_HOOK, 1, 0);

        probe.watch(address(maker), address(maker), abi.encodeCall(maker.getMarket, (c)));
        vm.prank(sponsor);
        uint256 got = maker.withdraw(c, sponsor);

        assertEq(probe.probes(), 1, "one transfer out of the maker");
        ILmsrMarketMaker.Market memory seen = abi.decode(probe.probed(), (ILmsrMarketMaker.Market));
        assertTrue(seen.withdrawn, "paid before the withdrawal was booked");
        assertEq(seen.cash, 0, "cash still booked when paid");
        assertEq(seen.sets, 0);
        assertEq(got, paid + cost, "BREACH won: the maker's whole inventory and cash");
        assertEq(probe.balanceOf(sponsor), got);
        assertEq(probe.balanceOf(address(maker)), 0);
        vm.prank(alice);
        assertEq(vault.redeem(probe, ROOT, c), 0);
        assertEq(probe.balanceOf(address(vault)), 0);
    }
}
