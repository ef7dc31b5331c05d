/**
 * Ignition's files for the end-to-end tests: parameter files as `ignition deploy --parameters` reads
 * them, the addresses a deployment recorded, the ABIs in the artifacts, and removing the deployment
 * folders a test wrote. Defines no tests.
 */
import { readFile, readdir, rm } from "node:fs/promises";
import path from "node:path";

import { readDeploymentParameters } from "@nomicfoundation/hardhat-ignition/helpers";
import type { DeploymentParameters } from "@nomicfoundation/ignition-core";

import { ROOT } from "./live-node.js";

export const DEPLOYMENTS_DIR = path.join(ROOT, "ignition", "deployments");

/** The path of ignition/parameters/<network>.json. */
export function parametersFile(network: string): string {
  return path.join(ROOT, "ignition", "parameters", `${network}.json`);
}

/**
 * Reads ignition/parameters/<network>.json with the reader `ignition deploy --parameters` uses (JSON5;
 * strings of digits ending in `n`, such as "1000000000000000000n", are bigints).
 */
export async function readParametersFile(network: string): Promise<DeploymentParameters> {
  return readDeploymentParameters(parametersFile(network));
}

/** ignition/deployments/<id>/deployed_addresses.json: "Module#Contract" -> address. */
export async function readDeployedAddresses(deploymentId: string): Promise<Record<string, `0x${string}`>> {
  const file = path.join(DEPLOYMENTS_DIR, deploymentId, "deployed_addresses.json");
  return JSON.parse(await readFile(file, "utf8")) as Record<string, `0x${string}`>;
}

/** The ABI of a contract from Hardhat's artifacts (artifacts/<source path>/<Name>.json). */
export async function readArtifactAbi(sourcePath: string, contractName: string): Promise<unknown[]> {
  const file = path.join(ROOT, "artifacts", sourcePath, `${contractName}.json`);
  const artifact = JSON.parse(await readFile(file, "utf8")) as { abi: unknown[] };
  return artifact.abi;
}

/** The names in ignition/deployments now (none if the folder does not exist). */
export async function listDeployments(): Promise<string[]> {
  try {
    return await readdir(DEPLOYMENTS_DIR);
  } catch {
    return [];
  }
}

/** Removes ignition/deployments/<id> (a deployment a test wrote). */
export async function removeDeployment(deploymentId: string): Promise<void> {
  if (!/^[\w.-]+$/.test(deploymentId)) throw new Error(`refusing to remove deployment "${deploymentId}"`);
  await rm(path.join(DEPLOYMENTS_DIR, deploymentId), { recursive: true, force: true });
}
