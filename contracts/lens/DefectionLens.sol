// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBreachMarkets} from "../interfaces/IBreachMarkets.sol";
import {IDefectionLens} from "../interfaces/IDefectionLens.sol";
import {ILmsrMarketMaker} from "../interfaces/ILmsrMarketMaker.sol";
import {IPactMarkets} from "../interfaces/IPactMarkets.sol";
import {IPacts} from "../interfaces/IPacts.sol";
import {IPledgeRegistry} from "../interfaces/IPledgeRegistry.sol";
import {BondMath} from "../registry/BondMath.sol";
import {PactId, PledgeId} from "../types/Ids.sol";
import {ConditionId} from "../types/MarketIds.sol";

/// @title DefectionLens
/// @notice See {IDefectionLens}. Holds no state and moves nothing.
contract DefectionLens is IDefectionLens {
    uint256 private constant _BREACH = 0;

    /// @inheritdoc IDefectionLens
    IBreachMarkets public immutable breachMarkets;
    /// @inheritdoc IDefectionLens
    IPactMarkets public immutable pactMarkets;
    /// @inheritdoc IDefectionLens
    IPacts public immutable pacts;
    /// @inheritdoc IDefectionLens
    IPledgeRegistry public immutable registry;
    /// @inheritdoc IDefectionLens
    ILmsrMarketMaker public immutable maker;

    /// @param breachMarkets_ The pledges' breach markets (their registry and maker are read).
    /// @param pactMarkets_ The pacts' markets, on the same registry and maker.
    constructor(IBreachMarkets breachMarkets_, IPactMarkets pactMarkets_) {
        breachMarkets = breachMarkets_;
        pactMarkets = pactMarkets_;
        registry = breachMarkets_.registry();
        maker = breachMarkets_.maker();
        pacts = pactMarkets_.pacts();
        // One system: a lens over two registries or two makers would add up figures that do not belong together.
        address other = address(pactMarkets_.registry());
        if (other != address(registry)) revert DefectionLensWiring("registry", address(registry), other);
        other = address(pactMarkets_.maker());
        if (other != address(maker)) revert DefectionLensWiring("maker", address(maker), other);
    }

    /// @inheritdoc IDefectionLens
    function pledgeCost(PledgeId pledgeId) external view returns (PledgeCost memory cost) {
        cost.state = registry.state(pledgeId);
        if (cost.state == IPledgeRegistry.PledgeState.None) return cost;
        IPledgeRegistry.Pledge memory p = registry.getPledge(pledgeId);
        if (cost.state != IPledgeRegistry.PledgeState.Breached && cost.state != IPledgeRegistry.PledgeState.Honored) {
            cost.bondAtRisk = p.bond;
            // The registry's own split (reward rounded down, the rest to the beneficiary).
            (cost.toChallenger, cost.toBeneficiary) =
                BondMath.split(cost.bondAtRisk, registry.config().challengerRewardBps);
        }
        cost.market = _pledgeMarket(pledgeId);
        if (cost.market.sponsor == p.pledger) cost.marketLoss = cost.market.subsidyLostIfBreach;
        cost.total = cost.bondAtRisk + cost.marketLoss;
    }

    /// @inheritdoc IDefectionLens
    function memberCost(PactId pactId, address member) external view returns (MemberCost memory cost) {
        cost.pact = pacts.defectionCost(pactId, member);
        cost.pledgeId = PledgeId.wrap(pacts.getMember(pactId, member).pledgeId);
        if (PledgeId.unwrap(cost.pledgeId) != 0) {
            cost.pledgeMarket = _pledgeMarket(cost.pledgeId);
            if (cost.pledgeMarket.sponsor == member) cost.marketLoss = cost.pledgeMarket.subsidyLostIfBreach;
            IPledgeRegistry.PledgeState s = registry.state(cost.pledgeId);
            // The bond still to come back on honor: none once slashable or settled.
            if (
                s != IPledgeRegistry.PledgeState.Slashable && s != IPledgeRegistry.PledgeState.Breached
                    && s != IPledgeRegistry.PledgeState.Honored
            ) cost.keep.bondReturned = registry.getPledge(cost.pledgeId).bond;
        }
        cost.pactMarket = _pactMarket(pactId);
        if (cost.pactMarket.sponsor == member && member != address(0)) {
            cost.marketLoss += cost.pactMarket.subsidyLostIfBreach;
        }
        cost.lossIfDefect = cost.pact.bondAtRisk + cost.pact.sharesForfeited + cost.marketLoss;
        cost.keep.sharesEarned = pacts.sharesOf(pactId, member);
    }

    /// @inheritdoc IDefectionLens
    function pledgeMarket(PledgeId pledgeId) external view returns (MarketFigures memory) {
        return _pledgeMarket(pledgeId);
    }

    /// @inheritdoc IDefectionLens
    function pactMarket(PactId pactId) external view returns (MarketFigures memory) {
        return _pactMarket(pactId);
    }

    function _pledgeMarket(PledgeId pledgeId) private view returns (MarketFigures memory f) {
        f.conditionId = breachMarkets.conditionOf(pledgeId);
        (f.sponsor, f.subsidy) = breachMarkets.sponsorOf(pledgeId);
        if (f.sponsor != address(0)) {
            f.sponsorCapped = f.sponsor == breachMarkets.marketOf(f.conditionId).pledger
                || breachMarkets.isAffiliate(pledgeId, f.sponsor);
        }
        _fill(f);
    }

    function _pactMarket(PactId pactId) private view returns (MarketFigures memory f) {
        f.conditionId = pactMarkets.conditionOf(pactId);
        (f.sponsor, f.subsidy) = pactMarkets.sponsorOf(pactId);
        if (f.sponsor != address(0)) f.sponsorCapped = pactMarkets.isMember(pactId, f.sponsor);
        _fill(f);
    }

    /// @dev The maker's state, price and "if BREACH were reported now" figures of an Open market. After resolution
    /// `withdraw` pays the sponsor of record its cash plus its inventory of the winning outcome, `sets - sold[j]`.
    function _fill(MarketFigures memory f) private view {
        ConditionId c = f.conditionId;
        f.state = maker.marketState(c);
        if (f.state != ILmsrMarketMaker.MarketState.Open) return;
        f.breachPrice = maker.prices(c)[_BREACH];
        ILmsrMarketMaker.Market memory m = maker.getMarket(c);
        // sold[j] <= sets while Open (the maker splits before it sells shares it lacks).
        uint256 payout = uint256(m.cash) + m.sets - m.sold[_BREACH];
        f.payoutIfBreach = payout;
        if (payout < f.subsidy) f.subsidyLostIfBreach = f.subsidy - payout;
        else if (f.sponsorCapped) f.toBeneficiaryIfBreach = payout - f.subsidy;
    }
}
