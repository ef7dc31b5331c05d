/**
 * `npm run bench:gas`: gas of our contracts against Gnosis's (ConditionalTokens, LMSR and FPMM market
 * makers) on the in-process Hardhat network; prints a table and writes reports/gas.json,
 * reports/gas-details.json and docs/gas.md. BENCH_GAS_SAMPLES (default 25) sets the condition ids per
 * row, BENCH_GAS_HOLDERS (default "10,1000") the holder counts of the scaling section.
 */
import { network } from "hardhat";

import { runGasBench } from "./lib/gas/run.js";

function positiveInts(value: string | undefined, fallback: number[]): number[] {
  if (value === undefined || value === "") return fallback;
  const parsed = value.split(",").map((v) => Number(v.trim()));
  if (parsed.some((v) => !Number.isInteger(v) || v < 1)) throw new Error(`expected positive integers, got "${value}"`);
  return parsed;
}

const started = performance.now();
const [samples] = positiveInts(process.env.BENCH_GAS_SAMPLES, [25]);
const holderCounts = positiveInts(process.env.BENCH_GAS_HOLDERS, [10, 1000]);
const conn = await network.create();
try {
  await runGasBench(conn, {
    settings: { samples, holderCounts },
    gnosisCacheDir: ".gnosis",
    outDir: "reports",
    docsFile: "docs/gas.md",
    log: (line) => console.log(line),
  });
} finally {
  await conn.close();
}
console.log(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
