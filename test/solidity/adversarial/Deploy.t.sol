// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {IPledgeRegistry} from "../../../contracts/interfaces/IPledgeRegistry.sol";
import {BreachMarkets} from "../../../contracts/markets/BreachMarkets.sol";
import {LmsrMarketMaker} from "../../../contracts/markets/LmsrMarketMaker.sol";
import {OutcomeVault} from "../../../contracts/markets/OutcomeVault.sol";
import {PledgeRegistry} from "../../../contracts/registry/PledgeRegistry.sol";
import {CommitteeArbiter} from "../../../contracts/resolution/CommitteeArbiter.sol";

/// @notice The deploy: every contract keeps exactly the constructor parameters it was given (the Solidity version of
/// the Ignition wiring check), and none has an owner, an admin, a pause switch, an upgrade path or a way to receive
/// ether: nobody holds a key that could change the rules after deployment.
contract DeployAttacksTest is Test {
    PledgeRegistry internal registry;
    CommitteeArbiter internal committee;
    OutcomeVault internal vault;
    LmsrMarketMaker internal maker;
    BreachMarkets internal markets;
    IPledgeRegistry.RegistryConfig internal cfg;
    address[] internal members;

    function setUp() public {
        cfg = IPledgeRegistry.RegistryConfig({
            treasury: makeAddr("treasury"),
            challengerRewardBps: 1_234,
            disputeFeeBps: 567,
            minLiveness: 2 hours,
            maxLiveness: 5 days,
            maxGrace: 9 days,
            arbitrationTimeout: 2 days
        });
        registry = new PledgeRegistry(cfg);
        for (uint256 i; i < 5; ++i) {
            members.push(makeAddr(string.concat("member", vm.toString(i))));
        }
        committee = new CommitteeArbiter(registry, members, 3);
        vault = new OutcomeVault();
        maker = new LmsrMarketMaker(vault);
        markets = new BreachMarkets(registry, maker, 42e18);
    }

    function test_attack_deploy_wiringIsExactlyWhatWasPassed() public view {
        assertEq(keccak256(abi.encode(registry.config())), keccak256(abi.encode(cfg)), "registry config");
        assertEq(registry.pledgeCount(), 0);
        assertEq(address(committee.registry()), address(registry));
        assertEq(committee.threshold(), 3);
        assertEq(keccak256(abi.encode(committee.members())), keccak256(abi.encode(members)), "members, in order");
        for (uint256 i; i < members.length; ++i) {
            assertTrue(committee.isMember(members[i]));
        }
        assertFalse(committee.isMember(address(this)), "the deployer is not a member");
        assertEq(address(maker.vault()), address(vault));
        assertEq(address(markets.registry()), address(registry));
        assertEq(address(markets.maker()), address(maker));
        assertEq(address(markets.vault()), address(vault), "BreachMarkets reads the maker's vault");
        assertEq(markets.minLiquidity(), 42e18);
    }

    function test_attack_deploy_noOwnerAdminPauseUpgradeOrEther() public {
        address[5] memory deployed = [address(registry), address(committee), address(vault), address(maker), address(markets)];
        bytes[9] memory adminCalls = [
            abi.encodeWithSignature("owner()"),
            abi.encodeWithSignature("transferOwnership(address)", address(this)),
            abi.encodeWithSignature("renounceOwnership()"),
            abi.encodeWithSignature("grantRole(bytes32,address)", bytes32(0), address(this)),
            abi.encodeWithSignature("pause()"),
            abi.encodeWithSignature("unpause()"),
            abi.encodeWithSignature("upgradeToAndCall(address,bytes)", address(this), ""),
            abi.encodeWithSignature("setConfig((address,uint16,uint16,uint32,uint32,uint32,uint32))", cfg),
            abi.encodeWithSignature("setMembers(address[])", members)
        ];
        for (uint256 i; i < deployed.length; ++i) {
            for (uint256 j; j < adminCalls.length; ++j) {
                (bool ok, bytes memory ret) = deployed[i].call(adminCalls[j]);
                assertFalse(ok, "an admin function exists");
                assertEq(ret.length, 0, "no such function: no fallback answers");
            }
            vm.deal(address(this), 1 ether);
            (bool paid,) = deployed[i].call{value: 1 ether}("");
            assertFalse(paid, "accepts ether");
            assertEq(deployed[i].balance, 0);
        }
        assertEq(keccak256(abi.encode(registry.config())), keccak256(abi.encode(cfg)), "nothing changed");
    }
}
