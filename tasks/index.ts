import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

/** The command-line interface: `npx hardhat pledge <command> --help`. */
export const tasks = [
  emptyTask("pledge", "Read and drive pledges").build(),
  task(["pledge", "status"], "Show a pledge: state, bond, deadlines, open challenge, who can claim what")
    .addPositionalArgument({ name: "id", description: "The pledge id", type: ArgumentType.BIGINT })
    .addOption({
      name: "registry",
      description: "Registry address (default: the PledgeSystem deployment Ignition recorded for this chain)",
      defaultValue: "",
    })
    .addFlag({ name: "json", description: "Print JSON instead of tables" })
    .setAction(() => import("./pledge-status.js"))
    .build(),
];
