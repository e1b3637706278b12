// The stats rollups (stats_daily): per tenant, mode, endpoint and UTC day, kept in the same
// statement (or transaction) as what they count, so they are never behind the ledger:
//   challenges  +1 when an invoice is issued            (lib/invoices/create.ts)
//   payments, amount, fee, net  when a settlement posts (lib/invoices/settle.ts, both paths)
//   redeemed    +1 on a token's first redemption        (lib/invoices/settle.ts)
// Every (tenant, mode, day, endpoint) is spread over STATS_SHARDS rows, chosen by the
// Postgres backend (connection) that writes: concurrent settlements of one endpoint run on
// different connections, so they update different rows instead of queueing on one row lock
// held to each commit (a shard from the payment hash still lets two connections meet on a
// row; bench/README.md has the hot path's numbers with these writes).
// foldPastShards() later merges a finished day's shards into shard 0, so a year of stats is
// ~365 rows per endpoint whatever the traffic.
import type { Db } from "../db/client";

export const STATS_SHARDS = 32;

/** SQL: this connection's shard. A statement's own row: no other connection writes it
 *  unless their backend pids are equal modulo STATS_SHARDS. */
export const SHARD_SQL = `(pg_backend_pid() % ${STATS_SHARDS})`;

/** SQL: today's UTC date (the transaction's now(), the same instant journal entries get). */
export const UTC_TODAY_SQL = `(now() AT TIME ZONE 'UTC')::date`;

/**
 * INSERT … ON CONFLICT that adds a row's counts to its (tenant, mode, day, endpoint, shard).
 * `select` must yield, in order: tenant_id, mode, day, endpoint, shard, challenges, payments,
 * amount_msat, fee_msat, net_msat, redeemed.
 */
export function addToRollupSql(select: string): string {
  return `INSERT INTO stats_daily (tenant_id, mode, day, endpoint, shard, challenges, payments, amount_msat, fee_msat, net_msat, redeemed)
      ${select}
      ON CONFLICT (tenant_id, mode, day, endpoint, shard) DO UPDATE SET
        challenges = stats_daily.challenges + EXCLUDED.challenges,
        payments = stats_daily.payments + EXCLUDED.payments,
        amount_msat = stats_daily.amount_msat + EXCLUDED.amount_msat,
        fee_msat = stats_daily.fee_msat + EXCLUDED.fee_msat,
        net_msat = stats_daily.net_msat + EXCLUDED.net_msat,
        redeemed = stats_daily.redeemed + EXCLUDED.redeemed`;
}

type Tx = Pick<Db, "$executeRawUnsafe">;

/** The watcher's settlement (inside its transaction, after the entry posted): one payment.
 *  The endpoint is the token's label. */
export async function addSettlementToRollup(
  tx: Tx,
  settlement: { paymentHash: string; tenantId: string; mode: string; amountMsat: bigint; feeMsat: bigint; netMsat: bigint },
): Promise<void> {
  await tx.$executeRawUnsafe(
    addToRollupSql(`SELECT $1::text, $2::"KeyMode", ${UTC_TODAY_SQL}, COALESCE((SELECT endpoint_label FROM l402_tokens WHERE payment_hash = $3), 'unknown'),
        ${SHARD_SQL}, 0, 1, $4::bigint, $5::bigint, $6::bigint, 0`),
    settlement.tenantId,
    settlement.mode,
    settlement.paymentHash,
    settlement.amountMsat.toString(),
    settlement.feeMsat.toString(),
    settlement.netMsat.toString(),
  );
}

/** Folds every finished day's shards into shard 0 (today's stay spread: they are being
 *  written). One statement: a concurrent reader sees the day before or after, never half. */
export async function foldPastShards(db: Pick<Db, "$executeRawUnsafe">): Promise<number> {
  return db.$executeRawUnsafe(`
    WITH moved AS (
      DELETE FROM stats_daily WHERE shard <> 0 AND day < ${UTC_TODAY_SQL}
      RETURNING tenant_id, mode, day, endpoint, challenges, payments, amount_msat, fee_msat, net_msat, redeemed
    )
    ${addToRollupSql(`SELECT tenant_id, mode, day, endpoint, 0, SUM(challenges)::int, SUM(payments)::int, SUM(amount_msat)::bigint,
        SUM(fee_msat)::bigint, SUM(net_msat)::bigint, SUM(redeemed)::int
      FROM moved GROUP BY tenant_id, mode, day, endpoint`)}`);
}
