// Endpoint changes made by a person on the dashboard: the member's permission is checked
// here (viewers look, owners and admins change), and each change commits together with its
// audit event. The endpoint rules themselves live in ./registry.
import type { Db } from "../db/client";
import { recordAudit, type AuditAction, type RequestContext } from "../audit/record";
import { requireMembership } from "../tenants/permissions";
import { clearEndpointCache, createEndpoint, deleteEndpoint, pinEndpoint, setEndpointEnabled, updateEndpoint } from "./registry";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
interface Changed {
  id: string;
  method: string;
  path: string;
  priceSats: number;
  tokenLifetimeSeconds: number;
  usesPerPayment: number;
  enabled: boolean;
}

async function change<T extends Changed>(
  db: Db,
  actorUserId: string,
  tenantId: string,
  action: AuditAction,
  context: RequestContext,
  run: (tx: Tx) => Promise<T>,
): Promise<T> {
  await requireMembership(db, actorUserId, tenantId, "endpoints:write");
  const endpoint = await db.$transaction(async (tx) => {
    const changed = await run(tx);
    await recordAudit(tx, {
      action,
      tenantId,
      actorUserId,
      target: `${changed.method} ${changed.path}`,
      metadata: {
        endpointId: changed.id,
        priceSats: changed.priceSats,
        tokenLifetimeSeconds: changed.tokenLifetimeSeconds,
        usesPerPayment: changed.usesPerPayment,
        enabled: changed.enabled,
      },
      ...context,
    });
    return changed;
  });
  // Again after the commit: a request between the registry's clear and the commit could
  // have cached the old list.
  clearEndpointCache(tenantId);
  return endpoint;
}

export function addEndpoint(db: Db, actorUserId: string, tenantId: string, input: unknown, context: RequestContext = {}) {
  return change(db, actorUserId, tenantId, "endpoint.created", context, (tx) => createEndpoint(tx, tenantId, input));
}

/** Price, token lifetime, uses per payment, description. A discovered endpoint becomes registered. */
export function editEndpoint(
  db: Db,
  actorUserId: string,
  tenantId: string,
  endpointId: string,
  input: unknown,
  context: RequestContext = {},
) {
  return change(db, actorUserId, tenantId, "endpoint.updated", context, (tx) => updateEndpoint(tx, tenantId, endpointId, input));
}

export function pinEndpointPrice(db: Db, actorUserId: string, tenantId: string, endpointId: string, context: RequestContext = {}) {
  return change(db, actorUserId, tenantId, "endpoint.pinned", context, (tx) => pinEndpoint(tx, tenantId, endpointId));
}

export function switchEndpoint(
  db: Db,
  actorUserId: string,
  tenantId: string,
  endpointId: string,
  enabled: boolean,
  context: RequestContext = {},
) {
  return change(db, actorUserId, tenantId, enabled ? "endpoint.enabled" : "endpoint.disabled", context, (tx) =>
    setEndpointEnabled(tx, tenantId, endpointId, enabled),
  );
}

export function removeEndpoint(db: Db, actorUserId: string, tenantId: string, endpointId: string, context: RequestContext = {}) {
  return change(db, actorUserId, tenantId, "endpoint.deleted", context, (tx) => deleteEndpoint(tx, tenantId, endpointId));
}
