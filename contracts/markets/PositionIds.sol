// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ConditionId, PositionId} from "../types/MarketIds.sol";

/// @title PositionIds
/// @notice The outcome vault's position-id scheme, shared by every contract that must name a position
/// without calling the vault: `uint256(keccak256(abi.encode(collateral, parent, conditionId, outcomeIndex)))`
/// (order-dependent; docs/markets.md explains why we do not need Gnosis's order-independent ids).
library PositionIds {
    /// @notice The id of outcome `outcomeIndex` of `conditionId` under `parent` (0: the collateral itself).
    /// @param collateral The collateral token (a namespace when `parent != 0`).
    /// @param parent The parent position, or 0.
    /// @param conditionId The condition.
    /// @param outcomeIndex The outcome.
    /// @return The ERC-1155 token id of the position.
    function compute(IERC20 collateral, PositionId parent, ConditionId conditionId, uint256 outcomeIndex)
        internal
        pure
        returns (uint256)
    {
        return uint256(keccak256(abi.encode(collateral, parent, conditionId, outcomeIndex)));
    }
}
