// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {CpmmMath} from "../../../../contracts/futarchy/libraries/CpmmMath.sol";
import {IConditionalPools} from "../../../../contracts/interfaces/IConditionalPools.sol";
import {IOutcomeVault} from "../../../../contracts/interfaces/IOutcomeVault.sol";
import {MockERC20} from "../../../mocks/MockERC20.sol";
import {PoolId} from "../../../../contracts/types/FutarchyIds.sol";
import {ConditionId, PositionId} from "../../../../contracts/types/MarketIds.sol";

/// @title PoolsHandler
/// @notice Drives one ConditionalPools on one OutcomeVault with three actors (each also the creator and first LP of
/// one pool). Three pools: pools 0 and 1 trade the same pair (pass-metric / pass-quote) so that the contract's
/// balance of an id is a sum over pools; pool 2 trades the fail pair. Their windows differ (pool 1 starts Pending)
/// and time moves forward in blocks (warp and roll), so every pool passes Pending, Open and Closed.
/// It models each call's acceptance from the window, checks every swap against its quote and the measured position
/// movements, tracks `k` per pool and the observation's moves, and records the first disagreement in `violation`.
/// @dev Runs with `failOnRevert = false`: disagreements go to `violation`, every pools call is wrapped in
/// try/catch. Abstract: the test file declares the concrete handler (see `ConditionalPoolsHandler` there).
abstract contract PoolsHandler is CommonBase, StdCheats, StdUtils {
    uint256 public constant NACT = 3;
    uint256 public constant NPOOL = 3;
    uint256 public constant NPOS = 4;
    uint256 public constant ACTOR_FUNDS = 1e27;
    uint256 public constant MIN_SHARES = 1_000;
    uint32 public constant DELAY = 1 hours;
    uint128 public constant STEP = 0.02e18;
    PositionId internal constant ROOT = PositionId.wrap(0);

    uint256 internal constant A_SWAP = 0;
    uint256 internal constant A_ADD = 1;
    uint256 internal constant A_REMOVE = 2;
    uint256 internal constant A_POKE = 3;
    uint256 internal constant A_WARP = 4;
    uint256 public constant N_ACTIONS = 5;

    IOutcomeVault public immutable vault;
    IConditionalPools public immutable pools;
    address[NACT] internal _actors;
    /// @dev The four position ids: pass-metric, pass-quote, fail-metric, fail-quote.
    uint256[NPOS] public positions;
    /// @dev Per pool, the indices into `positions` of its metric and quote.
    uint256[2][NPOOL] internal _sides;
    PoolId[NPOOL] public poolIds;
    uint64[NPOOL] public ends;

    // ------------------------------------------------------------- ghosts
    /// @dev Per position id (index into `positions`): what the actors split.
    uint256[NPOS] public minted;
    /// @dev Per pool: k / supply^2 in 1e36 fixed point (rounded down) after the last call, and at creation.
    uint256[NPOOL] public kPerShare;
    uint256[NPOOL] public kPerShareAtCreation;
    uint256[N_ACTIONS] public ok;
    uint256[N_ACTIONS] public refused;
    string public violation;

    constructor(IOutcomeVault vault_, IConditionalPools pools_, uint256 seed) {
        vault = vault_;
        pools = pools_;
        MockERC20 metricToken = new MockERC20("Metric", "MET", 18);
        MockERC20 quoteToken = new MockERC20("Quote", "USD", 18);
        ConditionId c = vault_.prepareCondition(keccak256(abi.encode("pools invariant", seed)), 2);
        positions[0] = PositionId.unwrap(vault_.positionId(IERC20(address(metricToken)), ROOT, c, 0));
        positions[1] = PositionId.unwrap(vault_.positionId(IERC20(address(quoteToken)), ROOT, c, 0));
        positions[2] = PositionId.unwrap(vault_.positionId(IERC20(address(metricToken)), ROOT, c, 1));
        positions[3] = PositionId.unwrap(vault_.positionId(IERC20(address(quoteToken)), ROOT, c, 1));
        for (uint256 h; h < NACT; ++h) {
            address a = makeAddr(string.concat("lp-trader", vm.toString(h)));
            _actors[h] = a;
            metricToken.mint(a, ACTOR_FUNDS);
            quoteToken.mint(a, ACTOR_FUNDS);
            vm.startPrank(a);
            metricToken.approve(address(vault_), ACTOR_FUNDS);
            quoteToken.approve(address(vault_), ACTOR_FUNDS);
            vault_.split(IERC20(address(metricToken)), ROOT, c, ACTOR_FUNDS);
            vault_.split(IERC20(address(quoteToken)), ROOT, c, ACTOR_FUNDS);
            vault_.setApprovalForAll(address(pools_), true);
            vm.stopPrank();
        }
        for (uint256 i; i < NPOS; ++i) {
            minted[i] = NACT * ACTOR_FUNDS;
        }
        uint64 t = uint64(block.timestamp);
        _sides[0] = [uint256(0), 1];
        _sides[1] = [uint256(0), 1];
        _sides[2] = [uint256(2), 3];
        // fees, windows and seeds vary with the seed
        _createPool(0, uint16(seed % 101), t, t + 1 days, 1_000e18, 2_000e18);
        _createPool(1, uint16((seed >> 8) % 1_001), t + 2 hours, t + 3 days, 50e18, 10e18);
        _createPool(2, 0, t, t + 12 hours, uint128(10_000e18 + (seed >> 16) % 1e21), 10_000e18);
    }

    function _createPool(uint256 k, uint16 fee, uint64 start, uint64 end, uint128 m, uint128 q) private {
        IConditionalPools.PoolParams memory params = IConditionalPools.PoolParams({
            metric: PositionId.wrap(positions[_sides[k][0]]),
            quote: PositionId.wrap(positions[_sides[k][1]]),
            feeBps: fee,
            start: start,
            end: end,
            twapDelay: DELAY,
            twapMaxStep: STEP
        });
        vm.prank(_actors[k]);
        (poolIds[k],) = pools.createPool(bytes32(k), params, m, q, _actors[k]);
        ends[k] = end;
        kPerShare[k] = _kPerShare(k);
        kPerShareAtCreation[k] = kPerShare[k];
    }

    // ============================================================== actions

    /// @dev A swap in flight (keeps the stack shallow).
    struct Trade {
        uint256 k;
        address a;
        bool metricIn;
        uint256 inPos;
        uint256 outPos;
        uint256 held;
        uint256 amountIn;
        uint256 quoted;
        uint256 k0;
        uint256 outBefore;
        bool open;
        uint128 obs;
        uint64 lastBlock;
    }

    function swap(uint256 actorSeed, uint256 poolSeed, bool metricIn, uint256 amountSeed) external {
        Trade memory t;
        t.k = poolSeed % NPOOL;
        t.a = _actors[actorSeed % NACT];
        t.metricIn = metricIn;
        (t.inPos, t.outPos) = metricIn ? (_sides[t.k][0], _sides[t.k][1]) : (_sides[t.k][1], _sides[t.k][0]);
        t.held = _bal(t.a, t.inPos);
        if (t.held == 0) return;
        t.amountIn = _amount(amountSeed, t.held);
        PoolId id = poolIds[t.k];
        t.open = _open(t.k);
        t.quoted = pools.quoteSwap(id, metricIn, t.amountIn);
        (uint256 rM, uint256 rQ) = _reserves(t.k);
        t.k0 = rM * rQ;
        t.outBefore = _bal(t.a, t.outPos);
        (t.obs, t.lastBlock) = pools.observation(id);
        vm.prank(t.a);
        try pools.swap(id, metricIn, t.amountIn, t.quoted, t.a) returns (uint256 out) {
            _afterSwap(t, out);
        } catch (bytes memory err) {
            ++refused[A_SWAP];
            if (t.open) return _fail("swap refused inside the window");
            _expectStateError(t.k, err);
        }
    }

    function _afterSwap(Trade memory t, uint256 out) private {
        if (!t.open) return _fail("swap accepted outside the window");
        ++ok[A_SWAP];
        if (out != t.quoted) return _fail("swap paid other than its quote");
        if (t.held - _bal(t.a, t.inPos) != t.amountIn) return _fail("swap took other than amountIn");
        if (_bal(t.a, t.outPos) - t.outBefore != out) return _fail("swap paid other than it reported");
        (uint256 rM2, uint256 rQ2) = _reserves(t.k);
        if (rM2 * rQ2 < t.k0) return _fail("k decreased across a swap");
        _checkObservation(t.k, t.obs, t.lastBlock);
        _checkKPerShare(t.k);
    }

    /// @dev A liquidity change in flight.
    struct Liq {
        uint256 k;
        address a;
        uint256 shares;
        uint256 m;
        uint256 q;
        uint256 heldM;
        uint256 heldQ;
        uint256 sharesBefore;
        bool open;
        uint128 obs;
        uint64 lastBlock;
    }

    function addLiquidity(uint256 actorSeed, uint256 poolSeed, uint256 sharesSeed) external {
        Liq memory lq;
        lq.k = poolSeed % NPOOL;
        lq.a = _actors[actorSeed % NACT];
        PoolId id = poolIds[lq.k];
        IConditionalPools.Pool memory p = pools.getPool(id);
        lq.shares = _amount(sharesSeed, p.supply);
        (lq.m, lq.q) = CpmmMath.depositFor(lq.shares, p.reserveMetric, p.reserveQuote, p.supply);
        lq.heldM = _bal(lq.a, _sides[lq.k][0]);
        lq.heldQ = _bal(lq.a, _sides[lq.k][1]);
        if (lq.m > lq.heldM || lq.q > lq.heldQ) return;
        lq.open = _open(lq.k);
        lq.sharesBefore = pools.sharesOf(id, lq.a);
        (lq.obs, lq.lastBlock) = pools.observation(id);
        vm.prank(lq.a);
        try pools.addLiquidity(id, lq.shares, lq.m, lq.q, lq.a) returns (uint256 paidM, uint256 paidQ) {
            _afterAdd(lq, paidM, paidQ);
        } catch (bytes memory err) {
            ++refused[A_ADD];
            if (lq.open) return _fail("addLiquidity refused inside the window");
            _expectStateError(lq.k, err);
        }
    }

    function _afterAdd(Liq memory lq, uint256 paidM, uint256 paidQ) private {
        if (!lq.open) return _fail("addLiquidity accepted outside the window");
        ++ok[A_ADD];
        if (paidM != lq.m || paidQ != lq.q) return _fail("addLiquidity charged other than depositFor");
        if (lq.heldM - _bal(lq.a, _sides[lq.k][0]) != lq.m || lq.heldQ - _bal(lq.a, _sides[lq.k][1]) != lq.q) {
            return _fail("addLiquidity moved other than it charged");
        }
        if (pools.sharesOf(poolIds[lq.k], lq.a) != lq.sharesBefore + lq.shares) {
            return _fail("addLiquidity credited other shares");
        }
        _checkObservation(lq.k, lq.obs, lq.lastBlock);
        _checkKPerShare(lq.k);
    }

    function removeLiquidity(uint256 actorSeed, uint256 poolSeed, uint256 sharesSeed) external {
        uint256 k = poolSeed % NPOOL;
        _remove(actorSeed % NACT, k, sharesSeed);
    }

    function poke(uint256 poolSeed) external {
        uint256 k = poolSeed % NPOOL;
        PoolId id = poolIds[k];
        bool open = _open(k);
        (uint128 obs, uint64 lastBlock) = pools.observation(id);
        try pools.poke(id) returns (bool recorded) {
            if (!open) return _fail("poke accepted outside the window");
            ++ok[A_POKE];
            if (recorded != (block.number > lastBlock)) return _fail("poke recorded other than once per block");
            _checkObservation(k, obs, lastBlock);
        } catch (bytes memory err) {
            ++refused[A_POKE];
            if (open) return _fail("poke refused inside the window");
            _expectStateError(k, err);
        }
    }

    /// @dev Time moves in blocks: 1 to 5 blocks, 1 second to 3 hours.
    function warp(uint256 secondsSeed, uint256 blocksSeed) external {
        ++ok[A_WARP];
        vm.warp(block.timestamp + _bound(secondsSeed, 1, 3 hours));
        vm.roll(block.number + _bound(blocksSeed, 1, 5));
    }

    /// @notice The end step: past every window, every holder removes all its shares.
    function removeAllAfterClose() external {
        uint256 last;
        for (uint256 k; k < NPOOL; ++k) {
            if (ends[k] > last) last = ends[k];
        }
        if (block.timestamp < last) vm.warp(last);
        vm.roll(block.number + 1);
        for (uint256 k; k < NPOOL; ++k) {
            for (uint256 h; h < NACT; ++h) {
                uint256 held = pools.sharesOf(poolIds[k], _actors[h]);
                if (held == 0) continue;
                vm.prank(_actors[h]);
                try pools.removeLiquidity(poolIds[k], held, 0, 0, _actors[h]) {
                    _checkKPerShare(k);
                } catch {
                    _fail("removal of all shares refused after close");
                }
            }
        }
    }

    // ============================================================== views

    function actor(uint256 h) external view returns (address) {
        return _actors[h];
    }

    function side(uint256 k, uint256 s) external view returns (uint256) {
        return _sides[k][s];
    }

    /// @notice k / supply^2 of pool `k` now, 1e36 fixed point, rounded down.
    function kPerShareNow(uint256 k) external view returns (uint256) {
        return _kPerShare(k);
    }

    // ============================================================== internals

    function _remove(uint256 h, uint256 k, uint256 sharesSeed) private {
        Liq memory lq;
        lq.k = k;
        lq.a = _actors[h];
        PoolId id = poolIds[k];
        lq.sharesBefore = pools.sharesOf(id, lq.a);
        if (lq.sharesBefore == 0) return;
        lq.shares = _amount(sharesSeed, lq.sharesBefore);
        IConditionalPools.Pool memory p = pools.getPool(id);
        (lq.m, lq.q) = CpmmMath.withdrawFor(lq.shares, p.reserveMetric, p.reserveQuote, p.supply);
        lq.heldM = _bal(lq.a, _sides[k][0]);
        lq.heldQ = _bal(lq.a, _sides[k][1]);
        lq.open = _open(k);
        (lq.obs, lq.lastBlock) = pools.observation(id);
        vm.prank(lq.a);
        try pools.removeLiquidity(id, lq.shares, lq.m, lq.q, lq.a) returns (uint256 gotM, uint256 gotQ) {
            _afterRemove(lq, gotM, gotQ);
        } catch {
            ++refused[A_REMOVE];
            _fail("removeLiquidity refused (it is accepted in every state)");
        }
    }

    function _afterRemove(Liq memory lq, uint256 gotM, uint256 gotQ) private {
        ++ok[A_REMOVE];
        if (gotM != lq.m || gotQ != lq.q) return _fail("removeLiquidity paid other than withdrawFor");
        if (_bal(lq.a, _sides[lq.k][0]) - lq.heldM != lq.m || _bal(lq.a, _sides[lq.k][1]) - lq.heldQ != lq.q) {
            return _fail("removeLiquidity moved other than it paid");
        }
        if (pools.sharesOf(poolIds[lq.k], lq.a) != lq.sharesBefore - lq.shares) {
            return _fail("removeLiquidity burned other shares");
        }
        (uint128 obs2, uint64 lastBlock2) = pools.observation(poolIds[lq.k]);
        if (!lq.open && (obs2 != lq.obs || lastBlock2 != lq.lastBlock)) {
            return _fail("removeLiquidity observed outside the window");
        }
        _checkObservation(lq.k, lq.obs, lq.lastBlock);
        _checkKPerShare(lq.k);
    }

    function _open(uint256 k) private view returns (bool) {
        return pools.poolState(poolIds[k]) == IConditionalPools.PoolState.Open;
    }

    function _expectStateError(uint256 k, bytes memory err) private {
        bytes memory want = abi.encodeWithSelector(
            IConditionalPools.UnexpectedPoolState.selector,
            poolIds[k],
            pools.poolState(poolIds[k]),
            IConditionalPools.PoolState.Open
        );
        if (keccak256(err) != keccak256(want)) _fail("refusal without the documented UnexpectedPoolState");
    }

    /// @dev The observation moved at most STEP, and only in a block that had none yet.
    function _checkObservation(uint256 k, uint128 obs, uint64 lastBlock) private {
        (uint128 obs2, uint64 lastBlock2) = pools.observation(poolIds[k]);
        if (lastBlock2 == lastBlock) {
            if (obs2 != obs) _fail("observation moved without a new block");
            return;
        }
        if (lastBlock >= block.number || lastBlock2 != block.number) _fail("observation recorded twice in a block");
        uint256 d = obs2 > obs ? obs2 - obs : obs - obs2;
        if (d > STEP) _fail("observation moved more than the step");
    }

    function _checkKPerShare(uint256 k) private {
        uint256 now_ = _kPerShare(k);
        if (now_ < kPerShare[k]) _fail("k / supply^2 decreased");
        kPerShare[k] = now_;
    }

    function _kPerShare(uint256 k) private view returns (uint256) {
        IConditionalPools.Pool memory p = pools.getPool(poolIds[k]);
        // reserves and supply stay below 2^100 here (ACTOR_FUNDS): the products fit.
        return Math.mulDiv(uint256(p.reserveMetric) * p.reserveQuote, 1e36, p.supply * p.supply);
    }

    function _reserves(uint256 k) private view returns (uint256, uint256) {
        IConditionalPools.Pool memory p = pools.getPool(poolIds[k]);
        return (p.reserveMetric, p.reserveQuote);
    }

    function _bal(address who, uint256 posIndex) private view returns (uint256) {
        return vault.balanceOf(who, positions[posIndex]);
    }

    /// @dev One in four draws is small (up to 10 wei), the rest up to `cap`.
    function _amount(uint256 seed, uint256 cap) private pure returns (uint256) {
        uint256 upper = seed % 4 == 0 ? 10 : cap;
        return _bound(seed >> 2, 1, upper < cap ? upper : cap);
    }

    function _fail(string memory what) internal {
        if (bytes(violation).length == 0) violation = what;
    }
}
