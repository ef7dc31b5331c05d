// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title MakerInvariantSpec
/// @notice The invariants of the LmsrMarketMaker suite, one named constant each ("<ID>: <statement>"), used as
/// assertion messages so that a failure names the property it broke.
library MakerInvariantSpec {
    string internal constant MKT_SOLV_A =
        "MKT-SOLV-A: for every market not yet withdrawn and every outcome j, cash + sets >= sold[j] (the maker can pay "
        "every share it sold, whichever outcome wins)";
    string internal constant MKT_INV_A =
        "MKT-INV-A: the maker's vault balance of each outcome j of a market equals sets - sold[j] (none once "
        "withdrawn)";
    string internal constant MKT_CASH_A =
        "MKT-CASH-A: the maker's collateral balance equals the sum of its markets' cash";
    string internal constant MKT_PRICE_A = "MKT-PRICE-A: every market's prices sum to exactly 1e18";
    string internal constant MKT_LOSS_A =
        "MKT-LOSS-A: once resolved, the sponsor's loss (subsidy less what it withdraws or would withdraw) plus the "
        "fees the market collected is at most b ln n, and traders in aggregate (proceeds, redemptions and claims still "
        "held, less what they paid) gain at most b ln n";
    string internal constant MKT_CONS_A =
        "MKT-CONS-A: collateral is conserved to the wei: per market, subsidy + payments in = cash + withdrawal + "
        "proceeds + redemptions + what the vault still holds for it; the vault holds the sum of those; and the "
        "actors, sponsor, oracle, maker and vault hold the whole supply";
    string internal constant MKT_MODEL_A =
        "MKT-MODEL-A: every trade pays its quote and moves exactly the quoted collateral and shares, the books match "
        "the handler's model, and each call succeeds exactly when the documented state, deadline and gate allow it "
        "(refusals carry the documented error)";
    string internal constant MKT_END_A =
        "MKT-END-A: once every market is resolved and withdrawn and every actor has redeemed, the maker holds no "
        "collateral and no positions, and the vault keeps only rounding dust (at most one wei per redemption)";
    string internal constant MKT_RUN_A =
        "MKT-RUN-A: the handler exercised the maker (calls succeeded and were refused)";
}
