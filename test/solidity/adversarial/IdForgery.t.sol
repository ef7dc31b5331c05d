// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IArbiter} from "../../../contracts/interfaces/IArbiter.sol";
import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {ICommitteeArbiter} from "../../../contracts/interfaces/ICommitteeArbiter.sol";
import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IOptimisticResolution} from "../../../contracts/interfaces/IOptimisticResolution.sol";
import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {LmsrMath} from "../../../contracts/markets/LmsrMath.sol";
import {CommitteeArbiter} from "../../../contracts/resolution/CommitteeArbiter.sol";
import {ChallengeId, PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId, PositionId} from "../../../contracts/types/MarketIds.sol";
import {MockERC20} from "../../mocks/MockERC20.sol";
import {AdversarialBase} from "./AdversarialBase.sol";

/// @notice Id forgery and collisions: unknown pledge, challenge, condition and position ids (including ids that differ
/// from real ones only in their high bits) on every external entry point of each contract, one table-driven test per
/// contract, and positions of another collateral or another parent. Each forged id is refused with the contract's
/// own error and nobody's balance moves.
contract IdForgeryAttacksTest is AdversarialBase {
    ILmsrMarketMaker.MarketState internal constant NONE = ILmsrMarketMaker.MarketState.None;

    /// @dev Unknown pledge ids: the next one, one that differs from the standard pledge only above bit 64 (the
    /// width the registry stores a challenge's pledge id in), one above bit 96 (BreachMarkets' cache width), 0, max.
    function _forgedPledgeIds() internal view returns (PledgeId[5] memory ids) {
        uint256 real = PledgeId.unwrap(pledgeId);
        ids = [
            PledgeId.wrap(registry.pledgeCount() + 1),
            PledgeId.wrap((uint256(1) << 64) | real),
            PledgeId.wrap((uint256(1) << 200) | real),
            PledgeId.wrap(0),
            PledgeId.wrap(type(uint256).max)
        ];
    }

    /// @dev Unknown condition ids: a random one, the real one with its top bit flipped, with its low bit flipped.
    function _forgedConditions() internal view returns (ConditionId[3] memory ids) {
        bytes32 real = ConditionId.unwrap(conditionId);
        ids = [
            ConditionId.wrap(keccak256("no such condition")),
            ConditionId.wrap(real ^ bytes32(uint256(1) << 255)),
            ConditionId.wrap(real ^ bytes32(uint256(1)))
        ];
    }

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
            registry.challenge(id, EVIDENCE_URI);
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

    function test_attack_forgedIds_makerEveryEntryPoint() public {
        uint256[] memory before = _snapshot();
        bytes32 books = _marketHash(conditionId);
        ConditionId[3] memory ids = _forgedConditions();
        vm.startPrank(attacker);
        for (uint256 i; i < ids.length; ++i) {
            ConditionId c = ids[i];
            bytes memory notOpen =
                abi.encodeWithSelector(ILmsrMarketMaker.UnexpectedMarketState.selector, c, NONE, ILmsrMarketMaker.MarketState.Open);
            vm.expectRevert(notOpen);
            maker.buy(c, BREACH, SHARES, type(uint256).max, block.timestamp, attacker);
            vm.expectRevert(notOpen);
            maker.sell(c, BREACH, SHARES, 0, block.timestamp, attacker);
            vm.expectRevert(notOpen);
            maker.quoteBuy(c, BREACH, SHARES);
            vm.expectRevert(notOpen);
            maker.quoteSell(c, BREACH, SHARES);
            vm.expectRevert(notOpen);
            maker.prices(c);
            vm.expectRevert(
                abi.encodeWithSelector(
                    ILmsrMarketMaker.UnexpectedMarketState.selector, c, NONE, ILmsrMarketMaker.MarketState.Resolved
                )
            );
            maker.withdraw(c, attacker);
            vm.expectRevert(
                abi.encodeWithSelector(ILmsrMarketMaker.MarketCreatorNotOracle.selector, c, attacker, address(0))
            );
            maker.createMarket(c, token, B, 0, attacker, NO_GATE);
        }
        // Outcome indexes past the condition's, including one that differs from BREACH only in its top bit.
        uint256[2] memory outcomes = [uint256(2), uint256(1) << 255];
        for (uint256 i; i < outcomes.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(LmsrMath.LmsrOutcomeOutOfRange.selector, outcomes[i], 2));
            maker.buy(conditionId, outcomes[i], SHARES, type(uint256).max, block.timestamp, attacker);
        }
        vm.stopPrank();
        assertEq(_marketHash(conditionId), books, "the real market's books are untouched");
        _assertUnchanged(before);
    }

    function test_attack_forgedIds_breachMarketsEveryEntryPoint() public {
        PledgeId noMarket = _create(); // a real pledge whose market was never opened
        uint256[] memory before = _snapshot();
        PledgeId[5] memory ids = _forgedPledgeIds();
        vm.startPrank(attacker);
        for (uint256 i; i < ids.length; ++i) {
            PledgeId id = ids[i];
            if (PledgeId.unwrap(id) > type(uint96).max) {
                vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketPledgeIdTooLarge.selector, id));
            } else {
                _expectPledgeState(id, IPledgeRegistry.PledgeState.None);
            }
            markets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
            vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, id));
            markets.withdrawSubsidy(id, attacker);
            vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, id));
            markets.resolve(id);
            address[] memory list = new address[](1);
            list[0] = bob;
            _expectPledgeState(id, IPledgeRegistry.PledgeState.None);
            markets.declareAffiliates(id, list);
            assertFalse(markets.isAffiliate(id, bob));
        }
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, noMarket));
        markets.withdrawSubsidy(noMarket, attacker);
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, noMarket));
        markets.resolve(noMarket);
        ConditionId[3] memory cs = _forgedConditions();
        for (uint256 i; i < cs.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketUnknown.selector, cs[i]));
            markets.checkTrade(cs[i], attacker, attacker, BREACH, true);
            assertEq(markets.marketOf(cs[i]).pledger, address(0));
        }
        vm.stopPrank();
        _assertUnchanged(before);
    }

    function test_attack_positionsOfAnotherCollateral_cannotReachTheRealBacking() public {
        // The attacker splits a worthless token on the real breach condition (anyone may split on any condition) and
        // tries to turn those positions into the real collateral: merge, sell to the maker, transfer in, redeem.
        MockERC20 junk = new MockERC20("Junk", "JUNK", 18);
        junk.mint(attacker, SHARES);
        _buy(alice, BREACH, SHARES);
        bytes32 books = _marketHash(conditionId);
        vm.startPrank(attacker);
        junk.approve(address(vault), SHARES);
        vault.split(junk, ROOT, conditionId, SHARES);
        uint256 realBreach = _pos(conditionId, BREACH);
        vm.expectRevert(
            abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, attacker, 0, SHARES, realBreach)
        );
        vault.merge(token, ROOT, conditionId, SHARES);
        vm.expectRevert(
            abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, attacker, 0, SHARES, realBreach)
        );
        maker.sell(conditionId, BREACH, SHARES, 0, block.timestamp, attacker);
        uint256 junkBreach = _posOf(junk, conditionId, BREACH);
        vm.expectRevert(
            abi.encodeWithSelector(ILmsrMarketMaker.MarketUnsolicitedPositions.selector, attacker, attacker)
        );
        vault.safeTransferFrom(attacker, address(maker), junkBreach, SHARES, "");
        vm.stopPrank();

        _breachAndResolve(pledgeId);
        vm.prank(attacker);
        assertEq(vault.redeem(token, ROOT, conditionId), 0, "no real position, no real payout");
        vm.prank(attacker);
        assertEq(vault.redeem(junk, ROOT, conditionId), SHARES, "junk positions pay junk");
        assertEq(junk.balanceOf(attacker), SHARES);
        assertEq(token.balanceOf(attacker), TRADER_FUNDS);
        vm.prank(alice);
        assertEq(vault.redeem(token, ROOT, conditionId), SHARES, "alice's backing intact");
        assertEq(_marketHash(conditionId), books);
    }

    function test_attack_nestedPositionsOfAnotherParent_cannotMergeIntoIt() public {
        // Children of parent BREACH cannot be merged into parent HONOR (or into a parent with a high bit flipped).
        ConditionId inner = vault.prepareCondition(keccak256("inner question"), 2);
        _buy(attacker, BREACH, SHARES);
        _buy(bob, HONOR, SHARES);
        uint256 breachPos = _pos(conditionId, BREACH);
        uint256 honorPos = _pos(conditionId, HONOR);
        vm.prank(attacker);
        vault.split(token, PositionId.wrap(breachPos), inner, SHARES);
        uint256[] memory before = _snapshot();

        uint256[2] memory parents = [honorPos, breachPos ^ (uint256(1) << 200)];
        for (uint256 i; i < parents.length; ++i) {
            uint256 wrongChild = PositionId.unwrap(vault.positionId(token, PositionId.wrap(parents[i]), inner, 0));
            vm.expectRevert(
                abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, attacker, 0, SHARES, wrongChild)
            );
            vm.prank(attacker);
            vault.merge(token, PositionId.wrap(parents[i]), inner, SHARES);
        }
        assertEq(vault.balanceOf(attacker, honorPos), 0);
        assertEq(vault.balanceOf(bob, honorPos), SHARES, "bob's HONOR untouched");
        assertEq(vault.balanceOf(attacker, breachPos), 0);
        vm.prank(attacker);
        vault.merge(token, PositionId.wrap(breachPos), inner, SHARES);
        assertEq(vault.balanceOf(attacker, breachPos), SHARES, "the right parent merges back");
        _assertUnchanged(before);
    }
}
