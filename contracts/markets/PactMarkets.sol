// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {ILmsrMarketMaker} from "../interfaces/ILmsrMarketMaker.sol";
import {IMarketGate} from "../interfaces/IMarketGate.sol";
import {IOutcomeVault} from "../interfaces/IOutcomeVault.sol";
import {IPactMarkets} from "../interfaces/IPactMarkets.sol";
import {IPacts} from "../interfaces/IPacts.sol";
import {IPledgeRegistry} from "../interfaces/IPledgeRegistry.sol";
import {PactId, PledgeId} from "../types/Ids.sol";
import {ConditionId} from "../types/MarketIds.sol";
import {ExactTransfer} from "../utils/ExactTransfer.sol";
import {LmsrMath} from "./LmsrMath.sol";

/// @title PactMarkets
/// @notice See {IPactMarkets}.
contract PactMarkets is IPactMarkets, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @inheritdoc IPactMarkets
    uint256 public constant BREACH = 0;
    /// @inheritdoc IPactMarkets
    uint256 public constant HONOR = 1;
    /// @inheritdoc IPactMarkets
    bytes32 public constant QUESTION_TAG = keccak256("PledgeMarkets.PactMarkets.anyMemberBreaches");
    uint256 private constant _OUTCOMES = 2;

    /// @inheritdoc IPactMarkets
    IPacts public immutable pacts;
    /// @inheritdoc IPactMarkets
    IPledgeRegistry public immutable registry;
    /// @inheritdoc IPactMarkets
    IOutcomeVault public immutable vault;
    /// @inheritdoc IPactMarkets
    ILmsrMarketMaker public immutable maker;
    /// @inheritdoc IPactMarkets
    uint256 public immutable minLiquidity;

    mapping(ConditionId => PactMarket) private _markets;

    /// @param pacts_ The Pacts contract (its registry holds the members' pledges).
    /// @param maker_ The market maker (its vault holds the conditions).
    /// @param minLiquidity_ The smallest `b` a market may open with (at least 1).
    constructor(IPacts pacts_, ILmsrMarketMaker maker_, uint256 minLiquidity_) {
        if (minLiquidity_ == 0) revert PactMarketLiquidityTooLow(0, 1);
        pacts = pacts_;
        registry = pacts_.registry();
        maker = maker_;
        vault = maker_.vault();
        minLiquidity = minLiquidity_;
    }

    /// @inheritdoc IPactMarkets
    function openMarket(PactId pactId, uint128 liquidity, uint16 feeBps)
        external
        nonReentrant
        returns (ConditionId conditionId, uint256 subsidy)
    {
        if (PactId.unwrap(pactId) > type(uint64).max) revert PactMarketPactIdTooLarge(pactId);
        IPacts.PactState pactState = pacts.state(pactId);
        if (pactState != IPacts.PactState.Active) revert PactMarketPactState(pactId, pactState);
        if (liquidity < minLiquidity) revert PactMarketLiquidityTooLow(liquidity, minLiquidity);
        IPacts.Pact memory p = pacts.getPact(pactId);
        uint256 end = uint256(p.expiry) + p.grace;
        if (block.timestamp >= end) revert PactMarketClosed(pactId, end, block.timestamp);

        // Every member's pledge: contiguous from the first (checked, so the gate needs only `first` and the count)
        // and Active. At most MAX_MEMBERS iterations.
        address[] memory list = pacts.membersOf(pactId);
        uint256 n = list.length;
        uint256 first = pacts.getMember(pactId, list[0]).pledgeId; // an Active pact has at least `quorum` >= 2
        for (uint256 i; i < n; ++i) {
            PledgeId pledgeId = PledgeId.wrap(i == 0 ? first : pacts.getMember(pactId, list[i]).pledgeId);
            if (PledgeId.unwrap(pledgeId) != first + i) {
                revert PactMarketPledgesNotContiguous(pactId, i, pledgeId, PledgeId.wrap(first + i));
            }
            IPledgeRegistry.PledgeState s = registry.state(pledgeId);
            if (s != IPledgeRegistry.PledgeState.Active) revert PactMarketMemberState(pactId, pledgeId, s);
        }
        subsidy = LmsrMath.subsidy(liquidity, _OUTCOMES);

        // Effects: the cache, then the condition (the vault reverts if this pact already has one).
        ConditionId expected = _conditionOf(pactId);
        // Casts: pactId checked above; pledge ids are Pacts' uint64; an `end` past 2^64 - 1 (expiry near 2^64 plus a
        // grace) is capped there, some 5.8e11 years away, when the pledges are Active anyway; n <= MAX_MEMBERS;
        // subsidy < b <= 2^128 - 1, and the maker refuses b above 2^96 - 1 (the cast truncates only in a call that
        // reverts).
        _markets[expected] = PactMarket({
            pactId: uint64(PactId.unwrap(pactId)),
            firstPledgeId: uint64(first),
            end: end > type(uint64).max ? type(uint64).max : uint64(end),
            members: uint16(n),
            sponsor: msg.sender,
            subsidy: uint96(subsidy)
        });
        conditionId = vault.prepareCondition(_questionOf(pactId), _OUTCOMES);
        emit PactMarketOpened(pactId, conditionId, msg.sender, liquidity, feeBps, subsidy);

        // Interactions: the subsidy passes through this contract to the maker, which pulls exactly `subsidy`.
        ExactTransfer.pullExact(p.token, msg.sender, subsidy);
        p.token.forceApprove(address(maker), subsidy);
        // This contract is the sponsor of record: the real sponsor withdraws through `withdrawSubsidy`.
        maker.createMarket(conditionId, p.token, liquidity, feeBps, address(this), this);
    }

    /// @inheritdoc IPactMarkets
    function resolve(PactId pactId) external nonReentrant returns (bool breached) {
        ConditionId conditionId = _conditionOf(pactId);
        PactMarket memory pm = _markets[conditionId];
        if (pm.sponsor == address(0)) revert PactMarketNotOpened(pactId);
        uint256 n = pm.members;
        IPledgeRegistry.PledgeState[] memory states = new IPledgeRegistry.PledgeState[](n);
        bool undecided;
        PledgeId decisive;
        for (uint256 i; i < n; ++i) {
            PledgeId pledgeId = PledgeId.wrap(uint256(pm.firstPledgeId) + i);
            IPledgeRegistry.PledgeState s = registry.state(pledgeId);
            if (s == IPledgeRegistry.PledgeState.Breached || s == IPledgeRegistry.PledgeState.Slashable) {
                breached = true;
                decisive = pledgeId;
                break;
            }
            states[i] = s;
            if (s != IPledgeRegistry.PledgeState.Honored && s != IPledgeRegistry.PledgeState.Releasable) {
                undecided = true;
            }
        }
        if (!breached && undecided) revert PactMarketUndecided(pactId, PledgeId.wrap(pm.firstPledgeId), states);
        uint256[] memory payouts = new uint256[](_OUTCOMES);
        payouts[breached ? BREACH : HONOR] = 1;
        emit PactMarketResolved(pactId, conditionId, breached, decisive);
        // The vault refuses a second report (UnexpectedConditionState).
        vault.reportPayouts(_questionOf(pactId), payouts);
    }

    /// @inheritdoc IPactMarkets
    function withdrawSubsidy(PactId pactId, address to) external nonReentrant returns (uint256 amount) {
        ConditionId conditionId = _conditionOf(pactId);
        PactMarket memory pm = _markets[conditionId];
        if (pm.sponsor == address(0)) revert PactMarketNotOpened(pactId);
        if (msg.sender != pm.sponsor) revert PactMarketCallerNotSponsor(pactId, msg.sender, pm.sponsor);
        if (to == address(0) || to == address(this)) revert PactMarketRecipientInvalid(to);
        IPacts.Pact memory p = pacts.getPact(pactId);

        // The maker refuses unless the condition is resolved, and refuses a second withdrawal: it holds the only
        // state this withdrawal changes. What arrives is measured, so a token that starts charging fees cannot make
        // this contract pay out more than it received.
        uint256 before = p.token.balanceOf(address(this));
        maker.withdraw(conditionId, address(this));
        uint256 received = p.token.balanceOf(address(this)) - before;

        uint256 toBeneficiary;
        if (received > pm.subsidy && _breached(conditionId) && _isMember(pactId, pm.sponsor)) {
            toBeneficiary = received - pm.subsidy;
        }
        amount = received - toBeneficiary;
        emit PactSubsidyWithdrawn(pactId, msg.sender, to, amount, p.beneficiary, toBeneficiary);
        // Pushed, unlike BreachMarkets' excess (credited, because a member pledge's beneficiary is the Pacts contract,
        // which books only what it pulls): the pact's beneficiary is never zero nor the Pacts contract (Pacts refuses
        // both), so nothing lands in a contract of ours outside its accounts. It was chosen by the pact's founder: if
        // it refuses the transfer, only a member-sponsor's withdrawal after a breach is blocked.
        if (toBeneficiary != 0) p.token.safeTransfer(p.beneficiary, toBeneficiary);
        if (amount != 0) p.token.safeTransfer(to, amount);
    }

    /// @inheritdoc IMarketGate
    /// @dev Reads every member's pledge state: one registry call per member (~7.9k gas per member, cold: three
    /// pledge slots; 38k at 3 members, 269k at 32), at most `Pacts.MAX_MEMBERS`; BREACH-growing trades also read
    /// the trader's (and recipient's) standing in Pacts.
    function checkTrade(ConditionId conditionId, address trader, address recipient, uint256 outcome, bool isBuy)
        external
        view
    {
        PactMarket memory pm = _markets[conditionId];
        if (pm.sponsor == address(0)) revert PactMarketUnknown(conditionId);
        PactId pactId = PactId.wrap(pm.pactId);
        if (block.timestamp >= pm.end) revert PactMarketClosed(pactId, pm.end, block.timestamp);
        uint256 first = pm.firstPledgeId;
        uint256 n = pm.members;
        for (uint256 i; i < n; ++i) {
            PledgeId pledgeId = PledgeId.wrap(first + i);
            IPledgeRegistry.PledgeState s = registry.state(pledgeId);
            if (s != IPledgeRegistry.PledgeState.Active) revert PactMarketMemberState(pactId, pledgeId, s);
        }
        // Exposure to BREACH grows by buying BREACH or by selling HONOR.
        if (isBuy == (outcome == BREACH)) {
            if (_isMember(pactId, trader)) revert PactMarketSelfHedge(pactId, trader);
            if (recipient != trader && _isMember(pactId, recipient)) revert PactMarketSelfHedge(pactId, recipient);
        }
    }

    /// @inheritdoc IPactMarkets
    function conditionOf(PactId pactId) external view returns (ConditionId) {
        return _conditionOf(pactId);
    }

    /// @inheritdoc IPactMarkets
    function questionOf(PactId pactId) external pure returns (bytes32) {
        return _questionOf(pactId);
    }

    /// @inheritdoc IPactMarkets
    function marketOf(ConditionId conditionId) external view returns (PactMarket memory) {
        return _markets[conditionId];
    }

    /// @inheritdoc IPactMarkets
    function sponsorOf(PactId pactId) external view returns (address sponsor, uint256 subsidy) {
        PactMarket storage pm = _markets[_conditionOf(pactId)];
        return (pm.sponsor, pm.subsidy);
    }

    /// @inheritdoc IPactMarkets
    function isMember(PactId pactId, address account) external view returns (bool) {
        return _isMember(pactId, account);
    }

    /// @inheritdoc IPactMarkets
    function quoteSubsidy(uint128 liquidity) external pure returns (uint256) {
        return LmsrMath.subsidy(liquidity, _OUTCOMES);
    }

    /// @dev Pledged, Honored and Breached are the standings of the members of an activated pact (Joined, Refunded
    /// and Expelled accounts never held a member pledge).
    function _isMember(PactId pactId, address account) private view returns (bool) {
        IPacts.MemberStatus s = pacts.getMember(pactId, account).status;
        return s == IPacts.MemberStatus.Pledged || s == IPacts.MemberStatus.Honored
            || s == IPacts.MemberStatus.Breached;
    }

    /// @dev Whether BREACH was reported for a resolved pact condition.
    function _breached(ConditionId conditionId) private view returns (bool) {
        return vault.getCondition(conditionId).payoutNumerators[BREACH] != 0;
    }

    function _questionOf(PactId pactId) private pure returns (bytes32) {
        return keccak256(abi.encode(QUESTION_TAG, pactId));
    }

    function _conditionOf(PactId pactId) private view returns (ConditionId) {
        return vault.conditionIdOf(address(this), _questionOf(pactId), _OUTCOMES);
    }
}
