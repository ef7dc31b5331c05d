/**
 * Deploys the Gnosis anchors from their published artifacts on the benchmark's network:
 * ConditionalTokens (conditional-tokens-contracts 1.0.3), and from conditional-tokens-market-makers
 * 1.8.1 the library Fixed192x64Math, LMSRMarketMakerFactory (whose constructor deploys the
 * LMSRMarketMaker implementation that every market clones, with Fixed192x64Math linked into both) and
 * FPMMDeterministicFactory (create and fund a FixedProductMarketMaker in one transaction).
 */
import type { PublicClient, WalletClient } from "@nomicfoundation/hardhat-viem/types";
import type { Abi, Address, Hex } from "viem";

import type { LooseContract } from "./context.js";
import { linkBytecode, loadGnosisArtifact, type GnosisArtifact, type GnosisPackage } from "./gnosis-artifacts.js";

export interface GnosisSystem {
  conditionalTokens: LooseContract;
  lmsrFactory: LooseContract;
  /** ABI of the markets the LMSR factory creates. */
  lmsrMarketAbi: Abi;
  fpmmFactory: LooseContract;
  /** ABI of the markets the FPMM factory creates. */
  fpmmAbi: Abi;
  fixed192x64Math: Address;
  /** Gas of each deployment, for the details file. */
  deployGas: Record<string, number>;
}

async function deploy(
  publicClient: PublicClient,
  wallet: WalletClient,
  artifact: GnosisArtifact,
  bytecode: Hex,
  deployGas: Record<string, number>,
): Promise<Address> {
  const hash = await wallet.deployContract({ abi: artifact.abi, bytecode, args: [] });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || receipt.contractAddress == null) {
    throw new Error(`deploying ${artifact.contractName} failed (${hash})`);
  }
  deployGas[artifact.contractName] = Number(receipt.gasUsed);
  return receipt.contractAddress;
}

export async function deployGnosis(
  publicClient: PublicClient,
  deployer: WalletClient,
  cacheDir: string,
  log: (line: string) => void,
): Promise<GnosisSystem> {
  const load = (pkg: GnosisPackage, name: string) => loadGnosisArtifact(cacheDir, pkg, name);
  const deployGas: Record<string, number> = {};
  const plain = async (artifact: GnosisArtifact) =>
    deploy(publicClient, deployer, artifact, linkBytecode(artifact, {}), deployGas);

  const ctfArtifact = load("ctf", "ConditionalTokens");
  const ctf = await plain(ctfArtifact);
  log(`      ConditionalTokens ${ctf}`);

  const mathArtifact = load("marketMakers", "Fixed192x64Math");
  const fixed192x64Math = await plain(mathArtifact);
  const lmsrFactoryArtifact = load("marketMakers", "LMSRMarketMakerFactory");
  const lmsrFactory = await deploy(
    publicClient,
    deployer,
    lmsrFactoryArtifact,
    linkBytecode(lmsrFactoryArtifact, { Fixed192x64Math: fixed192x64Math }),
    deployGas,
  );
  log(`      Fixed192x64Math ${fixed192x64Math}, linked into LMSRMarketMakerFactory ${lmsrFactory}`);

  const fpmmFactoryArtifact = load("marketMakers", "FPMMDeterministicFactory");
  const fpmmFactory = await plain(fpmmFactoryArtifact);
  log(`      FPMMDeterministicFactory ${fpmmFactory}`);

  return {
    conditionalTokens: { address: ctf, abi: ctfArtifact.abi },
    lmsrFactory: { address: lmsrFactory, abi: lmsrFactoryArtifact.abi },
    lmsrMarketAbi: load("marketMakers", "LMSRMarketMaker").abi,
    fpmmFactory: { address: fpmmFactory, abi: fpmmFactoryArtifact.abi },
    fpmmAbi: load("marketMakers", "FixedProductMarketMaker").abi,
    fixed192x64Math,
    deployGas,
  };
}
