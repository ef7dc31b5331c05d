// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IBreachMarkets} from "../../../contracts/interfaces/IBreachMarkets.sol";
import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {BreachMarkets} from "../../../contracts/markets/BreachMarkets.sol";
import {LmsrMarketMaker} from "../../../contracts/markets/LmsrMarketMaker.sol";
import {OutcomeVault} from "../../../contracts/markets/OutcomeVault.sol";
import {PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId, PositionId} from "../../../contracts/types/MarketIds.sol";
import {IMintable, RegistryFixture} from "../utils/RegistryFixture.sol";

/// @notice Shared setup for BreachMarkets tests: the registry fixture (registry, MockArbiter, bond token, actors)
/// plus an outcome vault, an LMSR market maker on it and a BreachMarkets wired to both. setUp creates the
/// standard pledge (`pledgeId`, bonded in `token`, pledger `pledger`, beneficiary `beneficiary`) and opens its
/// breach market as `sponsor`, a third party (`conditionId`, `subsidy`). BreachMarkets is the sponsor of record in
/// the maker; `sponsor` is the one in `markets.sponsorOf` and withdraws through `markets.withdrawSubsidy`. The maker
/// splits the whole subsidy into full sets at opening: the vault holds the collateral, the maker none. Traders are
/// funded generously and have approved the maker for the bond token and for their vault positions; the amounts
/// are odd so every cost has dust to round.
abstract contract BreachFixture is RegistryFixture {
    uint256 internal constant BREACH = 0;
    uint256 internal constant HONOR = 1;
    uint256 internal constant MAX_AFFILIATES = 32;
    PositionId internal constant ROOT = PositionId.wrap(0);

    // BreachMarkets and market configuration.
    uint256 internal constant MIN_LIQUIDITY = 100e18;
    uint128 internal constant LIQUIDITY = 1_000e18 + 7;
    uint16 internal constant TRADE_FEE_BPS = 150; // 1.5 %
    uint256 internal constant TRADER_FUNDS = 1e27;
    uint256 internal constant SHARES = 250e18 + 3;

    OutcomeVault internal vault;
    LmsrMarketMaker internal maker;
    BreachMarkets internal markets;

    address internal sponsor;
    address internal alice;
    address internal bob;
    address internal affiliate;
    address internal attacker;

    /// @dev The standard pledge and its breach market, opened by `sponsor` in setUp.
    PledgeId internal pledgeId;
    ConditionId internal conditionId;
    uint256 internal subsidy;

    function setUp() public virtual override {
        super.setUp();
        sponsor = makeAddr("sponsor");
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        affiliate = makeAddr("affiliate");
        attacker = makeAddr("attacker");

        vault = new OutcomeVault();
        maker = new LmsrMarketMaker(vault);
        markets = new BreachMarkets(registry, maker, MIN_LIQUIDITY);
        vm.label(address(vault), "vault");
        vm.label(address(maker), "maker");
        vm.label(address(markets), "markets");

        address[6] memory traders = [alice, bob, affiliate, attacker, stranger, pledger];
        for (uint256 i; i < traders.length; ++i) {
            _fundTrader(token, traders[i]);
        }

        pledgeId = _create();
        (conditionId, subsidy) = _open(pledgeId);
    }

    // ----------------------------------------------------------------- funds

    /// @dev Mints TRADER_FUNDS of `tok` to `who`, approves the maker for it and for `who`'s vault positions.
    function _fundTrader(IERC20 tok, address who) internal {
        IMintable(address(tok)).mint(who, TRADER_FUNDS);
        vm.startPrank(who);
        tok.approve(address(maker), type(uint256).max);
        vault.setApprovalForAll(address(maker), true);
        vm.stopPrank();
    }

    // --------------------------------------------------------------- markets

    /// @dev Mints `who` exactly the subsidy for `b`, approves BreachMarkets for it and opens `id`'s market as `who`.
    function _openAs(address who, PledgeId id, uint128 b, uint16 feeBps)
        internal
        returns (ConditionId c, uint256 paid)
    {
        IERC20 tok = registry.getPledge(id).token;
        uint256 amount = markets.quoteSubsidy(b);
        IMintable(address(tok)).mint(who, amount);
        vm.prank(who);
        tok.approve(address(markets), amount);
        vm.prank(who);
        (c, paid) = markets.openMarket(id, b, feeBps);
    }

    function _open(PledgeId id) internal returns (ConditionId, uint256) {
        return _openAs(sponsor, id, LIQUIDITY, TRADE_FEE_BPS);
    }

    /// @dev Buys as `who` (funded in setUp) for `recipient`; returns the cost paid, fee included.
    function _buyFor(address who, ConditionId c, uint256 outcome, uint256 amount, address recipient)
        internal
        returns (uint256)
    {
        vm.prank(who);
        return maker.buy(c, outcome, amount, type(uint256).max, block.timestamp, recipient);
    }

    function _buy(address who, ConditionId c, uint256 outcome, uint256 amount) internal returns (uint256) {
        return _buyFor(who, c, outcome, amount, who);
    }

    function _buy(address who, uint256 outcome, uint256 amount) internal returns (uint256) {
        return _buyFor(who, conditionId, outcome, amount, who);
    }

    /// @dev Sells as `who` (approved in setUp), proceeds to `recipient`; returns the proceeds.
    function _sellFor(address who, ConditionId c, uint256 outcome, uint256 amount, address recipient)
        internal
        returns (uint256)
    {
        vm.prank(who);
        return maker.sell(c, outcome, amount, 0, block.timestamp, recipient);
    }

    function _sell(address who, uint256 outcome, uint256 amount) internal returns (uint256) {
        return _sellFor(who, conditionId, outcome, amount, who);
    }

    /// @dev The top-level position of `outcome` of `c` on `token`.
    function _pos(ConditionId c, uint256 outcome) internal view returns (uint256) {
        return _posOf(token, c, outcome);
    }

    /// @dev The top-level position of `outcome` of `c` on `tok`.
    function _posOf(IERC20 tok, ConditionId c, uint256 outcome) internal view returns (uint256) {
        return PositionId.unwrap(vault.positionId(tok, ROOT, c, outcome));
    }

    function _shares(address who, uint256 outcome) internal view returns (uint256) {
        return vault.balanceOf(who, _pos(conditionId, outcome));
    }

    /// @dev The condition id computed here, independently of BreachMarkets: (markets, bytes32(pledgeId), 2).
    function _expectedCondition(PledgeId id) internal view returns (ConditionId) {
        return ConditionId.wrap(keccak256(abi.encode(address(markets), bytes32(PledgeId.unwrap(id)), uint256(2))));
    }

    function _question(PledgeId id) internal pure returns (bytes32) {
        return bytes32(PledgeId.unwrap(id));
    }

    /// @dev Withdraws `id`'s market as `who` through BreachMarkets; returns what `to` received.
    function _withdrawSubsidy(address who, PledgeId id, address to) internal returns (uint256) {
        vm.prank(who);
        return markets.withdrawSubsidy(id, to);
    }

    /// @dev Challenges `id`, lets the challenge stand, finalizes it Breached and resolves its market to BREACH.
    function _breachAndResolve(PledgeId id) internal {
        _challenge(id);
        vm.warp(block.timestamp + LIVENESS);
        assertEq(uint256(registry.finalize(id)), uint256(IPledgeRegistry.Outcome.Breached));
        assertTrue(markets.resolve(id), "resolved to BREACH");
    }

    /// @dev Runs `id` to the end of its grace unchallenged, finalizes it Honored and resolves its market to HONOR.
    function _honorAndResolve(PledgeId id) internal {
        vm.warp(_end(id));
        assertEq(uint256(registry.finalize(id)), uint256(IPledgeRegistry.Outcome.Honored));
        assertFalse(markets.resolve(id), "resolved to HONOR");
    }

    function _payouts(uint256 breach, uint256 honor) internal pure returns (uint256[] memory v) {
        v = new uint256[](2);
        v[0] = breach;
        v[1] = honor;
    }

    // ------------------------------------------------------------ expectations

    function _expectPledgeState(PledgeId id, IPledgeRegistry.PledgeState current) internal {
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketPledgeState.selector, id, current));
    }

    function _expectSelfHedge(PledgeId id, address account) internal {
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketSelfHedge.selector, id, account));
    }

    function _expectMarketState(
        ConditionId c,
        ILmsrMarketMaker.MarketState current,
        ILmsrMarketMaker.MarketState allowed
    ) internal {
        vm.expectRevert(abi.encodeWithSelector(ILmsrMarketMaker.UnexpectedMarketState.selector, c, current, allowed));
    }

    function _expectNotSponsor(PledgeId id, address caller, address realSponsor) internal {
        vm.expectRevert(
            abi.encodeWithSelector(IBreachMarkets.BreachMarketCallerNotSponsor.selector, id, caller, realSponsor)
        );
    }

    function _expectRecipientInvalid(address to) internal {
        vm.expectRevert(abi.encodeWithSelector(IBreachMarkets.BreachMarketRecipientInvalid.selector, to));
    }

    function _expectConditionState(
        ConditionId c,
        IOutcomeVault.ConditionState current,
        IOutcomeVault.ConditionState allowed
    ) internal {
        vm.expectRevert(abi.encodeWithSelector(IOutcomeVault.UnexpectedConditionState.selector, c, current, allowed));
    }

    // ------------------------------------------------------------- accounting

    /// @dev Everyone who can hold the bond token in these tests, contracts included.
    function _holders() internal view returns (address[14] memory) {
        return [
            pledger,
            beneficiary,
            challenger,
            disputer,
            treasury,
            stranger,
            sponsor,
            alice,
            bob,
            affiliate,
            attacker,
            BURN,
            address(registry),
            address(vault)
        ];
    }

    /// @dev Bond-token balances and registry claimables of every holder but the attacker (the vault included), and
    /// the balances of BreachMarkets and the maker: a snapshot to show that an attack moved nobody else's funds.
    /// (An attacker's own market would move the vault's and the maker's balances: take the snapshot after it.)
    function _snapshot() internal view returns (uint256[] memory s) {
        address[14] memory h = _holders();
        s = new uint256[](2 * h.length + 2);
        for (uint256 i; i < h.length; ++i) {
            if (h[i] == attacker) continue;
            s[2 * i] = token.balanceOf(h[i]);
            s[2 * i + 1] = registry.claimable(h[i], token);
        }
        s[2 * h.length] = token.balanceOf(address(markets));
        s[2 * h.length + 1] = token.balanceOf(address(maker));
    }

    function _assertUnchanged(uint256[] memory before) internal view {
        uint256[] memory afterwards = _snapshot();
        for (uint256 i; i < before.length; ++i) {
            assertEq(afterwards[i], before[i], "a balance or claimable moved");
        }
    }

    /// @dev The maker's stored books of market `c` (collateral, fee, gate, sponsor, b, cash, sets, sold), hashed.
    function _marketHash(ConditionId c) internal view returns (bytes32) {
        return keccak256(abi.encode(maker.getMarket(c)));
    }

    /// @dev Every wei of the bond token ever minted is held by a known actor or contract.
    function _assertConservation() internal view {
        address[14] memory h = _holders();
        uint256 sum = token.balanceOf(address(maker)) + token.balanceOf(address(markets));
        for (uint256 i; i < h.length; ++i) {
            sum += token.balanceOf(h[i]);
        }
        assertEq(sum, token.totalSupply(), "bond token not conserved");
    }

    /// @dev The LMSR `q` of outcome `outcome` in market `c`: shares traders hold and have not sold back.
    function _sold(ConditionId c, uint256 outcome) internal view returns (uint256) {
        return maker.getMarket(c).sold[outcome];
    }

    /// @dev `id`'s sponsor in BreachMarkets is `expectedSponsor`, which paid `expectedSubsidy`; BreachMarkets is the
    /// sponsor of record in the maker (for every opened market).
    function _assertSponsor(PledgeId id, address expectedSponsor, uint256 expectedSubsidy) internal view {
        (address s, uint256 paid) = markets.sponsorOf(id);
        assertEq(s, expectedSponsor, "sponsorOf: sponsor");
        assertEq(paid, expectedSubsidy, "sponsorOf: subsidy");
        assertEq(maker.getMarket(markets.conditionOf(id)).sponsor, address(markets), "maker's sponsor of record");
    }
}
