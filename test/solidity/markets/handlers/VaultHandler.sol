// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IOutcomeVault} from "../../../../contracts/interfaces/IOutcomeVault.sol";
import {MockERC20} from "../../../mocks/MockERC20.sol";
import {ConditionId, PositionId} from "../../../../contracts/types/MarketIds.sol";

/// @title VaultHandler
/// @notice Drives one OutcomeVault with four holders and three conditions: C0 binary and C1 with three outcomes, both
/// on the collateral, and C2 binary nested under C0's outcome 0 (a "pair" k names a condition with its parent). It
/// keeps an independent model of every holder's positions, of the collateral each top-level condition holds and of
/// the parent units the nested condition locks, computes payouts with the reference formula, measures every token
/// movement, and records the first disagreement; the invariant contract asserts on that record.
/// @dev Runs with `failOnRevert = false`, so a failed assertion here would be swallowed: disagreements are stored in
/// `violation` instead, every vault call is wrapped in try/catch, and model arithmetic never reverts.
/// Abstract: the test file declares the concrete handler (see `OutcomeVaultHandler` there).
abstract contract VaultHandler is CommonBase, StdCheats, StdUtils {
    uint256 public constant NACT = 4;
    uint256 public constant NPAIR = 3;
    uint256 public constant NESTED = 2;
    uint256 public constant ACTOR_FUNDS = 1e27;
    PositionId internal constant ROOT = PositionId.wrap(0);

    uint256 internal constant A_SPLIT = 0;
    uint256 internal constant A_MERGE = 1;
    uint256 internal constant A_TRANSFER = 2;
    uint256 internal constant A_REPORT = 3;
    uint256 internal constant A_REDEEM = 4;
    uint256 public constant N_ACTIONS = 5;

    IOutcomeVault public immutable vault;
    MockERC20 public immutable token;
    IERC20 public immutable collateral;
    address public immutable oracle;
    address[NACT] internal _actors;
    ConditionId[NPAIR] internal _conds;
    bytes32[NPAIR] internal _questions;
    uint256[NPAIR] internal _outcomes;

    // ------------------------------------------------------------- model
    /// @dev _bal[h][k][i]: holder h's balance of outcome i of pair k.
    uint256[3][NPAIR][NACT] internal _bal;
    /// @dev Collateral held for each top-level pair (0, 1); for the nested pair, the parent units it locks.
    uint256[NPAIR] internal _held;
    bool[NPAIR] internal _resolved;
    uint256[][NPAIR] internal _payouts;
    uint256[NPAIR] internal _den;

    // ------------------------------------------------------------- ghosts
    uint256 public redemptions;
    uint256[N_ACTIONS] public ok;
    uint256[N_ACTIONS] public refused;
    string public violation;

    constructor(IOutcomeVault vault_, MockERC20 token_) {
        vault = vault_;
        token = token_;
        collateral = IERC20(address(token_));
        oracle = makeAddr("oracle");
        _questions = [bytes32("C0"), bytes32("C1"), bytes32("C2")];
        _outcomes = [uint256(2), 3, 2];
        for (uint256 k; k < NPAIR; ++k) {
            vm.prank(oracle);
            _conds[k] = vault_.prepareCondition(_questions[k], _outcomes[k]);
        }
        for (uint256 h; h < NACT; ++h) {
            _actors[h] = makeAddr(string.concat("holder", vm.toString(h)));
            token_.mint(_actors[h], ACTOR_FUNDS);
            vm.prank(_actors[h]);
            token_.approve(address(vault_), type(uint256).max);
        }
    }

    // ============================================================== actions

    function split(uint256 actorSeed, uint256 pairSeed, uint256 amountSeed) external {
        (uint256 h, uint256 k) = (actorSeed % NACT, pairSeed % NPAIR);
        address who = _actors[h];
        uint256 cap = k == NESTED ? _bal[h][0][0] : token.balanceOf(who);
        uint256 amount = _amount(amountSeed, cap);
        if (amount == 0) return;
        uint256 before = token.balanceOf(who);
        vm.prank(who);
        try vault.split(collateral, parentOf(k), _conds[k], amount) {
            if (_resolved[k]) return _fail("split succeeded on a resolved condition");
            ++ok[A_SPLIT];
            if (k == NESTED) {
                _bal[h][0][0] -= amount; // amount <= cap
            } else if (before - token.balanceOf(who) != amount) {
                return _fail("split pulled another amount");
            }
            _held[k] += amount;
            for (uint256 i; i < _outcomes[k]; ++i) {
                _bal[h][k][i] += amount;
            }
            _checkHolder(h);
        } catch (bytes memory err) {
            ++refused[A_SPLIT];
            if (!_resolved[k]) return _fail("split refused on a prepared condition");
            _expectState(err, k, IOutcomeVault.ConditionState.Resolved, IOutcomeVault.ConditionState.Prepared);
        }
    }

    function merge(uint256 actorSeed, uint256 pairSeed, uint256 amountSeed) external {
        (uint256 h, uint256 k) = (actorSeed % NACT, pairSeed % NPAIR);
        address who = _actors[h];
        uint256 amount = _amount(amountSeed, _fullSets(h, k));
        if (amount == 0 && !_resolved[k]) return;
        if (amount == 0) amount = 1;
        uint256 before = token.balanceOf(who);
        vm.prank(who);
        try vault.merge(collateral, parentOf(k), _conds[k], amount) {
            if (_resolved[k]) return _fail("merge succeeded on a resolved condition");
            ++ok[A_MERGE];
            for (uint256 i; i < _outcomes[k]; ++i) {
                _bal[h][k][i] -= amount; // amount <= full sets
            }
            if (_held[k] < amount) return _fail("merge returned more than the condition held");
            _held[k] -= amount;
            if (k == NESTED) {
                _bal[h][0][0] += amount;
            } else if (token.balanceOf(who) - before != amount) {
                return _fail("merge paid another amount");
            }
            _checkHolder(h);
        } catch (bytes memory err) {
            ++refused[A_MERGE];
            if (!_resolved[k]) return _fail("merge refused a full set");
            _expectState(err, k, IOutcomeVault.ConditionState.Resolved, IOutcomeVault.ConditionState.Prepared);
        }
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 pairSeed, uint256 outcomeSeed, uint256 amountSeed)
        external
    {
        (uint256 f, uint256 t, uint256 k) = (fromSeed % NACT, toSeed % NACT, pairSeed % NPAIR);
        uint256 i = outcomeSeed % _outcomes[k];
        uint256 amount = _amount(amountSeed, _bal[f][k][i]);
        uint256 id = PositionId.unwrap(positionOf(k, i));
        vm.prank(_actors[f]);
        try vault.safeTransferFrom(_actors[f], _actors[t], id, amount, "") {
            ++ok[A_TRANSFER];
            _bal[f][k][i] -= amount;
            _bal[t][k][i] += amount;
            _checkHolder(f);
            _checkHolder(t);
        } catch {
            _fail("transfer within balance refused");
        }
    }

    /// @dev Reports only one call in four, so that positions build up before conditions resolve.
    function report(uint256 pairSeed, uint256 payoutSeed) external {
        if (payoutSeed % 4 != 0) return;
        _report(pairSeed % NPAIR, payoutSeed >> 2);
    }

    function redeem(uint256 actorSeed, uint256 pairSeed) external {
        _redeem(actorSeed % NACT, pairSeed % NPAIR);
    }

    /// @notice End step: report every condition still open, then every holder redeems the nested condition (into C0's
    /// outcome 0) and then the top-level ones.
    function settleAll() external {
        for (uint256 k; k < NPAIR; ++k) {
            if (!_resolved[k]) _report(k, uint256(keccak256(abi.encode(k, redemptions))));
        }
        for (uint256 h; h < NACT; ++h) {
            _redeem(h, NESTED);
        }
        for (uint256 k; k < NESTED; ++k) {
            for (uint256 h; h < NACT; ++h) {
                _redeem(h, k);
            }
        }
    }

    // ============================================================== views

    function actor(uint256 h) external view returns (address) {
        return _actors[h];
    }

    function condition(uint256 k) external view returns (ConditionId) {
        return _conds[k];
    }

    function outcomes(uint256 k) external view returns (uint256) {
        return _outcomes[k];
    }

    function parentOf(uint256 k) public view returns (PositionId) {
        return k == NESTED ? positionOf(0, 0) : ROOT;
    }

    function positionOf(uint256 k, uint256 i) public view returns (PositionId) {
        PositionId parent = k == NESTED ? PositionId.wrap(_rootId(0, 0)) : ROOT;
        return PositionId.wrap(_id(parent, k, i));
    }

    function modelBalance(uint256 h, uint256 k, uint256 i) external view returns (uint256) {
        return _bal[h][k][i];
    }

    function held(uint256 k) external view returns (uint256) {
        return _held[k];
    }

    function resolved(uint256 k) external view returns (bool) {
        return _resolved[k];
    }

    function payouts(uint256 k) external view returns (uint256[] memory, uint256) {
        return (_payouts[k], _den[k]);
    }

    /// @notice What holder `h` could still redeem from pair `k` with the reference formula, assuming (for C0) that it
    /// first turns its nested C2 positions into C0 outcome-0 units (redeeming if C2 is resolved, else merging).
    function claimOf(uint256 h, uint256 k) public view returns (uint256) {
        if (!_resolved[k]) return 0;
        uint256 w;
        for (uint256 i; i < _outcomes[k]; ++i) {
            uint256 b = _bal[h][k][i];
            if (k == 0 && i == 0) b += _nestedValue(h);
            w += b * _payouts[k][i];
        }
        return w / _den[k];
    }

    function _nestedValue(uint256 h) internal view returns (uint256) {
        return _resolved[NESTED] ? claimOf(h, NESTED) : _fullSets(h, NESTED);
    }

    function actionName(uint256 a) external pure returns (string memory) {
        return ["split", "merge", "transfer", "report", "redeem"][a];
    }

    // ============================================================== internals

    function _report(uint256 k, uint256 seed) internal {
        uint256 n = _outcomes[k];
        uint256[] memory p = new uint256[](n);
        uint256 den;
        for (uint256 i; i < n; ++i) {
            p[i] = (seed >> (8 * i)) % 4; // small numerators: plenty of rounding
            den += p[i];
        }
        if (den == 0) {
            p[seed % n] = 1 + (seed >> 64) % 3;
            den = p[seed % n];
        }
        vm.prank(oracle);
        try vault.reportPayouts(_questions[k], p) {
            if (_resolved[k]) return _fail("a second report succeeded");
            ++ok[A_REPORT];
            _resolved[k] = true;
            _payouts[k] = p;
            _den[k] = den;
        } catch (bytes memory err) {
            ++refused[A_REPORT];
            if (!_resolved[k]) return _fail("a valid first report was refused");
            _expectState(err, k, IOutcomeVault.ConditionState.Resolved, IOutcomeVault.ConditionState.Prepared);
        }
    }

    function _redeem(uint256 h, uint256 k) internal {
        address who = _actors[h];
        uint256 expected;
        if (_resolved[k]) {
            uint256 w;
            for (uint256 i; i < _outcomes[k]; ++i) {
                w += _bal[h][k][i] * _payouts[k][i];
            }
            expected = w / _den[k];
        }
        uint256 before = token.balanceOf(who);
        vm.prank(who);
        try vault.redeem(collateral, parentOf(k), _conds[k]) returns (uint256 paid) {
            if (!_resolved[k]) return _fail("redeem succeeded on an unresolved condition");
            ++ok[A_REDEEM];
            ++redemptions;
            if (paid != expected) return _fail("redeem paid another amount than the reference formula");
            if (_held[k] < paid) return _fail("redeem paid more than the condition held");
            _held[k] -= paid;
            for (uint256 i; i < _outcomes[k]; ++i) {
                _bal[h][k][i] = 0;
            }
            if (k == NESTED) {
                _bal[h][0][0] += paid;
            } else if (token.balanceOf(who) - before != paid) {
                return _fail("redeem transferred another amount than it returned");
            }
            _checkHolder(h);
        } catch (bytes memory err) {
            ++refused[A_REDEEM];
            if (_resolved[k]) return _fail("redeem refused on a resolved condition");
            _expectState(err, k, IOutcomeVault.ConditionState.Prepared, IOutcomeVault.ConditionState.Resolved);
        }
    }

    function _fullSets(uint256 h, uint256 k) internal view returns (uint256 m) {
        m = type(uint256).max;
        for (uint256 i; i < _outcomes[k]; ++i) {
            if (_bal[h][k][i] < m) m = _bal[h][k][i];
        }
    }

    /// @dev Mostly amounts up to 1e21, one in four tiny (1..10) for rounding dust; never above `cap`.
    function _amount(uint256 seed, uint256 cap) internal pure returns (uint256) {
        if (cap == 0) return 0;
        uint256 upper = seed % 4 == 0 ? 10 : 1e21;
        return _bound(seed >> 2, 1, upper < cap ? upper : cap);
    }

    function _rootId(uint256 k, uint256 i) internal view returns (uint256) {
        return _id(ROOT, k, i);
    }

    /// @dev The documented id formula, written out independently of the vault's library.
    function _id(PositionId parent, uint256 k, uint256 i) internal view returns (uint256) {
        return (uint256(keccak256(abi.encode(collateral, parent, _conds[k]))) & ~uint256(0xff)) | i;
    }

    function _checkHolder(uint256 h) internal {
        for (uint256 k; k < NPAIR; ++k) {
            for (uint256 i; i < _outcomes[k]; ++i) {
                if (vault.balanceOf(_actors[h], PositionId.unwrap(positionOf(k, i))) != _bal[h][k][i]) {
                    return _fail(string.concat("position balance differs from the model: pair ", vm.toString(k)));
                }
            }
        }
    }

    function _expectState(
        bytes memory err,
        uint256 k,
        IOutcomeVault.ConditionState current,
        IOutcomeVault.ConditionState allowed
    ) internal {
        bytes memory want =
            abi.encodeWithSelector(IOutcomeVault.UnexpectedConditionState.selector, _conds[k], current, allowed);
        if (keccak256(err) != keccak256(want)) _fail("refused with another error than the state names");
    }

    function _fail(string memory what) internal {
        if (bytes(violation).length == 0) violation = what;
    }
}
