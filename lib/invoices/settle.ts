// Settlement: the invoice is paid; the ledger records it once. Whether the verify call or
// the settlement watcher gets there first, the idempotency key settle:<paymentHash> makes
// the second a no-op.
import { hotQuery, type Db, type HotStatement } from "../db/client";
import { accounts } from "../ledger/accounts";
import { splitFee } from "../ledger/fee";
import { ensureAccounts, postEntry, prepareEntry, type EntryInput } from "../ledger/post";
import type { KeyMode } from "../keys/api-keys";
import { depositAccounts, settleDeposit } from "../prepaid/deposit";
import { addSettlementToRollup, addToRollupSql, SHARD_SQL, UTC_TODAY_SQL } from "../stats/rollups";
import { enqueue } from "../jobs/queue";
import { paymentSettledData, paymentSettledKey } from "../webhooks/event-data";
import { newEventId, publishEvent, SUBSCRIBED_ENDPOINT_SQL, WEBHOOK_EVENT_QUEUE } from "../webhooks/publish";

type Tx = Pick<Db, "$executeRaw" | "$queryRaw" | "$executeRawUnsafe" | "$queryRawUnsafe">;

export interface SettleTarget {
  paymentHash: string;
  tenantId: string;
  mode: KeyMode;
  amountMsat: bigint;
  /** The fee rate fixed on the invoice when it was issued. */
  feeBps: number;
  /** A metered endpoint's deposit or top-up: credits this prepaid balance, not the owner. */
  prepaidBalanceId?: string | null;
}

export function settlementAccounts(mode: KeyMode, tenantId: string) {
  return [accounts.platformLightning(mode), accounts.tenantAvailable(mode, tenantId), accounts.platformFees(mode)];
}

/** The journal entry a settlement posts: holdings +amount, tenant +owner share, fees +fee. */
function settlementEntry(target: SettleTarget): EntryInput {
  const { feeMsat, ownerMsat } = splitFee(target.amountMsat, target.feeBps);
  const [lightning, available, fees] = settlementAccounts(target.mode, target.tenantId);
  return {
    idempotencyKey: `settle:${target.paymentHash}`,
    kind: "settlement",
    mode: target.mode,
    tenantId: target.tenantId,
    paymentHash: target.paymentHash,
    postings: [
      { account: lightning, amountMsat: target.amountMsat },
      { account: available, amountMsat: -ownerMsat },
      { account: fees, amountMsat: -feeMsat },
    ],
  };
}

/** Must run after ensureAccounts(db, settlementAccounts(...)); inside the caller's transaction.
 *  The stats rollup counts the payment, and the payment.settled webhook event is stored, in
 *  the same transaction, only if the entry posted: one event per settlement. */
export async function settleInTransaction(tx: Tx, target: SettleTarget): Promise<boolean> {
  await tx.$executeRaw`UPDATE invoices SET state = 'paid', settled_at = now() WHERE payment_hash = ${target.paymentHash} AND state <> 'paid'`;
  if (target.prepaidBalanceId) {
    // A deposit or top-up: the payer's money until charged, so no fee and no net yet.
    const posted = await settleDeposit(tx, { ...target, prepaidBalanceId: target.prepaidBalanceId });
    if (posted) await publishSettled(tx, target, 0n, 0n);
    return posted;
  }
  const posted = await postEntry(tx, settlementEntry(target));
  if (posted) {
    const { feeMsat, ownerMsat } = splitFee(target.amountMsat, target.feeBps);
    await addSettlementToRollup(tx, { ...target, feeMsat, netMsat: ownerMsat });
    await publishSettled(tx, target, feeMsat, ownerMsat);
  }
  return posted;
}

async function publishSettled(tx: Tx, target: SettleTarget, feeMsat: bigint, netMsat: bigint) {
  const [token] = await tx.$queryRaw<
    { endpoint_label: string }[]
  >`SELECT endpoint_label FROM l402_tokens WHERE payment_hash = ${target.paymentHash}`;
  await publishEvent(tx, {
    tenantId: target.tenantId,
    mode: target.mode,
    type: "payment.settled",
    idempotencyKey: paymentSettledKey(target.paymentHash),
    data: paymentSettledData({
      ...target,
      feeMsat,
      netMsat,
      endpoint: token?.endpoint_label ?? null,
      settledAt: new Date(),
      prepaidBalanceId: target.prepaidBalanceId ?? null,
    }),
  });
}

/** Settles on its own (the watcher's path). Returns whether this call posted the entry. */
export async function settleInvoice(db: Db, target: SettleTarget): Promise<boolean> {
  await ensureAccounts(
    db,
    target.prepaidBalanceId ? depositAccounts(target.mode, target.tenantId) : settlementAccounts(target.mode, target.tenantId),
  );
  return db.$transaction((tx) => settleInTransaction(tx, target));
}

export interface Redemption {
  /** The use limit in force for this credential (0 = unlimited). */
  uses_limit: number;
  uses_consumed: number;
  /** Which redemption this was: from a counter that never goes down. */
  redemption: number;
}

// The verify path's redemption. The conditional UPDATE takes the token's row lock, so
// concurrent verifications of a single-use token serialise and exactly one gets a row back.
// `limit` is the statement parameter holding this credential's use limit: the token's own,
// or a smaller `uses=` caveat its holder appended (0 = unlimited). Checked here, under the
// lock, the narrowed limit holds under concurrency too.
const redeemUpdate = (limit: string) => `UPDATE l402_tokens
      SET uses_consumed = uses_consumed + 1, redemption_count = redemption_count + 1, last_redeemed_at = now()
      WHERE root_key_id = $1 AND revoked_at IS NULL AND valid_until > $2::timestamptz
        AND (${limit}::int = 0 OR uses_consumed < ${limit}::int)
      RETURNING ${limit}::int AS uses_limit, uses_consumed, redemption_count AS redemption`;

// A token's first redemption counts in the funnel's "redeemed" (lib/stats/rollups.ts): $4
// tenant, $5 mode, $6 endpoint label; the shard is the connection's. Later
// redemptions add nothing (the WHERE is false: no row, no lock).
const REDEEM: HotStatement = {
  name: "tb_token_redeem",
  text: `WITH redeemed AS (
      ${redeemUpdate("$3")}
    ), rolled AS (
      ${addToRollupSql(`SELECT $4::text, $5::"KeyMode", ${UTC_TODAY_SQL}, $6::text, ${SHARD_SQL}, 0, 0, 0, 0, 0, 1 FROM redeemed WHERE redemption = 1`)}
    )
    SELECT uses_limit, uses_consumed, redemption FROM redeemed`,
};

// The same redemption plus, only if it redeemed, exactly what settleInTransaction writes:
// (the payment.settled webhook event too: $18 its id, $19 its data, stored only when the
// entry is new and an enabled endpoint of the tenant subscribes, so a tenant without
// webhooks pays one index probe; the fan-out job is queued right after the statement and,
// should the process die in between, by the sweep in lib/webhooks/fan-out.ts)
// the invoice marked paid, the journal entry (ON CONFLICT: the watcher may have posted it)
// and its postings only if the entry was new. One statement is one transaction: it all
// commits together, and the deferred balance check runs at its end, as before. One round
// trip instead of six (BEGIN, UPDATE, UPDATE, INSERT, INSERT, COMMIT). The stats rollup
// (lib/stats/rollups.ts) counts, in the same statement, the payment if the entry is new
// ($14 amount, $15 fee, $16 net, $17 endpoint label) and the redemption if it was the first.
const REDEEM_AND_SETTLE: HotStatement = {
  name: "tb_token_redeem_settle",
  text: `WITH redeemed AS (
      ${redeemUpdate("$13")}
    ), paid AS (
      UPDATE invoices SET state = 'paid', settled_at = now()
      WHERE payment_hash = $3 AND state <> 'paid' AND EXISTS (SELECT 1 FROM redeemed)
    ), entry AS (
      INSERT INTO journal_entries (id, idempotency_key, kind, tenant_id, payment_hash, memo, mode)
      SELECT $4::text, $5::text, $6::text, $7::text, $3::text, $8::text, $12::"KeyMode" WHERE EXISTS (SELECT 1 FROM redeemed)
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING id, mode
    ), posted AS (
      INSERT INTO postings (id, entry_id, account_id, amount_msat, mode)
      SELECT p.id, entry.id, p.account_id, p.amount::bigint, entry.mode
      FROM entry, unnest($9::text[], $10::text[], $11::text[]) AS p(id, account_id, amount)
    ), rolled AS (
      ${addToRollupSql(`SELECT $7::text, $12::"KeyMode", ${UTC_TODAY_SQL}, $17::text, ${SHARD_SQL}, 0, settled.n,
          settled.n * $14::bigint, settled.n * $15::bigint, settled.n * $16::bigint, (r.redemption = 1)::int
        FROM redeemed r CROSS JOIN (SELECT count(*)::int AS n FROM entry) settled
        WHERE settled.n = 1 OR r.redemption = 1`)}
    ), evented AS (
      INSERT INTO webhook_events (id, tenant_id, mode, type, idempotency_key, data)
      SELECT $18::text, $7::text, $12::"KeyMode", 'payment.settled', 'payment.settled:' || $3::text, $19::jsonb FROM entry
      WHERE EXISTS (${SUBSCRIBED_ENDPOINT_SQL("$7::text", '$12::"KeyMode"', "'payment.settled'")})
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING id
    )
    SELECT uses_limit, uses_consumed, redemption, (SELECT id FROM evented) AS event_id FROM redeemed`,
};

/** Whose stats a redemption counts in: the token's tenant, mode and endpoint label. */
export interface RedemptionStats {
  tenantId: string;
  mode: KeyMode;
  endpoint: string;
}

/**
 * Redeems one use of a token within `usesLimit` (0 = unlimited; null result: nothing to
 * redeem: expired, revoked or used up) and, given `settle`, settles its invoice in the
 * same statement. With `settle`, run ensureAccounts(db, settlementAccounts(...)) first.
 */
export async function redeemToken(
  db: Db,
  rootKeyId: string,
  now: Date,
  usesLimit: number,
  stats: RedemptionStats,
  settle?: SettleTarget,
): Promise<Redemption | null> {
  if (!settle) {
    const rows = await hotQuery<Redemption>(db, REDEEM, [
      rootKeyId,
      now.toISOString(),
      usesLimit,
      stats.tenantId,
      stats.mode,
      stats.endpoint,
    ]);
    return rows[0] ?? null;
  }
  const { feeMsat, ownerMsat } = splitFee(settle.amountMsat, settle.feeBps);
  const entry = settlementEntry(settle);
  const { entryId, postingIds, accountIds, amounts } = prepareEntry(entry);
  const eventData = paymentSettledData({ ...settle, feeMsat, netMsat: ownerMsat, endpoint: stats.endpoint, settledAt: now });
  const rows = await hotQuery<Redemption & { event_id: string | null }>(db, REDEEM_AND_SETTLE, [
    rootKeyId,
    now.toISOString(),
    settle.paymentHash,
    entryId,
    entry.idempotencyKey,
    entry.kind,
    entry.tenantId ?? null,
    entry.memo ?? null,
    postingIds,
    accountIds,
    amounts,
    entry.mode,
    usesLimit,
    settle.amountMsat.toString(),
    feeMsat.toString(),
    ownerMsat.toString(),
    stats.endpoint,
    newEventId(),
    JSON.stringify(eventData),
  ]);
  const row = rows[0];
  if (!row) return null;
  // After the commit and off the caller's path (not awaited): queuing is a second commit,
  // measured at ~2.5 ms a call (bench/README.md, "Webhook events on the hot path"). The event
  // itself committed with the settlement; should this enqueue fail or the process die first,
  // the fan-out sweep (lib/webhooks/fan-out.ts) queues it a minute later.
  if (row.event_id) void enqueue(db, WEBHOOK_EVENT_QUEUE, { eventId: row.event_id }).catch(() => undefined);
  const { event_id: _eventId, ...redemption } = row;
  return redemption;
}
