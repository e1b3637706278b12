// The moving parts of the worker-kill test (tests/faults/worker-kill.test.ts): when to kill
// the worker, what a kill interrupted, and the owners' traffic that keeps payouts and
// webhook events coming while it dies and restarts.
import type { Db } from "../../lib/db/client";
import { AppError } from "../../lib/errors";
import { createPayout } from "../../lib/payouts/create";
import type { Api } from "../helpers/api";
import { paidCall } from "../helpers/payments";
import type { Prng } from "../helpers/prng";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Where a kill aims. A blind kill (a random moment) mostly finds the worker between polls;
 * the others wait until it is inside a payout (its invoice stored, `sending`) or a webhook
 * request (an attempt stored, not answered yet), then kill it a random few milliseconds
 * later: before paying, after paying and before recording, mid-record, or after; before the
 * receiver answered, after it answered and before the attempt is recorded, or after.
 */
export type KillAim = "blind" | "payout" | "delivery";

export async function waitForKillMoment(db: Db, aim: KillAim, lifeStartedAt: Date, random: Prng): Promise<void> {
  if (aim === "blind") return sleep(random.int(50, 1500));
  const inside =
    aim === "payout"
      ? () => db.$queryRaw<unknown[]>`SELECT 1 FROM payouts WHERE state = 'sending' AND updated_at >= ${lifeStartedAt} LIMIT 1`
      : () => db.$queryRaw<unknown[]>`SELECT 1 FROM webhook_attempts WHERE succeeded IS NULL AND created_at >= ${lifeStartedAt} LIMIT 1`;
  const deadline = Date.now() + 2500; // nothing of the kind came: kill anyway
  while (Date.now() < deadline && (await inside()).length === 0) await sleep(5);
  await sleep(aim === "payout" ? random.int(0, 100) : random.int(0, 600));
}

/** What the dead worker left half-done, read before the next one starts. */
export interface Interrupted {
  /** Payouts `sending` whose payment the node made: killed between paying and recording. */
  paidNotRecorded: number;
  /** Payouts `sending` the node never saw: killed between storing the invoice and paying. */
  storedNotPaid: number;
  /** Webhook requests sent and never recorded as answered. */
  unansweredAttempts: number;
  /** Jobs the dead worker had taken (pg-boss keeps them active until they expire). */
  heldJobs: number;
}

export async function interrupted(db: Db, lifeStartedAt: Date): Promise<Interrupted> {
  const [row] = await db.$queryRaw<{ paid: bigint; unpaid: bigint; attempts: bigint; jobs: bigint }[]>`
    SELECT
      (SELECT COUNT(*) FROM payouts p WHERE p.state = 'sending'
        AND EXISTS (SELECT 1 FROM simulated_payments s WHERE s.payment_hash = p.payment_hash))::bigint AS paid,
      (SELECT COUNT(*) FROM payouts p WHERE p.state = 'sending'
        AND NOT EXISTS (SELECT 1 FROM simulated_payments s WHERE s.payment_hash = p.payment_hash))::bigint AS unpaid,
      (SELECT COUNT(*) FROM webhook_attempts WHERE succeeded IS NULL AND created_at >= ${lifeStartedAt})::bigint AS attempts,
      (SELECT COUNT(*) FROM pgboss.job WHERE state = 'active')::bigint AS jobs`;
  return {
    paidNotRecorded: Number(row.paid),
    storedNotPaid: Number(row.unpaid),
    unansweredAttempts: Number(row.attempts),
    heldJobs: Number(row.jobs),
  };
}

export interface Owner {
  tenantId: string;
  key: string;
}

/** Asks for a payout of the owner's whole available balance unless one is in progress or
 *  there is nothing to pay (the refusals are the rules working, not failures). */
export async function requestPayout(db: Db, owner: Owner): Promise<boolean> {
  try {
    await createPayout(db, { tenantId: owner.tenantId, mode: "test", trigger: "manual" });
    return true;
  } catch (error) {
    if (error instanceof AppError && ["payout_in_progress", "amount_too_small"].includes(error.code)) return false;
    throw error;
  }
}

/**
 * Payers paying the owners (some leave their paid invoice unredeemed: the worker's
 * settlement watcher credits it) and the owners asking for their money, until `stop()`.
 */
export function startTraffic(db: Db, app: Api, owners: Owner[], random: Prng) {
  let stopping = false;
  let failure: unknown = null;
  const done = (async () => {
    while (!stopping) {
      const owner = random.pick(owners);
      await paidCall(app, owner.key, "GET /paid", { redeem: random.next() < 0.75 });
      await requestPayout(db, owner);
      await sleep(random.int(100, 400));
    }
  })().catch((error) => {
    failure = error; // reported by stop(), not as an unhandled rejection meanwhile
  });
  return {
    async stop() {
      stopping = true;
      await done;
      if (failure) throw failure;
    },
  };
}
