import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * A mock "lab share" for local networks only: the metric token of the futarchy scenarios' Price decisions (the
 * pledger's share, whose price under PASS and under FAIL the conditional pools discover). 18 decimals, open
 * minting (test/mocks/MockERC20.sol). Never deploy this to a public chain.
 *
 * Parameters (module "LabShare"): name, symbol.
 */
export default buildModule("LabShare", (m) => {
  const labShare = m.contract("MockERC20", [m.getParameter("name", "Lab Share"), m.getParameter("symbol", "LAB"), 18], {
    id: "LabShare",
  });
  return { labShare };
});
