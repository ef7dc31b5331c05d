// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title ExactTransfer
/// @notice Pulls tokens and measures what actually arrived, so callers can refuse tokens that deliver
/// less (fee-on-transfer) or more than asked instead of breaking their accounting.
library ExactTransfer {
    using SafeERC20 for IERC20;

    /// @notice Transfers `amount` of `token` from `from` to this contract and returns the increase of
    /// this contract's balance (0 if the balance did not grow).
    /// @param token The token.
    /// @param from The payer (must have approved this contract).
    /// @param amount The amount asked.
    /// @return received What arrived, measured by balance difference.
    function pull(IERC20 token, address from, uint256 amount) internal returns (uint256 received) {
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(from, address(this), amount);
        uint256 afterwards = token.balanceOf(address(this));
        received = afterwards > before ? afterwards - before : 0;
    }
}
