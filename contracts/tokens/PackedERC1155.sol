// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155MetadataURI} from "@openzeppelin/contracts/token/ERC1155/extensions/IERC1155MetadataURI.sol";
import {ERC1155Utils} from "@openzeppelin/contracts/token/ERC1155/utils/ERC1155Utils.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @title PackedERC1155
/// @notice ERC-1155 whose balances of the ids `2k` and `2k + 1` share one storage slot (128 bits each), with internal
/// mints and burns of a run of consecutive ids from an even id, made for full sets of outcome positions: a holder's
/// balances of a binary set are one slot, not two.
/// @dev Every id has a balance of its own, whatever its value: the slot is keyed by `id >> 1`, the half by `id & 1`
/// (low half for even ids). A balance is at most `2^128 - 1`; a credit beyond reverts `PackedBalanceOverflow`.
/// Checks and errors follow OpenZeppelin's ERC1155 (IERC6093 errors with their arguments; receiver acceptance through
/// OpenZeppelin's ERC1155Utils, for recipients with code only, with `operator = msg.sender`), except that
/// `safeBatchTransferFrom` always emits TransferBatch and calls `onERC1155BatchReceived`, also for a single id, as
/// EIP-1155 specifies. Every function writes all balances and emits its event before any receiver hook runs.
abstract contract PackedERC1155 is IERC1155, IERC1155MetadataURI, IERC1155Errors {
    /// @notice Crediting `amount` of `id` to `owner`, who holds `balance`, would exceed `2^128 - 1`.
    error PackedBalanceOverflow(address owner, uint256 id, uint256 balance, uint256 amount);

    uint256 private constant _HALF = 0xffffffffffffffffffffffffffffffff; // type(uint128).max, a literal for assembly

    mapping(address owner => mapping(address operator => bool approved)) private _operatorApprovals;

    // ------------------------------------------------------------- ERC-1155

    /// @inheritdoc IERC1155
    function balanceOf(address account, uint256 id) public view returns (uint256) {
        return _half(_load(_pairSlot(account, id)), id);
    }

    /// @inheritdoc IERC1155
    /// @dev Memory parameters here and in safeBatchTransferFrom, as in OpenZeppelin's ERC1155: with calldata arrays
    /// the compiler shares (no longer inlines) the calldata-array decoder that `reportPayouts` uses, +102 gas there.
    // solhint-disable-next-line gas-calldata-parameters
    function balanceOfBatch(address[] memory accounts, uint256[] memory ids)
        external
        view
        returns (uint256[] memory balances)
    {
        if (accounts.length != ids.length) revert ERC1155InvalidArrayLength(ids.length, accounts.length);
        balances = new uint256[](ids.length);
        for (uint256 i; i < ids.length; ++i) {
            balances[i] = balanceOf(accounts[i], ids[i]);
        }
    }

    /// @inheritdoc IERC1155
    function setApprovalForAll(address operator, bool approved) external {
        if (operator == address(0)) revert ERC1155InvalidOperator(address(0));
        _operatorApprovals[msg.sender][operator] = approved;
        emit ApprovalForAll(msg.sender, operator, approved);
    }

    /// @inheritdoc IERC1155
    function isApprovedForAll(address account, address operator) public view returns (bool) {
        return _operatorApprovals[account][operator];
    }

    /// @inheritdoc IERC1155
    function safeTransferFrom(address from, address to, uint256 id, uint256 value, bytes calldata data) external {
        _checkTransfer(from, to);
        _debit(from, id, value);
        _credit(to, id, value);
        emit TransferSingle(msg.sender, from, to, id, value);
        ERC1155Utils.checkOnERC1155Received(msg.sender, from, to, id, value, data);
    }

    /// @inheritdoc IERC1155
    // solhint-disable-next-line gas-calldata-parameters
    function safeBatchTransferFrom(
        address from,
        address to,
        uint256[] memory ids,
        uint256[] memory values,
        bytes memory data
    ) external {
        if (ids.length != values.length) revert ERC1155InvalidArrayLength(ids.length, values.length);
        _checkTransfer(from, to);
        // One id after the other: ids may repeat or share a slot.
        for (uint256 i; i < ids.length; ++i) {
            _debit(from, ids[i], values[i]);
            _credit(to, ids[i], values[i]);
        }
        emit TransferBatch(msg.sender, from, to, ids, values);
        ERC1155Utils.checkOnERC1155BatchReceived(msg.sender, from, to, ids, values, data);
    }

    /// @notice The metadata URI of every id: empty (positions carry no off-chain metadata).
    function uri(uint256) external pure returns (string memory) {
        return "";
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) public view virtual returns (bool) {
        return interfaceId == type(IERC1155).interfaceId || interfaceId == type(IERC1155MetadataURI).interfaceId
            || interfaceId == type(IERC165).interfaceId;
    }

    // ------------------------------------------------------------- internal mints and burns

    /// @dev Mints `amount` of `id` to `to`: TransferSingle, then the receiver's acceptance check.
    function _mint(address to, uint256 id, uint256 amount) internal {
        if (to == address(0)) revert ERC1155InvalidReceiver(address(0));
        _credit(to, id, amount);
        emit TransferSingle(msg.sender, address(0), to, id, amount);
        ERC1155Utils.checkOnERC1155Received(msg.sender, address(0), to, id, amount, "");
    }

    /// @dev Burns `amount` of `id` from `from`: TransferSingle.
    function _burn(address from, uint256 id, uint256 amount) internal {
        _debit(from, id, amount);
        emit TransferSingle(msg.sender, from, address(0), id, amount);
    }

    /// @dev Mints `amount` of each of the `count` ids from `firstId` to `to`: TransferBatch, then the receiver's batch
    /// acceptance check. `firstId` must be even and `firstId + count` must not overflow (the caller's id scheme
    /// guarantees both).
    function _mintRun(address to, uint256 firstId, uint256 count, uint256 amount) internal {
        if (to == address(0)) revert ERC1155InvalidReceiver(address(0));
        // Bounds every sum below: a half plus `amount` stays under 2^129.
        if (amount > _HALF) revert PackedBalanceOverflow(to, firstId, balanceOf(to, firstId), amount);
        (uint256 batch, uint256[] memory ids, uint256[] memory amounts) = _allocBatch(count);
        // On overflow: the id and its balance (earlier pairs are already written, so they are not re-read).
        bool overflow;
        uint256 badId;
        uint256 badBalance;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            for { let i := 0 } lt(i, count) { i := add(i, 2) } {
                let id := add(firstId, i)
                let o := shl(5, add(i, 1))
                mstore(add(ids, o), id)
                mstore(add(amounts, o), amount)
                mstore(0x00, shr(96, shl(96, to))) // the address's 20 bytes only, whatever the upper bits
                mstore(0x20, shr(1, id))
                let slot := keccak256(0x0c, 0x34) // _pairSlot(to, id)
                let packed := sload(slot)
                let lo := add(and(packed, _HALF), amount)
                let hi := shr(128, packed)
                if lt(add(i, 1), count) {
                    hi := add(hi, amount)
                    mstore(add(ids, add(o, 0x20)), add(id, 1))
                    mstore(add(amounts, add(o, 0x20)), amount)
                }
                if or(gt(lo, _HALF), gt(hi, _HALF)) {
                    overflow := 1
                    badId := id
                    badBalance := and(packed, _HALF)
                    if iszero(gt(lo, _HALF)) {
                        badId := add(id, 1)
                        badBalance := shr(128, packed)
                    }
                    break
                }
                sstore(slot, or(shl(128, hi), lo))
            }
        }
        if (overflow) revert PackedBalanceOverflow(to, badId, badBalance, amount);
        _logTransferBatch(batch, count, address(0), to);
        ERC1155Utils.checkOnERC1155BatchReceived(msg.sender, address(0), to, ids, amounts, "");
    }

    /// @dev Burns `amount` of each of the `count` ids from `firstId` from `from`: TransferBatch. Same preconditions as
    /// `_mintRun`.
    function _burnRun(address from, uint256 firstId, uint256 count, uint256 amount) internal {
        (uint256 batch, uint256[] memory ids, uint256[] memory amounts) = _allocBatch(count);
        // When short: the id and its balance (earlier pairs are already written, so they are not re-read).
        bool short;
        uint256 badId;
        uint256 badBalance;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            for { let i := 0 } lt(i, count) { i := add(i, 2) } {
                let id := add(firstId, i)
                let o := shl(5, add(i, 1))
                mstore(add(ids, o), id)
                mstore(add(amounts, o), amount)
                mstore(0x00, shr(96, shl(96, from)))
                mstore(0x20, shr(1, id))
                let slot := keccak256(0x0c, 0x34) // _pairSlot(from, id)
                let packed := sload(slot)
                let lo := and(packed, _HALF)
                let hi := shr(128, packed)
                badId := id
                badBalance := lo
                short := lt(lo, amount)
                if lt(add(i, 1), count) {
                    if iszero(short) {
                        badId := add(id, 1)
                        badBalance := hi
                        short := lt(hi, amount)
                    }
                    hi := sub(hi, amount)
                    mstore(add(ids, add(o, 0x20)), add(id, 1))
                    mstore(add(amounts, add(o, 0x20)), amount)
                }
                if short { break }
                sstore(slot, or(shl(128, hi), sub(lo, amount)))
            }
        }
        if (short) revert ERC1155InsufficientBalance(from, badBalance, amount, badId);
        _logTransferBatch(batch, count, from, address(0));
    }

    /// @dev Burns `from`'s whole balance of each of the `count` ids from `firstId`: TransferBatch. Returns the burned
    /// balances, in id order. Same preconditions as `_mintRun`.
    function _burnRunAll(address from, uint256 firstId, uint256 count) internal returns (uint256[] memory balances) {
        uint256 batch;
        uint256[] memory ids;
        (batch, ids, balances) = _allocBatch(count);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            for { let i := 0 } lt(i, count) { i := add(i, 2) } {
                let id := add(firstId, i)
                let o := shl(5, add(i, 1))
                mstore(0x00, shr(96, shl(96, from)))
                mstore(0x20, shr(1, id))
                let slot := keccak256(0x0c, 0x34) // _pairSlot(from, id)
                let packed := sload(slot)
                mstore(add(ids, o), id)
                mstore(add(balances, o), and(packed, _HALF))
                switch lt(add(i, 1), count)
                case 1 {
                    mstore(add(ids, add(o, 0x20)), add(id, 1))
                    mstore(add(balances, add(o, 0x20)), shr(128, packed))
                    packed := 0
                }
                default {
                    packed := and(packed, not(_HALF)) // the odd id is not in the run: its balance stays
                }
                sstore(slot, packed)
            }
        }
        _logTransferBatch(batch, count, from, address(0));
    }

    // ------------------------------------------------------------- private

    function _checkTransfer(address from, address to) private view {
        if (from != msg.sender && !_operatorApprovals[from][msg.sender]) {
            revert ERC1155MissingApprovalForAll(msg.sender, from);
        }
        if (to == address(0)) revert ERC1155InvalidReceiver(address(0));
        if (from == address(0)) revert ERC1155InvalidSender(address(0));
    }

    function _debit(address from, uint256 id, uint256 amount) private {
        uint256 slot = _pairSlot(from, id);
        uint256 packed = _load(slot);
        uint256 balance = _half(packed, id);
        if (balance < amount) revert ERC1155InsufficientBalance(from, balance, amount, id);
        // amount <= balance, the half it is taken from: no borrow from the other half.
        _store(slot, packed - (amount << _shift(id)));
    }

    function _credit(address to, uint256 id, uint256 amount) private {
        uint256 slot = _pairSlot(to, id);
        uint256 packed = _load(slot);
        uint256 balance = _half(packed, id);
        if (amount > _HALF - balance) revert PackedBalanceOverflow(to, id, balance, amount);
        // balance + amount <= 2^128 - 1: no carry into the other half.
        _store(slot, packed + (amount << _shift(id)));
    }

    /// @dev The storage slot of `owner`'s balances of the ids `id & ~1` and `id | 1`: `keccak256(abi.encodePacked(owner,
    /// id >> 1))`, a 52-byte preimage. Solidity derives mapping slots from 64-byte preimages and array slots from
    /// 32-byte ones, so no variable of this contract or a derived one can share a slot with a balance.
    function _pairSlot(address owner, uint256 id) private pure returns (uint256 slot) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, shr(96, shl(96, owner))) // bytes 12-31 (upper bits cleared: assembly may see them dirty)
            mstore(0x20, shr(1, id)) // bytes 32-63
            slot := keccak256(0x0c, 0x34)
        }
    }

    function _load(uint256 slot) private view returns (uint256 value) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            value := sload(slot)
        }
    }

    function _store(uint256 slot, uint256 value) private {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(slot, value)
        }
    }

    /// @dev The balance of `id` in its pair's slot value.
    function _half(uint256 packed, uint256 id) private pure returns (uint256) {
        return (packed >> _shift(id)) & _HALF;
    }

    /// @dev 0 for even ids (low half), 128 for odd ids (high half).
    function _shift(uint256 id) private pure returns (uint256) {
        return (id & 1) << 7;
    }

    /// @dev Allocates, at `batch`, the ABI encoding of `(uint256[] ids, uint256[] amounts)` with `count` entries each
    /// (to be filled through the returned arrays), so that TransferBatch logs it as it stands and the receiver check
    /// reads the same two arrays.
    function _allocBatch(uint256 count)
        private
        pure
        returns (uint256 batch, uint256[] memory ids, uint256[] memory amounts)
    {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            batch := mload(0x40)
            let words := shl(5, count)
            ids := add(batch, 0x40)
            amounts := add(ids, add(0x20, words))
            mstore(batch, 0x40) // offset of ids
            mstore(add(batch, 0x20), add(0x60, words)) // offset of amounts
            mstore(ids, count)
            mstore(amounts, count)
            mstore(0x40, add(amounts, add(0x20, words)))
        }
    }

    /// @dev Emits TransferBatch(msg.sender, from, to, ids, amounts) from the encoding `_allocBatch` laid out.
    function _logTransferBatch(uint256 batch, uint256 count, address from, address to) private {
        bytes32 topic = TransferBatch.selector;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            log4(batch, add(0x80, shl(6, count)), topic, caller(), shr(96, shl(96, from)), shr(96, shl(96, to)))
        }
    }
}
