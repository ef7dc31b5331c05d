// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title PactsInvariantSpec
/// @notice The invariants of the Pacts suite, one named constant each ("<ID>: <statement>"), used as assertion
/// messages so that a failure names the property it broke.
library PactsInvariantSpec {
    string internal constant PACT_BAL_A =
        "PACT-BAL-A: Pacts' token balance equals, exactly, the bonds escrowed by Joined members, plus the refund "
        "bonuses not yet paid or reclaimed, plus every account's claimable, plus each pact's keeper liability "
        "(funds - paid), plus slashes taken from the registry and not yet recorded, plus donations";
    string internal constant PACT_KEEP_A =
        "PACT-KEEP-A: per pact, keeper funds equal the keepers' parts of recorded breaches (bps of the slashed bond "
        "less the reward) less forfeits sent to the beneficiary and settlement dust; keeper paid equals the shares "
        "claimed; paid <= funds";
    string internal constant PACT_KEEP_B =
        "PACT-KEEP-B: per pact, the members' unpaid shares (sharesOf over Pledged and Honored members) never exceed "
        "the keeper liability funds - paid";
    string internal constant PACT_BREACH_A =
        "PACT-BREACH-A: a breached member is never paid keeper shares and holds none";
    string internal constant PACT_COMP_A =
        "PACT-COMP-A: every member's status is the modelled one, and compliantBond equals the bonds of the members "
        "Pledged or Honored (zero before activation)";
    string internal constant PACT_CRED_A =
        "PACT-CRED-A: every account's claimable equals what the rules credited it (expelled bonds, the beneficiary's "
        "split of each slash, settlement dust) less what it withdrew";
    string internal constant PACT_REG_A =
        "PACT-REG-A: registry solvency: its balance equals the bonds of unsettled member pledges, plus their open "
        "challenge (and dispute) bonds, plus every claimable balance";
    string internal constant PACT_HONOR_A =
        "PACT-HONOR-A: an honored member got at least its joined bond back through the registry, and its pledge is "
        "Honored there";
    string internal constant PACT_PAYEE_A =
        "PACT-PAYEE-A: every address received from Pacts exactly what the rules pay it (refunds to members, bonus "
        "to founders, shares and claims to the recipients named, bonds to the registry at activation): nobody else "
        "ever receives a token from Pacts";
    string internal constant PACT_MODEL_A =
        "PACT-MODEL-A: every Pacts call succeeded exactly when the documented state machine allows it and moved "
        "the modelled amounts (breach splits, refunds, bonus, claims), dust at settlement bounded by rounding";
    string internal constant PACT_END_A =
        "PACT-END-A: past every deadline, once every outcome is recorded and everyone has claimed, withdrawn and "
        "reclaimed, Pacts holds exactly the donations, every pact is settled or failed, and no liability is left";
    string internal constant PACT_RUN_A = "PACT-RUN-A: the handler exercised every action, with successes and refusals";
}
