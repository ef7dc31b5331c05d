// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {PositionIds} from "../../contracts/markets/PositionIds.sol";
import {ConditionId, PositionId} from "../../contracts/types/MarketIds.sol";

/// @notice Exposes PositionIds' internal functions and constant as external calls, for the differential test only
/// (test/integration/position-ids.test.ts).
contract PositionIdsHarness {
    /// @notice See `PositionIds.MAX_OUTCOME_INDEX`.
    function maxOutcomeIndex() external pure returns (uint256) {
        return PositionIds.MAX_OUTCOME_INDEX;
    }

    /// @notice See `PositionIds.base`.
    function base(IERC20 collateral, PositionId parent, ConditionId conditionId) external pure returns (uint256) {
        return PositionIds.base(collateral, parent, conditionId);
    }

    /// @notice See `PositionIds.compute`.
    function compute(IERC20 collateral, PositionId parent, ConditionId conditionId, uint256 outcomeIndex)
        external
        pure
        returns (uint256)
    {
        return PositionIds.compute(collateral, parent, conditionId, outcomeIndex);
    }

    /// @notice `compute` of many inputs at once, entry by entry (one call per sample in the test); the arrays must
    /// have equal lengths.
    function computeBatch(
        IERC20[] calldata collaterals,
        PositionId[] calldata parents,
        ConditionId[] calldata conditionIds,
        uint256[] calldata outcomeIndexes
    ) external pure returns (uint256[] memory ids) {
        ids = new uint256[](collaterals.length);
        for (uint256 k = 0; k < ids.length; ++k) {
            ids[k] = PositionIds.compute(collaterals[k], parents[k], conditionIds[k], outcomeIndexes[k]);
        }
    }
}
