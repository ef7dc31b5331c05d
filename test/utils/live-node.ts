/**
 * A real `hardhat node` for the end-to-end tests: a child process on a free loopback port, waited on
 * until it answers `eth_chainId`, and stopped by its own PID. Defines no tests.
 *
 * The node is started as `node_modules/.bin/hardhat node` (a Node script run directly), never through
 * `npx`: killing an `npx` wrapper leaves the real node running, orphaned and holding the port.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

/** The project root (this file is test/utils/live-node.ts). */
export const ROOT = path.resolve(import.meta.dirname, "..", "..");
/** The Hardhat CLI, run with the current Node binary. */
export const HARDHAT_BIN = path.join(ROOT, "node_modules", ".bin", "hardhat");

/** The mnemonic of Hardhat's default accounts (those `hardhat node` funds and prints). */
export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/**
 * The environment for a Hardhat CLI child process as a user's shell would give it: this one, without
 * what the test runner adds (`HH_TEST`, under which hardhat-keystore reads only the development
 * keystore; Node's `NODE_TEST_CONTEXT`), without colours, plus `extra`.
 */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", ...extra };
  delete env.HH_TEST;
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/** A TCP port free on 127.0.0.1 right now: the OS picks it for a throwaway listener (`listen(0)`). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error("listen(0) returned no port"));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** One JSON-RPC call over HTTP; rejects on a transport error, a non-2xx answer or an RPC error. */
export async function rpc(url: string, method: string, params: unknown[] = [], timeoutMs = 2_000): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`${method}: HTTP ${response.status}`);
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

export interface LiveNode {
  url: string;
  port: number;
  pid: number;
  /** Everything the node printed (stdout and stderr), for failure messages. */
  output(): string;
  /** Whether the process is still running. */
  running(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/** Every node started here and not yet stopped: killed synchronously if the test process exits first. */
const started = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of started) child.kill("SIGKILL");
});

/**
 * Starts `hardhat node` on a free loopback port and resolves once it answers `eth_chainId` (chain
 * 31337). Rejects, with the node's output, if it exits early or is not ready within `readyTimeoutMs`;
 * in both cases the process is gone when the promise settles.
 */
export async function startHardhatNode({ readyTimeoutMs = 60_000 } = {}): Promise<LiveNode> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [HARDHAT_BIN, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: cliEnv(),
  });
  if (child.pid === undefined) throw new Error("could not spawn hardhat node");
  started.add(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  void exited.then(() => started.delete(child));

  const node: LiveNode = {
    url,
    port,
    pid: child.pid,
    output: () => output,
    running: () => child.exitCode === null && child.signalCode === null,
    async stop(graceMs = 5_000) {
      if (node.running()) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
    },
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (!node.running()) {
      throw new Error(`hardhat node (pid ${child.pid}) exited before answering on ${url}:\n${output}`);
    }
    try {
      const chainId = await rpc(url, "eth_chainId", [], 1_000);
      if (chainId !== "0x7a69") {
        await node.stop();
        throw new Error(`hardhat node on ${url} answered chain id ${String(chainId)}, expected 0x7a69 (31337)`);
      }
      return node;
    } catch (error) {
      if (error instanceof Error && error.message.includes("expected 0x7a69")) throw error;
    }
    if (Date.now() > deadline) {
      await node.stop();
      throw new Error(
        `hardhat node (pid ${child.pid}) did not answer eth_chainId on ${url} within ${readyTimeoutMs} ms:\n${output}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Whether a process with this PID exists (signal 0 checks without signalling). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
