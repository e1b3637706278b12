// Exports: every payment (or balance movement) matching the filters, streamed from a
// database cursor a chunk at a time, so memory stays flat however many rows there are. CSV cells go
// through lib/export/csv.ts (formula injection neutralised); timestamps are UTC ISO 8601;
// amounts in sats (exact decimals) and msat. The REST export route and the dashboard's
// download buttons both stream these.
import { cursorRows, type Db } from "../db/client";
import { csvCell, csvLine } from "../export/csv";
import { msatToSatsText } from "./money";
import { movementExportSql, movementKind, type RawMovement } from "./queries/balance-history";
import { paymentPageSql, toPaymentRow, type RawPaymentRow } from "./queries/payments";
import type { PaymentFilters, PaymentRow, Scope } from "./types";

/** Rows per FETCH: big enough that the round trips do not dominate, small enough that a
 *  chunk is about a megabyte. */
export const EXPORT_CHUNK_ROWS = 1000;

export type ExportFormat = "csv" | "ndjson";

/** Every payment matching the filters, in the filters' order, a chunk at a time, from one
 *  database cursor over the payments query (lib/db/client.ts, cursorRows). */
export async function* paymentExportRows(db: Db, filters: PaymentFilters, chunkRows = EXPORT_CHUNK_ROWS): AsyncGenerator<PaymentRow[]> {
  const sql = paymentPageSql(filters, undefined, null);
  for await (const rows of cursorRows<RawPaymentRow>(db, sql.text, sql.values, chunkRows)) yield rows.map(toPaymentRow);
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
export function streamChunks(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
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
  const sql = movementExportSql(scope);
  for await (const rows of cursorRows<RawMovement & { balance_msat: string }>(db, sql.text, sql.values, EXPORT_CHUNK_ROWS)) {
    let text = "";
    for (const row of rows) {
      const amount = BigInt(row.amount_msat);
      text += csvLine([
        row.created_at,
        movementKind(row.kind, amount),
        row.kind,
        row.payment_hash,
        msatToSatsText(row.amount_msat),
        amount,
        BigInt(row.fee_msat),
        msatToSatsText(row.balance_msat),
        BigInt(row.balance_msat),
        row.entry_id,
        row.memo,
      ]);
    }
    yield text;
  }
}

/** Every movement of the owner's available balance, newest first, with the running
 *  balance, as CSV: the balance history page's download. */
export function streamBalanceHistoryCsv(db: Db, scope: Scope): ReadableStream<Uint8Array> {
  return streamChunks(balanceText(db, scope));
}
