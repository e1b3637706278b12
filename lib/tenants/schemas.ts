import { z } from "zod";
import { emailSchema } from "../auth/schemas";

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
  membershipId: z.string().min(1).max(64),
  role: roleSchema,
});

export const tenantIdSchema = z.string().min(1, "Choose a workspace.").max(64);
