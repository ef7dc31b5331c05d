/**
 * How the command-line interface prints a command's result: its scalar fields as a two-column
 * table, each nested object as its own two-column table, each list of records as a table with
 * one row per record. `--json` prints the same object as JSON instead.
 */
import { renderTable } from "../format.js";

type Scalar = string | number | bigint | boolean | null;

/** Key/value lines with the values aligned. */
function renderPairs(rows: string[][]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`.trimEnd()).join("\n");
}

const isRecordList = (v: unknown): v is Record<string, Scalar>[] =>
  Array.isArray(v) && v.every((x) => typeof x === "object" && x !== null && !Array.isArray(x));

/** Renders a command's result object as plain-text tables. */
export function renderResult(result: Record<string, unknown>): string {
  const scalars: string[][] = [];
  const sections: string[] = [];
  for (const [key, value] of Object.entries(result)) {
    if (isRecordList(value)) {
      if (value.length === 0) {
        sections.push(`${key}: none`);
        continue;
      }
      const header = Object.keys(value[0]);
      const rows = value.map((r) => header.map((h) => String(r[h] ?? "")));
      sections.push(`${key}\n${renderTable(header, rows, header.map(() => "l"))}`);
    } else if (typeof value === "object" && value !== null) {
      const rows = Object.entries(value).map(([k, v]) => [k, String(v)]);
      sections.push(rows.length === 0 ? `${key}: none` : `${key}\n${renderPairs(rows.map(([k, v]) => [`  ${k}`, v]))}`);
    } else {
      scalars.push([key, String(value)]);
    }
  }
  const head = scalars.length === 0 ? [] : [renderPairs(scalars)];
  return [...head, ...sections].join("\n\n");
}
