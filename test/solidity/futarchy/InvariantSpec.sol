// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title PoolsInvariantSpec
/// @notice The invariants of the ConditionalPools suite, one named constant each ("<ID>: <statement>"), used as
/// assertion messages so that a failure names the property it broke.
library PoolsInvariantSpec {
    string internal constant POOL_BAL_A =
        "POOL-BAL-A: for every position id, the pools contract's vault balance equals the sum of the reserves of that "
        "id over every pool trading it";
    string internal constant POOL_CONS_A =
        "POOL-CONS-A: positions are conserved: for every position id, what the actors and the pools contract hold "
        "equals what the actors split";
    string internal constant POOL_K_A =
        "POOL-K-A: k = reserveMetric * reserveQuote never decreases across a swap, and k / supply^2 never decreases "
        "across any call (liquidity changes round toward the pool)";
    string internal constant POOL_SHARES_A =
        "POOL-SHARES-A: per pool, the shares of every holder sum to the supply less MINIMUM_SHARES (locked, held by no "
        "one)";
    string internal constant POOL_MODEL_A =
        "POOL-MODEL-A: each call succeeds exactly when the pool's window allows it, pays its quote, moves exactly "
        "the modelled positions, and the oracle records at most one observation per block, moved by at most the step";
    string internal constant POOL_END_A =
        "POOL-END-A: once every pool is closed and every holder has removed all its shares, every pool's supply is "
        "MINIMUM_SHARES, the contract holds exactly the reserves (the locked shares' worth, never zero), and the "
        "frozen TWAPs did not move";
    string internal constant POOL_RUN_A = "POOL-RUN-A: the handler exercised the pools (calls succeeded and were refused)";
}

/// @title DecisionsInvariantSpec
/// @notice The invariants of the FutarchyDecisions suite, one named constant each ("<ID>: <statement>").
library DecisionsInvariantSpec {
    string internal constant DEC_LOCK_A =
        "DEC-LOCK-A: before its decision, for each proposal and token, the PASS supply equals the FAIL supply equals "
        "the collateral locked for it (seeds + splits - merges), supplies summed over every holder";
    string internal constant DEC_REDEEM_A =
        "DEC-REDEEM-A: after the decision exactly one branch redeems: a redeem pays the caller's winning balance and "
        "nothing for the losing one; the winning supply outstanding is the winning supply at the decision less what "
        "was redeemed, and redeemed never exceeds that supply";
    string internal constant DEC_WITHDRAW_A =
        "DEC-WITHDRAW-A: per holder and token, the holder's token balance less its initial balance never exceeds "
        "what it took out of the pools, net of what it put in (seeds included), in the winning branch of each "
        "decided proposal plus the smaller of the two branches of each open one";
    string internal constant DEC_SOLV_A =
        "DEC-SOLV-A: per collateral token, vault.collateralHeld + the decisions' balance equals the outstanding "
        "obligations: open proposals' locked collateral plus decided ones' unredeemed winning supply";
    string internal constant DEC_SOLV_B =
        "DEC-SOLV-B: the decisions contract's stake-token balance equals the stakes of undecided proposals plus the "
        "stakes credited and not yet claimed";
    string internal constant DEC_STAKE_A =
        "DEC-STAKE-A: a stake is held while undecided, then credited in full once: to the proposer on PASS, to the "
        "beneficiary (or the burn address) on FAIL, never both";
    string internal constant DEC_LIFE_A =
        "DEC-LIFE-A: a proposal's state only moves Trading -> Decidable -> Passed | Failed, `decided` is never unset, "
        "and only a passed proposal is executed";
    string internal constant DEC_OPEN_A =
        "DEC-OPEN-A: a pledge has at most one open proposal, and it is the one `pledgeProposals` names";
    string internal constant DEC_EXEC_A =
        "DEC-EXEC-A: an executed release leaves the pledge's expiry at most the execution time (until the pledge's next "
        "executed proposal: a released pledge stays Active through its grace period); an executed amendment is "
        "exactly the stored one; a failed proposal leaves its pledge's terms, expiry and bond unchanged";
    string internal constant DEC_MODEL_A =
        "DEC-MODEL-A: every call moved exactly what the model predicts (seeds, stake, splits, merges, swaps against "
        "their quotes, claims), finalize decided as `standing` read just before, and expected refusals were refused";
    string internal constant DEC_END_A =
        "DEC-END-A: past every end, with everything finalized, all liquidity removed, every position redeemed and "
        "every stake claimed or flushed, the decisions contract holds nothing and the vault holds of each token only "
        "the pools' locked winning reserves (MINIMUM_SHARES' worth per pool), no holder keeps a position";
    string internal constant DEC_RUN_A =
        "DEC-RUN-A: the handler exercised every action, reached both PASS and FAIL, and saw refusals";
}
