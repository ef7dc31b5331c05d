// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {BreachFixture} from "./BreachFixture.sol";

/// @notice Constants and helpers shared by the BreachMarkets unit-test files. The tests are split over several
/// files because one test contract with the whole system as fixture and ~25+ tests overflows solc-wasm under
/// coverage instrumentation (HHE908; docs/toolchain.md).
abstract contract BreachMarketsTestBase is BreachFixture {
    PledgeId internal constant UNKNOWN = PledgeId.wrap(99);
    /// @dev The allowed-state bitmap of `finalize` (Slashable, Releasable), written out independently.
    uint256 internal constant FINALIZE_ALLOWED = (1 << 4) | (1 << 6);

    /// @dev `c`, just opened for `id` with `quoted` as subsidy: the maker's books, the condition, the cache.
    function _assertFreshMarket(PledgeId id, ConditionId c, uint256 quoted) internal view {
        ILmsrMarketMaker.Market memory m = maker.getMarket(c);
        assertEq(address(m.collateral), address(token), "collateral = the pledge's bond token");
        assertEq(m.outcomeCount, 2);
        assertEq(m.feeBps, TRADE_FEE_BPS);
        assertFalse(m.withdrawn);
        assertEq(address(m.gate), address(markets), "gate = BreachMarkets");
        assertEq(m.sponsor, address(markets), "BreachMarkets is the sponsor of record, not the caller");
        assertEq(m.liquidity, LIQUIDITY);
        assertEq(m.cash, 0, "no cash: the subsidy is all in full sets");
        assertEq(m.sets, quoted, "sets = the subsidy");
        assertEq(m.sold[BREACH], 0);
        assertEq(m.sold[HONOR], 0);
        assertEq(uint256(maker.marketState(c)), uint256(ILmsrMarketMaker.MarketState.Open));

        IOutcomeVault.Condition memory cond = vault.getCondition(c);
        assertEq(cond.oracle, address(markets), "BreachMarkets is the oracle");
        assertEq(cond.outcomeCount, 2);
        assertEq(cond.payoutDenominator, 0);

        IBreachMarkets.BreachMarket memory bm = markets.marketOf(c);
        assertEq(bm.pledgeId, PledgeId.unwrap(id));
        assertEq(bm.pledger, pledger, "cache holds the pledger, not the sponsor");
    }

    /// @dev Drives a fresh pledge into `s` and checks that opening its market is refused with `s`.
    function _assertOpenRefusedIn(IPledgeRegistry.PledgeState s) internal {
        PledgeId id = _pledgeIn(s);
        uint256 amount = markets.quoteSubsidy(LIQUIDITY);
        token.mint(sponsor, amount);
        vm.prank(sponsor);
        token.approve(address(markets), amount);
        _expectPledgeState(id, s);
        vm.prank(sponsor);
        markets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
        assertEq(uint256(vault.conditionState(_expectedCondition(id))), uint256(IOutcomeVault.ConditionState.None));
    }

    function _declare(address a) internal {
        address[] memory list = new address[](1);
        list[0] = a;
        vm.prank(pledger);
        markets.declareAffiliates(pledgeId, list);
    }

    function _list(uint256 n) internal returns (address[] memory list) {
        list = new address[](n);
        for (uint256 i; i < n; ++i) {
            list[i] = makeAddr(string.concat("affiliate", vm.toString(i)));
        }
    }

    function _assertResolved(bool breached) internal view {
        IOutcomeVault.Condition memory c = vault.getCondition(conditionId);
        assertEq(c.payoutDenominator, 1);
        assertEq(c.payoutNumerators.length, 2);
        assertEq(c.payoutNumerators[BREACH], breached ? 1 : 0);
        assertEq(c.payoutNumerators[HONOR], breached ? 0 : 1);
        assertEq(uint256(maker.marketState(conditionId)), uint256(ILmsrMarketMaker.MarketState.Resolved));
    }

    function _resolveExpecting(bool breached) internal {
        vm.expectEmit(address(markets));
        emit IBreachMarkets.BreachMarketResolved(pledgeId, conditionId, breached);
        vm.expectEmit(address(vault));
        emit IOutcomeVault.PayoutReported(
            conditionId, address(markets), _question(pledgeId), _payouts(breached ? 1 : 0, breached ? 0 : 1)
        );
        vm.prank(stranger); // anyone may resolve
        assertEq(markets.resolve(pledgeId), breached);
        _assertResolved(breached);
    }

    /// @dev Expects the standard market's withdrawal: the maker pays BreachMarkets (its sponsor of record)
    /// `amount`, all of which BreachMarkets pays the third-party sponsor (nothing to the beneficiary).
    function _expectThirdPartyWithdrawal(uint256 amount) internal {
        vm.expectEmit(address(maker));
        emit ILmsrMarketMaker.MarketWithdrawn(conditionId, address(markets), address(markets), amount);
        vm.expectEmit(address(markets));
        emit IBreachMarkets.SubsidyWithdrawn(pledgeId, sponsor, sponsor, amount, beneficiary, 0);
    }
}
