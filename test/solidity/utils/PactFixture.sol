// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IArbiter} from "../../../contracts/interfaces/IArbiter.sol";
import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {IPacts} from "../../../contracts/interfaces/IPacts.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {Pacts} from "../../../contracts/pacts/Pacts.sol";
import {PactId, PledgeId} from "../../../contracts/types/Ids.sol";
import {IMintable, RegistryFixture} from "./RegistryFixture.sol";

/// @notice Shared setup for Pacts tests: the registry fixture plus a Pacts contract, three labs and a founder, and
/// helpers that drive a pact through joining, activation, breaches and settlement. Bonds are odd on purpose.
abstract contract PactFixture is RegistryFixture {
    uint128 internal constant MIN_BOND = 1_000_000;
    uint128 internal constant BOND_A = 1_000_003;
    uint128 internal constant BOND_B = 2_000_011;
    uint128 internal constant BOND_C = 3_000_017;
    uint16 internal constant KEEPER_BPS = 8_000;
    uint64 internal constant JOIN_WINDOW = 3 days;
    uint128 internal constant BONUS = 100_000;

    // Allowed-state bitmaps (bit i = PactState i), written out independently.
    uint256 internal constant P_JOINING = 1 << 1;
    uint256 internal constant P_ACTIVATABLE = 1 << 2;
    uint256 internal constant P_ACTIVE = 1 << 3;
    uint256 internal constant P_FAILED = 1 << 4;

    Pacts internal pacts;
    address internal founder;
    address internal labA;
    address internal labB;
    address internal labC;
    address internal fund;

    function setUp() public virtual override {
        super.setUp();
        // No breach markets here; PactMarketsFixture redeploys Pacts wired to its BreachMarkets.
        pacts = new Pacts(registry, IBreachMarkets(address(0)));
        vm.label(address(pacts), "pacts");
        founder = makeAddr("founder");
        labA = makeAddr("labA");
        labB = makeAddr("labB");
        labC = makeAddr("labC");
        fund = makeAddr("safetyFund");
    }

    // ------------------------------------------------------------------ pacts

    /// @dev An open pact of 3 seats, quorum 2, joining for 3 days, a 30-day term from the deadline, no bonus.
    function _pactParams() internal view returns (IPacts.PactParams memory) {
        return IPacts.PactParams({
            termsHash: TERMS_HASH,
            termsURI: TERMS_URI,
            token: token,
            minBond: MIN_BOND,
            quorum: 2,
            maxMembers: 3,
            joinDeadline: uint64(block.timestamp + JOIN_WINDOW),
            expiry: uint64(block.timestamp + JOIN_WINDOW + TERM),
            grace: GRACE,
            keeperShareBps: KEEPER_BPS,
            beneficiary: fund,
            resolution: IPledgeRegistry.ResolutionSettings({
                arbiter: IArbiter(address(arbiter)),
                liveness: LIVENESS,
                challengeBond: CHALLENGE_BOND
            }),
            bonus: 0
        });
    }

    function _createPact(IPacts.PactParams memory params, address[] memory invited) internal returns (PactId id) {
        if (params.bonus != 0) {
            IMintable(address(params.token)).mint(founder, params.bonus);
            vm.prank(founder);
            params.token.approve(address(pacts), params.bonus);
        }
        vm.prank(founder);
        id = pacts.createPact(params, invited);
    }

    function _createPact(IPacts.PactParams memory params) internal returns (PactId) {
        return _createPact(params, new address[](0));
    }

    function _createPact() internal returns (PactId) {
        return _createPact(_pactParams());
    }

    /// @dev Funds `who` with `bond`, approves the pact contract (tokens and sponsorship) and joins as `who`.
    function _join(PactId id, address who, uint128 bond) internal {
        _approveForPact(who, bond);
        vm.prank(who);
        pacts.join(id, bond);
    }

    function _approveForPact(address who, uint128 bond) internal {
        IMintable(address(token)).mint(who, bond);
        vm.startPrank(who);
        token.approve(address(pacts), bond);
        registry.approveSponsor(address(pacts), true);
        vm.stopPrank();
    }

    /// @dev The standard pact with all three labs joined (every seat taken: Activatable at once).
    function _fullPact() internal returns (PactId) {
        return _fullPact(_pactParams());
    }

    /// @dev A pact created from `params` (3 seats), with all three labs joined.
    function _fullPact(IPacts.PactParams memory params) internal returns (PactId id) {
        id = _createPact(params);
        _join(id, labA, BOND_A);
        _join(id, labB, BOND_B);
        _join(id, labC, BOND_C);
    }

    /// @dev The standard pact, full and activated.
    function _activePact() internal returns (PactId id) {
        id = _fullPact();
        pacts.activate(id);
    }

    function _pledgeOf(PactId id, address member) internal view returns (PledgeId) {
        return PledgeId.wrap(pacts.getMember(id, member).pledgeId);
    }

    /// @dev Challenges `member`'s pledge, lets the liveness pass unopposed (the pledge becomes Slashable).
    function _breach(PactId id, address member) internal {
        PledgeId pid = _pledgeOf(id, member);
        _challenge(pid);
        vm.warp(block.timestamp + LIVENESS);
    }

    function _toEnd(PactId id) internal {
        IPacts.Pact memory p = pacts.getPact(id);
        vm.warp(uint256(p.expiry) + p.grace);
    }

    function _expectPactState(PactId id, IPacts.PactState current, uint256 allowed) internal {
        vm.expectRevert(abi.encodeWithSelector(IPacts.PactUnexpectedState.selector, id, current, allowed));
    }

    function _assertPactState(PactId id, IPacts.PactState expected) internal view {
        assertEq(uint256(pacts.state(id)), uint256(expected), "pact state");
    }

    function _status(PactId id, address who) internal view returns (IPacts.MemberStatus) {
        return pacts.getMember(id, who).status;
    }
}
