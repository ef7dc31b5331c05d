import path from "node:path";
import { fileURLToPath } from "node:url";

import hardhatToolboxViemPlugin from "@nomicfoundation/hardhat-toolbox-viem";
import { configVariable, defineConfig } from "hardhat/config";

import { tasks } from "./tasks/index.js";

// Hardhat cannot download compilers here (no network but the npm registry), so every build
// profile compiles with the npm package `solc`, pinned in package.json to SOLC_VERSION exactly:
// Hardhat does not check that the binary at `path` is the declared version. `path` is
// toolchain/soljson-heap.cjs: that package's soljson.js, unchanged but for where it puts its input
// (on the heap: on the 5 MiB WebAssembly stack, a large compilation job's input overruns it; see
// that file and docs/toolchain.md).
const ROOT = path.dirname(fileURLToPath(import.meta.url));
const SOLC_PATH = path.join(ROOT, "toolchain", "soljson-heap.cjs");
const SOLC_VERSION = "0.8.28";

// Optimizer on everywhere, so tests and gas figures see the bytecode that gets deployed.
// EVM target cancun: transient storage (EIP-1153) for ReentrancyGuardTransient; see docs/toolchain.md.
const compiler = {
  version: SOLC_VERSION,
  path: SOLC_PATH,
  settings: { evmVersion: "cancun", optimizer: { enabled: true, runs: 10_000 } },
};
// Coverage: instrumentation needs no optimizer (and compiles faster without it). `runs` is unused.
const instrumented = { ...compiler, settings: { evmVersion: "cancun", optimizer: { enabled: false, runs: 10_000 } } };

export default defineConfig({
  plugins: [hardhatToolboxViemPlugin],
  tasks,
  solidity: {
    // One compilation job per profile (Hardhat's default): the contracts, the test doubles and every
    // Solidity test together, each contract compiled once.
    profiles: {
      default: { compilers: [compiler] },
      // Ignition deploys with `production`. Not isolated (Hardhat's default for it): an isolated build
      // of a file that declares no contract (contracts/types/*.sol) leaves a build-info without
      // contracts, which the in-process network and `hardhat node` then refuse to load ("missing
      // field 'contracts'"). Same settings as `default`, so the bytecode is the same.
      production: { ...compiler, isolated: false },
      // `npm run coverage`: the same job, unoptimized (see `instrumented`).
      coverage: { compilers: [instrumented] },
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
  // Networks. Without --network, commands use the in-process simulated chain ("default", chain 31337).
  // `localhost` is a running `npx hardhat node` (see docs/deployment.md, "Local node").
  // The testnets read their RPC URL and deployer key through configVariable: from the environment
  // variable of that name if set, else from hardhat-keystore (`npx hardhat keystore set NAME`). A
  // missing one stops the command at once with Hardhat's HHE7 "Configuration Variable ... not found"
  // (test/e2e/testnet-config.test.ts). `chainId` pins each testnet: an RPC URL that serves another
  // chain is refused before any transaction is sent.
  networks: {
    localhost: {
      type: "http",
      chainType: "l1",
      url: "http://127.0.0.1:8545",
    },
    sepolia: {
      type: "http",
      chainType: "l1",
      chainId: 11_155_111,
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("SEPOLIA_PRIVATE_KEY")],
    },
    baseSepolia: {
      type: "http",
      chainType: "op",
      chainId: 84_532,
      url: configVariable("BASE_SEPOLIA_RPC_URL"),
      accounts: [configVariable("BASE_SEPOLIA_PRIVATE_KEY")],
    },
  },
  // Source verification (hardhat-verify, in the toolbox): `npx hardhat ignition deploy ... --verify`,
  // `npx hardhat ignition verify <deployment-id> --network <name>` or `npx hardhat verify`. Etherscan's
  // v2 API takes one key for every chain it serves (Sepolia and Base Sepolia included); it is read only
  // when verifying. Blockscout and Sourcify need no key and stay enabled (Hardhat's defaults).
  verify: {
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
  },
});
