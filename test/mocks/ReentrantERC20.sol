// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice An ERC-20 with a transfer hook (as ERC-777 tokens have): once armed, its next transfer calls
/// `target` with `data` before moving the tokens, and records whether that reentrant call succeeded
/// and what it returned, so tests can assert that the target refused it.
contract ReentrantERC20 is ERC20 {
    address public target;
    bytes public data;
    bool public armed;
    bool public reentered;
    bool public reentrySucceeded;
    bytes public reentryReturnData;

    constructor() ERC20("Hook Token", "HOOK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the hook: the next transfer (not mint) calls `target_` with `data_`.
    function arm(address target_, bytes calldata data_) external {
        target = target_;
        data = data_;
        armed = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (armed && from != address(0)) {
            armed = false;
            reentered = true;
            // solhint-disable-next-line avoid-low-level-calls
            (reentrySucceeded, reentryReturnData) = target.call(data);
        }
        super._update(from, to, value);
    }
}
