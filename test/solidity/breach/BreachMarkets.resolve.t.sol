// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {ChallengeId, PledgeId} from "../../../contracts/types/Ids.sol";
import {BreachMarketsTestBase} from "./BreachMarketsTestBase.sol";

/// @notice Unit tests of resolution from every final state.
contract BreachMarketsResolveTest is BreachMarketsTestBase {
    // ========== resolve

    function test_resolve_reportsBreachWhenBreached() public {
        _challenge(pledgeId);
        vm.warp(block.timestamp + LIVENESS);
        registry.finalize(pledgeId);
        _resolveExpecting(true);
    }

    function test_resolve_reportsBreachWhenSlashable() public {
        _challenge(pledgeId);
        vm.warp(block.timestamp + LIVENESS);
        _assertState(pledgeId, IPledgeRegistry.PledgeState.Slashable);
        _resolveExpecting(true);
        // The registry still settles the same way afterwards.
        assertEq(uint256(registry.finalize(pledgeId)), uint256(IPledgeRegistry.Outcome.Breached));
    }

    function test_resolve_reportsBreachWhenRuledBreached() public {
        ChallengeId cid = _challenge(pledgeId);
        _dispute(pledgeId);
        _rule(cid, true);
        _resolveExpecting(true);
    }

    function test_resolve_reportsHonorWhenHonored() public {
        vm.warp(_end(pledgeId));
        registry.finalize(pledgeId);
        _resolveExpecting(false);
    }

    function test_resolve_reportsHonorWhenReleasable() public {
        vm.warp(_end(pledgeId));
        _assertState(pledgeId, IPledgeRegistry.PledgeState.Releasable);
        _resolveExpecting(false);
        assertEq(uint256(registry.finalize(pledgeId)), uint256(IPledgeRegistry.Outcome.Honored));
    }

    function test_resolve_revertsWhenActive() public {
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Active);
        markets.resolve(pledgeId);
    }

    function test_resolve_revertsAtLastActiveSecond() public {
        vm.warp(_end(pledgeId) - 1);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Active);
        markets.resolve(pledgeId);
    }

    function test_resolve_revertsWhenChallenged() public {
        _challenge(pledgeId);
        vm.warp(block.timestamp + LIVENESS - 1);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Challenged);
        markets.resolve(pledgeId);
    }

    function test_resolve_revertsWhenDisputed() public {
        _challenge(pledgeId);
        _dispute(pledgeId);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.Disputed);
        markets.resolve(pledgeId);
    }

    function test_resolve_revertsWhenRulingOverdue() public {
        _challenge(pledgeId);
        _dispute(pledgeId);
        vm.warp(block.timestamp + TIMEOUT);
        _expectPledgeState(pledgeId, IPledgeRegistry.PledgeState.RulingOverdue);
        markets.resolve(pledgeId);
    }

    function test_resolve_revertsWhenResolvedTwice() public {
        vm.warp(_end(pledgeId));
        markets.resolve(pledgeId);
        _expectConditionState(conditionId, IOutcomeVault.ConditionState.Resolved, IOutcomeVault.ConditionState.Prepared);
        markets.resolve(pledgeId);
        _assertResolved(false);
    }

    function test_resolve_revertsWhenNoMarket() public {
        PledgeId id = _create();
        vm.warp(_end(id));
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, id));
        markets.resolve(id);
    }

    function test_resolve_revertsWhenPledgeUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketNotOpened.selector, UNKNOWN));
        markets.resolve(UNKNOWN);
    }
}
