// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @notice An ERC-1155 holder that turns hostile on command: in `Accept` mode it takes positions like any holder (so
/// it can trade and split through `execute` first); in `Revert` mode its receiver hooks revert `ReceiverRefused`; in
/// `BurnGas` mode they loop until they run out of gas (whatever gas they are given). Tests use it as a trader,
/// recipient or holder that tries to block other people's settlement.
contract HostileERC1155Receiver is IERC1155Receiver {
    /// @notice How the receiver hooks behave.
    enum Mode {
        Accept,
        Revert,
        BurnGas
    }

    /// @notice The hooks refuse every receipt (`Revert` mode).
    error ReceiverRefused(address operator, address from);
    /// @notice An `execute` call reverted with `returnData`.
    error CallFailed(bytes returnData);

    Mode public mode;
    /// @notice Incremented by every loop iteration in `BurnGas` mode (a storage write, so the loop is not optimised out).
    uint256 public spins;

    /// @notice Switches the hooks' behaviour.
    function setMode(Mode mode_) external {
        mode = mode_;
    }

    /// @notice Calls `to` with `callData` as this contract; reverts `CallFailed` with the revert data.
    function execute(address to, bytes calldata callData) external returns (bytes memory result) {
        bool ok;
        // solhint-disable-next-line avoid-low-level-calls
        (ok, result) = to.call(callData);
        if (!ok) revert CallFailed(result);
    }

    function onERC1155Received(address operator, address from, uint256, uint256, bytes calldata)
        external
        returns (bytes4)
    {
        _hook(operator, from);
        return this.onERC1155Received.selector;
    }

    function onERC1155BatchReceived(address operator, address from, uint256[] calldata, uint256[] calldata, bytes calldata)
        external
        returns (bytes4)
    {
        _hook(operator, from);
        return this.onERC1155BatchReceived.selector;
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    function _hook(address operator, address from) private {
        if (mode == Mode.Revert) revert ReceiverRefused(operator, from);
        if (mode == Mode.BurnGas) {
            while (true) {
                ++spins;
            }
        }
    }
}
