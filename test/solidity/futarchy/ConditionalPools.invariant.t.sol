// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {Test} from "forge-std/Test.sol";
import {console} from "forge-std/console.sol";

import {ConditionalPools} from "../../../contracts/futarchy/ConditionalPools.sol";
import {IConditionalPools} from "../../../contracts/interfaces/IConditionalPools.sol";
import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {OutcomeVault} from "../../../contracts/markets/OutcomeVault.sol";
import {PoolId} from "../../../contracts/types/FutarchyIds.sol";

import {PoolsHandler} from "./handlers/PoolsHandler.sol";
import {PoolsInvariantSpec} from "./InvariantSpec.sol";

/// @notice The handler as deployed. Declared here, not in handlers/, because EDR finds a fuzz target's ABI through the
/// artifact of the contract whose code it runs, and `hardhat test solidity <this file>` writes artifacts only for the
/// contracts declared in this file.
contract ConditionalPoolsHandler is PoolsHandler {
    constructor(IOutcomeVault vault_, IConditionalPools pools_, uint256 seed) PoolsHandler(vault_, pools_, seed) {}
}

/// @title ConditionalPoolsInvariantTest
/// @notice Invariants of one ConditionalPools driven by `PoolsHandler`: three actors, three pools (two sharing their
/// position ids), random swaps, liquidity changes, pokes and time moving forward in blocks through every pool's
/// window. Each invariant's id and statement live in `PoolsInvariantSpec`; the right-hand sides come from the
/// handler's ghosts and measured movements, the left-hand sides from the pools' and the vault's views.
contract ConditionalPoolsInvariantTest is StdInvariant, Test {
    PoolsHandler internal handler;
    OutcomeVault internal vault;
    ConditionalPools internal pools;
    uint256 internal constant NPOOL = 3;
    uint256 internal constant NPOS = 4;
    uint256 internal constant NACT = 3;

    function setUp() public {
        vm.warp(1_700_000_000);
        vm.roll(100);
        vault = new OutcomeVault();
        pools = new ConditionalPools(vault);
        handler = new ConditionalPoolsHandler(vault, pools, vm.randomUint());
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](6);
        selectors[0] = PoolsHandler.swap.selector;
        selectors[1] = PoolsHandler.swap.selector; // swaps twice as likely
        selectors[2] = PoolsHandler.addLiquidity.selector;
        selectors[3] = PoolsHandler.removeLiquidity.selector;
        selectors[4] = PoolsHandler.poke.selector;
        selectors[5] = PoolsHandler.warp.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    // ============================================================== invariants

    function invariant_POOL_BAL_A_heldEqualsSumOfReservesPerId() public view {
        for (uint256 i; i < NPOS; ++i) {
            uint256 sum;
            for (uint256 k; k < NPOOL; ++k) {
                IConditionalPools.Pool memory p = pools.getPool(handler.poolIds(k));
                if (handler.side(k, 0) == i) sum += p.reserveMetric;
                if (handler.side(k, 1) == i) sum += p.reserveQuote;
            }
            assertEq(vault.balanceOf(address(pools), handler.positions(i)), sum, _msgI(PoolsInvariantSpec.POOL_BAL_A, i));
        }
    }

    function invariant_POOL_CONS_A_positionsConserved() public view {
        for (uint256 i; i < NPOS; ++i) {
            uint256 id = handler.positions(i);
            uint256 total = vault.balanceOf(address(pools), id);
            for (uint256 h; h < NACT; ++h) {
                total += vault.balanceOf(handler.actor(h), id);
            }
            assertEq(total, handler.minted(i), _msgI(PoolsInvariantSpec.POOL_CONS_A, i));
        }
    }

    function invariant_POOL_K_A_kNeverDecreases() public view {
        string memory v = handler.violation();
        assertTrue(bytes(v).length == 0, string.concat(PoolsInvariantSpec.POOL_MODEL_A, " | ", v));
        for (uint256 k; k < NPOOL; ++k) {
            uint256 now_ = handler.kPerShareNow(k);
            assertEq(now_, handler.kPerShare(k), _msgI(PoolsInvariantSpec.POOL_K_A, k));
            assertGe(now_, handler.kPerShareAtCreation(k), _msgI(PoolsInvariantSpec.POOL_K_A, k));
        }
    }

    function invariant_POOL_SHARES_A_sharesSumToSupplyLessLocked() public view {
        for (uint256 k; k < NPOOL; ++k) {
            PoolId id = handler.poolIds(k);
            uint256 sum;
            for (uint256 h; h < NACT; ++h) {
                sum += pools.sharesOf(id, handler.actor(h));
            }
            assertEq(sum, pools.getPool(id).supply - pools.MINIMUM_SHARES(), _msgI(PoolsInvariantSpec.POOL_SHARES_A, k));
        }
    }

    function invariant_POOL_MODEL_A_callsMatchTheModel() public view {
        string memory v = handler.violation();
        assertTrue(bytes(v).length == 0, string.concat(PoolsInvariantSpec.POOL_MODEL_A, " | ", v));
    }

    /// @dev Logs what the run exercised, then the end step (see the Maker suite: no RUN assertion here, the
    /// shrinker replays shortened sequences through it).
    function afterInvariant() public {
        string[5] memory names = ["swap", "addLiquidity", "removeLiquidity", "poke", "warp"];
        for (uint256 a; a < handler.N_ACTIONS(); ++a) {
            console.log("  %s: ok %d, refused %d", names[a], handler.ok(a), handler.refused(a));
        }
        _endStep();
    }

    /// @notice POOL-RUN-A: a fixed pseudo-random sequence reaches every action, sees refusals outside the windows,
    /// and ends clean.
    function test_POOL_RUN_A_handlerExercisesEveryAction() public {
        for (uint256 s; s < 300; ++s) {
            uint256 x = uint256(keccak256(abi.encode("pools", s, 1)));
            uint256 y = uint256(keccak256(abi.encode("pools", s, 2)));
            uint256 a = s % 10;
            if (a < 4) handler.swap(x, y, x % 2 == 0, y >> 8);
            else if (a == 4) handler.addLiquidity(x, y, y >> 8);
            else if (a == 5) handler.removeLiquidity(x, y, y >> 8);
            else if (a == 6) handler.poke(y);
            else handler.warp(x % 2 hours, y);
            if (s % 50 == 49) _checkAll();
        }
        _checkAll();
        for (uint256 a; a < 4; ++a) {
            assertGt(handler.ok(a), 0, string.concat(PoolsInvariantSpec.POOL_RUN_A, ": an action never succeeded"));
        }
        assertGt(handler.refused(0), 0, string.concat(PoolsInvariantSpec.POOL_RUN_A, ": swap never refused"));
        _endStep();
    }

    // ================================================================= helpers

    function _endStep() internal {
        uint256[NPOOL] memory twaps;
        for (uint256 k; k < NPOOL; ++k) {
            vm.warp(block.timestamp > handler.ends(k) ? block.timestamp : handler.ends(k));
        }
        for (uint256 k; k < NPOOL; ++k) {
            twaps[k] = pools.twap(handler.poolIds(k));
        }
        handler.removeAllAfterClose();
        _checkAll();
        for (uint256 k; k < NPOOL; ++k) {
            PoolId id = handler.poolIds(k);
            IConditionalPools.Pool memory p = pools.getPool(id);
            assertEq(p.supply, pools.MINIMUM_SHARES(), _msgI(PoolsInvariantSpec.POOL_END_A, k));
            assertGt(p.reserveMetric, 0, _msgI(PoolsInvariantSpec.POOL_END_A, k));
            assertGt(p.reserveQuote, 0, _msgI(PoolsInvariantSpec.POOL_END_A, k));
            assertEq(pools.twap(id), twaps[k], _msgI(PoolsInvariantSpec.POOL_END_A, k));
            for (uint256 h; h < NACT; ++h) {
                assertEq(pools.sharesOf(id, handler.actor(h)), 0, _msgI(PoolsInvariantSpec.POOL_END_A, k));
            }
        }
        // the contract holds exactly the reserves left for the locked shares (POOL-BAL-A after the removals)
        invariant_POOL_BAL_A_heldEqualsSumOfReservesPerId();
    }

    function _checkAll() internal view {
        invariant_POOL_BAL_A_heldEqualsSumOfReservesPerId();
        invariant_POOL_CONS_A_positionsConserved();
        invariant_POOL_K_A_kNeverDecreases();
        invariant_POOL_SHARES_A_sharesSumToSupplyLessLocked();
        invariant_POOL_MODEL_A_callsMatchTheModel();
    }

    function _msgI(string memory spec, uint256 i) internal pure returns (string memory) {
        return string.concat(spec, " | ", vm.toString(i));
    }
}
