// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IMarketGate} from "../../contracts/interfaces/IMarketGate.sol";
import {ConditionId} from "../../contracts/types/MarketIds.sol";

/// @notice A market gate that tests switch by hand: `setClosed` refuses every trade, `setRefused` refuses trades
/// where an account is the trader or the recipient. Open to everyone by default.
contract MockMarketGate is IMarketGate {
    /// @notice The gate is closed: no trade on `conditionId`.
    error GateClosed(ConditionId conditionId);
    /// @notice `account` (the trader or the recipient) may not trade.
    error GateRefused(address account, bool isBuy);

    bool public closed;
    mapping(address account => bool refused) public refused;

    /// @notice Closes (`true`) or reopens (`false`) the gate for every trade.
    function setClosed(bool closed_) external {
        closed = closed_;
    }

    /// @notice Refuses (`true`) or admits again (`false`) `account` as trader or recipient.
    function setRefused(address account, bool refused_) external {
        refused[account] = refused_;
    }

    /// @inheritdoc IMarketGate
    function checkTrade(ConditionId conditionId, address trader, address recipient, uint256, bool isBuy)
        external
        view
    {
        if (closed) revert GateClosed(conditionId);
        if (refused[trader]) revert GateRefused(trader, isBuy);
        if (refused[recipient]) revert GateRefused(recipient, isBuy);
    }
}
