// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ILmsrMarketMaker} from "./ILmsrMarketMaker.sol";
import {IMarketGate} from "./IMarketGate.sol";
import {IOutcomeVault} from "./IOutcomeVault.sol";
import {IPledgeRegistry} from "./IPledgeRegistry.sol";
import {PledgeId} from "../types/Ids.sol";
import {ConditionId} from "../types/MarketIds.sol";

/// @title IBreachMarkets
/// @notice Opens a pledge's breach market and resolves it from the pledge's resolution. It is the oracle of every
/// breach condition (outcomes BREACH = 0 and HONOR = 1, question id `bytes32(pledgeId)`) and the gate of every
/// breach market. The registry knows nothing of it: this contract only reads the registry's `state`.
///
/// - Opening: any sponsor (usually the pledger) opens the market of an Active pledge, once, with liquidity
///   `b >= minLiquidity`, funding the subsidy `b * ln 2` in the pledge's bond token. This contract is the
///   sponsor of record in the market maker; the real sponsor withdraws through `withdrawSubsidy`.
/// - A pledger may not profit from its own breach as sponsor: the market maker takes the other side of every
///   trade, so when traders bought HONOR and the pledge is breached, its sponsor ends with more than it put
///   in. When the sponsor is the pledger or a declared affiliate and BREACH was reported, `withdrawSubsidy`
///   pays it at most its subsidy and credits the excess to the pledge's beneficiary, which withdraws it with
///   `claimExcess` (a pull payment: the beneficiary may be a contract, such as Pacts, that books what it is paid
///   only through its own calls). A pledge without a beneficiary has the excess burned (sent to `BURN_ADDRESS`).
/// - Trading: open while the pledge is Active. A challenge starts resolution and closes trading (a challenge
///   that is rejected or voided returns the pledge to Active and reopens it); so does the end of the grace period.
/// - No self-hedging: the pledger and the affiliates it declared may not grow their exposure to BREACH through the
///   market (buy BREACH or sell HONOR), as traders or as recipients. Affiliates are append-only. What no on-chain
///   rule can see (undeclared addresses, positions bought elsewhere and transferred) is a stated limit
///   (docs/threat-model.md).
/// - Resolution: anyone calls `resolve` once the pledge's outcome is fixed: Breached or Slashable report BREACH
///   (payouts [1, 0]); Honored or Releasable report HONOR ([0, 1]).
/// - The bond: a pledger's bond is returned only when the pledge is Honored, which closes trading first, so the
///   bond stays locked for as long as its breach market is open.
interface IBreachMarkets is IMarketGate {
    /// @notice A breach market's pledge, cached at opening (a pledge's pledger never changes).
    struct BreachMarket {
        uint96 pledgeId;
        address pledger;
    }

    /// @notice Emitted when `sponsor` opens the breach market of `pledgeId`.
    event BreachMarketOpened(
        PledgeId indexed pledgeId,
        ConditionId indexed conditionId,
        address indexed sponsor,
        uint256 liquidity,
        uint256 feeBps,
        uint256 subsidy
    );
    /// @notice Emitted when the pledger of `pledgeId` declares `affiliate`.
    event AffiliateDeclared(PledgeId indexed pledgeId, address indexed affiliate);
    /// @notice Emitted when the sponsor of `pledgeId`'s market withdraws: `amount` paid to `to`, and `toBeneficiary`
    /// (what a pledger-sponsor would have gained from its own breach) set aside for `beneficiary`: credited to it
    /// (`excessOf`, withdrawn with `claimExcess`, which emits `ExcessClaimed`), or sent at once when `beneficiary` is
    /// `BURN_ADDRESS` (a pledge without a beneficiary).
    event SubsidyWithdrawn(
        PledgeId indexed pledgeId,
        address indexed sponsor,
        address to,
        uint256 amount,
        address beneficiary,
        uint256 toBeneficiary
    );
    /// @notice Emitted when the beneficiary of `pledgeId` withdraws the excess credited to it: `amount` to `to`.
    event ExcessClaimed(PledgeId indexed pledgeId, address indexed beneficiary, address to, uint256 amount);
    /// @notice Emitted when the breach market of `pledgeId` is resolved.
    event BreachMarketResolved(PledgeId indexed pledgeId, ConditionId indexed conditionId, bool breached);

    /// @notice `pledgeId` is in `current`, not a state this call accepts (Active to open or trade; a fixed
    /// outcome to resolve).
    error BreachMarketPledgeState(PledgeId pledgeId, IPledgeRegistry.PledgeState current);
    /// @notice `liquidity` is below the deployment's `minLiquidity`.
    error BreachMarketLiquidityTooLow(uint256 liquidity, uint256 minLiquidity);
    /// @notice Pledge ids above 2^96 - 1 are not supported (the cache packs them with the pledger).
    error BreachMarketPledgeIdTooLarge(PledgeId pledgeId);
    /// @notice `conditionId` is not the condition of a breach market opened here.
    error BreachMarketUnknown(ConditionId conditionId);
    /// @notice `pledgeId` has no breach market.
    error BreachMarketNotOpened(PledgeId pledgeId);
    /// @notice Only the pledger (`pledger`) of `pledgeId` declares its affiliates; `caller` is not it.
    error BreachMarketCallerNotPledger(PledgeId pledgeId, address caller, address pledger);
    /// @notice An affiliate list of `length` entries: at least 1 and at most `max` per call, none the zero address.
    error BreachMarketAffiliatesInvalid(uint256 length, uint256 max);
    /// @notice `account` already sponsors `pledgeId`'s market: whether a sponsor is capped is fixed when it opens.
    error BreachMarketAffiliateIsSponsor(PledgeId pledgeId, address account);
    /// @notice `account` is the pledger of `pledgeId` or one of its declared affiliates, and the trade would grow
    /// its exposure to BREACH.
    error BreachMarketSelfHedge(PledgeId pledgeId, address account);
    /// @notice Only the sponsor (`sponsor`) of `pledgeId`'s market withdraws its subsidy; `caller` is not it.
    error BreachMarketCallerNotSponsor(PledgeId pledgeId, address caller, address sponsor);
    /// @notice Only the beneficiary (`beneficiary`) of `pledgeId` claims its excess; `caller` is not it.
    error BreachMarketCallerNotBeneficiary(PledgeId pledgeId, address caller, address beneficiary);
    /// @notice No excess is credited for `pledgeId` (none yet, none at all, or already claimed).
    error BreachMarketNoExcess(PledgeId pledgeId);
    /// @notice A withdrawal to the zero address or to this contract.
    error BreachMarketRecipientInvalid(address to);
    /// @notice An ERC-20 transfer in delivered `received`, not the `expected` amount.
    error TokenTransferMismatch(IERC20 token, uint256 expected, uint256 received);

    /// @notice Opens the breach market of an Active pledge, pulling the subsidy from the caller (its sponsor).
    /// @dev Approve this contract for `LmsrMath.subsidy(liquidity, 2)` of the pledge's bond token first
    /// (`quoteSubsidy`). Reverts the vault's `UnexpectedConditionState` if the pledge already has a market.
    /// @param pledgeId The pledge.
    /// @param liquidity The LMSR `b`, at least `minLiquidity`.
    /// @param feeBps Trading fee in basis points, at most the maker's `MAX_FEE_BPS`.
    /// @return conditionId The breach condition (also the market's id in the maker).
    /// @return subsidy The collateral pulled from the caller.
    function openMarket(PledgeId pledgeId, uint128 liquidity, uint16 feeBps)
        external
        returns (ConditionId conditionId, uint256 subsidy);

    /// @notice Declares addresses affiliated with the caller's pledge; they may not buy BREACH or sell HONOR in
    /// its market. Only the pledger; append-only (there is no way to undeclare). The sponsor of an open market
    /// cannot be declared (`BreachMarketAffiliateIsSponsor`): a sponsor's cap is fixed when it opens.
    /// @param pledgeId The pledge.
    /// @param affiliates 1 to `MAX_AFFILIATES_PER_CALL` addresses, none zero (repeats are harmless).
    function declareAffiliates(PledgeId pledgeId, address[] calldata affiliates) external;

    /// @notice After resolution, withdraws what is left of the market (subsidy, fees, the traders' losses) for
    /// its sponsor: all of it to `to`, except that a sponsor that is the pledger or a declared affiliate of a
    /// breached pledge receives at most its subsidy, the rest being credited to the pledge's beneficiary
    /// (`excessOf`; it withdraws it with `claimExcess`) or, for a pledge without one, burned. Only the sponsor;
    /// once (the market maker refuses a second withdrawal).
    /// @param pledgeId The pledge.
    /// @param to Receives the sponsor's part.
    /// @return amount What `to` received.
    function withdrawSubsidy(PledgeId pledgeId, address to) external returns (uint256 amount);

    /// @notice Pays the pledge's beneficiary the excess `withdrawSubsidy` credited to it, to `to`. Only the
    /// pledge's beneficiary; once (the credit is cleared).
    /// @param pledgeId The pledge.
    /// @param to Receives the excess; not the zero address nor this contract.
    /// @return amount What `to` received.
    function claimExcess(PledgeId pledgeId, address to) external returns (uint256 amount);

    /// @notice Reports the pledge's outcome to the vault once it is fixed. Anyone may call.
    /// @param pledgeId The pledge.
    /// @return breached Whether BREACH was reported (else HONOR).
    function resolve(PledgeId pledgeId) external returns (bool breached);

    /// @notice The breach condition of `pledgeId` (whether or not its market was opened).
    /// @param pledgeId The pledge.
    /// @return The condition id.
    function conditionOf(PledgeId pledgeId) external view returns (ConditionId);

    /// @notice Who sponsored the breach market of `pledgeId`, and the subsidy it paid (zero before opening).
    /// @param pledgeId The pledge.
    /// @return sponsor The sponsor.
    /// @return subsidy The subsidy.
    function sponsorOf(PledgeId pledgeId) external view returns (address sponsor, uint256 subsidy);

    /// @notice The excess of `pledgeId`'s market credited to its beneficiary and not yet claimed.
    /// @param pledgeId The pledge.
    /// @return The amount, in the pledge's bond token.
    function excessOf(PledgeId pledgeId) external view returns (uint256);

    /// @notice The pledge of a breach market's condition.
    /// @param conditionId The condition.
    /// @return The cached pledge id and pledger (zero for unknown conditions).
    function marketOf(ConditionId conditionId) external view returns (BreachMarket memory);

    /// @notice Whether `account` is a declared affiliate of `pledgeId`'s pledger.
    /// @param pledgeId The pledge.
    /// @param account The account.
    /// @return True if declared.
    function isAffiliate(PledgeId pledgeId, address account) external view returns (bool);

    /// @notice The subsidy `openMarket` pulls for `liquidity`: `b * ln 2` rounded up (`LmsrMath.subsidy`).
    /// @param liquidity The LMSR `b`.
    /// @return The subsidy.
    function quoteSubsidy(uint128 liquidity) external pure returns (uint256);

    /// @notice Outcome index of BREACH in every breach condition.
    /// @return 0.
    function BREACH() external view returns (uint256);

    /// @notice Outcome index of HONOR in every breach condition.
    /// @return 1.
    function HONOR() external view returns (uint256);

    /// @notice The pledge registry read for states.
    /// @return The registry.
    function registry() external view returns (IPledgeRegistry);

    /// @notice The vault holding the breach conditions.
    /// @return The vault.
    function vault() external view returns (IOutcomeVault);

    /// @notice The market maker running the breach markets.
    /// @return The maker.
    function maker() external view returns (ILmsrMarketMaker);

    /// @notice The smallest liquidity `b` a breach market may open with (so nobody claims a pledge's only market
    /// with a token subsidy).
    /// @return The floor, in bond-token units.
    function minLiquidity() external view returns (uint256);
}
