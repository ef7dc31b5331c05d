/**
 * Why Gnosis gas depends on the condition id. ConditionalTokens derives a collection id from
 * `(conditionId, indexSet)` by hashing to an x coordinate on alt_bn128 (y^2 = x^3 + 3 mod P) and
 * incrementing x until x^3 + 3 is a square; each try costs one modular square root (an exponentiation
 * by (P + 1) / 4 written as ~250 MULMODs). Every split, merge and redeem derives one collection id per
 * index set, so its gas grows with the number of tries, which the id decides (about two per index set
 * on average, since half the field elements are squares). This module counts the tries offline so the
 * report can relate gas to them; it decides quadratic residuosity with Euler's criterion instead of
 * taking roots.
 */
import { encodePacked, hexToBigInt, keccak256, type Hex } from "viem";

/** The alt_bn128 base field modulus. */
const P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
const B = 3n;

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** Whether `v` is a square modulo P (zero counts as one). */
function isSquare(v: bigint): boolean {
  return v === 0n || modPow(v, (P - 1n) / 2n, P) === 1n;
}

/** Square-root attempts ConditionalTokens makes to derive the collection id of `indexSet` under `conditionId`. */
export function sqrtAttempts(conditionId: Hex, indexSet: bigint): number {
  let x = hexToBigInt(keccak256(encodePacked(["bytes32", "uint256"], [conditionId, indexSet])));
  let attempts = 0;
  for (;;) {
    x = (x + 1n) % P;
    attempts++;
    if (isSquare((x * x * x + B) % P)) return attempts;
  }
}

/** Attempts for the full partition of a condition with `outcomes` outcomes (index sets 1, 2, 4, ...). */
export function fullPartitionAttempts(conditionId: Hex, outcomes: number): number {
  let total = 0;
  for (let i = 0; i < outcomes; i++) total += sqrtAttempts(conditionId, 1n << BigInt(i));
  return total;
}
