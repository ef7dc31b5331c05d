/**
 * End to end over JSON-RPC: a real `hardhat node` process on a free loopback port, the system deployed
 * to it with Ignition (ignition/parameters/localhost.json, recorded under a throwaway deployment id),
 * the demo scenario run against it, and the node stopped by its PID with no process left behind.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { getAddress } from "viem";

import FutarchyModule from "../../ignition/modules/Futarchy.js";
import PactsModule from "../../ignition/modules/Pacts.js";
import MockTokensModule from "../../ignition/modules/MockTokens.js";
import PledgeSystemModule from "../../ignition/modules/PledgeSystem.js";
import { runDemo } from "../../scripts/lib/demo.js";
import {
  listDeployments,
  readDeployedAddresses,
  readParametersFile,
  removeDeployment,
} from "../utils/deployments.js";
import { type LiveNode, processExists, startHardhatNode } from "../utils/live-node.js";

describe("Live hardhat node: Ignition deploy and the demo over JSON-RPC", { timeout: 120_000 }, () => {
  let node: LiveNode | undefined;
  let conn: NetworkConnection | undefined;
  let outDir = "";
  const deploymentId = `e2e-live-${process.pid}-${Date.now()}`;
  let deploymentsBefore: string[] = [];

  before(async () => {
    deploymentsBefore = await listDeployments();
    outDir = await mkdtemp(path.join(tmpdir(), "pledge-e2e-"));
    node = await startHardhatNode();
    // `localhost`, pointed at this node's port.
    conn = await network.create({ network: "localhost", override: { url: node.url } });
  });

  after(async () => {
    // Runs on failure too: close the connection, stop the node, remove what the run wrote.
    await conn?.close().catch(() => {});
    const pid = node?.pid;
    await node?.stop();
    if (pid !== undefined) assert.equal(processExists(pid), false, `hardhat node pid ${pid} still running`);
    // Ignition's records of this run: our deployment id and the demo's own `demo-*` deployment.
    for (const id of await listDeployments()) {
      const ours = id === deploymentId || id.startsWith("demo-");
      if (ours && !deploymentsBefore.includes(id)) await removeDeployment(id);
    }
    if (outDir !== "") await rm(outDir, { recursive: true, force: true });
  });

  it("the node answers on its port as chain 31337", async () => {
    assert.ok(node !== undefined && conn !== undefined);
    assert.equal(conn.networkName, "localhost");
    const publicClient = await conn.viem.getPublicClient();
    assert.equal(await publicClient.getChainId(), 31_337);
    assert.ok((await conn.viem.getWalletClients()).length >= 11, "the node funds at least 11 accounts");
  });

  it("Ignition deploys PledgeSystem, MockTokens, Futarchy and Pacts with localhost.json and records the deployment", async () => {
    assert.ok(conn !== undefined);
    const parameters = await readParametersFile("localhost");
    const system = await conn.ignition.deploy(PledgeSystemModule, { parameters, deploymentId });
    const { bondToken } = await conn.ignition.deploy(MockTokensModule, { parameters, deploymentId });
    // Futarchy into the same deployment: it reuses the recorded PledgeSystem contracts.
    const futarchy = await conn.ignition.deploy(FutarchyModule, { parameters, deploymentId });
    assert.equal(getAddress(futarchy.registry.address), getAddress(system.registry.address));
    assert.equal(await futarchy.decisions.read.registry(), getAddress(system.registry.address));
    assert.equal(await futarchy.decisions.read.blockTime(), BigInt(parameters.Futarchy.blockTime as number));
    const { pacts, pactMarkets } = await conn.ignition.deploy(PactsModule, { parameters, deploymentId });
    assert.equal(await pacts.read.registry(), getAddress(system.registry.address));
    assert.equal(await pactMarkets.read.maker(), getAddress(system.maker.address));
    assert.equal(await pactMarkets.read.minLiquidity(), parameters.PledgeSystem.minMarketLiquidity);

    const recorded = await readDeployedAddresses(deploymentId);
    assert.deepEqual(Object.keys(recorded).sort(), [
      "Futarchy#ConditionalPools",
      "Futarchy#FutarchyDecisions",
      "MockTokens#MockERC20",
      "Pacts#DefectionLens",
      "Pacts#PactMarkets",
      "Pacts#Pacts",
      "PledgeSystem#BreachMarkets",
      "PledgeSystem#CommitteeArbiter",
      "PledgeSystem#LmsrMarketMaker",
      "PledgeSystem#OutcomeVault",
      "PledgeSystem#PledgeRegistry",
    ]);
    assert.equal(getAddress(recorded["PledgeSystem#PledgeRegistry"]), getAddress(system.registry.address));
    assert.equal(getAddress(recorded["MockTokens#MockERC20"]), getAddress(bondToken.address));

    // What the node holds is what the parameters file says.
    const p = parameters.PledgeSystem;
    const cfg = await system.registry.read.config();
    assert.equal(cfg.treasury, getAddress(p.treasury as string));
    assert.equal(cfg.challengerRewardBps, p.challengerRewardBps);
    assert.equal(cfg.disputeFeeBps, p.disputeFeeBps);
    assert.equal(cfg.minLiveness, p.minLiveness);
    assert.equal(cfg.maxLiveness, p.maxLiveness);
    assert.equal(cfg.maxGrace, p.maxGrace);
    assert.equal(cfg.arbitrationTimeout, p.arbitrationTimeout);
    assert.deepEqual(await system.committee.read.members(), (p.committeeMembers as string[]).map((a) => getAddress(a)));
    assert.equal(await system.committee.read.threshold(), p.committeeThreshold);
    assert.equal(await system.breachMarkets.read.minLiquidity(), p.minMarketLiquidity);
    assert.equal(await bondToken.read.symbol(), parameters.MockTokens.symbol);

    // Deploying again reconciles against the record: nothing new, the same addresses.
    const again = await conn.ignition.deploy(PledgeSystemModule, { parameters, deploymentId });
    assert.equal(getAddress(again.registry.address), getAddress(system.registry.address));
  });

  it("the demo scenario runs over JSON-RPC and its report balances", async () => {
    assert.ok(conn !== undefined);
    const lines: string[] = [];
    const report = await runDemo(conn, { dispute: true, outDir, log: (line) => lines.push(line) });
    assert.equal(typeof report.scenario, "string");
    assert.ok(report.scenario.length > 0);
    assert.equal(Number(report.network.chainId), 31_337);
    assert.equal(BigInt(report.registryBalanceAfter), 0n, "the registry holds nothing after everyone claimed");
    assert.ok(BigInt(report.defectorLoss) > 0n, `the defector lost nothing:\n${lines.join("\n")}`);
  });

  it("a testnet entry pointed at this node is refused: its chainId pins the chain", async () => {
    assert.ok(node !== undefined);
    // The sepolia entry with this node's URL and a throwaway key (Hardhat's account #19): no
    // configuration variable is read, and the first request that is not eth_chainId fails.
    const sepolia = await network.create({
      network: "sepolia",
      override: { url: node.url, accounts: ["0xdf57089febbacf7ba0bc227dafbffa9fc08a93fdc68e1e42411a14efcf23656e"] },
    });
    try {
      await assert.rejects(
        sepolia.provider.request({ method: "eth_blockNumber" }),
        /HHE708|chain id "11155111", but connected to a chain with id "31337"/,
      );
    } finally {
      await sepolia.close();
    }
  });

  it("stopping the node leaves no process behind", async () => {
    assert.ok(node !== undefined);
    const { pid } = node;
    assert.equal(processExists(pid), true);
    await node.stop();
    assert.equal(processExists(pid), false, `pid ${pid} still exists`);
    // Nothing else is serving the port either (an orphan would be a `hardhat node` child with it).
    const ps = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
    const orphans = ps.split("\n").filter((l) => l.includes("hardhat") && l.includes(`--port ${node!.port}`));
    assert.deepEqual(orphans, [], `processes still serving port ${node.port}`);
  });
});
