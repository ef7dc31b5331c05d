/**
 * The wiring after a deploy through the Ignition modules (`deployLocalSystem`): the registry's
 * immutable configuration, the committee bound to it, no admin surface, and parameters the
 * constructors refuse making the deploy fail.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { network } from "hardhat";
import { type Address, type Hex, getAddress, toFunctionSelector, zeroAddress } from "viem";

import { type SystemParams, deployLocalSystem } from "../../scripts/lib/deploy.js";
import { DAY } from "../utils/helpers.js";

/** Functions of common admin patterns (Ownable, AccessControl, Pausable, UUPS, setters); none may exist. */
const ADMIN_FUNCTIONS = [
  "owner()",
  "pendingOwner()",
  "transferOwnership(address)",
  "acceptOwnership()",
  "renounceOwnership()",
  "grantRole(bytes32,address)",
  "revokeRole(bytes32,address)",
  "renounceRole(bytes32,address)",
  "hasRole(bytes32,address)",
  "getRoleAdmin(bytes32)",
  "DEFAULT_ADMIN_ROLE()",
  "pause()",
  "unpause()",
  "paused()",
  "upgradeTo(address)",
  "upgradeToAndCall(address,bytes)",
  "proxiableUUID()",
  "admin()",
  "setTreasury(address)",
  "setConfig((address,uint16,uint16,uint32,uint32,uint32,uint32))",
  "addMember(address)",
  "removeMember(address)",
  "setThreshold(uint8)",
] as const;

/** EIP-1967 implementation and admin slots: both must be empty (the contracts are not proxies). */
const EIP1967_SLOTS: Hex[] = [
  "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc",
  "0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103",
];

interface AbiItem {
  type: string;
  name?: string;
  stateMutability?: string;
  inputs?: readonly { type: string; components?: readonly { type: string }[] }[];
}

function signature(item: AbiItem): string {
  const types = (item.inputs ?? []).map((i) =>
    i.type.startsWith("tuple") ? `(${(i.components ?? []).map((c) => c.type).join(",")})${i.type.slice(5)}` : i.type,
  );
  return `${item.name}(${types.join(",")})`;
}

/** The names of the state-changing functions of an ABI, sorted. */
function writeFunctions(abi: readonly AbiItem[]): string[] {
  return abi
    .filter((i) => i.type === "function" && i.stateMutability !== "view" && i.stateMutability !== "pure")
    .map((i) => i.name ?? "")
    .sort();
}

describe("Deploy through Ignition", async () => {
  const conn = await network.create();
  const { viem, networkHelpers } = conn;
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  const [deployer] = wallets;
  const address = (i: number): Address => getAddress(wallets[i].account.address);
  const members = [address(6), address(7), address(8), address(9), address(10)];

  // Every parameter differs from the module's default, so a parameter the module ignored shows.
  const params = {
    committeeMembers: members,
    committeeThreshold: 3,
    treasury: address(5),
    challengerRewardBps: 1_234,
    disputeFeeBps: 567,
    minLiveness: 1_800,
    maxLiveness: 12 * DAY,
    maxGrace: 45 * DAY,
    arbitrationTimeout: 9 * DAY,
    minMarketLiquidity: 12_345n,
  } satisfies SystemParams;

  async function deployed() {
    return deployLocalSystem(conn, params);
  }

  async function deployedWithDefaults() {
    return deployLocalSystem(conn, { committeeMembers: members.slice(0, 3) });
  }

  it("the registry's config equals the parameters passed", async () => {
    const { registry } = await networkHelpers.loadFixture(deployed);
    assert.deepEqual(await registry.read.config(), {
      treasury: params.treasury,
      challengerRewardBps: params.challengerRewardBps,
      disputeFeeBps: params.disputeFeeBps,
      minLiveness: params.minLiveness,
      maxLiveness: params.maxLiveness,
      maxGrace: params.maxGrace,
      arbitrationTimeout: params.arbitrationTimeout,
    });
    assert.equal(await registry.read.pledgeCount(), 0n);
  });

  it("without optional parameters the module's documented defaults apply", async () => {
    const { registry, committee } = await networkHelpers.loadFixture(deployedWithDefaults);
    assert.deepEqual(await registry.read.config(), {
      treasury: zeroAddress,
      challengerRewardBps: 2_000,
      disputeFeeBps: 1_000,
      minLiveness: 3_600,
      maxLiveness: 30 * DAY,
      maxGrace: 90 * DAY,
      arbitrationTimeout: 14 * DAY,
    });
    assert.equal(await committee.read.threshold(), 2);
    assert.deepEqual(await committee.read.members(), members.slice(0, 3));
  });

  it("the committee is bound to the registry, with exactly the members and threshold passed", async () => {
    const { registry, committee } = await networkHelpers.loadFixture(deployed);
    assert.equal(getAddress(await committee.read.registry()), getAddress(registry.address));
    assert.equal(await committee.read.threshold(), params.committeeThreshold);
    assert.deepEqual(await committee.read.members(), members);
    for (const m of members) assert.equal(await committee.read.isMember([m]), true, m);
    for (const other of [address(0), address(5), address(11), getAddress(registry.address), zeroAddress]) {
      assert.equal(await committee.read.isMember([other]), false, other);
    }
  });

  it("the market maker trades the system's vault and the breach markets read the system's registry", async () => {
    const { registry, vault, maker, breachMarkets } = await networkHelpers.loadFixture(deployed);
    assert.equal(getAddress(await maker.read.vault()), getAddress(vault.address));
    assert.equal(getAddress(await breachMarkets.read.registry()), getAddress(registry.address));
    assert.equal(getAddress(await breachMarkets.read.maker()), getAddress(maker.address));
    assert.equal(getAddress(await breachMarkets.read.vault()), getAddress(vault.address));
    assert.equal(await breachMarkets.read.minLiquidity(), params.minMarketLiquidity);
    assert.equal(await maker.read.MAX_FEE_BPS(), 1_000n);
    const defaults = await networkHelpers.loadFixture(deployedWithDefaults);
    assert.equal(await defaults.breachMarkets.read.minLiquidity(), 10n ** 18n);
    assert.equal(await defaults.pactMarkets.read.minLiquidity(), 10n ** 18n);
  });

  it("the pact markets and the lens read the system's pacts, registry, vault, maker and breach markets", async () => {
    const { registry, vault, maker, breachMarkets, pacts, pactMarkets, lens } =
      await networkHelpers.loadFixture(deployed);
    assert.equal(getAddress(await pactMarkets.read.pacts()), getAddress(pacts.address));
    assert.equal(getAddress(await pactMarkets.read.registry()), getAddress(registry.address));
    assert.equal(getAddress(await pactMarkets.read.maker()), getAddress(maker.address));
    assert.equal(getAddress(await pactMarkets.read.vault()), getAddress(vault.address));
    assert.equal(await pactMarkets.read.minLiquidity(), params.minMarketLiquidity, "the breach markets' floor");
    assert.equal(getAddress(await lens.read.breachMarkets()), getAddress(breachMarkets.address));
    assert.equal(getAddress(await lens.read.pactMarkets()), getAddress(pactMarkets.address));
    assert.equal(getAddress(await lens.read.pacts()), getAddress(pacts.address));
    assert.equal(getAddress(await lens.read.registry()), getAddress(registry.address));
    assert.equal(getAddress(await lens.read.maker()), getAddress(maker.address));
    // It answers for ids that do not exist yet (state None, nothing at risk, no market).
    const cost = await lens.read.pledgeCost([1n]);
    assert.equal(cost.state, 0);
    assert.equal(cost.total, 0n);
    assert.equal(cost.market.sponsor, zeroAddress);
    const member = await lens.read.memberCost([1n, address(1)]);
    assert.equal(member.lossIfDefect, 0n);
    assert.equal(member.pactMarket.state, 0);
  });

  it("the committee accepts dispute notices from its registry only", async () => {
    const { committee } = await networkHelpers.loadFixture(deployed);
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.onDisputed([1n, 1n, 1n], { account: deployer.account }),
      committee,
      "CallerNotRegistry",
      [getAddress(deployer.account.address)],
    );
  });

  it("no deployed contract exposes an owner or admin function or is a proxy", async () => {
    const { registry, committee, vault, maker, breachMarkets, pacts, pactMarkets, lens } =
      await networkHelpers.loadFixture(deployed);

    for (const contract of [registry, committee, vault, maker, breachMarkets, pacts, pactMarkets, lens]) {
      const abi = contract.abi as readonly AbiItem[];
      const signatures = new Set(abi.filter((i) => i.type === "function").map(signature));
      for (const admin of ADMIN_FUNCTIONS) assert.ok(!signatures.has(admin), `ABI has ${admin}`);
      // The deployed code must not answer them either (no fallback, no function hidden from the ABI).
      for (const admin of ADMIN_FUNCTIONS) {
        await assert.rejects(
          publicClient.call({ to: contract.address, data: toFunctionSelector(admin) }),
          `${admin} did not revert`,
        );
      }
      for (const slot of EIP1967_SLOTS) {
        const value = await publicClient.getStorageAt({ address: contract.address, slot });
        assert.ok(value === undefined || BigInt(value) === 0n, `EIP-1967 slot ${slot} is set`);
      }
    }

    // Every state-changing entry point is part of the pledge lifecycle or the committee's vote. `release` and
    // `amend` are not admin functions: only the governor a pledger named for its own pledge may call them;
    // `createPledgeFor` names as pledger only an account that approved the caller (`approveSponsor`).
    assert.deepEqual(writeFunctions(registry.abi as readonly AbiItem[]), [
      "amend",
      "approveSponsor",
      "challenge",
      "claim",
      "createGovernedPledge",
      "createPledge",
      "createPledgeFor",
      "dispute",
      "finalize",
      "flushBurned",
      "release",
      "rule",
      "topUp",
      "voidChallenge",
    ]);
    assert.deepEqual(writeFunctions(committee.abi as readonly AbiItem[]), ["onDisputed", "vote"]);
    assert.deepEqual(writeFunctions(vault.abi as readonly AbiItem[]), [
      "merge",
      "prepareCondition",
      "redeem",
      "reportPayouts",
      "safeBatchTransferFrom",
      "safeTransferFrom",
      "setApprovalForAll",
      "split",
    ]);
    // (The maker's ERC-1155 receiver hooks are views: they only accept or refuse.)
    assert.deepEqual(writeFunctions(maker.abi as readonly AbiItem[]), [
      "buy",
      "createMarket",
      "sell",
      "withdraw",
    ]);
    assert.deepEqual(writeFunctions(breachMarkets.abi as readonly AbiItem[]), [
      "claimExcess",
      "declareAffiliates",
      "openMarket",
      "resolve",
      "withdrawSubsidy",
    ]);
    assert.deepEqual(writeFunctions(pacts.abi as readonly AbiItem[]), [
      "activate",
      "claim",
      "claimShares",
      "collectMarketExcess",
      "createPact",
      "expel",
      "join",
      "reclaimBonus",
      "recordOutcome",
      "withdraw",
    ]);
    assert.deepEqual(writeFunctions(pactMarkets.abi as readonly AbiItem[]), [
      "openMarket",
      "resolve",
      "withdrawSubsidy",
    ]);
    // The lens only reads.
    assert.deepEqual(writeFunctions(lens.abi as readonly AbiItem[]), []);
    assert.equal(getAddress(await pacts.read.registry()), getAddress(registry.address));
    // Pacts collects a member-sponsor's capped excess from the system's BreachMarkets, which reads the same registry.
    assert.equal(getAddress(await pacts.read.breachMarkets()), getAddress(breachMarkets.address));
    assert.equal(getAddress(await breachMarkets.read.registry()), getAddress(registry.address));
  });

  it("the bond token is the 18-decimal mock from the MockTokens module", async () => {
    const { bondToken } = await networkHelpers.loadFixture(deployed);
    assert.equal(await bondToken.read.decimals(), 18);
    assert.equal(await bondToken.read.symbol(), "mUSD");
    assert.equal(await bondToken.read.totalSupply(), 0n);
  });

  describe("parameters the constructors refuse make the deploy fail", () => {
    const cases: { name: string; params: SystemParams; error: RegExp }[] = [
      {
        name: "threshold 1 of 3 (not a strict majority)",
        params: { committeeMembers: members.slice(0, 3), committeeThreshold: 1 },
        error: /ThresholdInvalid\(1, 3\)/,
      },
      {
        name: "threshold 2 of 4 (a tie is possible)",
        params: { committeeMembers: members.slice(0, 4), committeeThreshold: 2 },
        error: /ThresholdInvalid\(2, 4\)/,
      },
      {
        name: "threshold 4 of 3 (larger than the committee)",
        params: { committeeMembers: members.slice(0, 3), committeeThreshold: 4 },
        error: /ThresholdInvalid\(4, 3\)/,
      },
      {
        name: "a member listed twice",
        params: { committeeMembers: [members[0], members[1], members[0]], committeeThreshold: 2 },
        error: new RegExp(`MemberInvalid\\("${members[0]}"\\)`, "i"),
      },
      {
        name: "a challenger reward above 100%",
        params: { committeeMembers: members.slice(0, 3), challengerRewardBps: 10_001 },
        error: /ConfigInvalid\("challengerRewardBps", 10001\)/,
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        await networkHelpers.loadFixture(deployed);
        await assert.rejects(deployLocalSystem(conn, c.params), c.error);
      });
    }
  });
});
