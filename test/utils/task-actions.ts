/**
 * Running a command-line task's action (tasks/*.ts) in-process against a test's own connection, as
 * the CLI would with `--json`. Defines no tests.
 */
import assert from "node:assert/strict";
import { mock } from "node:test";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

/**
 * A runner for task actions. The actions open their own connection with hre.network.create() and
 * close it: here they get `conn`, with close() a no-op. The runner calls tasks/<file>.ts's action with
 * `--json` and returns what it printed, parsed (exactly one line).
 */
export function taskRunner(conn: NetworkConnection) {
  const hre = {
    network: {
      create: async () => new Proxy(conn, { get: (target, key) => (key === "close" ? async () => {} : Reflect.get(target, key)) }),
    },
  } as unknown as HardhatRuntimeEnvironment;

  return async function runTask(file: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { default: action } = (await import(`../../tasks/${file}.js`)) as {
      default: (args: never, hre: HardhatRuntimeEnvironment) => Promise<void>;
    };
    const log = mock.method(console, "log", () => {});
    try {
      await action({ ...args, json: true } as never, hre);
      assert.equal(log.mock.callCount(), 1);
      return JSON.parse(String(log.mock.calls[0].arguments[0]));
    } finally {
      log.mock.restore();
    }
  };
}
