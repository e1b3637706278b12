// Exports: every payment (or balance movement) matching the filters, streamed in keyset
// chunks from the database, so memory stays flat however many rows there are. CSV cells go
// through lib/export/csv.ts (formula injection neutralised); timestamps are UTC ISO 8601;
// amounts in sats (exact decimals) and msat. The REST export route and the dashboard's
// download buttons both stream these.
import { bulkQuery, type Db } from "../db/client";
import { csvCell, csvLine } from "../export/csv";
import type { KeysetPosition } from "./cursor";
import { msatToSatsText } from "./money";
import { balanceAfter, movementKind, movementPageSql, movementPosition, type RawMovement } from "./queries/balance-history";
import { paymentPageSql, positionOf, toPaymentRow, type RawPaymentRow } from "./queries/payments";
import type { PaymentFilters, PaymentRow, Scope } from "./types";

/** Rows per database round trip: big enough that the round trips do not dominate, small
 *  enough that a chunk is a few MB at most. */
export const EXPORT_CHUNK_ROWS = 2000;

export type ExportFormat = "csv" | "ndjson";

/** Every payment matching the filters, in the filters' order, a chunk at a time. The next
 *  chunk is already being read while the caller formats this one: Postgres and Node work
 *  at the same time instead of taking turns. (Reading two time windows at once, planned
 *  from the rollups, measured no faster on the bench box: bench/README.md.) */
export async function* paymentExportRows(db: Db, filters: PaymentFilters, chunkRows = EXPORT_CHUNK_ROWS): AsyncGenerator<PaymentRow[]> {
  const fetchAfter = (after: KeysetPosition | undefined) => {
    const sql = paymentPageSql(filters, after, chunkRows);
    const rows = bulkQuery<RawPaymentRow>(db, sql.text, sql.values);
    // A consumer that stops early (a cancelled download) must not leave a query unobserved.
    rows.catch(() => {});
    return rows;
  };
  let pending: Promise<RawPaymentRow[]> | undefined = fetchAfter(undefined);
  while (pending) {
    const rows: RawPaymentRow[] = await pending;
    pending = rows.length === chunkRows ? fetchAfter(positionOf(rows[rows.length - 1])) : undefined;
    if (rows.length) yield rows.map(toPaymentRow);
  }
}

export const PAYMENT_CSV_HEADER = [
  "payment_hash",
  "settled_at",
  "endpoint",
  "mode",
  "amount_sats",
  "amount_msat",
  "fee_sats",
  "fee_msat",
  "net_sats",
  "net_msat",
  "redeemed",
  "failed_calls",
];

/** One payment as a CSV line. Only the endpoint label can hold text a spreadsheet would run
 *  (csvCell neutralises it); the other cells are hex, an ISO timestamp, a mode, digits and
 *  booleans, written as they are. */
export function paymentCsvLine(row: PaymentRow): string {
  return `${row.paymentHash},${row.settledAt},${csvCell(row.endpoint)},${row.mode},${msatToSatsText(row.amountMsat)},${row.amountMsat},${msatToSatsText(row.feeMsat)},${row.feeMsat},${msatToSatsText(row.netMsat)},${row.netMsat},${row.redeemed},${row.failedCalls}\r\n`;
}

/** A pull-driven byte stream: the next chunk is read from the database only when the
 *  consumer (the HTTP response) has taken the previous one. */
function streamChunks(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

async function* paymentText(db: Db, filters: PaymentFilters, format: ExportFormat): AsyncGenerator<string> {
  if (format === "csv") yield csvLine(PAYMENT_CSV_HEADER);
  for await (const rows of paymentExportRows(db, filters)) {
    let text = "";
    for (const row of rows) text += format === "csv" ? paymentCsvLine(row) : `${JSON.stringify(row)}\n`;
    yield text;
  }
}

/** The payments matching the filters as CSV (header first), streamed. */
export function streamPaymentsCsv(db: Db, filters: PaymentFilters): ReadableStream<Uint8Array> {
  return streamChunks(paymentText(db, filters, "csv"));
}

/** The same rows as newline-delimited JSON (one PaymentRow per line). */
export function streamPaymentsNdjson(db: Db, filters: PaymentFilters): ReadableStream<Uint8Array> {
  return streamChunks(paymentText(db, filters, "ndjson"));
}

export function streamPayments(db: Db, filters: PaymentFilters, format: ExportFormat): ReadableStream<Uint8Array> {
  return format === "csv" ? streamPaymentsCsv(db, filters) : streamPaymentsNdjson(db, filters);
}

export const BALANCE_CSV_HEADER = [
  "created_at",
  "kind",
  "entry_kind",
  "payment_hash",
  "amount_sats",
  "amount_msat",
  "fee_msat",
  "balance_sats",
  "balance_msat",
  "entry_id",
  "memo",
];

async function* balanceText(db: Db, scope: Scope): AsyncGenerator<string> {
  yield csvLine(BALANCE_CSV_HEADER);
  let after: KeysetPosition | undefined;
  let balance: bigint | undefined;
  for (;;) {
    const sql = movementPageSql(scope, after, EXPORT_CHUNK_ROWS);
    const rows = await bulkQuery<RawMovement>(db, sql.text, sql.values);
    if (!rows.length) return;
    // The balance after the newest movement, once; every older one follows by subtraction.
    balance ??= await balanceAfter(db, scope, movementPosition(rows[0]));
    let text = "";
    for (const row of rows) {
      const amount = BigInt(row.amount_msat);
      text += csvLine([
        row.created_at,
        movementKind(row.kind, amount),
        row.kind,
        row.payment_hash,
        msatToSatsText(amount),
        amount,
        BigInt(row.fee_msat),
        msatToSatsText(balance),
        balance,
        row.entry_id,
        row.memo,
      ]);
      balance -= amount;
    }
    yield text;
    if (rows.length < EXPORT_CHUNK_ROWS) return;
    after = movementPosition(rows[rows.length - 1]);
  }
}

/** Every movement of the owner's available balance, newest first, with the running
 *  balance, as CSV: the balance history page's download. */
export function streamBalanceHistoryCsv(db: Db, scope: Scope): ReadableStream<Uint8Array> {
  return streamChunks(balanceText(db, scope));
}
