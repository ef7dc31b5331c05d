/**
 * A project-local Hardhat plugin: compile Solidity with one job per CPU core instead of Hardhat's
 * default `cores - 1`. The compiler here is solc-wasm (docs/toolchain.md), one single-threaded process
 * per compilation job, so on the 2-core machines this project runs on Hardhat's default compiles one job
 * at a time and leaves a core idle through the ~5-minute cold build. `PLEDGE_BUILD_CONCURRENCY` overrides
 * the count (e.g. 1 to compile serially on a machine short of memory: each solc-wasm job can take a
 * few GiB).
 */
import type { HardhatPlugin } from "hardhat/types/plugins";

const parallelBuild: HardhatPlugin = {
  id: "pledge-markets-parallel-build",
  hookHandlers: {
    solidity: () => import("./parallel-build-hooks.js"),
  },
};

export default parallelBuild;
