/**
 * The chain clock of the futarchy scenarios: blocks 12 seconds apart, as the decision parameters assume
 * (FutarchyDecisions checks the manipulation bound at `blockTime`), so the TWAP oracles see realistic block
 * counts. During a trading window automine is off: the agents' transactions of one block are queued, then the
 * block is mined at `time + blockTime` (`evm_mine` with a timestamp); empty stretches are mined with
 * `hardhat_mine(count, interval)`. Within a block, agents that act later read the pending state (`blockTag:
 * "pending"`), so the last to act sees the earlier transactions of its block, as a block builder's bundle would.
 * Outside the window (deploy, funding, settlement) transactions are mined one per block (automine).
 */
import type { NetworkConnection } from "hardhat/types/network";
import { type Hash, type TransactionReceipt, toHex } from "viem";

import { newTxStats, recordReceipt, type TxStats } from "../../tx.js";

/** Gas limit of every transaction (none estimates first): well above what any of them uses. */
export const GAS = 1_500_000n;
/**
 * Fees of the window's transactions, given so that viem does not ask the node for fee history before each one.
 * Every transaction pays the same priority fee: a block's transactions are mined in the order they were sent.
 */
export const FEES = { maxFeePerGas: 100_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n } as const;

export type { TxStats };

export class Chain {
  readonly stats: TxStats = newTxStats();
  /** The latest block and its timestamp (kept locally: every block is mined through this class). */
  block = 0n;
  time = 0n;
  private automine = true;
  private queued: { label: string; hash: Hash }[] = [];

  private constructor(
    private readonly conn: NetworkConnection,
    private readonly publicClient: Awaited<ReturnType<NetworkConnection["viem"]["getPublicClient"]>>,
    readonly blockTime: bigint,
  ) {}

  static async create(conn: NetworkConnection, blockTime = 12n): Promise<Chain> {
    const c = new Chain(conn, await conn.viem.getPublicClient(), blockTime);
    await c.sync();
    return c;
  }

  /** Reads the latest block (after transactions mined outside this class, e.g. Ignition's deploy). */
  async sync(): Promise<void> {
    const b = await this.publicClient.getBlock({ blockTag: "latest" });
    this.block = b.number;
    this.time = b.timestamp;
  }

  private record(label: string, receipt: TransactionReceipt) {
    recordReceipt(this.stats, label, receipt);
  }

  /**
   * Sends a transaction. With automine on it is mined at once in its own block, `blockTime` after the previous
   * one, and its receipt returned; in a window (automine off) it is queued for the next `mineBlock`.
   */
  async send(label: string, tx: () => Promise<Hash>): Promise<TransactionReceipt | null> {
    if (!this.automine) {
      this.queued.push({ label, hash: await tx() });
      return null;
    }
    await this.rpc("evm_setNextBlockTimestamp", [toHex(this.time + this.blockTime)]);
    const hash = await tx();
    const receipt = await this.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 1 });
    this.record(label, receipt);
    this.block = receipt.blockNumber;
    this.time += this.blockTime;
    return receipt;
  }

  /** Turns automine off (a trading window: `send` queues, `mineBlock` mines) or back on. */
  async setWindowMode(on: boolean): Promise<void> {
    if (!on && this.queued.length > 0) await this.mineBlock();
    await this.rpc("evm_setAutomine", [!on]);
    this.automine = !on;
  }

  /** Mines one block `blockTime` after the last with the queued transactions; returns their receipts. */
  async mineBlock(): Promise<TransactionReceipt[]> {
    await this.rpc("evm_mine", [toHex(this.time + this.blockTime)]);
    this.block += 1n;
    this.time += this.blockTime;
    const queued = this.queued;
    this.queued = [];
    const receipts: TransactionReceipt[] = [];
    for (const [i, q] of queued.entries()) {
      const r = await this.publicClient.getTransactionReceipt({ hash: q.hash });
      if (r.blockNumber !== this.block || r.transactionIndex !== i) {
        throw new Error(`${q.label}: mined in block ${r.blockNumber} at index ${r.transactionIndex}, expected block ${this.block} index ${i}`);
      }
      this.record(q.label, r);
      receipts.push(r);
    }
    return receipts;
  }

  /** Mines `count` empty blocks `blockTime` apart (queued transactions go into the first). */
  async mineEmpty(count: bigint): Promise<void> {
    if (count <= 0n) return;
    if (this.queued.length > 0) {
      await this.mineBlock();
      count -= 1n;
      if (count === 0n) return;
    }
    // hardhat_mine alone would put its first block 1 s after the last: the next timestamp is set first.
    await this.rpc("evm_setNextBlockTimestamp", [toHex(this.time + this.blockTime)]);
    await this.rpc("hardhat_mine", [toHex(count), toHex(this.blockTime)]);
    const expected = this.time + count * this.blockTime;
    await this.sync();
    if (this.time !== expected) throw new Error(`hardhat_mine ended at ${this.time}, expected ${expected}`);
  }

  /** Jumps to at least `time` (one block; for stretches where no oracle runs, e.g. a pledge's term after a decision). */
  async jumpTo(time: bigint): Promise<void> {
    if (time <= this.time) return;
    await this.rpc("evm_mine", [toHex(time)]);
    this.block += 1n;
    this.time = time;
  }

  private async rpc(method: string, params: unknown[]): Promise<unknown> {
    return this.conn.provider.request({ method, params });
  }
}
