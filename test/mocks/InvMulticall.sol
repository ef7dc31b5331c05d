// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice A minimal Multicall3 (`aggregate3` only, same ABI) for the TypeScript invariant suite: one eth_call reads
/// every view the system-wide checks need, through viem's typed `multicall`. Test-only; never deployed elsewhere.
contract InvMulticall {
    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    /// @notice A call that may not fail did, with `returnData`.
    error InvCallFailed(uint256 index, bytes returnData);

    /// @notice Calls each target in order and returns every result; reverts if a call that may not fail fails.
    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory results) {
        uint256 n = calls.length;
        results = new Result[](n);
        for (uint256 i; i < n; ++i) {
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory ret) = calls[i].target.call(calls[i].callData);
            if (!ok && !calls[i].allowFailure) revert InvCallFailed(i, ret);
            results[i] = Result(ok, ret);
        }
    }
}
