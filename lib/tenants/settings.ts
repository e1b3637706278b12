// Tenant settings an owner or admin edits: name and the payment page's branding.
import { z } from "zod";
import { parseInput } from "../errors";
import type { Db } from "../db/client";
import { recordAudit, type RequestContext } from "../audit/record";
import { tenantNameSchema } from "../auth/schemas";
import { safeText } from "../schemas/text";
import { requireMembership } from "./permissions";

// Empty means "none". Not a union with "": a failed union reports only "Invalid input",
// and the form should say what is wrong with the value.
const optional = (schema: z.ZodType<string>) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional()).transform((v) => v || null);

export const tenantSettingsSchema = z.object({
  name: tenantNameSchema,
  logoUrl: optional(
    safeText()
      .trim()
      .max(500, "Logo URLs can be 500 characters at most.")
      .pipe(z.url({ protocol: /^https$/, error: "Use an https:// URL for the logo." })),
  ),
  accentColor: optional(
    z
      .string()
      .trim()
      .regex(/^#[0-9a-fA-F]{6}$/, "Use a hex colour like #f59e0b."),
  ),
});

export async function updateTenantSettings(db: Db, actorUserId: string, tenantId: string, input: unknown, context: RequestContext = {}) {
  await requireMembership(db, actorUserId, tenantId, "settings:write");
  const settings = parseInput(tenantSettingsSchema, input, "invalid_settings");
  const tenant = await db.tenant.update({ where: { id: tenantId }, data: settings });
  await recordAudit(db, { action: "tenant.settings_changed", tenantId, actorUserId, target: tenant.slug, ...context });
  return tenant;
}
