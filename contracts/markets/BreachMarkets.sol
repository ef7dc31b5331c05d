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

    /// @inheritdoc IBreachMarkets
    uint256 public constant BREACH = 0;
    /// @inheritdoc IBreachMarkets
    uint256 public constant HONOR = 1;
    /// @notice Most affiliates one `declareAffiliates` call takes.
    uint256 public constant MAX_AFFILIATES_PER_CALL = 32;
    uint256 private constant _OUTCOMES = 2;
    /// @notice Receives a pledger-sponsor's gain from its own breach when the pledge has no beneficiary (the
    /// registry's burn address).
    address public constant BURN_ADDRESS = 0x000000000000000000000000000000000000dEaD;

    /// @dev Who paid a market's subsidy, and how much (subsidy <= 0.7 * 2^96: the maker caps b at 2^96 - 1).
    struct Sponsorship {
        address sponsor;
        uint96 subsidy;
    }

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
    mapping(ConditionId => Sponsorship) private _sponsorships;
    /// @dev Excess credited to a pledge's beneficiary by `withdrawSubsidy`, not yet claimed. The pledge's token and
    /// beneficiary are read from the registry (neither ever changes).
    mapping(PledgeId => uint256) private _excess;

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
        ConditionId expected = _conditionOf(pledgeId);
        _markets[expected] = BreachMarket({pledgeId: uint96(PledgeId.unwrap(pledgeId)), pledger: p.pledger});
        // subsidy < b <= 2^128 - 1 here; the maker refuses b above 2^96 - 1, so the cast only truncates in a
        // call that reverts.
        _sponsorships[expected] = Sponsorship({sponsor: msg.sender, subsidy: uint96(subsidy)});
        conditionId = vault.prepareCondition(_questionOf(pledgeId), _OUTCOMES);
        emit BreachMarketOpened(pledgeId, conditionId, msg.sender, liquidity, feeBps, subsidy);

        // Interactions: the subsidy passes through this contract to the maker, which pulls exactly `subsidy`.
        ExactTransfer.pullExact(p.token, msg.sender, subsidy);
        p.token.forceApprove(address(maker), subsidy);
        // This contract is the sponsor of record: the real sponsor withdraws through `withdrawSubsidy`.
        maker.createMarket(conditionId, p.token, liquidity, feeBps, address(this), this);
    }

    /// @inheritdoc IBreachMarkets
    function declareAffiliates(PledgeId pledgeId, address[] calldata affiliates) external {
        address pledger = registry.getPledge(pledgeId).pledger;
        if (pledger == address(0)) revert BreachMarketPledgeState(pledgeId, IPledgeRegistry.PledgeState.None);
        if (msg.sender != pledger) revert BreachMarketCallerNotPledger(pledgeId, msg.sender, pledger);
        uint256 n = affiliates.length;
        if (n == 0 || n > MAX_AFFILIATES_PER_CALL) revert BreachMarketAffiliatesInvalid(n, MAX_AFFILIATES_PER_CALL);
        mapping(address => bool) storage declared = _affiliates[pledgeId];
        // Whether a sponsor is capped is fixed when it opens the market: the pledger cannot declare a third-party
        // sponsor an affiliate afterwards to divert its gain to the pledge's beneficiary.
        address sponsor = _sponsorships[_conditionOf(pledgeId)].sponsor;
        for (uint256 i; i < n; ++i) {
            address a = affiliates[i];
            if (a == address(0)) revert BreachMarketAffiliatesInvalid(n, MAX_AFFILIATES_PER_CALL);
            if (a == sponsor) revert BreachMarketAffiliateIsSponsor(pledgeId, a);
            declared[a] = true;
            emit AffiliateDeclared(pledgeId, a);
        }
    }

    /// @inheritdoc IBreachMarkets
    function withdrawSubsidy(PledgeId pledgeId, address to) external nonReentrant returns (uint256 amount) {
        ConditionId conditionId = _conditionOf(pledgeId);
        Sponsorship memory sp = _sponsorships[conditionId];
        if (sp.sponsor == address(0)) revert BreachMarketNotOpened(pledgeId);
        if (msg.sender != sp.sponsor) revert BreachMarketCallerNotSponsor(pledgeId, msg.sender, sp.sponsor);
        if (to == address(0) || to == address(this)) revert BreachMarketRecipientInvalid(to);
        IPledgeRegistry.Pledge memory p = registry.getPledge(pledgeId);

        // The maker refuses unless the condition is resolved, and refuses a second withdrawal: it holds the only
        // state this withdrawal changes. What arrives is measured, so a token that starts charging fees cannot
        // make this contract pay out more than it received.
        uint256 before = p.token.balanceOf(address(this));
        maker.withdraw(conditionId, address(this));
        uint256 received = p.token.balanceOf(address(this)) - before;

        uint256 toBeneficiary;
        if (received > sp.subsidy && _breached(conditionId) && _isHedger(pledgeId, p.pledger, sp.sponsor)) {
            toBeneficiary = received - sp.subsidy;
        }
        amount = received - toBeneficiary;
        address beneficiary = p.beneficiary == address(0) ? BURN_ADDRESS : p.beneficiary;
        // A beneficiary is credited, not paid: it may be a contract (Pacts) that books only what it pulls itself.
        // The market is withdrawn once, so this is the pledge's only credit.
        if (toBeneficiary != 0 && p.beneficiary != address(0)) _excess[pledgeId] = toBeneficiary;
        emit SubsidyWithdrawn(pledgeId, msg.sender, to, amount, beneficiary, toBeneficiary);
        // Without a beneficiary the excess is burned at once, as the registry burns such a pledge's slash: a credit
        // to the burn address would only strand it here. The burn address cannot refuse a transfer.
        if (toBeneficiary != 0 && p.beneficiary == address(0)) p.token.safeTransfer(BURN_ADDRESS, toBeneficiary);
        if (amount != 0) p.token.safeTransfer(to, amount);
    }

    /// @inheritdoc IBreachMarkets
    function claimExcess(PledgeId pledgeId, address to) external nonReentrant returns (uint256 amount) {
        IPledgeRegistry.Pledge memory p = registry.getPledge(pledgeId);
        // A pledge without a beneficiary (or unknown) has none to call: its excess was burned.
        if (msg.sender != p.beneficiary || p.beneficiary == address(0)) {
            revert BreachMarketCallerNotBeneficiary(pledgeId, msg.sender, p.beneficiary);
        }
        if (to == address(0) || to == address(this)) revert BreachMarketRecipientInvalid(to);
        amount = _excess[pledgeId];
        if (amount == 0) revert BreachMarketNoExcess(pledgeId);
        _excess[pledgeId] = 0;
        emit ExcessClaimed(pledgeId, msg.sender, to, amount);
        p.token.safeTransfer(to, amount);
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
    function excessOf(PledgeId pledgeId) external view returns (uint256) {
        return _excess[pledgeId];
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

    /// @inheritdoc IBreachMarkets
    function sponsorOf(PledgeId pledgeId) external view returns (address sponsor, uint256 subsidy) {
        Sponsorship memory sp = _sponsorships[_conditionOf(pledgeId)];
        return (sp.sponsor, sp.subsidy);
    }

    function _refuseHedger(PledgeId pledgeId, address pledger, address account) private view {
        if (_isHedger(pledgeId, pledger, account)) revert BreachMarketSelfHedge(pledgeId, account);
    }

    function _isHedger(PledgeId pledgeId, address pledger, address account) private view returns (bool) {
        return account == pledger || _affiliates[pledgeId][account];
    }

    /// @dev Whether BREACH was reported for a resolved breach condition.
    function _breached(ConditionId conditionId) private view returns (bool) {
        return vault.getCondition(conditionId).payoutNumerators[BREACH] != 0;
    }

    function _questionOf(PledgeId pledgeId) private pure returns (bytes32) {
        return bytes32(PledgeId.unwrap(pledgeId));
    }

    function _conditionOf(PledgeId pledgeId) private view returns (ConditionId) {
        return vault.conditionIdOf(address(this), _questionOf(pledgeId), _OUTCOMES);
    }
}
