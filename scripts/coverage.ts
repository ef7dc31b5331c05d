/**
 * `npm run coverage` (`make coverage`, a CI gate): runs the whole test suite under Hardhat's
 * coverage instrumentation (build profile `coverage`, see hardhat.config.ts) and fails unless every
 * contract under contracts/ reaches the thresholds, over the whole of contracts/ taken together:
 *
 *   lines       >= 95%   (from coverage/lcov.info: LH / LF per file)
 *   statements  >= 95%   (from the report table Hardhat prints: lcov has no statement records)
 *
 * Test doubles (test/mocks, skipped by `coverage.skipFiles`) and tests are not instrumented, so they
 * count for nothing. A contract file that no test executes at all would be missing from the report
 * rather than at 0%, so every contracts/ file with executable code must appear in it.
 *
 * Writes coverage/summary.json and docs/coverage.md (per-file figures); prints a table.
 * Exit codes: the test run's own code if tests failed, 1 if a threshold or a file is missing.
 *
 * Usage: node scripts/coverage.ts   (Node >= 22.18 strips the types; `npm run coverage` does this)
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const THRESHOLD = { lines: 95, statements: 95 };

interface FileCoverage {
  file: string;
  linesFound: number;
  linesHit: number;
  statementPct: number | undefined;
}

/** Runs the instrumented test suite, echoing its output; resolves with its exit code and output. */
function runInstrumentedTests(): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const hardhat = path.join(ROOT, "node_modules", ".bin", "hardhat");
    const child = spawn(hardhat, ["test", "--coverage", "--build-profile", "coverage"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      // The `coverage` test profile (hardhat.config.ts): local depth, fixed seed. TypeScript suites read
      // the same variable.
      env: { ...process.env, HARDHAT_TEST_PROFILE: process.env.HARDHAT_TEST_PROFILE ?? "coverage" },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Per-file LF/LH from an lcov tracefile. */
function parseLcov(text: string): Map<string, { found: number; hit: number }> {
  const files = new Map<string, { found: number; hit: number }>();
  let current: string | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("SF:")) {
      current = line.slice(3).trim();
      files.set(current, { found: 0, hit: 0 });
    } else if (current !== undefined && line.startsWith("LF:")) {
      files.get(current)!.found = Number(line.slice(3));
    } else if (current !== undefined && line.startsWith("LH:")) {
      files.get(current)!.hit = Number(line.slice(3));
    }
  }
  return files;
}

/** Statement % per file from the last coverage table Hardhat printed (box-drawing rows). */
function parseStatementTable(output: string): Map<string, number> {
  const plain = output.replace(/\u001b\[[0-9;]*m/g, "");
  const rows = new Map<string, number>();
  for (const line of plain.split("\n")) {
    const cells = line.split(/[│║]/).map((c) => c.trim());
    // ["", path, line%, statement%, uncovered, ""]
    if (cells.length < 5 || !/^[\w./-]+\.sol$/.test(cells[1])) continue;
    const statementPct = Number(cells[3]);
    if (Number.isFinite(statementPct)) rows.set(cells[1], statementPct);
  }
  return rows;
}

/** contracts/ files with executable code: every .sol outside interfaces/ and types/. */
function contractFiles(dir = "contracts"): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return rel === "contracts/interfaces" || rel === "contracts/types" ? [] : contractFiles(rel);
    return entry.name.endsWith(".sol") ? [rel] : [];
  });
}

const pct = (hit: number, found: number) => (found === 0 ? 100 : (hit * 100) / found);
const fmt = (n: number) => n.toFixed(2);

async function main() {
  const started = Date.now();
  const { code, output } = await runInstrumentedTests();
  const seconds = Math.round((Date.now() - started) / 1000);
  if (code !== 0) {
    console.error(`\ncoverage: the instrumented test run failed (exit ${code}); no coverage verdict`);
    process.exit(code);
  }

  const lcov = parseLcov(readFileSync(path.join(ROOT, "coverage", "lcov.info"), "utf8"));
  const statements = parseStatementTable(output);
  const files: FileCoverage[] = [...lcov.entries()]
    .filter(([file]) => file.startsWith("contracts/"))
    .map(([file, { found, hit }]) => ({ file, linesFound: found, linesHit: hit, statementPct: statements.get(file) }))
    .sort((a, b) => a.file.localeCompare(b.file));

  const problems: string[] = [];
  const reported = new Set(files.map((f) => f.file));
  for (const file of contractFiles()) {
    if (!reported.has(file)) problems.push(`${file} is missing from the coverage report (no test executed it)`);
  }
  for (const f of files) {
    if (f.statementPct === undefined) problems.push(`${f.file}: no statement figure in the report table`);
  }

  const linesFound = files.reduce((s, f) => s + f.linesFound, 0);
  const linesHit = files.reduce((s, f) => s + f.linesHit, 0);
  const linePct = pct(linesHit, linesFound);
  // The table's Total row also covers only instrumented files, i.e. contracts/ (mocks are skipped).
  const totalStatementPct = parseStatementTotal(output);
  if (totalStatementPct === undefined) problems.push("no Total row in the coverage table");
  if (linePct < THRESHOLD.lines) problems.push(`lines ${fmt(linePct)}% < ${THRESHOLD.lines}%`);
  if (totalStatementPct !== undefined && totalStatementPct < THRESHOLD.statements) {
    problems.push(`statements ${fmt(totalStatementPct)}% < ${THRESHOLD.statements}%`);
  }

  console.log("\ncoverage of contracts/ (test/mocks and tests excluded)");
  console.log(`${"file".padEnd(44)} ${"lines".padStart(13)} ${"line %".padStart(7)} ${"stmt %".padStart(7)}`);
  for (const f of files) {
    console.log(
      `${f.file.padEnd(44)} ${`${f.linesHit}/${f.linesFound}`.padStart(13)} ${fmt(pct(f.linesHit, f.linesFound)).padStart(7)} ${(f.statementPct === undefined ? "-" : fmt(f.statementPct)).padStart(7)}`,
    );
  }
  console.log(
    `${"total".padEnd(44)} ${`${linesHit}/${linesFound}`.padStart(13)} ${fmt(linePct).padStart(7)} ${(totalStatementPct === undefined ? "-" : fmt(totalStatementPct)).padStart(7)}`,
  );

  const summary = {
    measuredAt: new Date().toISOString(),
    machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    profile: process.env.HARDHAT_TEST_PROFILE ?? "coverage",
    seconds,
    thresholds: THRESHOLD,
    total: { linesHit, linesFound, linePct, statementPct: totalStatementPct },
    files,
    problems,
  };
  mkdirSync(path.join(ROOT, "coverage"), { recursive: true });
  writeFileSync(path.join(ROOT, "coverage", "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(path.join(ROOT, "docs", "coverage.md"), markdown(summary));

  if (problems.length > 0) {
    console.error(`\ncoverage gate FAILED:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(1);
  }
  console.log(`\ncoverage gate passed: lines ${fmt(linePct)}%, statements ${fmt(totalStatementPct!)}% (>= 95% each), ${seconds} s`);
}

function parseStatementTotal(output: string): number | undefined {
  const plain = output.replace(/\u001b\[[0-9;]*m/g, "");
  let total: number | undefined;
  for (const line of plain.split("\n")) {
    const cells = line.split(/[│║]/).map((c) => c.trim());
    if (cells.length >= 4 && cells[1] === "Total" && Number.isFinite(Number(cells[3]))) total = Number(cells[3]);
  }
  return total;
}

function markdown(s: {
  measuredAt: string;
  machine: string;
  profile: string;
  seconds: number;
  total: { linesHit: number; linesFound: number; linePct: number; statementPct: number | undefined };
  files: FileCoverage[];
  problems: string[];
}): string {
  const rows = s.files.map(
    (f) =>
      `| \`${f.file}\` | ${f.linesHit} / ${f.linesFound} | ${fmt(pct(f.linesHit, f.linesFound))} | ${f.statementPct === undefined ? "-" : fmt(f.statementPct)} |`,
  );
  return [
    "# Coverage",
    "",
    "Generated by `npm run coverage` (`make coverage`, a CI gate; scripts/coverage.ts): the whole test suite",
    "(Solidity and TypeScript) under Hardhat's coverage instrumentation. Only contracts/ is instrumented",
    "(test/mocks is skipped, tests are never instrumented). CI fails below 95% of lines or of statements",
    "over contracts/, or when a contract file is missing from the report.",
    "",
    `Measured ${s.measuredAt.slice(0, 16).replace("T", " ")} UTC on ${s.machine}, test profile \`${s.profile}\`: ${s.seconds} s`,
    "including the instrumented build.",
    "",
    "| file | lines hit / found | line % | statement % |",
    "|---|---:|---:|---:|",
    ...rows,
    `| **total** | ${s.total.linesHit} / ${s.total.linesFound} | ${fmt(s.total.linePct)} | ${s.total.statementPct === undefined ? "-" : fmt(s.total.statementPct)} |`,
    "",
    s.problems.length === 0 ? "Gate: passed." : `Gate: FAILED (${s.problems.join("; ")}).`,
    "",
  ].join("\n");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
