/**
 * `npm run demo` / `make demo`: the flagship scenario on the in-process Hardhat network, or on a
 * running node with `npm run demo -- --network localhost`. PLEDGE_DEMO_DISPUTE=0: nobody disputes
 * (the same as `npm run scenario -- undisputed`); PLEDGE_DEMO_SEED=N: another seed.
 */
import { network } from "hardhat";

import { runDemo } from "./lib/demo.js";
import { flagFailedChecks } from "./lib/scenario/report.js";

const started = performance.now();
const conn = await network.create();
try {
  const report = await runDemo(conn, {
    dispute: process.env.PLEDGE_DEMO_DISPUTE !== "0",
    outDir: "reports/demo",
    seed: process.env.PLEDGE_DEMO_SEED ? Number(process.env.PLEDGE_DEMO_SEED) : undefined,
    log: (line) => console.log(line),
  });
  flagFailedChecks(report);
} finally {
  await conn.close();
}
console.log(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
