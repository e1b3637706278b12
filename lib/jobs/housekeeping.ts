// The worker's periodic tasks (scripts/worker.ts runs them). Each task runs on its own: one
// that throws (the database is briefly away, a bug) is logged and the others still run, so
// a failing purge never stops the settlement watcher from crediting, nor the reverse.
import type { Db } from "../db/client";
import { purgeStaleThrottles } from "../auth/throttle";
import { purgeExpiredInvoices } from "../invoices/purge";
import { settlePaidInvoices } from "../invoices/watch";
import { foldPastShards } from "../stats/rollups";
import { expireBalances, expireReservations } from "../prepaid/expire";
import { sweepStalledDeliveries, sweepUnfannedEvents } from "../webhooks/fan-out";
import { publishExpiringKeys } from "../webhooks/key-expiry";
import { runPayout } from "../payouts/run";
import { overduePayouts } from "../payouts/sweep";

export interface HousekeepingTask {
  name: string;
  /** A line worth logging, or null when there was nothing to say. */
  run(db: Db): Promise<string | null>;
}

export const HOUSEKEEPING_TASKS: HousekeepingTask[] = [
  {
    name: "settlement watcher",
    async run(db) {
      const watched = await settlePaidInvoices(db);
      if (!watched.settled && !watched.expired && !watched.failed) return null;
      return `${watched.settled} settled, ${watched.expired} expired, ${watched.failed} failed lookups of ${watched.checked} pending`;
    },
  },
  {
    name: "payout recovery",
    async run(db) {
      // A worker that died mid-payout leaves its lease to run out; its job may sit in the
      // queue until it expires. Resume such payouts here (runPayout looks before it pays).
      const ids = await overduePayouts(db);
      for (const id of ids) await runPayout(db, id);
      return ids.length ? `resumed ${ids.length} overdue payouts` : null;
    },
  },
  {
    name: "sign-in throttles",
    async run(db) {
      const purged = await purgeStaleThrottles(db);
      return purged ? `purged ${purged} stale counters` : null;
    },
  },
  {
    name: "invitations",
    async run(db) {
      // Invitations past their expiry can never be used; delete them a week later so the
      // team page can still say "expired" for a while.
      const deleted = await db.invitation.deleteMany({
        where: { acceptedAt: null, expiresAt: { lt: new Date(Date.now() - 7 * 86_400_000) } },
      });
      return deleted.count ? `purged ${deleted.count} expired invitations` : null;
    },
  },
  {
    name: "unpaid invoices",
    async run(db) {
      // Each unpaid request makes an invoice; they go INVOICE_RETENTION_HOURS after expiry.
      const purged = await purgeExpiredInvoices(db);
      return purged ? `purged ${purged} expired unpaid invoices` : null;
    },
  },
  {
    name: "prepaid balances",
    async run(db) {
      // Reservations of calls never settled go back first, so their balances can expire.
      const lapsed = await expireReservations(db);
      const expired = await expireBalances(db);
      return lapsed || expired ? `${lapsed} balances got lapsed reservations back, ${expired} expired` : null;
    },
  },
  {
    name: "stats rollups",
    async run(db) {
      // A finished day's shards into one row: the stats read ~one row per endpoint and day.
      const folded = await foldPastShards(db);
      return folded ? `folded ${folded} day rows` : null;
    },
  },
  {
    name: "webhook fan-out sweep",
    async run(db) {
      // Events whose fan-out job was lost (the hot settlement path queues it after commit).
      const requeued = await sweepUnfannedEvents(db);
      return requeued ? `re-queued fan-out of ${requeued} events` : null;
    },
  },
  {
    name: "webhook delivery recovery",
    async run(db) {
      // Deliveries whose job died with a worker (mid-request, or waiting in its batch).
      const requeued = await sweepStalledDeliveries(db);
      return requeued ? `re-queued ${requeued} stalled deliveries` : null;
    },
  },
  {
    name: "expiring keys",
    async run(db) {
      const published = await publishExpiringKeys(db);
      return published ? `published ${published} key.expiring events` : null;
    },
  },
];

/** Runs every task once; true when none failed. Never throws. */
export async function runHousekeeping(db: Db, tasks = HOUSEKEEPING_TASKS, log: Pick<Console, "log" | "error"> = console): Promise<boolean> {
  let ok = true;
  for (const task of tasks) {
    try {
      const line = await task.run(db);
      if (line) log.log(`[worker] ${task.name}: ${line}`);
    } catch (error) {
      ok = false;
      log.error(`[worker] ${task.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return ok;
}
