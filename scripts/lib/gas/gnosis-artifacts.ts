/**
 * The Gnosis contracts the benchmark compares against, as their published Truffle build artifacts
 * (solc 0.5.10, optimizer on, 200 runs): fetched with `npm pack` from the npm registry into a
 * git-ignored cache and read from there. Only `package/build/contracts/*.json` is extracted; neither
 * package is installed (the market makers' dependency tree is large and not needed).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";

import { isAddress, isHex, type Abi, type Address, type Hex } from "viem";

/** The two packages, pinned. `dir` is the folder under the cache that holds the extracted `package/`. */
export const GNOSIS_PACKAGES = {
  ctf: { spec: "@gnosis.pm/conditional-tokens-contracts@1.0.3", dir: "conditional-tokens-contracts-1.0.3" },
  marketMakers: {
    spec: "@gnosis.pm/conditional-tokens-market-makers@1.8.1",
    dir: "conditional-tokens-market-makers-1.8.1",
  },
} as const;
export type GnosisPackage = keyof typeof GNOSIS_PACKAGES;

/** What the benchmark uses of a Truffle artifact. ABIs come from JSON, so they are typed as viem's `Abi`. */
export interface GnosisArtifact {
  contractName: string;
  abi: Abi;
  /** Creation bytecode; may hold library placeholders (see `linkBytecode`). */
  bytecode: string;
  /** Hardhat/solc-style link references, when the artifact has them (Truffle 5 artifacts do not). */
  linkReferences?: Record<string, Record<string, { start: number; length: number }[]>>;
}

function contractsDir(cacheDir: string, pkg: GnosisPackage): string {
  return path.join(cacheDir, GNOSIS_PACKAGES[pkg].dir, "package", "build", "contracts");
}

/** Runs npm: the npm that runs this script when started by `npm run`, otherwise `npm` from PATH. */
function npm(args: string[], cwd: string): string {
  const execPath = process.env.npm_execpath;
  const [cmd, cmdArgs] =
    execPath !== undefined && path.basename(execPath) === "npm-cli.js"
      ? [process.execPath, [execPath, ...args]]
      : ["npm", args];
  try {
    return execFileSync(cmd, cmdArgs, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    throw new Error(`npm ${args.join(" ")} failed${typeof stderr === "string" && stderr !== "" ? `:\n${stderr}` : ""}`);
  }
}

/** Extracts only `package/build/contracts/*.json` (GNU tar needs --wildcards; bsdtar matches patterns without it). */
function extractArtifacts(tarball: string, into: string): void {
  const pattern = "package/build/contracts/*.json";
  try {
    execFileSync("tar", ["-xzf", tarball, "-C", into, "--wildcards", pattern], { stdio: ["ignore", "ignore", "pipe"] });
  } catch {
    execFileSync("tar", ["-xzf", tarball, "-C", into, pattern], { stdio: ["ignore", "ignore", "pipe"] });
  }
}

/**
 * Makes sure both packages' artifacts are in `cacheDir`: skips a package whose artifacts are there,
 * otherwise `npm pack`s it into the cache, extracts the artifacts and deletes the tarball. Extraction
 * goes to a temporary folder renamed at the end, so an interrupted run leaves no half cache.
 */
export function ensureGnosisArtifacts(cacheDirectory: string, log: (line: string) => void): void {
  const cacheDir = path.resolve(cacheDirectory);
  mkdirSync(cacheDir, { recursive: true });
  for (const pkg of Object.keys(GNOSIS_PACKAGES) as GnosisPackage[]) {
    const { spec, dir } = GNOSIS_PACKAGES[pkg];
    const target = path.join(cacheDir, dir);
    if (existsSync(contractsDir(cacheDir, pkg))) {
      log(`      ${spec}: cached in ${path.relative(process.cwd(), target)}`);
      continue;
    }
    log(`      ${spec}: npm pack into ${path.relative(process.cwd(), cacheDir)}/`);
    const packed: unknown = JSON.parse(npm(["pack", spec, "--json", "--pack-destination", cacheDir], cacheDir));
    const filename = Array.isArray(packed) ? (packed[0] as { filename?: unknown }).filename : undefined;
    if (typeof filename !== "string") throw new Error(`npm pack ${spec}: no tarball name in its output`);
    const tarball = path.join(cacheDir, filename.replace(/^@/, "").replace(/\//g, "-"));
    if (!existsSync(tarball)) throw new Error(`npm pack ${spec}: ${tarball} not found`);
    const tmp = `${target}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp);
    log(`      ${spec}: extracting package/build/contracts/*.json from ${path.basename(tarball)}`);
    extractArtifacts(tarball, tmp);
    rmSync(tarball);
    rmSync(target, { recursive: true, force: true });
    renameSync(tmp, target);
  }
}

/** Reads one artifact from the cache, checking the fields the benchmark relies on. */
export function loadGnosisArtifact(cacheDir: string, pkg: GnosisPackage, contractName: string): GnosisArtifact {
  const file = path.join(contractsDir(cacheDir, pkg), `${contractName}.json`);
  const json = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  const { abi, bytecode, linkReferences } = json;
  if (!Array.isArray(abi)) throw new Error(`${file}: no abi array`);
  if (typeof bytecode !== "string" || !bytecode.startsWith("0x") || bytecode.length <= 2) {
    throw new Error(`${file}: no creation bytecode`);
  }
  return {
    contractName,
    abi: abi as Abi,
    bytecode,
    linkReferences: linkReferences as GnosisArtifact["linkReferences"],
  };
}

/**
 * Links libraries into creation bytecode. Truffle leaves a 40-character placeholder per use,
 * `__<Name>` padded with underscores (e.g. `__Fixed192x64Math_______________________`), in place of
 * the library's address; a solc/Hardhat artifact lists offsets in `linkReferences` instead. Both are
 * handled. Throws if a placeholder remains (a library was not given).
 */
export function linkBytecode(artifact: GnosisArtifact, libraries: Record<string, Address>): Hex {
  let code = artifact.bytecode.slice(2);
  for (const [name, address] of Object.entries(libraries)) {
    if (!isAddress(address)) throw new Error(`linkBytecode: ${name} -> ${address} is not an address`);
    const addr = address.slice(2).toLowerCase();
    const placeholder = `__${name}`.padEnd(40, "_").slice(0, 40);
    code = code.split(placeholder).join(addr);
    for (const refs of Object.values(artifact.linkReferences ?? {})) {
      for (const { start, length } of refs[name] ?? []) {
        code = code.slice(0, start * 2) + addr + code.slice((start + length) * 2);
      }
    }
  }
  const unlinked = code.match(/__[^_][A-Za-z0-9$]*_*/g);
  if (unlinked !== null) {
    throw new Error(`${artifact.contractName}: unlinked library placeholders ${[...new Set(unlinked)].join(", ")}`);
  }
  const linked: Hex = `0x${code}`;
  if (!isHex(linked)) throw new Error(`${artifact.contractName}: bytecode is not hex after linking`);
  return linked;
}
