// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {IPactMarkets} from "../../../contracts/interfaces/IPactMarkets.sol";
import {PactId, PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {PactMarketsFixture} from "./PactMarketsFixture.sol";

/// @notice Fuzz tests of PactMarkets.resolve: with random members' outcomes (honored, breach established but not
/// finalized, breach finalized, challenge still disputed) and a random moment (before or at the end of the term),
/// the market reports BREACH exactly when some member's breach is established, naming the first such member's
/// pledge; HONOR exactly when every member's pledge is honored or releasable; and otherwise refuses. On the way,
/// the gate is open exactly when no member has been challenged and the term has not ended.
contract PactMarketsFuzzTest is PactMarketsFixture {
    uint256 internal constant KEEPS = 0;
    uint256 internal constant SLASHABLE = 1;
    uint256 internal constant BREACHED = 2;
    uint256 internal constant DISPUTED = 3;

    function testFuzz_resolve_matchesMembersOutcomes(uint256 nSeed, uint256 seed, bool atEnd) public {
        uint256 n = bound(nSeed, 2, 8);
        (PactId id, address[] memory labs) = _activePactOf(n);
        (ConditionId c,) = _openPact(id);
        uint256 end = _pactEnd(id);
        // Challenges two days before the end: the liveness (1 day) passes before the end, a dispute's timeout
        // (3 days) does not.
        vm.warp(end - 2 days);
        uint256[] memory codes = new uint256[](n);
        PledgeId decisive;
        bool undecided;
        for (uint256 i; i < n; ++i) {
            codes[i] = uint256(keccak256(abi.encode(seed, i))) % 4;
            PledgeId pid = _pledgeOf(id, labs[i]);
            if (codes[i] != KEEPS) _challenge(pid);
            if (codes[i] == DISPUTED) _dispute(pid);
            if ((codes[i] == SLASHABLE || codes[i] == BREACHED) && PledgeId.unwrap(decisive) == 0) decisive = pid;
            if (codes[i] == DISPUTED || (codes[i] == KEEPS && !atEnd)) undecided = true;
        }
        vm.warp(atEnd ? end : end - 2 days + LIVENESS);
        for (uint256 i; i < n; ++i) {
            if (codes[i] == BREACHED) registry.finalize(_pledgeOf(id, labs[i]));
        }

        // The gate: closed at the end; before it, open exactly when no member has been challenged.
        bool anyChallenged;
        for (uint256 i; i < n; ++i) {
            if (codes[i] != KEEPS) anyChallenged = true;
        }
        if (atEnd) {
            _expectClosed(id, end, end);
            pactMarkets.checkTrade(c, alice, alice, HONOR, true);
        } else if (anyChallenged) {
            vm.expectPartialRevert(IPactMarkets.PactMarketMemberState.selector);
            pactMarkets.checkTrade(c, alice, alice, HONOR, true);
        } else {
            pactMarkets.checkTrade(c, alice, alice, HONOR, true);
        }

        if (PledgeId.unwrap(decisive) != 0) {
            vm.expectEmit(address(pactMarkets));
            emit IPactMarkets.PactMarketResolved(id, c, true, decisive);
            assertTrue(pactMarkets.resolve(id), "BREACH when any member's breach is established");
            assertEq(vault.getCondition(c).payoutNumerators[BREACH], 1);
        } else if (undecided) {
            vm.expectPartialRevert(IPactMarkets.PactMarketUndecided.selector);
            pactMarkets.resolve(id);
            assertEq(uint256(vault.conditionState(c)), uint256(IOutcomeVault.ConditionState.Prepared));
        } else {
            assertFalse(pactMarkets.resolve(id), "HONOR when every member is honored or releasable");
            assertEq(vault.getCondition(c).payoutNumerators[HONOR], 1);
        }
    }
}
