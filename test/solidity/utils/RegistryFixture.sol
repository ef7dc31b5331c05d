// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IArbiter} from "../../../contracts/interfaces/IArbiter.sol";
import {IOptimisticResolution} from "../../../contracts/interfaces/IOptimisticResolution.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {PledgeRegistry} from "../../../contracts/registry/PledgeRegistry.sol";
import {MockArbiter} from "../../mocks/MockArbiter.sol";
import {MockERC20} from "../../mocks/MockERC20.sol";
import {ChallengeId, PledgeId} from "../../../contracts/types/Ids.sol";

/// @notice The `mint(address,uint256)` every test token in contracts/test/ has.
interface IMintable {
    function mint(address to, uint256 amount) external;
}

/// @notice Shared setup for PledgeRegistry tests: one registry with a default configuration, a plain
/// ERC-20, a MockArbiter bound to the registry, named actors, and helpers that drive a pledge into
/// each lifecycle state. The amounts are odd on purpose, so every split has dust to round.
abstract contract RegistryFixture is Test {
    address internal constant BURN = 0x000000000000000000000000000000000000dEaD;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant START = 1_700_000_000;

    // Registry configuration.
    uint16 internal constant REWARD_BPS = 1_000; // 10 %
    uint16 internal constant FEE_BPS = 500; // 5 %
    uint32 internal constant MIN_LIVENESS = 1 hours;
    uint32 internal constant MAX_LIVENESS = 7 days;
    uint32 internal constant MAX_GRACE = 30 days;
    uint32 internal constant TIMEOUT = 3 days;

    // The standard pledge.
    uint64 internal constant TERM = 30 days;
    uint32 internal constant GRACE = 7 days;
    uint32 internal constant LIVENESS = 1 days;
    uint128 internal constant BOND = 1_234_567;
    uint128 internal constant CHALLENGE_BOND = 10_001;
    bytes32 internal constant TERMS_HASH = keccak256("terms v1");
    string internal constant TERMS_URI = "ipfs://terms";
    string internal constant EVIDENCE_URI = "ipfs://evidence";

    // What the standard pledge pays, worked out by hand (floor of each share):
    // reward = floor(1_234_567 * 1_000 / 10_000) = 123_456; beneficiary gets 1_234_567 - 123_456.
    uint256 internal constant REWARD = 123_456;
    uint256 internal constant BENEFICIARY_SHARE = 1_111_111;
    // fee = ceil(10_001 * 500 / 10_000) = ceil(500.05) = 501; the winner of a dispute gets 2 * 10_001 - 501.
    uint256 internal constant FEE = 501;
    uint256 internal constant DISPUTE_WIN = 19_501;

    // Allowed-state bitmaps of each entry point (bit i = PledgeState i), written out independently.
    uint256 internal constant ALLOWED_TOP_UP = (1 << 1) | (1 << 2) | (1 << 3); // Active, Challenged, Disputed
    uint256 internal constant ALLOWED_FINALIZE = (1 << 4) | (1 << 6); // Slashable, Releasable
    uint256 internal constant ALLOWED_CHALLENGE = 1 << 1; // Active
    uint256 internal constant ALLOWED_DISPUTE = 1 << 2; // Challenged
    uint256 internal constant ALLOWED_RULE = 1 << 3; // Disputed
    uint256 internal constant ALLOWED_VOID = 1 << 5; // RulingOverdue
    uint256 internal constant ALLOWED_RELEASE = 1 << 1; // Active
    uint256 internal constant ALLOWED_AMEND = 1 << 1; // Active

    PledgeRegistry internal registry;
    MockERC20 internal token;
    MockArbiter internal arbiter;

    address internal pledger;
    address internal beneficiary;
    address internal challenger;
    address internal disputer;
    address internal treasury;
    address internal stranger;

    function setUp() public virtual {
        vm.warp(START);
        pledger = makeAddr("pledger");
        beneficiary = makeAddr("beneficiary");
        challenger = makeAddr("challenger");
        disputer = makeAddr("disputer");
        treasury = makeAddr("treasury");
        stranger = makeAddr("stranger");
        token = new MockERC20("Bond Token", "BOND", 18);
        _deploy(_config());
    }

    // ------------------------------------------------------------ deployment

    function _config() internal view returns (IPledgeRegistry.RegistryConfig memory) {
        return IPledgeRegistry.RegistryConfig({
            treasury: treasury,
            challengerRewardBps: REWARD_BPS,
            disputeFeeBps: FEE_BPS,
            minLiveness: MIN_LIVENESS,
            maxLiveness: MAX_LIVENESS,
            maxGrace: MAX_GRACE,
            arbitrationTimeout: TIMEOUT
        });
    }

    /// @dev Replaces the registry (and the MockArbiter bound to it) with one deployed from `cfg`.
    function _deploy(IPledgeRegistry.RegistryConfig memory cfg) internal {
        registry = new PledgeRegistry(cfg);
        arbiter = new MockArbiter(registry);
        vm.label(address(registry), "registry");
        vm.label(address(arbiter), "arbiter");
    }

    // ----------------------------------------------------------------- funds

    /// @dev Mints `amount` of `tok` to `who` and lets the registry pull any amount from it.
    function _fund(IERC20 tok, address who, uint256 amount) internal {
        IMintable(address(tok)).mint(who, amount);
        vm.prank(who);
        tok.approve(address(registry), type(uint256).max);
    }

    function _fund(address who, uint256 amount) internal {
        _fund(token, who, amount);
    }

    // ---------------------------------------------------------------- pledges

    /// @dev The standard pledge in `token`, arbitrated by the MockArbiter, term starting now.
    function _params() internal view returns (IPledgeRegistry.PledgeParams memory) {
        return IPledgeRegistry.PledgeParams({
            termsHash: TERMS_HASH,
            termsURI: TERMS_URI,
            token: token,
            bond: BOND,
            expiry: uint64(block.timestamp + TERM),
            grace: GRACE,
            beneficiary: beneficiary,
            resolution: IPledgeRegistry.ResolutionSettings({
                arbiter: IArbiter(address(arbiter)),
                liveness: LIVENESS,
                challengeBond: CHALLENGE_BOND
            })
        });
    }

    /// @dev Funds the pledger with the bond and creates the pledge as the pledger.
    function _create(IPledgeRegistry.PledgeParams memory params) internal returns (PledgeId id) {
        _fund(params.token, pledger, params.bond);
        vm.prank(pledger);
        id = registry.createPledge(params);
    }

    function _create() internal returns (PledgeId) {
        return _create(_params());
    }

    /// @dev Funds `who` with the required challenge bond and challenges as `who`.
    function _challengeAs(address who, PledgeId id) internal returns (ChallengeId cid) {
        (IERC20 tok, uint256 amount) = registry.requiredChallengeBond(id);
        _fund(tok, who, amount);
        vm.prank(who);
        cid = registry.challenge(id, EVIDENCE_URI, amount);
    }

    function _challenge(PledgeId id) internal returns (ChallengeId) {
        return _challengeAs(challenger, id);
    }

    /// @dev Funds `who` with the open challenge's bond and disputes as `who`.
    function _disputeAs(address who, PledgeId id) internal {
        IOptimisticResolution.Challenge memory c = registry.getChallenge(registry.openChallenge(id));
        _fund(registry.getPledge(id).token, who, c.bond);
        vm.prank(who);
        registry.dispute(id);
    }

    function _dispute(PledgeId id) internal {
        _disputeAs(disputer, id);
    }

    /// @dev Rules through the MockArbiter, so the registry sees the pledge's arbiter as caller.
    function _rule(ChallengeId cid, bool breached) internal {
        arbiter.rule(cid, breached);
    }

    function _end(PledgeId id) internal view returns (uint256) {
        IPledgeRegistry.Pledge memory p = registry.getPledge(id);
        return uint256(p.expiry) + p.grace;
    }

    /// @dev Funds the pledger with the bond and creates the pledge as the pledger, governed by `governor`.
    function _createGoverned(IPledgeRegistry.PledgeParams memory params, address governor)
        internal
        returns (PledgeId id)
    {
        _fund(params.token, pledger, params.bond);
        vm.prank(pledger);
        id = registry.createGovernedPledge(params, governor);
    }

    /// @dev Creates a standard pledge and drives it into `s` (warping the clock where needed).
    function _pledgeIn(IPledgeRegistry.PledgeState s) internal returns (PledgeId) {
        return _drive(_create(), s);
    }

    /// @dev Drives a standard pledge, freshly created and `Active`, into `s` (warping the clock where needed).
    function _drive(PledgeId id, IPledgeRegistry.PledgeState s) internal returns (PledgeId) {
        if (s == IPledgeRegistry.PledgeState.Active) return id;
        if (s == IPledgeRegistry.PledgeState.Releasable || s == IPledgeRegistry.PledgeState.Honored) {
            vm.warp(_end(id));
            if (s == IPledgeRegistry.PledgeState.Honored) registry.finalize(id);
        } else {
            _challenge(id);
            if (s == IPledgeRegistry.PledgeState.Slashable || s == IPledgeRegistry.PledgeState.Breached) {
                vm.warp(block.timestamp + LIVENESS);
                if (s == IPledgeRegistry.PledgeState.Breached) registry.finalize(id);
            } else if (s != IPledgeRegistry.PledgeState.Challenged) {
                _dispute(id);
                if (s == IPledgeRegistry.PledgeState.RulingOverdue) vm.warp(block.timestamp + TIMEOUT);
            }
        }
        assertEq(uint256(registry.state(id)), uint256(s), "fixture: pledge not in the requested state");
        return id;
    }

    /// @dev Every state a known pledge can be in, for tests that sweep the states an entry point refuses.
    function _knownStates() internal pure returns (IPledgeRegistry.PledgeState[8] memory) {
        return [
            IPledgeRegistry.PledgeState.Active,
            IPledgeRegistry.PledgeState.Challenged,
            IPledgeRegistry.PledgeState.Disputed,
            IPledgeRegistry.PledgeState.Slashable,
            IPledgeRegistry.PledgeState.RulingOverdue,
            IPledgeRegistry.PledgeState.Releasable,
            IPledgeRegistry.PledgeState.Breached,
            IPledgeRegistry.PledgeState.Honored
        ];
    }

    function _expectUnexpectedState(PledgeId id, IPledgeRegistry.PledgeState current, uint256 allowed) internal {
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.UnexpectedState.selector, id, current, allowed));
    }

    function _expectUnknown(PledgeId id) internal {
        vm.expectRevert(abi.encodeWithSelector(IPledgeRegistry.PledgeUnknown.selector, id));
    }

    // ------------------------------------------------------------- assertions

    function _assertState(PledgeId id, IPledgeRegistry.PledgeState expected) internal view {
        assertEq(uint256(registry.state(id)), uint256(expected), "state");
    }

    function _claimable(address who) internal view returns (uint256) {
        return registry.claimable(who, token);
    }

    function _balance(address who) internal view returns (uint256) {
        return token.balanceOf(who);
    }
}
