// Suspending a tenant: its API keys then fail with 403 tenant_suspended on every /api/v1
// route (lib/api/auth.ts; within API_KEY_CACHE_MS in processes that cached the key), and its
// members see a banner. The change and its audit event commit together.
import { z } from "zod";
import type { Db } from "../db/client";
import { AppError, parseInput } from "../errors";
import { recordAudit, type RequestContext } from "../audit/record";
import { safeText } from "../schemas/text";
import { operatorAuditFields, type OperatorActor } from "./actor";

export const suspendSchema = z.object({
  reason: safeText().trim().min(3, "Say why the tenant is suspended (at least 3 characters).").max(500),
});

const notFound = () => new AppError("not_found_error", "tenant_not_found", "No tenant with this id.");

export async function suspendTenant(db: Db, tenantId: string, input: unknown, actor: OperatorActor, context: RequestContext = {}) {
  const { reason } = parseInput(suspendSchema, input, "invalid_suspension", "reason");
  return db.$transaction(async (tx) => {
    const tenant = await tx.tenant.findUnique({ where: { id: tenantId } });
    if (!tenant) throw notFound();
    if (tenant.suspendedAt) throw new AppError("conflict_error", "tenant_already_suspended", "This tenant is already suspended.");
    const updated = await tx.tenant.update({ where: { id: tenantId }, data: { suspendedAt: new Date(), suspendedReason: reason } });
    const fields = operatorAuditFields(actor);
    await recordAudit(tx, {
      action: "operator.tenant_suspended",
      tenantId,
      target: tenant.slug,
      ...fields,
      metadata: { ...fields.metadata, reason },
      ...context,
    });
    return updated;
  });
}

export async function unsuspendTenant(db: Db, tenantId: string, actor: OperatorActor, context: RequestContext = {}) {
  return db.$transaction(async (tx) => {
    const tenant = await tx.tenant.findUnique({ where: { id: tenantId } });
    if (!tenant) throw notFound();
    if (!tenant.suspendedAt) throw new AppError("conflict_error", "tenant_not_suspended", "This tenant is not suspended.");
    const updated = await tx.tenant.update({ where: { id: tenantId }, data: { suspendedAt: null, suspendedReason: null } });
    await recordAudit(tx, {
      action: "operator.tenant_unsuspended",
      tenantId,
      target: tenant.slug,
      ...operatorAuditFields(actor),
      ...context,
    });
    return updated;
  });
}
