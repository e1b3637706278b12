import { z } from "zod";
import { emailSchema } from "../auth/schemas";
import { safeText } from "../schemas/text";

export const roleSchema = z.enum(["owner", "admin", "viewer"], { error: "Choose a role: owner, admin or viewer." });
export type RoleName = z.infer<typeof roleSchema>;

export const createInvitationSchema = z.object({
  // Empty means "anyone with the link".
  email: z
    .union([z.literal(""), emailSchema])
    .optional()
    .transform((email) => email || undefined),
  role: roleSchema,
});

export const changeRoleSchema = z.object({
  membershipId: safeText().min(1).max(64),
  role: roleSchema,
});

export const tenantIdSchema = safeText({ error: "Choose a workspace." }).min(1, "Choose a workspace.").max(64);
export const invitationIdSchema = safeText({ error: "Choose an invitation." }).min(1, "Choose an invitation.").max(64);
