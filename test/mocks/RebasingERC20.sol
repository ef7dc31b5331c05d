// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice A rebasing ERC-20 (as stETH or AMPL): accounts hold shares, and a balance is `shares * index / 1e18`, so
/// `setIndex` scales every balance at once, up (positive rebase) or down (negative rebase). Amounts are converted to
/// shares rounding down. Open minting, for tests only.
contract RebasingERC20 is IERC20, IERC20Errors {
    uint256 private constant _ONE = 1e18;

    // solhint-disable-next-line const-name-snakecase
    string public constant name = "Rebasing Token";
    // solhint-disable-next-line const-name-snakecase
    string public constant symbol = "REBASE";
    // solhint-disable-next-line const-name-snakecase
    uint8 public constant decimals = 18;
    /// @notice Token units per share, in 1e18 (starts at 1e18).
    uint256 public index = _ONE;
    uint256 public totalShares;
    mapping(address account => uint256) public sharesOf;
    mapping(address owner => mapping(address spender => uint256)) public allowance;

    /// @notice Rebases: every balance becomes `shares * index_ / 1e18`.
    function setIndex(uint256 index_) external {
        index = index_;
    }

    /// @notice Mints `amount` (token units) to `to`; anyone may call (test token).
    function mint(address to, uint256 amount) external {
        uint256 shares = amount * _ONE / index;
        totalShares += shares;
        sharesOf[to] += shares;
        emit Transfer(address(0), to, amount);
    }

    function balanceOf(address account) public view returns (uint256) {
        return sharesOf[account] * index / _ONE;
    }

    function totalSupply() external view returns (uint256) {
        return totalShares * index / _ONE;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed < amount) revert ERC20InsufficientAllowance(msg.sender, allowed, amount);
        if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - amount;
        _move(from, to, amount);
        return true;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function _move(address from, address to, uint256 amount) private {
        uint256 balance = balanceOf(from);
        if (balance < amount) revert ERC20InsufficientBalance(from, balance, amount);
        uint256 shares = amount * _ONE / index;
        sharesOf[from] -= shares;
        sharesOf[to] += shares;
        emit Transfer(from, to, amount);
    }
}
