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
