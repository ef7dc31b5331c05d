// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title VaultInvariantSpec
/// @notice The invariants of the OutcomeVault suite, one named constant each ("<ID>: <statement>"), used as assertion
/// messages so that a failure names the property it broke.
library VaultInvariantSpec {
    string internal constant CONS_A =
        "CONS-A: the vault's collateral balance equals what splits pulled less what merges and redemptions paid, "
        "summed over the top-level conditions (measured token movements)";
    string internal constant SOLV_A =
        "SOLV-A: before resolution, the collateral held for each top-level condition equals the full sets outstanding: "
        "every outcome's total supply (plus, for the nesting outcome, the parent units locked in nested sets) equals "
        "it; likewise a nested condition's outcome supplies equal the parent units it locks";
    string internal constant SOLV_B =
        "SOLV-B: after resolution, what a condition holds (collateral, or locked parent units when nested) is at least "
        "what all holders could still redeem from it, nested claims included";
    string internal constant PAY_A =
        "PAY-A: a resolved condition's payout vector is the reported one (one numerator per outcome, not all zero, "
        "denominator their sum) and never changes; an unresolved one has none";
    string internal constant MODEL_A =
        "MODEL-A: every position balance equals the handler's independent model, each call succeeds exactly when the "
        "documented state allows it and moves exactly the modelled amounts (payout = floor(sum b_i p_i / den))";
    string internal constant END_A =
        "END-A: once every condition is reported and every holder has redeemed everything, no positions remain and the "
        "vault holds only rounding dust: at most one unit per redemption";
    string internal constant RUN_A = "RUN-A: the handler exercised the vault (calls succeeded)";
}
