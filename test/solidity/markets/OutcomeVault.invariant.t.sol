// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {Test} from "forge-std/Test.sol";
import {console} from "forge-std/console.sol";

import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {OutcomeVault} from "../../../contracts/markets/OutcomeVault.sol";
import {MockERC20} from "../../mocks/MockERC20.sol";
import {PositionId} from "../../../contracts/types/MarketIds.sol";

import {VaultHandler} from "./handlers/VaultHandler.sol";
import {VaultInvariantSpec} from "./InvariantSpec.sol";

/// @notice The handler as deployed. Declared here, not in handlers/, because EDR finds a fuzz target's ABI through the
/// artifact of the contract whose code it runs, and `hardhat test solidity <this file>` writes artifacts only for the
/// contracts declared in this file.
contract OutcomeVaultHandler is VaultHandler {
    constructor(IOutcomeVault vault_, MockERC20 token_) VaultHandler(vault_, token_) {}
}

/// @title OutcomeVaultInvariantTest
/// @notice Invariants of one OutcomeVault driven by `VaultHandler`: four holders, C0 (binary) and C1 (three outcomes)
/// on the collateral, C2 (binary) nested under C0's outcome 0; random split / merge / transfer / report / redeem.
/// Each invariant's id and statement live in `VaultInvariantSpec`; the right-hand sides come from the handler's
/// independent model and measured token movements, the left-hand sides from the vault's views.
contract OutcomeVaultInvariantTest is StdInvariant, Test {
    VaultHandler internal handler;
    OutcomeVault internal vault;
    MockERC20 internal token;
    uint256 internal NACT;
    uint256 internal NPAIR;
    uint256 internal NESTED;

    function setUp() public {
        vault = new OutcomeVault();
        token = new MockERC20("Collateral", "COL", 18);
        handler = new OutcomeVaultHandler(vault, token);
        (NACT, NPAIR, NESTED) = (handler.NACT(), handler.NPAIR(), handler.NESTED());
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](5);
        selectors[0] = VaultHandler.split.selector;
        selectors[1] = VaultHandler.merge.selector;
        selectors[2] = VaultHandler.transfer.selector;
        selectors[3] = VaultHandler.report.selector;
        selectors[4] = VaultHandler.redeem.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    // ============================================================== invariants

    function invariant_MODEL_A_positionsMatchTheModel() public view {
        string memory v = handler.violation();
        assertTrue(bytes(v).length == 0, string.concat(VaultInvariantSpec.MODEL_A, " | ", v));
        for (uint256 h; h < NACT; ++h) {
            for (uint256 k; k < NPAIR; ++k) {
                for (uint256 i; i < handler.outcomes(k); ++i) {
                    assertEq(
                        vault.balanceOf(handler.actor(h), PositionId.unwrap(handler.positionOf(k, i))),
                        handler.modelBalance(h, k, i),
                        VaultInvariantSpec.MODEL_A
                    );
                }
            }
        }
    }

    function invariant_CONS_A_collateralEqualsNetDeposits() public view {
        assertEq(vault.collateralHeld(handler.collateral()), handler.held(0) + handler.held(1), VaultInvariantSpec.CONS_A);
        assertEq(token.balanceOf(address(vault)), vault.collateralHeld(handler.collateral()), VaultInvariantSpec.CONS_A);
    }

    function invariant_SOLV_A_unresolvedConditionsHoldExactlyTheFullSets() public view {
        for (uint256 k; k < NPAIR; ++k) {
            if (handler.resolved(k)) continue;
            for (uint256 i; i < handler.outcomes(k); ++i) {
                uint256 supply = _supply(k, i);
                // Units of C0's outcome 0 locked in nested C2 sets still stand for C0 collateral.
                if (k == 0 && i == 0) supply += handler.held(NESTED);
                assertEq(supply, handler.held(k), _msgK(VaultInvariantSpec.SOLV_A, k));
            }
        }
    }

    function invariant_SOLV_B_resolvedConditionsCoverEveryClaim() public view {
        uint256 owed;
        for (uint256 k; k < NPAIR; ++k) {
            uint256 claims;
            if (handler.resolved(k)) {
                for (uint256 h; h < NACT; ++h) {
                    claims += handler.claimOf(h, k);
                }
                assertLe(claims, handler.held(k), _msgK(VaultInvariantSpec.SOLV_B, k));
            } else {
                claims = handler.held(k);
            }
            if (k != NESTED) owed += claims;
        }
        assertGe(vault.collateralHeld(handler.collateral()), owed, VaultInvariantSpec.SOLV_B);
    }

    function invariant_PAY_A_payoutsValidAndFinal() public view {
        for (uint256 k; k < NPAIR; ++k) {
            IOutcomeVault.Condition memory c = vault.getCondition(handler.condition(k));
            assertEq(c.oracle, handler.oracle(), _msgK(VaultInvariantSpec.PAY_A, k));
            assertEq(c.outcomeCount, handler.outcomes(k), _msgK(VaultInvariantSpec.PAY_A, k));
            (uint256[] memory p, uint256 den) = handler.payouts(k);
            if (!handler.resolved(k)) {
                assertEq(
                    uint256(vault.conditionState(handler.condition(k))),
                    uint256(IOutcomeVault.ConditionState.Prepared),
                    _msgK(VaultInvariantSpec.PAY_A, k)
                );
                assertEq(c.payoutDenominator, 0, _msgK(VaultInvariantSpec.PAY_A, k));
                assertEq(c.payoutNumerators.length, 0, _msgK(VaultInvariantSpec.PAY_A, k));
                continue;
            }
            assertEq(
                uint256(vault.conditionState(handler.condition(k))),
                uint256(IOutcomeVault.ConditionState.Resolved),
                _msgK(VaultInvariantSpec.PAY_A, k)
            );
            assertEq(c.payoutNumerators, p, _msgK(VaultInvariantSpec.PAY_A, k));
            assertEq(c.payoutNumerators.length, handler.outcomes(k), _msgK(VaultInvariantSpec.PAY_A, k));
            uint256 sum;
            for (uint256 i; i < p.length; ++i) {
                sum += p[i];
            }
            assertGt(sum, 0, _msgK(VaultInvariantSpec.PAY_A, k));
            assertEq(c.payoutDenominator, sum, _msgK(VaultInvariantSpec.PAY_A, k));
            assertEq(den, sum, _msgK(VaultInvariantSpec.PAY_A, k));
        }
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

    /// @notice RUN-A: a fixed pseudo-random sequence reaches every action, both succeeding and refused where a refusal
    /// is possible, and ends clean.
    function test_RUN_A_handlerExercisesEveryAction() public {
        for (uint256 s; s < 300; ++s) {
            uint256 x = uint256(keccak256(abi.encode("outcome-vault", s, 1)));
            uint256 y = uint256(keccak256(abi.encode("outcome-vault", s, 2)));
            uint256 a = s % 12;
            // reports only late, so that splits, merges and transfers happen on open conditions first
            if (a < 4) handler.split(x, y, x >> 8);
            else if (a < 6) handler.merge(x, y, x >> 8);
            else if (a < 9) handler.transfer(x, y, x >> 8, y >> 8, x >> 16);
            else if (a == 9 && s > 150) handler.report(y, (x >> 2) << 2);
            else handler.redeem(x, y);
        }
        _checkAll();
        for (uint256 a; a < handler.N_ACTIONS(); ++a) {
            assertGt(handler.ok(a), 0, string.concat(VaultInvariantSpec.RUN_A, ": never succeeded: ", handler.actionName(a)));
        }
        assertGt(handler.refused(1), 0, string.concat(VaultInvariantSpec.RUN_A, ": merge never refused"));
        assertGt(handler.refused(4), 0, string.concat(VaultInvariantSpec.RUN_A, ": redeem never refused"));
        _endStep();
        assertGt(handler.redemptions(), NACT * NPAIR - 1, VaultInvariantSpec.RUN_A);
    }

    // ================================================================= helpers

    function _endStep() internal {
        handler.settleAll();
        _checkAll();
        for (uint256 k; k < NPAIR; ++k) {
            assertTrue(handler.resolved(k), VaultInvariantSpec.END_A);
            for (uint256 i; i < handler.outcomes(k); ++i) {
                assertEq(_supply(k, i), 0, _msgK(VaultInvariantSpec.END_A, k));
            }
        }
        uint256 dust = vault.collateralHeld(handler.collateral());
        assertLe(dust, handler.redemptions(), VaultInvariantSpec.END_A);
        assertEq(dust, handler.held(0) + handler.held(1), VaultInvariantSpec.END_A);
    }

    function _checkAll() internal view {
        invariant_MODEL_A_positionsMatchTheModel();
        invariant_PAY_A_payoutsValidAndFinal();
        invariant_CONS_A_collateralEqualsNetDeposits();
        invariant_SOLV_A_unresolvedConditionsHoldExactlyTheFullSets();
        invariant_SOLV_B_resolvedConditionsCoverEveryClaim();
    }

    /// @dev Total supply of outcome `i` of pair `k`, from the vault's balances (only holders ever hold positions).
    function _supply(uint256 k, uint256 i) internal view returns (uint256 s) {
        uint256 id = PositionId.unwrap(handler.positionOf(k, i));
        for (uint256 h; h < NACT; ++h) {
            s += vault.balanceOf(handler.actor(h), id);
        }
    }

    function _msgK(string memory spec, uint256 k) internal pure returns (string memory) {
        return string.concat(spec, " | pair ", vm.toString(k));
    }
}
