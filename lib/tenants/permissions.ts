// Who may do what inside a tenant. Every tenant-scoped action starts with
// requireMembership, so a user can never reach another tenant's data by id.
import { AppError } from "../errors";
import type { Db } from "../db/client";
import type { RoleName } from "./schemas";

export type Permission =
  | "tenant:read"
  | "settings:write"
  | "members:invite"
  | "members:manage"
  | "endpoints:write"
  | "keys:write"
  | "test-calls:run"
  | "webhooks:write";

const ALLOWED: Record<Permission, RoleName[]> = {
  "tenant:read": ["owner", "admin", "viewer"],
  "settings:write": ["owner", "admin"],
  "members:invite": ["owner", "admin"],
  "members:manage": ["owner"],
  "endpoints:write": ["owner", "admin"],
  "keys:write": ["owner", "admin"],
  // A test call issues and pays a test-mode invoice: a change, so not for viewers.
  "test-calls:run": ["owner", "admin"],
  "webhooks:write": ["owner", "admin"],
};

export function roleAllows(role: RoleName, permission: Permission): boolean {
  return ALLOWED[permission].includes(role);
}

export async function requireMembership(db: Db, userId: string, tenantId: string, permission: Permission = "tenant:read") {
  const membership = await db.membership.findUnique({
    where: { tenantId_userId: { tenantId, userId } },
    include: { tenant: true },
  });
  // Same answer for "no such tenant" and "not yours": ids reveal nothing.
  if (!membership) throw new AppError("not_found_error", "tenant_not_found", "Workspace not found.");
  if (!roleAllows(membership.role, permission)) {
    throw new AppError("permission_error", "forbidden", `Your role (${membership.role}) cannot do this.`);
  }
  return membership;
}
