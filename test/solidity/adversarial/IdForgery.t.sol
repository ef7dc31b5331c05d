// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IArbiter} from "../../../contracts/interfaces/IArbiter.sol";
import {ICommitteeArbiter} from "../../../contracts/interfaces/ICommitteeArbiter.sol";
import {IOptimisticResolution} from "../../../contracts/interfaces/IOptimisticResolution.sol";
import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {CommitteeArbiter} from "../../../contracts/resolution/CommitteeArbiter.sol";
import {ChallengeId, PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId, PositionId} from "../../../contracts/types/MarketIds.sol";
import {AdversarialBase} from "./AdversarialBase.sol";

/// @notice Id forgery and collisions: unknown pledge, challenge, condition and position ids (including ids that differ
/// from real ones only in their high bits) on every external entry point of the registry, the committee and the
/// vault, one table-driven test per contract (the markets are in IdForgeryMarkets.t.sol). Each forged id is refused
/// with the contract's own error and nobody's balance moves.
contract IdForgeryAttacksTest is AdversarialBase {
    function test_attack_forgedIds_registryEveryEntryPoint() public {
        ChallengeId real = _challenge(_create()); // a real challenge (id 1) on a second pledge
        uint256[] memory before = _snapshot();
        PledgeId[5] memory ids = _forgedPledgeIds();
        vm.startPrank(attacker);
        for (uint256 i; i < ids.length; ++i) {
            PledgeId id = ids[i];
            bytes memory unknown = abi.encodeWithSelector(IPledgeRegistry.PledgeUnknown.selector, id);
            vm.expectRevert(unknown);
            registry.topUp(id, 1);
            vm.expectRevert(unknown);
            registry.finalize(id);
            vm.expectRevert(unknown);
            registry.challenge(id, EVIDENCE_URI, type(uint256).max);
            vm.expectRevert(unknown);
            registry.dispute(id);
            vm.expectRevert(unknown);
            registry.voidChallenge(id);
            vm.expectRevert(unknown);
            registry.requiredChallengeBond(id);
            assertEq(uint256(registry.state(id)), uint256(IPledgeRegistry.PledgeState.None));
            assertEq(registry.getPledge(id).pledger, address(0));
            assertEq(ChallengeId.unwrap(registry.openChallenge(id)), 0);
        }
        ChallengeId[4] memory cids = [
            ChallengeId.wrap(0),
            ChallengeId.wrap(ChallengeId.unwrap(real) + 1),
            ChallengeId.wrap((uint256(1) << 64) | ChallengeId.unwrap(real)),
            ChallengeId.wrap(type(uint256).max)
        ];
        for (uint256 i; i < cids.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IOptimisticResolution.ChallengeUnknown.selector, cids[i]));
            registry.rule(cids[i], true);
            assertEq(registry.getChallenge(cids[i]).challenger, address(0));
        }
        // A token nobody was ever credited in.
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.NothingToClaim.selector, attacker, IERC20(address(0xBEEF))));
        registry.claim(IERC20(address(0xBEEF)), attacker);
        vm.stopPrank();
        _assertUnchanged(before);
    }

    function test_attack_forgedIds_committeeEveryEntryPoint() public {
        address[] memory members = new address[](3);
        members[0] = makeAddr("m0");
        members[1] = makeAddr("m1");
        members[2] = makeAddr("m2");
        CommitteeArbiter committee = new CommitteeArbiter(registry, members, 2);
        IPledgeRegistry.PledgeParams memory params = _params();
        params.resolution.arbiter = IArbiter(address(committee));
        PledgeId id = _create(params);
        ChallengeId real = _challenge(id);
        _dispute(id);
        uint256[] memory before = _snapshot();

        ChallengeId[4] memory forged = [
            ChallengeId.wrap(0),
            ChallengeId.wrap(ChallengeId.unwrap(real) + 1),
            ChallengeId.wrap((uint256(1) << 128) | ChallengeId.unwrap(real)),
            ChallengeId.wrap(type(uint256).max)
        ];
        for (uint256 i; i < forged.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.DisputeUnknown.selector, forged[i]));
            vm.prank(members[0]);
            committee.vote(forged[i], true);
            // Only the registry announces disputes: nobody can make a forged id known.
            vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.CallerNotRegistry.selector, attacker));
            vm.prank(attacker);
            committee.onDisputed(forged[i], id, uint64(block.timestamp + 1));
            (bool known,,,) = committee.tally(forged[i]);
            assertFalse(known);
        }
        vm.expectRevert(abi.encodeWithSelector(ICommitteeArbiter.CallerNotMember.selector, attacker));
        vm.prank(attacker);
        committee.vote(real, true);
        (bool realKnown, bool ruled, uint8 yes, uint8 no) = committee.tally(real);
        assertTrue(realKnown);
        assertFalse(ruled);
        assertEq(yes + no, 0, "no vote was counted anywhere");
        _assertState(id, IPledgeRegistry.PledgeState.Disputed);
        _assertUnchanged(before);
    }

    function test_attack_forgedIds_vaultEveryEntryPoint() public {
        uint256[] memory before = _snapshot();
        ConditionId[3] memory ids = _forgedConditions();
        vm.startPrank(attacker);
        token.approve(address(vault), type(uint256).max);
        for (uint256 i; i < ids.length; ++i) {
            ConditionId c = ids[i];
            bytes memory notPrepared = abi.encodeWithSelector(
                IOutcomeVault.UnexpectedConditionState.selector,
                c,
                IOutcomeVault.ConditionState.None,
                IOutcomeVault.ConditionState.Prepared
            );
            vm.expectRevert(notPrepared);
            vault.split(token, ROOT, c, 1);
            vm.expectRevert(notPrepared);
            vault.merge(token, ROOT, c, 1);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IOutcomeVault.UnexpectedConditionState.selector,
                    c,
                    IOutcomeVault.ConditionState.None,
                    IOutcomeVault.ConditionState.Resolved
                )
            );
            vault.redeem(token, ROOT, c);
            assertEq(uint256(vault.conditionState(c)), uint256(IOutcomeVault.ConditionState.None));
            assertEq(vault.getCondition(c).oracle, address(0));
        }
        // Reporting the breach question as the attacker names the attacker's own (unprepared) condition.
        ConditionId own = vault.conditionIdOf(attacker, _question(pledgeId), 2);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOutcomeVault.UnexpectedConditionState.selector,
                own,
                IOutcomeVault.ConditionState.None,
                IOutcomeVault.ConditionState.Prepared
            )
        );
        vault.reportPayouts(_question(pledgeId), _payouts(1, 0));
        // A parent position the attacker does not hold (the real BREACH id with a high bit flipped).
        uint256 forgedParent = _pos(conditionId, BREACH) ^ (uint256(1) << 255);
        vm.expectRevert(
            abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, attacker, 0, 1, forgedParent)
        );
        vault.split(token, PositionId.wrap(forgedParent), conditionId, 1);
        vm.stopPrank();
        assertEq(uint256(vault.conditionState(conditionId)), uint256(IOutcomeVault.ConditionState.Prepared));
        _assertUnchanged(before);
    }
}
