import type { ContractReturnType, PublicClient, WalletClient } from "@nomicfoundation/hardhat-viem/types";
import type { NetworkConnection } from "hardhat/types/network";
import { keccak256, parseEther, toHex, type Abi, type Account, type Address, type Hash, type Hex, type TransactionReceipt } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";

import type { deployLocalSystem } from "../deploy.js";
import type { GnosisSystem } from "./gnosis-deploy.js";

/** The pledge system as the Ignition deploy path returns it. */
export type PledgeSystem = Awaited<ReturnType<typeof deployLocalSystem>>;

/** One measured transaction: its gas used (after refunds), its calldata (for the storage floor) and its receipt. */
export interface Measured {
  gas: number;
  calldata: Hex;
  receipt: TransactionReceipt;
}

/** A Gnosis contract: address and an ABI read from JSON (loosely typed). */
export interface LooseContract {
  address: Address;
  abi: Abi;
}

/** Settings of a run. */
export interface BenchSettings {
  /** Condition ids (markets, pledgers) per operation: figures are medians over them. */
  samples: number;
  /** Holder counts of the scaling section, e.g. [10, 1000]. */
  holderCounts: number[];
}

/** Everything a measurer gets: the connection, funded accounts, the collateral and both systems' contracts. */
export interface BenchContext {
  conn: NetworkConnection;
  publicClient: PublicClient;
  /** Named accounts from the network's funded wallet clients. */
  wallets: {
    deployer: WalletClient;
    oracle: WalletClient;
    holder: WalletClient;
    trader: WalletClient;
    creator: WalletClient;
  };
  /** Collateral for the vault, ConditionalTokens and the Gnosis market makers (an 18-decimal MockERC20). */
  collateral: ContractReturnType<"MockERC20">;
  vault: ContractReturnType<"OutcomeVault">;
  /** Registry, committee and bond token, deployed through `deployLocalSystem`. */
  pledges: PledgeSystem;
  gnosis: GnosisSystem;
  settings: BenchSettings;
  log: (line: string) => void;
  /** Sends a setup transaction and waits for it; throws if it reverted. */
  send: (label: string, tx: Promise<Hash>) => Promise<TransactionReceipt>;
  /** Sends a transaction whose gas is measured; throws if it reverted. */
  measure: (label: string, tx: Promise<Hash>) => Promise<Measured>;
  /** Writes to a Gnosis contract from `wallet` (or `account` through it). */
  gnosisWrite: (
    wallet: WalletClient,
    contract: LooseContract,
    functionName: string,
    args: readonly unknown[],
    account?: Account,
  ) => Promise<Hash>;
  /** Reads from a Gnosis contract; the caller narrows the result. */
  gnosisRead: (contract: LooseContract, functionName: string, args: readonly unknown[]) => Promise<unknown>;
  /** Accounts from deterministic private keys (one per label and index), funded with ether. */
  freshAccounts: (label: string, count: number) => Promise<PrivateKeyAccount[]>;
}

export function makeSend(publicClient: PublicClient) {
  return async (label: string, tx: Promise<Hash>): Promise<TransactionReceipt> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await tx });
    if (receipt.status !== "success") throw new Error(`${label}: transaction reverted (${receipt.transactionHash})`);
    return receipt;
  };
}

export function makeMeasure(publicClient: PublicClient) {
  const send = makeSend(publicClient);
  return async (label: string, tx: Promise<Hash>): Promise<Measured> => {
    const receipt = await send(label, tx);
    const { input } = await publicClient.getTransaction({ hash: receipt.transactionHash });
    return { gas: Number(receipt.gasUsed), calldata: input, receipt };
  };
}

export function makeGnosisIo(publicClient: PublicClient) {
  const gnosisWrite = (
    wallet: WalletClient,
    contract: LooseContract,
    functionName: string,
    args: readonly unknown[],
    account?: Account,
  ): Promise<Hash> =>
    wallet.writeContract({
      address: contract.address,
      abi: contract.abi,
      functionName,
      args,
      account: account ?? wallet.account,
      chain: wallet.chain,
    });
  const gnosisRead = (contract: LooseContract, functionName: string, args: readonly unknown[]): Promise<unknown> =>
    publicClient.readContract({ address: contract.address, abi: contract.abi, functionName, args });
  return { gnosisWrite, gnosisRead };
}

export function makeFreshAccounts(conn: NetworkConnection) {
  return async (label: string, count: number): Promise<PrivateKeyAccount[]> => {
    const accounts: PrivateKeyAccount[] = [];
    for (let i = 0; i < count; i++) {
      const account = privateKeyToAccount(keccak256(toHex(`pledge-markets bench-gas ${label} ${i}`)));
      await conn.networkHelpers.setBalance(account.address, parseEther("100"));
      accounts.push(account);
    }
    return accounts;
  };
}

/** For loops of 100 items or more: a progress line every tenth of the way, with the elapsed time. */
export function progress(log: (line: string) => void, what: string, total: number): (done: number) => void {
  if (total < 100) return () => {};
  const every = Math.ceil(total / 10);
  const started = performance.now();
  return (done: number) => {
    if (done % every !== 0 && done !== total) return;
    log(`        ${what}: ${done}/${total} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  };
}
