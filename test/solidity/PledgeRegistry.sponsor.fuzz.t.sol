// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPledgeRegistry} from "../../contracts/interfaces/IPledgeRegistry.sol";
import {PledgeId} from "../../contracts/types/Ids.sol";
import {RegistryFixture} from "./utils/RegistryFixture.sol";

/// @notice Fuzz tests of the registry's sponsored pledges (`createPledgeFor`, `approveSponsor`): consent is required
/// and revocable; the sponsor pays exactly the bond; the pledger is the pledger in every respect (its bond back when
/// honored, slashed when breached, no challenging or benefiting from its own pledge); a refusal moves nothing.
contract PledgeRegistrySponsorFuzzTest is RegistryFixture {
    address internal sponsor;

    function setUp() public override {
        super.setUp();
        sponsor = makeAddr("sponsor");
    }

    function _sponsored(uint128 bond, uint64 term, uint32 grace) internal returns (PledgeId id) {
        IPledgeRegistry.PledgeParams memory p = _params();
        p.bond = bond;
        p.expiry = uint64(block.timestamp + term);
        p.grace = grace;
        _fund(sponsor, bond);
        vm.prank(sponsor);
        id = registry.createPledgeFor(pledger, p);
    }

    /// @dev Without consent nothing moves; with it the sponsor pays exactly the bond and the pledger is bound.
    function testFuzz_createPledgeFor_consentThenExactPull(uint128 bond, uint64 term, uint32 grace, bool approveFirst) public {
        bond = uint128(bound(bond, 1, type(uint96).max));
        term = uint64(bound(term, 1, 3_650 days));
        grace = uint32(bound(grace, 0, MAX_GRACE));
        IPledgeRegistry.PledgeParams memory p = _params();
        p.bond = bond;
        p.expiry = uint64(block.timestamp + term);
        p.grace = grace;
        _fund(sponsor, bond);
        uint256 count = registry.pledgeCount();
        if (!approveFirst) {
            vm.prank(sponsor);
            vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.SponsorNotApproved.selector, pledger, sponsor));
            registry.createPledgeFor(pledger, p);
            assertEq(registry.pledgeCount(), count, "nothing created");
            assertEq(_balance(sponsor), bond, "nothing pulled");
            return;
        }
        vm.prank(pledger);
        registry.approveSponsor(sponsor, true);
        vm.expectEmit(address(registry));
        emit IPledgeRegistry.PledgeSponsored(PledgeId.wrap(count + 1), pledger, sponsor);
        vm.prank(sponsor);
        PledgeId id = registry.createPledgeFor(pledger, p);
        assertEq(_balance(sponsor), 0, "sponsor paid the bond");
        assertEq(_balance(address(registry)), bond, "registry holds exactly the bond");
        IPledgeRegistry.Pledge memory stored = registry.getPledge(id);
        assertEq(stored.pledger, pledger, "pledger");
        assertEq(stored.bond, bond, "bond");
        // Only the pledger tops it up; the sponsor is a stranger to the pledge afterwards.
        _fund(sponsor, 1);
        vm.prank(sponsor);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.CallerNotPledger.selector, id, sponsor, pledger));
        registry.topUp(id, 1);
    }

    /// @dev Honored: the bond goes to the pledger, not the sponsor; breached: slashed as any pledge.
    function testFuzz_sponsoredPledge_settlesAsThePledgersOwn(uint128 bond, bool breach) public {
        bond = uint128(bound(bond, 1, type(uint96).max));
        vm.prank(pledger);
        registry.approveSponsor(sponsor, true);
        PledgeId id = _sponsored(bond, 30 days, GRACE);
        if (breach) {
            _challenge(id);
            vm.warp(block.timestamp + LIVENESS);
            registry.finalize(id);
            uint256 reward = uint256(bond) * REWARD_BPS / BPS;
            assertEq(registry.claimable(beneficiary, token), bond - reward, "beneficiary");
            assertEq(registry.claimable(pledger, token), 0, "pledger gets nothing");
        } else {
            vm.warp(_end(id));
            registry.finalize(id);
            assertEq(registry.claimable(pledger, token), bond, "the bond returns to the pledger");
        }
        assertEq(registry.claimable(sponsor, token), 0, "the sponsor is owed nothing");
    }

    /// @dev A revoked approval stops the next pledge; pledges made before stand.
    function testFuzz_revokedApproval_refusesTheNext(uint128 bond) public {
        bond = uint128(bound(bond, 1, type(uint96).max));
        vm.prank(pledger);
        registry.approveSponsor(sponsor, true);
        PledgeId first = _sponsored(bond, 30 days, 0);
        vm.prank(pledger);
        registry.approveSponsor(sponsor, false);
        IPledgeRegistry.PledgeParams memory p = _params();
        p.bond = bond;
        _fund(sponsor, bond);
        vm.prank(sponsor);
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.SponsorNotApproved.selector, pledger, sponsor));
        registry.createPledgeFor(pledger, p);
        assertEq(uint256(registry.state(first)), uint256(IPledgeRegistry.PledgeState.Active), "the first stands");
        assertEq(registry.pledgeCount(), 1, "one pledge");
    }
}
