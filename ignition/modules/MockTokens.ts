import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Test tokens for local networks only: an 18-decimal mock stablecoin with open minting, used as the
 * bond token by the demo and the tests. Never deploy this to a public chain.
 *
 * Parameters (module "MockTokens"): name, symbol, decimals.
 */
export default buildModule("MockTokens", (m) => {
  const bondToken = m.contract("MockERC20", [
    m.getParameter("name", "Mock USD"),
    m.getParameter("symbol", "mUSD"),
    m.getParameter("decimals", 18),
  ]);
  return { bondToken };
});
