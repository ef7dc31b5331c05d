// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice An ERC-20 that signals failure by returning `false` instead of reverting (as some old tokens do): once
/// `setFailing(true)`, `transfer` and `transferFrom` move nothing and return `false`. Open minting, for tests only.
contract ReturnsFalseERC20 is ERC20 {
    bool public failing;

    constructor() ERC20("Returns False Token", "FALSE") {}

    /// @notice Mints `amount` to `to`; anyone may call (test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice From now on every transfer fails silently (`true`) or works again (`false`).
    function setFailing(bool failing_) external {
        failing = failing_;
    }

    function transfer(address to, uint256 amount) public override returns (bool) {
        if (failing) return false;
        return super.transfer(to, amount);
    }

    function transferFrom(address from, address to, uint256 amount) public override returns (bool) {
        if (failing) return false;
        return super.transferFrom(from, to, amount);
    }
}
