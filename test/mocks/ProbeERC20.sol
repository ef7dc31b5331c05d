// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice An ERC-20 with a read-only transfer hook: on every transfer out of `watched`, before the tokens move, it
/// static-calls `target` with `probeData` (a view, e.g. the payer's own books) and records the answer, so a test can
/// check what the payer had booked at the moment it paid (book before paying). Open minting, for tests only.
contract ProbeERC20 is ERC20 {
    /// @notice The probe's static call reverted with `returnData`.
    error ProbeFailed(bytes returnData);

    address public watched;
    address public target;
    bytes public probeData;
    /// @notice How many transfers out of `watched` were probed.
    uint256 public probes;
    /// @notice The last probe's return data.
    bytes public probed;

    constructor() ERC20("Probe Token", "PROBE") {}

    /// @notice Mints `amount` to `to`; anyone may call (test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Probes `target` with `probeData_` on every later transfer out of `watched_`.
    function watch(address watched_, address target_, bytes calldata probeData_) external {
        watched = watched_;
        target = target_;
        probeData = probeData_;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == watched && from != address(0)) {
            (bool ok, bytes memory result) = target.staticcall(probeData);
            if (!ok) revert ProbeFailed(result);
            ++probes;
            probed = result;
        }
        super._update(from, to, value);
    }
}
