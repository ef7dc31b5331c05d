import { formatUnits } from "viem";

/** Formats a token amount in human units with thousands separators, e.g. 12,345.5 */
export function fmtAmount(value: bigint, decimals: number, maxFraction = 2): string {
  const negative = value < 0n;
  const [whole, fraction = ""] = formatUnits(negative ? -value : value, decimals).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const frac = fraction.slice(0, maxFraction).replace(/0+$/, "");
  return `${negative ? "-" : ""}${grouped}${frac ? "." + frac : ""}`;
}

/** Same as fmtAmount, with an explicit sign for non-zero values (for deltas). */
export function fmtDelta(value: bigint, decimals: number): string {
  return value > 0n ? "+" + fmtAmount(value, decimals) : fmtAmount(value, decimals);
}

/**
 * Renders rows as a plain-text table. By default the first column is left-aligned and the others
 * right-aligned (they hold numbers); `align` overrides it per column ("l" or "r").
 */
export function renderTable(header: string[], rows: string[][], align?: ("l" | "r")[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const left = (i: number) => (align?.[i] ?? (i === 0 ? "l" : "r")) === "l";
  const line = (cells: string[]) =>
    cells.map((c, i) => (left(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/** JSON.stringify that writes bigints as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/** An error in what the user asked for (bad argument, unknown id): shown without a stack trace. */
export class UserInputError extends Error {}

/** Runs `parse`; a UserInputError is printed to stderr with exit code 1 and gives undefined (other errors throw). */
export function parseOrReport<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof UserInputError)) throw e;
    console.error(e.message);
    process.exitCode = 1;
    return undefined;
  }
}
