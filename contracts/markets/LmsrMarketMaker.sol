// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {ILmsrMarketMaker} from "../interfaces/ILmsrMarketMaker.sol";
import {IMarketGate} from "../interfaces/IMarketGate.sol";
import {IOutcomeVault} from "../interfaces/IOutcomeVault.sol";
import {ConditionId, PositionId} from "../types/MarketIds.sol";
import {ExactTransfer} from "../utils/ExactTransfer.sol";
import {LmsrMath} from "./LmsrMath.sol";
import {PositionIds} from "./PositionIds.sol";

/// @title LmsrMarketMaker
/// @notice See {ILmsrMarketMaker}.
contract LmsrMarketMaker is ILmsrMarketMaker, IERC1155Receiver, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @inheritdoc ILmsrMarketMaker
    uint256 public constant MAX_FEE_BPS = 1_000;
    uint256 private constant _BPS = 10_000;

    /// @inheritdoc ILmsrMarketMaker
    IOutcomeVault public immutable vault;

    /// @dev `Market` as stored: the maker's inventory per outcome (`sets - sold[j]`, what it holds of outcome `j`)
    /// instead of `sold`, so the slot starts non-zero at creation (the subsidy) and a market's first trade
    /// rewrites it rather than filling an empty slot. Views rebuild `sold`.
    struct StoredMarket {
        IERC20 collateral;
        uint8 outcomeCount;
        uint16 feeBps;
        bool withdrawn;
        IMarketGate gate;
        uint96 liquidity;
        address sponsor;
        uint128 cash;
        uint128 sets;
        uint128[8] inventory;
    }

    mapping(ConditionId => StoredMarket) private _markets;

    /// @param vault_ The outcome vault whose positions the markets trade.
    constructor(IOutcomeVault vault_) {
        vault = vault_;
    }

    // ------------------------------------------------------------- lifecycle

    /// @inheritdoc ILmsrMarketMaker
    function createMarket(
        ConditionId conditionId,
        IERC20 collateral,
        uint128 liquidity,
        uint16 feeBps,
        address sponsor,
        IMarketGate gate
    ) external nonReentrant returns (uint256 subsidy) {
        StoredMarket storage m = _markets[conditionId];
        if (address(m.collateral) != address(0)) {
            revert UnexpectedMarketState(conditionId, _state(conditionId, m), MarketState.None);
        }
        IOutcomeVault.Condition memory c = vault.getCondition(conditionId);
        if (c.oracle != msg.sender) revert MarketCreatorNotOracle(conditionId, msg.sender, c.oracle);
        // A condition with an oracle is Prepared or Resolved; a market only opens on an unresolved one.
        if (c.payoutDenominator != 0) {
            revert IOutcomeVault.UnexpectedConditionState(
                conditionId, IOutcomeVault.ConditionState.Resolved, IOutcomeVault.ConditionState.Prepared
            );
        }
        if (feeBps > MAX_FEE_BPS) revert MarketFeeTooHigh(feeBps, MAX_FEE_BPS);
        // The maker as sponsor could never call `withdraw`: its subsidy, fees and inventory would be locked.
        if (sponsor == address(0) || sponsor == address(this)) revert MarketSponsorInvalid(sponsor);
        if (address(collateral) == address(0)) revert TokenTransferMismatch(collateral, 1, 0);
        // Reverts LmsrLiquidityOutOfRange for b == 0 or b > 2^128 - 1 (the count is 2..8, the vault's bound).
        subsidy = LmsrMath.subsidy(liquidity, c.outcomeCount);

        m.collateral = collateral;
        m.outcomeCount = c.outcomeCount;
        m.feeBps = feeBps;
        m.gate = gate;
        m.sponsor = sponsor;
        m.liquidity = uint256(liquidity).toUint96();
        // The whole subsidy becomes inventory: `subsidy` full sets, so trades up to that size neither split
        // nor merge, and the maker's balance slots are never emptied and refilled.
        uint128 sets = subsidy.toUint128();
        m.sets = sets;
        for (uint256 j; j < c.outcomeCount; ++j) {
            m.inventory[j] = sets;
        }
        emit MarketCreated(conditionId, collateral, sponsor, gate, liquidity, feeBps, subsidy);

        ExactTransfer.pullExact(collateral, msg.sender, subsidy);
        // The vault pulls collateral from the maker on every split; one standing approval per token.
        if (collateral.allowance(address(this), address(vault)) < type(uint128).max) {
            collateral.forceApprove(address(vault), type(uint256).max);
        }
        vault.split(collateral, PositionId.wrap(0), conditionId, subsidy);
    }

    /// @inheritdoc ILmsrMarketMaker
    function buy(
        ConditionId conditionId,
        uint256 outcome,
        uint256 amount,
        uint256 maxCost,
        uint256 deadline,
        address recipient
    ) external nonReentrant returns (uint256 cost) {
        StoredMarket storage m = _requireTradable(conditionId, outcome, amount, deadline, recipient, true);
        (uint256 lmsrCost, uint256 fee) = _quoteBuy(m, outcome, amount);
        cost = lmsrCost + fee;
        if (cost > maxCost) revert TradeMaxCostExceeded(cost, maxCost);

        uint256 shortfall = _bookBuy(m, outcome, amount, cost);
        emit SharesBought(conditionId, msg.sender, recipient, outcome, amount, lmsrCost, fee);
        _settleBuy(m.collateral, conditionId, outcome, amount, shortfall, cost, recipient);
    }

    /// @inheritdoc ILmsrMarketMaker
    function sell(
        ConditionId conditionId,
        uint256 outcome,
        uint256 amount,
        uint256 minProceeds,
        uint256 deadline,
        address recipient
    ) external nonReentrant returns (uint256 proceeds) {
        StoredMarket storage m = _requireTradable(conditionId, outcome, amount, deadline, recipient, false);
        uint256 fee;
        (proceeds, fee) = _quoteSale(m, outcome, amount);
        if (proceeds < minProceeds) revert TradeMinProceedsNotMet(proceeds, minProceeds);

        // Effects. amount <= sold[outcome] = sets - inventory[outcome] was checked by sellReturn.
        m.inventory[outcome] += uint128(amount);
        uint256 merged = _bookSale(m, proceeds);
        emit SharesSold(conditionId, msg.sender, recipient, outcome, amount, proceeds, fee);

        _settleSale(m.collateral, conditionId, outcome, amount, merged, proceeds, recipient);
    }

    /// @inheritdoc ILmsrMarketMaker
    function withdraw(ConditionId conditionId, address to) external nonReentrant returns (uint256 amount) {
        StoredMarket storage m = _markets[conditionId];
        MarketState current = _state(conditionId, m);
        if (current != MarketState.Resolved) {
            revert UnexpectedMarketState(conditionId, current, MarketState.Resolved);
        }
        if (msg.sender != m.sponsor) revert MarketCallerNotSponsor(conditionId, msg.sender, m.sponsor);
        if (to == address(0)) revert TradeRecipientZero();
        if (to == address(this)) revert TradeRecipientIsMaker();
        uint256 cash = m.cash;
        bool holdsPositions = m.sets != 0;
        // `sets` and the inventory stay as the record of the final quantities sold (views report `sets` as 0
        // once withdrawn); the vault burns the whole inventory below.
        m.withdrawn = true;
        m.cash = 0;

        IERC20 collateral = m.collateral;
        // Burns the maker's whole inventory of this condition (it holds positions of no one else's).
        uint256 redeemed = holdsPositions ? vault.redeem(collateral, PositionId.wrap(0), conditionId) : 0;
        amount = cash + redeemed;
        emit MarketWithdrawn(conditionId, msg.sender, to, amount);
        if (amount != 0) collateral.safeTransfer(to, amount);
    }

    // ------------------------------------------------------------- ERC-1155 receiver

    /// @notice Accepts positions only when the maker itself moves them (a sale's pull or a split's mint).
    /// @dev Reverts `MarketUnsolicitedPositions` for any other transfer, so no position is stranded here.
    function onERC1155Received(address operator, address from, uint256, uint256, bytes calldata)
        external
        view
        returns (bytes4)
    {
        _requireSolicited(operator, from);
        return IERC1155Receiver.onERC1155Received.selector;
    }

    /// @notice Accepts positions only when the maker itself moves them (a split's mint).
    /// @dev Reverts `MarketUnsolicitedPositions` for any other transfer.
    function onERC1155BatchReceived(address operator, address from, uint256[] calldata, uint256[] calldata, bytes calldata)
        external
        view
        returns (bytes4)
    {
        _requireSolicited(operator, from);
        return IERC1155Receiver.onERC1155BatchReceived.selector;
    }

    /// @notice ERC-165: the maker is an ERC-1155 receiver.
    /// @param interfaceId The interface asked about.
    /// @return Whether it is IERC1155Receiver or IERC165.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    // ------------------------------------------------------------- views

    /// @inheritdoc ILmsrMarketMaker
    function quoteBuy(ConditionId conditionId, uint256 outcome, uint256 amount)
        external
        view
        returns (uint256 cost, uint256 fee)
    {
        (cost, fee) = _quoteBuy(_requireState(conditionId, MarketState.Open), outcome, amount);
    }

    /// @inheritdoc ILmsrMarketMaker
    function quoteSell(ConditionId conditionId, uint256 outcome, uint256 amount)
        external
        view
        returns (uint256 proceeds, uint256 fee)
    {
        (proceeds, fee) = _quoteSale(_requireState(conditionId, MarketState.Open), outcome, amount);
    }

    /// @inheritdoc ILmsrMarketMaker
    function prices(ConditionId conditionId) external view returns (uint256[] memory) {
        StoredMarket storage m = _markets[conditionId];
        if (address(m.collateral) == address(0)) {
            revert UnexpectedMarketState(conditionId, MarketState.None, MarketState.Open);
        }
        return LmsrMath.prices(_quantities(m), m.liquidity);
    }

    /// @inheritdoc ILmsrMarketMaker
    function getMarket(ConditionId conditionId) external view returns (Market memory market) {
        StoredMarket storage m = _markets[conditionId];
        market.collateral = m.collateral;
        market.outcomeCount = m.outcomeCount;
        market.feeBps = m.feeBps;
        market.withdrawn = m.withdrawn;
        market.gate = m.gate;
        market.liquidity = m.liquidity;
        market.sponsor = m.sponsor;
        market.cash = m.cash;
        // After withdrawal the maker holds nothing: no sets, while `sold` keeps the final quantities.
        market.sets = m.withdrawn ? 0 : m.sets;
        uint256 n = m.outcomeCount;
        for (uint256 j; j < n; ++j) {
            market.sold[j] = m.sets - m.inventory[j];
        }
    }

    /// @inheritdoc ILmsrMarketMaker
    function marketState(ConditionId conditionId) external view returns (MarketState) {
        return _state(conditionId, _markets[conditionId]);
    }

    // ------------------------------------------------------------- internals

    /// @dev Checks shared by buy and sell; returns the market. The gate is asked last (an external view call).
    function _requireTradable(
        ConditionId conditionId,
        uint256 outcome,
        uint256 amount,
        uint256 deadline,
        address recipient,
        bool isBuy
    ) private view returns (StoredMarket storage m) {
        // Included at second `deadline` is allowed; from `deadline + 1` on the trade is refused.
        if (block.timestamp > deadline) revert TradeDeadlinePassed(deadline, block.timestamp);
        if (amount == 0) revert TradeAmountZero();
        if (recipient == address(0)) revert TradeRecipientZero();
        // Shares or proceeds sent to the maker itself would sit outside every market's books for good.
        if (recipient == address(this)) revert TradeRecipientIsMaker();
        m = _requireState(conditionId, MarketState.Open);
        if (outcome >= m.outcomeCount) revert LmsrMath.LmsrOutcomeOutOfRange(outcome, m.outcomeCount);
        IMarketGate gate = m.gate;
        if (address(gate) != address(0)) gate.checkTrade(conditionId, msg.sender, recipient, outcome, isBuy);
    }

    function _requireState(ConditionId conditionId, MarketState allowed) private view returns (StoredMarket storage m) {
        m = _markets[conditionId];
        MarketState current = _state(conditionId, m);
        if (current != allowed) revert UnexpectedMarketState(conditionId, current, allowed);
    }

    function _state(ConditionId conditionId, StoredMarket storage m) private view returns (MarketState) {
        if (address(m.collateral) == address(0)) return MarketState.None;
        if (m.withdrawn) return MarketState.Withdrawn;
        return vault.conditionState(conditionId) == IOutcomeVault.ConditionState.Resolved
            ? MarketState.Resolved
            : MarketState.Open;
    }

    /// @dev A buy's LMSR cost (rounded up) and fee (rounded up).
    function _quoteBuy(StoredMarket storage m, uint256 outcome, uint256 amount)
        private
        view
        returns (uint256 lmsrCost, uint256 fee)
    {
        // Reverts LmsrQuantityTooLarge when sold[outcome] + amount > MAX_QUANTITY, LmsrOutcomeOutOfRange.
        lmsrCost = LmsrMath.buyCost(_quantities(m), m.liquidity, outcome, amount);
        fee = _fee(lmsrCost, m.feeBps);
    }

    /// @dev Books a buy of `amount` shares of `outcome` paid `cost`; returns the collateral to split into full
    /// sets first when the maker holds fewer than `amount` of the outcome.
    function _bookBuy(StoredMarket storage m, uint256 outcome, uint256 amount, uint256 cost)
        private
        returns (uint256 shortfall)
    {
        uint256 held = m.inventory[outcome];
        uint256 cash = m.cash + cost;
        if (held < amount) {
            shortfall = amount - held;
            // LMSR solvency (cash + sets >= max_j sold_j, rounding in the market's favour) makes this hold; a
            // violation would be a bug, so the checked subtraction reverts rather than under-collateralises.
            cash -= shortfall;
            // sold[outcome] + amount <= MAX_QUANTITY (2^128 - 1) was checked by buyCost, and sets = sold + held.
            m.sets = uint128(m.sets + shortfall);
            _addToInventory(m, shortfall);
            held = amount;
        }
        m.inventory[outcome] = uint128(held - amount);
        m.cash = cash.toUint128();
    }

    /// @dev A sale's proceeds (the LMSR return rounded down, less the fee rounded up) and fee.
    function _quoteSale(StoredMarket storage m, uint256 outcome, uint256 amount)
        private
        view
        returns (uint256 proceeds, uint256 fee)
    {
        // Reverts LmsrSellExceedsOutstanding when amount > sold[outcome], LmsrOutcomeOutOfRange for a bad outcome.
        uint256 lmsrReturn = LmsrMath.sellReturn(_quantities(m), m.liquidity, outcome, amount);
        fee = _fee(lmsrReturn, m.feeBps);
        // The fee is at most MAX_FEE_BPS of the return (rounded up, still <= the return): no underflow.
        proceeds = lmsrReturn - fee;
    }

    /// @dev Pays `proceeds` out of the market's cash, merging full sets first when the cash is short; returns
    /// the number of sets to merge.
    function _bookSale(StoredMarket storage m, uint256 proceeds) private returns (uint256 merged) {
        uint256 cash = m.cash;
        merged = proceeds > cash ? proceeds - cash : 0;
        if (merged != 0) {
            // Solvency after the sale gives min_j inventory[j] = sets - max_j sold_j >= merged: the maker holds
            // `merged` of every outcome. A violation would be a bug: the checked subtractions revert.
            m.sets -= uint128(merged);
            uint256 n = m.outcomeCount;
            for (uint256 j; j < n; ++j) {
                m.inventory[j] -= uint128(merged);
            }
            cash += merged;
        }
        m.cash = uint128(cash - proceeds);
    }

    /// @dev A split of `amount` full sets adds `amount` of every outcome to the inventory (at most 8).
    function _addToInventory(StoredMarket storage m, uint256 amount) private {
        uint256 n = m.outcomeCount;
        for (uint256 j; j < n; ++j) {
            // inventory[j] <= sets, and sets + amount fits uint128 (checked by the caller's cast).
            m.inventory[j] = uint128(m.inventory[j] + amount);
        }
    }

    /// @dev A buy's interactions: collateral in, split the shortfall, shares out (the recipient's hook runs last).
    function _settleBuy(
        IERC20 collateral,
        ConditionId conditionId,
        uint256 outcome,
        uint256 amount,
        uint256 shortfall,
        uint256 cost,
        address recipient
    ) private {
        ExactTransfer.pullExact(collateral, msg.sender, cost);
        if (shortfall != 0) vault.split(collateral, PositionId.wrap(0), conditionId, shortfall);
        vault.safeTransferFrom(address(this), recipient, _positionOf(collateral, conditionId, outcome), amount, "");
    }

    /// @dev A sale's interactions: shares in, merge what cash lacks, collateral out.
    function _settleSale(
        IERC20 collateral,
        ConditionId conditionId,
        uint256 outcome,
        uint256 amount,
        uint256 merged,
        uint256 proceeds,
        address recipient
    ) private {
        vault.safeTransferFrom(msg.sender, address(this), _positionOf(collateral, conditionId, outcome), amount, "");
        if (merged != 0) vault.merge(collateral, PositionId.wrap(0), conditionId, merged);
        if (proceeds != 0) collateral.safeTransfer(recipient, proceeds);
    }

    /// @dev The id of outcome `outcome` of `conditionId` on `collateral` (top-level position).
    function _positionOf(IERC20 collateral, ConditionId conditionId, uint256 outcome) private pure returns (uint256) {
        return PositionIds.compute(collateral, PositionId.wrap(0), conditionId, outcome);
    }

    /// @dev The stored `sold` vector as LmsrMath's `q` (at most 8 entries).
    function _quantities(StoredMarket storage m) private view returns (uint256[] memory q) {
        uint256 n = m.outcomeCount;
        q = new uint256[](n);
        for (uint256 j; j < n; ++j) {
            q[j] = m.sets - m.inventory[j]; // inventory[j] <= sets always
        }
    }

    /// @dev The fee on `amount`, rounded up (against the trader).
    function _fee(uint256 amount, uint256 feeBps) private pure returns (uint256) {
        return Math.mulDiv(amount, feeBps, _BPS, Math.Rounding.Ceil);
    }

    function _requireSolicited(address operator, address from) private view {
        if (operator != address(this) || msg.sender != address(vault)) revert MarketUnsolicitedPositions(operator, from);
    }

}
