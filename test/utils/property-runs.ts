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

/** The test profile's name for titles: "ci", "coverage" or "default". */
export function profileName(): "ci" | "coverage" | "default" {
  if (isCiProfile()) return "ci";
  return process.env.HARDHAT_TEST_PROFILE === "coverage" ? "coverage" : "default";
}

/** The fast-check seed of the profile: CI_SEED in the ci and coverage profiles, else undefined (random). */
export function profileSeed(): number | undefined {
  return profileName() === "default" ? undefined : CI_SEED;
}

/** `fc.assert` parameters: `defaultRuns` samples, or 4x that with the fixed seed in the ci profile. */
export function propertyRuns<T>(defaultRuns: number): Parameters<T> {
  if (isCiProfile()) return { numRuns: 4 * defaultRuns, seed: CI_SEED };
  const seed = profileSeed();
  return seed === undefined ? { numRuns: defaultRuns } : { numRuns: defaultRuns, seed };
}
