/**
 * fast-check settings shared by the TypeScript property and model-based tests, by test profile
 * (HARDHAT_TEST_PROFILE, as the Solidity fuzz profiles in hardhat.config.ts): "ci" runs 4x the default number
 * of samples with the fixed seed 0x5eed, so that a CI failure reproduces; "coverage" (`npm run coverage`) runs
 * the default number with that seed, so coverage figures reproduce; the default profile runs the default
 * number with a random seed (fast-check prints the seed and the shrunk counterexample of a failure).
 */
import type { Parameters } from "fast-check";

export const CI_SEED = 0x5eed;

export function isCiProfile(): boolean {
  return process.env.HARDHAT_TEST_PROFILE === "ci";
}

/** `fc.assert` parameters: `defaultRuns` samples, or 4x that with the fixed seed in the ci profile. */
export function propertyRuns<T>(defaultRuns: number): Parameters<T> {
  if (isCiProfile()) return { numRuns: 4 * defaultRuns, seed: CI_SEED };
  if (process.env.HARDHAT_TEST_PROFILE === "coverage") return { numRuns: defaultRuns, seed: CI_SEED };
  return { numRuns: defaultRuns };
}
