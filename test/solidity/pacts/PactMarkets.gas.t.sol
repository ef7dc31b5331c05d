// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {console} from "forge-std/console.sol";

import {PactId, PledgeId} from "../../../contracts/types/Ids.sol";
import {ConditionId} from "../../../contracts/types/MarketIds.sol";
import {PactMarketsFixture} from "./PactMarketsFixture.sol";
import {TestProfile} from "../utils/TestProfile.sol";

/// @notice Gas of PactMarkets at 3 and at 32 members (Pacts.MAX_MEMBERS), every account and slot cold (`vm.cool`)
/// as in a transaction of its own: `openMarket`, the gate's `checkTrade` on a BREACH buy by a non-member (the
/// member-pledge loop plus the trader's standing in Pacts), and a whole gated buy. The bounds fail the test if the
/// per-member cost grows. Measured (cold): openMarket 461,635 / 886,004 gas, checkTrade 38,426 / 268,952, a gated
/// buy 100,463 / 332,991 at 3 / 32 members: ~14.6k gas per member to open, ~7.9k per member per trade (one
/// registry `state` call reading three cold pledge slots). The lens: pledgeCost ~65k, memberCost ~131k (no loop).
contract PactMarketsGasTest is PactMarketsFixture {
    struct Figures {
        uint256 open;
        uint256 gate;
        uint256 buy;
    }

    function _cool() internal {
        vm.cool(address(registry));
        vm.cool(address(pacts));
        vm.cool(address(pactMarkets));
        vm.cool(address(maker));
        vm.cool(address(vault));
        vm.cool(address(token));
    }

    function _measure(uint256 n) internal returns (Figures memory f) {
        (PactId id,) = _activePactOf(n);
        _mintSubsidy(sponsor, address(pactMarkets), pactMarkets.quoteSubsidy(LIQUIDITY));
        _cool();
        vm.prank(sponsor);
        uint256 g = gasleft();
        pactMarkets.openMarket(id, LIQUIDITY, TRADE_FEE_BPS);
        f.open = g - gasleft();
        ConditionId c = pactMarkets.conditionOf(id);
        _buy(bob, c, BREACH, SHARES); // bob's balances exist: the measured buy writes no new slot
        _cool();
        g = gasleft();
        pactMarkets.checkTrade(c, alice, alice, BREACH, true);
        f.gate = g - gasleft();
        _cool();
        vm.prank(bob);
        g = gasleft();
        maker.buy(c, BREACH, SHARES, type(uint256).max, block.timestamp, bob);
        f.buy = g - gasleft();
    }

    function test_gas_openAndGate_at3And32Members() public {
        vm.skip(TestProfile.isCoverage()); // instrumented bytecode: gas figures mean nothing there
        Figures memory f3 = _measure(3);
        Figures memory f32 = _measure(32);
        console.log("openMarket   3 members:", f3.open);
        console.log("openMarket  32 members:", f32.open);
        console.log("checkTrade   3 members:", f3.gate);
        console.log("checkTrade  32 members:", f32.gate);
        console.log("buy (gated)  3 members:", f3.buy);
        console.log("buy (gated) 32 members:", f32.buy);
        console.log("gate per member:", (f32.gate - f3.gate) / 29);
        console.log("open per member:", (f32.open - f3.open) / 29);
        assertLt((f32.gate - f3.gate) / 29, 9_000, "gate: at most 9k gas per member");
        assertLt((f32.open - f3.open) / 29, 16_000, "open: at most 16k gas per member");
    }

    function test_gas_lens_withBothMarketsOpen() public {
        vm.skip(TestProfile.isCoverage()); // instrumented bytecode: gas figures mean nothing there
        (PactId id, address[] memory labs) = _activePactOf(32);
        PledgeId pid = _pledgeOf(id, labs[31]);
        _openPledgeAs(labs[31], pid);
        _openPactAs(sponsor, id, LIQUIDITY);
        _cool();
        vm.cool(address(breachMarkets));
        vm.cool(address(lens));
        uint256 g = gasleft();
        lens.pledgeCost(pid);
        uint256 pledgeGas = g - gasleft();
        _cool();
        vm.cool(address(breachMarkets));
        vm.cool(address(lens));
        g = gasleft();
        lens.memberCost(id, labs[31]);
        uint256 memberGas = g - gasleft();
        console.log("lens.pledgeCost:", pledgeGas);
        console.log("lens.memberCost (32 members):", memberGas);
        assertLt(pledgeGas, 150_000);
        assertLt(memberGas, 250_000);
    }
}
