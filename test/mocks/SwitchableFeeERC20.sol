// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice An ERC-20 whose transfer fee can be switched on after deployment, for tests only: a pledge
/// can be created while the fee is zero, then top-ups, challenges and disputes meet a token that
/// delivers less than asked. The fee (`feeBps` of each transfer between accounts) is burned.
contract SwitchableFeeERC20 is ERC20 {
    uint256 public feeBps;

    constructor() ERC20("Switchable Fee Token", "SFEE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setFeeBps(uint256 feeBps_) external {
        feeBps = feeBps_;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0) && feeBps != 0) {
            uint256 fee = value * feeBps / 10_000;
            super._update(from, address(0), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}
