// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ConditionId} from "../types/MarketIds.sol";

/// @title IMarketGate
/// @notice A condition's oracle may give its market a gate: the market maker asks it before every trade, so the
/// oracle can close trading when resolution starts (before it reports) and refuse trades its rules forbid (e.g. a
/// pledger buying insurance against its own breach). The market maker closes trading on its own once the
/// condition is resolved, whatever the gate says.
interface IMarketGate {
    /// @notice Returns if the trade may go ahead; reverts with the gate's own custom error otherwise.
    /// @param conditionId The market's condition.
    /// @param trader Who sends the trade (pays a buy, gives the shares of a sell).
    /// @param recipient Who receives the bought shares or the sale's proceeds.
    /// @param outcome The outcome index traded.
    /// @param isBuy True for a buy (the trader's exposure to `outcome` grows), false for a sale.
    function checkTrade(ConditionId conditionId, address trader, address recipient, uint256 outcome, bool isBuy)
        external
        view;
}
