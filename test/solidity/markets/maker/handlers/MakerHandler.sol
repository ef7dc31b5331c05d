// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ILmsrMarketMaker} from "../../../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {IOutcomeVault} from "../../../../../contracts/interfaces/IOutcomeVault.sol";
import {LmsrMath} from "../../../../../contracts/markets/LmsrMath.sol";
import {MockERC20} from "../../../../mocks/MockERC20.sol";
import {MockMarketGate} from "../../../../mocks/MockMarketGate.sol";
import {ConditionId, PositionId} from "../../../../../contracts/types/MarketIds.sol";

/// @title MakerHandler
/// @notice Drives one LmsrMarketMaker on one OutcomeVault with three traders, one sponsor and one oracle. Two market
/// slots, binary (slot 0) and three-outcome (slot 1), each opened with a random `b` and fee; once a slot's market is
/// resolved, `open` starts a new one in that slot (up to `MAX_MARKETS` in all), so a run sees several generations.
/// Every market shares one gate that the handler closes and reopens and that refuses a random trader.
/// It keeps an independent model of every market (sold shares, trader positions, payouts, collateral in and out,
/// fees, the vault's share) and of the state machine, measures every token movement, and records the first
/// disagreement in `violation`; the invariant contract asserts on that record.
/// @dev Runs with `failOnRevert = false`, so a failed assertion here would be swallowed: disagreements are stored in
/// `violation` instead, every maker and vault call is wrapped in try/catch, and model arithmetic never reverts.
/// Abstract: the test file declares the concrete handler (see `LmsrMarketMakerHandler` there).
abstract contract MakerHandler is CommonBase, StdCheats, StdUtils {
    uint256 public constant NACT = 3;
    uint256 public constant NSLOT = 2;
    uint256 public constant MAX_MARKETS = 8;
    uint256 public constant ACTOR_FUNDS = 1e27;
    uint256 internal constant RAY = 1e27;
    PositionId internal constant ROOT = PositionId.wrap(0);

    uint256 internal constant A_BUY = 0;
    uint256 internal constant A_SELL = 1;
    uint256 internal constant A_WARP = 2;
    uint256 internal constant A_REPORT = 3;
    uint256 internal constant A_REDEEM = 4;
    uint256 internal constant A_WITHDRAW = 5;
    uint256 internal constant A_OPEN = 6;
    uint256 internal constant A_GATE = 7;
    uint256 public constant N_ACTIONS = 8;

    /// @notice One market as the handler models it.
    struct Mkt {
        ConditionId c;
        bytes32 q;
        uint256 n;
        uint128 b;
        uint16 fee;
        uint256 subsidy;
        bool resolved;
        bool withdrawn;
        uint256[3] payouts;
        uint256 den;
        uint256[3] sold;
        // collateral ghosts, measured
        uint256 paidIn; // what buyers paid
        uint256 paidOut; // what sales paid out
        uint256 fees; // fees on buys and sales
        uint256 withdrawnAmount; // what the sponsor withdrew
        uint256 redeemed; // what traders redeemed in the vault
        uint256 vaultHeld; // what the vault holds for this market: splits - merges - redemptions
    }

    /// @dev A trade in flight (keeps the stack shallow).
    struct Trade {
        uint256 k;
        uint256 h;
        uint256 to;
        uint256 i;
        uint256 amount;
        uint256 deadline;
        uint256 quoted;
        uint256 fee;
        uint256 tokenBefore;
        uint256 sharesBefore;
        uint256 setsBefore;
        bytes expected;
    }

    IOutcomeVault public immutable vault;
    ILmsrMarketMaker public immutable maker;
    MockERC20 public immutable token;
    IERC20 public immutable collateral;
    MockMarketGate public immutable gate;
    address public immutable oracle;
    address public immutable sponsor;
    address[NACT] internal _actors;

    /// @dev ln(n) in 1e27 fixed point (decimal reference, rounded down), n = 2, 3.
    uint256[4] internal _lnRay =
        [uint256(0), 0, 693_147_180_559_945_309_417_232_121, 1_098_612_288_668_109_691_395_245_236];

    Mkt[MAX_MARKETS] internal _m;
    /// @dev _bal[k][h][j]: actor h's position in outcome j of market k.
    uint256[3][NACT][MAX_MARKETS] internal _bal;
    uint256 public marketCount;
    uint256[NSLOT] public current;

    // ------------------------------------------------------------- ghosts
    uint256 public redemptions; // every redemption in the vault, the maker's (on withdraw) included
    uint256[N_ACTIONS] public ok;
    uint256[N_ACTIONS] public refused;
    string public violation;

    constructor(IOutcomeVault vault_, ILmsrMarketMaker maker_, MockERC20 token_, uint256 seed) {
        vault = vault_;
        maker = maker_;
        token = token_;
        collateral = IERC20(address(token_));
        gate = new MockMarketGate();
        oracle = makeAddr("oracle");
        sponsor = makeAddr("sponsor");
        for (uint256 h; h < NACT; ++h) {
            _actors[h] = makeAddr(string.concat("trader", vm.toString(h)));
            token_.mint(_actors[h], ACTOR_FUNDS);
            vm.startPrank(_actors[h]);
            token_.approve(address(maker_), type(uint256).max);
            vault_.setApprovalForAll(address(maker_), true);
            vm.stopPrank();
        }
        for (uint256 s; s < NSLOT; ++s) {
            _open(s, uint256(keccak256(abi.encode(seed, s))));
        }
    }

    // ============================================================== actions

    function buy(uint256 actorSeed, uint256 slotSeed, uint256 outcomeSeed, uint256 amountSeed, uint256 deadlineSeed)
        external
    {
        Trade memory t = _trade(actorSeed, slotSeed, outcomeSeed, deadlineSeed, true);
        Mkt storage m = _m[t.k];
        t.amount = _amount(amountSeed, 3 * uint256(m.b));
        _prepare(t, true);
        vm.prank(_actors[t.h]);
        try maker.buy(m.c, t.i, t.amount, type(uint256).max, t.deadline, _actors[t.to]) returns (uint256 paid) {
            if (t.expected.length != 0) return _fail("buy succeeded where it must be refused");
            ++ok[A_BUY];
            _afterBuy(t, paid);
        } catch (bytes memory err) {
            ++refused[A_BUY];
            if (keccak256(err) != keccak256(t.expected)) _fail("buy refused, or with another error than documented");
        }
    }

    function sell(uint256 actorSeed, uint256 slotSeed, uint256 outcomeSeed, uint256 amountSeed, uint256 deadlineSeed)
        external
    {
        Trade memory t = _trade(actorSeed, slotSeed, outcomeSeed, deadlineSeed, false);
        Mkt storage m = _m[t.k];
        // prefer an outcome the seller holds
        for (uint256 d; d < m.n && _bal[t.k][t.h][t.i] == 0; ++d) {
            t.i = (t.i + 1) % m.n;
        }
        uint256 held = _bal[t.k][t.h][t.i];
        uint256 cap = held < m.sold[t.i] ? held : m.sold[t.i];
        t.amount = _amount(amountSeed, cap);
        if (t.amount == 0) {
            if (t.expected.length == 0) return; // nothing to sell on an open market
            t.amount = 1; // refused before anything is pulled
        }
        _prepare(t, false);
        vm.prank(_actors[t.h]);
        try maker.sell(m.c, t.i, t.amount, 0, t.deadline, _actors[t.to]) returns (uint256 proceeds) {
            if (t.expected.length != 0) return _fail("sell succeeded where it must be refused");
            ++ok[A_SELL];
            _afterSell(t, proceeds);
        } catch (bytes memory err) {
            ++refused[A_SELL];
            if (keccak256(err) != keccak256(t.expected)) _fail("sell refused, or with another error than documented");
        }
    }

    function warp(uint256 secondsSeed) external {
        ++ok[A_WARP];
        vm.warp(block.timestamp + _bound(secondsSeed, 1, 3 days));
    }

    /// @dev Reports only one call in four, so that trades build up before markets resolve.
    function report(uint256 slotSeed, uint256 payoutSeed) external {
        if (payoutSeed % 4 != 0) return;
        _report(current[slotSeed % NSLOT], payoutSeed >> 2);
    }

    function redeem(uint256 actorSeed, uint256 marketSeed) external {
        _redeem(actorSeed % NACT, marketSeed % marketCount);
    }

    /// @dev Mostly the sponsor; one call in four by a trader, which must be refused.
    function withdraw(uint256 marketSeed, uint256 callerSeed) external {
        address caller = callerSeed % 4 == 0 ? _actors[(callerSeed >> 2) % NACT] : sponsor;
        _withdraw(marketSeed % marketCount, caller);
    }

    /// @dev Starts a new market in a slot whose market is resolved, while fewer than MAX_MARKETS exist.
    function open(uint256 slotSeed, uint256 paramSeed) external {
        uint256 s = slotSeed % NSLOT;
        if (!_m[current[s]].resolved || marketCount == MAX_MARKETS) return;
        _open(s, paramSeed);
    }

    /// @dev Closes the gate one time in five; refuses one random trader one time in two.
    function setGate(uint256 seed) external {
        ++ok[A_GATE];
        gate.setClosed(seed % 5 == 0);
        uint256 r = (seed >> 8) % (2 * NACT); // r >= NACT: nobody refused
        for (uint256 h; h < NACT; ++h) {
            gate.setRefused(_actors[h], h == r);
        }
    }

    /// @notice End step: report every market still open, every trader redeems every market, the sponsor withdraws
    /// every market not withdrawn yet.
    function settleAll() external {
        gate.setClosed(false);
        for (uint256 k; k < marketCount; ++k) {
            if (!_m[k].resolved) _report(k, uint256(keccak256(abi.encode(k, redemptions))));
            for (uint256 h; h < NACT; ++h) {
                _redeem(h, k);
            }
            if (!_m[k].withdrawn) _withdraw(k, sponsor);
        }
    }

    // ============================================================== views

    function actor(uint256 h) external view returns (address) {
        return _actors[h];
    }

    function market(uint256 k) external view returns (Mkt memory) {
        return _m[k];
    }

    function modelBalance(uint256 k, uint256 h, uint256 j) external view returns (uint256) {
        return _bal[k][h][j];
    }

    function positionOf(uint256 k, uint256 j) public view returns (uint256) {
        return PositionId.unwrap(vault.positionId(collateral, ROOT, _m[k].c, j));
    }

    /// @notice `b ln n` of market k, rounded up (the table's truncation costs < 1 wei for b < 1e27).
    function bLnN(uint256 k) public view returns (uint256) {
        return uint256(_m[k].b) * _lnRay[_m[k].n] / RAY + 2;
    }

    /// @notice What actor h could still redeem from market k (reference formula), 0 before resolution.
    function claimOf(uint256 h, uint256 k) public view returns (uint256) {
        Mkt storage m = _m[k];
        if (!m.resolved) return 0;
        uint256 w;
        for (uint256 j; j < m.n; ++j) {
            w += _bal[k][h][j] * m.payouts[j];
        }
        return w / m.den;
    }

    /// @notice What the sponsor withdraws (if withdrawn) or would withdraw now (reference formula, from the maker's
    /// books) from resolved market k.
    function sponsorTake(uint256 k) public view returns (uint256) {
        Mkt storage m = _m[k];
        if (m.withdrawn) return m.withdrawnAmount;
        ILmsrMarketMaker.Market memory mm = maker.getMarket(m.c);
        uint256 w;
        for (uint256 j; j < m.n; ++j) {
            w += (uint256(mm.sets) - mm.sold[j]) * m.payouts[j];
        }
        return uint256(mm.cash) + w / m.den;
    }

    function actionName(uint256 a) external pure returns (string memory) {
        return ["buy", "sell", "warp", "report", "redeem", "withdraw", "open", "setGate"][a];
    }

    // ============================================================== internals

    function _open(uint256 s, uint256 seed) internal {
        uint256 k = marketCount;
        Mkt storage m = _m[k];
        m.q = keccak256(abi.encode("maker-handler", k));
        m.n = s == 0 ? 2 : 3;
        m.b = uint128(_bound(seed, 1e16, 1e22));
        m.fee = uint16((seed >> 128) % 1_001);
        m.subsidy = LmsrMath.subsidy(m.b, m.n);
        vm.startPrank(oracle);
        m.c = vault.prepareCondition(m.q, m.n);
        token.mint(oracle, m.subsidy);
        collateral.approve(address(maker), m.subsidy);
        try maker.createMarket(m.c, collateral, m.b, m.fee, sponsor, gate) returns (uint256 pulled) {
            ++ok[A_OPEN];
            if (pulled != m.subsidy) _fail("createMarket pulled another amount than the subsidy");
            // The maker splits the whole subsidy into inventory at creation.
            if (maker.getMarket(m.c).sets != m.subsidy) _fail("createMarket did not split the subsidy into sets");
            m.vaultHeld = m.subsidy;
        } catch {
            ++refused[A_OPEN];
            _fail("createMarket refused a valid market");
        }
        vm.stopPrank();
        ++marketCount;
        current[s] = k;
    }

    function _trade(uint256 actorSeed, uint256 slotSeed, uint256 outcomeSeed, uint256 deadlineSeed, bool isBuy)
        internal
        view
        returns (Trade memory t)
    {
        t.h = actorSeed % NACT;
        t.to = (actorSeed >> 8) % 4 == 0 ? (t.h + 1) % NACT : t.h;
        t.k = current[slotSeed % NSLOT];
        t.i = outcomeSeed % _m[t.k].n;
        // one in eight deadlines is already past; the others lie between now (allowed) and a day ahead
        if (deadlineSeed % 8 == 0) {
            t.deadline = block.timestamp > 100 ? block.timestamp - 1 - (deadlineSeed >> 3) % 50 : 0;
        } else {
            t.deadline = block.timestamp + (deadlineSeed >> 3) % 2 * ((deadlineSeed >> 4) % 1 days);
        }
        t.expected = _expectedRefusal(t, isBuy);
    }

    /// @dev The error the maker must raise, in the order it checks: deadline, market state, gate. Empty: must succeed.
    function _expectedRefusal(Trade memory t, bool isBuy) internal view returns (bytes memory) {
        if (block.timestamp > t.deadline) {
            return abi.encodeWithSelector(ILmsrMarketMaker.TradeDeadlinePassed.selector, t.deadline, block.timestamp);
        }
        ILmsrMarketMaker.MarketState s = _modelState(t.k);
        if (s != ILmsrMarketMaker.MarketState.Open) {
            return abi.encodeWithSelector(
                ILmsrMarketMaker.UnexpectedMarketState.selector, _m[t.k].c, s, ILmsrMarketMaker.MarketState.Open
            );
        }
        if (gate.closed()) return abi.encodeWithSelector(MockMarketGate.GateClosed.selector, _m[t.k].c);
        if (gate.refused(_actors[t.h])) {
            return abi.encodeWithSelector(MockMarketGate.GateRefused.selector, _actors[t.h], isBuy);
        }
        if (gate.refused(_actors[t.to])) {
            return abi.encodeWithSelector(MockMarketGate.GateRefused.selector, _actors[t.to], isBuy);
        }
        return "";
    }

    /// @dev Works out what the trade must pay from the model's `q` (LmsrMath, fee rounded up) when it must succeed,
    /// checks the maker's quote against it, and records the balances the trade will move.
    function _prepare(Trade memory t, bool isBuy) internal {
        Mkt storage m = _m[t.k];
        if (uint256(maker.marketState(m.c)) != uint256(_modelState(t.k))) _fail("market state differs from the model");
        if (t.expected.length == 0) {
            uint256 lmsr = isBuy
                ? LmsrMath.buyCost(_modelQ(t.k), m.b, t.i, t.amount)
                : LmsrMath.sellReturn(_modelQ(t.k), m.b, t.i, t.amount);
            t.fee = (lmsr * m.fee + 9_999) / 10_000;
            t.quoted = isBuy ? lmsr + t.fee : lmsr - t.fee;
            if (isBuy) {
                try maker.quoteBuy(m.c, t.i, t.amount) returns (uint256 cost, uint256 fee) {
                    if (cost != lmsr || fee != t.fee) _fail("quoteBuy differs from the model");
                } catch {
                    _fail("quoteBuy refused on an open market");
                }
            } else {
                try maker.quoteSell(m.c, t.i, t.amount) returns (uint256 proceeds, uint256 fee) {
                    if (proceeds != t.quoted || fee != t.fee) _fail("quoteSell differs from the model");
                } catch {
                    _fail("quoteSell refused on an open market");
                }
            }
        }
        // a buy moves the payer's collateral and the recipient's shares; a sale the seller's shares and the
        // recipient's collateral
        t.tokenBefore = token.balanceOf(_actors[isBuy ? t.h : t.to]);
        t.sharesBefore = vault.balanceOf(_actors[isBuy ? t.to : t.h], positionOf(t.k, t.i));
        t.setsBefore = maker.getMarket(m.c).sets;
    }

    function _afterBuy(Trade memory t, uint256 paid) internal {
        Mkt storage m = _m[t.k];
        if (paid != t.quoted) _fail("buy paid another amount than the model's cost + fee");
        if (t.tokenBefore - token.balanceOf(_actors[t.h]) != paid) _fail("buy moved another amount than it returned");
        if (vault.balanceOf(_actors[t.to], positionOf(t.k, t.i)) - t.sharesBefore != t.amount) {
            _fail("buy delivered another number of shares");
        }
        m.sold[t.i] += t.amount;
        _bal[t.k][t.to][t.i] += t.amount;
        m.paidIn += paid;
        m.fees += t.fee;
        uint256 setsAfter = maker.getMarket(m.c).sets;
        if (setsAfter < t.setsBefore) return _fail("a buy merged sets");
        m.vaultHeld += setsAfter - t.setsBefore;
        _checkBooks(t.k);
    }

    function _afterSell(Trade memory t, uint256 proceeds) internal {
        Mkt storage m = _m[t.k];
        if (proceeds != t.quoted) _fail("sell paid another amount than the model's return - fee");
        if (token.balanceOf(_actors[t.to]) - t.tokenBefore != proceeds) {
            _fail("sell moved another amount than it returned");
        }
        if (t.sharesBefore - vault.balanceOf(_actors[t.h], positionOf(t.k, t.i)) != t.amount) {
            _fail("sell took another number of shares");
        }
        m.sold[t.i] -= t.amount; // amount <= sold, by construction
        _bal[t.k][t.h][t.i] -= t.amount; // amount <= held, by construction
        m.paidOut += proceeds;
        m.fees += t.fee;
        uint256 setsAfter = maker.getMarket(m.c).sets;
        if (setsAfter > t.setsBefore) return _fail("a sale split sets");
        _vaultPays(t.k, t.setsBefore - setsAfter);
        _checkBooks(t.k);
    }

    /// @dev The maker's books against the model, after a trade.
    function _checkBooks(uint256 k) internal {
        Mkt storage m = _m[k];
        ILmsrMarketMaker.Market memory mm = maker.getMarket(m.c);
        for (uint256 j; j < m.n; ++j) {
            if (mm.sold[j] != m.sold[j]) return _fail("sold differs from the model");
        }
        if (uint256(mm.cash) + mm.sets + m.paidOut != m.subsidy + m.paidIn) {
            return _fail("cash + sets differs from subsidy + net payments");
        }
    }

    function _report(uint256 k, uint256 seed) internal {
        Mkt storage m = _m[k];
        if (m.resolved) return;
        uint256[] memory p = new uint256[](m.n);
        uint256 den;
        for (uint256 j; j < m.n; ++j) {
            p[j] = (seed >> (8 * j)) % 4; // small numerators: plenty of rounding, often a single winner
            den += p[j];
        }
        if (den == 0) {
            p[seed % m.n] = 1;
            den = 1;
        }
        vm.prank(oracle);
        try vault.reportPayouts(m.q, p) {
            ++ok[A_REPORT];
            m.resolved = true;
            m.den = den;
            for (uint256 j; j < m.n; ++j) {
                m.payouts[j] = p[j];
            }
        } catch {
            ++refused[A_REPORT];
            _fail("a valid first report was refused");
        }
    }

    function _redeem(uint256 h, uint256 k) internal {
        Mkt storage m = _m[k];
        address who = _actors[h];
        uint256 expected = claimOf(h, k);
        uint256 before = token.balanceOf(who);
        vm.prank(who);
        try vault.redeem(collateral, ROOT, m.c) returns (uint256 paid) {
            if (!m.resolved) return _fail("redeem succeeded on an unresolved market");
            ++ok[A_REDEEM];
            ++redemptions;
            if (paid != expected) return _fail("redeem paid another amount than the reference formula");
            if (token.balanceOf(who) - before != paid) _fail("redeem transferred another amount than it returned");
            for (uint256 j; j < m.n; ++j) {
                _bal[k][h][j] = 0;
            }
            m.redeemed += paid;
            _vaultPays(k, paid);
        } catch {
            ++refused[A_REDEEM];
            if (m.resolved) _fail("redeem refused on a resolved market");
        }
    }

    function _withdraw(uint256 k, address caller) internal {
        Mkt storage m = _m[k];
        ILmsrMarketMaker.MarketState s = _modelState(k);
        bytes memory expectedErr;
        if (s != ILmsrMarketMaker.MarketState.Resolved) {
            expectedErr = abi.encodeWithSelector(
                ILmsrMarketMaker.UnexpectedMarketState.selector, m.c, s, ILmsrMarketMaker.MarketState.Resolved
            );
        } else if (caller != sponsor) {
            expectedErr =
                abi.encodeWithSelector(ILmsrMarketMaker.MarketCallerNotSponsor.selector, m.c, caller, sponsor);
        }
        uint256 expected = expectedErr.length == 0 ? sponsorTake(k) : 0;
        ILmsrMarketMaker.Market memory mm = maker.getMarket(m.c);
        uint256 before = token.balanceOf(sponsor);
        vm.prank(caller);
        try maker.withdraw(m.c, sponsor) returns (uint256 amount) {
            if (expectedErr.length != 0) return _fail("withdraw succeeded where it must be refused");
            ++ok[A_WITHDRAW];
            if (amount != expected) return _fail("withdraw paid another amount than cash + redeemed inventory");
            if (token.balanceOf(sponsor) - before != amount) _fail("withdraw transferred another amount");
            m.withdrawn = true;
            m.withdrawnAmount = amount;
            if (mm.sets != 0) ++redemptions;
            _vaultPays(k, amount - mm.cash); // amount >= cash, as just checked against the formula
            for (uint256 j; j < m.n; ++j) {
                if (vault.balanceOf(address(maker), positionOf(k, j)) != 0) _fail("withdraw left positions");
            }
            _checkLoss(k);
        } catch (bytes memory err) {
            ++refused[A_WITHDRAW];
            if (keccak256(err) != keccak256(expectedErr)) _fail("withdraw refused, or with another error");
        }
    }

    /// @dev MKT-LOSS-A for one withdrawn market, at the time of withdrawal.
    function _checkLoss(uint256 k) internal {
        Mkt storage m = _m[k];
        if (m.withdrawnAmount < m.subsidy && m.subsidy - m.withdrawnAmount + m.fees > bLnN(k) + 1) {
            _fail("sponsor loss + fees above b ln n");
        }
    }

    function _vaultPays(uint256 k, uint256 amount) internal {
        Mkt storage m = _m[k];
        if (amount > m.vaultHeld) return _fail("the vault paid out more than it held for the market");
        m.vaultHeld -= amount;
    }

    function _modelQ(uint256 k) internal view returns (uint256[] memory q) {
        q = new uint256[](_m[k].n);
        for (uint256 j; j < q.length; ++j) {
            q[j] = _m[k].sold[j];
        }
    }

    function _modelState(uint256 k) internal view returns (ILmsrMarketMaker.MarketState) {
        if (_m[k].withdrawn) return ILmsrMarketMaker.MarketState.Withdrawn;
        return _m[k].resolved ? ILmsrMarketMaker.MarketState.Resolved : ILmsrMarketMaker.MarketState.Open;
    }

    /// @dev One in four amounts tiny (1..10 wei: all rounding), the others up to `cap`; never above `cap`.
    function _amount(uint256 seed, uint256 cap) internal pure returns (uint256) {
        if (cap == 0) return 0;
        uint256 upper = seed % 4 == 0 ? 10 : cap;
        return _bound(seed >> 2, 1, upper < cap ? upper : cap);
    }

    function _fail(string memory what) internal {
        if (bytes(violation).length == 0) violation = what;
    }
}
