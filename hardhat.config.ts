import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import hardhatToolboxViemPlugin from "@nomicfoundation/hardhat-toolbox-viem";
import { configVariable, defineConfig } from "hardhat/config";

import parallelBuild from "./plugins/parallel-build.js";
import { tasks } from "./tasks/index.js";

// Hardhat cannot download compilers here (no network but the npm registry), so every build
// profile compiles with the npm package `solc`, pinned in package.json to SOLC_VERSION exactly:
// Hardhat does not check that the binary at `path` is the declared version.
const require = createRequire(import.meta.url);
const SOLC_PATH = require.resolve("solc/soljson.js");
const SOLC_VERSION = "0.8.28";

// Optimizer on everywhere, so tests and gas figures see the bytecode that gets deployed.
// EVM target cancun: transient storage (EIP-1153) for ReentrancyGuardTransient; see docs/toolchain.md.
const compiler = {
  version: SOLC_VERSION,
  path: SOLC_PATH,
  settings: { evmVersion: "cancun", optimizer: { enabled: true, runs: 10_000 } },
};

// solc runs as WebAssembly here, with a memory ceiling: compiled as one merged job, the Solidity
// tests plus the contracts overflow it (HHE908 "memory access out of bounds"). Hardhat merges root
// files that share a compiler-config object, so each folder of Solidity tests gets a config object
// of its own (same settings): one compilation job per folder instead of one for everything.
const ROOT = path.dirname(fileURLToPath(import.meta.url));
/** Source names (project-relative, "/"-separated) of the .sol files under `dir`. */
function solidityTestFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return solidityTestFiles(file);
    return entry.name.endsWith(".sol") ? [file] : [];
  });
}
/**
 * Overrides giving every folder of Solidity tests a config object (so a compilation job) of its own.
 * Support folders (`handlers/`, `utils/`) hold no tests, only what the tests beside them import, so
 * they join their parent's job: a job of their own would compile forge-std and the contracts again
 * for nothing.
 */
function jobPerFolder(config: typeof compiler, filePerJob: readonly string[] = []): Record<string, typeof compiler> {
  const perFolder = new Map<string, typeof compiler>();
  return Object.fromEntries(
    solidityTestFiles("test/solidity").map((file) => {
      const dir = path.posix.dirname(file).replace(/\/(handlers|utils)$/, "");
      // Folders in `filePerJob` get a job per file instead.
      const folder = filePerJob.includes(dir) ? file : dir;
      if (!perFolder.has(folder)) perFolder.set(folder, { ...config });
      return [file, perFolder.get(folder)!];
    }),
  );
}
// Coverage: instrumentation needs no optimizer (and compiles much faster without it). Same per-folder jobs.
const instrumented = { ...compiler, settings: { evmVersion: "cancun", optimizer: { enabled: false, runs: 10_000 } } };

export default defineConfig({
  plugins: [hardhatToolboxViemPlugin, parallelBuild],
  tasks,
  solidity: {
    profiles: {
      default: { compilers: [compiler], overrides: jobPerFolder(compiler) },
      production: compiler,
      // `npm run coverage`: the same jobs, unoptimized (see `instrumented`), except the adversarial
      // battery, whose twelve files (each a test contract deploying the whole instrumented system)
      // overflow solc-wasm as one job (HHE908): a job per file there.
      coverage: {
        compilers: [instrumented],
        overrides: jobPerFolder(instrumented, ["test/solidity/adversarial"]),
      },
    },
  },
  // Sources: the contracts, plus the test doubles in test/mocks (hostile tokens, receivers, harnesses),
  // which are sources rather than tests so that they get artifacts: the TypeScript tests and the
  // local-token Ignition module deploy them. Coverage skips them (coverage.skipFiles) and so does
  // the coverage gate. Solidity tests live under test/solidity; every .ts file under test/ is run
  // as a TypeScript test file (integration/, invariant/; helpers in test/utils define no tests).
  paths: {
    sources: { solidity: ["contracts", "test/mocks"] },
    tests: { solidity: "test/solidity", nodejs: "test" },
  },
  coverage: { skipFiles: ["test/mocks/**"] },
  test: {
    solidity: {
      profiles: {
        default: {
          fuzz: { runs: 256 },
          invariant: { runs: 64, depth: 50, failOnRevert: false },
        },
        // Selected with HARDHAT_TEST_PROFILE=ci (see .ci/run): deeper, fixed seed so failures reproduce.
        ci: {
          fuzz: { runs: 1000, seed: "0x5eed" },
          invariant: { runs: 256, depth: 64, failOnRevert: false },
        },
        // Selected by `npm run coverage` (scripts/coverage.ts): lines and statements are reached by the
        // unit tests long before fuzzing depth matters, so the instrumented run is kept short (it runs
        // in CI after the `ci` profile has already run the suite at depth); the CI seed makes its
        // figures reproduce.
        coverage: {
          fuzz: { runs: 64, seed: "0x5eed" },
          invariant: { runs: 16, depth: 32, failOnRevert: false },
        },
      },
    },
  },
  networks: {
    sepolia: {
      type: "http",
      chainType: "l1",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("SEPOLIA_PRIVATE_KEY")],
    },
  },
});
