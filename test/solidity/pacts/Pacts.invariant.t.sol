// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console} from "forge-std/console.sol";

import {IPacts} from "../../../contracts/interfaces/IPacts.sol";
import {IOptimisticResolution} from "../../../contracts/interfaces/IOptimisticResolution.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {Pacts} from "../../../contracts/pacts/Pacts.sol";
import {PactId, PledgeId} from "../../../contracts/types/Ids.sol";
import {MockArbiter} from "../../mocks/MockArbiter.sol";
import {MockERC20} from "../../mocks/MockERC20.sol";

import {PactFixture} from "../utils/PactFixture.sol";
import {PactsHandler} from "./handlers/PactsHandler.sol";
import {PactsInvariantSpec as Spec} from "./InvariantSpec.sol";

/// @notice The bond token of this suite: a plain mock that also counts every token leaving one watched address, per
/// recipient, so PACT-PAYEE-A compares who actually received tokens from Pacts with who the rules pay.
contract PactsWatchedToken is MockERC20 {
    address public watched;
    mapping(address => uint256) public receivedFromWatched;
    address[] internal _recipients;
    mapping(address => bool) internal _seen;

    constructor() MockERC20("Pact Bond", "PBOND", 18) {}

    function watch(address w) external {
        watched = w;
    }

    function recipients() external view returns (address[] memory) {
        return _recipients;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == watched && from != address(0)) {
            receivedFromWatched[to] += value;
            if (!_seen[to]) {
                _seen[to] = true;
                _recipients.push(to);
            }
        }
        super._update(from, to, value);
    }
}

/// @notice The handler as deployed. Declared here, not in handlers/, because EDR finds a fuzz target's ABI through the
/// artifact of the contract whose code it runs, and `hardhat test solidity <this file>` writes artifacts only for the
/// contracts declared in this file. `corrupt` (never a fuzz target) breaks one ghost (or the registry's balance) on
/// purpose, so the tests below can show that each invariant fails when the model and the contracts disagree.
contract PactsInvariantHandler is PactsHandler {
    constructor(Pacts pacts_, MockArbiter arbiter_, MockERC20 token_) PactsHandler(pacts_, arbiter_, token_) {}

    function corrupt(uint256 which, uint256 id, address a) external {
        if (which == 0) escrowed += 1;
        else if (which == 1) _pacts[id].keeperPaid += 1;
        else if (which == 2) _pacts[id].keeperFunds = _pacts[id].keeperPaid;
        else if (which == 3) _members[id][a].sharesPaid += 1;
        else if (which == 4) _pacts[id].compliant += 1;
        else if (which == 5) credited[a] += 1;
        else if (which == 6) token.mint(address(registry), 1);
        else if (which == 7) _members[id][a].bondBack = 0;
        else if (which == 8) expectedOut[a] += 1;
        else if (which == 9) violation = "corrupted";
        else if (which == 10) donations += 1;
    }
}

/// @title PactsInvariantTest
/// @notice Invariants of Pacts (and of the registry under it) across whole pact lifecycles driven by `PactsHandler`:
/// up to five pacts (open or invited, with or without a refund bonus) among six labs, every action of the lifecycle,
/// the registry's challenges, disputes, rulings and voids, direct finalizations, donations and a clock that lands on
/// the deadlines +-1 s. Each invariant's id and statement live in `PactsInvariantSpec`; left-hand sides come from the
/// contracts' views and token balances, right-hand sides from the handler's ghosts.
contract PactsInvariantTest is PactFixture {
    PactsInvariantHandler internal handler;
    PactsWatchedToken internal bond;

    function setUp() public override {
        super.setUp();
        bond = new PactsWatchedToken();
        bond.watch(address(pacts));
        handler = new PactsInvariantHandler(pacts, arbiter, bond);
        targetContract(address(handler));
        uint8[] memory table = _actionTable();
        bytes4[] memory s = new bytes4[](table.length);
        for (uint256 i; i < table.length; ++i) {
            s[i] = _selector(table[i]);
        }
        targetSelector(FuzzSelector({addr: address(handler), selectors: s}));
    }

    /// @dev The actions the fuzzer calls, repeated by weight (joins, records, activations and claims more often, so
    /// that lifecycles complete within the default depth of 50). The scripted test draws from the same table.
    function _actionTable() internal view returns (uint8[] memory t) {
        uint8[29] memory w = [
            uint8(handler.A_CREATE()), uint8(handler.A_CREATE()), uint8(handler.A_JOIN()), uint8(handler.A_JOIN()),
            uint8(handler.A_JOIN()), uint8(handler.A_JOIN()), uint8(handler.A_APPROVE()), uint8(handler.A_EXPEL()),
            uint8(handler.A_WARP()), uint8(handler.A_WARP()), uint8(handler.A_ACTIVATE()), uint8(handler.A_ACTIVATE()),
            uint8(handler.A_CHALLENGE()), uint8(handler.A_CHALLENGE()), uint8(handler.A_DISPUTE()), uint8(handler.A_RULE()),
            uint8(handler.A_VOID()), uint8(handler.A_FINALIZE()), uint8(handler.A_RECORD()), uint8(handler.A_RECORD()),
            uint8(handler.A_RECORD()), uint8(handler.A_CLAIM_SHARES()), uint8(handler.A_CLAIM_SHARES()),
            uint8(handler.A_CLAIM()), uint8(handler.A_WITHDRAW()), uint8(handler.A_RECLAIM()),
            uint8(handler.A_REG_CLAIM()), uint8(handler.A_DONATE()), uint8(handler.A_TOPUP())
        ];
        t = new uint8[](w.length);
        for (uint256 i; i < w.length; ++i) {
            t[i] = w[i];
        }
    }

    function _selector(uint8 a) internal pure returns (bytes4) {
        bytes4[19] memory sel = [
            PactsHandler.createPact.selector,
            PactsHandler.join.selector,
            PactsHandler.setApproval.selector,
            PactsHandler.expel.selector,
            PactsHandler.warp.selector,
            PactsHandler.activate.selector,
            PactsHandler.challenge.selector,
            PactsHandler.dispute.selector,
            PactsHandler.rule.selector,
            PactsHandler.voidChallenge.selector,
            PactsHandler.finalize.selector,
            PactsHandler.recordOutcome.selector,
            PactsHandler.claimShares.selector,
            PactsHandler.claim.selector,
            PactsHandler.withdraw.selector,
            PactsHandler.reclaimBonus.selector,
            PactsHandler.registryClaim.selector,
            PactsHandler.donate.selector,
            PactsHandler.topUp.selector
        ];
        return sel[a];
    }

    // ============================================================== invariants

    function invariant_PACT_BAL_A_balanceEqualsLiabilities() public view {
        uint256 bonusHeld;
        uint256 keeper;
        for (uint256 id = 1; id <= handler.count(); ++id) {
            PactsHandler.MPact memory p = handler.pactModel(id);
            bonusHeld += p.bonusHeld;
            keeper += p.keeperFunds - p.keeperPaid;
        }
        uint256 owed;
        for (uint256 f; f < 2; ++f) {
            address a = handler.funds(f);
            owed += handler.credited(a) - handler.claimed(a);
        }
        uint256 expected = handler.escrowed() + bonusHeld + owed + keeper + _takenNotRecorded() + handler.donations();
        assertEq(bond.balanceOf(address(pacts)), expected, Spec.PACT_BAL_A);
    }

    function invariant_PACT_KEEP_A_keeperFundsAndPaidMatchTheModel() public view {
        for (uint256 id = 1; id <= handler.count(); ++id) {
            PactsHandler.MPact memory p = handler.pactModel(id);
            IPacts.KeeperAccounts memory k = pacts.keeperAccounts(PactId.wrap(id));
            assertEq(k.funds, p.keeperFunds, _m(Spec.PACT_KEEP_A, id, 0));
            assertEq(k.paid, p.keeperPaid, _m(Spec.PACT_KEEP_A, id, 1));
            assertLe(k.paid, k.funds, _m(Spec.PACT_KEEP_A, id, 2));
        }
    }

    function invariant_PACT_KEEP_B_unpaidSharesCoveredByKeeperFunds() public view {
        for (uint256 id = 1; id <= handler.count(); ++id) {
            PactsHandler.MPact memory p = handler.pactModel(id);
            address[] memory list = handler.joinedOf(id);
            uint256 shares;
            for (uint256 i; i < list.length; ++i) {
                shares += pacts.sharesOf(PactId.wrap(id), list[i]);
            }
            assertLe(shares, p.keeperFunds - p.keeperPaid, _m(Spec.PACT_KEEP_B, id, 0));
        }
    }

    function invariant_PACT_BREACH_A_breachersNeverPaid() public view {
        for (uint256 id = 1; id <= handler.count(); ++id) {
            address[] memory list = handler.joinedOf(id);
            for (uint256 i; i < list.length; ++i) {
                PactsHandler.MMember memory m = handler.memberModel(id, list[i]);
                if (m.status != IPacts.MemberStatus.Breached) continue;
                assertEq(m.sharesPaid, 0, _m(Spec.PACT_BREACH_A, id, i));
                assertEq(pacts.getMember(PactId.wrap(id), list[i]).paid, 0, _m(Spec.PACT_BREACH_A, id, i));
                assertEq(pacts.sharesOf(PactId.wrap(id), list[i]), 0, _m(Spec.PACT_BREACH_A, id, i));
            }
        }
    }

    function invariant_PACT_COMP_A_compliantBondIsTheKeepersBonds() public view {
        for (uint256 id = 1; id <= handler.count(); ++id) {
            PactsHandler.MPact memory p = handler.pactModel(id);
            IPacts.Pact memory c = pacts.getPact(PactId.wrap(id));
            address[] memory list = handler.joinedOf(id);
            uint256 keepers;
            for (uint256 i; i < list.length; ++i) {
                PactsHandler.MMember memory m = handler.memberModel(id, list[i]);
                IPacts.Member memory cm = pacts.getMember(PactId.wrap(id), list[i]);
                assertEq(uint256(cm.status), uint256(m.status), _m(Spec.PACT_COMP_A, id, i));
                assertEq(cm.bond, m.bond, _m(Spec.PACT_COMP_A, id, i));
                if (cm.status == IPacts.MemberStatus.Pledged || cm.status == IPacts.MemberStatus.Honored) {
                    keepers += cm.bond;
                }
            }
            assertEq(c.compliantBond, keepers, _m(Spec.PACT_COMP_A, id, 100));
            assertEq(c.compliantBond, p.compliant, _m(Spec.PACT_COMP_A, id, 101));
            assertEq(c.members, p.members, _m(Spec.PACT_COMP_A, id, 102));
            assertEq(uint256(pacts.state(PactId.wrap(id))), uint256(handler.modelState(id)), _m(Spec.PACT_COMP_A, id, 103));
        }
    }

    function invariant_PACT_CRED_A_claimablesMatchCredits() public view {
        address[] memory accts = _accounts();
        for (uint256 i; i < accts.length; ++i) {
            address a = accts[i];
            assertEq(pacts.claimable(a, bond), handler.credited(a) - handler.claimed(a), _m(Spec.PACT_CRED_A, i, 0));
        }
    }

    function invariant_PACT_REG_A_registrySolvent() public view {
        uint256 owed;
        for (uint256 k; k < handler.pledgeCount(); ++k) {
            PledgeId pid = PledgeId.wrap(handler.pledgeIds(k));
            IPledgeRegistry.Pledge memory pl = registry.getPledge(pid);
            if (pl.outcome != IPledgeRegistry.Outcome.None) continue;
            owed += pl.bond;
            if (pl.openChallenge != 0) {
                IOptimisticResolution.Challenge memory c = registry.getChallenge(registry.openChallenge(pid));
                owed += c.disputer == address(0) ? c.bond : 2 * uint256(c.bond);
            }
        }
        address[] memory accts = _accounts();
        for (uint256 i; i < accts.length; ++i) {
            owed += registry.claimable(accts[i], bond);
        }
        owed += registry.claimable(address(pacts), bond) + registry.claimable(treasury, bond)
            + registry.claimable(BURN, bond);
        assertEq(bond.balanceOf(address(registry)), owed, Spec.PACT_REG_A);
    }

    function invariant_PACT_HONOR_A_honoredMembersGotTheirBondBack() public view {
        for (uint256 id = 1; id <= handler.count(); ++id) {
            address[] memory list = handler.joinedOf(id);
            for (uint256 i; i < list.length; ++i) {
                PactsHandler.MMember memory m = handler.memberModel(id, list[i]);
                if (m.status != IPacts.MemberStatus.Honored) continue;
                assertGe(m.bondBack, m.bond, _m(Spec.PACT_HONOR_A, id, i));
                IPledgeRegistry.Pledge memory pl = registry.getPledge(PledgeId.wrap(m.pledgeId));
                assertEq(uint256(pl.outcome), uint256(IPledgeRegistry.Outcome.Honored), _m(Spec.PACT_HONOR_A, id, i));
                assertEq(pl.pledger, list[i], _m(Spec.PACT_HONOR_A, id, i));
            }
        }
    }

    function invariant_PACT_PAYEE_A_onlyListedPayeesReceive() public view {
        address[] memory got = bond.recipients();
        for (uint256 i; i < got.length; ++i) {
            assertEq(bond.receivedFromWatched(got[i]), handler.expectedOut(got[i]), _m(Spec.PACT_PAYEE_A, i, 0));
        }
        address[] memory owed = handler.allPayees();
        for (uint256 i; i < owed.length; ++i) {
            assertEq(bond.receivedFromWatched(owed[i]), handler.expectedOut(owed[i]), _m(Spec.PACT_PAYEE_A, i, 1));
        }
    }

    function invariant_PACT_MODEL_A_callsMatchTheModel() public view {
        string memory v = handler.violation();
        assertTrue(bytes(v).length == 0, string.concat(Spec.PACT_MODEL_A, " | ", v));
    }

    /// @dev Logs what the run exercised, then the end step.
    function afterInvariant() public {
        _log();
        _endStep();
    }

    // =================================================================== tests

    /// @notice PACT-RUN-A: scripted lifecycles (a bound pact with a recorded breach, a ruled breach, a top-up and
    /// an honored member; a failed pact with a bonus; an expulsion then activation, a voided dispute) then a fixed
    /// pseudo-random sequence reach every action, with every invariant holding throughout and at the end.
    function test_PACT_RUN_A_handlerExercisesEveryAction() public {
        _scripted();
        _checkAll();
        handler.recordOutcome(0, 1); // lab1's ruled breach: pact 1 settles
        handler.claimShares(0, 2, 3);
        handler.claim(0, 4);
        _checkAll();
        uint8[] memory table = _actionTable();
        uint256 activatedBefore = handler.ok(handler.A_ACTIVATE());
        uint256 settledBefore = handler.settlements();
        for (uint256 s; s < 300; ++s) {
            uint256 x = uint256(keccak256(abi.encode("pacts", s, 1)));
            uint256 y = uint256(keccak256(abi.encode("pacts", s, 2)));
            _randomAction(table[x % table.length], x >> 8, y);
            if (s % 25 == 24) _checkAll();
        }
        assertGt(handler.ok(handler.A_ACTIVATE()), activatedBefore, string.concat(Spec.PACT_RUN_A, ": no random activation"));
        assertGt(handler.settlements(), settledBefore, string.concat(Spec.PACT_RUN_A, ": no random settlement"));
        _checkAll();
        _log();
        for (uint256 a; a < handler.N_ACTIONS(); ++a) {
            assertGt(handler.ok(a), 0, string.concat(Spec.PACT_RUN_A, ": never succeeded: ", vm.toString(a)));
        }
        assertGt(handler.refused(handler.A_JOIN()), 0, string.concat(Spec.PACT_RUN_A, ": join never refused"));
        assertGt(handler.refused(handler.A_RECORD()), 0, string.concat(Spec.PACT_RUN_A, ": record never refused"));
        assertGt(handler.settlements(), 0, string.concat(Spec.PACT_RUN_A, ": no settlement"));
        _endStep();
    }

    /// @notice Each invariant fails when the model and the contracts disagree: one ghost (or, for the registry,
    /// its balance) broken at a time, in a snapshot.
    function test_PACT_invariantsDetectABrokenModel() public {
        _scripted();
        _checkAll();
        address[6] memory labs = handler.labList();
        // pact 1: lab0 breach recorded, lab2 honored with shares unclaimed; lab3 was refunded by pact 2.
        _expectFail(this.invariant_PACT_BAL_A_balanceEqualsLiabilities.selector, 0, 1, address(0));
        _expectFail(this.invariant_PACT_BAL_A_balanceEqualsLiabilities.selector, 10, 1, address(0));
        _expectFail(this.invariant_PACT_KEEP_A_keeperFundsAndPaidMatchTheModel.selector, 1, 1, address(0));
        _expectFail(this.invariant_PACT_KEEP_B_unpaidSharesCoveredByKeeperFunds.selector, 2, 1, address(0));
        _expectFail(this.invariant_PACT_BREACH_A_breachersNeverPaid.selector, 3, 1, labs[0]);
        _expectFail(this.invariant_PACT_COMP_A_compliantBondIsTheKeepersBonds.selector, 4, 1, address(0));
        _expectFail(this.invariant_PACT_CRED_A_claimablesMatchCredits.selector, 5, 1, handler.funds(0));
        _expectFail(this.invariant_PACT_REG_A_registrySolvent.selector, 6, 1, address(0));
        _expectFail(this.invariant_PACT_HONOR_A_honoredMembersGotTheirBondBack.selector, 7, 1, labs[2]);
        _expectFail(this.invariant_PACT_PAYEE_A_onlyListedPayeesReceive.selector, 8, 1, labs[3]);
        _expectFail(this.invariant_PACT_MODEL_A_callsMatchTheModel.selector, 9, 1, address(0));
    }

    // ================================================================= helpers

    /// @dev Slashes taken from the registry by Pacts and not yet recorded: the rest of every member pledge Breached
    /// in the registry, less what recorded breaches account for, less what Pacts still has to claim there.
    function _takenNotRecorded() internal view returns (uint256) {
        uint256 slashedRest;
        for (uint256 k; k < handler.pledgeCount(); ++k) {
            uint256 pid = handler.pledgeIds(k);
            if (registry.state(PledgeId.wrap(pid)) != IPledgeRegistry.PledgeState.Breached) continue;
            slashedRest += handler.restOf(handler.pactOfPledge(pid), handler.memberOfPledge(pid));
        }
        return slashedRest - handler.restRecorded() - registry.claimable(address(pacts), bond);
    }

    function _accounts() internal view returns (address[] memory a) {
        a = new address[](11);
        address[6] memory labs = handler.labList();
        for (uint256 i; i < 6; ++i) {
            a[i] = labs[i];
        }
        a[6] = handler.funds(0);
        a[7] = handler.funds(1);
        a[8] = handler.founders(0);
        a[9] = handler.founders(1);
        a[10] = handler.outsider();
    }

    /// @dev Pact 1 (open, 3 seats, quorum 2, 80 % keepers, bonus): lab0..2 join, activate; lab0 challenged and
    /// recorded as breached; lab1 tops up, is challenged, disputes itself and is ruled in breach (not recorded);
    /// lab2 finalized honored in the registry directly, then recorded. Pact 2 (invited lab3..5, quorum 3, bonus
    /// 100,001): lab3 and lab4 join, fail at the deadline, lab3 withdraws, the founder reclaims 1 wei of dust.
    /// Pact 3 (open, 3 seats, quorum 2): lab3..5 join, lab5 revokes and is expelled, activation refused while a seat
    /// is free before the deadline, activated at the deadline; lab4 challenged, disputed, voided after the ruling timeout. A donation.
    function _scripted() internal {
        handler.createPact(_shape([uint256(0), 999, 1, 0, 0, 99_999, 1, 0]), uint256(8_000) << 96 | uint256(3_600) << 64);
        handler.createPact(_shape([uint256(1), 0, 1, 1, 1, 100_000, 0, 3]), 0);
        handler.createPact(_shape([uint256(0), 5, 1, 0, 0, 0, 1, 0]) & ~(uint256(1) << 64), 7_200 | uint256(2 days) << 32);
        for (uint256 i; i < 3; ++i) {
            handler.join(0, i, (uint256(1_000_003 * (i + 1)) << 8) | 1);
        }
        handler.activate(0);
        handler.join(1, 3, (uint256(2_000_011) << 8) | 1);
        handler.join(1, 4, (uint256(3_000_017) << 8) | 1);
        handler.join(1, 5, 0); // refused: below the minimum bond
        for (uint256 i = 3; i < 6; ++i) {
            handler.join(2, i, (uint256(5_000_009 + i) << 8) | 1);
        }
        handler.setApproval(5, false);
        handler.expel(2, 2); // lab5 withdrew its approval
        handler.activate(2); // refused: a seat is free again before the deadline
        handler.setApproval(5, true);
        handler.donate(12_345);

        handler.challenge(0, 3); // lab0's pledge, by lab3
        handler.warp(3_601, 0); // past the 1 h liveness
        handler.recordOutcome(0, 0);
        handler.topUp(1, 777);
        handler.challenge(1, 4);
        handler.dispute(1, 1);
        handler.rule(1, true);
        handler.withdraw(1, 0); // pact 2 failed at its deadline
        handler.reclaimBonus(1, 1);
        handler.warp(_jump(0), 2); // pact 3's join deadline
        handler.activate(2);
        handler.challenge(4, 0); // lab4's pledge in pact 3, by lab0
        handler.dispute(4, 5);
        vm.warp(block.timestamp + 4 days); // past the 3-day ruling timeout (and pact 1's end)
        handler.voidChallenge(4);
        handler.finalize(2); // lab2 honored in the registry directly
        handler.recordOutcome(0, 2);
        handler.registryClaim(2);
    }

    /// @dev A `createPact` seed from [founder, minimum bond - 1, seats - 2, quorum - 2, beneficiary, bonus - 1 (with
    /// the has-bonus bit set), open (1) or invited (0), first invitee].
    function _shape(uint256[8] memory v) internal pure returns (uint256) {
        return v[0] | v[1] << 8 | v[2] << 40 | v[3] << 48 | v[4] << 56 | uint256(1) << 64 | v[5] << 72 | v[6] << 160
            | v[7] << 168;
    }

    /// @dev A `warp` seed that jumps exactly onto the join deadline of the pact picked.
    function _jump(uint256 which) internal pure returns (uint256 seed) {
        seed = uint256(1) << 16 | which << 8;
        while (seed % 3 != 0) ++seed;
    }

    function _randomAction(uint256 a, uint256 x, uint256 y) internal {
        if (a == 0) handler.createPact(x, y);
        else if (a == 1) handler.join(x, y, x >> 16);
        else if (a == 2) handler.setApproval(x, y % 4 != 0);
        else if (a == 3) handler.expel(x, y);
        else if (a == 4) handler.warp(x, y);
        else if (a == 5) handler.activate(x);
        else if (a == 6) handler.challenge(x, y);
        else if (a == 7) handler.dispute(x, y);
        else if (a == 8) handler.rule(x, y % 2 == 0);
        else if (a == 9) handler.voidChallenge(x);
        else if (a == 10) handler.finalize(x);
        else if (a == 11) handler.recordOutcome(x, y);
        else if (a == 12) handler.claimShares(x, y, x >> 8);
        else if (a == 13) handler.claim(x, y);
        else if (a == 14) handler.withdraw(x, y);
        else if (a == 15) handler.reclaimBonus(x, y);
        else if (a == 16) handler.registryClaim(x);
        else if (a == 17) handler.donate(x);
        else handler.topUp(x, y);
    }

    function _endStep() internal {
        handler.endStep();
        _checkAll();
        assertEq(bond.balanceOf(address(pacts)), handler.donations(), _m(Spec.PACT_END_A, 0, 0));
        assertEq(handler.escrowed(), 0, _m(Spec.PACT_END_A, 0, 1));
        assertEq(registry.claimable(address(pacts), bond), 0, _m(Spec.PACT_END_A, 0, 2));
        for (uint256 id = 1; id <= handler.count(); ++id) {
            PactsHandler.MPact memory p = handler.pactModel(id);
            IPacts.KeeperAccounts memory k = pacts.keeperAccounts(PactId.wrap(id));
            assertEq(k.funds, k.paid, _m(Spec.PACT_END_A, id, 3));
            assertEq(p.bonusHeld, 0, _m(Spec.PACT_END_A, id, 4));
            if (p.activated) assertTrue(p.settled, _m(Spec.PACT_END_A, id, 5));
            else assertEq(uint256(pacts.state(PactId.wrap(id))), uint256(IPacts.PactState.Failed), _m(Spec.PACT_END_A, id, 6));
        }
        for (uint256 f; f < 2; ++f) {
            assertEq(pacts.claimable(handler.funds(f), bond), 0, _m(Spec.PACT_END_A, f, 7));
        }
    }

    function _checkAll() internal view {
        invariant_PACT_BAL_A_balanceEqualsLiabilities();
        invariant_PACT_KEEP_A_keeperFundsAndPaidMatchTheModel();
        invariant_PACT_KEEP_B_unpaidSharesCoveredByKeeperFunds();
        invariant_PACT_BREACH_A_breachersNeverPaid();
        invariant_PACT_COMP_A_compliantBondIsTheKeepersBonds();
        invariant_PACT_CRED_A_claimablesMatchCredits();
        invariant_PACT_REG_A_registrySolvent();
        invariant_PACT_HONOR_A_honoredMembersGotTheirBondBack();
        invariant_PACT_PAYEE_A_onlyListedPayeesReceive();
        invariant_PACT_MODEL_A_callsMatchTheModel();
    }

    /// @dev Breaks one ghost in a snapshot, expects `inv` to fail, and reverts to the snapshot.
    function _expectFail(bytes4 inv, uint256 which, uint256 id, address a) internal {
        uint256 snap = vm.snapshotState();
        handler.corrupt(which, id, a);
        (bool success,) = address(this).call(abi.encodeWithSelector(inv));
        assertFalse(success, string.concat("invariant did not fail on corruption ", vm.toString(which)));
        vm.revertToState(snap);
    }

    function _log() internal view {
        string[19] memory names = [
            "createPact",
            "join",
            "setApproval",
            "expel",
            "warp",
            "activate",
            "challenge",
            "dispute",
            "rule",
            "voidChallenge",
            "finalize",
            "recordOutcome",
            "claimShares",
            "claim",
            "withdraw",
            "reclaimBonus",
            "registryClaim",
            "donate",
            "topUp"
        ];
        for (uint256 a; a < handler.N_ACTIONS(); ++a) {
            console.log("  %s: ok %d, refused %d", names[a], handler.ok(a), handler.refused(a));
        }
        console.log(
            "  pacts %d, breaches %d, honors %d", handler.count(), handler.breachesRecorded(), handler.honorsRecorded()
        );
        console.log("  settlements %d", handler.settlements());
    }

    function _m(string memory spec, uint256 i, uint256 j) internal pure returns (string memory) {
        return string.concat(spec, " | ", vm.toString(i), ", ", vm.toString(j));
    }
}
