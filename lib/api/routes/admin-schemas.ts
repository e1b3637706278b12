// Response schemas of the operator API (/api/admin/*), for the OpenAPI document.
import { z } from "@hono/zod-openapi";

const msat = (description: string) => z.string().openapi({ example: "99700", description: `${description} (msat, decimal string)` });

export const modeQuerySchema = z.object({ mode: z.enum(["test", "live"]).default("live") });

export const AdminModeTotalsSchema = z
  .object({
    mode: z.enum(["test", "live"]),
    payments: z.number().int(),
    volumeMsat: msat("Everything paid"),
    feeMsat: msat("Platform fee revenue"),
    owedToTenantsMsat: msat("Tenants' available balances plus pending payouts"),
    pendingPayoutsMsat: msat("Tenants' pending payouts"),
    lightningHoldingsMsat: msat("The ledger's platform Lightning account"),
    holdingsSurplusMsat: msat("Holdings minus what is owed"),
    tenants: z.number().int(),
    suspendedTenants: z.number().int(),
    byDay: z.array(z.object({ day: z.string(), payments: z.number().int(), volumeMsat: z.string(), feeMsat: z.string() })),
  })
  .openapi("AdminModeTotals");

export const AdminOverviewSchema = z
  .object({
    object: z.literal("admin_overview"),
    platform: z.object({ name: z.string(), version: z.string(), publicUrl: z.string().nullable() }),
    modes: z.object({ test: AdminModeTotalsSchema, live: AdminModeTotalsSchema }),
  })
  .openapi("AdminOverview");

export const AdminTenantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    createdAt: z.string(),
    suspendedAt: z.string().nullable(),
    suspendedReason: z.string().nullable(),
    ownerEmails: z.array(z.string()),
    payments: z.number().int(),
    volumeMsat: msat("Volume in the chosen mode"),
    availableMsat: msat("Available balance"),
    pendingPayoutMsat: msat("Pending payouts"),
  })
  .openapi("AdminTenant");

export const AdminTenantDetailSchema = AdminTenantSchema.extend({
  lightningAddress: z.string().nullable(),
  members: z.array(z.object({ email: z.string(), name: z.string().nullable(), role: z.string(), joinedAt: z.string() })),
  activeKeys: z.object({ test: z.number().int().optional(), live: z.number().int().optional() }),
}).openapi("AdminTenantDetail");

export const QueueSchema = z
  .object({
    name: z.string(),
    counts: z.object({
      created: z.number().int(),
      retry: z.number().int(),
      active: z.number().int(),
      completed: z.number().int(),
      cancelled: z.number().int(),
      failed: z.number().int(),
    }),
  })
  .openapi("JobQueue");

export const FailedJobSchema = z
  .object({
    id: z.string(),
    queue: z.string(),
    data: z.unknown(),
    error: z.string(),
    retryCount: z.number().int(),
    createdAt: z.string(),
    failedAt: z.string().nullable(),
  })
  .openapi("FailedJob");

export const AuditEventSchema = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    action: z.string(),
    actionLabel: z.string(),
    who: z.string().openapi({ description: "A name or email, `operator: …`, `API key tb_…`, or `system`; never a raw id" }),
    target: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    tenant: z.object({ id: z.string(), name: z.string(), slug: z.string() }).nullable(),
  })
  .openapi("AuditEvent");

export const listOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ object: z.literal("list"), data: z.array(item), has_more: z.boolean(), next_cursor: z.string().nullable() });
