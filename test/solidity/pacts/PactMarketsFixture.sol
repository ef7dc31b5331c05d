// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IPactMarkets} from "../../../contracts/interfaces/IPactMarkets.sol";
import {IPacts} from "../../../contracts/interfaces/IPacts.sol";
import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {DefectionLens} from "../../../contracts/lens/DefectionLens.sol";
import {BreachMarkets} from "../../../contracts/markets/BreachMarkets.sol";
import {LmsrMarketMaker} from "../../../contracts/markets/LmsrMarketMaker.sol";
import {OutcomeVault} from "../../../contracts/markets/OutcomeVault.sol";
import {PactMarkets} from "../../../contracts/markets/PactMarkets.sol";
import {Pacts} from "../../../contracts/pacts/Pacts.sol";
import {PactId, PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId, PositionId} from "../../../contracts/types/MarketIds.sol";
import {IMintable} from "../utils/RegistryFixture.sol";
import {PactFixture} from "../utils/PactFixture.sol";

/// @notice Shared setup for PactMarkets and DefectionLens tests: the pact fixture (registry, MockArbiter, Pacts, labs
/// A, B, C, the safety fund) plus an outcome vault, an LMSR maker on it, BreachMarkets and PactMarkets wired to both,
/// and the lens over them. Traders (alice, bob and the three labs) are funded and have approved the maker for the
/// bond token and their positions. Markets are opened by `_openPact` / `_openPledge` as a given sponsor.
abstract contract PactMarketsFixture is PactFixture {
    uint256 internal constant BREACH = 0;
    uint256 internal constant HONOR = 1;
    uint256 internal constant WAD = 1e18;
    PositionId internal constant ROOT = PositionId.wrap(0);
    uint256 internal constant MIN_LIQUIDITY = 100e18;
    uint128 internal constant LIQUIDITY = 1_000e18 + 7;
    uint16 internal constant TRADE_FEE_BPS = 150;
    uint256 internal constant TRADER_FUNDS = 1e27;
    uint256 internal constant SHARES = 250e18 + 3;

    OutcomeVault internal vault;
    LmsrMarketMaker internal maker;
    BreachMarkets internal breachMarkets;
    PactMarkets internal pactMarkets;
    DefectionLens internal lens;

    address internal sponsor;
    address internal alice;
    address internal bob;

    function setUp() public virtual override {
        super.setUp();
        sponsor = makeAddr("sponsor");
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        vault = new OutcomeVault();
        maker = new LmsrMarketMaker(vault);
        breachMarkets = new BreachMarkets(registry, maker, MIN_LIQUIDITY);
        pacts = new Pacts(registry, breachMarkets); // as the Ignition modules wire it
        vm.label(address(pacts), "pacts");
        pactMarkets = new PactMarkets(pacts, maker, MIN_LIQUIDITY);
        lens = new DefectionLens(breachMarkets, pactMarkets);
        vm.label(address(vault), "vault");
        vm.label(address(maker), "maker");
        vm.label(address(breachMarkets), "breachMarkets");
        vm.label(address(pactMarkets), "pactMarkets");
        address[5] memory traders = [alice, bob, labA, labB, labC];
        for (uint256 i; i < traders.length; ++i) {
            _fundTrader(traders[i]);
        }
    }

    function _fundTrader(address who) internal {
        IMintable(address(token)).mint(who, TRADER_FUNDS);
        vm.startPrank(who);
        token.approve(address(maker), type(uint256).max);
        vault.setApprovalForAll(address(maker), true);
        vm.stopPrank();
    }

    // --------------------------------------------------------------- markets

    /// @dev Mints `who` exactly the subsidy for `b`, approves PactMarkets and opens `id`'s market as `who`.
    function _openPactAs(address who, PactId id, uint128 b) internal returns (ConditionId c, uint256 paid) {
        _mintSubsidy(who, address(pactMarkets), pactMarkets.quoteSubsidy(b));
        vm.prank(who);
        (c, paid) = pactMarkets.openMarket(id, b, TRADE_FEE_BPS);
    }

    function _openPact(PactId id) internal returns (ConditionId, uint256) {
        return _openPactAs(sponsor, id, LIQUIDITY);
    }

    /// @dev Opens the BreachMarkets market of pledge `id` as `who`.
    function _openPledgeAs(address who, PledgeId id) internal returns (ConditionId c, uint256 paid) {
        _mintSubsidy(who, address(breachMarkets), breachMarkets.quoteSubsidy(LIQUIDITY));
        vm.prank(who);
        (c, paid) = breachMarkets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
    }

    function _mintSubsidy(address who, address spender, uint256 amount) internal {
        IMintable(address(token)).mint(who, amount);
        vm.prank(who);
        token.approve(spender, amount);
    }

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

    function _sell(address who, ConditionId c, uint256 outcome, uint256 amount) internal returns (uint256) {
        vm.prank(who);
        return maker.sell(c, outcome, amount, 0, block.timestamp, who);
    }

    function _pos(ConditionId c, uint256 outcome) internal view returns (uint256) {
        return PositionId.unwrap(vault.positionId(IERC20(address(token)), ROOT, c, outcome));
    }

    function _redeem(address who, ConditionId c) internal returns (uint256) {
        vm.prank(who);
        return vault.redeem(IERC20(address(token)), ROOT, c);
    }

    // ----------------------------------------------------------------- pacts

    /// @dev An open pact of `n` seats (quorum 2), every seat taken by a fresh lab with bond MIN_BOND + i, activated.
    function _activePactOf(uint256 n) internal returns (PactId id, address[] memory labs) {
        IPacts.PactParams memory params = _pactParams();
        params.maxMembers = uint16(n);
        id = _createPact(params);
        labs = new address[](n);
        for (uint256 i; i < n; ++i) {
            labs[i] = makeAddr(string.concat("lab", vm.toString(i)));
            _join(id, labs[i], uint128(MIN_BOND + i));
        }
        pacts.activate(id);
    }

    /// @dev Challenges `member`'s pledge, disputes it (Disputed until the arbiter rules or times out).
    function _challengeAndDispute(PactId id, address member) internal {
        PledgeId pid = _pledgeOf(id, member);
        _challenge(pid);
        _dispute(pid);
    }

    function _expectMemberState(PactId id, PledgeId pid, IPledgeRegistry.PledgeState s) internal {
        vm.expectRevert(abi.encodeWithSelector(IPactMarkets.PactMarketMemberState.selector, id, pid, s));
    }

    function _expectSelfHedge(PactId id, address account) internal {
        vm.expectRevert(abi.encodeWithSelector(IPactMarkets.PactMarketSelfHedge.selector, id, account));
    }

    function _expectClosed(PactId id, uint256 end, uint256 now_) internal {
        vm.expectRevert(abi.encodeWithSelector(IPactMarkets.PactMarketClosed.selector, id, end, now_));
    }

    function _pactEnd(PactId id) internal view returns (uint256) {
        IPacts.Pact memory p = pacts.getPact(id);
        return uint256(p.expiry) + p.grace;
    }
}
