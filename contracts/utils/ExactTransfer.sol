// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title ExactTransfer
/// @notice Pulls tokens and measures what actually arrived, so callers can refuse tokens that deliver
/// less (fee-on-transfer) or more than asked instead of breaking their accounting.
library ExactTransfer {
    /// @notice A pull delivered `received`, not the `expected` amount. The same signature (and selector) as the
    /// `TokenTransferMismatch` error every interface of ours declares, so callers see one error whichever
    /// contract pulled.
    error TokenTransferMismatch(IERC20 token, uint256 expected, uint256 received);

    /// @notice Pulls exactly `amount` of `token` from `from` into this contract, or reverts
    /// `TokenTransferMismatch(token, amount, received)` (fee-on-transfer and similar tokens are refused).
    /// @param token The token.
    /// @param from The payer (must have approved this contract).
    /// @param amount The amount asked.
    function pullExact(IERC20 token, address from, uint256 amount) internal {
        uint256 received = pull(token, from, amount);
        if (received != amount) revert TokenTransferMismatch(token, amount, received);
    }

    /// @notice Transfers `amount` of `token` from `from` to this contract and returns the increase of
    /// this contract's balance (0 if the balance did not grow).
    /// @dev `balanceOf(this)`, `transferFrom(from, this, amount)`, `balanceOf(this)` in one assembly block (no
    /// memory allocation, no ABI helpers). The transfer succeeds as with OpenZeppelin's `SafeERC20.safeTransferFrom`:
    /// the call must not revert and must return true, or return nothing from an account with code; a revert is
    /// bubbled up, any other failure reverts `SafeERC20FailedOperation(token)`. A `balanceOf` that reverts is bubbled
    /// up; one that returns fewer than 32 bytes (e.g. an account without code) reverts with its return data.
    /// @param token The token.
    /// @param from The payer (must have approved this contract).
    /// @param amount The amount asked.
    /// @return received What arrived, measured by balance difference.
    function pull(IERC20 token, address from, uint256 amount) internal returns (uint256 received) {
        bool transferred;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            // Scratch space (0x00-0x3f) for balanceOf, free memory (not allocated) for transferFrom.
            let m := mload(0x40)
            mstore(0x00, 0x70a08231) // balanceOf(address)
            mstore(0x20, address())
            // Arguments are evaluated right to left: the staticcall runs before returndatasize is read.
            if iszero(and(gt(returndatasize(), 0x1f), staticcall(gas(), token, 0x1c, 0x24, 0x00, 0x20))) {
                returndatacopy(m, 0x00, returndatasize())
                revert(m, returndatasize())
            }
            let before := mload(0x00)

            mstore(m, 0x23b872dd) // transferFrom(address,address,uint256)
            mstore(add(m, 0x20), from)
            mstore(add(m, 0x40), address())
            mstore(add(m, 0x60), amount)
            let ok := call(gas(), token, 0, add(m, 0x1c), 0x64, 0x00, 0x20)
            if iszero(ok) {
                returndatacopy(m, 0x00, returndatasize())
                revert(m, returndatasize())
            }
            // True returned, or nothing returned by an account with code (asked only then: EXTCODESIZE costs).
            switch returndatasize()
            case 0 { transferred := gt(extcodesize(token), 0) }
            default { transferred := and(eq(mload(0x00), 1), gt(returndatasize(), 0x1f)) }

            mstore(0x00, 0x70a08231)
            mstore(0x20, address())
            if iszero(and(gt(returndatasize(), 0x1f), staticcall(gas(), token, 0x1c, 0x24, 0x00, 0x20))) {
                returndatacopy(m, 0x00, returndatasize())
                revert(m, returndatasize())
            }
            let afterwards := mload(0x00)
            received := mul(gt(afterwards, before), sub(afterwards, before))
        }
        if (!transferred) revert SafeERC20.SafeERC20FailedOperation(address(token));
    }
}
