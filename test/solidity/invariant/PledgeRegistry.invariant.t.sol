// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {Test} from "forge-std/Test.sol";
import {console} from "forge-std/console.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ICommitteeArbiter} from "../../../contracts/interfaces/ICommitteeArbiter.sol";
import {IOptimisticResolution} from "../../../contracts/interfaces/IOptimisticResolution.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {PledgeRegistry} from "../../../contracts/registry/PledgeRegistry.sol";
import {CommitteeArbiter} from "../../../contracts/resolution/CommitteeArbiter.sol";
import {MockArbiter} from "../../mocks/MockArbiter.sol";
import {MockERC20} from "../../mocks/MockERC20.sol";
import {ChallengeId, PledgeId} from "../../../contracts/types/Ids.sol";

import {IRegistry, RegistryHandler} from "./handlers/RegistryHandler.sol";
import {InvariantSpec} from "./InvariantSpec.sol";

/// @notice The handler as deployed. It is declared here, not in handlers/, because EDR finds a fuzz target's ABI
/// through the artifact of the contract whose code it runs, and `hardhat test solidity <this file>` writes
/// artifacts only for the contracts declared in this file: a handler declared only in handlers/ has no fresh
/// artifact then ("[targetSelectors] address does not have an associated contract").
contract PledgeRegistryHandler is RegistryHandler {
    constructor(Setup memory s) RegistryHandler(s) {}
}

/// @title PledgeRegistryInvariantTest
/// @notice Invariants of two PledgeRegistry deployments driven by `RegistryHandler`: registry 0 has a treasury
/// (reward 2000 bps, fee 1000 bps), registry 1 burns fees (reward 3333 bps, fee 777 bps, liveness from 1 s).
/// Each invariant's id and statement live in `InvariantSpec`. The right-hand sides come from the handler's
/// tracked ids, its independent model of the rules and measured token movements, and the registries' views.
contract PledgeRegistryInvariantTest is StdInvariant, Test {
    uint256 internal constant NREG = 2;
    uint256 internal constant NTOK = 2;

    RegistryHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        handler = new PledgeRegistryHandler(_deploy());
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](12);
        selectors[0] = RegistryHandler.createPledge.selector;
        selectors[1] = RegistryHandler.topUp.selector;
        selectors[2] = RegistryHandler.challenge.selector;
        selectors[3] = RegistryHandler.dispute.selector;
        selectors[4] = RegistryHandler.rule.selector;
        selectors[5] = RegistryHandler.voidChallenge.selector;
        selectors[6] = RegistryHandler.finalize.selector;
        selectors[7] = RegistryHandler.claim.selector;
        selectors[8] = RegistryHandler.flushBurned.selector;
        selectors[9] = RegistryHandler.warp.selector;
        selectors[10] = RegistryHandler.warpToDeadline.selector;
        selectors[11] = RegistryHandler.probe.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @dev Two registries (one with a treasury, one burning), two tokens, a mock and a 2-of-3 committee
    /// arbiter per registry, five actors and two dedicated beneficiaries.
    function _deploy() internal returns (RegistryHandler.Setup memory s) {
        s.configs[0] = IPledgeRegistry.RegistryConfig({
            treasury: makeAddr("treasury"),
            challengerRewardBps: 2000,
            disputeFeeBps: 1000,
            minLiveness: 1 hours,
            maxLiveness: 3 days,
            maxGrace: 2 days,
            arbitrationTimeout: 1 days
        });
        s.configs[1] = IPledgeRegistry.RegistryConfig({
            treasury: address(0),
            challengerRewardBps: 3333,
            disputeFeeBps: 777,
            minLiveness: 1,
            maxLiveness: 1 days,
            maxGrace: 1 days,
            arbitrationTimeout: 12 hours
        });
        s.tokens[0] = new MockERC20("Bond 18", "B18", 18);
        s.tokens[1] = new MockERC20("Bond 6", "B6", 6);
        address[] memory members = new address[](3);
        for (uint256 i; i < 3; ++i) {
            members[i] = makeAddr(string.concat("member", vm.toString(i)));
            s.members[i] = members[i];
        }
        for (uint256 r; r < NREG; ++r) {
            s.registries[r] = IRegistry(address(new PledgeRegistry(s.configs[r])));
            s.mockArbiters[r] = new MockArbiter(s.registries[r]);
            s.committees[r] = ICommitteeArbiter(address(new CommitteeArbiter(s.registries[r], members, 2)));
        }
        for (uint256 i; i < 5; ++i) {
            s.actors[i] = makeAddr(string.concat("actor", vm.toString(i)));
        }
        s.beneficiaries[0] = makeAddr("beneficiary0");
        s.beneficiaries[1] = makeAddr("beneficiary1");
    }

    // ============================================================== invariants

    function invariant_SOLV_A_balanceEqualsLiabilities() public view {
        for (uint256 r; r < NREG; ++r) {
            for (uint256 t; t < NTOK; ++t) {
                IERC20 token = handler.token(t);
                assertEq(
                    token.balanceOf(address(handler.registry(r))), _liabilities(r, t), _msg(InvariantSpec.SOLV_A, r, t)
                );
            }
        }
    }

    function invariant_CONS_A_depositsEqualBalancePlusOutflows() public view {
        for (uint256 r; r < NREG; ++r) {
            for (uint256 t; t < NTOK; ++t) {
                RegistryHandler.Totals memory tt = handler.totals(r, t);
                uint256 balance = handler.token(t).balanceOf(address(handler.registry(r)));
                assertEq(tt.deposited, balance + tt.claimed + tt.flushed, _msg(InvariantSpec.CONS_A, r, t));
            }
        }
    }

    function invariant_GAIN_A_noAccountWithdrawsMoreThanItWasGranted() public view {
        address[] memory accts = handler.accounts();
        address[5] memory actors = handler.actors();
        for (uint256 t; t < NTOK; ++t) {
            IERC20 token = handler.token(t);
            for (uint256 i; i < accts.length; ++i) {
                uint256 won;
                for (uint256 r; r < NREG; ++r) {
                    RegistryHandler.Ledger memory led = handler.ledger(r, t, accts[i]);
                    assertLe(led.withdrawn, led.deposited + led.won, _msg(InvariantSpec.GAIN_A, r, t));
                    won += led.won;
                }
                // The same bound on the account's actual balance, independent of the handler's bookkeeping of claims.
                uint256 initial = _isActor(actors, accts[i]) ? handler.ACTOR_FUNDS() : 0;
                assertLe(token.balanceOf(accts[i]), initial + won, _msg(InvariantSpec.GAIN_A, NREG, t));
            }
        }
    }

    function invariant_CRED_A_claimableMatchesModelledCredits() public view {
        address[] memory accts = handler.accounts();
        for (uint256 r; r < NREG; ++r) {
            IRegistry reg = handler.registry(r);
            for (uint256 t; t < NTOK; ++t) {
                IERC20 token = handler.token(t);
                for (uint256 i; i < accts.length; ++i) {
                    RegistryHandler.Ledger memory led = handler.ledger(r, t, accts[i]);
                    assertEq(
                        reg.claimable(accts[i], token),
                        led.refunded + led.won - led.withdrawn,
                        string.concat(_msg(InvariantSpec.CRED_A, r, t), " account ", vm.toString(accts[i]))
                    );
                }
            }
        }
    }

    function invariant_LIFE_A_finalStatesStickAndBondsNeverShrink() public view {
        string memory v = handler.lifeViolation();
        assertTrue(bytes(v).length == 0, string.concat(InvariantSpec.LIFE_A, " | ", v));
        uint256 n = handler.pledgeKeys();
        for (uint256 k; k < n; ++k) {
            RegistryHandler.MPledge memory m = handler.pledgeModel(k);
            IRegistry reg = handler.registry(m.reg);
            PledgeId pid = PledgeId.wrap(m.id);
            // the bond is exactly what was posted plus the top-ups: it cannot have shrunk
            assertEq(reg.getPledge(pid).bond, m.bond, _msgK(InvariantSpec.LIFE_A, k));
            if (m.outcome != IPledgeRegistry.Outcome.None) {
                assertEq(uint256(reg.getPledge(pid).outcome), uint256(m.outcome), _msgK(InvariantSpec.LIFE_A, k));
            }
        }
    }

    function invariant_LIFE_B_oneOpenChallengeAndStateMatchesTimestamps() public view {
        uint256 n = handler.pledgeKeys();
        uint256[] memory unclosed = new uint256[](n);
        for (uint256 r; r < NREG; ++r) {
            uint256 count = handler.challengeCount(r);
            for (uint256 cid = 1; cid <= count; ++cid) {
                RegistryHandler.MChallenge memory c = handler.challengeModel(r, cid);
                if (!c.closed) ++unclosed[c.key];
            }
        }
        for (uint256 k; k < n; ++k) {
            RegistryHandler.MPledge memory m = handler.pledgeModel(k);
            IRegistry reg = handler.registry(m.reg);
            PledgeId pid = PledgeId.wrap(m.id);
            IPledgeRegistry.PledgeState st = reg.state(pid);
            assertLe(unclosed[k], 1, _msgK(InvariantSpec.LIFE_B, k));
            assertEq(uint256(st), uint256(handler.modelState(k)), _msgK(InvariantSpec.LIFE_B, k));
            assertEq(uint256(st), uint256(_stateFromViews(reg, pid)), _msgK(InvariantSpec.LIFE_B, k));
            // the open challenge (once Breached: the one that established the breach; once Honored: none)
            uint256 open = ChallengeId.unwrap(reg.openChallenge(pid));
            assertEq(open, m.open, _msgK(InvariantSpec.LIFE_B, k));
            if (st == IPledgeRegistry.PledgeState.Honored) assertEq(open, 0, _msgK(InvariantSpec.LIFE_B, k));
            bool isFinal = st == IPledgeRegistry.PledgeState.Breached || st == IPledgeRegistry.PledgeState.Honored;
            assertEq(unclosed[k], open == 0 || isFinal ? 0 : 1, _msgK(InvariantSpec.LIFE_B, k));
            if (open != 0) {
                IOptimisticResolution.Challenge memory c = reg.getChallenge(ChallengeId.wrap(open));
                RegistryHandler.MChallenge memory mc = handler.challengeModel(m.reg, open);
                assertEq(c.pledgeId, m.id, _msgK(InvariantSpec.LIFE_B, k));
                assertEq(c.challenger, mc.challenger, _msgK(InvariantSpec.LIFE_B, k));
                assertEq(c.challengedAt, mc.challengedAt, _msgK(InvariantSpec.LIFE_B, k));
                assertEq(c.disputer, mc.disputer, _msgK(InvariantSpec.LIFE_B, k));
                assertEq(c.disputedAt, mc.disputedAt, _msgK(InvariantSpec.LIFE_B, k));
                assertEq(c.bond, mc.bond, _msgK(InvariantSpec.LIFE_B, k));
            }
        }
    }

    function invariant_ESC_A_challengeBondEscalatesPerRejection() public view {
        uint256 n = handler.pledgeKeys();
        for (uint256 k; k < n; ++k) {
            RegistryHandler.MPledge memory m = handler.pledgeModel(k);
            IRegistry reg = handler.registry(m.reg);
            PledgeId pid = PledgeId.wrap(m.id);
            (IERC20 token, uint256 amount) = reg.requiredChallengeBond(pid);
            assertEq(address(token), address(handler.token(m.tok)), _msgK(InvariantSpec.ESC_A, k));
            assertEq(amount, handler.escalatedBond(k), _msgK(InvariantSpec.ESC_A, k));
            assertEq(reg.getPledge(pid).rejectedChallenges, m.rejected, _msgK(InvariantSpec.ESC_A, k));
        }
    }

    function invariant_MODEL_A_callsMatchTheStateMachine() public view {
        string memory v = handler.modelViolation();
        assertTrue(bytes(v).length == 0, string.concat(InvariantSpec.MODEL_A, " | ", v));
    }

    // ================================================================ end step

    /// @notice After each run: settle everything, then everything must be paid out exactly as modelled.
    function afterInvariant() public {
        _endStep();
    }

    /// @notice A fixed, long sequence of handler calls must reach every action and every interesting path,
    /// so that the invariants above are known to see them; prints the counts.
    function test_handler_exercisesEveryActionAndPath() public {
        for (uint256 i; i < 128; ++i) {
            _step(i);
            if (i % 32 == 31) _checkAll();
        }
        _checkAll();
        assertGt(handler.pledgeKeys(), 0, InvariantSpec.RUN_A);
        (uint256[11] memory ok, uint256[11] memory refused, uint256[17] memory paths) = handler.counts();
        for (uint256 i; i < ok.length; ++i) {
            console.log("%s: %d succeeded, %d refused", handler.actionName(i), ok[i], refused[i]);
            assertGt(ok[i], 0, string.concat(InvariantSpec.RUN_A, ": never succeeded: ", handler.actionName(i)));
        }
        for (uint256 i; i < paths.length; ++i) {
            console.log("  path %s: %d", handler.pathName(i), paths[i]);
            assertGt(paths[i], 0, string.concat(InvariantSpec.RUN_A, ": path never taken: ", handler.pathName(i)));
        }
        for (uint256 i = 1; i < 7; ++i) {
            assertGt(refused[i], 0, string.concat(InvariantSpec.RUN_A, ": never refused: ", handler.actionName(i)));
        }
        _endStep();
    }

    // ================================================================= helpers

    /// @dev No assertion on how much happened here: the shrinker replays shortened sequences through
    /// `afterInvariant`, and an unrelated failure there would hijack the counterexample.
    function _endStep() internal {
        handler.settleAll();
        _checkAll();
        address[] memory accts = handler.accounts();
        address[5] memory actors = handler.actors();
        for (uint256 t; t < NTOK; ++t) {
            IERC20 token = handler.token(t);
            for (uint256 r; r < NREG; ++r) {
                assertEq(token.balanceOf(address(handler.registry(r))), 0, _msg(InvariantSpec.END_A, r, t));
                uint256 totalWon;
                uint256 totalLost;
                for (uint256 i; i < accts.length; ++i) {
                    RegistryHandler.Ledger memory led = handler.ledger(r, t, accts[i]);
                    totalWon += led.won;
                    totalLost += led.lost;
                    // every stake came back or was forfeited; everything credited was withdrawn
                    assertEq(led.refunded + led.lost, led.deposited, _msg(InvariantSpec.END_A, r, t));
                    assertEq(led.withdrawn, led.refunded + led.won, _msg(InvariantSpec.END_A, r, t));
                }
                assertEq(totalWon, totalLost, _msg(InvariantSpec.END_A, r, t)); // zero-sum between accounts
            }
            for (uint256 i; i < accts.length; ++i) {
                int256 net;
                for (uint256 r; r < NREG; ++r) {
                    RegistryHandler.Ledger memory led = handler.ledger(r, t, accts[i]);
                    net += int256(led.won) - int256(led.lost);
                }
                uint256 initial = _isActor(actors, accts[i]) ? handler.ACTOR_FUNDS() : 0;
                assertEq(
                    int256(token.balanceOf(accts[i])) - int256(initial),
                    net,
                    string.concat(_msg(InvariantSpec.END_A, NREG, t), " account ", vm.toString(accts[i]))
                );
            }
        }
    }

    /// @dev Every invariant; the handler's own records (MODEL-A, LIFE-A) first, as they name the root cause.
    function _checkAll() internal view {
        invariant_MODEL_A_callsMatchTheStateMachine();
        invariant_LIFE_A_finalStatesStickAndBondsNeverShrink();
        invariant_LIFE_B_oneOpenChallengeAndStateMatchesTimestamps();
        invariant_SOLV_A_balanceEqualsLiabilities();
        invariant_CONS_A_depositsEqualBalancePlusOutflows();
        invariant_CRED_A_claimableMatchesModelledCredits();
        invariant_GAIN_A_noAccountWithdrawsMoreThanItWasGranted();
        invariant_ESC_A_challengeBondEscalatesPerRejection();
    }

    /// @dev One handler call: the actions cycle through a pledge's lifecycle (so that each step usually finds a
    /// pledge it applies to), with pseudo-random seeds for everything else.
    function _step(uint256 i) internal {
        uint256 x = uint256(keccak256(abi.encode("pledge-markets", i, 1)));
        uint256 y = uint256(keccak256(abi.encode("pledge-markets", i, 2)));
        uint256 a = i % 16;
        if (a == 0) handler.createPledge(x, y, x >> 7, y >> 7);
        else if (a == 1 || a == 4) handler.challenge(x, y);
        else if (a == 2 || a == 6) handler.dispute(x, y);
        else if (a == 3) handler.rule(x, y % 2 == 0, y >> 1);
        else if (a == 5) handler.warpToDeadline(x, y % 2 == 0);
        else if (a == 7) handler.warpToDeadline(x, false);
        else if (a == 8) handler.voidChallenge(x, y);
        else if (a == 9 || a == 15) handler.finalize(x, y);
        else if (a == 10) handler.topUp(x, i % 64 == 42 ? _topUpToCapSeed() : y);
        else if (a == 11) handler.warp(x);
        else if (a == 12) handler.claim(x, y);
        else if (a == 13) handler.flushBurned(x);
        else handler.probe(x);
    }

    /// @dev An amount seed that `RegistryHandler.topUp` turns into a top-up by the pledger exactly to 2^128-1.
    function _topUpToCapSeed() internal view returns (uint256 seed) {
        while (true) {
            uint256 h = handler.mix(seed, 2);
            if (h % 16 == 1 && (h >> 8) % 2 == 0 && (h >> 16) % 16 != 0) return seed;
            ++seed;
        }
    }

    /// @dev What registry `r` owes in token `t`, from the handler's tracked ids and the registry's views:
    /// bonds of unsettled pledges, bonds of their open challenges (twice when disputed), every claimable.
    function _liabilities(uint256 r, uint256 t) internal view returns (uint256 sum) {
        IRegistry reg = handler.registry(r);
        uint256 n = handler.pledgeKeys();
        for (uint256 k; k < n; ++k) {
            RegistryHandler.MPledge memory m = handler.pledgeModel(k);
            if (m.reg != r || m.tok != t) continue;
            PledgeId pid = PledgeId.wrap(m.id);
            IPledgeRegistry.PledgeState st = reg.state(pid);
            if (st == IPledgeRegistry.PledgeState.Breached || st == IPledgeRegistry.PledgeState.Honored) continue;
            sum += reg.getPledge(pid).bond;
            ChallengeId cid = reg.openChallenge(pid);
            if (ChallengeId.unwrap(cid) != 0) {
                IOptimisticResolution.Challenge memory c = reg.getChallenge(cid);
                sum += c.disputer == address(0) ? uint256(c.bond) : 2 * uint256(c.bond);
            }
        }
        address[] memory accts = handler.accounts();
        IERC20 token = handler.token(t);
        for (uint256 i; i < accts.length; ++i) {
            sum += reg.claimable(accts[i], token);
        }
    }

    /// @dev The state the documented boundaries give, from the registry's own stored facts and config.
    function _stateFromViews(IRegistry reg, PledgeId pid) internal view returns (IPledgeRegistry.PledgeState) {
        IPledgeRegistry.Pledge memory p = reg.getPledge(pid);
        if (p.outcome == IPledgeRegistry.Outcome.Breached) return IPledgeRegistry.PledgeState.Breached;
        if (p.outcome == IPledgeRegistry.Outcome.Honored) return IPledgeRegistry.PledgeState.Honored;
        ChallengeId cid = reg.openChallenge(pid);
        if (ChallengeId.unwrap(cid) != 0) {
            IOptimisticResolution.Challenge memory c = reg.getChallenge(cid);
            if (c.disputer == address(0)) {
                return block.timestamp < uint256(c.challengedAt) + p.liveness
                    ? IPledgeRegistry.PledgeState.Challenged
                    : IPledgeRegistry.PledgeState.Slashable;
            }
            return block.timestamp < uint256(c.disputedAt) + reg.config().arbitrationTimeout
                ? IPledgeRegistry.PledgeState.Disputed
                : IPledgeRegistry.PledgeState.RulingOverdue;
        }
        return block.timestamp < uint256(p.expiry) + p.grace
            ? IPledgeRegistry.PledgeState.Active
            : IPledgeRegistry.PledgeState.Releasable;
    }

    function _isActor(address[5] memory actors, address a) internal pure returns (bool) {
        for (uint256 i; i < actors.length; ++i) {
            if (actors[i] == a) return true;
        }
        return false;
    }

    function _msg(string memory spec, uint256 r, uint256 t) internal pure returns (string memory) {
        return string.concat(
            spec, " [registry ", r < NREG ? vm.toString(r) : "all", ", token ", vm.toString(t), "]"
        );
    }

    function _msgK(string memory spec, uint256 k) internal pure returns (string memory) {
        return string.concat(spec, " [pledge key ", vm.toString(k), "]");
    }
}
