// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBreachMarkets} from "./IBreachMarkets.sol";
import {ILmsrMarketMaker} from "./ILmsrMarketMaker.sol";
import {IPactMarkets} from "./IPactMarkets.sol";
import {IPacts} from "./IPacts.sol";
import {IPledgeRegistry} from "./IPledgeRegistry.sol";
import {PactId, PledgeId} from "../types/Ids.sol";
import {ConditionId} from "../types/MarketIds.sol";

/// @title IDefectionLens
/// @notice The cost of defection, readable on-chain (issue 7): at the current state and market prices, what a
/// pledger or a pact member would lose by defecting now (bond at risk, market subsidy, keeper shares forfeited) next
/// to what keeping the pledge earns it under the pact's rules. View-only; scenarios and the dashboard read it.
/// Every amount is in the pledge's (the pact's) bond token, which is also its markets' collateral.
///
/// Market figures are "if BREACH were reported now": after resolution the maker pays its sponsor of record its cash
/// plus its inventory of the winning outcome, `cash + sets - sold[BREACH]` on BREACH. A sponsor capped by the
/// self-hedge rule (the pledger or a declared affiliate in BreachMarkets; a member in PactMarkets) receives at most
/// its subsidy, the excess going to the beneficiary: BreachMarkets credits it to the pledge's beneficiary (for a
/// member's pledge, Pacts, which forwards it to the pact's beneficiary with `collectMarketExcess`), PactMarkets pays
/// it to the pact's beneficiary. Either way it is not the defector's.
interface IDefectionLens {
    /// @notice A breach market (of a pledge or of a pact) at the current state.
    /// @param conditionId The market's condition (whether or not it was opened).
    /// @param state The maker's state of the market (`None` if not opened).
    /// @param breachPrice The BREACH price in WAD (the market's probability of a breach); zero if not Open.
    /// @param sponsor Who paid the subsidy (zero if not opened).
    /// @param subsidy The subsidy it paid.
    /// @param sponsorCapped Whether the sponsor is capped by the self-hedge rule (see above).
    /// @param payoutIfBreach What the maker would pay out if BREACH were reported now (`cash + sets - sold[BREACH]`);
    /// zero if not Open.
    /// @param subsidyLostIfBreach What the sponsor would lose of its subsidy then: `subsidy - min(payoutIfBreach,
    /// subsidy)`; zero if not Open.
    /// @param toBeneficiaryIfBreach What a capped sponsor would give up to the beneficiary then:
    /// `payoutIfBreach - subsidy` when positive and capped, else zero.
    struct MarketFigures {
        ConditionId conditionId;
        ILmsrMarketMaker.MarketState state;
        uint256 breachPrice;
        address sponsor;
        uint256 subsidy;
        bool sponsorCapped;
        uint256 payoutIfBreach;
        uint256 subsidyLostIfBreach;
        uint256 toBeneficiaryIfBreach;
    }

    /// @notice What a pledger would lose by defecting now.
    /// @param state The pledge's state now.
    /// @param bondAtRisk Its bond now; zero once its outcome is stored (Breached or Honored).
    /// @param toChallenger Of that, the challenger's reward (the registry's `challengerRewardBps`, rounded down).
    /// @param toBeneficiary Of that, the rest (to the pledge's beneficiary, or burned).
    /// @param market Its breach market in BreachMarkets.
    /// @param marketLoss What the pledger would lose of its subsidy as its market's sponsor:
    /// `market.subsidyLostIfBreach` when it is the sponsor, else zero. (`market.toBeneficiaryIfBreach` is a gain it
    /// would forgo, not counted.)
    /// @param total `bondAtRisk + marketLoss`.
    struct PledgeCost {
        IPledgeRegistry.PledgeState state;
        uint256 bondAtRisk;
        uint256 toChallenger;
        uint256 toBeneficiary;
        MarketFigures market;
        uint256 marketLoss;
        uint256 total;
    }

    /// @notice What keeping the pledge has earned a member and returns to it.
    /// @param sharesEarned Keeper shares accrued from others' breaches and not yet paid (`Pacts.sharesOf`): paid once
    /// its pledge is Honored.
    /// @param bondReturned The bond returned if its pledge is honored: its bond now while the outcome is open, zero
    /// once stored.
    struct KeepGain {
        uint256 sharesEarned;
        uint256 bondReturned;
    }

    /// @notice What a pact member would lose by defecting now, and what keeping gains it.
    /// @param pledgeId The member's pledge (zero before activation).
    /// @param pact `Pacts.defectionCost`: the bond at risk and its split (challenger, keepers, beneficiary), the
    /// keeper shares forfeited and the other keepers' bonds.
    /// @param pledgeMarket The member pledge's own breach market (BreachMarkets).
    /// @param pactMarket The pact's any-member-breaches market (PactMarkets).
    /// @param marketLoss What the member would lose of its subsidies as sponsor of either market: the
    /// `subsidyLostIfBreach` of each market it sponsors (a member's own breach reports BREACH in both).
    /// @param lossIfDefect `pact.bondAtRisk + pact.sharesForfeited + marketLoss`.
    /// @param keep What keeping has earned and returns.
    struct MemberCost {
        PledgeId pledgeId;
        IPacts.DefectionCost pact;
        MarketFigures pledgeMarket;
        MarketFigures pactMarket;
        uint256 marketLoss;
        uint256 lossIfDefect;
        KeepGain keep;
    }

    /// @notice PactMarkets and BreachMarkets do not share `what` (the registry or the maker): `expected` is
    /// BreachMarkets', `actual` PactMarkets'.
    error DefectionLensWiring(string what, address expected, address actual);

    /// @notice What the pledger of `pledgeId` would lose by defecting now.
    /// @dev Constant gas (no loop): ~65k gas, cold, with an open market (PactMarkets.gas.t.sol).
    /// @param pledgeId The pledge.
    /// @return cost The figures (all zero but `state` for unknown pledges).
    function pledgeCost(PledgeId pledgeId) external view returns (PledgeCost memory cost);

    /// @notice What `member` would lose by defecting from `pactId` now, and what keeping gains it.
    /// @dev Constant gas (no loop over members): ~131k gas, cold, with both markets open (PactMarkets.gas.t.sol).
    /// @param pactId The pact.
    /// @param member The member.
    /// @return cost The figures (zero bond and shares for non-members and before activation).
    function memberCost(PactId pactId, address member) external view returns (MemberCost memory cost);

    /// @notice The breach market of `pledgeId`.
    /// @param pledgeId The pledge.
    /// @return The figures.
    function pledgeMarket(PledgeId pledgeId) external view returns (MarketFigures memory);

    /// @notice The any-member-breaches market of `pactId`.
    /// @param pactId The pact.
    /// @return The figures.
    function pactMarket(PactId pactId) external view returns (MarketFigures memory);

    /// @notice The pledge breach markets read.
    /// @return BreachMarkets.
    function breachMarkets() external view returns (IBreachMarkets);

    /// @notice The pact markets read.
    /// @return PactMarkets.
    function pactMarkets() external view returns (IPactMarkets);

    /// @notice The pacts read (PactMarkets').
    /// @return Pacts.
    function pacts() external view returns (IPacts);

    /// @notice The registry read (BreachMarkets').
    /// @return The registry.
    function registry() external view returns (IPledgeRegistry);

    /// @notice The market maker read (BreachMarkets').
    /// @return The maker.
    function maker() external view returns (ILmsrMarketMaker);
}
