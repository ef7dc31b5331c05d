/**
 * Sending transactions in the scripts (scenarios, the sweep): wait for the receipt, refuse a revert, and count
 * every transaction and its gas under a label.
 */
import type { NetworkConnection } from "hardhat/types/network";
import type { Hash, TransactionReceipt } from "viem";

type PublicClient = Awaited<ReturnType<NetworkConnection["viem"]["getPublicClient"]>>;

/** Transactions sent, their gas, and per label how many and the most gas one used. */
export interface TxStats {
  transactions: number;
  gasUsed: bigint;
  counts: Record<string, number>;
  maxGas: Record<string, bigint>;
}

export function newTxStats(): TxStats {
  return { transactions: 0, gasUsed: 0n, counts: {}, maxGas: {} };
}

/** Throws if the transaction reverted; otherwise counts it and its gas under `label`. */
export function recordReceipt(stats: TxStats, label: string, receipt: TransactionReceipt): void {
  if (receipt.status !== "success") throw new Error(`${label}: transaction reverted (${receipt.transactionHash})`);
  stats.transactions++;
  stats.gasUsed += receipt.gasUsed;
  stats.counts[label] = (stats.counts[label] ?? 0) + 1;
  if (receipt.gasUsed > (stats.maxGas[label] ?? 0n)) stats.maxGas[label] = receipt.gasUsed;
}

/** A sender that waits for each transaction's receipt (polling every millisecond) and records it in `stats`. */
export function makeSender(publicClient: PublicClient, stats: TxStats) {
  return async (label: string, tx: Promise<Hash>): Promise<TransactionReceipt> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await tx, pollingInterval: 1 });
    recordReceipt(stats, label, receipt);
    return receipt;
  };
}
