/** The `solidity.build` hook of plugins/parallel-build.ts: sets the number of concurrent compilation jobs. */
import os from "node:os";

import type { SolidityHooks } from "hardhat/types/hooks";

/** Jobs to run at once: PLEDGE_BUILD_CONCURRENCY if it is a positive integer, else one per core. */
export function buildConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number(env.PLEDGE_BUILD_CONCURRENCY);
  if (Number.isInteger(asked) && asked > 0) return asked;
  return os.availableParallelism();
}

export default async (): Promise<Partial<SolidityHooks>> => ({
  build: async (context, rootFilePaths, options, next) =>
    next(context, rootFilePaths, { ...options, concurrency: options?.concurrency ?? buildConcurrency() }),
});
