/**
 * Outcomes of contract calls for differential tests: the returned value, or the custom error (name and
 * arguments, decoded by viem from the contract's ABI; `Panic` with its code for checked-arithmetic failures),
 * so that a test compares what the chain did with what its reference says, revert or value, in one assertion.
 */
import { type Abi, BaseError, ContractFunctionRevertedError, decodeErrorResult } from "viem";

/** A decoded revert: the error's name and its arguments. */
export interface Revert {
  error: string;
  args: readonly unknown[];
}

export type Outcome<T> = { ok: true; value: T } | ({ ok: false } & Revert);

export function returned<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function reverted<T>(error: string, ...args: unknown[]): Outcome<T> {
  return { ok: false, error, args };
}

/** `Panic(0x11)`: checked arithmetic over- or underflowed. */
export const ARITHMETIC_PANIC = 0x11n;

/**
 * Awaits `call`; a revert the contract's ABI decodes, or else `extraErrors` (errors raised in assembly, e.g. Solady's,
 * are not in the ABI), becomes an outcome; anything else (transport, undecodable data) is rethrown.
 */
export async function outcomeOf<T>(call: Promise<T>, extraErrors?: Abi): Promise<Outcome<T>> {
  try {
    return returned(await call);
  } catch (e) {
    const r = e instanceof BaseError ? e.walk((x) => x instanceof ContractFunctionRevertedError) : null;
    if (r instanceof ContractFunctionRevertedError && r.data !== undefined) {
      return reverted(r.data.errorName, ...(r.data.args ?? []));
    }
    if (r instanceof ContractFunctionRevertedError && r.raw !== undefined && extraErrors !== undefined) {
      const d = decodeErrorResult({ abi: extraErrors, data: r.raw });
      return reverted(d.errorName, ...(d.args ?? []));
    }
    throw e;
  }
}
