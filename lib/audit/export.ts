// The audit log as CSV: the page's filters, every matching event, read a page at a time and
// streamed; cells through lib/export/csv.ts (a target or user agent that a spreadsheet would
// run as a formula is neutralised).
import type { Db } from "../db/client";
import { csvLine } from "../export/csv";
import { streamChunks } from "../stats/export";
import { auditRows, type AuditFilters, type AuditScope } from "./query";

const HEADER = ["time", "who", "action", "action_label", "target", "ip", "user_agent"];

async function* auditCsv(db: Db, scope: AuditScope, filters: Omit<AuditFilters, "cursor" | "limit">): AsyncGenerator<string> {
  const withTenant = !("tenantId" in scope);
  yield csvLine(withTenant ? [...HEADER, "tenant"] : HEADER);
  for await (const rows of auditRows(db, scope, filters)) {
    let text = "";
    for (const row of rows) {
      const cells = [row.createdAt, row.who, row.action, row.actionLabel, row.target, row.ip, row.userAgent];
      text += csvLine(withTenant ? [...cells, row.tenant?.slug ?? ""] : cells);
    }
    if (text) yield text;
  }
}

export function streamAuditCsv(db: Db, scope: AuditScope, filters: Omit<AuditFilters, "cursor" | "limit">): ReadableStream<Uint8Array> {
  return streamChunks(auditCsv(db, scope, filters));
}
