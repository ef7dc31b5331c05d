import type { Measurer } from "../measurer.js";
import { conditionalPoolsMeasurer } from "./conditional-pools.js";
import { gnosisFpmmMeasurer } from "./gnosis-fpmm.js";
import { gnosisLmsrMeasurer } from "./gnosis-lmsr.js";
import { lmsrMarketMakerMeasurer } from "./lmsr-market-maker.js";
import { outcomeVaultMeasurer } from "./outcome-vault.js";
import { pactsMeasurer } from "./pacts.js";
import { pledgeRegistryMeasurer } from "./pledge-registry.js";

/**
 * Every measurer, run in this order on one network. Rows of the same name from different measurers
 * are merged (our side from one, the anchor from another). To add our LMSR market maker's rows: a
 * file here exporting a Measurer whose rows are named `OP.lmsrCreate`, `OP.lmsrBuyFirst`,
 * `OP.lmsrBuyRepeat`, `OP.lmsrSellRepeat`, `OP.lmsrSellFirst` with `ours` set (states as in
 * operations.ts), appended to this list.
 */
export const MEASURERS: readonly Measurer[] = [
  outcomeVaultMeasurer,
  pledgeRegistryMeasurer,
  lmsrMarketMakerMeasurer,
  gnosisLmsrMeasurer,
  gnosisFpmmMeasurer,
  conditionalPoolsMeasurer,
  pactsMeasurer,
];
