// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {EfficientHashLib} from "solady/src/utils/EfficientHashLib.sol";

import {IOutcomeVault} from "../interfaces/IOutcomeVault.sol";
import {ConditionId, PositionId} from "../types/MarketIds.sol";

/// @title PositionIds
/// @notice The outcome vault's position-id scheme, shared by every contract that must name a position
/// without calling the vault: the hash `keccak256(abi.encode(collateral, parent, conditionId))` with its low byte
/// replaced by the outcome index (order-dependent; docs/markets.md explains why we do not need Gnosis's
/// order-independent ids). The outcomes of a condition are consecutive ids from an even one, so the vault keeps the
/// balances of outcomes `2k` and `2k + 1` in one storage slot (PackedERC1155).
library PositionIds {
    /// @notice The outcome index takes the low byte of an id.
    uint256 internal constant MAX_OUTCOME_INDEX = 0xff;

    /// @notice The id of outcome 0 of `conditionId` under `parent` (0: the collateral itself); outcome `i` is
    /// `base + i`.
    /// @param collateral The collateral token (a namespace when `parent != 0`).
    /// @param parent The parent position, or 0.
    /// @param conditionId The condition.
    /// @return The hash of the three words with its low byte cleared.
    function base(IERC20 collateral, PositionId parent, ConditionId conditionId) internal pure returns (uint256) {
        // keccak256(abi.encode(collateral, parent, conditionId)), hashed in scratch memory without allocating.
        bytes32 h = EfficientHashLib.hash(
            bytes32(uint256(uint160(address(collateral)))), bytes32(PositionId.unwrap(parent)), ConditionId.unwrap(conditionId)
        );
        return uint256(h) & ~MAX_OUTCOME_INDEX;
    }

    /// @notice The id of outcome `outcomeIndex` of `conditionId` under `parent` (0: the collateral itself).
    /// @dev Reverts `OutcomeIndexTooLarge` above 255 (the index must fit the id's low byte).
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
        if (outcomeIndex > MAX_OUTCOME_INDEX) {
            revert IOutcomeVault.OutcomeIndexTooLarge(outcomeIndex, MAX_OUTCOME_INDEX);
        }
        return base(collateral, parent, conditionId) | outcomeIndex;
    }
}
