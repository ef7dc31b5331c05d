// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {IPacts} from "../../../contracts/interfaces/IPacts.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {BreachMarkets} from "../../../contracts/markets/BreachMarkets.sol";
import {Pacts} from "../../../contracts/pacts/Pacts.sol";
import {PactId, PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {ReentrantERC20} from "../../mocks/ReentrantERC20.sol";
import {PactMarketsFixture} from "./PactMarketsFixture.sol";

/// @notice Unit tests of `Pacts.collectMarketExcess`: a member that sponsors its own pledge's breach market and gains
/// from its breach is capped by BreachMarkets, which credits the excess to the pledge's beneficiary, this Pacts
/// contract; Pacts pulls it and credits it to the pact's beneficiary. And the constructor's wiring check.
contract PactsMarketExcessTest is PactMarketsFixture {
    /// @dev The safety fund's share of labC's slashed bond (as in PactMarketsTest).
    uint256 internal constant C_TO_FUND = 540_004;

    PactId internal pactId;
    PledgeId internal pidC;

    function setUp() public override {
        super.setUp();
        pactId = _activePact();
        pidC = _pledgeOf(pactId, labC);
    }

    /// @dev labC sponsors its own pledge's market, alice and bob buy HONOR, labC breaches, BREACH resolves and labC
    /// withdraws its capped subsidy. Returns what alice and bob paid: the excess credited to Pacts.
    function _memberSponsorBreaches() internal returns (uint256 excess) {
        (ConditionId c, uint256 paid) = _openPledgeAs(labC, pidC);
        excess = _buy(alice, c, HONOR, SHARES) + _buy(bob, c, HONOR, SHARES + 1);
        _breach(pactId, labC);
        assertTrue(breachMarkets.resolve(pidC), "BREACH");
        uint256 pactsBefore = token.balanceOf(address(pacts));
        vm.expectEmit(address(breachMarkets));
        emit IBreachMarkets.SubsidyWithdrawn(pidC, labC, labC, paid, address(pacts), excess);
        vm.prank(labC);
        assertEq(breachMarkets.withdrawSubsidy(pidC, labC), paid, "the member gets its subsidy back, no more");
        assertEq(token.balanceOf(address(pacts)), pactsBefore, "nothing pushed into Pacts");
        assertEq(breachMarkets.excessOf(pidC), excess, "credited to Pacts, the pledge's beneficiary");
    }

    function _collectExpecting(address member, PledgeId pid, uint256 amount) internal {
        uint256 pactsBefore = token.balanceOf(address(pacts));
        uint256 credit = pacts.claimable(fund, token);
        vm.expectEmit(address(pacts));
        emit IPacts.ClaimCredited(fund, token, amount);
        vm.expectEmit(address(pacts));
        emit IPacts.MarketExcessCollected(pactId, member, pid, fund, amount);
        vm.expectEmit(address(breachMarkets));
        emit IBreachMarkets.ExcessClaimed(pid, address(pacts), address(pacts), amount);
        vm.prank(stranger); // permissionless
        assertEq(pacts.collectMarketExcess(pactId, member), amount);
        assertEq(token.balanceOf(address(pacts)), pactsBefore + amount, "what arrived is what was booked");
        assertEq(pacts.claimable(fund, token), credit + amount, "credited to the pact's beneficiary");
        assertEq(breachMarkets.excessOf(pid), 0);
        assertEq(token.balanceOf(address(breachMarkets)), 0, "nothing left in BreachMarkets");
    }

    function test_collectMarketExcess_forwardsTheExcessToTheBeneficiary_toTheWei() public {
        uint256 excess = _memberSponsorBreaches();
        assertTrue(pacts.recordOutcome(pactId, labC));
        assertEq(pacts.claimable(fund, token), C_TO_FUND, "the slash share alone");

        _collectExpecting(labC, pidC, excess);

        uint256 fundBefore = token.balanceOf(fund);
        vm.prank(fund);
        assertEq(pacts.claim(token, fund), C_TO_FUND + excess);
        assertEq(token.balanceOf(fund), fundBefore + C_TO_FUND + excess, "the slash share and the excess, to the wei");
    }

    function test_collectMarketExcess_beforeTheOutcomeIsRecorded() public {
        // The member is still Pledged in Pacts (its pledge Slashable): the excess is collected all the same, and
        // recording the breach afterwards books the slash on top.
        uint256 excess = _memberSponsorBreaches();
        assertEq(uint256(_status(pactId, labC)), uint256(IPacts.MemberStatus.Pledged));
        _collectExpecting(labC, pidC, excess);
        pacts.recordOutcome(pactId, labC);
        assertEq(pacts.claimable(fund, token), C_TO_FUND + excess);
    }

    function test_collectMarketExcess_theBeneficiaryCannotBypassPacts() public {
        // Only the pledge's beneficiary, Pacts, claims the excess from BreachMarkets: neither the pact's beneficiary
        // nor the member can take it around the pact's accounts.
        _memberSponsorBreaches();
        address[2] memory callers = [fund, labC];
        for (uint256 i; i < callers.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IBreachMarkets.BreachMarketCallerNotBeneficiary.selector, pidC, callers[i], address(pacts)
                )
            );
            vm.prank(callers[i]);
            breachMarkets.claimExcess(pidC, callers[i]);
        }
    }

    function test_collectMarketExcess_revertsWhenNothingToCollect() public {
        PledgeId pidA = _pledgeOf(pactId, labA);
        // Before any market.
        vm.expectRevert(abi.encodeWithSelector(IPacts.NoMarketExcess.selector, pactId, labA, pidA));
        pacts.collectMarketExcess(pactId, labA);
        // A market not yet withdrawn.
        (ConditionId c,) = _openPledgeAs(labC, pidC);
        _buy(alice, c, HONOR, SHARES);
        _breach(pactId, labC);
        breachMarkets.resolve(pidC);
        vm.expectRevert(abi.encodeWithSelector(IPacts.NoMarketExcess.selector, pactId, labC, pidC));
        pacts.collectMarketExcess(pactId, labC);
        // Collected once.
        vm.prank(labC);
        breachMarkets.withdrawSubsidy(pidC, labC);
        pacts.collectMarketExcess(pactId, labC);
        vm.expectRevert(abi.encodeWithSelector(IPacts.NoMarketExcess.selector, pactId, labC, pidC));
        pacts.collectMarketExcess(pactId, labC);
    }

    function test_collectMarketExcess_revertsForAThirdPartySponsor() public {
        // No cap, so no excess: a third-party sponsor keeps its gain.
        (ConditionId c, uint256 paid) = _openPledgeAs(sponsor, pidC);
        uint256 cost = _buy(alice, c, HONOR, SHARES);
        _breach(pactId, labC);
        breachMarkets.resolve(pidC);
        vm.prank(sponsor);
        assertEq(breachMarkets.withdrawSubsidy(pidC, sponsor), paid + cost);
        vm.expectRevert(abi.encodeWithSelector(IPacts.NoMarketExcess.selector, pactId, labC, pidC));
        pacts.collectMarketExcess(pactId, labC);
    }

    function test_collectMarketExcess_revertsForUnknownMemberOrPact() public {
        vm.expectRevert(
            abi.encodeWithSelector(IPacts.MemberStatusInvalid.selector, pactId, stranger, IPacts.MemberStatus.None)
        );
        pacts.collectMarketExcess(pactId, stranger);
        PactId unknown = PactId.wrap(99);
        vm.expectRevert(abi.encodeWithSelector(IPacts.PactUnknown.selector, unknown));
        pacts.collectMarketExcess(unknown, labA);
        // A pact not yet active: no member has a pledge.
        PactId joining = _createPact();
        _join(joining, labA, BOND_A);
        _expectPactState(joining, IPacts.PactState.Joining, P_ACTIVE);
        pacts.collectMarketExcess(joining, labA);
    }

    function test_collectMarketExcess_revertsWithoutBreachMarkets() public {
        Pacts bare = new Pacts(registry, IBreachMarkets(address(0)));
        assertEq(address(bare.breachMarkets()), address(0));
        vm.expectRevert(IPacts.NoBreachMarkets.selector);
        bare.collectMarketExcess(pactId, labC);
    }

    function test_constructor_wiresBreachMarketsOfTheSameRegistry() public {
        assertEq(address(pacts.breachMarkets()), address(breachMarkets));
        assertEq(address(pacts.registry()), address(registry));
        IPledgeRegistry other = IPledgeRegistry(makeAddr("otherRegistry"));
        BreachMarkets elsewhere = new BreachMarkets(other, maker, MIN_LIQUIDITY);
        vm.expectRevert(
            abi.encodeWithSelector(IPacts.BreachMarketsRegistryMismatch.selector, elsewhere, other, registry)
        );
        new Pacts(registry, elsewhere);
        vm.expectRevert(abi.encodeWithSelector(IPacts.PactParamInvalid.selector, "registry", 0));
        new Pacts(IPledgeRegistry(address(0)), breachMarkets);
    }

    /// @dev A pact in a hook token whose beneficiary is the hook token itself, all three labs joined and active;
    /// labC sponsors its own pledge's market, alice buys HONOR, labC breaches and withdraws its capped subsidy.
    function _hookPactWithExcess() internal returns (ReentrantERC20 hook, PactId id, uint256 excess) {
        hook = new ReentrantERC20();
        IPacts.PactParams memory params = _pactParams();
        params.token = hook;
        params.beneficiary = address(hook);
        id = _createPact(params);
        address[3] memory labs = [labA, labB, labC];
        uint128[3] memory bonds = [BOND_A, BOND_B, BOND_C];
        for (uint256 i; i < 3; ++i) {
            hook.mint(labs[i], bonds[i]);
            vm.startPrank(labs[i]);
            hook.approve(address(pacts), bonds[i]);
            registry.approveSponsor(address(pacts), true);
            pacts.join(id, bonds[i]);
            vm.stopPrank();
        }
        pacts.activate(id);
        PledgeId pid = _pledgeOf(id, labC);
        hook.mint(labC, breachMarkets.quoteSubsidy(LIQUIDITY));
        vm.startPrank(labC);
        hook.approve(address(breachMarkets), type(uint256).max);
        (ConditionId c, uint256 paid) = breachMarkets.openMarket(pid, LIQUIDITY, TRADE_FEE_BPS);
        vm.stopPrank();
        hook.mint(alice, TRADER_FUNDS);
        vm.startPrank(alice);
        hook.approve(address(maker), type(uint256).max);
        excess = maker.buy(c, HONOR, SHARES, type(uint256).max, block.timestamp, alice);
        vm.stopPrank();
        _breach(id, labC);
        breachMarkets.resolve(pid);
        vm.prank(labC);
        assertEq(breachMarkets.withdrawSubsidy(pid, labC), paid, "capped");
        assertEq(breachMarkets.excessOf(pid), excess);
    }

    function test_attack_reentrantBeneficiaryClaimsDuringCollect_refused() public {
        // Pacts books the credit before it pulls the excess. The pact's token has a transfer hook and is also the
        // pact's beneficiary: when BreachMarkets pays Pacts, it calls Pacts.claim for its fresh credit before the
        // tokens have arrived. Pacts' guard refuses it; the beneficiary claims afterwards, once.
        (ReentrantERC20 hook, PactId id, uint256 excess) = _hookPactWithExcess();
        uint256 pactsBefore = hook.balanceOf(address(pacts));
        hook.arm(address(pacts), abi.encodeCall(pacts.claim, (IERC20(address(hook)), address(hook))));
        assertEq(pacts.collectMarketExcess(id, labC), excess);

        assertTrue(hook.reentered(), "hook did not fire");
        assertFalse(hook.reentrySucceeded(), "reentrant claim succeeded");
        assertEq(
            hook.reentryReturnData(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
            "reentrant claim not refused by the guard"
        );
        assertEq(hook.balanceOf(address(pacts)), pactsBefore + excess, "the excess arrived");
        assertEq(pacts.claimable(address(hook), hook), excess, "credited once");
        vm.prank(address(hook));
        assertEq(pacts.claim(hook, address(hook)), excess);
        assertEq(hook.balanceOf(address(pacts)), pactsBefore, "Pacts keeps only what it owes");
    }
}
