/** Gas of one operation over several samples (e.g. one per condition id). */
export interface GasSample {
  median: number;
  min: number;
  max: number;
  /** Number of samples. */
  n: number;
}

/** Median (the mean of the two middle values for an even count, rounded), min and max. */
export function summarize(values: readonly number[]): GasSample {
  if (values.length === 0) throw new Error("summarize: no samples");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

/** Least-squares line y = intercept + slope * x, with its coefficient of determination r². */
export function linearFit(xs: readonly number[], ys: readonly number[]): { intercept: number; slope: number; r2: number } {
  const n = xs.length;
  if (n !== ys.length || n < 2) throw new Error("linearFit: need two or more (x, y) pairs");
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const r2 = sxx === 0 || syy === 0 ? 0 : (sxy * sxy) / (sxx * syy);
  return { intercept: my - slope * mx, slope, r2 };
}

/** True when `a` and `b` differ by at most `tolerance` (relative to `b`). */
export function withinRelative(a: number, b: number, tolerance: number): boolean {
  return Math.abs(a - b) <= tolerance * Math.abs(b);
}
