// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IBreachMarkets} from "../interfaces/IBreachMarkets.sol";
import {IConditionalPools} from "../interfaces/IConditionalPools.sol";
import {IFutarchyDecisions} from "../interfaces/IFutarchyDecisions.sol";
import {IOutcomeVault} from "../interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../interfaces/IPledgeRegistry.sol";
import {PoolId, ProposalId} from "../types/FutarchyIds.sol";
import {PledgeId} from "../types/Ids.sol";
import {ConditionId, PositionId} from "../types/MarketIds.sol";
import {ExactTransfer} from "../utils/ExactTransfer.sol";
import {DecisionMath} from "./libraries/DecisionMath.sol";
import {TwapOracle} from "./libraries/TwapOracle.sol";

/// @title FutarchyDecisions
/// @notice See {IFutarchyDecisions}.
contract FutarchyDecisions is IFutarchyDecisions, IERC1155Receiver, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Outcome index of PASS in every decision condition.
    uint256 public constant PASS = 0;
    /// @notice Outcome index of FAIL in every decision condition.
    uint256 public constant FAIL = 1;
    /// @inheritdoc IFutarchyDecisions
    uint256 public constant MIN_ATTACK_BLOCKS = 100;
    /// @notice Receives stakes forfeited by pledges without a beneficiary.
    address public constant BURN_ADDRESS = 0x000000000000000000000000000000000000dEaD;
    uint256 private constant _BPS = 10_000;
    uint256 private constant _OUTCOMES = 2;

    /// @dev A proposal as stored (5 slots); ids of its condition and pools are derived from its id.
    struct Stored {
        uint96 pledgeId;
        address proposer;
        IERC20 metricToken;
        uint64 end;
        Kind kind;
        Metric metric;
        bool decided;
        bool passed;
        IERC20 quoteToken;
        uint64 expiry;
        bool executed;
        uint128 stake;
        uint128 bond;
        bytes32 termsHash;
    }

    /// @dev A proposal being made (memory only): its inputs and what `propose` derives from them.
    struct Draft {
        PledgeId pledgeId;
        Kind kind;
        Metric metric;
        IERC20 metricToken;
        IERC20 quoteToken;
        uint128 metricAmount;
        uint128 quoteAmount;
        uint64 end;
        uint128 stake;
        IERC20 stakeToken;
        ConditionId breachCondition;
        DecisionParams params;
    }

    /// @dev A pledge's proposal bookkeeping (1 slot).
    struct PledgeSlot {
        uint64 open;
        uint64 cooldownUntil;
    }

    /// @inheritdoc IFutarchyDecisions
    IPledgeRegistry public immutable registry;
    /// @inheritdoc IFutarchyDecisions
    IOutcomeVault public immutable vault;
    /// @inheritdoc IFutarchyDecisions
    IConditionalPools public immutable pools;
    /// @inheritdoc IFutarchyDecisions
    IBreachMarkets public immutable breachMarkets;
    /// @notice The block time (seconds) the parameter check assumes.
    uint64 public immutable blockTime;

    DecisionParams private _release;
    DecisionParams private _amend;
    uint256 private _count;
    mapping(ProposalId => Stored) private _proposals;
    mapping(PledgeId => PledgeSlot) private _pledges;
    mapping(address => mapping(IERC20 => uint256)) private _claimable;
    /// @dev Amendments' terms URIs, passed on to the registry on execution.
    mapping(ProposalId => string) private _termsURIs;

    /// @param registry_ The registry whose governed pledges this contract may release or amend.
    /// @param pools_ The conditional pools (their vault holds the decision conditions).
    /// @param breachMarkets_ The breach markets (Risk metric); must share the pools' vault.
    /// @param releaseParams The parameters of release decisions.
    /// @param amendParams The parameters of amendment decisions.
    /// @param blockTime_ The chain's block time in seconds, for the manipulation check (`MIN_ATTACK_BLOCKS`).
    constructor(
        IPledgeRegistry registry_,
        IConditionalPools pools_,
        IBreachMarkets breachMarkets_,
        DecisionParams memory releaseParams,
        DecisionParams memory amendParams,
        uint64 blockTime_
    ) {
        IOutcomeVault vault_ = pools_.vault();
        if (address(breachMarkets_.vault()) != address(vault_)) {
            revert ParamsUnsafe(Kind.Release, "breachMarkets.vault", uint160(address(breachMarkets_.vault())), 0);
        }
        if (address(breachMarkets_.registry()) != address(registry_)) {
            revert ParamsUnsafe(Kind.Release, "breachMarkets.registry", uint160(address(breachMarkets_.registry())), 0);
        }
        if (blockTime_ == 0) revert ParamsUnsafe(Kind.Release, "blockTime", 0, 0);
        registry = registry_;
        pools = pools_;
        vault = vault_;
        breachMarkets = breachMarkets_;
        blockTime = blockTime_;
        _checkParams(Kind.Release, releaseParams, pools_.MAX_FEE_BPS(), blockTime_);
        _checkParams(Kind.Amend, amendParams, pools_.MAX_FEE_BPS(), blockTime_);
        _release = releaseParams;
        _amend = amendParams;
        vault_.setApprovalForAll(address(pools_), true);
    }

    /// @inheritdoc IFutarchyDecisions
    function propose(
        PledgeId pledgeId,
        Kind kind,
        Metric metric,
        IERC20 metricToken,
        IERC20 quoteToken,
        uint128 metricAmount,
        uint128 quoteAmount,
        IPledgeRegistry.Amendment calldata amendment
    ) external nonReentrant returns (ProposalId proposalId) {
        Draft memory d = Draft({
            pledgeId: pledgeId,
            kind: kind,
            metric: metric,
            metricToken: metricToken,
            quoteToken: quoteToken,
            metricAmount: metricAmount,
            quoteAmount: quoteAmount,
            end: 0,
            stake: 0,
            stakeToken: IERC20(address(0)),
            breachCondition: ConditionId.wrap(0),
            params: kind == Kind.Release ? _release : _amend
        });
        _checkDraft(d, amendment);
        proposalId = _record(d, amendment);

        // Interactions: stake and liquidity in, condition, splits, pools.
        if (d.stake != 0) ExactTransfer.pullExact(d.stakeToken, msg.sender, d.stake);
        ConditionId decision = vault.prepareCondition(_questionOf(proposalId), _OUTCOMES);
        if (metric == Metric.Price) _seedPricePools(proposalId, decision, d);
        else _seedRiskPools(proposalId, decision, d);
    }

    /// @inheritdoc IFutarchyDecisions
    function finalize(ProposalId proposalId) external nonReentrant returns (bool passed) {
        _requireState(proposalId, ProposalState.Decidable);
        Stored storage p = _proposals[proposalId];
        DecisionParams memory params = p.kind == Kind.Release ? _release : _amend;
        (uint256 passValue, uint256 failValue) = _values(proposalId, p.metric);
        passed = _decide(p.metric, passValue, failValue, params.thresholdBps);

        // Effects: the decision, the pledge's bookkeeping, the stake.
        PledgeId pledgeId = PledgeId.wrap(p.pledgeId);
        p.decided = true;
        p.passed = passed;
        PledgeSlot storage slot = _pledges[pledgeId];
        slot.open = 0;
        if (!passed) slot.cooldownUntil = uint64(block.timestamp) + params.cooldown; // fits: cooldown < 2^32
        uint128 stake = p.stake;
        if (stake != 0) {
            IPledgeRegistry.Pledge memory pledge = registry.getPledge(pledgeId);
            address to = p.proposer;
            if (!passed) to = pledge.beneficiary == address(0) ? BURN_ADDRESS : pledge.beneficiary;
            _credit(to, pledge.token, stake);
        }
        // Recorded as executed before the registry call (checks-effects-interactions); undone below if the
        // registry refuses: the decision stands either way, and `execute` retries.
        if (passed) p.executed = true;
        emit ProposalFinalized(proposalId, passed, passValue, failValue);

        // Interactions: the vault learns the decision; on PASS the registry executes.
        uint256[] memory payouts = new uint256[](_OUTCOMES);
        payouts[passed ? PASS : FAIL] = 1;
        vault.reportPayouts(_questionOf(proposalId), payouts);
        if (passed) {
            (bool ok, bytes memory reason) = _tryExecuteInRegistry(proposalId, p);
            if (ok) {
                emit ProposalExecuted(proposalId, pledgeId, p.kind);
            } else {
                p.executed = false;
                emit ExecutionFailed(proposalId, reason);
            }
        }
    }

    /// @inheritdoc IFutarchyDecisions
    function execute(ProposalId proposalId) external nonReentrant {
        _requireState(proposalId, ProposalState.Passed);
        Stored storage p = _proposals[proposalId];
        if (p.executed) revert ProposalAlreadyExecuted(proposalId);
        p.executed = true;
        emit ProposalExecuted(proposalId, PledgeId.wrap(p.pledgeId), p.kind);
        (bool ok, bytes memory reason) = _tryExecuteInRegistry(proposalId, p);
        if (!ok) {
            // Bubble the registry's error (the flag is undone with the rest of the call).
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                revert(add(reason, 0x20), mload(reason))
            }
        }
    }

    /// @inheritdoc IFutarchyDecisions
    function claim(IERC20 token, address to) external nonReentrant returns (uint256 amount) {
        if (to == address(0) || to == address(this)) revert ClaimRecipientInvalid(to);
        amount = _claimable[msg.sender][token];
        if (amount == 0) revert NothingToClaim(msg.sender, token);
        _claimable[msg.sender][token] = 0;
        emit Claimed(msg.sender, token, to, amount);
        token.safeTransfer(to, amount);
    }

    /// @inheritdoc IFutarchyDecisions
    function flushBurned(IERC20 token) external nonReentrant returns (uint256 amount) {
        amount = _claimable[BURN_ADDRESS][token];
        if (amount == 0) revert NothingToClaim(BURN_ADDRESS, token);
        _claimable[BURN_ADDRESS][token] = 0;
        emit BurnFlushed(token, amount);
        token.safeTransfer(BURN_ADDRESS, amount);
    }

    /// @inheritdoc IERC1155Receiver
    /// @dev Accepts only the vault's mints and transfers that this contract initiated (its own splits).
    function onERC1155Received(address operator, address, uint256, uint256, bytes calldata)
        external
        view
        returns (bytes4)
    {
        _checkInbound(operator);
        return IERC1155Receiver.onERC1155Received.selector;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155BatchReceived(address operator, address, uint256[] calldata, uint256[] calldata, bytes calldata)
        external
        view
        returns (bytes4)
    {
        _checkInbound(operator);
        return IERC1155Receiver.onERC1155BatchReceived.selector;
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    /// @inheritdoc IFutarchyDecisions
    function standing(ProposalId proposalId) external view returns (uint256 passValue, uint256 failValue, bool passing) {
        Stored storage p = _proposals[proposalId];
        if (p.proposer == address(0)) revert ProposalUnknown(proposalId);
        (passValue, failValue) = _values(proposalId, p.metric);
        DecisionParams memory params = p.kind == Kind.Release ? _release : _amend;
        passing = _decide(p.metric, passValue, failValue, params.thresholdBps);
    }

    /// @inheritdoc IFutarchyDecisions
    function decide(Metric metric, uint256 passValue, uint256 failValue, uint256 thresholdBps)
        external
        pure
        returns (bool)
    {
        return _decide(metric, passValue, failValue, thresholdBps);
    }

    /// @inheritdoc IFutarchyDecisions
    function getProposal(ProposalId proposalId) external view returns (Proposal memory out) {
        Stored storage p = _proposals[proposalId];
        if (p.proposer == address(0)) return out;
        out.pledgeId = PledgeId.wrap(p.pledgeId);
        out.proposer = p.proposer;
        out.kind = p.kind;
        out.metric = p.metric;
        out.decided = p.decided;
        out.passed = p.passed;
        out.executed = p.executed;
        out.end = p.end;
        out.metricToken = p.metricToken;
        out.quoteToken = p.quoteToken;
        out.stakeToken = _stakeToken(out.pledgeId);
        out.stake = p.stake;
        out.decision = vault.conditionIdOf(address(this), _questionOf(proposalId), _OUTCOMES);
        out.passPool = _poolOf(proposalId, PASS);
        out.failPool = _poolOf(proposalId, FAIL);
        out.termsHash = p.termsHash;
        out.expiry = p.expiry;
        out.bond = p.bond;
    }

    /// @inheritdoc IFutarchyDecisions
    function proposalState(ProposalId proposalId) public view returns (ProposalState) {
        Stored storage p = _proposals[proposalId];
        if (p.proposer == address(0)) return ProposalState.None;
        if (p.decided) return p.passed ? ProposalState.Passed : ProposalState.Failed;
        return block.timestamp < p.end ? ProposalState.Trading : ProposalState.Decidable;
    }

    /// @inheritdoc IFutarchyDecisions
    function pledgeProposals(PledgeId pledgeId) external view returns (ProposalId open, uint64 cooldownUntil) {
        PledgeSlot memory slot = _pledges[pledgeId];
        return (ProposalId.wrap(slot.open), slot.cooldownUntil);
    }

    /// @inheritdoc IFutarchyDecisions
    function paramsOf(Kind kind) external view returns (DecisionParams memory) {
        return kind == Kind.Release ? _release : _amend;
    }

    /// @inheritdoc IFutarchyDecisions
    function claimable(address account, IERC20 token) external view returns (uint256) {
        return _claimable[account][token];
    }

    /// @inheritdoc IFutarchyDecisions
    function proposalCount() external view returns (uint256) {
        return _count;
    }

    /// @dev The checks of `propose`: the pledge is governed here, the caller is its pledger, it is Active, nothing is
    /// open, no cooldown runs; the metric, liquidity and amendment are valid. Fills in `end`, the stake and, for
    /// Risk, the breach condition (and clears the unused metric token and amount).
    function _checkDraft(Draft memory d, IPledgeRegistry.Amendment calldata amendment) private view {
        address governor = registry.governorOf(d.pledgeId);
        if (governor != address(this)) revert PledgeNotGoverned(d.pledgeId, governor);
        IPledgeRegistry.Pledge memory pledge = registry.getPledge(d.pledgeId);
        if (msg.sender != pledge.pledger) revert CallerNotPledger(d.pledgeId, msg.sender, pledge.pledger);
        IPledgeRegistry.PledgeState current = registry.state(d.pledgeId);
        if (current != IPledgeRegistry.PledgeState.Active) revert PledgeNotActive(d.pledgeId, current);
        if (block.timestamp >= pledge.expiry) revert PledgeTermEnded(d.pledgeId, pledge.expiry, block.timestamp);
        PledgeSlot memory slot = _pledges[d.pledgeId];
        if (slot.open != 0) revert ProposalAlreadyOpen(d.pledgeId, ProposalId.wrap(slot.open));
        if (block.timestamp < slot.cooldownUntil) {
            revert CooldownActive(d.pledgeId, slot.cooldownUntil, block.timestamp);
        }
        d.end = uint64(block.timestamp) + d.params.window; // window < 2^32: fits
        if (d.metric == Metric.Risk) {
            d.breachCondition = breachMarkets.conditionOf(d.pledgeId);
            if (
                d.kind == Kind.Release
                    || vault.conditionState(d.breachCondition) != IOutcomeVault.ConditionState.Prepared
            ) revert MetricUnavailable(d.kind, d.metric);
            if (address(d.quoteToken) == address(0) || d.quoteAmount == 0) {
                revert LiquidityInvalid(d.metricToken, d.quoteToken, d.metricAmount, d.quoteAmount);
            }
            d.metricToken = IERC20(address(0));
            d.metricAmount = 0;
        } else if (
            address(d.metricToken) == address(0) || address(d.quoteToken) == address(0)
                || d.metricToken == d.quoteToken || d.metricAmount == 0 || d.quoteAmount == 0
        ) {
            revert LiquidityInvalid(d.metricToken, d.quoteToken, d.metricAmount, d.quoteAmount);
        }
        if (
            d.kind == Kind.Amend
                && (amendment.expiry <= d.end || amendment.bond == 0 || amendment.bond > pledge.bond)
        ) revert AmendmentInvalid(amendment.expiry, amendment.bond, d.end, pledge.bond);
        d.stake = uint128(Math.mulDiv(pledge.bond, d.params.stakeBps, _BPS, Math.Rounding.Ceil)); // <= bond
        d.stakeToken = pledge.token;
    }

    /// @dev The effects of `propose`: stores the proposal, marks it open on its pledge, emits.
    function _record(Draft memory d, IPledgeRegistry.Amendment calldata amendment)
        private
        returns (ProposalId proposalId)
    {
        proposalId = ProposalId.wrap(++_count);
        Stored storage p = _proposals[proposalId];
        p.pledgeId = uint96(PledgeId.unwrap(d.pledgeId)); // registry ids count up from 1: far below 2^96
        p.proposer = msg.sender;
        p.metricToken = d.metricToken;
        p.end = d.end;
        p.kind = d.kind;
        p.metric = d.metric;
        p.quoteToken = d.quoteToken;
        p.stake = d.stake;
        if (d.kind == Kind.Amend) {
            p.expiry = amendment.expiry;
            p.bond = amendment.bond;
            p.termsHash = amendment.termsHash;
            _termsURIs[proposalId] = amendment.termsURI;
        }
        _pledges[d.pledgeId].open = uint64(ProposalId.unwrap(proposalId)); // ids below 2^64
        emit ProposalCreated(
            proposalId,
            d.pledgeId,
            msg.sender,
            d.kind,
            d.metric,
            vault.conditionIdOf(address(this), _questionOf(proposalId), _OUTCOMES),
            _poolOf(proposalId, PASS),
            _poolOf(proposalId, FAIL),
            d.end,
            d.stake
        );
        if (d.kind == Kind.Amend) {
            emit AmendmentProposed(proposalId, amendment.termsHash, amendment.termsURI, amendment.expiry, amendment.bond);
        }
    }

    /// @dev Splits both tokens on the decision and seeds PASS-metric/PASS-quote and FAIL-metric/FAIL-quote with
    /// the same amounts, so both oracles start at the same reference price.
    function _seedPricePools(ProposalId proposalId, ConditionId decision, Draft memory d) private {
        _pullAndSplit(d.metricToken, decision, d.metricAmount);
        _pullAndSplit(d.quoteToken, decision, d.quoteAmount);
        uint128 maxStep =
            DecisionMath.maxStepFor(Math.mulDiv(d.quoteAmount, 1e18, d.metricAmount), d.params.maxStepBps);
        for (uint256 branch = 0; branch < _OUTCOMES; ++branch) {
            IConditionalPools.PoolParams memory pp = _poolParams(
                d,
                vault.positionId(d.metricToken, PositionId.wrap(0), decision, branch),
                vault.positionId(d.quoteToken, PositionId.wrap(0), decision, branch),
                maxStep
            );
            pools.createPool(_saltOf(proposalId, branch), pp, d.metricAmount, d.quoteAmount, msg.sender);
        }
    }

    /// @dev Splits the quote token on the decision, each branch again on the breach condition, and seeds the pools
    /// BREACH|branch (metric) / HONOR|branch (quote) at the breach market's current probability. What the seed
    /// does not use of the likelier side's positions goes back to the proposer.
    function _seedRiskPools(ProposalId proposalId, ConditionId decision, Draft memory d) private {
        _pullAndSplit(d.quoteToken, decision, d.quoteAmount);
        uint256 p = breachMarkets.maker().prices(d.breachCondition)[breachMarkets.BREACH()];
        (uint256 breachSeed, uint256 honorSeed) = DecisionMath.riskSeed(d.quoteAmount, p);
        uint128 maxStep = DecisionMath.maxStepFor(Math.mulDiv(honorSeed, 1e18, breachSeed), d.params.maxStepBps);
        for (uint256 branch = 0; branch < _OUTCOMES; ++branch) {
            PositionId parent = vault.positionId(d.quoteToken, PositionId.wrap(0), decision, branch);
            vault.split(d.quoteToken, parent, d.breachCondition, d.quoteAmount);
            IConditionalPools.PoolParams memory pp = _poolParams(
                d,
                vault.positionId(d.quoteToken, parent, d.breachCondition, breachMarkets.BREACH()),
                vault.positionId(d.quoteToken, parent, d.breachCondition, breachMarkets.HONOR()),
                maxStep
            );
            // Seeds fit in 128 bits: each is at most quoteAmount.
            pools.createPool(_saltOf(proposalId, branch), pp, uint128(breachSeed), uint128(honorSeed), msg.sender);
            // The likelier side keeps the whole amount; what the other side's seed left goes back to the proposer.
            uint256 leftover = d.quoteAmount - (breachSeed < honorSeed ? breachSeed : honorSeed);
            if (leftover != 0) {
                uint256 id = PositionId.unwrap(breachSeed < honorSeed ? pp.metric : pp.quote);
                vault.safeTransferFrom(address(this), msg.sender, id, leftover, "");
            }
        }
    }

    function _poolParams(Draft memory d, PositionId metric, PositionId quote, uint128 maxStep)
        private
        view
        returns (IConditionalPools.PoolParams memory)
    {
        return IConditionalPools.PoolParams({
            metric: metric,
            quote: quote,
            feeBps: d.params.feeBps,
            start: uint64(block.timestamp),
            end: d.end,
            twapDelay: d.params.twapDelay,
            twapMaxStep: maxStep
        });
    }

    /// @dev Pulls exactly `amount` of `token` from the caller and splits it on `decision`.
    function _pullAndSplit(IERC20 token, ConditionId decision, uint128 amount) private {
        ExactTransfer.pullExact(token, msg.sender, amount);
        token.forceApprove(address(vault), amount);
        vault.split(token, PositionId.wrap(0), decision, amount);
    }

    /// @dev The registry call of a passed proposal, its refusal caught and returned.
    function _tryExecuteInRegistry(ProposalId proposalId, Stored storage p) private returns (bool ok, bytes memory reason) {
        PledgeId pledgeId = PledgeId.wrap(p.pledgeId);
        if (p.kind == Kind.Release) {
            try registry.release(pledgeId) {
                ok = true;
            } catch (bytes memory r) {
                reason = r;
            }
        } else {
            IPledgeRegistry.Amendment memory amendment = IPledgeRegistry.Amendment({
                termsHash: p.termsHash,
                termsURI: _termsURIs[proposalId],
                expiry: p.expiry,
                bond: p.bond
            });
            try registry.amend(pledgeId, amendment) {
                ok = true;
            } catch (bytes memory r) {
                reason = r;
            }
        }
    }

    function _credit(address account, IERC20 token, uint256 amount) private {
        _claimable[account][token] += amount;
        emit ClaimCredited(account, token, amount);
    }

    /// @dev The two branches' values: TWAPs (Price) or breach probabilities from the TWAP of the odds (Risk).
    function _values(ProposalId proposalId, Metric metric) private view returns (uint256 passValue, uint256 failValue) {
        passValue = pools.twap(_poolOf(proposalId, PASS));
        failValue = pools.twap(_poolOf(proposalId, FAIL));
        if (metric == Metric.Risk) {
            passValue = DecisionMath.probabilityOf(passValue);
            failValue = DecisionMath.probabilityOf(failValue);
        }
    }

    function _requireState(ProposalId proposalId, ProposalState allowed) private view {
        ProposalState current = proposalState(proposalId);
        if (current == ProposalState.None) revert ProposalUnknown(proposalId);
        if (current != allowed) revert UnexpectedProposalState(proposalId, current, allowed);
    }

    function _checkInbound(address operator) private view {
        if (msg.sender != address(vault) || operator != address(this)) {
            revert IConditionalPools.TransferUnsolicited(operator, msg.sender);
        }
    }

    function _stakeToken(PledgeId pledgeId) private view returns (IERC20) {
        return registry.getPledge(pledgeId).token;
    }

    function _poolOf(ProposalId proposalId, uint256 branch) private view returns (PoolId) {
        return PoolId.wrap(keccak256(abi.encode(address(this), _saltOf(proposalId, branch))));
    }

    /// @dev Refuses parameters out of range, and any an attacker holding both branches' spots could beat in fewer
    /// than `MIN_ATTACK_BLOCKS` blocks: pushing PASS up and FAIL down at once, each oracle must move by half the
    /// threshold (relative to the reference), in steps of at most `maxStepBps`, over the counted window.
    function _checkParams(Kind kind, DecisionParams memory p, uint256 maxFeeBps, uint64 blockTime_) private pure {
        if (p.window == 0) revert ParamsUnsafe(kind, "window", 0, 0);
        if (p.twapDelay >= p.window) revert ParamsUnsafe(kind, "twapDelay", p.twapDelay, 0);
        if (p.thresholdBps == 0 || p.thresholdBps > _BPS) revert ParamsUnsafe(kind, "thresholdBps", p.thresholdBps, 0);
        if (p.maxStepBps == 0 || p.maxStepBps > _BPS) revert ParamsUnsafe(kind, "maxStepBps", p.maxStepBps, 0);
        if (p.feeBps > maxFeeBps) revert ParamsUnsafe(kind, "feeBps", p.feeBps, 0);
        if (p.stakeBps > _BPS) revert ParamsUnsafe(kind, "stakeBps", p.stakeBps, 0);
        // Shift and step in units of 1e-8 of the reference price (bps x 1e4): half the threshold stays exact.
        uint256 blocks = TwapOracle.minAttackUpdates(
            uint128(p.thresholdBps) * 5_000, uint128(p.maxStepBps) * 10_000, blockTime_, p.window - p.twapDelay
        );
        if (blocks < MIN_ATTACK_BLOCKS) revert ParamsUnsafe(kind, "manipulation", p.thresholdBps, blocks);
    }

    function _decide(Metric metric, uint256 passValue, uint256 failValue, uint256 thresholdBps)
        private
        pure
        returns (bool)
    {
        return metric == Metric.Price
            ? DecisionMath.pricePasses(passValue, failValue, thresholdBps)
            : DecisionMath.riskPasses(passValue, failValue, thresholdBps);
    }

    function _questionOf(ProposalId proposalId) private pure returns (bytes32) {
        return bytes32(ProposalId.unwrap(proposalId));
    }

    function _saltOf(ProposalId proposalId, uint256 branch) private pure returns (bytes32) {
        return keccak256(abi.encode(proposalId, branch));
    }
}
