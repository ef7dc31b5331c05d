/**
 * Interop: a client that is not Hardhat. ethers v6, knowing only the ABIs in artifacts/ and the
 * addresses Ignition recorded in ignition/deployments/<id>/deployed_addresses.json, drives pledges on
 * a real `hardhat node` over JSON-RPC: creates one, challenges it (`challenge(pledgeId, evidenceURI,
 * maxBond)`), lets the liveness pass, finalizes the slash and claims; and walks a second pledge to an
 * honored release and the pledger's claim. Hardhat is used only to start the node and deploy.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import {
  Contract,
  HDNodeWallet,
  Interface,
  type InterfaceAbi,
  JsonRpcProvider,
  type Log,
  keccak256,
  parseUnits,
  toUtf8Bytes,
} from "ethers";
import { network } from "hardhat";

import MockTokensModule from "../../ignition/modules/MockTokens.js";
import PledgeSystemModule from "../../ignition/modules/PledgeSystem.js";
import { PledgeState } from "../../scripts/lib/states.js";
import {
  readArtifactAbi,
  readDeployedAddresses,
  readParametersFile,
  removeDeployment,
} from "../utils/deployments.js";
import { HARDHAT_MNEMONIC, type LiveNode, processExists, startHardhatNode } from "../utils/live-node.js";

const DAY = 86_400;
const units = (n: string) => parseUnits(n, 18);

/** Hardhat's default account `index` (m/44'/60'/0'/0/index of the default mnemonic), on `provider`. */
function account(index: number, provider: JsonRpcProvider): HDNodeWallet {
  return HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`).connect(provider);
}

describe("Interop: an ethers v6 client with only the ABIs and Ignition's addresses", { timeout: 120_000 }, () => {
  let node: LiveNode | undefined;
  let provider: JsonRpcProvider | undefined;
  const deploymentId = `e2e-interop-${process.pid}-${Date.now()}`;

  before(async () => {
    node = await startHardhatNode();
    // Deploy with Ignition (the one deploy path), then forget Hardhat: close its connection.
    const conn = await network.create({ network: "localhost", override: { url: node.url } });
    try {
      const parameters = await readParametersFile("localhost");
      await conn.ignition.deploy(PledgeSystemModule, { parameters, deploymentId });
      await conn.ignition.deploy(MockTokensModule, { parameters, deploymentId });
    } finally {
      await conn.close();
    }
    provider = new JsonRpcProvider(node.url, 31_337, {
      staticNetwork: true,
      pollingInterval: 100,
      // No 250 ms response cache: a nonce read right after a mined transaction must be fresh.
      cacheTimeout: -1,
    });
  });

  after(async () => {
    provider?.destroy();
    const pid = node?.pid;
    await node?.stop();
    if (pid !== undefined) assert.equal(processExists(pid), false, `hardhat node pid ${pid} still running`);
    await removeDeployment(deploymentId);
  });

  /** The deployed contracts, from the files alone. */
  async function contracts(p: JsonRpcProvider) {
    const addresses = await readDeployedAddresses(deploymentId);
    const registryAbi = await readArtifactAbi("contracts/registry/PledgeRegistry.sol", "PledgeRegistry");
    const tokenAbi = await readArtifactAbi("test/mocks/MockERC20.sol", "MockERC20");
    const registry = new Contract(addresses["PledgeSystem#PledgeRegistry"], registryAbi as InterfaceAbi, p);
    const token = new Contract(addresses["MockTokens#MockERC20"], tokenAbi as InterfaceAbi, p);
    const committee = addresses["PledgeSystem#CommitteeArbiter"];
    assert.ok(registry.target && token.target && committee, "deployed_addresses.json lacks a contract");
    for (const address of [addresses["PledgeSystem#PledgeRegistry"], addresses["MockTokens#MockERC20"], committee]) {
      assert.notEqual(await p.getCode(address), "0x", `no code at ${address}`);
    }
    return { registry, token, committee, registryIface: new Interface(registryAbi as InterfaceAbi) };
  }

  /** Sends a transaction through a contract method as `signer` and waits for a successful receipt. */
  async function send(c: Contract, signer: HDNodeWallet, method: string, args: unknown[]) {
    const tx = await (c.connect(signer) as Contract).getFunction(method).send(...args);
    const receipt = await tx.wait();
    assert.ok(receipt !== null && receipt.status === 1, `${method} failed`);
    return receipt;
  }

  async function increaseTime(p: JsonRpcProvider, seconds: number) {
    await p.send("evm_increaseTime", [seconds]);
    await p.send("evm_mine", []);
  }

  async function latestTimestamp(p: JsonRpcProvider): Promise<number> {
    const block = await p.getBlock("latest");
    assert.ok(block !== null);
    return block.timestamp;
  }

  it("creates a pledge, challenges it, finalizes the undisputed breach and every party claims its share", async () => {
    assert.ok(provider !== undefined);
    const p = provider;
    const { registry, token, committee, registryIface } = await contracts(p);
    const [deployer, pledger, challenger, beneficiary] = [0, 1, 2, 12].map((i) => account(i, p));
    const bond = units("1000");
    const challengeBond = units("100");
    const liveness = 3_600;
    const cfg = await registry.getFunction("config").staticCall();
    const rewardBps = BigInt(cfg.challengerRewardBps);

    // The pledger: mint the bond, approve, pledge.
    await send(token, deployer, "mint", [pledger.address, bond]);
    await send(token, pledger, "approve", [registry.target, bond]);
    const expiry = (await latestTimestamp(p)) + 30 * DAY;
    const terms = "No frontier training run above the agreed threshold before expiry.";
    const created = await send(registry, pledger, "createPledge", [
      {
        termsHash: keccak256(toUtf8Bytes(terms)),
        termsURI: "ipfs://interop/terms",
        token: token.target,
        bond,
        expiry,
        grace: 7 * DAY,
        beneficiary: beneficiary.address,
        resolution: { arbiter: committee, liveness, challengeBond },
      },
    ]);
    const createdEvent = created.logs
      .map((l: Log) => registryIface.parseLog(l))
      .find((e) => e?.name === "PledgeCreated");
    assert.ok(createdEvent, "no PledgeCreated event");
    const pledgeId: bigint = createdEvent.args.pledgeId;
    assert.equal(createdEvent.args.pledger, pledger.address);
    assert.equal(Number(await registry.getFunction("state").staticCall(pledgeId)), PledgeState.Active);
    assert.equal(await token.getFunction("balanceOf").staticCall(registry.target), bond);

    // The challenger: read the required bond, fund it, challenge with it as the maximum.
    const [bondToken, required] = await registry.getFunction("requiredChallengeBond").staticCall(pledgeId);
    assert.equal(bondToken, token.target);
    assert.equal(required, challengeBond);
    await send(token, deployer, "mint", [challenger.address, required]);
    await send(token, challenger, "approve", [registry.target, required]);
    await send(registry, challenger, "challenge", [pledgeId, "ipfs://interop/evidence", required]);
    assert.equal(Number(await registry.getFunction("state").staticCall(pledgeId)), PledgeState.Challenged);

    // Nobody disputes: after the liveness the breach stands; anyone finalizes.
    await increaseTime(p, liveness);
    assert.equal(Number(await registry.getFunction("state").staticCall(pledgeId)), PledgeState.Slashable);
    const finalized = await send(registry, deployer, "finalize", [pledgeId]);
    const slashed = finalized.logs.map((l: Log) => registryIface.parseLog(l)).find((e) => e?.name === "PledgeSlashed");
    assert.ok(slashed, "no PledgeSlashed event");
    assert.equal(Number(await registry.getFunction("state").staticCall(pledgeId)), PledgeState.Breached);
    const reward = (bond * rewardBps) / 10_000n;
    assert.equal(slashed.args.challengerReward, reward);
    assert.equal(slashed.args.beneficiaryShare, bond - reward);
    assert.equal(slashed.args.beneficiary, beneficiary.address);

    // Pull payments: the challenger gets its bond back plus the reward, the beneficiary the rest.
    const expected = new Map([
      [challenger, required + reward],
      [beneficiary, bond - reward],
      [pledger, 0n],
    ]);
    for (const [wallet, amount] of expected) {
      assert.equal(await registry.getFunction("claimable").staticCall(wallet.address, token.target), amount);
      if (amount === 0n) continue;
      const before: bigint = await token.getFunction("balanceOf").staticCall(wallet.address);
      await send(registry, wallet, "claim", [token.target, wallet.address]);
      const afterBalance: bigint = await token.getFunction("balanceOf").staticCall(wallet.address);
      assert.equal(afterBalance - before, amount, `${wallet.address} received the wrong amount`);
      assert.equal(await registry.getFunction("claimable").staticCall(wallet.address, token.target), 0n);
    }
    assert.equal(await token.getFunction("balanceOf").staticCall(registry.target), 0n, "the registry kept tokens");
  });

  it("an unchallenged pledge is released as Honored after term and grace; the pledger claims its bond", async () => {
    assert.ok(provider !== undefined);
    const p = provider;
    const { registry, token, committee } = await contracts(p);
    const [deployer, pledger] = [0, 13].map((i) => account(i, p));
    const bond = units("250");
    const grace = DAY;

    await send(token, deployer, "mint", [pledger.address, bond]);
    await send(token, pledger, "approve", [registry.target, bond]);
    const expiry = (await latestTimestamp(p)) + 10 * DAY;
    await send(registry, pledger, "createPledge", [
      {
        termsHash: keccak256(toUtf8Bytes("honored")),
        termsURI: "ipfs://interop/honored",
        token: token.target,
        bond,
        expiry,
        grace,
        beneficiary: deployer.address,
        resolution: { arbiter: committee, liveness: 3_600, challengeBond: units("10") },
      },
    ]);
    const pledgeId: bigint = await registry.getFunction("pledgeCount").staticCall();
    await increaseTime(p, 10 * DAY + grace);
    assert.equal(Number(await registry.getFunction("state").staticCall(pledgeId)), PledgeState.Releasable);
    await send(registry, deployer, "finalize", [pledgeId]);
    assert.equal(Number(await registry.getFunction("state").staticCall(pledgeId)), PledgeState.Honored);

    assert.equal(await registry.getFunction("claimable").staticCall(pledger.address, token.target), bond);
    const before: bigint = await token.getFunction("balanceOf").staticCall(pledger.address);
    await send(registry, pledger, "claim", [token.target, pledger.address]);
    assert.equal((await token.getFunction("balanceOf").staticCall(pledger.address)) - before, bond);
    assert.equal(await token.getFunction("balanceOf").staticCall(registry.target), 0n);
  });
});
