// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IConditionalPools} from "../interfaces/IConditionalPools.sol";
import {IOutcomeVault} from "../interfaces/IOutcomeVault.sol";
import {PoolId} from "../types/FutarchyIds.sol";
import {PositionId} from "../types/MarketIds.sol";
import {CpmmMath} from "./libraries/CpmmMath.sol";
import {TwapOracle} from "./libraries/TwapOracle.sol";

/// @title ConditionalPools
/// @notice See {IConditionalPools}.
/// @dev Storage per pool: the `Pool` record (5 slots: metric, quote, both reserves, creator | fee | end, supply),
/// the oracle (3 slots, TwapOracle; its `start` is the window's start) and the share balances. A pool exists when
/// its `end` is not zero (creation requires `end > now`). A swap reads the ids, the reserves, the fee and end slot
/// and the oracle's three slots, and writes the reserves and (in a new block) the oracle's observation and
/// cumulative: the least the design allows.
contract ConditionalPools is IConditionalPools, ReentrancyGuardTransient {
    using SafeCast for uint256;
    using TwapOracle for TwapOracle.Twap;

    /// @inheritdoc IConditionalPools
    uint256 public constant MAX_FEE_BPS = CpmmMath.MAX_FEE_BPS;
    /// @inheritdoc IConditionalPools
    uint256 public constant MINIMUM_SHARES = CpmmMath.MINIMUM_SHARES;

    /// @inheritdoc IConditionalPools
    IOutcomeVault public immutable vault;

    mapping(PoolId => Pool) private _pools;
    mapping(PoolId => TwapOracle.Twap) private _twaps;
    mapping(PoolId => mapping(address => uint256)) private _shares;

    /// @param vault_ The outcome vault whose positions the pools trade.
    constructor(IOutcomeVault vault_) {
        vault = vault_;
    }

    // ------------------------------------------------------------- lifecycle

    /// @inheritdoc IConditionalPools
    function createPool(
        bytes32 salt,
        PoolParams calldata params,
        uint128 metricAmount,
        uint128 quoteAmount,
        address lpRecipient
    ) external nonReentrant returns (PoolId poolId, uint256 shares) {
        if (lpRecipient == address(0)) revert RecipientZero();
        if (PositionId.unwrap(params.metric) == PositionId.unwrap(params.quote)) revert PositionsEqual(params.metric);
        if (params.feeBps > MAX_FEE_BPS) revert FeeTooHigh(params.feeBps, MAX_FEE_BPS);
        // A start in the past counts from now: the oracle never weighs time before the pool existed. Widened to
        // 256 bits, so the sum cannot overflow.
        uint256 start = Math.max(params.start, block.timestamp);
        if (start + params.twapDelay >= params.end) {
            revert WindowInvalid(params.start, params.end, params.twapDelay, block.timestamp);
        }
        if (metricAmount == 0 || quoteAmount == 0) revert AmountZero();
        poolId = poolIdOf(msg.sender, salt);
        Pool storage p = _pools[poolId];
        if (p.end != 0) revert PoolExists(poolId);

        uint256 supply = Math.sqrt(uint256(metricAmount) * quoteAmount); // rounds down; product < 2^256
        if (supply <= MINIMUM_SHARES) revert SeedTooSmall(supply, MINIMUM_SHARES);
        // Rounds down; reverts TwapReferencePriceZero for a price below 1 wei of WAD and SafeCast's error above
        // 2^128 - 1: a pool the oracle cannot price is refused.
        uint256 referencePrice = CpmmMath.spotPrice(metricAmount, quoteAmount);
        // start <= params.end < 2^64.
        _twaps[poolId].initialize(referencePrice.toUint128(), uint64(start), params.twapDelay, params.twapMaxStep);

        p.metric = params.metric;
        p.quote = params.quote;
        p.reserveMetric = metricAmount;
        p.reserveQuote = quoteAmount;
        p.creator = msg.sender;
        p.feeBps = params.feeBps;
        p.end = params.end;
        p.supply = supply;
        unchecked {
            shares = supply - MINIMUM_SHARES; // supply > MINIMUM_SHARES, checked above
        }
        _shares[poolId][lpRecipient] = shares;
        emit PoolCreated(
            poolId, msg.sender, salt, params, metricAmount, quoteAmount, lpRecipient, shares, referencePrice
        );

        _pull(msg.sender, params.metric, params.quote, metricAmount, quoteAmount);
    }

    // ------------------------------------------------------------- trading

    /// @inheritdoc IConditionalPools
    function swap(PoolId poolId, bool metricIn, uint256 amountIn, uint256 minAmountOut, address to)
        external
        nonReentrant
        returns (uint256 amountOut)
    {
        if (amountIn == 0) revert AmountZero();
        if (to == address(0)) revert RecipientZero();
        Pool storage p = _pools[poolId];
        TwapOracle.Twap storage o = _twaps[poolId];
        _requireOpen(poolId, o, p.end);
        uint256 rM = p.reserveMetric;
        uint256 rQ = p.reserveQuote;
        uint128 obs = _observe(o, rM, rQ);

        PositionId idIn;
        PositionId idOut;
        if (metricIn) {
            amountOut = CpmmMath.amountOut(rM, rQ, amountIn, p.feeBps); // rounds down
            if (amountOut < minAmountOut) revert SlippageExceeded(amountOut, minAmountOut);
            rM = _fit(rM + amountIn); // both < 2^128: no overflow in 256 bits
            unchecked {
                rQ -= amountOut; // amountOut < rQ (CpmmMath)
            }
            (idIn, idOut) = (p.metric, p.quote);
        } else {
            amountOut = CpmmMath.amountOut(rQ, rM, amountIn, p.feeBps); // rounds down
            if (amountOut < minAmountOut) revert SlippageExceeded(amountOut, minAmountOut);
            rQ = _fit(rQ + amountIn); // both < 2^128: no overflow in 256 bits
            unchecked {
                rM -= amountOut; // amountOut < rM (CpmmMath)
            }
            (idIn, idOut) = (p.quote, p.metric);
        }
        // Both fit in 128 bits: rM and rQ came from uint128 storage and only grew through `_fit`.
        p.reserveMetric = uint128(rM);
        p.reserveQuote = uint128(rQ);
        emit Swapped(poolId, msg.sender, to, metricIn, amountIn, amountOut, uint128(rM), uint128(rQ), obs);

        vault.safeTransferFrom(msg.sender, address(this), PositionId.unwrap(idIn), amountIn, "");
        vault.safeTransferFrom(address(this), to, PositionId.unwrap(idOut), amountOut, "");
    }

    /// @inheritdoc IConditionalPools
    function addLiquidity(PoolId poolId, uint256 shares, uint256 maxMetric, uint256 maxQuote, address to)
        external
        nonReentrant
        returns (uint256 metricAmount, uint256 quoteAmount)
    {
        if (shares == 0) revert AmountZero();
        if (to == address(0)) revert RecipientZero();
        Pool storage p = _pools[poolId];
        TwapOracle.Twap storage o = _twaps[poolId];
        _requireOpen(poolId, o, p.end);
        uint256 rM = p.reserveMetric;
        uint256 rQ = p.reserveQuote;
        _observe(o, rM, rQ);

        uint256 supply = p.supply;
        (metricAmount, quoteAmount) = CpmmMath.depositFor(shares, rM, rQ, supply); // each rounds up
        if (metricAmount > maxMetric) revert DepositAboveMax(metricAmount, maxMetric);
        if (quoteAmount > maxQuote) revert DepositAboveMax(quoteAmount, maxQuote);
        // Every term < 2^128 (CpmmMath checks shares and supply): no overflow in 256 bits.
        p.reserveMetric = uint128(_fit(rM + metricAmount));
        p.reserveQuote = uint128(_fit(rQ + quoteAmount));
        p.supply = _fit(supply + shares);
        _shares[poolId][to] += shares; // at most the supply, which fits
        emit LiquidityAdded(poolId, msg.sender, to, shares, metricAmount, quoteAmount);

        _pull(msg.sender, p.metric, p.quote, metricAmount, quoteAmount);
    }

    /// @inheritdoc IConditionalPools
    function removeLiquidity(PoolId poolId, uint256 shares, uint256 minMetric, uint256 minQuote, address to)
        external
        nonReentrant
        returns (uint256 metricAmount, uint256 quoteAmount)
    {
        if (shares == 0) revert AmountZero();
        if (to == address(0)) revert RecipientZero();
        Pool storage p = _pools[poolId];
        TwapOracle.Twap storage o = _twaps[poolId];
        PoolState current = _state(o, p.end);
        if (current == PoolState.None) revert PoolUnknown(poolId);
        _burnShares(poolId, shares);
        uint256 rM = p.reserveMetric;
        uint256 rQ = p.reserveQuote;
        // The oracle is frozen outside the window; a removal there records nothing.
        if (current == PoolState.Open) _observe(o, rM, rQ);

        uint256 supply = p.supply;
        // Each rounds down. shares <= balance <= supply - MINIMUM_SHARES < supply, so each amount is below its
        // reserve and neither reserve reaches zero.
        (metricAmount, quoteAmount) = CpmmMath.withdrawFor(shares, rM, rQ, supply);
        if (metricAmount < minMetric) revert SlippageExceeded(metricAmount, minMetric);
        if (quoteAmount < minQuote) revert SlippageExceeded(quoteAmount, minQuote);
        unchecked {
            // Below the reserves and the supply, as above.
            p.reserveMetric = uint128(rM - metricAmount);
            p.reserveQuote = uint128(rQ - quoteAmount);
            p.supply = supply - shares;
        }
        emit LiquidityRemoved(poolId, msg.sender, to, shares, metricAmount, quoteAmount);

        _pay(to, p.metric, p.quote, metricAmount, quoteAmount);
    }

    /// @inheritdoc IConditionalPools
    function poke(PoolId poolId) external nonReentrant returns (bool recorded) {
        Pool storage p = _pools[poolId];
        TwapOracle.Twap storage o = _twaps[poolId];
        _requireOpen(poolId, o, p.end);
        recorded = o.update(CpmmMath.spotPrice(p.reserveMetric, p.reserveQuote));
        if (recorded) emit Observed(poolId, o.observation);
    }

    // ------------------------------------------------------------- ERC-1155 receiver

    /// @notice Accepts positions only when this contract pulls them from the vault.
    /// @dev Reverts `TransferUnsolicited` for any other transfer, so no position can be stranded here.
    function onERC1155Received(address operator, address from, uint256, uint256, bytes calldata)
        external
        view
        returns (bytes4)
    {
        _requireSolicited(operator, from);
        return IERC1155Receiver.onERC1155Received.selector;
    }

    /// @notice Accepts positions only when this contract pulls them from the vault.
    /// @dev Reverts `TransferUnsolicited` for any other transfer.
    function onERC1155BatchReceived(address operator, address from, uint256[] calldata, uint256[] calldata, bytes calldata)
        external
        view
        returns (bytes4)
    {
        _requireSolicited(operator, from);
        return IERC1155Receiver.onERC1155BatchReceived.selector;
    }

    /// @notice ERC-165: the pools contract is an ERC-1155 receiver.
    /// @param interfaceId The interface asked about.
    /// @return Whether it is IERC1155Receiver or IERC165.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    // ------------------------------------------------------------- views

    /// @inheritdoc IConditionalPools
    function quoteSwap(PoolId poolId, bool metricIn, uint256 amountIn) external view returns (uint256 amountOut) {
        Pool storage p = _requireExists(poolId);
        (uint256 rIn, uint256 rOut) = _sides(p, metricIn);
        return CpmmMath.amountOut(rIn, rOut, amountIn, p.feeBps); // rounds down
    }

    /// @inheritdoc IConditionalPools
    function quoteSwapExactOut(PoolId poolId, bool metricIn, uint256 amountOut)
        external
        view
        returns (uint256 amountIn)
    {
        Pool storage p = _requireExists(poolId);
        (uint256 rIn, uint256 rOut) = _sides(p, metricIn);
        return CpmmMath.amountIn(rIn, rOut, amountOut, p.feeBps); // rounds up
    }

    /// @inheritdoc IConditionalPools
    function spotPrice(PoolId poolId) external view returns (uint256) {
        Pool storage p = _requireExists(poolId);
        return CpmmMath.spotPrice(p.reserveMetric, p.reserveQuote); // rounds down
    }

    /// @inheritdoc IConditionalPools
    function twap(PoolId poolId) external view returns (uint256) {
        uint64 end = _requireExists(poolId).end;
        // Every update happened before `end` (only Open pools record), so min(now, end) >= lastTime once time
        // counts; before that TwapOracle reverts TwapNoCountedTime.
        uint64 time = block.timestamp < end ? uint64(block.timestamp) : end;
        return TwapOracle.twapAt(_twaps[poolId], time);
    }

    /// @inheritdoc IConditionalPools
    function observation(PoolId poolId) external view returns (uint128, uint64) {
        _requireExists(poolId);
        TwapOracle.Twap storage o = _twaps[poolId];
        return (o.observation, o.lastBlock);
    }

    /// @inheritdoc IConditionalPools
    function getPool(PoolId poolId) external view returns (Pool memory) {
        return _pools[poolId];
    }

    /// @inheritdoc IConditionalPools
    function poolState(PoolId poolId) external view returns (PoolState) {
        return _state(_twaps[poolId], _pools[poolId].end);
    }

    /// @inheritdoc IConditionalPools
    function sharesOf(PoolId poolId, address account) external view returns (uint256) {
        return _shares[poolId][account];
    }

    /// @inheritdoc IConditionalPools
    function poolIdOf(address creator, bytes32 salt) public pure returns (PoolId) {
        return PoolId.wrap(keccak256(abi.encode(creator, salt)));
    }

    // ------------------------------------------------------------- internals

    /// @dev None when unknown (`end == 0`: creation requires `end > now`); Pending while `now < start`; Open while
    /// `start <= now < end`; Closed from `end` on. Every second belongs to exactly one state.
    function _state(TwapOracle.Twap storage o, uint64 end) private view returns (PoolState) {
        if (end == 0) return PoolState.None;
        if (block.timestamp >= end) return PoolState.Closed;
        return block.timestamp < o.start ? PoolState.Pending : PoolState.Open;
    }

    /// @dev Reverts `PoolUnknown` for an unknown pool and `UnexpectedPoolState(id, current, Open)` outside the window.
    function _requireOpen(PoolId poolId, TwapOracle.Twap storage o, uint64 end) private view {
        PoolState current = _state(o, end);
        if (current == PoolState.Open) return;
        if (current == PoolState.None) revert PoolUnknown(poolId);
        revert UnexpectedPoolState(poolId, current, PoolState.Open);
    }

    function _requireExists(PoolId poolId) private view returns (Pool storage p) {
        p = _pools[poolId];
        if (p.end == 0) revert PoolUnknown(poolId);
    }

    /// @dev Records an observation from the reserves as they stand (at most one per block) and returns the
    /// observation in effect after it. In a block that has one already, `update` would record nothing: skipping
    /// it there saves the price and the cold read of the cumulative slot (observation and lastBlock share a slot).
    function _observe(TwapOracle.Twap storage o, uint256 rM, uint256 rQ) private returns (uint128) {
        if (block.number > o.lastBlock) o.update(CpmmMath.spotPrice(rM, rQ));
        return o.observation;
    }

    /// @dev The reserves as (in, out) of a swap.
    function _sides(Pool storage p, bool metricIn) private view returns (uint256, uint256) {
        return metricIn ? (p.reserveMetric, p.reserveQuote) : (p.reserveQuote, p.reserveMetric);
    }

    /// @dev `x` unchanged, or `CpmmAmountTooLarge` when it does not fit a reserve or supply (128 bits).
    function _fit(uint256 x) private pure returns (uint256) {
        if (x > CpmmMath.MAX_AMOUNT) revert CpmmMath.CpmmAmountTooLarge(x, CpmmMath.MAX_AMOUNT);
        return x;
    }

    /// @dev Pulls both sides from `from` in one batch transfer (this contract as operator).
    function _pull(address from, PositionId metric, PositionId quote, uint256 metricAmount, uint256 quoteAmount)
        private
    {
        (uint256[] memory ids, uint256[] memory amounts) = _pair(metric, quote, metricAmount, quoteAmount);
        vault.safeBatchTransferFrom(from, address(this), ids, amounts, "");
    }

    /// @dev Pays both sides to `to` in one batch transfer.
    function _pay(address to, PositionId metric, PositionId quote, uint256 metricAmount, uint256 quoteAmount)
        private
    {
        (uint256[] memory ids, uint256[] memory amounts) = _pair(metric, quote, metricAmount, quoteAmount);
        vault.safeBatchTransferFrom(address(this), to, ids, amounts, "");
    }

    function _pair(PositionId metric, PositionId quote, uint256 metricAmount, uint256 quoteAmount)
        private
        pure
        returns (uint256[] memory ids, uint256[] memory amounts)
    {
        ids = new uint256[](2);
        amounts = new uint256[](2);
        (ids[0], ids[1]) = (PositionId.unwrap(metric), PositionId.unwrap(quote));
        (amounts[0], amounts[1]) = (metricAmount, quoteAmount);
    }

    /// @dev Debits `shares` from the caller's balance, or reverts `SharesInsufficient`.
    function _burnShares(PoolId poolId, uint256 shares) private {
        uint256 balance = _shares[poolId][msg.sender];
        if (balance < shares) revert SharesInsufficient(poolId, msg.sender, balance, shares);
        unchecked {
            _shares[poolId][msg.sender] = balance - shares; // checked above
        }
    }

    /// @dev Only the vault, moving positions with this contract as operator from someone else (a pull this contract
    /// started). A payment to itself (`to` = this contract in a swap or removal) has `from` = this contract and is
    /// refused: the positions would be held without being booked in any reserve.
    function _requireSolicited(address operator, address from) private view {
        if (msg.sender != address(vault) || operator != address(this) || from == address(this)) {
            revert TransferUnsolicited(operator, msg.sender);
        }
    }
}
