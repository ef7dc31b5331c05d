// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {console} from "forge-std/console.sol";

import {PledgeId} from "../../../contracts/types/Ids.sol";
import {BreachMarketsAttacksBase} from "./BreachMarketsAttacksBase.sol";

/// @notice Gas of `withdrawSubsidy`, every account and slot cold (`vm.cool`) as in a transaction of its own: a
/// third-party sponsor (all to it), and a pledger-sponsor capped on its own breach (the excess set aside for the
/// beneficiary), and the beneficiary's `claimExcess`. Printed, not bounded: the figures go to docs/gas.md. Measured:
/// 132,769 (third party), 135,749 (capped: the excess credited; was 138,855 when it was sent to a beneficiary with
/// no balance yet), claimExcess 55,857 (a fresh balance for the beneficiary).
contract BreachMarketsGasTest is BreachMarketsAttacksBase {
    function _cool() internal {
        vm.cool(address(registry));
        vm.cool(address(markets));
        vm.cool(address(maker));
        vm.cool(address(vault));
        vm.cool(address(token));
        vm.cool(beneficiary);
    }

    function _measureWithdraw(address who, PledgeId id) internal returns (uint256 used) {
        _cool();
        vm.prank(who);
        uint256 g = gasleft();
        markets.withdrawSubsidy(id, who);
        used = g - gasleft();
    }

    function test_gas_withdrawSubsidy() public {
        _buy(bob, HONOR, BIG_TRADE);
        _breachAndResolve(pledgeId);
        console.log("withdrawSubsidy, third-party sponsor:", _measureWithdraw(sponsor, pledgeId));

        (PledgeId id,,,) = _sponsoredWithHonorBought(pledger);
        _breachAndResolve(id);
        console.log("withdrawSubsidy, pledger-sponsor capped:", _measureWithdraw(pledger, id));
        assertEq(token.balanceOf(beneficiary), 0, "the beneficiary's first receipt: a fresh balance slot");
        _cool();
        vm.prank(beneficiary);
        uint256 g = gasleft();
        markets.claimExcess(id, beneficiary);
        console.log("claimExcess (beneficiary, fresh balance):", g - gasleft());
    }
}
