// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title InvariantSpec
/// @notice The invariants of the PledgeRegistry suite, one named constant each ("<ID>: <statement>"),
/// used as assertion messages so that a failure names the property it broke.
library InvariantSpec {
    string internal constant SOLV_A =
        "SOLV-A: per registry and token, the balance equals the bonds of unsettled pledges, plus the bonds of"
        " their open challenges (twice when disputed), plus every account's claimable";
    string internal constant CONS_A =
        "CONS-A: per registry and token, everything deposited equals the balance plus everything claimed plus"
        " everything flushed to the burn address";
    string internal constant GAIN_A =
        "GAIN-A: no account has withdrawn more of a token than it deposited plus what the rules granted it "
        "(rewards, dispute winnings net of fee, slashed shares, fees)";
    string internal constant CRED_A =
        "CRED-A: every account's claimable equals what the rules credited it (computed by the handler from "
        "the bps and bond splits) less what it withdrew";
    string internal constant LIFE_A =
        "LIFE-A: a final state (Breached, Honored) never changes once reached, and a bond never decreases "
        "(nor changes once final)";
    string internal constant LIFE_B =
        "LIFE-B: a pledge has at most one open challenge, and its state is the one its term and its "
        "challenge's timestamps imply (later state from each deadline on)";
    string internal constant ESC_A =
        "ESC-A: the next challenge bond is the base bond doubled once per rejected challenge, capped at "
        "max(pledge bond, base bond)";
    string internal constant MODEL_A =
        "MODEL-A: every handler call succeeds exactly when the documented state machine allows it, moves "
        "exactly the modelled amounts, and a state refusal names the modelled state";
    string internal constant END_A =
        "END-A: once every deadline has passed, every dispute is voided or ruled, every pledge finalized and "
        "every account has claimed, the registries hold nothing and each account's net result is its ghost "
        "gains less its ghost losses";
    string internal constant RUN_A =
        "RUN-A: the handler exercised the registry (pledges created, calls succeeded)";
}
