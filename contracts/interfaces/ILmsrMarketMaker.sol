// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IMarketGate} from "./IMarketGate.sol";
import {IOutcomeVault} from "./IOutcomeVault.sol";
import {ConditionId} from "../types/MarketIds.sol";

/// @title ILmsrMarketMaker
/// @notice One automated market per outcome-vault condition, priced by Hanson's logarithmic market scoring rule
/// (LMSR) with liquidity `b`. A single contract holds every market; a market is named by its condition id.
///
/// Lifecycle, derived by `marketState`: None -> Open (created by the condition's oracle, which funds the subsidy
/// `b * ln(n)` from the sponsor) -> Resolved (the vault holds the condition's payouts) -> Withdrawn (the sponsor
/// took what is left, fees included). Trades are accepted while Open and while the market's gate (if any) lets
/// them through; the gate is how an oracle closes trading when resolution starts.
///
/// Inventory: the maker sells outcome-`i` shares it holds as vault positions. At creation it splits the whole
/// subsidy into full sets. A buy of `amount` shares of `i` costs `C(q + amount * e_i) - C(q)` plus the fee, which
/// the maker keeps as cash; when it holds fewer than `amount` shares of `i` it splits the shortfall of its cash
/// into full sets first. A sale returns `C(q) - C(q - amount * e_i)` less the
/// fee, merging full sets back into collateral when its cash is short. Cost differences round in the market's
/// favour (`LmsrMath.buyCost` / `sellReturn`) and fees round up, so for every outcome `j` the maker can always pay
/// `sold[j]` shares and its sponsor's loss never exceeds the subsidy `b * ln(n)`.
///
/// Traders approve the maker for collateral (buys) and call `IOutcomeVault.setApprovalForAll(maker, true)` (sales).
/// The maker only accepts ERC-1155 positions it pulls itself (sales) or mints itself (splits): direct transfers to
/// it revert, so no position can be stranded in it. Token assumptions are the vault's (exact transfers, no rebase).
interface ILmsrMarketMaker {
    /// @notice Where a market stands. `None` for unknown conditions.
    enum MarketState {
        None,
        Open,
        Resolved,
        Withdrawn
    }

    /// @notice A market as stored: 4 slots and one per two outcomes. A trade reads the first, second and fourth
    /// (`cash` and `sets` share the slot a trade writes) and the `sold` slot it changes.
    /// @param collateral The ERC-20 the market trades against (the vault positions' collateral).
    /// @param outcomeCount The condition's number of outcomes.
    /// @param feeBps Trading fee in basis points of the LMSR cost (buys) or return (sales).
    /// @param withdrawn Whether the sponsor has withdrawn.
    /// @param gate Asked before every trade; `address(0)` for none.
    /// @param sponsor Funded the subsidy; withdraws what is left after resolution.
    /// @param liquidity The LMSR `b`, in collateral units.
    /// @param cash Collateral the maker holds for this market (not split into positions).
    /// @param sets Full sets the maker has split for this market and not merged back; it holds `sets - sold[j]`
    /// shares of every outcome `j`.
    /// @param sold The LMSR `q`: outcome shares sold to traders and not sold back, per outcome.
    struct Market {
        IERC20 collateral;
        uint8 outcomeCount;
        uint16 feeBps;
        bool withdrawn;
        IMarketGate gate;
        uint96 liquidity;
        address sponsor;
        uint128 cash;
        uint128 sets;
        uint128[8] sold;
    }

    /// @notice Emitted when the oracle of `conditionId` opens its market, funded with `subsidy` (`b * ln(n)` rounded
    /// up, `LmsrMath.subsidy`) for `sponsor`.
    event MarketCreated(
        ConditionId indexed conditionId,
        IERC20 indexed collateral,
        address indexed sponsor,
        IMarketGate gate,
        uint256 liquidity,
        uint256 feeBps,
        uint256 subsidy
    );

    /// @notice Emitted when `trader` buys `amount` outcome-`outcome` shares for `recipient`, paying `cost` plus
    /// `fee`.
    event SharesBought(
        ConditionId indexed conditionId,
        address indexed trader,
        address recipient,
        uint256 indexed outcome,
        uint256 amount,
        uint256 cost,
        uint256 fee
    );

    /// @notice Emitted when `trader` sells `amount` outcome-`outcome` shares back; `recipient` receives `proceeds`
    /// (the LMSR return less `fee`).
    event SharesSold(
        ConditionId indexed conditionId,
        address indexed trader,
        address recipient,
        uint256 indexed outcome,
        uint256 amount,
        uint256 proceeds,
        uint256 fee
    );

    /// @notice Emitted when the sponsor withdraws `amount` of collateral (cash plus redeemed inventory) to `to`.
    event MarketWithdrawn(ConditionId indexed conditionId, address indexed sponsor, address to, uint256 amount);

    /// @notice `conditionId`'s market is in state `current`, not `allowed`.
    error UnexpectedMarketState(ConditionId conditionId, MarketState current, MarketState allowed);
    /// @notice Only the condition's oracle (`oracle`) may open its market; `caller` is not it.
    error MarketCreatorNotOracle(ConditionId conditionId, address caller, address oracle);
    /// @notice The fee is above `MAX_FEE_BPS`.
    error MarketFeeTooHigh(uint256 feeBps, uint256 max);
    /// @notice The sponsor is the zero address or the maker itself (which could never withdraw).
    error MarketSponsorInvalid(address sponsor);
    /// @notice A trade of zero shares.
    error TradeAmountZero();
    /// @notice A trade sent at or after `now` with `deadline` in the past (`deadline < now`).
    error TradeDeadlinePassed(uint256 deadline, uint256 now_);
    /// @notice A buy would cost `cost` (fee included), above the buyer's `maxCost`.
    error TradeMaxCostExceeded(uint256 cost, uint256 maxCost);
    /// @notice A sale would return `proceeds` (after the fee), below the seller's `minProceeds`.
    error TradeMinProceedsNotMet(uint256 proceeds, uint256 minProceeds);
    /// @notice The recipient of bought shares or proceeds is the zero address.
    error TradeRecipientZero();
    /// @notice The recipient of bought shares, proceeds or a withdrawal is the maker itself, where they would be
    /// stranded outside every market's books.
    error TradeRecipientIsMaker();
    /// @notice `caller` is not the market's sponsor (`sponsor`).
    error MarketCallerNotSponsor(ConditionId conditionId, address caller, address sponsor);
    /// @notice The maker takes ERC-1155 positions only from its own pulls and splits; `operator` sent some directly.
    error MarketUnsolicitedPositions(address operator, address from);
    /// @notice An ERC-20 transfer in delivered `received`, not the `expected` amount.
    error TokenTransferMismatch(IERC20 token, uint256 expected, uint256 received);

    /// @notice Opens the market of a condition the caller is the oracle of, pulling the subsidy from the caller.
    /// @dev The subsidy is `LmsrMath.subsidy(liquidity, outcomeCount)` (`b * ln(n)` rounded up); the caller
    /// approves it first. The condition must be Prepared in the vault and have no market yet.
    /// @param conditionId The condition (its outcome count is read from the vault).
    /// @param collateral The ERC-20 the market trades against.
    /// @param liquidity The LMSR `b`, `0 < b <= 2^96 - 1` (~7.9e10 tokens of 18 decimals; above it `createMarket`
    /// reverts OpenZeppelin's `SafeCastOverflowedUintDowncast(96, liquidity)`).
    /// @param feeBps Trading fee in basis points, at most `MAX_FEE_BPS`.
    /// @param sponsor Credited as the market's sponsor (withdraws after resolution).
    /// @param gate Asked before every trade, or `address(0)`.
    /// @return subsidy The collateral pulled.
    function createMarket(
        ConditionId conditionId,
        IERC20 collateral,
        uint128 liquidity,
        uint16 feeBps,
        address sponsor,
        IMarketGate gate
    ) external returns (uint256 subsidy);

    /// @notice Buys `amount` outcome-`outcome` shares for `recipient`, pulling their cost plus fee from the caller.
    /// @param conditionId The market.
    /// @param outcome The outcome bought.
    /// @param amount Shares bought (collateral units: each pays one unit if `outcome` wins).
    /// @param maxCost The most the caller pays, fee included.
    /// @param deadline The last second (unix) the trade may be included.
    /// @param recipient Receives the shares (an ERC-1155 transfer: contracts must accept it).
    /// @return cost What the caller paid, fee included.
    function buy(
        ConditionId conditionId,
        uint256 outcome,
        uint256 amount,
        uint256 maxCost,
        uint256 deadline,
        address recipient
    ) external returns (uint256 cost);

    /// @notice Sells `amount` outcome-`outcome` shares back, pulling them from the caller (approved with
    /// `setApprovalForAll`), and pays the proceeds to `recipient`.
    /// @param conditionId The market.
    /// @param outcome The outcome sold.
    /// @param amount Shares sold; at most what traders hold of it (`sold[outcome]`).
    /// @param minProceeds The least `recipient` receives, after the fee.
    /// @param deadline The last second (unix) the trade may be included.
    /// @param recipient Receives the collateral.
    /// @return proceeds What `recipient` received.
    function sell(
        ConditionId conditionId,
        uint256 outcome,
        uint256 amount,
        uint256 minProceeds,
        uint256 deadline,
        address recipient
    ) external returns (uint256 proceeds);

    /// @notice After resolution, redeems the maker's inventory and pays the market's collateral to `to`.
    /// Only the sponsor; once.
    /// @param conditionId The market.
    /// @param to Receives the collateral.
    /// @return amount What was paid.
    function withdraw(ConditionId conditionId, address to) external returns (uint256 amount);

    /// @notice What buying `amount` shares of `outcome` costs now: the LMSR cost and the fee (the buyer pays both).
    /// @param conditionId The market.
    /// @param outcome The outcome.
    /// @param amount The shares.
    /// @return cost The LMSR cost (rounded up).
    /// @return fee The fee (rounded up).
    function quoteBuy(ConditionId conditionId, uint256 outcome, uint256 amount)
        external
        view
        returns (uint256 cost, uint256 fee);

    /// @notice What selling `amount` shares of `outcome` returns now: the proceeds after the fee, and the fee.
    /// @param conditionId The market.
    /// @param outcome The outcome.
    /// @param amount The shares.
    /// @return proceeds The LMSR return less the fee (both rounded against the seller).
    /// @return fee The fee.
    function quoteSell(ConditionId conditionId, uint256 outcome, uint256 amount)
        external
        view
        returns (uint256 proceeds, uint256 fee);

    /// @notice The market's instantaneous prices, in WAD (1e18), summing to exactly 1e18.
    /// @param conditionId The market.
    /// @return The price of every outcome.
    function prices(ConditionId conditionId) external view returns (uint256[] memory);

    /// @notice The market as stored.
    /// @param conditionId The market.
    /// @return The market (all zero for an unknown condition).
    function getMarket(ConditionId conditionId) external view returns (Market memory);

    /// @notice Where the market stands.
    /// @param conditionId The market.
    /// @return The state.
    function marketState(ConditionId conditionId) external view returns (MarketState);

    /// @notice The outcome vault whose positions every market trades.
    /// @return The vault.
    function vault() external view returns (IOutcomeVault);

    /// @notice The highest trading fee a market may charge, in basis points.
    /// @return The cap (1,000 = 10%).
    function MAX_FEE_BPS() external view returns (uint256);
}
