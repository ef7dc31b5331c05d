/** `IPledgeRegistry.PledgeState`, numbered as in the Solidity enum. */
export const PledgeState = {
  None: 0,
  Active: 1,
  Challenged: 2,
  Disputed: 3,
  Slashable: 4,
  RulingOverdue: 5,
  Releasable: 6,
  Breached: 7,
  Honored: 8,
} as const;

const NAMES = Object.fromEntries(Object.entries(PledgeState).map(([name, value]) => [value, name]));

/** The name of an `IPledgeRegistry.PledgeState` value. */
export function stateName(state: number): string {
  return NAMES[state] ?? `Unknown(${state})`;
}
