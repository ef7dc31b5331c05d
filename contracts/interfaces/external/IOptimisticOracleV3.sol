// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IOptimisticOracleV3
/// @notice The part of UMA's Optimistic Oracle V3 (OOv3) that our adapter calls, declared from UMA's
/// published interface (function signatures only; nothing else is assumed).
/// @dev An assertion is a claim backed by a bond. Undisputed until `expirationTime` (assertion time plus
/// liveness), it settles as true; if disputed (the disputer matches the bond), UMA's DVM decides. Settlement
/// (`settleAssertion`, permissionless, from `expirationTime` on) pays the bonds and calls the assertion's
/// callback recipient. `assertTruthWithDefaults` is deliberately not declared: its default identifier is
/// deprecated, and we always pass an explicit identifier.
interface IOptimisticOracleV3 {
    /// @notice Asserts a truth, pulling `bond` of `currency` from the caller (approve first).
    /// @param claim The human-readable claim.
    /// @param asserter Receives the bond back (and the disputer's, less UMA's burn) if the assertion is upheld.
    /// @param callbackRecipient Receives `assertionResolvedCallback` and `assertionDisputedCallback`; its revert
    /// blocks the assertion's settlement.
    /// @param escalationManager Zero for the UMA DVM.
    /// @param liveness Seconds in which the assertion can be disputed.
    /// @param currency The bond currency (whitelisted by UMA).
    /// @param bond The bond, at least `getMinimumBond(currency)`.
    /// @param identifier The DVM price identifier (whitelisted by UMA), e.g. "ASSERT_TRUTH2".
    /// @param domainId Optional grouping for escalation managers; zero if unused.
    /// @return assertionId The assertion's id.
    function assertTruth(
        bytes memory claim,
        address asserter,
        address callbackRecipient,
        address escalationManager,
        uint64 liveness,
        IERC20 currency,
        uint256 bond,
        bytes32 identifier,
        bytes32 domainId
    ) external returns (bytes32 assertionId);

    /// @notice Settles an assertion (from its expiration time on if undisputed, once the DVM has resolved if
    /// disputed), paying the bonds and calling the callback recipient.
    /// @param assertionId The assertion.
    function settleAssertion(bytes32 assertionId) external;

    /// @notice The smallest bond `assertTruth` accepts in `currency` (UMA's final fee over its burn share).
    /// @param currency The bond currency.
    /// @return The minimum bond.
    function getMinimumBond(address currency) external view returns (uint256);
}

/// @title IOptimisticOracleV3CallbackRecipient
/// @notice What OOv3 calls on an assertion's callback recipient.
interface IOptimisticOracleV3CallbackRecipient {
    /// @notice Called by OOv3 when an assertion naming this recipient settles.
    /// @param assertionId The assertion.
    /// @param assertedTruthfully Whether the assertion was upheld.
    function assertionResolvedCallback(bytes32 assertionId, bool assertedTruthfully) external;

    /// @notice Called by OOv3 when an assertion naming this recipient is disputed.
    /// @param assertionId The assertion.
    function assertionDisputedCallback(bytes32 assertionId) external;
}
