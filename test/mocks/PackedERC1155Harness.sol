// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedERC1155} from "../../contracts/tokens/PackedERC1155.sol";

/// @notice Exposes PackedERC1155's internal mints and burns so that its tests can drive them directly (the vault only
/// reaches them through split, merge and redeem).
contract PackedERC1155Harness is PackedERC1155 {
    function mint(address to, uint256 id, uint256 amount) external {
        _mint(to, id, amount);
    }

    function burn(address from, uint256 id, uint256 amount) external {
        _burn(from, id, amount);
    }

    function mintRun(address to, uint256 firstId, uint256 count, uint256 amount) external {
        _mintRun(to, firstId, count, amount);
    }

    function burnRun(address from, uint256 firstId, uint256 count, uint256 amount) external {
        _burnRun(from, firstId, count, amount);
    }

    function burnRunAll(address from, uint256 firstId, uint256 count) external returns (uint256[] memory) {
        return _burnRunAll(from, firstId, count);
    }
}
