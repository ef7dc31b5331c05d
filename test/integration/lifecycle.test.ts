/**
 * The whole pledge lifecycle, every branch, with the committee arbiter (2 of 3) ruling on disputes.
 * The system is deployed through Ignition (`deployLocalSystem`); each test starts from the same
 * snapshot: the system plus one pledge with a beneficiary.
 *
 * Amounts carry wei-level dust on purpose so that every split shows its rounding:
 *   bond 1000.000000000000000007, challenge bond 100.000000000000000003,
 *   challenger reward 20% (rounded down), dispute fee 10% (rounded up).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { network } from "hardhat";
import { getAddress } from "viem";

import { deployLocalSystem } from "../../scripts/lib/deploy.js";
import {
  BURN_ADDRESS,
  DAY,
  Outcome,
  PledgeState,
  ZERO_ADDRESS,
  allowedStates,
  challengePledge,
  claimAll,
  createStandardPledge,
  disputePledge,
  escrowBalance,
  fundAndApprove,
  minedAt,
  readClaimables,
  units,
} from "../utils/helpers.js";

const BOND = units("1000.000000000000000007");
const CHALLENGE_BOND = units("100.000000000000000003");
/** floor(BOND * 2000 / 10000): the 0.4 wei of the exact share stays with the beneficiary. */
const REWARD = units("200.000000000000000001");
/** BOND - REWARD. */
const BENEFICIARY_SHARE = units("800.000000000000000006");
/** ceil(CHALLENGE_BOND * 1000 / 10000): the fee rounds against the winner of the dispute. */
const DISPUTE_FEE = units("10.000000000000000001");
/** CHALLENGE_BOND - DISPUTE_FEE: what the winner of a dispute takes from the loser's bond. */
const LOSER_REST = units("90.000000000000000002");
const ARBITRATION_TIMEOUT = 14 * DAY;

const FINALIZABLE = allowedStates(PledgeState.Slashable, PledgeState.Releasable);
const CHALLENGEABLE = allowedStates(PledgeState.Active);

describe("Pledge lifecycle through the committee arbiter", async () => {
  const conn = await network.create();
  const { viem, networkHelpers } = conn;
  const { time, loadFixture } = networkHelpers;
  const publicClient = await viem.getPublicClient();
  const [, pledger, challenger, disputer, beneficiary, treasury, member1, member2, member3, outsider, governor] =
    await viem.getWalletClients();
  const committeeMembers = [member1, member2, member3].map((w) => w.account.address);

  async function systemWithPledge() {
    const sys = await deployLocalSystem(conn, {
      committeeMembers,
      committeeThreshold: 2,
      treasury: treasury.account.address,
      challengerRewardBps: 2_000,
      disputeFeeBps: 1_000,
      arbitrationTimeout: ARBITRATION_TIMEOUT,
    });
    const pledge = await createStandardPledge(
      sys,
      pledger,
      { bond: BOND, challengeBond: CHALLENGE_BOND, beneficiary: beneficiary.account.address },
      await time.latest(),
    );
    return { sys, pledge };
  }

  /** The same system with one pledge whose governor is an EOA (standing in for a decision contract). */
  async function systemWithGovernedPledge() {
    const sys = await deployLocalSystem(conn, {
      committeeMembers,
      committeeThreshold: 2,
      treasury: treasury.account.address,
      challengerRewardBps: 2_000,
      disputeFeeBps: 1_000,
      arbitrationTimeout: ARBITRATION_TIMEOUT,
    });
    const pledge = await createStandardPledge(
      sys,
      pledger,
      {
        bond: BOND,
        challengeBond: CHALLENGE_BOND,
        beneficiary: beneficiary.account.address,
        governor: governor.account.address,
      },
      await time.latest(),
    );
    return { sys, pledge };
  }

  async function systemWithoutTreasury() {
    const sys = await deployLocalSystem(conn, { committeeMembers, committeeThreshold: 2, disputeFeeBps: 1_000 });
    const pledge = await createStandardPledge(
      sys,
      pledger,
      { bond: BOND, challengeBond: CHALLENGE_BOND, beneficiary: beneficiary.account.address },
      await time.latest(),
    );
    return { sys, pledge };
  }

  /** Asserts the standard pledge's bond was slashed in `hash`: reward to the challenger, the rest to `to`. */
  async function assertSlashed(
    hash: `0x${string}`,
    registry: Awaited<ReturnType<typeof systemWithPledge>>["sys"]["registry"],
    id: bigint,
    to: `0x${string}`,
  ) {
    await viem.assertions.emitWithArgs(hash, registry, "PledgeSlashed", [
      id,
      challenger.account.address,
      BOND,
      REWARD,
      BENEFICIARY_SHARE,
      to,
    ]);
  }

  it("(a) undisputed breach: slashable once liveness passes, finalized, challenger and beneficiary paid to the wei", async () => {
    const { sys, pledge } = await loadFixture(systemWithPledge);
    const { registry, bondToken } = sys;
    const id = pledge.pledgeId;

    const { challengeId, bond, hash } = await challengePledge(sys, challenger, id);
    assert.equal(bond, CHALLENGE_BOND);
    const challengedAt = await minedAt(publicClient, hash);
    const slashableAt = challengedAt + BigInt(pledge.liveness);
    await viem.assertions.emitWithArgs(hash, registry, "PledgeChallenged", [
      id,
      challengeId,
      challenger.account.address,
      CHALLENGE_BOND,
      slashableAt,
      "ipfs://evidence",
    ]);
    assert.equal(await registry.read.state([id]), PledgeState.Challenged);
    assert.equal(await escrowBalance(sys), BOND + CHALLENGE_BOND);

    await fundAndApprove(sys, disputer, CHALLENGE_BOND);

    // One second before liveness ends: not final yet.
    await time.setNextBlockTimestamp(slashableAt - 1n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      registry.write.finalize([id], { account: outsider.account }),
      registry,
      "UnexpectedState",
      [id, PledgeState.Challenged, FINALIZABLE],
    );
    // From the end of liveness on, a dispute is refused even with the bond approved.
    await time.setNextBlockTimestamp(slashableAt);
    await viem.assertions.revertWithCustomErrorWithArgs(
      registry.write.dispute([id], { account: disputer.account }),
      registry,
      "UnexpectedState",
      [id, PledgeState.Slashable, allowedStates(PledgeState.Challenged)],
    );

    await time.setNextBlockTimestamp(slashableAt);
    const finalizeHash = await registry.write.finalize([id], { account: outsider.account });
    assert.equal(await minedAt(publicClient, finalizeHash), slashableAt);
    await assertSlashed(finalizeHash, registry, id, beneficiary.account.address);
    assert.equal(await registry.read.state([id]), PledgeState.Breached);
    assert.equal((await registry.read.getPledge([id])).outcome, Outcome.Breached);

    const accounts = [challenger, beneficiary, pledger, treasury, disputer].map((w) => w.account.address);
    assert.deepEqual(await readClaimables(sys, accounts), [CHALLENGE_BOND + REWARD, BENEFICIARY_SHARE, 0n, 0n, 0n]);
    assert.equal(await claimAll(sys, challenger), units("300.000000000000000004"));
    assert.equal(await claimAll(sys, beneficiary), BENEFICIARY_SHARE);
    assert.equal(await escrowBalance(sys), 0n);

    await viem.assertions.revertWithCustomErrorWithArgs(
      registry.write.claim([bondToken.address, pledger.account.address], { account: pledger.account }),
      registry,
      "NothingToClaim",
      [pledger.account.address, bondToken.address],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      registry.write.finalize([id]),
      registry,
      "UnexpectedState",
      [id, PledgeState.Breached, FINALIZABLE],
    );
  });

  it("(b) disputed breach upheld: the committee rules breached, dispute fee to the treasury, payouts exact", async () => {
    const { sys, pledge } = await loadFixture(systemWithPledge);
    const { registry, committee } = sys;
    const id = pledge.pledgeId;

    const { challengeId } = await challengePledge(sys, challenger, id);
    // The committee only votes on disputes its registry sent.
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.vote([challengeId, true], { account: member1.account }),
      committee,
      "DisputeUnknown",
      [challengeId],
    );
    const disputeHash = await disputePledge(sys, disputer, id);
    const rulingDeadline = (await minedAt(publicClient, disputeHash)) + BigInt(ARBITRATION_TIMEOUT);
    await viem.assertions.emitWithArgs(disputeHash, registry, "ChallengeDisputed", [
      id,
      challengeId,
      disputer.account.address,
      CHALLENGE_BOND,
      rulingDeadline,
    ]);
    await viem.assertions.emitWithArgs(disputeHash, committee, "DisputeReceived", [challengeId, rulingDeadline]);
    assert.equal(await registry.read.state([id]), PledgeState.Disputed);
    assert.deepEqual(await committee.read.tally([challengeId]), [true, false, 0, 0]);

    // Only the arbiter rules, and only members vote, once each.
    await viem.assertions.revertWithCustomErrorWithArgs(
      registry.write.rule([challengeId, true], { account: outsider.account }),
      registry,
      "CallerNotArbiter",
      [challengeId, outsider.account.address, committee.address],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.vote([challengeId, true], { account: outsider.account }),
      committee,
      "CallerNotMember",
      [outsider.account.address],
    );

    // A split vote (1 breached, 1 not) reaches no threshold: still disputed.
    await committee.write.vote([challengeId, true], { account: member1.account });
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.vote([challengeId, false], { account: member1.account }),
      committee,
      "AlreadyVoted",
      [challengeId, member1.account.address],
    );
    await committee.write.vote([challengeId, false], { account: member3.account });
    assert.deepEqual(await committee.read.tally([challengeId]), [true, false, 1, 1]);
    assert.equal(await registry.read.state([id]), PledgeState.Disputed);

    const ruleHash = await committee.write.vote([challengeId, true], { account: member2.account });
    await viem.assertions.emitWithArgs(ruleHash, committee, "RulingSubmitted", [challengeId, true]);
    await viem.assertions.emitWithArgs(ruleHash, registry, "ChallengeRuled", [
      id,
      challengeId,
      committee.address,
      true,
    ]);
    await viem.assertions.emitWithArgs(ruleHash, registry, "DisputeBondsSettled", [
      challengeId,
      challenger.account.address,
      CHALLENGE_BOND + LOSER_REST,
      DISPUTE_FEE,
      treasury.account.address,
    ]);
    await assertSlashed(ruleHash, registry, id, beneficiary.account.address);
    assert.equal(await registry.read.state([id]), PledgeState.Breached);
    assert.deepEqual(await committee.read.tally([challengeId]), [true, true, 2, 1]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.vote([challengeId, true], { account: member3.account }),
      committee,
      "AlreadyRuled",
      [challengeId],
    );

    const accounts = [challenger, beneficiary, treasury, disputer, pledger].map((w) => w.account.address);
    assert.deepEqual(await readClaimables(sys, accounts), [
      CHALLENGE_BOND + LOSER_REST + REWARD,
      BENEFICIARY_SHARE,
      DISPUTE_FEE,
      0n,
      0n,
    ]);
    assert.equal(await escrowBalance(sys), BOND + 2n * CHALLENGE_BOND);
    assert.equal(await claimAll(sys, challenger), units("390.000000000000000006"));
    assert.equal(await claimAll(sys, beneficiary), BENEFICIARY_SHARE);
    assert.equal(await claimAll(sys, treasury), DISPUTE_FEE);
    assert.equal(await escrowBalance(sys), 0n);
  });

  it("(c) disputed breach rejected: back to Active, disputer paid, the next challenge must post twice the bond", async () => {
    const { sys, pledge } = await loadFixture(systemWithPledge);
    const { registry, committee, bondToken } = sys;
    const id = pledge.pledgeId;

    const { challengeId } = await challengePledge(sys, challenger, id);
    await disputePledge(sys, disputer, id);
    await committee.write.vote([challengeId, false], { account: member1.account });
    const ruleHash = await committee.write.vote([challengeId, false], { account: member3.account });
    await viem.assertions.emitWithArgs(ruleHash, registry, "ChallengeRuled", [
      id,
      challengeId,
      committee.address,
      false,
    ]);
    await viem.assertions.emitWithArgs(ruleHash, registry, "DisputeBondsSettled", [
      challengeId,
      disputer.account.address,
      CHALLENGE_BOND + LOSER_REST,
      DISPUTE_FEE,
      treasury.account.address,
    ]);

    assert.equal(await registry.read.state([id]), PledgeState.Active);
    assert.equal(await registry.read.openChallenge([id]), 0n);
    const stored = await registry.read.getPledge([id]);
    assert.equal(stored.rejectedChallenges, 1);
    assert.equal(stored.outcome, Outcome.None);
    assert.equal(stored.bond, BOND);
    const [bondTokenOfPledge, nextBond] = await registry.read.requiredChallengeBond([id]);
    assert.equal(getAddress(bondTokenOfPledge), getAddress(bondToken.address));
    assert.equal(nextBond, units("200.000000000000000006"));

    const accounts = [disputer, treasury, challenger, pledger, beneficiary].map((w) => w.account.address);
    assert.deepEqual(await readClaimables(sys, accounts), [CHALLENGE_BOND + LOSER_REST, DISPUTE_FEE, 0n, 0n, 0n]);
    assert.equal(await claimAll(sys, disputer), units("190.000000000000000005"));
    assert.equal(await claimAll(sys, treasury), DISPUTE_FEE);
    await viem.assertions.revertWithCustomErrorWithArgs(
      registry.write.claim([bondToken.address, challenger.account.address], { account: challenger.account }),
      registry,
      "NothingToClaim",
      [challenger.account.address, bondToken.address],
    );
    // Only the pledge's own bond is left in escrow.
    assert.equal(await escrowBalance(sys), BOND);

    // The base bond no longer suffices: a challenger signing for it is refused, whatever its allowance.
    await fundAndApprove(sys, challenger, 2n * CHALLENGE_BOND);
    await viem.assertions.revertWithCustomErrorWithArgs(
      registry.write.challenge([id, "ipfs://evidence-2", CHALLENGE_BOND], { account: challenger.account }),
      registry,
      "ChallengeBondAboveMax",
      [id, 2n * CHALLENGE_BOND, CHALLENGE_BOND],
    );

    const balanceBefore = await bondToken.read.balanceOf([challenger.account.address]);
    const secondHash = await registry.write.challenge([id, "ipfs://evidence-2", 2n * CHALLENGE_BOND], {
      account: challenger.account,
    });
    const secondId = await registry.read.openChallenge([id]);
    assert.notEqual(secondId, challengeId);
    const challengedAt = await minedAt(publicClient, secondHash);
    await viem.assertions.emitWithArgs(secondHash, registry, "PledgeChallenged", [
      id,
      secondId,
      challenger.account.address,
      2n * CHALLENGE_BOND,
      challengedAt + BigInt(pledge.liveness),
      "ipfs://evidence-2",
    ]);
    assert.equal((await registry.read.getChallenge([secondId])).bond, 2n * CHALLENGE_BOND);
    assert.equal(await bondToken.read.balanceOf([challenger.account.address]), balanceBefore - 2n * CHALLENGE_BOND);
    assert.equal(await escrowBalance(sys), BOND + 2n * CHALLENGE_BOND);

    // Unopposed, the escalated challenge stands: its whole bond comes back with the reward.
    await time.setNextBlockTimestamp(challengedAt + BigInt(pledge.liveness));
    await registry.write.finalize([id]);
    assert.equal(await claimAll(sys, challenger), 2n * CHALLENGE_BOND + REWARD);
    assert.equal(await claimAll(sys, beneficiary), BENEFICIARY_SHARE);
    assert.equal(await escrowBalance(sys), 0n);
  });

  it("a challenge rejected after expiry + grace leaves the pledge releasable, and it is honored", async () => {
    const { sys, pledge } = await loadFixture(systemWithPledge);
    const { registry, committee } = sys;
    const id = pledge.pledgeId;

    await time.increaseTo(pledge.releasableAt - 60n);
    const { challengeId } = await challengePledge(sys, challenger, id);
    await disputePledge(sys, disputer, id);
    await time.increaseTo(pledge.releasableAt + BigInt(DAY));
    assert.equal(await registry.read.state([id]), PledgeState.Disputed);
    await committee.write.vote([challengeId, false], { account: member1.account });
    await committee.write.vote([challengeId, false], { account: member2.account });
    assert.equal(await registry.read.state([id]), PledgeState.Releasable);

    // No new challenge once the grace is over, even at the escalated bond.
    const [, nextBond] = await registry.read.requiredChallengeBond([id]);
    await fundAndApprove(sys, challenger, nextBond);
    await viem.assertions.revertWithCustomErrorWithArgs(
      registry.write.challenge([id, "ipfs://again", nextBond], { account: challenger.account }),
      registry,
      "UnexpectedState",
      [id, PledgeState.Releasable, CHALLENGEABLE],
    );

    const hash = await registry.write.finalize([id], { account: outsider.account });
    await viem.assertions.emitWithArgs(hash, registry, "PledgeHonored", [id, pledger.account.address, BOND]);
    const accounts = [pledger, disputer, treasury, challenger, beneficiary].map((w) => w.account.address);
    assert.deepEqual(await readClaimables(sys, accounts), [
      BOND,
      CHALLENGE_BOND + LOSER_REST,
      DISPUTE_FEE,
      0n,
      0n,
    ]);
    assert.equal(await claimAll(sys, pledger), BOND);
    assert.equal(await claimAll(sys, disputer), CHALLENGE_BOND + LOSER_REST);
    assert.equal(await claimAll(sys, treasury), DISPUTE_FEE);
    assert.equal(await escrowBalance(sys), 0n);
  });

  it("(d) honored at expiry + grace exactly (not one second before); the bond goes back to the pledger", async () => {
    const { sys, pledge } = await loadFixture(systemWithPledge);
    const { registry } = sys;
    const id = pledge.pledgeId;

    await time.setNextBlockTimestamp(pledge.releasableAt - 1n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      registry.write.finalize([id], { account: outsider.account }),
      registry,
      "UnexpectedState",
      [id, PledgeState.Active, FINALIZABLE],
    );
    await time.increaseTo(pledge.releasableAt - 1n);
    assert.equal(await registry.read.state([id]), PledgeState.Active);

    await time.setNextBlockTimestamp(pledge.releasableAt);
    const hash = await registry.write.finalize([id], { account: outsider.account });
    assert.equal(await minedAt(publicClient, hash), pledge.releasableAt);
    await viem.assertions.emitWithArgs(hash, registry, "PledgeHonored", [id, pledger.account.address, BOND]);
    assert.equal(await registry.read.state([id]), PledgeState.Honored);
    assert.equal((await registry.read.getPledge([id])).outcome, Outcome.Honored);

    const accounts = [pledger, beneficiary, challenger, treasury].map((w) => w.account.address);
    assert.deepEqual(await readClaimables(sys, accounts), [BOND, 0n, 0n, 0n]);
    assert.equal(await claimAll(sys, pledger), BOND);
    assert.equal(await escrowBalance(sys), 0n);

    await fundAndApprove(sys, challenger, CHALLENGE_BOND);
    await viem.assertions.revertWithCustomErrorWithArgs(
      registry.write.challenge([id, "ipfs://too-late", CHALLENGE_BOND], { account: challenger.account }),
      registry,
      "UnexpectedState",
      [id, PledgeState.Honored, CHALLENGEABLE],
    );
  });

  it("(d') governed: the governor releases early, the pledge stays challengeable through grace, then is honored and claimed", async () => {
    const { sys, pledge } = await loadFixture(systemWithGovernedPledge);
    const { registry } = sys;
    const id = pledge.pledgeId;
    assert.equal(await registry.read.governorOf([id]), getAddress(governor.account.address));

    // Only the governor may release; the pledger cannot release itself.
    await viem.assertions.revertWithCustomErrorWithArgs(
      registry.write.release([id], { account: pledger.account }),
      registry,
      "CallerNotGovernor",
      [id, getAddress(pledger.account.address), getAddress(governor.account.address)],
    );

    // Released ten days into its 30-day term: the expiry becomes the release time, nothing is credited.
    await time.setNextBlockTimestamp(pledge.expiry - BigInt(20 * DAY));
    const hash = await registry.write.release([id], { account: governor.account });
    const releasedAt = await minedAt(publicClient, hash);
    await viem.assertions.emitWithArgs(hash, registry, "PledgeReleased", [
      id,
      governor.account.address,
      pledge.expiry,
      releasedAt,
    ]);
    const grace = pledge.releasableAt - pledge.expiry;
    assert.equal((await registry.read.getPledge([id])).expiry, releasedAt);
    assert.equal(await registry.read.state([id]), PledgeState.Active);
    assert.deepEqual(await readClaimables(sys, [pledger.account.address]), [0n]);
    assert.equal(await escrowBalance(sys), BOND);

    // A breach during the term can still be reported until releasedAt + grace; finalize waits for it.
    await time.setNextBlockTimestamp(releasedAt + grace - 1n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      registry.write.finalize([id], { account: outsider.account }),
      registry,
      "UnexpectedState",
      [id, PledgeState.Active, FINALIZABLE],
    );

    await time.setNextBlockTimestamp(releasedAt + grace);
    const finalized = await registry.write.finalize([id], { account: outsider.account });
    await viem.assertions.emitWithArgs(finalized, registry, "PledgeHonored", [id, pledger.account.address, BOND]);
    assert.equal(await registry.read.state([id]), PledgeState.Honored);
    assert.equal(await claimAll(sys, pledger), BOND);
    assert.equal(await escrowBalance(sys), 0n);
  });

  it("(e) late report inside grace: a challenge one second before expiry + grace is accepted and slashes", async () => {
    const { sys, pledge } = await loadFixture(systemWithPledge);
    const { registry } = sys;
    const id = pledge.pledgeId;

    // The term is over but the grace period is not.
    await time.increaseTo(pledge.expiry);
    assert.equal(await registry.read.state([id]), PledgeState.Active);

    const [, bond] = await registry.read.requiredChallengeBond([id]);
    await fundAndApprove(sys, challenger, bond);
    const challengedAt = pledge.releasableAt - 1n;
    await time.setNextBlockTimestamp(challengedAt);
    const hash = await registry.write.challenge([id, "ipfs://late", bond], { account: challenger.account });
    assert.equal(await minedAt(publicClient, hash), challengedAt);

    // The open challenge holds the pledge past expiry + grace: not releasable.
    const slashableAt = challengedAt + BigInt(pledge.liveness);
    await time.increaseTo(slashableAt - 1n);
    assert.equal(await registry.read.state([id]), PledgeState.Challenged);

    await time.setNextBlockTimestamp(slashableAt);
    const finalizeHash = await registry.write.finalize([id]);
    await assertSlashed(finalizeHash, registry, id, beneficiary.account.address);
    assert.equal(await registry.read.state([id]), PledgeState.Breached);
    assert.equal(await claimAll(sys, challenger), CHALLENGE_BOND + REWARD);
    assert.equal(await claimAll(sys, beneficiary), BENEFICIARY_SHARE);
    assert.deepEqual(await readClaimables(sys, [pledger.account.address]), [0n]);
    assert.equal(await escrowBalance(sys), 0n);
  });

  it("(f) after grace refused: a challenge at expiry + grace reverts with UnexpectedState and pulls nothing", async () => {
    const { sys, pledge } = await loadFixture(systemWithPledge);
    const { registry, bondToken } = sys;
    const id = pledge.pledgeId;

    await fundAndApprove(sys, challenger, CHALLENGE_BOND);
    await time.setNextBlockTimestamp(pledge.releasableAt);
    await viem.assertions.revertWithCustomErrorWithArgs(
      registry.write.challenge([id, "ipfs://too-late", CHALLENGE_BOND], { account: challenger.account }),
      registry,
      "UnexpectedState",
      [id, PledgeState.Releasable, CHALLENGEABLE],
    );
    assert.equal(await bondToken.read.balanceOf([challenger.account.address]), CHALLENGE_BOND);
    assert.equal(await registry.read.openChallenge([id]), 0n);
    assert.equal(await escrowBalance(sys), BOND);

    // The pledge can only be honored now.
    await registry.write.finalize([id]);
    assert.equal(await registry.read.state([id]), PledgeState.Honored);
    assert.equal(await claimAll(sys, pledger), BOND);
  });

  it("(g) ruling overdue: the committee stays silent past the timeout, voidChallenge refunds both bonds", async () => {
    const { sys, pledge } = await loadFixture(systemWithPledge);
    const { registry, committee } = sys;
    const id = pledge.pledgeId;

    const { challengeId } = await challengePledge(sys, challenger, id);
    const disputeHash = await disputePledge(sys, disputer, id);
    const rulingDeadline = (await minedAt(publicClient, disputeHash)) + BigInt(ARBITRATION_TIMEOUT);
    await committee.write.vote([challengeId, true], { account: member1.account });

    await time.setNextBlockTimestamp(rulingDeadline - 1n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      registry.write.voidChallenge([id], { account: outsider.account }),
      registry,
      "UnexpectedState",
      [id, PledgeState.Disputed, allowedStates(PledgeState.RulingOverdue)],
    );
    await time.increaseTo(rulingDeadline - 1n);
    assert.equal(await registry.read.state([id]), PledgeState.Disputed);

    // At the deadline the registry refuses the ruling, so the vote that would reach the threshold reverts.
    await time.setNextBlockTimestamp(rulingDeadline);
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.vote([challengeId, true], { account: member2.account }),
      registry,
      "UnexpectedState",
      [id, PledgeState.RulingOverdue, allowedStates(PledgeState.Disputed)],
    );

    await time.setNextBlockTimestamp(rulingDeadline);
    const hash = await registry.write.voidChallenge([id], { account: outsider.account });
    assert.equal(await minedAt(publicClient, hash), rulingDeadline);
    await viem.assertions.emitWithArgs(hash, registry, "ChallengeVoided", [id, challengeId]);

    assert.equal(await registry.read.state([id]), PledgeState.Active);
    assert.equal(await registry.read.openChallenge([id]), 0n);
    const stored = await registry.read.getPledge([id]);
    assert.equal(stored.rejectedChallenges, 0);
    assert.equal(stored.outcome, Outcome.None);
    const [, nextBond] = await registry.read.requiredChallengeBond([id]);
    assert.equal(nextBond, CHALLENGE_BOND);

    const accounts = [challenger, disputer, treasury, beneficiary, pledger].map((w) => w.account.address);
    assert.deepEqual(await readClaimables(sys, accounts), [CHALLENGE_BOND, CHALLENGE_BOND, 0n, 0n, 0n]);
    assert.equal(await claimAll(sys, challenger), CHALLENGE_BOND);
    assert.equal(await claimAll(sys, disputer), CHALLENGE_BOND);
    assert.equal(await escrowBalance(sys), BOND);
    assert.deepEqual(await committee.read.tally([challengeId]), [true, false, 1, 0]);
  });

  it("a slashed pledge without beneficiary credits the burn address, and flushBurned sends it to 0x…dEaD", async () => {
    const { sys } = await loadFixture(systemWithPledge);
    const { registry, bondToken } = sys;
    const pledge = await createStandardPledge(
      sys,
      pledger,
      { bond: BOND, challengeBond: CHALLENGE_BOND, beneficiary: ZERO_ADDRESS },
      await time.latest(),
    );
    const id = pledge.pledgeId;
    const { hash } = await challengePledge(sys, challenger, id);
    await time.setNextBlockTimestamp((await minedAt(publicClient, hash)) + BigInt(pledge.liveness));
    const finalizeHash = await registry.write.finalize([id]);
    await assertSlashed(finalizeHash, registry, id, BURN_ADDRESS);
    assert.deepEqual(await readClaimables(sys, [BURN_ADDRESS, ZERO_ADDRESS, challenger.account.address]), [
      BENEFICIARY_SHARE,
      0n,
      CHALLENGE_BOND + REWARD,
    ]);

    const burnedBefore = await bondToken.read.balanceOf([BURN_ADDRESS]);
    const flushHash = await registry.write.flushBurned([bondToken.address], { account: outsider.account });
    await viem.assertions.emitWithArgs(flushHash, registry, "BurnFlushed", [bondToken.address, BENEFICIARY_SHARE]);
    assert.equal((await bondToken.read.balanceOf([BURN_ADDRESS])) - burnedBefore, BENEFICIARY_SHARE);
    assert.deepEqual(await readClaimables(sys, [BURN_ADDRESS]), [0n]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      registry.write.flushBurned([bondToken.address]),
      registry,
      "NothingToClaim",
      [BURN_ADDRESS, bondToken.address],
    );

    assert.equal(await claimAll(sys, challenger), CHALLENGE_BOND + REWARD);
    // Only the fixture's untouched pledge remains in escrow.
    assert.equal(await escrowBalance(sys), BOND);
  });

  it("without a treasury the fee on a losing dispute bond is burned", async () => {
    const { sys, pledge } = await loadFixture(systemWithoutTreasury);
    const { registry, committee, bondToken } = sys;
    const id = pledge.pledgeId;
    assert.equal((await registry.read.config()).treasury, ZERO_ADDRESS);

    const { challengeId } = await challengePledge(sys, challenger, id);
    await disputePledge(sys, disputer, id);
    await committee.write.vote([challengeId, false], { account: member2.account });
    const ruleHash = await committee.write.vote([challengeId, false], { account: member3.account });
    await viem.assertions.emitWithArgs(ruleHash, registry, "DisputeBondsSettled", [
      challengeId,
      disputer.account.address,
      CHALLENGE_BOND + LOSER_REST,
      DISPUTE_FEE,
      BURN_ADDRESS,
    ]);
    assert.deepEqual(await readClaimables(sys, [BURN_ADDRESS, ZERO_ADDRESS, disputer.account.address]), [
      DISPUTE_FEE,
      0n,
      CHALLENGE_BOND + LOSER_REST,
    ]);

    const burnedBefore = await bondToken.read.balanceOf([BURN_ADDRESS]);
    await registry.write.flushBurned([bondToken.address]);
    assert.equal((await bondToken.read.balanceOf([BURN_ADDRESS])) - burnedBefore, DISPUTE_FEE);
    assert.equal(await claimAll(sys, disputer), CHALLENGE_BOND + LOSER_REST);
    assert.equal(await escrowBalance(sys), BOND);
  });
});
