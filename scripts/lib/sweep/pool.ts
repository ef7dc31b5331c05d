/**
 * Runs a sweep's work units: in this process on one network connection (`workers` = 1), or split across
 * worker child processes (worker.ts), each with its own in-process Hardhat network, handed one unit at a time
 * (the most expensive first) as they finish. One progress bar counts on-chain runs across all of them.
 */
import { fork } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { NetworkConnection } from "hardhat/types/network";

import { progressBar } from "../scenario/progress.js";
import { type UnitResult, createWorld, runUnit } from "./chain.js";
import { type WorkUnit, runsOfUnit } from "./config.js";

/** Messages from a worker: ready (world deployed), one on-chain run done, a unit done, or a failure. */
export type WorkerMessage =
  | { type: "ready" }
  | { type: "run" }
  | { type: "unit"; result: UnitResult }
  | { type: "error"; message: string };
/** Messages to a worker: run a unit, or stop. */
export type ParentMessage = { type: "unit"; unit: WorkUnit } | { type: "stop" };

export interface PoolOptions {
  workers: number;
  /** A fresh network connection (the task's `hre.network.create`), for `workers` = 1. */
  connect: () => Promise<NetworkConnection>;
  progressOut?: { isTTY?: boolean; write(s: string): unknown };
}

export async function runUnits(units: WorkUnit[], opts: PoolOptions): Promise<UnitResult[]> {
  const total = units.reduce((s, u) => s + runsOfUnit(u), 0);
  const bar = progressBar("sweep", total, opts.progressOut ?? process.stderr);
  let runs = 0;
  let unitsDone = 0;
  const tick = () => bar.tick(++runs, `(${unitsDone}/${units.length} units)`);
  const results = opts.workers <= 1 ? await inProcess(units, opts.connect, tick, () => unitsDone++) : await inWorkers(units, opts.workers, tick, () => unitsDone++);
  bar.done(`on-chain runs, ${units.length} units, ${opts.workers} worker${opts.workers === 1 ? "" : "s"}`);
  return results.sort((a, b) => a.unit.id - b.unit.id);
}

async function inProcess(units: WorkUnit[], connect: () => Promise<NetworkConnection>, onRun: () => void, onUnit: () => void): Promise<UnitResult[]> {
  const conn = await connect();
  try {
    const world = await createWorld(conn);
    const results: UnitResult[] = [];
    for (const u of units) {
      results.push(await runUnit(world, u, onRun));
      onUnit();
    }
    return results;
  } finally {
    await conn.close();
  }
}

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "worker.ts");

function inWorkers(units: WorkUnit[], workers: number, onRun: () => void, onUnit: () => void): Promise<UnitResult[]> {
  return new Promise((resolve, reject) => {
    const queue = [...units];
    const results: UnitResult[] = [];
    const children = Array.from({ length: Math.min(workers, units.length) }, () =>
      // The worker is TypeScript: run it through tsx, as Hardhat runs the project's scripts.
      fork(WORKER, [], { execArgv: ["--import", "tsx/esm"], serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] }),
    );
    let failed = false;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      for (const c of children) c.kill();
      reject(e);
    };
    const next = (child: (typeof children)[number]) => {
      const unit = queue.shift();
      child.send(unit ? ({ type: "unit", unit } satisfies ParentMessage) : ({ type: "stop" } satisfies ParentMessage));
    };
    for (const child of children) {
      child.on("message", (m: WorkerMessage) => {
        if (m.type === "ready") next(child);
        else if (m.type === "run") onRun();
        else if (m.type === "unit") {
          results.push(m.result);
          onUnit();
          if (results.length === units.length) resolve(results);
          next(child);
        } else fail(new Error(`sweep worker: ${m.message}`));
      });
      child.on("exit", (code) => {
        if (code !== 0 && results.length < units.length) fail(new Error(`a sweep worker exited with code ${code}`));
      });
      child.on("error", fail);
    }
  });
}
