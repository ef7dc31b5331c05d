// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ILmsrMarketMaker} from "./ILmsrMarketMaker.sol";
import {IMarketGate} from "./IMarketGate.sol";
import {IOutcomeVault} from "./IOutcomeVault.sol";
import {IPacts} from "./IPacts.sol";
import {IPledgeRegistry} from "./IPledgeRegistry.sol";
import {PactId, PledgeId} from "../types/Ids.sol";
import {ConditionId} from "../types/MarketIds.sol";

/// @title IPactMarkets
/// @notice The "any member breaches" market of a pact (issue 7). It is the oracle of one binary condition per pact in
/// the outcome vault (outcomes BREACH = 0 and HONOR = 1, question id `keccak256(abi.encode(QUESTION_TAG, pactId))`)
/// and the gate of its LMSR market in the system's market maker. A single member's breach market needs no contract
/// of its own: each member's pledge is an ordinary registry pledge, so `IBreachMarkets.openMarket(pledgeId)` opens
/// it (the member is the pledger for the self-hedge rule). Neither Pacts nor the registry know of this contract.
///
/// - Opening: any sponsor opens the market of an Active pact, once, with liquidity `b >= minLiquidity`, funding the
///   subsidy `b * ln 2` in the pact's bond token, while every member's pledge is Active and before the pact's
///   `expiry + grace`. This contract is the sponsor of record in the market maker; the real sponsor withdraws
///   through `withdrawSubsidy`.
/// - Trading: open while every member's pledge is Active and `block.timestamp < expiry + grace` (the pact is Active
///   for good once activated). The first challenge of any member closes trading (a rejected or voided challenge
///   reopens it). The gate reads every member's pledge state: ~7.9k gas per member per trade, cold (a gated buy
///   costs ~100k gas at 3 members, ~333k at 32 = `Pacts.MAX_MEMBERS`).
/// - No self-hedging: the pact's members may not grow their exposure to BREACH (buy BREACH or sell HONOR), as
///   traders or as recipients. A member's declared affiliates in BreachMarkets are not read here (a stated limit).
/// - Resolution: anyone calls `resolve`: BREACH as soon as any member's pledge is Breached or Slashable (before Pacts
///   records it); HONOR once every member's pledge is Honored or Releasable; otherwise it reverts with the states.
/// - Sponsor cap: a sponsor that is a member of the pact receives, when BREACH was reported, at most its subsidy;
///   the rest goes to the pact's beneficiary (a member may not profit from the pact's breach as its sponsor).
/// - Member pledges: Pacts creates every member's pledge in one `activate` call, in member order, and the registry
///   gives sequential ids; `openMarket` checks that member `i`'s pledge is `first + i` and caches only `first` and
///   the member count (so the gate reads no member list).
interface IPactMarkets is IMarketGate {
    /// @notice A pact market as stored (2 slots).
    /// @param pactId The pact (ids below 2^64).
    /// @param firstPledgeId The pledge of the pact's first member; member `i`'s is `firstPledgeId + i`.
    /// @param end The pact's `expiry + grace`: trading closes at this second.
    /// @param members The number of members (at most `Pacts.MAX_MEMBERS`).
    /// @param sponsor Who paid the subsidy (withdraws through `withdrawSubsidy`).
    /// @param subsidy The subsidy paid.
    struct PactMarket {
        uint64 pactId;
        uint64 firstPledgeId;
        uint64 end;
        uint16 members;
        address sponsor;
        uint96 subsidy;
    }

    /// @notice Emitted when `sponsor` opens the any-member-breaches market of `pactId`.
    event PactMarketOpened(
        PactId indexed pactId,
        ConditionId indexed conditionId,
        address indexed sponsor,
        uint256 liquidity,
        uint256 feeBps,
        uint256 subsidy
    );
    /// @notice Emitted when the sponsor of `pactId`'s market withdraws: `amount` to `to`, and `toBeneficiary` (what a
    /// member-sponsor would have gained from the pact's breach) to the pact's `beneficiary`.
    event PactSubsidyWithdrawn(
        PactId indexed pactId,
        address indexed sponsor,
        address to,
        uint256 amount,
        address beneficiary,
        uint256 toBeneficiary
    );
    /// @notice Emitted when the market of `pactId` is resolved; `decisive` is the first member pledge (in member
    /// order) found Breached or Slashable, zero when HONOR was reported.
    event PactMarketResolved(
        PactId indexed pactId, ConditionId indexed conditionId, bool breached, PledgeId indexed decisive
    );

    /// @notice `pactId` is in `current`, not Active (opening needs an Active pact).
    error PactMarketPactState(PactId pactId, IPacts.PactState current);
    /// @notice The pledge `pledgeId` of a member of `pactId` is in `current`, not Active (opening and trading need
    /// every member's pledge Active).
    error PactMarketMemberState(PactId pactId, PledgeId pledgeId, IPledgeRegistry.PledgeState current);
    /// @notice Trading (or opening) at `now_`, at or after the pact's `end` (`expiry + grace`).
    error PactMarketClosed(PactId pactId, uint256 end, uint256 now_);
    /// @notice `liquidity` is below the deployment's `minLiquidity`.
    error PactMarketLiquidityTooLow(uint256 liquidity, uint256 minLiquidity);
    /// @notice Pact ids above 2^64 - 1 are not supported (the cache packs them).
    error PactMarketPactIdTooLarge(PactId pactId);
    /// @notice Member `index` of `pactId` has pledge `pledgeId`, not `expected` (`firstPledgeId + index`): the
    /// member pledges are not the contiguous run Pacts.activate creates.
    error PactMarketPledgesNotContiguous(PactId pactId, uint256 index, PledgeId pledgeId, PledgeId expected);
    /// @notice `conditionId` is not the condition of a pact market opened here.
    error PactMarketUnknown(ConditionId conditionId);
    /// @notice `pactId` has no market.
    error PactMarketNotOpened(PactId pactId);
    /// @notice `account` is a member of `pactId`, and the trade would grow its exposure to BREACH.
    error PactMarketSelfHedge(PactId pactId, address account);
    /// @notice Only the sponsor (`sponsor`) of `pactId`'s market withdraws its subsidy; `caller` is not it.
    error PactMarketCallerNotSponsor(PactId pactId, address caller, address sponsor);
    /// @notice A withdrawal to the zero address or to this contract.
    error PactMarketRecipientInvalid(address to);
    /// @notice No member pledge is Breached or Slashable and not all are Honored or Releasable: `states[i]` is the
    /// state of member `i`'s pledge `firstPledgeId + i`.
    error PactMarketUndecided(PactId pactId, PledgeId firstPledgeId, IPledgeRegistry.PledgeState[] states);
    /// @notice An ERC-20 transfer in delivered `received`, not the `expected` amount.
    error TokenTransferMismatch(IERC20 token, uint256 expected, uint256 received);

    /// @notice Opens the any-member-breaches market of an Active pact, pulling the subsidy from the caller (its
    /// sponsor).
    /// @dev Approve this contract for `quoteSubsidy(liquidity)` of the pact's bond token first. Reverts the vault's
    /// `UnexpectedConditionState` if the pact already has a market. Reads every member (~14.6k gas per member, cold:
    /// its pledge id from Pacts and its pledge state from the registry), at most `Pacts.MAX_MEMBERS`: ~462k gas at 3
    /// members, ~886k at 32 (test/solidity/pacts/PactMarkets.gas.t.sol).
    /// @param pactId The pact.
    /// @param liquidity The LMSR `b`, at least `minLiquidity`.
    /// @param feeBps Trading fee in basis points, at most the maker's `MAX_FEE_BPS`.
    /// @return conditionId The pact's condition (also the market's id in the maker).
    /// @return subsidy The collateral pulled from the caller.
    function openMarket(PactId pactId, uint128 liquidity, uint16 feeBps)
        external
        returns (ConditionId conditionId, uint256 subsidy);

    /// @notice Reports the pact's outcome to the vault once it is fixed: BREACH as soon as any member's pledge is
    /// Breached or Slashable, HONOR once all are Honored or Releasable. Anyone may call; once.
    /// @dev Reads member pledge states until the first breach (~8k gas per member, cold), at most
    /// `Pacts.MAX_MEMBERS`.
    /// @param pactId The pact.
    /// @return breached Whether BREACH was reported (else HONOR).
    function resolve(PactId pactId) external returns (bool breached);

    /// @notice After resolution, withdraws what is left of the market (subsidy, fees, the traders' losses) for its
    /// sponsor: all of it to `to`, except that a sponsor that is a member of the pact receives, when BREACH was
    /// reported, at most its subsidy, the rest going to the pact's beneficiary. Only the sponsor; once (the market
    /// maker refuses a second withdrawal).
    /// @param pactId The pact.
    /// @param to Receives the sponsor's part.
    /// @return amount What `to` received.
    function withdrawSubsidy(PactId pactId, address to) external returns (uint256 amount);

    /// @notice The pact's condition (whether or not its market was opened).
    /// @param pactId The pact.
    /// @return The condition id.
    function conditionOf(PactId pactId) external view returns (ConditionId);

    /// @notice The question id of the pact's condition: `keccak256(abi.encode(QUESTION_TAG, pactId))`.
    /// @param pactId The pact.
    /// @return The question id.
    function questionOf(PactId pactId) external pure returns (bytes32);

    /// @notice The market of a condition.
    /// @param conditionId The condition.
    /// @return The stored market (all zero for unknown conditions).
    function marketOf(ConditionId conditionId) external view returns (PactMarket memory);

    /// @notice Who sponsored the market of `pactId`, and the subsidy it paid (zero before opening).
    /// @param pactId The pact.
    /// @return sponsor The sponsor.
    /// @return subsidy The subsidy.
    function sponsorOf(PactId pactId) external view returns (address sponsor, uint256 subsidy);

    /// @notice Whether `account` is a member of the (activated) pact: its status is Pledged, Honored or Breached.
    /// @param pactId The pact.
    /// @param account The account.
    /// @return True for a member.
    function isMember(PactId pactId, address account) external view returns (bool);

    /// @notice The subsidy `openMarket` pulls for `liquidity`: `b * ln 2` rounded up (`LmsrMath.subsidy`).
    /// @param liquidity The LMSR `b`.
    /// @return The subsidy.
    function quoteSubsidy(uint128 liquidity) external pure returns (uint256);

    /// @notice Outcome index of BREACH ("some member breached") in every pact condition.
    /// @return 0.
    function BREACH() external view returns (uint256);

    /// @notice Outcome index of HONOR ("every member honored") in every pact condition.
    /// @return 1.
    function HONOR() external view returns (uint256);

    /// @notice The domain tag hashed with the pact id into the question id (so no question collides with a
    /// BreachMarkets pledge question, `bytes32(pledgeId)`, even under the same oracle).
    /// @return `keccak256("PledgeMarkets.PactMarkets.anyMemberBreaches")`.
    function QUESTION_TAG() external view returns (bytes32);

    /// @notice The pacts whose markets this contract runs.
    /// @return The Pacts contract.
    function pacts() external view returns (IPacts);

    /// @notice The pledge registry read for the members' pledge states (the pacts' registry).
    /// @return The registry.
    function registry() external view returns (IPledgeRegistry);

    /// @notice The vault holding the pact conditions (the maker's).
    /// @return The vault.
    function vault() external view returns (IOutcomeVault);

    /// @notice The market maker running the pact markets.
    /// @return The maker.
    function maker() external view returns (ILmsrMarketMaker);

    /// @notice The smallest liquidity `b` a pact market may open with.
    /// @return The floor, in bond-token units.
    function minLiquidity() external view returns (uint256);
}
