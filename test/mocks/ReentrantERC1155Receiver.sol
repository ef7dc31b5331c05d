// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @notice An ERC-1155 holder whose receiver hooks, once armed, call `target` with `data` and record whether that
/// reentrant call succeeded and what it returned, so tests can assert that the target refused it. It can also make
/// arbitrary calls (as a holder would), e.g. to approve collateral and split.
contract ReentrantERC1155Receiver is IERC1155Receiver {
    address public target;
    bytes public data;
    bool public armed;
    bool public reentered;
    bool public reentrySucceeded;
    bytes public reentryReturnData;

    /// @notice An `execute` call reverted with `returnData`.
    error CallFailed(bytes returnData);

    /// @notice Arms the hook: the next ERC-1155 receipt calls `target_` with `data_`.
    function arm(address target_, bytes calldata data_) external {
        target = target_;
        data = data_;
        armed = true;
    }

    /// @notice Calls `to` with `callData` as this contract; reverts `CallFailed` with the revert data.
    function execute(address to, bytes calldata callData) external returns (bytes memory result) {
        bool ok;
        // solhint-disable-next-line avoid-low-level-calls
        (ok, result) = to.call(callData);
        if (!ok) revert CallFailed(result);
    }

    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external returns (bytes4) {
        _hook();
        return this.onERC1155Received.selector;
    }

    function onERC1155BatchReceived(address, address, uint256[] calldata, uint256[] calldata, bytes calldata)
        external
        returns (bytes4)
    {
        _hook();
        return this.onERC1155BatchReceived.selector;
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    function _hook() private {
        if (!armed) return;
        armed = false;
        reentered = true;
        // solhint-disable-next-line avoid-low-level-calls
        (reentrySucceeded, reentryReturnData) = target.call(data);
    }
}
