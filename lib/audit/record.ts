// Audit events: who did what, in which tenant, to what, from where. Append-only.
import type { Db } from "../db/client";

export type AuditAction =
  | "auth.sign_in"
  | "auth.sign_in_failed"
  | "auth.sign_in_locked"
  | "auth.lockout"
  | "auth.sign_up"
  | "tenant.created"
  | "tenant.settings_changed"
  | "tenant.lightning_address_changed"
  | "tenant.payout_settings_changed"
  | "payout.requested"
  | "test_call.made"
  | "invitation.created"
  | "invitation.accepted"
  | "invitation.revoked"
  | "member.role_changed"
  | "member.removed"
  | "endpoint.created"
  | "endpoint.updated"
  | "endpoint.pinned"
  | "endpoint.enabled"
  | "endpoint.disabled"
  | "endpoint.deleted"
  | "api_key.created"
  | "api_key.rotated"
  | "api_key.revoked"
  | "payer_token.disabled"
  | "payer_token.enabled"
  | "operator.tenant_suspended"
  | "operator.tenant_unsuspended"
  | "operator.job_retried"
  | "webhook_endpoint.created"
  | "webhook_endpoint.updated"
  | "webhook_endpoint.enabled"
  | "webhook_endpoint.disabled"
  | "webhook_endpoint.auto_disabled"
  | "webhook_endpoint.deleted"
  | "webhook_endpoint.secret_rotated"
  | "webhook_endpoint.test_sent"
  | "webhook_delivery.redelivered";

/** Where a request came from; filled in by the web layer. */
export interface RequestContext {
  ip?: string | null;
  userAgent?: string | null;
}

export interface AuditInput extends RequestContext {
  action: AuditAction;
  tenantId?: string | null;
  actorUserId?: string | null;
  actorLabel?: string | null;
  target?: string | null;
  metadata?: Record<string, string | number | boolean | null>;
}

// Accepts a transaction client too, so the event commits with the change it describes.
type AuditWriter = Pick<Db, "auditEvent">;

export async function recordAudit(db: AuditWriter, input: AuditInput): Promise<void> {
  await db.auditEvent.create({
    data: {
      action: input.action,
      tenantId: input.tenantId ?? null,
      actorUserId: input.actorUserId ?? null,
      actorLabel: input.actorLabel ?? null,
      target: input.target ?? null,
      ip: input.ip?.slice(0, 100) ?? null,
      userAgent: input.userAgent?.slice(0, 500) ?? null,
      metadata: input.metadata ?? undefined,
    },
  });
}
