// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ILmsrMarketMaker} from "../../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IMarketGate} from "../../../../contracts/interfaces/IMarketGate.sol";
import {LmsrMarketMaker} from "../../../../contracts/markets/LmsrMarketMaker.sol";
import {LmsrMath} from "../../../../contracts/markets/LmsrMath.sol";
import {OutcomeVault} from "../../../../contracts/markets/OutcomeVault.sol";
import {MockERC20} from "../../../mocks/MockERC20.sol";
import {ConditionId, PositionId} from "../../../../contracts/types/MarketIds.sol";

/// @notice Shared setup for LmsrMarketMaker tests: one vault, one maker on it, a plain ERC-20, an oracle that prepares
/// conditions and opens their markets (paying the subsidy), a sponsor credited with them, and traders who approved
/// the maker for collateral and for their positions.
abstract contract MakerFixture is Test {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant FUNDS = 1e30;
    PositionId internal constant ROOT = PositionId.wrap(0);
    IMarketGate internal constant NO_GATE = IMarketGate(address(0));

    OutcomeVault internal vault;
    LmsrMarketMaker internal maker;
    MockERC20 internal token;
    IERC20 internal col;
    address internal oracle = makeAddr("oracle");
    address internal sponsor = makeAddr("sponsor");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");

    /// @dev Collateral minted to the oracle for subsidies, so that conservation checks can add it up.
    uint256 internal subsidiesMinted;

    function _deployMaker() internal {
        vault = new OutcomeVault();
        maker = new LmsrMarketMaker(vault);
        token = new MockERC20("Collateral", "COL", 18);
        col = IERC20(address(token));
        _fundTrader(alice);
        _fundTrader(bob);
        _fundTrader(carol);
    }

    /// @dev Mints FUNDS to `who`, approves the maker for collateral and for positions.
    function _fundTrader(address who) internal {
        token.mint(who, FUNDS);
        vm.startPrank(who);
        token.approve(address(maker), type(uint256).max);
        vault.setApprovalForAll(address(maker), true);
        vm.stopPrank();
    }

    /// @dev The oracle prepares `q` with `n` outcomes and opens its market in `col` for `sponsor`.
    function _open(bytes32 q, uint256 n, uint128 b, uint16 feeBps, IMarketGate gate) internal returns (ConditionId c) {
        vm.prank(oracle);
        c = vault.prepareCondition(q, n);
        _create(c, col, b, feeBps, gate);
    }

    /// @dev The oracle, funded with exactly the subsidy, opens the market of prepared condition `c` for `sponsor`.
    function _create(ConditionId c, IERC20 collateral, uint128 b, uint16 feeBps, IMarketGate gate)
        internal
        returns (uint256 subsidy)
    {
        return _createFor(c, collateral, b, feeBps, sponsor, gate);
    }

    /// @dev As `_create`, crediting `sponsor_`.
    function _createFor(
        ConditionId c,
        IERC20 collateral,
        uint128 b,
        uint16 feeBps,
        address sponsor_,
        IMarketGate gate
    ) internal returns (uint256 subsidy) {
        uint256 n = vault.getCondition(c).outcomeCount;
        subsidy = LmsrMath.subsidy(b, n);
        MockERC20(address(collateral)).mint(oracle, subsidy);
        if (collateral == col) subsidiesMinted += subsidy;
        vm.startPrank(oracle);
        collateral.approve(address(maker), subsidy);
        maker.createMarket(c, collateral, b, feeBps, sponsor_, gate);
        vm.stopPrank();
    }

    function _buy(address who, ConditionId c, uint256 i, uint256 amount) internal returns (uint256) {
        vm.prank(who);
        return maker.buy(c, i, amount, type(uint256).max, block.timestamp, who);
    }

    function _sell(address who, ConditionId c, uint256 i, uint256 amount) internal returns (uint256) {
        vm.prank(who);
        return maker.sell(c, i, amount, 0, block.timestamp, who);
    }

    function _report(bytes32 q, uint256[] memory payouts) internal {
        vm.prank(oracle);
        vault.reportPayouts(q, payouts);
    }

    function _withdraw(ConditionId c) internal returns (uint256) {
        vm.prank(sponsor);
        return maker.withdraw(c, sponsor);
    }

    function _redeem(address who, ConditionId c) internal returns (uint256) {
        vm.prank(who);
        return vault.redeem(col, ROOT, c);
    }

    function _pos(ConditionId c, uint256 i) internal view returns (uint256) {
        return PositionId.unwrap(vault.positionId(col, ROOT, c, i));
    }

    function _market(ConditionId c) internal view returns (ILmsrMarketMaker.Market memory) {
        return maker.getMarket(c);
    }

    /// @dev The market's `q` as LmsrMath takes it.
    function _q(ConditionId c) internal view returns (uint256[] memory q) {
        ILmsrMarketMaker.Market memory m = maker.getMarket(c);
        q = new uint256[](m.outcomeCount);
        for (uint256 j; j < q.length; ++j) {
            q[j] = m.sold[j];
        }
    }

    /// @dev Checks the two bookkeeping facts the maker documents, for every outcome: it can pay every sold share
    /// (`cash + sets >= sold[j]`) and holds exactly `sets - sold[j]` of outcome j in the vault.
    function _assertBooks(ConditionId c) internal view {
        ILmsrMarketMaker.Market memory m = maker.getMarket(c);
        for (uint256 j; j < m.outcomeCount; ++j) {
            assertGe(uint256(m.cash) + m.sets, m.sold[j], "solvent: cash + sets >= sold[j]");
            assertEq(vault.balanceOf(address(maker), _pos(c, j)), m.sets - m.sold[j], "inventory = sets - sold[j]");
        }
    }

    function _v2(uint256 a, uint256 b) internal pure returns (uint256[] memory v) {
        v = new uint256[](2);
        (v[0], v[1]) = (a, b);
    }

    function _v3(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory v) {
        v = new uint256[](3);
        (v[0], v[1], v[2]) = (a, b, c);
    }

    function _sum(uint256[] memory v) internal pure returns (uint256 s) {
        for (uint256 j; j < v.length; ++j) {
            s += v[j];
        }
    }
}
