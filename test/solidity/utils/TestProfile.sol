// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vm} from "forge-std/Vm.sol";

/// @notice Which test profile runs (hardhat.config.ts `test.solidity.profiles`, selected by HARDHAT_TEST_PROFILE).
library TestProfile {
    Vm private constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @notice True in the instrumented coverage run (`npm run coverage`), whose bytecode is unoptimized and
    /// instrumented: gas figures and code sizes measured there say nothing about the deployed contracts.
    function isCoverage() internal view returns (bool) {
        return keccak256(bytes(VM.envOr("HARDHAT_TEST_PROFILE", string("")))) == keccak256("coverage");
    }
}
