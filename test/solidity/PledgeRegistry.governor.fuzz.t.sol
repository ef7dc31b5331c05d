// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOptimisticResolution} from "../../contracts/interfaces/IOptimisticResolution.sol";
import {IPledgeRegistry} from "../../contracts/interfaces/IPledgeRegistry.sol";
import {ChallengeId, PledgeId} from "../../contracts/types/Ids.sol";
import {RegistryFixture} from "./utils/RegistryFixture.sol";

/// @notice Fuzz tests of the registry's governor entry points. `amend` conserves tokens to the wei (the registry
/// holds exactly the bonds still escrowed plus every claimable balance), `release` never credits anything, and
/// any sequence of release, amend, top-up, challenge, dispute, ruling, void, finalize, claim and clock moves
/// keeps the registry solvent at every step and leaves it empty once everything is settled and claimed.
contract PledgeRegistryGovernorFuzzTest is RegistryFixture {
    uint256 internal constant PLEDGES = 2;
    uint256 internal constant MAX_STEPS = 24;

    address internal governor;
    PledgeId[PLEDGES] internal ids;
    /// @dev Ghost: every token that entered the registry, less every token claimed out of it.
    uint256 internal ghostHeld;

    function setUp() public override {
        super.setUp();
        governor = makeAddr("governor");
    }

    // ---------------------------------------------------------------- ledger

    function _parties() internal view returns (address[7] memory) {
        return [pledger, governor, beneficiary, challenger, disputer, treasury, BURN];
    }

    function _sumClaimable() internal view returns (uint256 sum) {
        address[7] memory parties = _parties();
        for (uint256 i = 0; i < parties.length; ++i) {
            sum += _claimable(parties[i]);
        }
    }

    /// @dev What the registry still owes as escrow for one pledge: its bond unless final, and the bonds of its
    /// open challenge (the challenger's, and the disputer's matching one once disputed).
    function _escrowOf(PledgeId id) internal view returns (uint256 escrow) {
        IPledgeRegistry.Pledge memory p = registry.getPledge(id);
        if (p.pledger == address(0) || p.outcome != IPledgeRegistry.Outcome.None) return 0;
        escrow = p.bond;
        if (p.openChallenge != 0) {
            IOptimisticResolution.Challenge memory c = registry.getChallenge(ChallengeId.wrap(p.openChallenge));
            escrow += c.disputer == address(0) ? c.bond : 2 * uint256(c.bond);
        }
    }

    function _escrow() internal view returns (uint256 sum) {
        for (uint256 i = 0; i < PLEDGES; ++i) {
            sum += _escrowOf(ids[i]);
        }
    }

    /// @dev SOLV-A with governors: balance == escrow + claimables, and both equal the ghost ledger.
    function _assertSolvent(string memory when) internal view {
        uint256 balance = _balance(address(registry));
        assertEq(balance, _escrow() + _sumClaimable(), string.concat("balance != escrow + claimables ", when));
        assertEq(balance, ghostHeld, string.concat("balance != tokens in - tokens out ", when));
    }

    // ======================================================= amend conserves

    function testFuzz_amend_conservesTokens(
        uint128 bond,
        uint128 topUp,
        uint128 newBond,
        uint64 newExpiryOffset,
        uint32 wait,
        bool honor
    ) public {
        uint256 initial = bound(bond, 1, uint256(1) << 127);
        uint256 added = bound(topUp, 0, (uint256(1) << 127) - 1);
        IPledgeRegistry.PledgeParams memory params = _params();
        params.bond = uint128(initial);
        ids[0] = _createGoverned(params, governor);
        ghostHeld = initial;
        if (added > 0) {
            _fund(pledger, added);
            vm.prank(pledger);
            registry.topUp(ids[0], uint128(added));
            ghostHeld += added;
        }
        uint256 current = initial + added;

        vm.warp(block.timestamp + bound(wait, 0, TERM + GRACE - 1)); // still Active
        uint256 amended = bound(newBond, 1, current);
        uint64 expiry = uint64(block.timestamp + bound(newExpiryOffset, 1, 3650 days));
        vm.prank(governor);
        registry.amend(
            ids[0],
            IPledgeRegistry.Amendment({termsHash: keccak256("v2"), termsURI: "", expiry: expiry, bond: uint128(amended)})
        );

        assertEq(registry.getPledge(ids[0]).bond, amended);
        assertEq(registry.getPledge(ids[0]).expiry, expiry);
        assertEq(_claimable(pledger), current - amended, "refund is exactly the difference");
        assertEq(_sumClaimable(), current - amended, "nobody else is credited");
        _assertSolvent("after amend");

        _settleAmended(current, amended, honor);
    }

    /// @dev Honors or slashes the amended pledge `ids[0]` and drains the registry.
    function _settleAmended(uint256 current, uint256 amended, bool honor) internal {
        if (honor) {
            vm.warp(_end(ids[0]));
            registry.finalize(ids[0]);
            assertEq(_claimable(pledger), current, "refund + amended bond = everything the pledger put in");
        } else {
            _challenge(ids[0]);
            ghostHeld += registry.getChallenge(registry.openChallenge(ids[0])).bond;
            vm.warp(block.timestamp + LIVENESS);
            registry.finalize(ids[0]);
            uint256 reward = amended * REWARD_BPS / BPS; // floor, as the registry
            assertEq(_claimable(beneficiary), amended - reward, "the slash splits the amended bond");
        }
        _assertSolvent("after finalize");
        _claimEverything();
        assertEq(_balance(address(registry)), 0, "registry drained");
    }

    // ================================================ release credits nothing

    function testFuzz_release_neverCreditsImmediately(uint128 bond, uint32 grace, uint32 wait, bool topUpFirst)
        public
    {
        IPledgeRegistry.PledgeParams memory params = _params();
        params.bond = uint128(bound(bond, 1, type(uint128).max - 1));
        params.grace = uint32(bound(grace, 0, MAX_GRACE));
        ids[0] = _createGoverned(params, governor);
        ghostHeld = params.bond;
        if (topUpFirst) {
            _fund(pledger, 1);
            vm.prank(pledger);
            registry.topUp(ids[0], 1);
            ghostHeld += 1;
        }
        uint256 end = uint256(params.expiry) + params.grace;
        uint256 t = block.timestamp + bound(wait, 0, end - block.timestamp - 1); // Active: t < expiry + grace
        vm.warp(t);
        IPledgeRegistry.Pledge memory before = registry.getPledge(ids[0]);
        uint256 balanceBefore = _balance(address(registry));

        vm.recordLogs();
        vm.prank(governor);
        registry.release(ids[0]);
        assertEq(vm.getRecordedLogs().length, 1, "PledgeReleased only");

        IPledgeRegistry.Pledge memory p = registry.getPledge(ids[0]);
        assertEq(_sumClaimable(), 0, "nothing credited");
        assertEq(_balance(address(registry)), balanceBefore, "nothing moved");
        assertEq(p.bond, before.bond);
        assertEq(p.expiry, t < before.expiry ? t : before.expiry, "expiry = min(expiry, now)");
        assertEq(
            uint256(registry.state(ids[0])),
            uint256(t < uint256(p.expiry) + p.grace ? IPledgeRegistry.PledgeState.Active : IPledgeRegistry.PledgeState.Releasable)
        );
        _assertSolvent("after release");
    }

    // ======================================================= any sequence

    enum Op {
        Release,
        Amend,
        TopUp,
        Challenge,
        Dispute,
        Rule,
        Void,
        Finalize,
        Claim,
        Warp
    }

    /// @dev Random steps on two governed pledges (failing steps are skipped: the registry refuses them and
    /// they change nothing); solvency is checked after every step, then everything is settled and claimed.
    function testFuzz_anySequence_keepsRegistrySolvent(uint256 seed, uint8 steps, uint16 rewardBps, uint16 feeBps)
        public
    {
        IPledgeRegistry.RegistryConfig memory cfg = _config();
        cfg.challengerRewardBps = uint16(bound(rewardBps, 0, BPS));
        cfg.disputeFeeBps = uint16(bound(feeBps, 0, BPS));
        _deploy(cfg);
        for (uint256 i = 0; i < PLEDGES; ++i) {
            IPledgeRegistry.PledgeParams memory params = _params();
            params.bond = uint128(bound(uint256(keccak256(abi.encode(seed, "bond", i))), 1, 1e30));
            params.grace = uint32(bound(uint256(keccak256(abi.encode(seed, "grace", i))), 0, MAX_GRACE));
            ids[i] = _createGoverned(params, governor);
            ghostHeld += params.bond;
        }
        _assertSolvent("after create");

        uint256 n = bound(steps, 1, MAX_STEPS);
        for (uint256 s = 0; s < n; ++s) {
            uint256 r = uint256(keccak256(abi.encode(seed, s)));
            _step(Op(r % 10), ids[(r >> 8) % PLEDGES], r >> 16);
            _assertSolvent("after step");
        }

        _settleEverything();
        _assertSolvent("after settlement");
        _claimEverything();
        assertEq(_balance(address(registry)), 0, "registry left with tokens after everything was claimed");
    }

    function _step(Op op, PledgeId id, uint256 r) internal {
        if (op <= Op.Dispute) _stepPledge(op, id, r);
        else _stepSettle(op, id, r);
    }

    /// @dev The governor's and the pledge's actions: release, amend, top-up, challenge, dispute.
    function _stepPledge(Op op, PledgeId id, uint256 r) internal {
        if (op == Op.Release) {
            vm.prank(governor);
            try registry.release(id) {} catch {}
        } else if (op == Op.Amend) {
            uint256 current = registry.getPledge(id).bond;
            IPledgeRegistry.Amendment memory a = IPledgeRegistry.Amendment({
                termsHash: bytes32(r),
                termsURI: "",
                expiry: uint64(block.timestamp + bound(r >> 128, 0, 90 days)), // 0: refused (not in the future)
                bond: uint128(bound(r & type(uint64).max, 0, current + 1)) // 0 and current + 1: refused
            });
            vm.prank(governor);
            try registry.amend(id, a) {} catch {}
        } else if (op == Op.TopUp) {
            uint256 amount = bound(r, 0, 1e24); // 0: refused
            _fund(pledger, amount);
            vm.prank(pledger);
            try registry.topUp(id, uint128(amount)) {
                ghostHeld += amount;
            } catch {}
        } else if (op == Op.Challenge) {
            (, uint256 amount) = registry.requiredChallengeBond(id);
            _fund(challenger, amount);
            vm.prank(challenger);
            try registry.challenge(id, EVIDENCE_URI, amount) {
                ghostHeld += amount;
            } catch {}
        } else if (op == Op.Dispute) {
            uint256 cid = ChallengeId.unwrap(registry.openChallenge(id));
            uint256 amount = cid == 0 ? 0 : registry.getChallenge(ChallengeId.wrap(cid)).bond;
            _fund(disputer, amount);
            vm.prank(disputer);
            try registry.dispute(id) {
                ghostHeld += amount;
            } catch {}
        }
    }

    /// @dev Resolution, payouts and the clock: rule, void, finalize, claim, warp.
    function _stepSettle(Op op, PledgeId id, uint256 r) internal {
        if (op == Op.Rule) {
            ChallengeId cid = registry.openChallenge(id);
            try arbiter.rule(cid, r % 2 == 0) {} catch {}
        } else if (op == Op.Void) {
            try registry.voidChallenge(id) {} catch {}
        } else if (op == Op.Finalize) {
            try registry.finalize(id) {} catch {}
        } else if (op == Op.Claim) {
            address who = _parties()[r % 6]; // not BURN: flushed below
            uint256 amount = _claimable(who);
            vm.prank(who);
            try registry.claim(token, who) {
                ghostHeld -= amount;
            } catch {}
        } else {
            vm.warp(block.timestamp + bound(r, 0, 40 days));
        }
    }

    /// @dev Warps past every deadline and settles each pledge: void overdue rulings, slash stood challenges,
    /// honor the rest.
    function _settleEverything() internal {
        for (uint256 i = 0; i < PLEDGES; ++i) {
            PledgeId id = ids[i];
            for (uint256 guard = 0; guard < 6; ++guard) {
                IPledgeRegistry.PledgeState s = registry.state(id);
                if (s == IPledgeRegistry.PledgeState.Breached || s == IPledgeRegistry.PledgeState.Honored) break;
                if (s == IPledgeRegistry.PledgeState.Disputed) {
                    vm.warp(block.timestamp + TIMEOUT);
                } else if (s == IPledgeRegistry.PledgeState.RulingOverdue) {
                    registry.voidChallenge(id);
                } else if (s == IPledgeRegistry.PledgeState.Challenged) {
                    vm.warp(block.timestamp + LIVENESS);
                } else if (s == IPledgeRegistry.PledgeState.Active) {
                    vm.warp(_end(id));
                } else {
                    registry.finalize(id); // Slashable or Releasable
                }
            }
            IPledgeRegistry.PledgeState last = registry.state(id);
            assertTrue(
                last == IPledgeRegistry.PledgeState.Breached || last == IPledgeRegistry.PledgeState.Honored,
                "pledge not final after settlement"
            );
        }
    }

    function _claimEverything() internal {
        address[7] memory parties = _parties();
        for (uint256 i = 0; i < parties.length - 1; ++i) {
            uint256 amount = _claimable(parties[i]);
            if (amount == 0) continue;
            vm.prank(parties[i]);
            registry.claim(token, parties[i]);
            ghostHeld -= amount;
        }
        uint256 burned = _claimable(BURN);
        if (burned != 0) {
            registry.flushBurned(token);
            ghostHeld -= burned;
        }
        assertEq(_sumClaimable(), 0, "claimables left");
    }
}
