// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IBreachMarkets} from "../interfaces/IBreachMarkets.sol";
import {IMarketGate} from "../interfaces/IMarketGate.sol";
import {ILmsrMarketMaker} from "../interfaces/ILmsrMarketMaker.sol";
import {IOutcomeVault} from "../interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../interfaces/IPledgeRegistry.sol";
import {PledgeId} from "../types/Ids.sol";
import {ConditionId} from "../types/MarketIds.sol";
import {ExactTransfer} from "../utils/ExactTransfer.sol";
import {LmsrMath} from "./LmsrMath.sol";

/// @title BreachMarkets
/// @notice See {IBreachMarkets}.
contract BreachMarkets is IBreachMarkets, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Outcome index of BREACH in every breach condition.
    uint256 public constant BREACH = 0;
    /// @notice Outcome index of HONOR in every breach condition.
    uint256 public constant HONOR = 1;
    /// @notice Most affiliates one `declareAffiliates` call takes.
    uint256 public constant MAX_AFFILIATES_PER_CALL = 32;
    uint256 private constant _OUTCOMES = 2;

    /// @inheritdoc IBreachMarkets
    IPledgeRegistry public immutable registry;
    /// @inheritdoc IBreachMarkets
    IOutcomeVault public immutable vault;
    /// @inheritdoc IBreachMarkets
    ILmsrMarketMaker public immutable maker;
    /// @inheritdoc IBreachMarkets
    uint256 public immutable minLiquidity;

    mapping(ConditionId => BreachMarket) private _markets;
    mapping(PledgeId => mapping(address => bool)) private _affiliates;

    /// @param registry_ The pledge registry.
    /// @param maker_ The market maker (its vault holds the conditions).
    /// @param minLiquidity_ The smallest `b` a market may open with (at least 1).
    constructor(IPledgeRegistry registry_, ILmsrMarketMaker maker_, uint256 minLiquidity_) {
        if (minLiquidity_ == 0) revert BreachMarketLiquidityTooLow(0, 1);
        registry = registry_;
        maker = maker_;
        vault = maker_.vault();
        minLiquidity = minLiquidity_;
    }

    /// @inheritdoc IBreachMarkets
    function openMarket(PledgeId pledgeId, uint128 liquidity, uint16 feeBps)
        external
        nonReentrant
        returns (ConditionId conditionId, uint256 subsidy)
    {
        if (PledgeId.unwrap(pledgeId) > type(uint96).max) revert BreachMarketPledgeIdTooLarge(pledgeId);
        IPledgeRegistry.PledgeState current = registry.state(pledgeId);
        if (current != IPledgeRegistry.PledgeState.Active) revert BreachMarketPledgeState(pledgeId, current);
        if (liquidity < minLiquidity) revert BreachMarketLiquidityTooLow(liquidity, minLiquidity);
        IPledgeRegistry.Pledge memory p = registry.getPledge(pledgeId);
        subsidy = LmsrMath.subsidy(liquidity, _OUTCOMES);

        // Effects: the cache, then the condition (the vault reverts if this pledge already has one).
        _markets[_conditionOf(pledgeId)] =
            BreachMarket({pledgeId: uint96(PledgeId.unwrap(pledgeId)), pledger: p.pledger});
        conditionId = vault.prepareCondition(_questionOf(pledgeId), _OUTCOMES);
        emit BreachMarketOpened(pledgeId, conditionId, msg.sender, liquidity, feeBps, subsidy);

        // Interactions: the subsidy passes through this contract to the maker, which pulls exactly `subsidy`.
        uint256 received = ExactTransfer.pull(p.token, msg.sender, subsidy);
        if (received != subsidy) revert TokenTransferMismatch(p.token, subsidy, received);
        p.token.forceApprove(address(maker), subsidy);
        maker.createMarket(conditionId, p.token, liquidity, feeBps, msg.sender, this);
    }

    /// @inheritdoc IBreachMarkets
    function declareAffiliates(PledgeId pledgeId, address[] calldata affiliates) external {
        address pledger = registry.getPledge(pledgeId).pledger;
        if (pledger == address(0)) revert BreachMarketPledgeState(pledgeId, IPledgeRegistry.PledgeState.None);
        if (msg.sender != pledger) revert BreachMarketCallerNotPledger(pledgeId, msg.sender, pledger);
        uint256 n = affiliates.length;
        if (n == 0 || n > MAX_AFFILIATES_PER_CALL) revert BreachMarketAffiliatesInvalid(n, MAX_AFFILIATES_PER_CALL);
        mapping(address => bool) storage declared = _affiliates[pledgeId];
        for (uint256 i; i < n; ++i) {
            address a = affiliates[i];
            if (a == address(0)) revert BreachMarketAffiliatesInvalid(n, MAX_AFFILIATES_PER_CALL);
            declared[a] = true;
            emit AffiliateDeclared(pledgeId, a);
        }
    }

    /// @inheritdoc IBreachMarkets
    function resolve(PledgeId pledgeId) external nonReentrant returns (bool breached) {
        ConditionId conditionId = _conditionOf(pledgeId);
        if (_markets[conditionId].pledger == address(0)) revert BreachMarketNotOpened(pledgeId);
        IPledgeRegistry.PledgeState current = registry.state(pledgeId);
        if (current == IPledgeRegistry.PledgeState.Breached || current == IPledgeRegistry.PledgeState.Slashable) {
            breached = true;
        } else if (
            current != IPledgeRegistry.PledgeState.Honored && current != IPledgeRegistry.PledgeState.Releasable
        ) {
            revert BreachMarketPledgeState(pledgeId, current);
        }
        uint256[] memory payouts = new uint256[](_OUTCOMES);
        payouts[breached ? BREACH : HONOR] = 1;
        emit BreachMarketResolved(pledgeId, conditionId, breached);
        // The vault refuses a second report (UnexpectedConditionState).
        vault.reportPayouts(_questionOf(pledgeId), payouts);
    }

    /// @inheritdoc IMarketGate
    function checkTrade(ConditionId conditionId, address trader, address recipient, uint256 outcome, bool isBuy)
        external
        view
    {
        BreachMarket memory bm = _markets[conditionId];
        if (bm.pledger == address(0)) revert BreachMarketUnknown(conditionId);
        PledgeId pledgeId = PledgeId.wrap(bm.pledgeId);
        IPledgeRegistry.PledgeState current = registry.state(pledgeId);
        if (current != IPledgeRegistry.PledgeState.Active) revert BreachMarketPledgeState(pledgeId, current);
        // Exposure to BREACH grows by buying BREACH or by selling HONOR.
        if (isBuy == (outcome == BREACH)) {
            _refuseHedger(pledgeId, bm.pledger, trader);
            if (recipient != trader) _refuseHedger(pledgeId, bm.pledger, recipient);
        }
    }

    /// @inheritdoc IBreachMarkets
    function conditionOf(PledgeId pledgeId) external view returns (ConditionId) {
        return _conditionOf(pledgeId);
    }

    /// @inheritdoc IBreachMarkets
    function marketOf(ConditionId conditionId) external view returns (BreachMarket memory) {
        return _markets[conditionId];
    }

    /// @inheritdoc IBreachMarkets
    function isAffiliate(PledgeId pledgeId, address account) external view returns (bool) {
        return _affiliates[pledgeId][account];
    }

    /// @inheritdoc IBreachMarkets
    function quoteSubsidy(uint128 liquidity) external pure returns (uint256) {
        return LmsrMath.subsidy(liquidity, _OUTCOMES);
    }

    function _refuseHedger(PledgeId pledgeId, address pledger, address account) private view {
        if (account == pledger || _affiliates[pledgeId][account]) revert BreachMarketSelfHedge(pledgeId, account);
    }

    function _questionOf(PledgeId pledgeId) private pure returns (bytes32) {
        return bytes32(PledgeId.unwrap(pledgeId));
    }

    function _conditionOf(PledgeId pledgeId) private view returns (ConditionId) {
        return vault.conditionIdOf(address(this), _questionOf(pledgeId), _OUTCOMES);
    }
}
