// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IOutcomeVault} from "../../../contracts/interfaces/IOutcomeVault.sol";
import {ILmsrMarketMaker} from "../../../contracts/interfaces/ILmsrMarketMaker.sol";
import {HostileERC1155Receiver} from "../../mocks/HostileERC1155Receiver.sol";
import {AdversarialBase} from "./AdversarialBase.sol";

/// @notice Reverting and gas-burning ERC-1155 receivers as traders, recipients and holders: they can only make their
/// own calls fail. Nothing is ever pushed to a holder, so nobody else's settlement, claim, redemption or withdrawal
/// waits on them.
contract ReceiverAttacksTest is AdversarialBase {
    /// @dev A hostile receiver holding SHARES of HONOR, bought while it still accepted positions.
    function _hostileHolder() internal returns (HostileERC1155Receiver h, uint256 cost) {
        h = new HostileERC1155Receiver();
        token.mint(address(h), TRADER_FUNDS);
        h.execute(address(token), abi.encodeCall(IERC20.approve, (address(maker), type(uint256).max)));
        bytes memory ret = h.execute(
            address(maker),
            abi.encodeCall(maker.buy, (conditionId, HONOR, SHARES, type(uint256).max, block.timestamp, address(h)))
        );
        cost = abi.decode(ret, (uint256));
        assertEq(vault.balanceOf(address(h), _pos(conditionId, HONOR)), SHARES);
    }

    /// @dev Everyone else settles around a holder in `mode`, to the wei.
    function _holderCannotBlockSettlement(HostileERC1155Receiver.Mode mode) internal {
        (HostileERC1155Receiver h, uint256 hCost) = _hostileHolder();
        uint256 aliceCost = _buy(alice, BREACH, SHARES);
        uint256 bobCost = _buy(bob, HONOR, SHARES);
        h.setMode(mode);

        _honorAndResolve(pledgeId);
        vm.prank(bob);
        assertEq(vault.redeem(token, ROOT, conditionId), SHARES);
        vm.prank(alice);
        assertEq(vault.redeem(token, ROOT, conditionId), 0);
        uint256 got = _withdrawSubsidy(sponsor, pledgeId, sponsor);
        vm.prank(pledger);
        assertEq(registry.claim(token, pledger), BOND);
        // The hostile holder itself still redeems: collateral is an ERC-20 transfer, no receiver hook.
        bytes memory ret = h.execute(address(vault), abi.encodeCall(IOutcomeVault.redeem, (IERC20(address(token)), ROOT, conditionId)));
        assertEq(abi.decode(ret, (uint256)), SHARES);

        assertEq(got, subsidy + hCost + aliceCost + bobCost - 2 * SHARES, "the sponsor is paid to the wei");
        assertEq(token.balanceOf(bob), TRADER_FUNDS - bobCost + SHARES);
        assertEq(token.balanceOf(address(h)), TRADER_FUNDS - hCost + SHARES);
        assertEq(token.balanceOf(address(vault)) + token.balanceOf(address(maker)) + token.balanceOf(address(markets)), 0);
    }

    function test_attack_revertingHolder_cannotBlockAnyoneElsesSettlement() public {
        _holderCannotBlockSettlement(HostileERC1155Receiver.Mode.Revert);
    }

    function test_attack_gasBurningHolder_cannotBlockAnyoneElsesSettlement() public {
        _holderCannotBlockSettlement(HostileERC1155Receiver.Mode.BurnGas);
    }

    function test_attack_revertingRecipient_refusesOnlyItsOwnTradeAndSplit() public {
        HostileERC1155Receiver h = new HostileERC1155Receiver();
        h.setMode(HostileERC1155Receiver.Mode.Revert);
        token.mint(address(h), 1_000);
        h.execute(address(token), abi.encodeCall(IERC20.approve, (address(vault), type(uint256).max)));
        uint256[] memory before = _snapshot();
        bytes32 books = _marketHash(conditionId);

        vm.expectRevert(
            abi.encodeWithSelector(HostileERC1155Receiver.ReceiverRefused.selector, address(maker), address(maker))
        );
        _buyFor(alice, conditionId, HONOR, SHARES, address(h));
        vm.expectRevert(
            abi.encodeWithSelector(
                HostileERC1155Receiver.CallFailed.selector,
                abi.encodeWithSelector(HostileERC1155Receiver.ReceiverRefused.selector, address(h), address(0))
            )
        );
        h.execute(address(vault), abi.encodeCall(IOutcomeVault.split, (IERC20(address(token)), ROOT, conditionId, 1_000)));

        _assertUnchanged(before);
        assertEq(_marketHash(conditionId), books);
        assertEq(token.balanceOf(address(h)), 1_000);
        _buy(bob, HONOR, SHARES);
        assertEq(_shares(bob, HONOR), SHARES, "the next trader is not affected");
    }

    function test_attack_gasBurningRecipient_failsOnlyItsOwnTrade() public {
        HostileERC1155Receiver h = new HostileERC1155Receiver();
        h.setMode(HostileERC1155Receiver.Mode.BurnGas);
        uint256[] memory before = _snapshot();
        bytes32 books = _marketHash(conditionId);

        vm.prank(alice);
        (bool ok, bytes memory ret) = address(maker).call{gas: 3_000_000}(
            abi.encodeCall(maker.buy, (conditionId, HONOR, SHARES, type(uint256).max, block.timestamp, address(h)))
        );
        assertFalse(ok, "the buy went through");
        assertEq(ret, abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidReceiver.selector, address(h)));

        _assertUnchanged(before);
        assertEq(_marketHash(conditionId), books);
        (uint256 quoted, uint256 fee) = maker.quoteBuy(conditionId, HONOR, SHARES);
        assertEq(_buy(bob, HONOR, SHARES), quoted + fee, "the next trader pays the untouched price");
        assertEq(uint256(maker.marketState(conditionId)), uint256(ILmsrMarketMaker.MarketState.Open));
    }
}
