// Reading the reconciliation history (the operator console) and handing mismatches to an
// operator alert exactly once.
import type { Db } from "../db/client";
import type { ReconciliationRun } from "../db/generated/client";

export async function listReconciliationRuns(db: Db, options: { limit?: number } = {}): Promise<ReconciliationRun[]> {
  return db.reconciliationRun.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: Math.min(options.limit ?? 50, 200) });
}

/**
 * Mismatched runs not yet alerted on, marked alerted in the same statement: whoever calls
 * it (an operator webhook, a log line) gets each mismatch once, even with several workers.
 */
export async function takeUnalertedMismatches(db: Pick<Db, "$queryRaw" | "reconciliationRun">): Promise<ReconciliationRun[]> {
  const ids = await db.$queryRaw<{ id: string }[]>`
    UPDATE reconciliation_runs SET alerted_at = now()
    WHERE id IN (SELECT id FROM reconciliation_runs WHERE NOT matched AND alerted_at IS NULL ORDER BY created_at LIMIT 100 FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  if (ids.length === 0) return [];
  return db.reconciliationRun.findMany({ where: { id: { in: ids.map((row) => row.id) } }, orderBy: { createdAt: "asc" } });
}
