// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC1155MetadataURI} from "@openzeppelin/contracts/token/ERC1155/extensions/IERC1155MetadataURI.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {PackedERC1155} from "../../../contracts/tokens/PackedERC1155.sol";
import {PackedERC1155Harness} from "../../mocks/PackedERC1155Harness.sol";

/// @notice A receiver that records the last hook's arguments and answers with `answer` (the right selector unless told
/// otherwise), or reverts with `reason` when one is set, or with no data when `revertEmpty` is set.
contract RecordingReceiver is IERC1155Receiver {
    address public operator;
    address public from;
    uint256[] internal _ids;
    uint256[] internal _values;
    bool public batch;
    uint256 public calls;
    bytes4 public answer;
    bool public useAnswer;
    bytes public reason;
    bool public revertEmpty;

    error Refused(bytes reason);

    function setAnswer(bytes4 answer_) external {
        answer = answer_;
        useAnswer = true;
    }

    function setRevert(bytes calldata reason_, bool empty) external {
        reason = reason_;
        revertEmpty = empty;
    }

    function ids() external view returns (uint256[] memory) {
        return _ids;
    }

    function values() external view returns (uint256[] memory) {
        return _values;
    }

    function onERC1155Received(address operator_, address from_, uint256 id, uint256 value, bytes calldata)
        external
        returns (bytes4)
    {
        _record(operator_, from_, false);
        _ids.push(id);
        _values.push(value);
        return useAnswer ? answer : this.onERC1155Received.selector;
    }

    function onERC1155BatchReceived(
        address operator_,
        address from_,
        uint256[] calldata ids_,
        uint256[] calldata values_,
        bytes calldata
    ) external returns (bytes4) {
        _record(operator_, from_, true);
        _ids = ids_;
        _values = values_;
        return useAnswer ? answer : this.onERC1155BatchReceived.selector;
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    function _record(address operator_, address from_, bool batch_) private {
        if (revertEmpty) revert(); // solhint-disable-line reason-string
        if (reason.length != 0) revert Refused(reason);
        operator = operator_;
        from = from_;
        batch = batch_;
        ++calls;
        delete _ids;
        delete _values;
    }
}

/// @notice Unit and property tests of PackedERC1155: the two ids of a slot keep separate balances, runs of a full set
/// (even and odd lengths) mint and burn exactly their ids, the 2^128 - 1 cap, and the ERC-1155 rules it shares with
/// OpenZeppelin's ERC1155 (approvals, zero addresses, receiver acceptance with operator = caller, IERC6093 errors).
contract PackedERC1155Test is Test {
    uint256 internal constant MAX = type(uint128).max;
    uint256 internal constant BASE = 0xabc00; // even, as the vault's set ids are

    PackedERC1155Harness internal token;
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");

    function setUp() public {
        token = new PackedERC1155Harness();
    }

    function _ids(uint256 first, uint256 count) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            ids[i] = first + i;
        }
    }

    function _fill(uint256 value, uint256 count) internal pure returns (uint256[] memory values) {
        values = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            values[i] = value;
        }
    }

    // ============================================================ storage

    function test_pairHalves_keepSeparateBalances() public {
        token.mint(alice, BASE, 5);
        token.mint(alice, BASE + 1, MAX);
        assertEq(token.balanceOf(alice, BASE), 5);
        assertEq(token.balanceOf(alice, BASE + 1), MAX);
        assertEq(token.balanceOf(alice, BASE + 2), 0);
        assertEq(token.balanceOf(alice, BASE - 1), 0);
        assertEq(token.balanceOf(bob, BASE), 0);

        vm.prank(alice);
        token.safeTransferFrom(alice, bob, BASE + 1, MAX - 1, "");
        assertEq(token.balanceOf(alice, BASE), 5);
        assertEq(token.balanceOf(alice, BASE + 1), 1);
        assertEq(token.balanceOf(bob, BASE + 1), MAX - 1);
        assertEq(token.balanceOf(bob, BASE), 0);

        token.burn(alice, BASE, 5);
        assertEq(token.balanceOf(alice, BASE), 0);
        assertEq(token.balanceOf(alice, BASE + 1), 1);
    }

    function test_selfTransfer_keepsTheBalance() public {
        token.mint(alice, BASE + 1, 7);
        vm.prank(alice);
        token.safeTransferFrom(alice, alice, BASE + 1, 7, "");
        assertEq(token.balanceOf(alice, BASE + 1), 7);
        assertEq(token.balanceOf(alice, BASE), 0);
    }

    function test_mintRun_evenAndOddCountsMintExactlyTheRun() public {
        token.mint(alice, BASE + 3, 11); // outside a run of 3, in the same slot as its last id
        token.mint(alice, BASE - 1, 13); // just before the run
        token.mintRun(alice, BASE, 3, 100);
        assertEq(token.balanceOfBatch(_repeat(alice, 5), _ids(BASE - 1, 5)), _values5(13, 100, 100, 100, 11));
        token.mintRun(alice, BASE, 2, 1);
        assertEq(token.balanceOfBatch(_repeat(alice, 5), _ids(BASE - 1, 5)), _values5(13, 101, 101, 100, 11));
    }

    function test_mintRun_emitsTransferBatchAndCallsTheBatchHookWithTheCaller() public {
        RecordingReceiver r = new RecordingReceiver();
        vm.expectEmit(address(token));
        emit IERC1155.TransferBatch(bob, address(0), address(r), _ids(BASE, 3), _fill(9, 3));
        vm.prank(bob);
        token.mintRun(address(r), BASE, 3, 9);
        assertEq(r.calls(), 1);
        assertTrue(r.batch());
        assertEq(r.operator(), bob);
        assertEq(r.from(), address(0));
        assertEq(r.ids(), _ids(BASE, 3));
        assertEq(r.values(), _fill(9, 3));
    }

    function test_burnRun_burnsTheRunAndEmits() public {
        token.mintRun(alice, BASE, 3, 10);
        token.mint(alice, BASE + 3, 4);
        vm.expectEmit(address(token));
        emit IERC1155.TransferBatch(bob, alice, address(0), _ids(BASE, 3), _fill(6, 3));
        vm.prank(bob);
        token.burnRun(alice, BASE, 3, 6);
        assertEq(token.balanceOfBatch(_repeat(alice, 4), _ids(BASE, 4)), _values4(4, 4, 4, 4));
    }

    function test_burnRun_revertsNamingTheFirstShortId() public {
        token.mintRun(alice, BASE, 3, 10);
        vm.prank(alice);
        token.safeTransferFrom(alice, bob, BASE + 1, 1, "");
        vm.expectRevert(
            abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, alice, 9, 10, BASE + 1)
        );
        token.burnRun(alice, BASE, 3, 10);
        vm.prank(alice);
        token.safeTransferFrom(alice, bob, BASE + 2, 1, "");
        vm.expectRevert(
            abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, alice, 9, 10, BASE + 1)
        );
        token.burnRun(alice, BASE, 3, 10);
        token.burnRun(alice, BASE, 3, 9); // exactly what is left of the scarcest
        assertEq(token.balanceOfBatch(_repeat(alice, 3), _ids(BASE, 3)), _values3(1, 0, 0));
    }

    function test_burnRunAll_burnsEverythingOfTheRunOnly() public {
        token.mintRun(alice, BASE, 3, 10);
        token.mint(alice, BASE + 1, 5);
        token.mint(alice, BASE + 3, 4);
        vm.expectEmit(address(token));
        emit IERC1155.TransferBatch(alice, alice, address(0), _ids(BASE, 3), _values3(10, 15, 10));
        vm.prank(alice);
        uint256[] memory burned = token.burnRunAll(alice, BASE, 3);
        assertEq(burned, _values3(10, 15, 10));
        assertEq(token.balanceOfBatch(_repeat(alice, 4), _ids(BASE, 4)), _values4(0, 0, 0, 4));
        assertEq(token.burnRunAll(alice, BASE, 3), _values3(0, 0, 0)); // nothing left, no revert
    }

    // ============================================================ cap

    function test_credit_revertsAboveTheCap() public {
        token.mint(alice, BASE + 1, MAX);
        vm.expectRevert(abi.encodeWithSelector(PackedERC1155.PackedBalanceOverflow.selector, alice, BASE + 1, MAX, 1));
        token.mint(alice, BASE + 1, 1);
        token.mint(bob, BASE + 1, 1);
        vm.expectRevert(abi.encodeWithSelector(PackedERC1155.PackedBalanceOverflow.selector, alice, BASE + 1, MAX, 1));
        vm.prank(bob);
        token.safeTransferFrom(bob, alice, BASE + 1, 1, "");
        // the other half is untouched by the attempts
        assertEq(token.balanceOf(alice, BASE), 0);
    }

    function test_mintRun_revertsAboveTheCapNamingTheId() public {
        vm.expectRevert(abi.encodeWithSelector(PackedERC1155.PackedBalanceOverflow.selector, alice, BASE, 0, MAX + 1));
        token.mintRun(alice, BASE, 2, MAX + 1);
        token.mint(alice, BASE + 1, MAX - 2);
        vm.expectRevert(
            abi.encodeWithSelector(PackedERC1155.PackedBalanceOverflow.selector, alice, BASE + 1, MAX - 2, 3)
        );
        token.mintRun(alice, BASE, 2, 3);
        token.mint(alice, BASE + 2, MAX);
        vm.expectRevert(abi.encodeWithSelector(PackedERC1155.PackedBalanceOverflow.selector, alice, BASE + 2, MAX, 2));
        token.mintRun(alice, BASE, 3, 2);
        token.mintRun(alice, BASE, 2, 2); // fits exactly
        assertEq(token.balanceOf(alice, BASE + 1), MAX);
    }

    // ============================================================ ERC-1155 rules

    function test_safeTransferFrom_needsOwnerOrApprovedOperator() public {
        token.mint(alice, BASE, 10);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155MissingApprovalForAll.selector, bob, alice));
        vm.prank(bob);
        token.safeTransferFrom(alice, bob, BASE, 1, "");

        vm.expectEmit(address(token));
        emit IERC1155.ApprovalForAll(alice, bob, true);
        vm.prank(alice);
        token.setApprovalForAll(bob, true);
        assertTrue(token.isApprovedForAll(alice, bob));
        vm.expectEmit(address(token));
        emit IERC1155.TransferSingle(bob, alice, bob, BASE, 4);
        vm.prank(bob);
        token.safeTransferFrom(alice, bob, BASE, 4, "");
        assertEq(token.balanceOf(bob, BASE), 4);
        assertEq(token.balanceOf(alice, BASE), 6);
    }

    function test_safeTransferFrom_revertsOnZeroAddressesAndShortBalance() public {
        token.mint(alice, BASE, 10);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidReceiver.selector, address(0)));
        token.safeTransferFrom(alice, address(0), BASE, 1, "");
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, alice, 10, 11, BASE));
        token.safeTransferFrom(alice, bob, BASE, 11, "");
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidOperator.selector, address(0)));
        token.setApprovalForAll(address(0), true);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidReceiver.selector, address(0)));
        token.mint(address(0), BASE, 1);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidReceiver.selector, address(0)));
        token.mintRun(address(0), BASE, 2, 1);
    }

    function test_receiver_calledWithTheCallerAsOperatorAndMayRefuse() public {
        RecordingReceiver r = new RecordingReceiver();
        token.mint(alice, BASE, 10);
        vm.prank(alice);
        token.safeTransferFrom(alice, address(r), BASE, 3, "");
        assertEq(r.operator(), alice);
        assertEq(r.from(), alice);
        assertFalse(r.batch());
        assertEq(token.balanceOf(address(r), BASE), 3);

        r.setAnswer(bytes4(0xdeadbeef));
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidReceiver.selector, address(r)));
        vm.prank(alice);
        token.safeTransferFrom(alice, address(r), BASE, 1, "");
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidReceiver.selector, address(r)));
        token.mintRun(address(r), BASE, 2, 1);

        r.setRevert("no", false);
        vm.expectRevert(abi.encodeWithSelector(RecordingReceiver.Refused.selector, bytes("no")));
        token.mint(address(r), BASE, 1);
        r.setRevert("", true);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidReceiver.selector, address(r)));
        token.mint(address(r), BASE, 1);
        // a contract without the hooks cannot receive
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidReceiver.selector, address(this)));
        vm.prank(alice);
        token.safeTransferFrom(alice, address(this), BASE, 1, "");
    }

    function test_safeBatchTransferFrom_handlesRepeatsAndSharedSlotsAndAlwaysUsesTheBatchHook() public {
        token.mintRun(alice, BASE, 2, 10);
        uint256[] memory ids = new uint256[](3);
        (ids[0], ids[1], ids[2]) = (BASE, BASE + 1, BASE);
        vm.prank(alice);
        token.safeBatchTransferFrom(alice, bob, ids, _values3(3, 4, 5), "");
        assertEq(token.balanceOfBatch(_pair(alice, bob), _pairIds(BASE, BASE)), _values2(2, 8));
        assertEq(token.balanceOfBatch(_pair(alice, bob), _pairIds(BASE + 1, BASE + 1)), _values2(6, 4));

        RecordingReceiver r = new RecordingReceiver();
        vm.expectEmit(address(token));
        emit IERC1155.TransferBatch(alice, alice, address(r), _ids(BASE + 1, 1), _fill(1, 1));
        vm.prank(alice);
        token.safeBatchTransferFrom(alice, address(r), _ids(BASE + 1, 1), _fill(1, 1), "");
        assertTrue(r.batch());
        assertEq(r.operator(), alice);

        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidArrayLength.selector, 2, 1));
        vm.prank(alice);
        token.safeBatchTransferFrom(alice, bob, _ids(BASE, 2), _fill(1, 1), "");
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidArrayLength.selector, 2, 1));
        token.balanceOfBatch(_repeat(alice, 1), _ids(BASE, 2));
    }

    function test_supportsInterfaceAndUri() public view {
        assertTrue(token.supportsInterface(0xd9b67a26)); // IERC1155
        assertTrue(token.supportsInterface(0x0e89341c)); // IERC1155MetadataURI
        assertTrue(token.supportsInterface(0x01ffc9a7)); // IERC165
        assertEq(type(IERC1155).interfaceId, bytes4(0xd9b67a26));
        assertEq(type(IERC1155MetadataURI).interfaceId, bytes4(0x0e89341c));
        assertFalse(token.supportsInterface(0xffffffff));
        assertFalse(token.supportsInterface(type(IERC1155Receiver).interfaceId));
        assertEq(token.uri(BASE), "");
    }

    // ============================================================ property

    /// @dev Random mints, burns and transfers of the four ids BASE - 1 .. BASE + 2 (three slots, two shared) between
    /// two holders match a plain per-id model.
    function testFuzz_randomOperations_matchAPerIdModel(uint256[24] memory ops) public {
        address[2] memory who = [alice, bob];
        uint256[4][2] memory model;
        for (uint256 k; k < ops.length; ++k) {
            uint256 op = ops[k];
            uint256 h = op & 1;
            uint256 j = (op >> 1) % 4;
            uint256 id = BASE - 1 + j;
            uint256 kind = (op >> 3) % 4;
            uint256 amount = op >> 5;
            if (kind == 0) {
                amount = amount % (MAX - model[h][j] + 1);
                token.mint(who[h], id, amount);
                model[h][j] += amount;
            } else if (kind == 1) {
                amount = amount % (model[h][j] + 1);
                token.burn(who[h], id, amount);
                model[h][j] -= amount;
            } else if (kind == 2) {
                uint256 room = MAX - model[1 - h][j];
                amount = amount % ((model[h][j] < room ? model[h][j] : room) + 1);
                vm.prank(who[h]);
                token.safeTransferFrom(who[h], who[1 - h], id, amount, "");
                model[h][j] -= amount;
                model[1 - h][j] += amount;
            } else if (j < 3) {
                // a run of two from BASE - 1 would be unaligned: runs start at BASE
                uint256 room = MAX - (model[h][1] > model[h][2] ? model[h][1] : model[h][2]);
                amount = amount % (room + 1);
                token.mintRun(who[h], BASE, 2, amount);
                model[h][1] += amount;
                model[h][2] += amount;
            }
            for (uint256 g; g < 2; ++g) {
                for (uint256 i; i < 4; ++i) {
                    assertEq(token.balanceOf(who[g], BASE - 1 + i), model[g][i]);
                }
            }
        }
    }

    // ============================================================ helpers

    function _repeat(address a, uint256 n) internal pure returns (address[] memory r) {
        r = new address[](n);
        for (uint256 i; i < n; ++i) {
            r[i] = a;
        }
    }

    function _pair(address a, address b) internal pure returns (address[] memory r) {
        r = new address[](2);
        (r[0], r[1]) = (a, b);
    }

    function _pairIds(uint256 a, uint256 b) internal pure returns (uint256[] memory r) {
        r = new uint256[](2);
        (r[0], r[1]) = (a, b);
    }

    function _values2(uint256 a, uint256 b) internal pure returns (uint256[] memory r) {
        r = new uint256[](2);
        (r[0], r[1]) = (a, b);
    }

    function _values3(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory r) {
        r = new uint256[](3);
        (r[0], r[1], r[2]) = (a, b, c);
    }

    function _values4(uint256 a, uint256 b, uint256 c, uint256 d) internal pure returns (uint256[] memory r) {
        r = new uint256[](4);
        (r[0], r[1], r[2], r[3]) = (a, b, c, d);
    }

    function _values5(uint256 a, uint256 b, uint256 c, uint256 d, uint256 e) internal pure returns (uint256[] memory r) {
        r = new uint256[](5);
        (r[0], r[1], r[2], r[3], r[4]) = (a, b, c, d, e);
    }
}
