/**
 * A sweep worker (pool.ts forks it): its own Hardhat runtime and in-process network, the system deployed once,
 * then work units from the parent one at a time; it reports each on-chain run (for the progress bar) and each
 * unit's measured runs.
 */
import { network } from "hardhat";

import { createWorld, runUnit } from "./chain.js";
import type { ParentMessage, WorkerMessage } from "./pool.js";

const post = (m: WorkerMessage) => process.send!(m);
// The parent gone (it failed, or was interrupted), there is nobody to report to.
process.on("disconnect", () => process.exit(0));

try {
  const conn = await network.create();
  const world = await createWorld(conn);
  process.on("message", (m: ParentMessage) => {
    if (m.type === "stop") {
      void conn.close().finally(() => process.exit(0));
      return;
    }
    runUnit(world, m.unit, () => post({ type: "run" }))
      .then((result) => post({ type: "unit", result }))
      .catch((e: unknown) => {
        post({ type: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        process.exitCode = 1;
      });
  });
  post({ type: "ready" });
} catch (e) {
  post({ type: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exitCode = 1;
}
