// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {
    IOptimisticOracleV3,
    IOptimisticOracleV3CallbackRecipient
} from "../../contracts/interfaces/external/IOptimisticOracleV3.sol";

/// @notice TEST DOUBLE, not UMA's code: a small stand-in for UMA's Optimistic Oracle V3, written for the adapter
/// tests. It keeps assertions, pulls the asserter's and disputer's bonds, lets the test play the DVM
/// (`resolveDispute`), and on settlement pays the winner both bonds (no burn, no fees) and calls the callback
/// recipient directly, as OOv3 does: a callback that reverts makes `settleAssertion` revert. Extras for tests:
/// the minimum bond is settable, `setRevertOnAssert` makes `assertTruth` fail (an unsupported currency or
/// identifier), and `fireResolved` / `fireDisputed` send a callback about any id (a foreign or replayed assertion).
contract MockOptimisticOracleV3 is IOptimisticOracleV3 {
    using SafeERC20 for IERC20;

    error MockAssertRefused();
    error MockBondBelowMinimum(uint256 bond, uint256 minimum);
    error MockAssertionUnknown(bytes32 assertionId);
    error MockAlreadySettled(bytes32 assertionId);
    error MockAlreadyDisputed(bytes32 assertionId);
    error MockNotExpired(bytes32 assertionId, uint256 expirationTime);
    error MockExpired(bytes32 assertionId, uint256 expirationTime);
    error MockDvmNotResolved(bytes32 assertionId);

    struct Assertion {
        address asserter;
        address callbackRecipient;
        address escalationManager;
        IERC20 currency;
        uint64 expirationTime;
        bool settled;
        bool dvmResolved;
        bool dvmTruthful;
        bool settlementResolution;
        address disputer;
        uint256 bond;
        bytes32 identifier;
        bytes32 domainId;
        bytes32 claimHash;
    }

    uint256 public minimumBond;
    bool public revertOnAssert;
    uint256 public assertionCount;
    bytes32 public lastAssertionId;
    mapping(bytes32 assertionId => Assertion) internal _assertions;

    constructor(uint256 minimumBond_) {
        minimumBond = minimumBond_;
    }

    function setMinimumBond(uint256 v) external {
        minimumBond = v;
    }

    function setRevertOnAssert(bool v) external {
        revertOnAssert = v;
    }

    function getMinimumBond(address) external view returns (uint256) {
        return minimumBond;
    }

    function assertTruth(
        bytes calldata claim,
        address asserter,
        address callbackRecipient,
        address escalationManager,
        uint64 liveness,
        IERC20 currency,
        uint256 bond,
        bytes32 identifier,
        bytes32 domainId
    ) external returns (bytes32 assertionId) {
        if (revertOnAssert) revert MockAssertRefused();
        if (bond < minimumBond) revert MockBondBelowMinimum(bond, minimumBond);
        assertionId = keccak256(abi.encode(++assertionCount, claim, asserter, block.timestamp));
        Assertion storage a = _assertions[assertionId];
        a.asserter = asserter;
        a.callbackRecipient = callbackRecipient;
        a.escalationManager = escalationManager;
        a.currency = currency;
        a.expirationTime = uint64(block.timestamp + liveness);
        a.bond = bond;
        a.identifier = identifier;
        a.domainId = domainId;
        a.claimHash = keccak256(claim); // OOv3 emits the claim and stores no copy; a hash is enough here
        lastAssertionId = assertionId;
        currency.safeTransferFrom(msg.sender, address(this), bond);
    }

    /// @notice Disputes before expiry, pulling the bond from the caller; calls the disputed callback.
    function disputeAssertion(bytes32 assertionId, address disputer) external {
        Assertion storage a = _known(assertionId);
        if (a.disputer != address(0)) revert MockAlreadyDisputed(assertionId);
        if (block.timestamp >= a.expirationTime) revert MockExpired(assertionId, a.expirationTime);
        a.disputer = disputer;
        a.currency.safeTransferFrom(msg.sender, address(this), a.bond);
        if (a.callbackRecipient != address(0)) {
            IOptimisticOracleV3CallbackRecipient(a.callbackRecipient).assertionDisputedCallback(assertionId);
        }
    }

    /// @notice The test plays the DVM: fixes the outcome of a disputed assertion.
    function resolveDispute(bytes32 assertionId, bool truthful) external {
        Assertion storage a = _known(assertionId);
        a.dvmResolved = true;
        a.dvmTruthful = truthful;
    }

    function settleAssertion(bytes32 assertionId) external {
        Assertion storage a = _known(assertionId);
        if (a.settled) revert MockAlreadySettled(assertionId);
        bool truthful;
        address winner;
        uint256 payout;
        if (a.disputer == address(0)) {
            if (block.timestamp < a.expirationTime) revert MockNotExpired(assertionId, a.expirationTime);
            (truthful, winner, payout) = (true, a.asserter, a.bond);
        } else {
            if (!a.dvmResolved) revert MockDvmNotResolved(assertionId);
            truthful = a.dvmTruthful;
            (winner, payout) = (truthful ? a.asserter : a.disputer, 2 * a.bond);
        }
        a.settled = true;
        a.settlementResolution = truthful;
        a.currency.safeTransfer(winner, payout);
        if (a.callbackRecipient != address(0)) {
            IOptimisticOracleV3CallbackRecipient(a.callbackRecipient).assertionResolvedCallback(assertionId, truthful);
        }
    }

    /// @notice Sends a resolved callback about any id to `recipient`, as this oracle.
    function fireResolved(address recipient, bytes32 assertionId, bool truthful) external {
        IOptimisticOracleV3CallbackRecipient(recipient).assertionResolvedCallback(assertionId, truthful);
    }

    /// @notice Sends a disputed callback about any id to `recipient`, as this oracle.
    function fireDisputed(address recipient, bytes32 assertionId) external {
        IOptimisticOracleV3CallbackRecipient(recipient).assertionDisputedCallback(assertionId);
    }

    function getAssertion(bytes32 assertionId) external view returns (Assertion memory) {
        return _assertions[assertionId];
    }

    function _known(bytes32 assertionId) private view returns (Assertion storage a) {
        a = _assertions[assertionId];
        if (a.asserter == address(0)) revert MockAssertionUnknown(assertionId);
    }
}
