/**
 * PositionIds (contracts/markets/PositionIds.sol, through test/mocks/PositionIdsHarness.sol) and the condition id of
 * the real OutcomeVault against a TypeScript reference built from viem's keccak256 and encodeAbiParameters, the
 * encodings the Solidity code hashes:
 * - position id: `(keccak256(abi.encode(address collateral, uint256 parent, bytes32 conditionId)) & ~0xff) | index`
 *   (PositionIds hashes the three words with Solady's EfficientHashLib, which is `abi.encode` of three words);
 *   reverts `OutcomeIndexTooLarge(index, 255)` exactly for index > 255;
 * - condition id: `keccak256(abi.encode(address oracle, bytes32 questionId, uint256 outcomeCount))`.
 * Properties: equality with the reference (ids and reverts), the index round-trips from the low byte and the hash
 * part from the rest, a condition's outcomes are consecutive from an even id, the vault's own `positionId` agrees,
 * and distinct inputs give distinct ids within a run (inputs that differ in one field only, and every id seen).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import fc from "fast-check";
import { network } from "hardhat";
import { type Address, type Hex, encodeAbiParameters, getAddress, keccak256, toHex } from "viem";

import { propertyRuns } from "../utils/property-runs.js";
import { type Outcome, outcomeOf, returned, reverted } from "../utils/reverts.js";

const MAX_OUTCOME_INDEX = 0xffn;
const MAX_UINT256 = 2n ** 256n - 1n;
/** Samples per property (x4 in the ci profile); measured to keep the file well under 30 s. */
const RUNS = 150;

function refBase(collateral: Address, parent: bigint, conditionId: Hex): bigint {
  const h = keccak256(
    encodeAbiParameters([{ type: "address" }, { type: "uint256" }, { type: "bytes32" }], [collateral, parent, conditionId]),
  );
  return BigInt(h) & ~MAX_OUTCOME_INDEX;
}

function refCompute(collateral: Address, parent: bigint, conditionId: Hex, index: bigint): Outcome<bigint> {
  if (index > MAX_OUTCOME_INDEX) return reverted("OutcomeIndexTooLarge", index, MAX_OUTCOME_INDEX);
  return returned(refBase(collateral, parent, conditionId) | index);
}

function refConditionId(oracle: Address, questionId: Hex, outcomeCount: bigint): Hex {
  return keccak256(
    encodeAbiParameters([{ type: "address" }, { type: "bytes32" }, { type: "uint256" }], [oracle, questionId, outcomeCount]),
  );
}

const word = (n: bigint): Hex => toHex(n, { size: 32 });
const uint256 = fc.oneof(
  fc.constantFrom(0n, 1n, 0xffn, 0x100n, 2n ** 160n - 1n, MAX_UINT256 - 1n, MAX_UINT256),
  fc.bigInt({ min: 0n, max: 2n ** 64n }),
  fc.bigInt({ min: 0n, max: MAX_UINT256 }),
);
const bytes32 = uint256.map(word);
const address = fc
  .oneof(fc.constantFrom(0n, 1n, 2n ** 160n - 1n), fc.bigInt({ min: 0n, max: 2n ** 160n - 1n }))
  .map((a) => getAddress(toHex(a, { size: 20 })));
const outcomeIndex = fc.oneof(fc.constantFrom(0n, 1n, 2n, 7n, 254n, 255n), fc.bigInt({ min: 0n, max: 255n }));
const badIndex = fc.oneof(fc.constantFrom(256n, 257n, 2n ** 128n, MAX_UINT256), fc.bigInt({ min: 256n, max: MAX_UINT256 }));

describe("PositionIds and OutcomeVault.conditionIdOf against a viem keccak256 reference", async () => {
  const { viem } = await network.create();
  const harness = await viem.deployContract("PositionIdsHarness");
  const vault = await viem.deployContract("OutcomeVault");

  it("exposes the reference's constant", async () => {
    assert.equal(await harness.read.maxOutcomeIndex(), MAX_OUTCOME_INDEX);
  });

  it("compute and base equal the reference; the index round-trips from the low byte; the vault agrees", async () => {
    await fc.assert(
      fc.asyncProperty(address, uint256, bytes32, outcomeIndex, async (collateral, parent, condition, index) => {
        const base = await harness.read.base([collateral, parent, condition]);
        assert.equal(base, refBase(collateral, parent, condition));
        const id = await outcomeOf(harness.read.compute([collateral, parent, condition, index]));
        assert.deepEqual(id, refCompute(collateral, parent, condition, index));
        assert.ok(id.ok);
        assert.equal(id.value & MAX_OUTCOME_INDEX, index, "the index is the low byte");
        assert.equal(id.value & ~MAX_OUTCOME_INDEX, base, "the rest is the hash with its low byte cleared");
        assert.equal(id.value - index, base, "outcome i is base + i (base is even: consecutive ids from an even one)");
        assert.equal(await vault.read.positionId([collateral, parent, condition, index]), id.value);
      }),
      propertyRuns(RUNS),
    );
  });

  it("compute reverts OutcomeIndexTooLarge(index, 255) exactly for index > 255, the vault's positionId too", async () => {
    await fc.assert(
      fc.asyncProperty(address, uint256, bytes32, fc.oneof(outcomeIndex, badIndex), async (collateral, parent, condition, index) => {
        const want = refCompute(collateral, parent, condition, index);
        assert.deepEqual(await outcomeOf(harness.read.compute([collateral, parent, condition, index])), want);
        const viaVault = await outcomeOf(vault.read.positionId([collateral, parent, condition, index]));
        assert.deepEqual(viaVault, want);
      }),
      propertyRuns(RUNS),
    );
  });

  it("distinct inputs give distinct ids: every combination of two values per field, and across the run", async () => {
    const seen = new Map<bigint, string>();
    const pair = <T>(arb: fc.Arbitrary<T>) => fc.uniqueArray(arb, { minLength: 2, maxLength: 2, selector: (x) => String(x) });
    await fc.assert(
      fc.asyncProperty(pair(address), pair(uint256), pair(bytes32), pair(outcomeIndex), async (cs, ps, ks, is) => {
        // 16 inputs, each differing from another in exactly one field (index, collateral, parent or condition).
        const inputs = cs.flatMap((c) => ps.flatMap((p) => ks.flatMap((k) => is.map((i) => [c, p, k, i] as const))));
        const ids = await harness.read.computeBatch([
          inputs.map((x) => x[0]),
          inputs.map((x) => x[1]),
          inputs.map((x) => x[2]),
          inputs.map((x) => x[3]),
        ]);
        ids.forEach((id, j) => {
          const [c, p, k, i] = inputs[j];
          assert.deepEqual(returned(id), refCompute(c, p, k, i));
          const key = `${c}/${p}/${k}/${i}`;
          const prior = seen.get(id);
          assert.ok(prior === undefined || prior === key, `id ${id} of ${key} collides with ${prior}`);
          seen.set(id, key);
        });
        assert.equal(new Set(ids).size, inputs.length);
      }),
      propertyRuns(RUNS),
    );
    assert.ok(seen.size >= 16 * RUNS * 0.9, `only ${seen.size} distinct inputs were tried`);
  });

  it("OutcomeVault.conditionIdOf = keccak256(abi.encode(oracle, questionId, outcomeCount)), distinct per input", async () => {
    const seen = new Map<Hex, string>();
    await fc.assert(
      fc.asyncProperty(address, bytes32, uint256, async (oracle, questionId, outcomeCount) => {
        const id = await vault.read.conditionIdOf([oracle, questionId, outcomeCount]);
        assert.equal(id, refConditionId(oracle, questionId, outcomeCount));
        const key = `${oracle}/${questionId}/${outcomeCount}`;
        const prior = seen.get(id);
        assert.ok(prior === undefined || prior === key, `condition id ${id} of ${key} collides with ${prior}`);
        seen.set(id, key);
      }),
      propertyRuns(RUNS),
    );
  });

  it("prepareCondition's id is the reference's for the caller (2 to 8 outcomes)", async () => {
    const [wallet] = await viem.getWalletClients();
    for (let n = 2n; n <= 8n; ++n) {
      const questionId = keccak256(toHex(`question ${n}`));
      const { result } = await vault.simulate.prepareCondition([questionId, n], { account: wallet.account.address });
      assert.equal(result, refConditionId(wallet.account.address, questionId, n));
    }
  });
});
