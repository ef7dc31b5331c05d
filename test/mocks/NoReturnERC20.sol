// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice A USDT-style ERC-20: `transfer`, `transferFrom` and `approve` return nothing (not `bool`) and revert on
/// failure, and `approve` refuses to change a non-zero allowance to another non-zero value (callers must reset it to
/// zero first, as OpenZeppelin's `forceApprove` does). Call it through this type, not `IERC20`: the `IERC20` decoder
/// expects a `bool` back. Open minting, for tests only.
contract NoReturnERC20 {
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// @notice `from` holds `balance`, less than `needed`.
    error NoReturnInsufficientBalance(address from, uint256 balance, uint256 needed);
    /// @notice `spender` may move `allowance` of `owner`'s tokens, less than `needed`.
    error NoReturnInsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed);
    /// @notice A non-zero allowance can only be set from zero (USDT's rule).
    error NoReturnApproveFromNonZero(address owner, address spender, uint256 current);

    // solhint-disable-next-line const-name-snakecase
    string public constant name = "No Return Token";
    // solhint-disable-next-line const-name-snakecase
    string public constant symbol = "NORET";
    uint8 public immutable decimals;
    uint256 public totalSupply;
    mapping(address account => uint256) public balanceOf;
    mapping(address owner => mapping(address spender => uint256)) public allowance;

    constructor(uint8 decimals_) {
        decimals = decimals_;
    }

    /// @notice Mints `amount` to `to`; anyone may call (test token).
    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function transfer(address to, uint256 amount) external {
        _move(msg.sender, to, amount);
    }

    function transferFrom(address from, address to, uint256 amount) external {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed < amount) revert NoReturnInsufficientAllowance(from, msg.sender, allowed, amount);
        if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - amount;
        _move(from, to, amount);
    }

    function approve(address spender, uint256 amount) external {
        uint256 current = allowance[msg.sender][spender];
        if (amount != 0 && current != 0) revert NoReturnApproveFromNonZero(msg.sender, spender, current);
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
    }

    function _move(address from, address to, uint256 amount) private {
        uint256 balance = balanceOf[from];
        if (balance < amount) revert NoReturnInsufficientBalance(from, balance, amount);
        balanceOf[from] = balance - amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}
