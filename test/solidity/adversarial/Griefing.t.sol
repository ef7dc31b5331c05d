// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IArbiter} from "../../../contracts/interfaces/IArbiter.sol";
import {IMarketGate} from "../../../contracts/interfaces/IMarketGate.sol";
import {IOptimisticResolution} from "../../../contracts/interfaces/IOptimisticResolution.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {LmsrMath} from "../../../contracts/markets/LmsrMath.sol";
import {ChallengeId, PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {MockArbiter} from "../../mocks/MockArbiter.sol";
import {MockMarketGate} from "../../mocks/MockMarketGate.sol";
import {AdversarialBase} from "./AdversarialBase.sol";

/// @notice Dispute griefing (challenge spam, front-running the challenge slot, the challenge bond and a finalize) and
/// failing callbacks (an arbiter that never rules or eats all gas, a gate that refuses every trade). Each griefer
/// pays for its attack or gains nothing, and nobody else loses anything.
contract GriefingAttacksTest is AdversarialBase {
    IPledgeRegistry.PledgeState internal constant ACTIVE = IPledgeRegistry.PledgeState.Active;
    IPledgeRegistry.PledgeState internal constant CHALLENGED = IPledgeRegistry.PledgeState.Challenged;

    /// @dev `ceil(amount * FEE_BPS / BPS)`, written out here.
    function _fee(uint256 amount) internal pure returns (uint256) {
        return (amount * FEE_BPS + BPS - 1) / BPS;
    }

    function test_attack_challengeSpam_escalatingBondsPriceTheSpammerOut() public {
        // The spammer challenges, the pledger disputes and the arbiter rejects, over and over: each round costs the
        // spammer its bond, which doubles until it reaches the pledge's bond; the pledge itself never moves.
        PledgeId id = _create();
        uint256 spent;
        uint256 pledgerWins;
        uint256 fees;
        uint256 expected = CHALLENGE_BOND;
        for (uint256 round; round < 9; ++round) {
            (, uint256 required) = registry.requiredChallengeBond(id);
            assertEq(required, expected, "escalated bond");
            ChallengeId cid = _challengeAs(attacker, id);
            _disputeAs(pledger, id);
            _rule(cid, false);
            spent += required;
            fees += _fee(required);
            pledgerWins += 2 * required - _fee(required);
            expected = 2 * expected > BOND ? BOND : 2 * expected;
        }
        (, uint256 finalBond) = registry.requiredChallengeBond(id);
        assertEq(finalBond, BOND, "capped at the pledge's own bond");
        assertEq(registry.getPledge(id).bond, BOND, "the bond is untouched");
        _assertState(id, ACTIVE);
        assertEq(registry.claimable(attacker, token), 0, "the spammer gets nothing back");
        assertEq(registry.claimable(pledger, token), pledgerWins, "the pledger is paid for every rejected spam");
        assertEq(registry.claimable(treasury, token), fees);
        assertEq(spent, pledgerWins + fees - spent, "every wei the spammer lost is accounted for");
        // An honest challenger can still get in, at the capped bond.
        _challengeAs(challenger, id);
        _assertState(id, IPledgeRegistry.PledgeState.Challenged);
    }

    function test_attack_frontRunChallengeSlot_honestChallengeRefusedShamStillSlashes() public {
        // The pledger's accomplice front-runs an honest challenge to occupy the single challenge slot.
        PledgeId id = _create();
        _challengeAs(attacker, id);
        _fund(challenger, CHALLENGE_BOND);
        uint256[] memory before = _snapshot();
        _expectUnexpectedState(id, IPledgeRegistry.PledgeState.Challenged, ALLOWED_CHALLENGE);
        vm.prank(challenger);
        registry.challenge(id, EVIDENCE_URI, type(uint256).max);
        _assertUnchanged(before);
        // The sham challenge cannot be withdrawn: left undisputed it slashes the pledge like the honest one would.
        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(id);
        assertEq(registry.claimable(beneficiary, token), BENEFICIARY_SHARE, "the beneficiary loses nothing");
        assertEq(registry.claimable(attacker, token), CHALLENGE_BOND + REWARD);
        assertEq(registry.claimable(pledger, token), 0, "the pledger still loses its bond");
        assertEq(token.balanceOf(challenger), CHALLENGE_BOND, "the honest challenger's funds never moved");
    }

    function test_attack_frontRunTopUpRaisesChallengeBond_maxBondRefuses() public {
        // Once escalation reaches the cap (the pledge's bond), the pledger can raise the bond a pending challenge
        // must post by topping up first. The challenger signed for the quoted bond (`maxBond`): even with an
        // unlimited approval its challenge reverts instead of posting more.
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.challengeBond = BOND; // the cap from the first escalation on
        PledgeId id = _create(params);
        ChallengeId cid = _challengeAs(attacker, id);
        _disputeAs(pledger, id);
        _rule(cid, false);
        (, uint256 quoted) = registry.requiredChallengeBond(id);
        assertEq(quoted, BOND);
        token.mint(challenger, 10 * uint256(BOND));
        vm.prank(challenger);
        token.approve(address(registry), type(uint256).max);

        _fund(pledger, BOND / 2);
        vm.prank(pledger);
        registry.topUp(id, BOND / 2);
        (, uint256 raised) = registry.requiredChallengeBond(id);
        assertEq(raised, uint256(BOND) + BOND / 2);
        uint256[] memory before = _snapshot();
        vm.expectRevert(
            abi.encodeWithSelector(IOptimisticResolution.ChallengeBondAboveMax.selector, id, raised, quoted)
        );
        vm.prank(challenger);
        registry.challenge(id, EVIDENCE_URI, quoted);
        _assertUnchanged(before);
        assertEq(token.balanceOf(challenger), 10 * uint256(BOND));
        _assertState(id, ACTIVE);

        // Re-quoted, the same challenger goes through and posts exactly the new bond.
        vm.prank(challenger);
        registry.challenge(id, EVIDENCE_URI, raised);
        assertEq(token.balanceOf(challenger), 10 * uint256(BOND) - raised);
        _assertState(id, CHALLENGED);
    }

    function test_attack_frontRunFinalize_strangerFinalizesButGainsNothing() public {
        PledgeId honored = _create();
        PledgeId slashed = _create();
        _challenge(slashed);
        vm.warp(_end(honored));
        vm.startPrank(attacker);
        registry.finalize(honored);
        registry.finalize(slashed);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.NothingToClaim.selector, attacker, IERC20(token)));
        registry.claim(token, attacker);
        vm.stopPrank();
        assertEq(registry.claimable(pledger, token), BOND, "credited to the pledger, whoever finalized");
        assertEq(registry.claimable(challenger, token), CHALLENGE_BOND + REWARD);
        assertEq(registry.claimable(beneficiary, token), BENEFICIARY_SHARE);
        assertEq(token.balanceOf(attacker), TRADER_FUNDS);
    }

    function test_attack_arbiterNeverRules_timeoutVoidsRefundsAndReopensTrading() public {
        ChallengeId cid = _challenge(pledgeId);
        _dispute(pledgeId);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Disputed);
        _buy(alice, HONOR, SHARES);
        // The arbiter stays silent; at the deadline anyone voids the challenge.
        vm.warp(block.timestamp + TIMEOUT);
        uint256 registryBefore = token.balanceOf(address(registry));
        vm.prank(attacker);
        registry.voidChallenge(pledgeId);
        assertEq(registry.claimable(challenger, token), CHALLENGE_BOND, "refunded to the wei");
        assertEq(registry.claimable(disputer, token), CHALLENGE_BOND, "refunded to the wei");
        assertEq(registry.claimable(attacker, token), 0);
        assertEq(registry.claimable(treasury, token), 0, "no fee on a void");
        assertEq(token.balanceOf(address(registry)), registryBefore);
        assertEq(registry.getPledge(pledgeId).rejectedChallenges, 0, "no escalation from a void");
        assertEq(ChallengeId.unwrap(registry.openChallenge(pledgeId)), 0);
        (, uint256 next) = registry.requiredChallengeBond(pledgeId);
        assertEq(next, CHALLENGE_BOND);
        _buy(alice, HONOR, SHARES);
        assertEq(_shares(alice, HONOR), SHARES, "trading reopened");
        assertEq(ChallengeId.unwrap(cid), 1);
    }

    function test_attack_gasBurningArbiter_disputeFailsAndOnlyThePledgerPays() public {
        // A pledger names an arbiter whose dispute hook eats all gas: no dispute can go through, so every challenge
        // stands. The arbiter is the pledger's own choice; it hurts only the pledger.
        MockArbiter burner = new MockArbiter(registry);
        burner.setBurnGasOnDispute(true);
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.arbiter = IArbiter(address(burner));
        PledgeId id = _create(params);
        _challenge(id);
        _fund(disputer, CHALLENGE_BOND);
        uint256[] memory before = _snapshot();
        vm.prank(disputer);
        (bool ok, bytes memory ret) = address(registry).call{gas: 2_000_000}(abi.encodeCall(registry.dispute, (id)));
        assertFalse(ok, "dispute went through");
        assertEq(ret.length, 0, "out of gas in the arbiter: no revert data");
        _assertUnchanged(before);
        assertEq(burner.disputesReceived(), 0);
        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(id);
        assertEq(registry.claimable(challenger, token), CHALLENGE_BOND + REWARD);
        assertEq(token.balanceOf(disputer), CHALLENGE_BOND, "the would-be disputer lost nothing");
    }

    function test_attack_refusingGate_blocksTradesButNotRedemptionOrWithdrawal() public {
        MockMarketGate gate = new MockMarketGate();
        bytes32 q = keccak256("gated market");
        ConditionId c = vault.prepareCondition(q, 2);
        uint256 paid = LmsrMath.subsidy(B, 2);
        token.mint(address(this), paid);
        token.approve(address(maker), paid);
        maker.createMarket(c, token, B, TRADE_FEE_BPS, sponsor, IMarketGate(address(gate)));
        uint256 cost = _buy(alice, c, HONOR, SHARES);
        gate.setClosed(true);
        bytes32 books = _marketHash(c);
        vm.expectRevert(abi.encodeWithSelector(MockMarketGate.GateClosed.selector, c));
        _buy(bob, c, HONOR, SHARES);
        vm.expectRevert(abi.encodeWithSelector(MockMarketGate.GateClosed.selector, c));
        _sellFor(alice, c, HONOR, SHARES, alice);
        assertEq(_marketHash(c), books);
        assertEq(token.balanceOf(bob), TRADER_FUNDS);

        _report(q, 0, 1);
        vm.prank(alice);
        assertEq(vault.redeem(token, ROOT, c), SHARES, "the gate is not asked on redemption");
        vm.prank(sponsor);
        assertEq(maker.withdraw(c, sponsor), paid + cost - SHARES, "nor on withdrawal");
    }
}
