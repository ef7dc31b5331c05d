// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vm} from "forge-std/Vm.sol";
import {console} from "forge-std/console.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IPacts} from "../../../contracts/interfaces/IPacts.sol";
import {PactId, PledgeId} from "../../../contracts/types/Ids.sol";
import {PactFixture} from "../utils/PactFixture.sol";
import {TestProfile} from "../utils/TestProfile.sol";

/// @notice Fuzz tests of Pacts' money. Each run builds a pact of 2..MAX_FUZZ members with fuzzed bonds (one wei to
/// 1e30, odd), keeper share (0..10,000 bps), bonus and minimum bond, breaches a fuzzed subset of the members (some
/// after topping up their pledge), then records outcomes and claims shares in fuzzed orders. Expected amounts are
/// computed here from the documented rules (bps splits rounded down, keeper shares pro rata to joined bonds among
/// the members still in compliance); the contract's numbers are only read back to be compared with them.
/// @dev Rounding tolerance (`_tolerance`): a member's keeper shares are `floor(bond * acc / 1e27)` where `acc` sums
/// one floored quotient per breach and each forfeit is itself floored; per breach a member can lose below
/// `bond / 1e27 + 1` wei of its exact pro-rata share, plus the same on the forfeits it inherits, plus 1 wei at the end.
contract PactsFuzzTest is PactFixture {
    uint256 internal constant MAX_FUZZ = 10;
    uint256 internal constant LARGE_BOND = 1e30;
    uint256 internal constant ACC = 1e27;
    /// @notice Gas bounds at MAX_MEMBERS (32) members, measured on the optimized build (activate 5.14 M, about
    /// 160 k per member's registry pledge; the settling record 0.15 M) with about 15 % headroom; a block holds 30 M.
    uint256 internal constant ACTIVATE_32_GAS_BOUND = 6_000_000;
    uint256 internal constant SETTLE_32_GAS_BOUND = 175_000;

    address[] internal _pool;

    /// @dev One fuzzed pact: its members, their joined bonds, who breaches and by how much each pledge was topped up.
    struct Run {
        PactId id;
        uint256 n;
        uint256 keeperBps;
        uint128 bonus;
        address[] members;
        uint128[] bonds;
        uint128[] topUps;
        bool[] breaches;
        uint256 nBreached;
        uint256 honoredBond;
        uint256 maxBond;
    }

    /// @dev What one settlement (every outcome recorded, every share claimed) paid.
    struct Payout {
        uint256[] shares; // per member: keeper shares paid
        uint256 toFund; // the beneficiary's claimable from this pact
        uint256 keepers; // sum of `toKeepers` over the breaches (as computed here)
        uint256 forfeitedToFund; // breachers' unvested shares sent to the fund when nobody was left in compliance
        uint256 dust;
        uint256 rewards; // challenger rewards, measured in the registry
        uint256 slashed;
    }

    function setUp() public override {
        super.setUp();
        for (uint256 i; i < 32; ++i) {
            _pool.push(makeAddr(string.concat("member", vm.toString(i))));
        }
    }

    // ================================================================ (a) + (b)

    /// @notice (a) Per breach the challenger's reward, the keepers' part and the beneficiary's part are exactly the
    /// bps splits of the slashed bond (top-ups included), and over the pact every keeper share paid, the beneficiary's
    /// parts, the forfeits and the dust add up to the slashed bonds less the rewards, to the wei. (b) Each honored
    /// member's total is its exact pro-rata share of the keeper parts (less bounded rounding), whatever the order of
    /// records and claims: a second order (from a state snapshot) pays each member the same within the rounding
    /// bound, and a third run with the first record order and another claim order pays exactly the same.
    function testFuzz_breaches_splitToTheWei_andPayoutsIgnoreOrder(
        uint256 n,
        uint256 bondSeed,
        uint16 keeperBps,
        uint256 breachMask,
        uint256 orderSeed1,
        uint256 orderSeed2,
        uint256 claimSeed
    ) public {
        Run memory r = _activeRun(n, bondSeed, keeperBps, 0, 1);
        _breachSome(r, breachMask, bondSeed);
        uint256 snap = vm.snapshotState();

        Payout memory p1 = _settle(r, orderSeed1, claimSeed);
        _checkConservation(r, p1);
        _checkProRata(r, p1);

        vm.revertToState(snap);
        Payout memory p2 = _settle(r, orderSeed2, ~claimSeed);
        _checkConservation(r, p2);
        _checkProRata(r, p2);
        for (uint256 i; i < r.n; ++i) {
            uint256 tol = _tolerance(r, r.bonds[i]);
            assertApproxEqAbs(p1.shares[i], p2.shares[i], tol, "payout depends on the record order");
        }

        vm.revertToState(snap);
        Payout memory p3 = _settle(r, orderSeed1, uint256(keccak256(abi.encode(claimSeed))));
        for (uint256 i; i < r.n; ++i) {
            assertEq(p3.shares[i], p1.shares[i], "payout depends on the claim order");
        }
        assertEq(p3.toFund, p1.toFund, "fund depends on the claim order");
    }

    /// @notice The same with a refund bonus and a minimum bond of one wei: tiny bonds next to huge ones, the founder
    /// takes the whole bonus back once the pact binds, and the pact ends empty.
    function testFuzz_dustBonds_sharesNeverExceedFunds_andBonusReturns(
        uint256 n,
        uint256 bondSeed,
        uint16 keeperBps,
        uint128 bonus,
        uint256 breachMask,
        uint256 orderSeed,
        uint256 claimSeed
    ) public {
        bonus = uint128(bound(bonus, 0, 1e24));
        Run memory r = _activeRun(n, bondSeed, keeperBps, bonus, 1);
        _breachSome(r, breachMask, ~bondSeed);
        if (bonus != 0) {
            vm.prank(founder);
            assertEq(pacts.reclaimBonus(r.id), bonus, "the whole bonus back once bound");
        }
        Payout memory p = _settle(r, orderSeed, claimSeed);
        _checkConservation(r, p);
        _checkProRata(r, p);
    }

    // ===================================================================== (c)

    /// @notice (c) A failed pact (quorum missed at the deadline, or never activated before expiry) pays each member
    /// its bond and `floor(bonus / members)`, the founder the rest of the bonus, and the beneficiary the bonds of
    /// expelled members: together exactly the bonds and the bonus, in any withdrawal order.
    function testFuzz_failure_refundsBonusAndDustConserve(
        uint256 n,
        uint256 bondSeed,
        uint128 bonus,
        uint256 expelMask,
        uint256 orderSeed,
        uint256 reclaimAt,
        bool viaExpiry
    ) public {
        Failure memory f = _failedPact(bound(n, 2, MAX_FUZZ), bondSeed, uint128(bound(bonus, 0, 1e24)), expelMask, viaExpiry);
        uint256 m = pacts.getPact(f.id).members;
        uint256 share = m == 0 ? 0 : f.bonus / m;
        uint256[] memory order = _permutation(f.n, orderSeed);
        uint256 paid;
        reclaimAt = bound(reclaimAt, 0, f.n);
        for (uint256 k; k <= f.n; ++k) {
            if (k == reclaimAt) paid += _reclaim(f.id, f.bonus - share * m);
            if (k == f.n) break;
            uint256 i = order[k];
            if (f.out[i]) continue;
            vm.prank(_pool[i]);
            uint256 got = pacts.withdraw(f.id);
            assertEq(got, uint256(f.bonds[i]) + share, "bond + an equal share of the bonus");
            assertEq(token.balanceOf(_pool[i]), got, "paid to the member");
            paid += got;
        }
        assertEq(paid + f.expelled, f.total, "refunds + bonus shares + founder dust + expelled == bonds + bonus");
        assertEq(token.balanceOf(address(pacts)), f.expelled, "only the expelled bonds left, owed to the beneficiary");
        if (f.expelled != 0) {
            vm.prank(fund);
            pacts.claim(token, fund);
        }
        assertEq(token.balanceOf(address(pacts)), 0, "the pact is empty");
    }

    struct Failure {
        PactId id;
        uint256 n;
        uint128 bonus;
        uint128[] bonds;
        bool[] out;
        uint256 expelled;
        uint256 total;
    }

    /// @dev `n` members join a pact that fails: below its quorum at the deadline, or quorate but never activated
    /// before expiry. Members picked by `expelMask` withdraw their sponsor approval first and are expelled.
    function _failedPact(uint256 n, uint256 bondSeed, uint128 bonus, uint256 expelMask, bool viaExpiry)
        internal
        returns (Failure memory f)
    {
        f.n = n;
        f.bonus = bonus;
        IPacts.PactParams memory params = _pactParams();
        params.minBond = 1;
        params.bonus = bonus;
        params.quorum = uint16(viaExpiry ? 2 : n + 1);
        params.maxMembers = uint16(n + 1);
        f.id = _createPact(params);
        f.bonds = new uint128[](n);
        f.out = new bool[](n);
        f.total = bonus;
        for (uint256 i; i < n; ++i) {
            f.bonds[i] = _bond(bondSeed, i, 1);
            _join(f.id, _pool[i], f.bonds[i]);
            f.total += f.bonds[i];
        }
        for (uint256 i; i < n; ++i) {
            if ((expelMask >> i) & 1 == 0) continue;
            vm.prank(_pool[i]);
            registry.approveSponsor(address(pacts), false);
            pacts.expel(f.id, _pool[i]);
            f.out[i] = true;
            f.expelled += f.bonds[i];
        }
        vm.warp(viaExpiry ? params.expiry : params.joinDeadline);
        _assertPactState(f.id, IPacts.PactState.Failed);
        assertEq(pacts.claimable(fund, token), f.expelled, "expelled bonds to the beneficiary");
    }

    // ===================================================================== (d)

    /// @notice (d) Calls the rules refuse in a fuzzed phase of a pact (joining, full, active, partly recorded,
    /// settled, failed) revert and leave every pact, member and keeper account, every claimable balance and every
    /// token balance as they were.
    function testFuzz_refusedCalls_changeNothing(uint256 n, uint256 bondSeed, uint8 phase, uint256 which, uint256 who)
        public
    {
        n = bound(n, 2, 6);
        phase = uint8(bound(phase, 0, 5));
        IPacts.PactParams memory params = _pactParams();
        params.minBond = 1;
        params.maxMembers = uint16(n);
        params.bonus = 77_777;
        PactId id = _createPact(params);
        uint256 joined = phase == 0 ? n - 1 : n;
        for (uint256 i; i < joined; ++i) {
            _join(id, _pool[i], _bond(bondSeed, i, 1));
        }
        if (phase == 5) vm.warp(params.expiry); // full, never activated: Failed
        if (phase >= 2 && phase <= 4) {
            pacts.activate(id);
            _breach(id, _pool[0]);
            if (phase >= 3) pacts.recordOutcome(id, _pool[0]);
            if (phase == 4) {
                _toEnd(id);
                for (uint256 i = 1; i < n; ++i) {
                    pacts.recordOutcome(id, _pool[i]);
                }
            }
        }
        (address caller, bytes memory data) = _refusedCall(id, phase, n, which, who);
        bytes32 before = _digest(id, n);
        vm.prank(caller);
        (bool success,) = address(pacts).call(data);
        assertFalse(success, "the rules refuse this call");
        assertEq(_digest(id, n), before, "a refused call changed something");
    }

    // =================================================================== gas

    /// @notice At MAX_MEMBERS (32), activation and the settling record (the two loops over members) stay under
    /// their stated bounds: well inside a block.
    function test_gas_activateAndSettle_at32Members() public {
        IPacts.PactParams memory params = _pactParams();
        params.maxMembers = pacts.MAX_MEMBERS();
        PactId id = _createPact(params);
        for (uint256 i; i < 32; ++i) {
            _join(id, _pool[i], _bond(uint256(keccak256("gas")), i, MIN_BOND));
        }
        uint256 g = gasleft();
        pacts.activate(id);
        uint256 activateGas = g - gasleft();
        _breach(id, _pool[7]);
        _toEnd(id);
        for (uint256 i; i < 31; ++i) {
            pacts.recordOutcome(id, _pool[i]);
        }
        g = gasleft();
        pacts.recordOutcome(id, _pool[31]);
        uint256 settleGas = g - gasleft();
        console.log("gas: activate, 32 members: %d", activateGas);
        console.log("gas: last recordOutcome (settles), 32 members: %d", settleGas);
        if (TestProfile.isCoverage()) return; // instrumented bytecode: figures mean nothing
        assertLt(activateGas, ACTIVATE_32_GAS_BOUND, "activation gas at 32 members");
        assertLt(settleGas, SETTLE_32_GAS_BOUND, "settling record gas at 32 members");
    }

    // ================================================================ scenario

    /// @dev A full open pact of `n` (bounded to 2..MAX_FUZZ) members with fuzzed bonds, activated.
    function _activeRun(uint256 n, uint256 bondSeed, uint16 keeperBps, uint128 bonus, uint128 minBond)
        internal
        returns (Run memory r)
    {
        r.n = bound(n, 2, MAX_FUZZ);
        r.keeperBps = bound(keeperBps, 0, BPS);
        r.bonus = bonus;
        IPacts.PactParams memory params = _pactParams();
        params.minBond = minBond;
        params.maxMembers = uint16(r.n);
        params.keeperShareBps = uint16(r.keeperBps);
        params.bonus = bonus;
        r.id = _createPact(params);
        r.members = new address[](r.n);
        r.bonds = new uint128[](r.n);
        r.topUps = new uint128[](r.n);
        r.breaches = new bool[](r.n);
        for (uint256 i; i < r.n; ++i) {
            r.members[i] = _pool[i];
            r.bonds[i] = _bond(bondSeed, i, minBond);
            if (r.bonds[i] > r.maxBond) r.maxBond = r.bonds[i];
            _join(r.id, r.members[i], r.bonds[i]);
        }
        pacts.activate(r.id);
    }

    /// @dev Challenges the members picked by `mask` at fuzzed times in the term (a third of them topping up their
    /// pledge first), lets each challenge's liveness pass unopposed, and moves to the end of the term and grace.
    function _breachSome(Run memory r, uint256 mask, uint256 seed) internal {
        for (uint256 i; i < r.n; ++i) {
            uint256 x = uint256(keccak256(abi.encode(seed, "breach", i)));
            vm.warp(block.timestamp + x % (TERM / MAX_FUZZ));
            if ((mask >> i) & 1 == 0) {
                r.honoredBond += r.bonds[i];
                continue;
            }
            r.breaches[i] = true;
            ++r.nBreached;
            PledgeId pid = _pledgeOf(r.id, r.members[i]);
            if (x % 3 == 0) {
                r.topUps[i] = uint128(bound(x >> 8, 1, LARGE_BOND));
                _fund(r.members[i], r.topUps[i]);
                vm.prank(r.members[i]);
                registry.topUp(pid, r.topUps[i]);
            }
            _challengeAs(challenger, pid);
        }
        IPacts.Pact memory p = pacts.getPact(r.id);
        uint256 end = uint256(p.expiry) + p.grace;
        vm.warp(end > block.timestamp + LIVENESS ? end : block.timestamp + LIVENESS);
    }

    /// @dev Records every outcome in the order `orderSeed` draws (some pledges finalized in the registry first by
    /// anyone), with honored members claiming shares at points `claimSeed` draws, then everyone claims the rest.
    /// Checks each breach's split as it is recorded.
    function _settle(Run memory r, uint256 orderSeed, uint256 claimSeed) internal returns (Payout memory p) {
        p.shares = new uint256[](r.n);
        uint256[] memory order = _permutation(r.n, orderSeed);
        bool[] memory preFinalized = new bool[](r.n);
        bool[] memory recorded = new bool[](r.n);
        uint256 compliant = _sum(r.bonds);
        for (uint256 i; i < r.n; ++i) {
            if (uint256(keccak256(abi.encode(orderSeed, "pre", i))) % 4 != 0) continue;
            preFinalized[i] = true;
            uint256 before = registry.claimable(challenger, token);
            registry.finalize(_pledgeOf(r.id, r.members[i]));
            if (r.breaches[i]) p.rewards += registry.claimable(challenger, token) - before - CHALLENGE_BOND;
        }
        for (uint256 k; k < r.n; ++k) {
            uint256 i = order[k];
            if (r.breaches[i]) {
                compliant -= r.bonds[i];
                _recordBreach(r, p, i, compliant, preFinalized[i]);
            } else {
                uint256 before = registry.claimable(r.members[i], token);
                vm.recordLogs();
                assertFalse(pacts.recordOutcome(r.id, r.members[i]), "honored");
                p.dust += _settledDust(vm.getRecordedLogs());
                if (!preFinalized[i]) {
                    assertEq(registry.claimable(r.members[i], token) - before, r.bonds[i], "bond back via the registry");
                }
            }
            recorded[i] = true;
            // Some honored, recorded members claim now.
            for (uint256 j; j < r.n; ++j) {
                if (!recorded[j] || r.breaches[j]) continue;
                if (uint256(keccak256(abi.encode(claimSeed, k, j))) % 3 != 0) continue;
                p.shares[j] += _claimShares(r.id, r.members[j]);
            }
        }
        for (uint256 j; j < r.n; ++j) {
            if (!r.breaches[j]) p.shares[j] += _claimShares(r.id, r.members[j]);
            assertEq(pacts.sharesOf(r.id, r.members[j]), 0, "nothing left to claim");
        }
        p.toFund = pacts.claimable(fund, token);
        if (p.toFund != 0) {
            vm.prank(fund);
            pacts.claim(token, fund);
        }
    }

    /// @dev What one breach's record must do, computed before the call.
    struct Expect {
        uint256 slashed;
        uint256 reward;
        uint256 rest;
        uint256 toKeepers;
        uint256 unvested;
        uint256 forfeitedToFund;
        uint256 fundBefore;
        uint256 rewardBefore;
    }

    /// @dev The contract's account of one record, read from its events.
    struct Recorded {
        uint256 slashed;
        uint256 toKeepers;
        uint256 forfeited;
        uint256 toFund;
        uint256 dust;
    }

    function _recordBreach(Run memory r, Payout memory p, uint256 i, uint256 othersCompliant, bool preFinalized)
        internal
    {
        address member = r.members[i];
        Expect memory e;
        e.slashed = uint256(r.bonds[i]) + r.topUps[i];
        e.reward = e.slashed * REWARD_BPS / BPS;
        e.rest = e.slashed - e.reward;
        e.toKeepers = othersCompliant == 0 ? 0 : e.rest * r.keeperBps / BPS;
        e.unvested = pacts.sharesOf(r.id, member);
        e.forfeitedToFund = othersCompliant == 0 ? e.unvested : 0;
        e.fundBefore = pacts.claimable(fund, token);
        e.rewardBefore = registry.claimable(challenger, token);

        vm.recordLogs();
        assertTrue(pacts.recordOutcome(r.id, member), "breached");
        Recorded memory got = _decode(vm.getRecordedLogs());

        if (!preFinalized) {
            assertEq(registry.claimable(challenger, token) - e.rewardBefore, e.reward + CHALLENGE_BOND, "challenger reward");
            p.rewards += e.reward;
        }
        assertEq(got.slashed, e.slashed, "slashed = joined bond + top-ups");
        assertEq(got.toKeepers, e.toKeepers, "keepers' part");
        assertEq(got.forfeited, othersCompliant == 0 ? 0 : e.unvested, "forfeited = the breacher's unvested shares");
        assertEq(got.toFund, e.rest - e.toKeepers + e.forfeitedToFund, "beneficiary's part");
        assertEq(e.reward + got.toKeepers + (got.toFund - e.forfeitedToFund), e.slashed, "reward + keepers + beneficiary == slashed");
        assertEq(pacts.claimable(fund, token) - e.fundBefore, got.toFund + got.dust, "credited to the beneficiary");
        assertEq(pacts.sharesOf(r.id, member), 0, "a breacher holds no shares");
        p.keepers += e.toKeepers;
        p.forfeitedToFund += e.forfeitedToFund;
        p.dust += got.dust;
        p.slashed += e.slashed;
    }

    function _claimShares(PactId id, address member) internal returns (uint256 got) {
        if (pacts.sharesOf(id, member) == 0) return 0;
        uint256 before = token.balanceOf(member);
        vm.prank(member);
        got = pacts.claimShares(id, member);
        assertEq(token.balanceOf(member) - before, got, "shares paid");
    }

    function _reclaim(PactId id, uint256 expected) internal returns (uint256) {
        vm.prank(founder);
        if (expected == 0) {
            vm.expectRevert(abi.encodeWithSelector(IPacts.NothingToReclaim.selector, id));
            pacts.reclaimBonus(id);
            return 0;
        }
        assertEq(pacts.reclaimBonus(id), expected, "founder takes the dust");
        return expected;
    }

    // ================================================================ checks

    /// @dev Everything the pact received from the registry (slashed bonds less rewards) was paid as keeper shares,
    /// credited to the beneficiary, or is dust the beneficiary got: to the wei; and the pact ends empty.
    function _checkConservation(Run memory r, Payout memory p) internal view {
        uint256 paid = _sum(p.shares);
        uint256 slashedAll;
        for (uint256 i; i < r.n; ++i) {
            if (r.breaches[i]) slashedAll += uint256(r.bonds[i]) + r.topUps[i];
        }
        assertEq(p.slashed, slashedAll, "every breach recorded");
        assertEq(p.rewards + paid + p.toFund, slashedAll, "rewards + shares + beneficiary == slashed bonds");
        assertEq(paid + p.dust + p.forfeitedToFund, p.keepers, "shares paid + dust + forfeits to the fund == keepers' parts");
        assertLe(p.dust, r.n * _tolerance(r, r.maxBond), "dust stays rounding dust");
        IPacts.KeeperAccounts memory k = pacts.keeperAccounts(r.id);
        assertEq(k.paid, paid, "keeper paid");
        assertEq(k.funds, k.paid, "keeper funds fully paid");
        assertEq(pacts.getPact(r.id).compliantBond, r.honoredBond, "compliant = honored bonds");
        assertEq(token.balanceOf(address(pacts)), 0, "the pact ends empty");
        assertEq(registry.claimable(address(pacts), token), 0, "nothing left for the pact in the registry");
    }

    /// @dev Each honored member gets at most, and within rounding of, `bond * keepers / honoredBonds`; no breacher
    /// gets anything.
    function _checkProRata(Run memory r, Payout memory p) internal pure {
        for (uint256 i; i < r.n; ++i) {
            if (r.breaches[i] || r.honoredBond == 0) {
                assertEq(p.shares[i], 0, "no shares for a breacher (or with nobody honored)");
                continue;
            }
            uint256 exact = Math.mulDiv(r.bonds[i], p.keepers, r.honoredBond);
            assertLe(p.shares[i], exact, "rounding never favours a claimant");
            assertGe(p.shares[i] + _tolerance(r, r.bonds[i]), exact, "shares short of the pro-rata share");
        }
    }

    /// @dev See the contract's @dev: per breach `bond / 1e27 + 1` on the accumulator and as much again through the
    /// forfeits (bounded by the largest bond), plus 1 wei for the final floor.
    function _tolerance(Run memory r, uint256 bond) internal pure returns (uint256) {
        return r.nBreached * (bond / ACC + r.maxBond / ACC + 2) + 1;
    }

    // ================================================================ refusals

    /// @dev A call the rules refuse in `phase` (0 joining, 1 full, 2 active, 3 one breach recorded, 4 settled,
    /// 5 failed), with its caller.
    function _refusedCall(PactId id, uint8 phase, uint256 n, uint256 which, uint256 who)
        internal
        returns (address caller, bytes memory data)
    {
        address member = _pool[who % (phase == 0 ? n - 1 : n)];
        address outsider = _pool[n + who % 4];
        which = which % 8;
        if (which == 0) {
            // join: twice, or outside Joining
            _approveForPact(phase == 0 ? member : outsider, MIN_BOND);
            return (phase == 0 ? member : outsider, abi.encodeCall(pacts.join, (id, MIN_BOND)));
        }
        if (which == 1) {
            // activate outside Activatable (phase 1 is Activatable: refused there is the expulsion of a member that
            // still approves)
            if (phase == 1) return (outsider, abi.encodeCall(pacts.expel, (id, member)));
            return (outsider, abi.encodeCall(pacts.activate, (id)));
        }
        if (which == 2) return (outsider, abi.encodeCall(pacts.expel, (id, member))); // still approves, or not Joined
        if (which == 3) {
            // withdraw: not Failed, or (Failed) by a non-member
            return (phase == 5 ? outsider : member, abi.encodeCall(pacts.withdraw, (id)));
        }
        if (which == 4) return (outsider, abi.encodeCall(pacts.reclaimBonus, (id))); // not the founder
        if (which == 5) {
            // recordOutcome: before activation, an Active pledge, twice, or a non-member
            address subject = phase == 2 ? _pool[1] : (phase == 3 || phase == 4 ? _pool[0] : member);
            return (outsider, abi.encodeCall(pacts.recordOutcome, (id, subject)));
        }
        if (which == 6) {
            // claimShares: not Honored (a breacher, a pledged member, an outsider)
            return (phase == 4 ? _pool[0] : member, abi.encodeCall(pacts.claimShares, (id, member)));
        }
        return (outsider, abi.encodeCall(pacts.claim, (token, outsider))); // nothing to claim
    }

    /// @dev Hash of everything a call could change: the pact, its keeper accounts, each member and its shares, the
    /// claimables, and the token balances of the pact, the registry and every account involved.
    function _digest(PactId id, uint256 n) internal view returns (bytes32 h) {
        h = keccak256(
            abi.encode(
                pacts.getPact(id),
                pacts.keeperAccounts(id),
                pacts.membersOf(id),
                pacts.pactCount(),
                pacts.claimable(fund, token),
                token.balanceOf(address(pacts)),
                token.balanceOf(address(registry)),
                token.balanceOf(founder),
                token.balanceOf(fund),
                registry.claimable(address(pacts), token)
            )
        );
        for (uint256 i; i < n + 4; ++i) {
            address a = _pool[i];
            h = keccak256(
                abi.encode(
                    h,
                    pacts.getMember(id, a),
                    pacts.sharesOf(id, a),
                    pacts.claimable(a, token),
                    token.balanceOf(a),
                    registry.isApprovedSponsor(a, address(pacts))
                )
            );
        }
    }

    // ================================================================= helpers

    /// @dev A member's bond: the minimum, just above it, a mid-size odd amount or a large odd one (up to 1e30).
    function _bond(uint256 seed, uint256 i, uint128 minBond) internal pure returns (uint128) {
        uint256 x = uint256(keccak256(abi.encode(seed, "bond", i)));
        uint256 mode = x % 4;
        if (mode == 0) return minBond;
        if (mode == 1) return uint128(minBond + (x >> 8) % 1_000);
        if (mode == 2) return uint128((minBond + (x >> 8) % 1e24) | 1);
        return uint128((minBond + (x >> 8) % LARGE_BOND) | 1);
    }

    function _permutation(uint256 n, uint256 seed) internal pure returns (uint256[] memory p) {
        p = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            p[i] = i;
        }
        for (uint256 i = n; i > 1; --i) {
            uint256 j = uint256(keccak256(abi.encode(seed, i))) % i;
            (p[i - 1], p[j]) = (p[j], p[i - 1]);
        }
    }

    function _decode(Vm.Log[] memory logs) internal pure returns (Recorded memory rec) {
        bool seen;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics.length == 0 || logs[i].topics[0] != IPacts.BreachRecorded.selector) continue;
            (rec.slashed, rec.toKeepers, rec.forfeited, rec.toFund,) =
                abi.decode(logs[i].data, (uint256, uint256, uint256, uint256, uint256));
            seen = true;
        }
        require(seen, "no BreachRecorded");
        rec.dust = _settledDust(logs);
    }

    function _settledDust(Vm.Log[] memory logs) internal pure returns (uint256) {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics.length != 0 && logs[i].topics[0] == IPacts.PactSettled.selector) {
                return abi.decode(logs[i].data, (uint256));
            }
        }
        return 0;
    }

    function _sum(uint128[] memory xs) internal pure returns (uint256 s) {
        for (uint256 i; i < xs.length; ++i) {
            s += xs[i];
        }
    }

    function _sum(uint256[] memory xs) internal pure returns (uint256 s) {
        for (uint256 i; i < xs.length; ++i) {
            s += xs[i];
        }
    }
}
