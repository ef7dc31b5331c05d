// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {LmsrMath} from "../../../contracts/markets/LmsrMath.sol";
import {PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {MockERC20} from "../../mocks/MockERC20.sol";
import {NoReturnERC20} from "../../mocks/NoReturnERC20.sol";
import {RebasingERC20} from "../../mocks/RebasingERC20.sol";
import {ReturnsFalseERC20} from "../../mocks/ReturnsFalseERC20.sol";
import {RevertOnZeroERC20} from "../../mocks/RevertOnZeroERC20.sol";
import {AdversarialBase} from "./AdversarialBase.sol";

/// @notice Hostile and odd tokens across the registry, the vault and the maker: tokens that return nothing (must
/// work), return false (refused, nothing moved), revert on zero transfers (never asked to move zero), rebase (stated
/// assumption: the behaviour is pinned down exactly) and have 6 decimals (end to end, to the wei).
contract HostileTokenAttacksTest is AdversarialBase {
    bytes32 internal constant Q = keccak256("hostile token market");
    uint128 internal constant EVEN_BOND = 2_000_000;

    /// @dev Mints `amount` of the no-return token to `who` and approves `spender` for it (through its own ABI).
    function _fundNoReturn(NoReturnERC20 nr, address who, uint256 amount, address spender) internal {
        nr.mint(who, amount);
        vm.prank(who);
        nr.approve(spender, type(uint256).max);
    }

    // ============================================================ no return

    function test_attack_noReturnToken_pledgeSlashAndClaimsWork() public {
        NoReturnERC20 nr = new NoReturnERC20(18);
        IERC20 t = IERC20(address(nr));
        IPledgeRegistry.PledgeParams memory params = _params();
        params.token = t;
        _fundNoReturn(nr, pledger, BOND, address(registry));
        vm.prank(pledger);
        PledgeId id = registry.createPledge(params);
        _fundNoReturn(nr, challenger, CHALLENGE_BOND, address(registry));
        vm.prank(challenger);
        registry.challenge(id, EVIDENCE_URI, type(uint256).max);
        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(id);

        vm.prank(challenger);
        assertEq(registry.claim(t, challenger), CHALLENGE_BOND + REWARD);
        vm.prank(beneficiary);
        assertEq(registry.claim(t, beneficiary), BENEFICIARY_SHARE);
        assertEq(nr.balanceOf(challenger), CHALLENGE_BOND + REWARD);
        assertEq(nr.balanceOf(beneficiary), BENEFICIARY_SHARE);
        assertEq(nr.balanceOf(pledger), 0);
        assertEq(nr.balanceOf(address(registry)), 0, "every wei paid out");
    }

    function test_attack_noReturnToken_breachMarketEndToEnd() public {
        NoReturnERC20 nr = new NoReturnERC20(18);
        IERC20 t = IERC20(address(nr));
        IPledgeRegistry.PledgeParams memory params = _params();
        params.token = t;
        _fundNoReturn(nr, pledger, BOND, address(registry));
        vm.prank(pledger);
        PledgeId id = registry.createPledge(params);
        uint256 sub = markets.quoteSubsidy(LIQUIDITY);
        _fundNoReturn(nr, sponsor, sub, address(markets));
        vm.prank(sponsor);
        (ConditionId c,) = markets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
        _fundNoReturn(nr, alice, TRADER_FUNDS, address(maker));
        _fundNoReturn(nr, bob, TRADER_FUNDS, address(maker));
        uint256 aliceCost = _buy(alice, c, HONOR, SHARES);
        uint256 bobCost = _buy(bob, c, BREACH, SHARES);
        vm.prank(bob);
        uint256 bobBack = maker.sell(c, BREACH, SHARES, 0, block.timestamp, bob);

        vm.warp(_end(id));
        registry.finalize(id);
        assertFalse(markets.resolve(id));
        vm.prank(alice);
        assertEq(vault.redeem(t, ROOT, c), SHARES);
        uint256 toSponsor = _withdrawSubsidy(sponsor, id, sponsor);
        vm.prank(pledger);
        registry.claim(t, pledger);

        assertEq(nr.balanceOf(alice), TRADER_FUNDS - aliceCost + SHARES);
        assertEq(nr.balanceOf(bob), TRADER_FUNDS - bobCost + bobBack);
        assertEq(toSponsor, sub + aliceCost + bobCost - bobBack - SHARES, "the sponsor gets the rest, to the wei");
        assertEq(nr.balanceOf(sponsor), toSponsor);
        assertEq(nr.balanceOf(pledger), BOND);
        assertEq(nr.balanceOf(address(vault)) + nr.balanceOf(address(maker)) + nr.balanceOf(address(markets)), 0);
        assertEq(nr.balanceOf(address(registry)), 0);
    }

    // ========================================================= returns false

    function test_attack_returnsFalseToken_refusedEverywhereNothingMoved() public {
        ReturnsFalseERC20 rf = new ReturnsFalseERC20();
        IPledgeRegistry.PledgeParams memory params = _params();
        params.token = rf;
        // A pledge made while the token still works, honored and credited.
        PledgeId id = _create(params);
        vm.warp(_end(id));
        registry.finalize(id);
        _fund(rf, pledger, BOND);
        rf.mint(alice, 1_000);
        vm.prank(alice);
        rf.approve(address(vault), type(uint256).max);
        ConditionId c = vault.prepareCondition(Q, 2);
        rf.setFailing(true);

        bytes memory failed = abi.encodeWithSelector(SafeERC20.SafeERC20FailedOperation.selector, address(rf));
        params.expiry = uint64(block.timestamp + TERM);
        vm.expectRevert(failed);
        vm.prank(pledger);
        registry.createPledge(params);
        vm.expectRevert(failed);
        vm.prank(pledger);
        registry.claim(rf, pledger);
        vm.expectRevert(failed);
        vm.prank(alice);
        vault.split(rf, ROOT, c, 1_000);
        rf.mint(address(this), LmsrMath.subsidy(B, 2));
        rf.approve(address(maker), type(uint256).max);
        vm.expectRevert(failed);
        maker.createMarket(c, rf, B, TRADE_FEE_BPS, sponsor, NO_GATE);

        assertEq(registry.pledgeCount(), 2, "no pledge created");
        assertEq(registry.claimable(pledger, rf), BOND, "the claim is still booked");
        assertEq(rf.balanceOf(address(registry)), BOND);
        assertEq(rf.balanceOf(pledger), BOND);
        assertEq(rf.balanceOf(alice), 1_000);
        assertEq(rf.balanceOf(address(vault)), 0);
        assertEq(vault.balanceOf(alice, _posOf(rf, c, 0)), 0);
        assertEq(maker.getMarket(c).sets, 0, "no market");
    }

    // ======================================================= revert on zero

    function test_attack_revertOnZeroToken_zeroPayoutsAreNeverSent() public {
        RevertOnZeroERC20 rz = new RevertOnZeroERC20();
        (ConditionId c, uint256 paid) = _marketIn(rz, Q, B);
        _fundTrader(rz, alice);
        _fundTrader(rz, bob);
        uint256 aliceCost = _buy(alice, c, BREACH, SHARES);
        uint256 bobCost = _buy(bob, c, HONOR, SHARES);
        _report(Q, 0, 1);

        vm.prank(alice);
        assertEq(vault.redeem(rz, ROOT, c), 0, "a losing redemption pays nothing and does not revert");
        vm.prank(alice);
        assertEq(vault.redeem(rz, ROOT, c), 0, "nor does redeeming nothing");
        vm.prank(bob);
        assertEq(vault.redeem(rz, ROOT, c), SHARES);
        vm.prank(sponsor);
        uint256 got = maker.withdraw(c, sponsor);
        assertEq(got, paid + aliceCost + bobCost - SHARES);
        // The registry never sends zero either: an empty claim or flush is refused before any transfer.
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.NothingToClaim.selector, alice, IERC20(address(rz))));
        vm.prank(alice);
        registry.claim(rz, alice);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.NothingToClaim.selector, BURN, IERC20(address(rz))));
        registry.flushBurned(rz);

        assertEq(rz.balanceOf(alice), TRADER_FUNDS - aliceCost);
        assertEq(rz.balanceOf(bob), TRADER_FUNDS - bobCost + SHARES);
        assertEq(rz.balanceOf(address(vault)) + rz.balanceOf(address(maker)), 0);
    }

    // ============================================================= rebasing

    function test_attack_rebasingPositive_surplusStrandedNobodyWithdrawsMore() public {
        RebasingERC20 rb = new RebasingERC20();
        IPledgeRegistry.PledgeParams memory params = _params();
        params.token = rb;
        params.bond = EVEN_BOND;
        PledgeId id = _create(params);
        rb.setIndex(2e18); // +100 %
        assertEq(rb.balanceOf(address(registry)), 2 * uint256(EVEN_BOND));

        // After the rebase an odd amount moves one unit short: the exact-amount check refuses it.
        _fund(rb, stranger, 2 * uint256(CHALLENGE_BOND) + 2);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPledgeRegistry.TokenTransferMismatch.selector, IERC20(address(rb)), CHALLENGE_BOND, CHALLENGE_BOND - 1
            )
        );
        vm.prank(stranger);
        registry.challenge(id, EVIDENCE_URI, type(uint256).max);

        vm.warp(_end(id));
        registry.finalize(id);
        vm.prank(pledger);
        assertEq(registry.claim(rb, pledger), EVEN_BOND, "the pledger gets its bond, not the rebase");
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.NothingToClaim.selector, pledger, IERC20(address(rb))));
        vm.prank(pledger);
        registry.claim(rb, pledger);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.NothingToClaim.selector, BURN, IERC20(address(rb))));
        registry.flushBurned(rb);

        assertEq(rb.balanceOf(pledger), EVEN_BOND);
        assertEq(rb.balanceOf(address(registry)), EVEN_BOND, "the rebase surplus is stranded in the registry");
    }

    function test_attack_rebasingNegative_lastClaimantCarriesTheWholeShortfall() public {
        RebasingERC20 rb = new RebasingERC20();
        IPledgeRegistry.PledgeParams memory params = _params();
        params.token = rb;
        params.bond = EVEN_BOND;
        PledgeId first = _create(params);
        address other = makeAddr("other pledger");
        _fund(rb, other, EVEN_BOND);
        vm.prank(other);
        PledgeId second = registry.createPledge(params);
        rb.setIndex(0.5e18); // -50 %: the registry holds half of what it owes
        vm.warp(_end(first));
        registry.finalize(first);
        registry.finalize(second);

        vm.prank(pledger);
        assertEq(registry.claim(rb, pledger), EVEN_BOND, "the first claimant is paid in full");
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, address(registry), 0, EVEN_BOND)
        );
        vm.prank(other);
        registry.claim(rb, other);

        assertEq(rb.balanceOf(pledger), EVEN_BOND);
        assertEq(rb.balanceOf(other), 0, "the last claimant is short by the whole loss");
        assertEq(registry.claimable(other, rb), EVEN_BOND, "still booked, unpayable");
        assertEq(rb.balanceOf(address(registry)), 0);
    }

    function test_attack_rebasingNegative_vaultLastRedeemerShort() public {
        RebasingERC20 rb = new RebasingERC20();
        ConditionId c = vault.prepareCondition(Q, 2);
        rb.mint(alice, 1_000);
        rb.mint(bob, 1_000);
        vm.prank(alice);
        rb.approve(address(vault), type(uint256).max);
        vm.prank(bob);
        rb.approve(address(vault), type(uint256).max);
        vm.prank(alice);
        vault.split(rb, ROOT, c, 1_000);
        vm.prank(bob);
        vault.split(rb, ROOT, c, 1_000);
        rb.setIndex(0.5e18);
        _report(Q, 1, 0);

        vm.prank(alice);
        assertEq(vault.redeem(rb, ROOT, c), 1_000, "the first redeemer is paid in full");
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, address(vault), 0, 1_000));
        vm.prank(bob);
        vault.redeem(rb, ROOT, c);

        assertEq(rb.balanceOf(alice), 1_000);
        assertEq(rb.balanceOf(bob), 0);
        assertEq(vault.balanceOf(bob, _posOf(rb, c, BREACH)), 1_000, "bob keeps an unpayable position");
        assertEq(vault.collateralHeld(rb), 0);
    }

    // ============================================================ 6 decimals

    function test_attack_sixDecimals_disputedSlashSplitsToTheWei() public {
        MockERC20 usdc = new MockERC20("USD Coin", "USDC", 6);
        IPledgeRegistry.PledgeParams memory params = _params();
        params.token = usdc;
        params.bond = 1_000_001; // 1.000001 USDC
        params.resolution.challengeBond = 250_001;
        PledgeId id = _create(params);
        _challenge(id);
        _dispute(id);
        arbiter.rule(registry.openChallenge(id), true);

        // Worked by hand: fee = ceil(250_001 * 5 %) = 12_501; the challenger gets both bonds less the fee
        // (487_501) plus the reward floor(1_000_001 * 10 %) = 100_000; the beneficiary the rest, 900_001.
        assertEq(registry.claimable(challenger, usdc), 587_501);
        assertEq(registry.claimable(beneficiary, usdc), 900_001);
        assertEq(registry.claimable(treasury, usdc), 12_501);
        assertEq(registry.claimable(disputer, usdc), 0);
        vm.prank(challenger);
        registry.claim(usdc, challenger);
        vm.prank(beneficiary);
        registry.claim(usdc, beneficiary);
        vm.prank(treasury);
        registry.claim(usdc, treasury);
        assertEq(usdc.balanceOf(challenger) + usdc.balanceOf(beneficiary) + usdc.balanceOf(treasury), 1_500_003);
        assertEq(usdc.balanceOf(address(registry)), 0, "nothing left, nothing short");
    }

    function test_attack_sixDecimals_marketEndToEndToTheWei() public {
        MockERC20 usdc = new MockERC20("USD Coin", "USDC", 6);
        uint128 b = 1_000e6 + 7;
        (ConditionId c, uint256 paid) = _marketIn(usdc, Q, b);
        _fundTrader(usdc, alice);
        _fundTrader(usdc, bob);
        uint256 shares = 250e6 + 3;
        uint256 aliceCost = _buy(alice, c, BREACH, shares);
        uint256 bobCost = _buy(bob, c, HONOR, 2 * shares);
        vm.prank(bob);
        uint256 bobBack = maker.sell(c, HONOR, shares, 0, block.timestamp, bob);
        _report(Q, 1, 0);

        vm.prank(alice);
        assertEq(vault.redeem(usdc, ROOT, c), shares);
        vm.prank(bob);
        assertEq(vault.redeem(usdc, ROOT, c), 0);
        vm.prank(sponsor);
        uint256 got = maker.withdraw(c, sponsor);

        assertEq(got, paid + aliceCost + bobCost - bobBack - shares, "the sponsor gets the rest, to the wei");
        assertEq(usdc.balanceOf(address(vault)) + usdc.balanceOf(address(maker)), 0, "no dust left behind");
        assertEq(
            usdc.balanceOf(alice) + usdc.balanceOf(bob) + usdc.balanceOf(sponsor), usdc.totalSupply(), "conserved"
        );
    }
}
