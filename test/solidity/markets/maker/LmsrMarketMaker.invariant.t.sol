// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {Test} from "forge-std/Test.sol";
import {console} from "forge-std/console.sol";

import {ILmsrMarketMaker} from "../../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IOutcomeVault} from "../../../../contracts/interfaces/IOutcomeVault.sol";
import {LmsrMarketMaker} from "../../../../contracts/markets/LmsrMarketMaker.sol";
import {OutcomeVault} from "../../../../contracts/markets/OutcomeVault.sol";
import {MockERC20} from "../../../mocks/MockERC20.sol";

import {MakerHandler} from "./handlers/MakerHandler.sol";
import {MakerInvariantSpec} from "./InvariantSpec.sol";

/// @notice The handler as deployed. Declared here, not in handlers/, because EDR finds a fuzz target's ABI through the
/// artifact of the contract whose code it runs, and `hardhat test solidity <this file>` writes artifacts only for the
/// contracts declared in this file.
contract LmsrMarketMakerHandler is MakerHandler {
    constructor(IOutcomeVault vault_, ILmsrMarketMaker maker_, MockERC20 token_, uint256 seed)
        MakerHandler(vault_, maker_, token_, seed)
    {}
}

/// @title LmsrMarketMakerInvariantTest
/// @notice Invariants of one LmsrMarketMaker driven by `MakerHandler`: three traders, a binary and a three-outcome
/// market slot with random `b` and fees (new generations once resolved), a gate that closes and refuses traders, random
/// buy / sell / warp / report / redeem / withdraw. Each invariant's id and statement live in `MakerInvariantSpec`; the
/// right-hand sides come from the handler's independent model and measured token movements, the left-hand sides from
/// the maker's and the vault's views.
contract LmsrMarketMakerInvariantTest is StdInvariant, Test {
    uint256 internal constant WAD = 1e18;

    MakerHandler internal handler;
    OutcomeVault internal vault;
    LmsrMarketMaker internal maker;
    MockERC20 internal token;
    uint256 internal NACT;

    function setUp() public {
        vm.warp(1_700_000_000);
        vault = new OutcomeVault();
        maker = new LmsrMarketMaker(vault);
        token = new MockERC20("Collateral", "COL", 18);
        handler = new LmsrMarketMakerHandler(vault, maker, token, vm.randomUint());
        NACT = handler.NACT();
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](8);
        selectors[0] = MakerHandler.buy.selector;
        selectors[1] = MakerHandler.sell.selector;
        selectors[2] = MakerHandler.warp.selector;
        selectors[3] = MakerHandler.report.selector;
        selectors[4] = MakerHandler.redeem.selector;
        selectors[5] = MakerHandler.withdraw.selector;
        selectors[6] = MakerHandler.open.selector;
        selectors[7] = MakerHandler.setGate.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    // ============================================================== invariants

    function invariant_MKT_MODEL_A_callsAndBooksMatchTheModel() public view {
        string memory v = handler.violation();
        assertTrue(bytes(v).length == 0, string.concat(MakerInvariantSpec.MKT_MODEL_A, " | ", v));
        for (uint256 k; k < handler.marketCount(); ++k) {
            MakerHandler.Mkt memory m = handler.market(k);
            ILmsrMarketMaker.Market memory mm = maker.getMarket(m.c);
            for (uint256 j; j < m.n; ++j) {
                assertEq(mm.sold[j], m.sold[j], _msgK(MakerInvariantSpec.MKT_MODEL_A, k));
                for (uint256 h; h < NACT; ++h) {
                    assertEq(
                        vault.balanceOf(handler.actor(h), handler.positionOf(k, j)),
                        handler.modelBalance(k, h, j),
                        _msgK(MakerInvariantSpec.MKT_MODEL_A, k)
                    );
                }
            }
            assertEq(uint256(maker.marketState(m.c)), uint256(_state(m)), _msgK(MakerInvariantSpec.MKT_MODEL_A, k));
        }
    }

    function invariant_MKT_SOLV_A_cashPlusSetsCoverEverySoldOutcome() public view {
        for (uint256 k; k < handler.marketCount(); ++k) {
            MakerHandler.Mkt memory m = handler.market(k);
            if (m.withdrawn) continue;
            ILmsrMarketMaker.Market memory mm = maker.getMarket(m.c);
            for (uint256 j; j < m.n; ++j) {
                assertGe(uint256(mm.cash) + mm.sets, mm.sold[j], _msgK(MakerInvariantSpec.MKT_SOLV_A, k));
            }
        }
    }

    function invariant_MKT_INV_A_inventoryIsSetsLessSold() public view {
        for (uint256 k; k < handler.marketCount(); ++k) {
            MakerHandler.Mkt memory m = handler.market(k);
            ILmsrMarketMaker.Market memory mm = maker.getMarket(m.c);
            for (uint256 j; j < m.n; ++j) {
                uint256 held = vault.balanceOf(address(maker), handler.positionOf(k, j));
                if (m.withdrawn) assertEq(held, 0, _msgK(MakerInvariantSpec.MKT_INV_A, k));
                else assertEq(held, uint256(mm.sets) - mm.sold[j], _msgK(MakerInvariantSpec.MKT_INV_A, k));
            }
        }
    }

    function invariant_MKT_CASH_A_makerCollateralIsTheSumOfCash() public view {
        uint256 cash;
        for (uint256 k; k < handler.marketCount(); ++k) {
            cash += maker.getMarket(handler.market(k).c).cash;
        }
        assertEq(token.balanceOf(address(maker)), cash, MakerInvariantSpec.MKT_CASH_A);
    }

    function invariant_MKT_PRICE_A_pricesSumToOne() public view {
        for (uint256 k; k < handler.marketCount(); ++k) {
            uint256[] memory p = maker.prices(handler.market(k).c);
            uint256 sum;
            for (uint256 j; j < p.length; ++j) {
                sum += p[j];
            }
            assertEq(p.length, handler.market(k).n, _msgK(MakerInvariantSpec.MKT_PRICE_A, k));
            assertEq(sum, WAD, _msgK(MakerInvariantSpec.MKT_PRICE_A, k));
        }
    }

    function invariant_MKT_LOSS_A_sponsorLossAndTraderGainWithinBLnN() public view {
        for (uint256 k; k < handler.marketCount(); ++k) {
            MakerHandler.Mkt memory m = handler.market(k);
            if (!m.resolved) continue;
            uint256 bound = handler.bLnN(k) + 1; // + 1: the maker's redemption floors
            uint256 take = handler.sponsorTake(k);
            if (take < m.subsidy) assertLe(m.subsidy - take + m.fees, bound, _msgK(MakerInvariantSpec.MKT_LOSS_A, k));
            uint256 traderOut = m.paidOut + m.redeemed;
            for (uint256 h; h < NACT; ++h) {
                traderOut += handler.claimOf(h, k);
            }
            if (traderOut > m.paidIn) assertLe(traderOut - m.paidIn, bound, _msgK(MakerInvariantSpec.MKT_LOSS_A, k));
        }
    }

    function invariant_MKT_CONS_A_collateralConservedToTheWei() public view {
        uint256 vaultHeld;
        for (uint256 k; k < handler.marketCount(); ++k) {
            MakerHandler.Mkt memory m = handler.market(k);
            uint256 cash = maker.getMarket(m.c).cash;
            assertEq(
                m.subsidy + m.paidIn,
                cash + m.withdrawnAmount + m.paidOut + m.redeemed + m.vaultHeld,
                _msgK(MakerInvariantSpec.MKT_CONS_A, k)
            );
            vaultHeld += m.vaultHeld;
        }
        assertEq(token.balanceOf(address(vault)), vaultHeld, MakerInvariantSpec.MKT_CONS_A);
        uint256 total = token.balanceOf(address(vault)) + token.balanceOf(address(maker))
            + token.balanceOf(handler.sponsor()) + token.balanceOf(handler.oracle());
        for (uint256 h; h < NACT; ++h) {
            total += token.balanceOf(handler.actor(h));
        }
        assertEq(total, token.totalSupply(), MakerInvariantSpec.MKT_CONS_A);
    }

    /// @dev Logs what the run exercised, then the end step. No assertion on how much happened: the shrinker replays
    /// shortened sequences through here, and an unrelated failure would hijack the counterexample (RUN-A is checked
    /// by a deterministic test below).
    function afterInvariant() public {
        for (uint256 a; a < handler.N_ACTIONS(); ++a) {
            console.log("  %s: ok %d, refused %d", handler.actionName(a), handler.ok(a), handler.refused(a));
        }
        _endStep();
    }

    /// @notice MKT-RUN-A: a fixed pseudo-random sequence reaches every action, trades both succeed and are refused,
    /// later generations of markets open, and the run ends clean.
    function test_MKT_RUN_A_handlerExercisesEveryAction() public {
        for (uint256 s; s < 400; ++s) {
            uint256 x = uint256(keccak256(abi.encode("lmsr-maker", s, 1)));
            uint256 y = uint256(keccak256(abi.encode("lmsr-maker", s, 2)));
            uint256 a = s % 16;
            if (a < 5) handler.buy(x, y, x >> 64, y >> 64, x >> 128);
            else if (a < 8) handler.sell(x, y, x >> 64, y >> 64, x >> 128);
            else if (a == 8) handler.warp(y);
            else if (a == 9 && s % 64 > 40) handler.report(y, (x >> 2) << 2);
            else if (a == 10) handler.redeem(x, y);
            else if (a == 11) handler.withdraw(x, y);
            else if (a == 12) handler.open(x, y);
            else if (a == 13) handler.setGate(y);
            else handler.buy(y, x, y >> 64, x >> 64, y >> 128);
            if (s % 50 == 49) _checkAll();
        }
        _checkAll();
        for (uint256 a; a < handler.N_ACTIONS(); ++a) {
            console.log("  %s: ok %d, refused %d", handler.actionName(a), handler.ok(a), handler.refused(a));
            string memory never = string.concat(MakerInvariantSpec.MKT_RUN_A, ": never succeeded: ");
            assertGt(handler.ok(a), 0, string.concat(never, handler.actionName(a)));
        }
        assertGt(handler.refused(0), 0, string.concat(MakerInvariantSpec.MKT_RUN_A, ": buy never refused"));
        assertGt(handler.refused(1), 0, string.concat(MakerInvariantSpec.MKT_RUN_A, ": sell never refused"));
        assertGt(handler.refused(5), 0, string.concat(MakerInvariantSpec.MKT_RUN_A, ": withdraw never refused"));
        assertGt(handler.marketCount(), 2, string.concat(MakerInvariantSpec.MKT_RUN_A, ": no second generation"));
        _endStep();
    }

    // ================================================================= helpers

    function _endStep() internal {
        handler.settleAll();
        _checkAll();
        for (uint256 k; k < handler.marketCount(); ++k) {
            MakerHandler.Mkt memory m = handler.market(k);
            assertTrue(m.resolved && m.withdrawn, _msgK(MakerInvariantSpec.MKT_END_A, k));
            for (uint256 j; j < m.n; ++j) {
                uint256 id = handler.positionOf(k, j);
                assertEq(vault.balanceOf(address(maker), id), 0, _msgK(MakerInvariantSpec.MKT_END_A, k));
                for (uint256 h; h < NACT; ++h) {
                    assertEq(
                        vault.balanceOf(handler.actor(h), handler.positionOf(k, j)),
                        0,
                        _msgK(MakerInvariantSpec.MKT_END_A, k)
                    );
                }
            }
            // everything that came in went out, but the vault's dust for this market
            assertEq(
                m.subsidy + m.paidIn,
                m.withdrawnAmount + m.paidOut + m.redeemed + m.vaultHeld,
                _msgK(MakerInvariantSpec.MKT_END_A, k)
            );
        }
        assertEq(token.balanceOf(address(maker)), 0, MakerInvariantSpec.MKT_END_A);
        assertLe(token.balanceOf(address(vault)), handler.redemptions(), MakerInvariantSpec.MKT_END_A);
    }

    function _checkAll() internal view {
        invariant_MKT_MODEL_A_callsAndBooksMatchTheModel();
        invariant_MKT_SOLV_A_cashPlusSetsCoverEverySoldOutcome();
        invariant_MKT_INV_A_inventoryIsSetsLessSold();
        invariant_MKT_CASH_A_makerCollateralIsTheSumOfCash();
        invariant_MKT_PRICE_A_pricesSumToOne();
        invariant_MKT_LOSS_A_sponsorLossAndTraderGainWithinBLnN();
        invariant_MKT_CONS_A_collateralConservedToTheWei();
    }

    function _state(MakerHandler.Mkt memory m) internal pure returns (ILmsrMarketMaker.MarketState) {
        if (m.withdrawn) return ILmsrMarketMaker.MarketState.Withdrawn;
        return m.resolved ? ILmsrMarketMaker.MarketState.Resolved : ILmsrMarketMaker.MarketState.Open;
    }

    function _msgK(string memory spec, uint256 k) internal pure returns (string memory) {
        return string.concat(spec, " | market ", vm.toString(k));
    }
}
