/**
 * `npm run demo` / `make demo`: the main scenario on the in-process Hardhat network (or any network
 * given with `--network`). Set PLEDGE_DEMO_DISPUTE=0 for the branch where nobody disputes.
 */
import { network } from "hardhat";

import { runDemo } from "./lib/demo.js";

const started = performance.now();
const conn = await network.create();
try {
  await runDemo(conn, {
    dispute: process.env.PLEDGE_DEMO_DISPUTE !== "0",
    outDir: "reports/demo",
    log: (line) => console.log(line),
  });
} finally {
  await conn.close();
}
console.log(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
