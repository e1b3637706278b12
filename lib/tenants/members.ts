import { AppError, parseInput } from "../errors";
import type { Db } from "../db/client";
import { recordAudit, type RequestContext } from "../audit/record";
import { requireMembership } from "./permissions";
import { changeRoleSchema } from "./schemas";

export async function listMembers(db: Db, actorUserId: string, tenantId: string) {
  await requireMembership(db, actorUserId, tenantId);
  return db.membership.findMany({
    where: { tenantId },
    include: { user: { select: { id: true, email: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
}

export async function changeRole(db: Db, actorUserId: string, tenantId: string, input: unknown, context: RequestContext = {}) {
  await requireMembership(db, actorUserId, tenantId, "members:manage");
  const { membershipId, role } = parseInput(changeRoleSchema, input, "invalid_role_change", "role");
  return db.$transaction(async (tx) => {
    const target = await tx.membership.findFirst({ where: { id: membershipId, tenantId }, include: { user: true } });
    if (!target) throw new AppError("not_found_error", "member_not_found", "Member not found.");
    if (target.role === role) return target;
    if (target.role === "owner") {
      const owners = await tx.membership.count({ where: { tenantId, role: "owner" } });
      if (owners <= 1)
        throw new AppError("conflict_error", "last_owner", "A workspace needs at least one owner. Make someone else owner first.");
    }
    const updated = await tx.membership.update({ where: { id: target.id }, data: { role } });
    await recordAudit(tx, {
      action: "member.role_changed",
      tenantId,
      actorUserId,
      target: target.user.email,
      metadata: { from: target.role, to: role },
      ...context,
    });
    return updated;
  });
}
