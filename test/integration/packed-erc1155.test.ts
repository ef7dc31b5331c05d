/**
 * PackedERC1155 (contracts/tokens/PackedERC1155.sol, through test/mocks/PackedERC1155Harness.sol) against a model:
 * a Map from (owner, id) to a bigint balance capped at 2^128 - 1, plus the operator approvals. fast-check draws
 * sequences of mints, burns, runs (mintRun, burnRun, burnRunAll from an even id, 0 to 8 ids), single and batch
 * transfers (repeated ids, ids of one slot, mismatched lengths, unapproved operators) and approvals, over ids of 2
 * or 3 pairs `2k, 2k + 1` (so ids share a slot or not; the pairs include 0 and the last one, 2^256 - 2 and
 * 2^256 - 1). Amounts are drawn absolute or relative to the model: the balance (+-), and the room left below the
 * cap (+-), so that sequences reach 2^128 - 1 exactly and overflow by exactly one.
 *
 * Each step is first simulated (eth_call) and its outcome, return value or decoded custom error with its arguments,
 * compared with the model's; a successful step is then sent, and every tracked balance is read back in one
 * balanceOfBatch and compared with the model. PackedBalanceOverflow must occur exactly when the model exceeds the
 * cap, with the id and balance the model names (the first pair in id order, low half first, for runs).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import fc from "fast-check";
import { network } from "hardhat";
import { type Address, getAddress, zeroAddress } from "viem";

import { propertyRuns } from "../utils/property-runs.js";
import { type Outcome, outcomeOf, returned, reverted } from "../utils/reverts.js";

const HALF = 2n ** 128n - 1n;
const MAX_UINT256 = 2n ** 256n - 1n;
const MAX_RUN = 8;
/** Sequences per property (x4 in the ci profile); measured to keep the file well under 30 s. */
const RUNS = 24;
const MAX_STEPS = 30;

/** An amount: absolute, or the model's balance of (owner, id) plus `delta`, or the room below the cap plus `delta`. */
type AmountSpec = { abs: bigint } | { balance: bigint } | { room: bigint };
/** An id: bit `odd` of pair `pair` (an index into the sequence's pairs). */
interface IdSpec {
  pair: number;
  odd: boolean;
}
type Step =
  | { kind: "mint"; to: number; id: IdSpec; amount: AmountSpec }
  | { kind: "burn"; from: number; id: IdSpec; amount: AmountSpec }
  | { kind: "mintRun"; to: number; pair: number; count: number; amount: AmountSpec }
  | { kind: "burnRun"; from: number; pair: number; count: number; amount: AmountSpec }
  | { kind: "burnRunAll"; from: number; pair: number; count: number }
  /** `from` -1: the sender itself. */
  | { kind: "transfer"; sender: number; from: number; to: number; id: IdSpec; amount: AmountSpec }
  | { kind: "batch"; sender: number; from: number; to: number; ids: IdSpec[]; amounts: AmountSpec[] }
  | { kind: "approve"; owner: number; operator: number; approved: boolean };

/** Holders 0..2 are wallet accounts; index 3 is the zero address (invalid receiver, invalid operator). */
const HOLDERS = 3;
const holder = fc.nat({ max: HOLDERS - 1 });
const recipient = fc.oneof({ weight: 12, arbitrary: holder }, { weight: 1, arbitrary: fc.constant(HOLDERS) });
/** The owner a transfer moves from: -1 (the sender itself) 3 times in 4, else a holder (approved or not). */
const owner = fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: holder });
const idSpec = fc.record({ pair: fc.nat({ max: 2 }), odd: fc.boolean() });
const amountSpec: fc.Arbitrary<AmountSpec> = fc.oneof(
  { weight: 3, arbitrary: fc.bigInt({ min: 0n, max: 5n }).map((abs) => ({ abs })) },
  { weight: 1, arbitrary: fc.constantFrom(2n ** 127n, HALF, HALF + 1n, MAX_UINT256).map((abs) => ({ abs })) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: HALF }).map((abs) => ({ abs })) },
  { weight: 3, arbitrary: fc.bigInt({ min: -3n, max: 1n }).map((balance) => ({ balance })) },
  { weight: 3, arbitrary: fc.bigInt({ min: -2n, max: 1n }).map((room) => ({ room })) },
);
const count = fc.nat({ max: MAX_RUN });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("mint" as const), to: recipient, id: idSpec, amount: amountSpec }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("burn" as const), from: holder, id: idSpec, amount: amountSpec }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("mintRun" as const), to: recipient, pair: fc.nat({ max: 2 }), count, amount: amountSpec }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("burnRun" as const), from: holder, pair: fc.nat({ max: 2 }), count, amount: amountSpec }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("burnRunAll" as const), from: holder, pair: fc.nat({ max: 2 }), count }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("transfer" as const),
      sender: holder,
      from: owner,
      to: recipient,
      id: idSpec,
      amount: amountSpec,
    }),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({
        kind: fc.constant("batch" as const),
        sender: holder,
        from: owner,
        to: recipient,
        ids: fc.array(idSpec, { maxLength: 4 }),
        amounts: fc.array(amountSpec, { maxLength: 4 }),
        mismatch: fc.nat({ max: 19 }),
      })
      // Equal lengths but for 1 in 20 batches.
      .map(({ mismatch, ...b }) => {
        const n = mismatch === 0 ? b.amounts.length : Math.min(b.ids.length, b.amounts.length);
        return { ...b, ids: b.ids.slice(0, n), amounts: b.amounts.slice(0, mismatch === 0 ? b.amounts.length : n) };
      }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("approve" as const), owner: holder, operator: recipient, approved: fc.boolean() }),
  },
);
/** 2 or 3 distinct pairs (id >> 1), with the first and the last pair and neighbours of each other likely. */
const pairs = fc.uniqueArray(
  fc.oneof(fc.constantFrom(0n, 1n, 2n, 4n, 2n ** 255n - 1n), fc.bigInt({ min: 0n, max: 2n ** 255n - 1n })),
  { minLength: 2, maxLength: 3 },
);
const sequence = fc.record({ pairs, steps: fc.array(step, { minLength: 1, maxLength: MAX_STEPS, size: "max" }) });

/** The reference: balances and approvals, and each entry point's outcome, mirroring the documented checks in order. */
class Model {
  readonly balances = new Map<string, bigint>();
  readonly approvals = new Set<string>();

  balance(owner: Address, id: bigint): bigint {
    return this.balances.get(`${owner}/${id}`) ?? 0n;
  }

  private set(owner: Address, id: bigint, value: bigint): void {
    assert.ok(value >= 0n && value <= HALF, "the model never stores an out-of-range balance");
    this.balances.set(`${owner}/${id}`, value);
  }

  /** Applies `change` to a copy and commits it only if it returns no error (a revert undoes the whole call). */
  private atomically<T>(change: (m: Model) => Outcome<T>): Outcome<T> {
    const draft = new Model();
    for (const [k, v] of this.balances) draft.balances.set(k, v);
    for (const a of this.approvals) draft.approvals.add(a);
    const out = change(draft);
    if (out.ok) {
      this.balances.clear();
      for (const [k, v] of draft.balances) this.balances.set(k, v);
      this.approvals.clear();
      for (const a of draft.approvals) this.approvals.add(a);
    }
    return out;
  }

  private debit(from: Address, id: bigint, amount: bigint): Outcome<void> {
    const b = this.balance(from, id);
    if (b < amount) return reverted("ERC1155InsufficientBalance", from, b, amount, id);
    this.set(from, id, b - amount);
    return returned(undefined);
  }

  private credit(to: Address, id: bigint, amount: bigint): Outcome<void> {
    const b = this.balance(to, id);
    if (b + amount > HALF) return reverted("PackedBalanceOverflow", to, id, b, amount);
    this.set(to, id, b + amount);
    return returned(undefined);
  }

  mint(to: Address, id: bigint, amount: bigint): Outcome<void> {
    if (to === zeroAddress) return reverted("ERC1155InvalidReceiver", zeroAddress);
    return this.atomically((m) => m.credit(to, id, amount));
  }

  burn(from: Address, id: bigint, amount: bigint): Outcome<void> {
    return this.atomically((m) => m.debit(from, id, amount));
  }

  /** Pairs in id order; within a pair the even id's overflow is reported first. */
  mintRun(to: Address, firstId: bigint, count: number, amount: bigint): Outcome<void> {
    if (to === zeroAddress) return reverted("ERC1155InvalidReceiver", zeroAddress);
    if (amount > HALF) return reverted("PackedBalanceOverflow", to, firstId, this.balance(to, firstId), amount);
    return this.atomically((m) => {
      for (let i = 0; i < count; i += 2) {
        const ids = i + 1 < count ? [firstId + BigInt(i), firstId + BigInt(i) + 1n] : [firstId + BigInt(i)];
        for (const id of ids) {
          if (m.balance(to, id) + amount > HALF) return reverted("PackedBalanceOverflow", to, id, m.balance(to, id), amount);
        }
        for (const id of ids) m.set(to, id, m.balance(to, id) + amount);
      }
      return returned(undefined);
    });
  }

  burnRun(from: Address, firstId: bigint, count: number, amount: bigint): Outcome<void> {
    return this.atomically((m) => {
      for (let i = 0; i < count; ++i) {
        const out = m.debit(from, firstId + BigInt(i), amount);
        if (!out.ok) return out;
      }
      return returned(undefined);
    });
  }

  burnRunAll(from: Address, firstId: bigint, count: number): Outcome<readonly bigint[]> {
    const burned: bigint[] = [];
    for (let i = 0; i < count; ++i) {
      const id = firstId + BigInt(i);
      burned.push(this.balance(from, id));
      this.set(from, id, 0n);
    }
    return returned(burned);
  }

  private checkTransfer(sender: Address, from: Address, to: Address): Outcome<void> {
    if (from !== sender && !this.approvals.has(`${from}/${sender}`)) {
      return reverted("ERC1155MissingApprovalForAll", sender, from);
    }
    if (to === zeroAddress) return reverted("ERC1155InvalidReceiver", zeroAddress);
    if (from === zeroAddress) return reverted("ERC1155InvalidSender", zeroAddress);
    return returned(undefined);
  }

  transfer(sender: Address, from: Address, to: Address, ids: readonly bigint[], amounts: readonly bigint[]): Outcome<void> {
    if (ids.length !== amounts.length) return reverted("ERC1155InvalidArrayLength", BigInt(ids.length), BigInt(amounts.length));
    const check = this.checkTransfer(sender, from, to);
    if (!check.ok) return check;
    return this.atomically((m) => {
      for (let i = 0; i < ids.length; ++i) {
        const d = m.debit(from, ids[i], amounts[i]);
        if (!d.ok) return d;
        const c = m.credit(to, ids[i], amounts[i]);
        if (!c.ok) return c;
      }
      return returned(undefined);
    });
  }

  approve(owner: Address, operator: Address, approved: boolean): Outcome<void> {
    if (operator === zeroAddress) return reverted("ERC1155InvalidOperator", zeroAddress);
    if (approved) this.approvals.add(`${owner}/${operator}`);
    else this.approvals.delete(`${owner}/${operator}`);
    return returned(undefined);
  }
}

describe("PackedERC1155 against a Map model", async () => {
  const { viem } = await network.create();
  const wallets = (await viem.getWalletClients()).slice(0, HOLDERS);
  const addresses: Address[] = [...wallets.map((w) => getAddress(w.account.address)), zeroAddress];
  const stats = { steps: 0, reverts: new Map<string, number>(), atCap: 0 };

  it("every step has the model's outcome (value or error with its arguments) and leaves the model's balances", async () => {
    await fc.assert(
      fc.asyncProperty(sequence, async ({ pairs, steps }) => {
        const harness = await viem.deployContract("PackedERC1155Harness");
        const model = new Model();
        const evenId = (pair: number) => 2n * pairs[pair % pairs.length];
        const idOf = (s: IdSpec) => evenId(s.pair) + (s.odd ? 1n : 0n);
        /** A run's length: at most MAX_RUN, and firstId + count - 1 must not wrap (the documented precondition). */
        const runLength = (firstId: bigint, n: number) => Number(BigInt(n) < MAX_UINT256 - firstId + 1n ? BigInt(n) : MAX_UINT256 - firstId + 1n);
        const amountOf = (a: AmountSpec, owner: Address, id: bigint): bigint => {
          const v = "abs" in a ? a.abs : "balance" in a ? model.balance(owner, id) + a.balance : HALF - model.balance(owner, id) + a.room;
          return v < 0n ? 0n : v;
        };
        // Every id a run from any pair can reach, for every holder.
        const tracked = pairs.flatMap((p) => {
          const first = 2n * p;
          return Array.from({ length: runLength(first, MAX_RUN) }, (_, i) => first + BigInt(i));
        });
        const owners = addresses.slice(0, HOLDERS).flatMap((a) => tracked.map(() => a));
        const ids = addresses.slice(0, HOLDERS).flatMap(() => tracked);

        for (const s of steps) {
          let want: Outcome<unknown>;
          let got: Outcome<unknown>;
          let send: (() => Promise<unknown>) | undefined;
          switch (s.kind) {
            case "mint": {
              const [to, id] = [addresses[s.to], idOf(s.id)];
              const amount = amountOf(s.amount, to, id);
              got = await outcomeOf(harness.simulate.mint([to, id, amount]).then(() => undefined));
              send = () => harness.write.mint([to, id, amount]);
              want = model.mint(to, id, amount);
              break;
            }
            case "burn": {
              const [from, id] = [addresses[s.from], idOf(s.id)];
              const amount = amountOf(s.amount, from, id);
              got = await outcomeOf(harness.simulate.burn([from, id, amount]).then(() => undefined));
              send = () => harness.write.burn([from, id, amount]);
              want = model.burn(from, id, amount);
              break;
            }
            case "mintRun": {
              const [to, first] = [addresses[s.to], evenId(s.pair)];
              const n = runLength(first, s.count);
              const amount = amountOf(s.amount, to, first);
              got = await outcomeOf(harness.simulate.mintRun([to, first, BigInt(n), amount]).then(() => undefined));
              send = () => harness.write.mintRun([to, first, BigInt(n), amount]);
              want = model.mintRun(to, first, n, amount);
              break;
            }
            case "burnRun": {
              const [from, first] = [addresses[s.from], evenId(s.pair)];
              const n = runLength(first, s.count);
              const amount = amountOf(s.amount, from, first);
              got = await outcomeOf(harness.simulate.burnRun([from, first, BigInt(n), amount]).then(() => undefined));
              send = () => harness.write.burnRun([from, first, BigInt(n), amount]);
              want = model.burnRun(from, first, n, amount);
              break;
            }
            case "burnRunAll": {
              const [from, first] = [addresses[s.from], evenId(s.pair)];
              const n = runLength(first, s.count);
              got = await outcomeOf(harness.simulate.burnRunAll([from, first, BigInt(n)]).then((r) => r.result));
              send = () => harness.write.burnRunAll([from, first, BigInt(n)]);
              want = model.burnRunAll(from, first, n);
              break;
            }
            case "transfer": {
              const [sender, from, to, id] = [wallets[s.sender], addresses[s.from < 0 ? s.sender : s.from], addresses[s.to], idOf(s.id)];
              const amount = amountOf(s.amount, from, id);
              const args = [from, to, id, amount, "0x"] as const;
              got = await outcomeOf(harness.simulate.safeTransferFrom(args, { account: sender.account.address }).then(() => undefined));
              send = () => harness.write.safeTransferFrom(args, { account: sender.account });
              want = model.transfer(addresses[s.sender], from, to, [id], [amount]);
              break;
            }
            case "batch": {
              const [sender, from, to] = [wallets[s.sender], addresses[s.from < 0 ? s.sender : s.from], addresses[s.to]];
              const bIds = s.ids.map(idOf);
              // Relative amounts read the balance before the batch (of the id at the same position, or the first).
              const bAmounts = s.amounts.map((a, i) => amountOf(a, from, bIds[i] ?? bIds[0] ?? 0n));
              const args = [from, to, bIds, bAmounts, "0x"] as const;
              got = await outcomeOf(harness.simulate.safeBatchTransferFrom(args, { account: sender.account.address }).then(() => undefined));
              send = () => harness.write.safeBatchTransferFrom(args, { account: sender.account });
              want = model.transfer(addresses[s.sender], from, to, bIds, bAmounts);
              break;
            }
            case "approve": {
              const [owner, operator] = [wallets[s.owner], addresses[s.operator]];
              got = await outcomeOf(
                harness.simulate.setApprovalForAll([operator, s.approved], { account: owner.account.address }).then(() => undefined),
              );
              send = () => harness.write.setApprovalForAll([operator, s.approved], { account: owner.account });
              want = model.approve(addresses[s.owner], operator, s.approved);
              break;
            }
          }
          assert.deepEqual(got, want, `${s.kind} ${JSON.stringify(s, (_, v) => (typeof v === "bigint" ? `${v}` : v))}`);
          stats.steps++;
          if (!got.ok) stats.reverts.set(got.error, (stats.reverts.get(got.error) ?? 0) + 1);
          else await send();
          const onChain = await harness.read.balanceOfBatch([owners, ids]);
          onChain.forEach((b, j) => {
            assert.equal(b, model.balance(owners[j], ids[j]), `balance of ${owners[j]} in id ${ids[j]} after ${s.kind}`);
            if (b === HALF) stats.atCap++;
          });
        }
      }),
      propertyRuns(RUNS),
    );
    console.log(
      `  ${stats.steps} steps; reverts: ${[...stats.reverts].map(([e, n]) => `${e} ${n}`).join(", ")}; ` +
        `balances seen at 2^128 - 1: ${stats.atCap}`,
    );
    // The sequences must reach the edges they are about.
    assert.ok((stats.reverts.get("PackedBalanceOverflow") ?? 0) > 0, "no overflow was tried");
    assert.ok(stats.atCap > 0, "no balance reached 2^128 - 1");
  });
});
