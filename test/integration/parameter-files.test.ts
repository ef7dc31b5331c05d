/**
 * The Ignition parameter files (ignition/parameters/<network>.json): every key is a parameter the
 * modules read (Ignition silently ignores unknown keys, so a typo would deploy a default), every
 * deployment-wide parameter is spelled out, addresses are addresses or REPLACE_ME placeholders, and
 * each file deploys on the in-process network to a registry configured exactly as it says (the dry
 * run docs/deployment.md asks for before a testnet deploy). A file that still holds placeholders fails
 * that dry run.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  type DeploymentParameters,
  type IgnitionModule,
  isFuture,
  isModuleParameterRuntimeValue,
} from "@nomicfoundation/ignition-core";
import { network } from "hardhat";
import { type Address, getAddress, isAddress } from "viem";

import FutarchyModule from "../../ignition/modules/Futarchy.js";
import SystemModule from "../../ignition/modules/System.js";
import MockTokensModule from "../../ignition/modules/MockTokens.js";
import PledgeSystemModule from "../../ignition/modules/PledgeSystem.js";
import UmaOOv3ArbiterModule, { ASSERT_TRUTH2 } from "../../ignition/modules/UmaOOv3Arbiter.js";
import { readParametersFile } from "../utils/deployments.js";

const NETWORKS = ["localhost", "sepolia", "baseSepolia"] as const;
const TESTNETS = ["sepolia", "baseSepolia"] as const;
const PLACEHOLDER = /^REPLACE_ME\b/;
/** Each chain's block time in seconds (FutarchyDecisions' manipulation check assumes it). */
const BLOCK_TIME: Record<(typeof NETWORKS)[number], number> = { localhost: 12, sepolia: 12, baseSepolia: 2 };

/** The names of the parameters a module reads (`m.getParameter`), found in its futures' arguments. */
function moduleParameterNames(module: IgnitionModule): string[] {
  const names = new Set<string>();
  const walk = (value: unknown): void => {
    if (isModuleParameterRuntimeValue(value)) names.add(value.name);
    else if (isFuture(value)) return;
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === "object" && value !== null) Object.values(value).forEach(walk);
  };
  for (const future of module.futures) {
    if ("constructorArgs" in future) walk(future.constructorArgs);
    if ("args" in future) walk(future.args);
  }
  return [...names].sort();
}

/** The parameters with every REPLACE_ME placeholder replaced by a distinct valid address. */
function withPlaceholdersFilled(parameters: DeploymentParameters, accounts: readonly Address[]): DeploymentParameters {
  let next = 0;
  const fill = (value: unknown): unknown => {
    if (typeof value === "string" && PLACEHOLDER.test(value)) return accounts[next++];
    if (Array.isArray(value)) return value.map(fill);
    return value;
  };
  return Object.fromEntries(
    Object.entries(parameters).map(([id, params]) => [
      id,
      Object.fromEntries(Object.entries(params).map(([k, v]) => [k, fill(v)])),
    ]),
  ) as DeploymentParameters;
}

describe("Ignition parameter files", async () => {
  const systemParams = moduleParameterNames(PledgeSystemModule);
  const tokenParams = moduleParameterNames(MockTokensModule);
  const umaParams = moduleParameterNames(UmaOOv3ArbiterModule);
  const futarchyParams = moduleParameterNames(FutarchyModule);

  it("the modules read the parameters the files are checked against", () => {
    assert.deepEqual(systemParams, [
      "arbitrationTimeout",
      "challengerRewardBps",
      "committeeMembers",
      "committeeThreshold",
      "disputeFeeBps",
      "maxGrace",
      "maxLiveness",
      "minLiveness",
      "minMarketLiquidity",
      "treasury",
    ]);
    assert.deepEqual(tokenParams, ["decimals", "name", "symbol"]);
    assert.deepEqual(umaParams, ["currency", "identifier", "liveness", "minimumBond", "oracle"]);
    const perKind = ["Cooldown", "FeeBps", "MaxStepBps", "StakeBps", "ThresholdBps", "TwapDelay", "Window"];
    assert.deepEqual(
      futarchyParams,
      ["amend", "release"].flatMap((k) => perKind.map((f) => `${k}${f}`)).concat("blockTime").sort(),
    );
  });

  for (const net of NETWORKS) {
    it(`${net}.json sets every PledgeSystem parameter and nothing else, the chain's block time for Futarchy; addresses or placeholders`, async () => {
      const file = await readParametersFile(net);
      assert.deepEqual(Object.keys(file.PledgeSystem ?? {}).sort(), systemParams);
      // Mock tokens are for local networks only.
      if (net === "localhost") assert.deepEqual(Object.keys(file.MockTokens ?? {}).sort(), tokenParams);
      else {
        // Testnets: the system and the UMA adapter (public chains have an OOv3); no mock tokens.
        assert.deepEqual(Object.keys(file).sort(), ["Futarchy", "PledgeSystem", "UmaOOv3Arbiter"]);
        const u = file.UmaOOv3Arbiter;
        assert.deepEqual(Object.keys(u).sort(), umaParams);
        for (const a of [u.oracle as string, u.currency as string]) {
          assert.ok(isAddress(a, { strict: false }) || PLACEHOLDER.test(a), `${net}.json: "${a}" is neither an address nor a REPLACE_ME placeholder`);
        }
        assert.equal(u.identifier, ASSERT_TRUTH2, "the explicit ASSERT_TRUTH2 identifier");
        assert.equal(typeof u.minimumBond, "bigint", 'minimumBond is written as a "…n" string');
      }
      // Futarchy: the chain's block time; the decision parameters keep the module's defaults unless set.
      const f = file.Futarchy ?? {};
      for (const key of Object.keys(f)) assert.ok(futarchyParams.includes(key), `${net}.json: Futarchy.${key} is not a parameter`);
      assert.equal(f.blockTime, BLOCK_TIME[net], `${net}.json: Futarchy.blockTime is the chain's block time`);
      const p = file.PledgeSystem;
      const addresses = [...(p.committeeMembers as string[]), p.treasury as string];
      for (const a of addresses) {
        assert.ok(
          isAddress(a, { strict: false }) || PLACEHOLDER.test(a),
          `${net}.json: "${a}" is neither an address nor a REPLACE_ME placeholder`,
        );
      }
      if (net === "localhost") {
        assert.ok(addresses.every((a) => !PLACEHOLDER.test(a)), "localhost.json must deploy as is");
      }
      assert.equal(typeof p.minMarketLiquidity, "bigint", 'minMarketLiquidity is written as a "…n" string');
    });
  }

  const conn = await network.create();
  const accounts = (await conn.viem.getWalletClients()).map((w) => getAddress(w.account.address));

  for (const net of NETWORKS) {
    it(`${net}.json deploys in-process (placeholders filled) to a registry configured as the file says`, async () => {
      const file = withPlaceholdersFilled(await readParametersFile(net), accounts.slice(10));
      // The System module deploys PledgeSystem once, then futarchy's pools and decisions and the pacts bound to it.
      const deployed = await conn.ignition.deploy(SystemModule, { parameters: file });
      const { registry, committee, breachMarkets, pools, decisions, vault, pacts } = deployed;
      assert.equal(await pacts.read.registry(), getAddress(registry.address));
      assert.equal(await decisions.read.registry(), getAddress(registry.address));
      assert.equal(await decisions.read.pools(), getAddress(pools.address));
      assert.equal(await pools.read.vault(), getAddress(vault.address));
      assert.equal(await decisions.read.blockTime(), BigInt(BLOCK_TIME[net]));
      const p = file.PledgeSystem;
      assert.deepEqual(await registry.read.config(), {
        treasury: getAddress(p.treasury as string),
        challengerRewardBps: p.challengerRewardBps,
        disputeFeeBps: p.disputeFeeBps,
        minLiveness: p.minLiveness,
        maxLiveness: p.maxLiveness,
        maxGrace: p.maxGrace,
        arbitrationTimeout: p.arbitrationTimeout,
      });
      assert.deepEqual(await committee.read.members(), (p.committeeMembers as string[]).map((a) => getAddress(a)));
      assert.equal(await committee.read.threshold(), p.committeeThreshold);
      assert.equal(await breachMarkets.read.minLiquidity(), p.minMarketLiquidity);
    });
  }

  for (const net of TESTNETS) {
    it(`${net}.json deploys the UMA adapter in-process (against the test double of OOv3) as the file says`, async () => {
      const file = withPlaceholdersFilled(await readParametersFile(net), accounts.slice(10));
      // The real OOv3 is not on this chain: a test double stands in for it, and a mock token for the currency.
      const oracle = await conn.viem.deployContract("MockOptimisticOracleV3", [10n ** 6n]);
      const currency = await conn.viem.deployContract("MockERC20", ["Bond", "BOND", 18]);
      const base = file.UmaOOv3Arbiter;
      assert.ok(base !== undefined, `${net}.json has no UmaOOv3Arbiter section`);
      const u = { ...base, oracle: oracle.address, currency: currency.address };
      const { umaArbiter } = await conn.ignition.deploy(UmaOOv3ArbiterModule, {
        parameters: { ...file, UmaOOv3Arbiter: u },
      });
      // Bound to the registry the same deployment made from the file's PledgeSystem section.
      const registry = await conn.viem.getContractAt("PledgeRegistry", await umaArbiter.read.registry());
      assert.deepEqual(await registry.read.config(), {
        treasury: getAddress(file.PledgeSystem.treasury as string),
        challengerRewardBps: file.PledgeSystem.challengerRewardBps,
        disputeFeeBps: file.PledgeSystem.disputeFeeBps,
        minLiveness: file.PledgeSystem.minLiveness,
        maxLiveness: file.PledgeSystem.maxLiveness,
        maxGrace: file.PledgeSystem.maxGrace,
        arbitrationTimeout: file.PledgeSystem.arbitrationTimeout,
      });
      assert.equal(await umaArbiter.read.oracle(), getAddress(oracle.address));
      assert.equal(await umaArbiter.read.currency(), getAddress(currency.address));
      assert.equal(await umaArbiter.read.identifier(), ASSERT_TRUTH2);
      assert.equal(await umaArbiter.read.liveness(), BigInt(base.liveness as number));
      assert.equal(await umaArbiter.read.minimumBond(), base.minimumBond);
      // OOv3's minimum is above the file's: it decides the bond.
      assert.equal(await umaArbiter.read.requiredBond(), 10n ** 6n);
    });
  }

  for (const net of TESTNETS) {
    it(`${net}.json with its placeholders still in fails the in-process dry run`, async (t) => {
      const file = await readParametersFile(net);
      const p = file.PledgeSystem;
      if (![...(p.committeeMembers as string[]), p.treasury as string].some((a) => PLACEHOLDER.test(a))) {
        t.skip("no placeholders left: real addresses were filled in");
        return;
      }
      await assert.rejects(conn.ignition.deploy(PledgeSystemModule, { parameters: file }), /invalid address/);
    });
  }
});
