import type { Db } from "../db/client";

/** The newest audit events of one tenant, for its audit log page. */
export async function listAuditEvents(db: Db, tenantId: string, limit = 100) {
  return db.auditEvent.findMany({
    where: { tenantId },
    orderBy: { createdAt: "desc" },
    take: Math.min(limit, 500),
  });
}
