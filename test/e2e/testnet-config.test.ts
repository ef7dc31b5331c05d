/**
 * The testnet entries of hardhat.config.ts without their configuration variables: the documented
 * deploy command stops at once with Hardhat's HHE7 "Configuration Variable ... not found", exit code
 * 1, before contacting anything. Runs the real CLI (`node_modules/.bin/hardhat`) with no such
 * environment variable and an empty keystore (XDG_CONFIG_HOME pointed at an empty folder).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { HARDHAT_BIN, ROOT, cliEnv, freePort } from "../utils/live-node.js";

/** Every configuration variable hardhat.config.ts reads. */
const CONFIG_VARIABLES = [
  "SEPOLIA_RPC_URL",
  "SEPOLIA_PRIVATE_KEY",
  "BASE_SEPOLIA_RPC_URL",
  "BASE_SEPOLIA_PRIVATE_KEY",
  "ETHERSCAN_API_KEY",
];

interface Run {
  code: number | null;
  output: string;
}

/** Runs the Hardhat CLI as a shell would, with `env` and none of the other configuration variables. */
async function hardhat(args: string[], env: Record<string, string>, timeoutMs = 90_000): Promise<Run> {
  const childEnv = cliEnv(env);
  for (const name of CONFIG_VARIABLES) if (!(name in env)) delete childEnv[name];
  const child = spawn(process.execPath, [HARDHAT_BIN, ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`hardhat ${args.join(" ")} did not exit within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const deployArgs = (net: string) => [
  "ignition",
  "deploy",
  "ignition/modules/PledgeSystem.ts",
  "--network",
  net,
  "--parameters",
  `ignition/parameters/${net}.json`,
];

const missing = (name: string) =>
  new RegExp(`HHE7: Configuration Variable "${name}" not found[\\s\\S]*hardhat-keystore[\\s\\S]*environment variable`);

describe("Testnets without their configuration variables", { timeout: 120_000 }, () => {
  let configHome = "";

  before(async () => {
    configHome = await mkdtemp(path.join(tmpdir(), "pledge-keystore-"));
  });

  after(async () => {
    if (configHome !== "") await rm(configHome, { recursive: true, force: true });
  });

  it("ignition deploy to sepolia and baseSepolia fails with HHE7 naming the missing variable", async () => {
    // A port nothing listens on: if the URL were used before the key is resolved, the error would
    // be HHE703 (cannot connect), not HHE7.
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    const noKeystore = { XDG_CONFIG_HOME: configHome };
    // In parallel: each CLI start takes a few seconds on a busy machine.
    const [sepolia, baseSepolia, sepoliaNoKey] = await Promise.all([
      hardhat(deployArgs("sepolia"), noKeystore),
      hardhat(deployArgs("baseSepolia"), noKeystore),
      hardhat(deployArgs("sepolia"), { ...noKeystore, SEPOLIA_RPC_URL: deadUrl }),
    ]);
    assert.equal(sepolia.code, 1, sepolia.output);
    assert.match(sepolia.output, missing("SEPOLIA_RPC_URL"));
    assert.equal(baseSepolia.code, 1, baseSepolia.output);
    assert.match(baseSepolia.output, missing("BASE_SEPOLIA_RPC_URL"));
    assert.equal(sepoliaNoKey.code, 1, sepoliaNoKey.output);
    assert.match(sepoliaNoKey.output, missing("SEPOLIA_PRIVATE_KEY"));
    // Hardhat's own error before anything else: no connection attempt, no prompt, nothing deployed.
    for (const run of [sepolia, baseSepolia, sepoliaNoKey]) {
      assert.doesNotMatch(run.output, /HHE703|Confirm deploy|Deployed Addresses/, run.output);
    }
  });
});
