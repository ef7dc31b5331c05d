// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice An ERC-20 that reverts every transfer of zero tokens between accounts (as LEND and some others do), so a
/// contract that pays out zero amounts unconditionally would be blocked. Open minting, for tests only.
contract RevertOnZeroERC20 is ERC20 {
    /// @notice A transfer of zero from `from` to `to`.
    error ZeroAmountTransfer(address from, address to);

    constructor() ERC20("Revert On Zero Token", "RZERO") {}

    /// @notice Mints `amount` to `to`; anyone may call (test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (value == 0 && from != address(0) && to != address(0)) revert ZeroAmountTransfer(from, to);
        super._update(from, to, value);
    }
}
