// Invitations: a link with a random token; only its sha256 is stored. Owners and admins
// invite; only owners may hand out the owner role.
import { createHash, randomBytes } from "node:crypto";
import { AppError, parseInput } from "../errors";
import type { Db } from "../db/client";
import { recordAudit, type RequestContext } from "../audit/record";
import { requireMembership } from "./permissions";
import { createInvitationSchema, invitationIdSchema } from "./schemas";

const INVITATION_TTL_MS = Number(process.env.INVITATION_TTL_HOURS ?? 72) * 3_600_000;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createInvitation(db: Db, actorUserId: string, tenantId: string, input: unknown, context: RequestContext = {}) {
  const actor = await requireMembership(db, actorUserId, tenantId, "members:invite");
  const { email, role } = parseInput(createInvitationSchema, input, "invalid_invitation");
  if (role === "owner" && actor.role !== "owner") {
    throw new AppError("permission_error", "forbidden", "Only owners can invite another owner.", { param: "role" });
  }
  if (email) {
    const existing = await db.membership.findFirst({ where: { tenantId, user: { email } } });
    if (existing)
      throw new AppError("conflict_error", "already_member", `${email} is already a member of this workspace.`, { param: "email" });
  }
  const token = randomBytes(24).toString("base64url");
  const invitation = await db.$transaction(async (tx) => {
    const created = await tx.invitation.create({
      data: {
        tenantId,
        email: email ?? null,
        role,
        tokenHash: hashToken(token),
        invitedByUserId: actorUserId,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      },
    });
    await recordAudit(tx, {
      action: "invitation.created",
      tenantId,
      actorUserId,
      target: email ?? "link",
      metadata: { role, invitationId: created.id },
      ...context,
    });
    return created;
  });
  return { invitation, token, path: `/invite/${token}` };
}

/** What the invite page shows before the visitor decides. */
export async function findOpenInvitation(db: Db, token: string) {
  const invitation = await db.invitation.findUnique({ where: { tokenHash: hashToken(token) }, include: { tenant: true } });
  if (!invitation || invitation.revokedAt)
    throw new AppError("not_found_error", "invitation_not_found", "This invitation link is not valid. Ask for a new one.");
  if (invitation.acceptedAt) throw new AppError("conflict_error", "invitation_used", "This invitation has already been used.");
  if (invitation.expiresAt < new Date())
    throw new AppError("invalid_request_error", "invitation_expired", "This invitation has expired. Ask for a new one.");
  return invitation;
}

export async function acceptInvitation(db: Db, userId: string, token: string, context: RequestContext = {}) {
  const invitation = await findOpenInvitation(db, token);
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  if (invitation.email && invitation.email !== user.email) {
    throw new AppError(
      "permission_error",
      "invitation_email_mismatch",
      `This invitation is for ${invitation.email}. Sign in with that address to accept it.`,
    );
  }
  return db.$transaction(async (tx) => {
    // Claim the invitation first; the conditional update makes a double click harmless.
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: new Date(), acceptedByUserId: userId },
    });
    if (claimed.count === 0) throw new AppError("conflict_error", "invitation_used", "This invitation has already been used.");
    const membership = await tx.membership.upsert({
      where: { tenantId_userId: { tenantId: invitation.tenantId, userId } },
      // Already a member: keep the existing role rather than silently changing it.
      update: {},
      create: { tenantId: invitation.tenantId, userId, role: invitation.role },
    });
    await recordAudit(tx, {
      action: "invitation.accepted",
      tenantId: invitation.tenantId,
      actorUserId: userId,
      target: user.email,
      metadata: { role: membership.role, invitationId: invitation.id },
      ...context,
    });
    return { membership, tenant: invitation.tenant };
  });
}

export async function listPendingInvitations(db: Db, actorUserId: string, tenantId: string) {
  await requireMembership(db, actorUserId, tenantId, "members:invite");
  return db.invitation.findMany({
    where: { tenantId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
  });
}

export async function revokeInvitation(db: Db, actorUserId: string, tenantId: string, input: unknown, context: RequestContext = {}) {
  await requireMembership(db, actorUserId, tenantId, "members:invite");
  const invitationId = parseInput(invitationIdSchema, input, "invalid_invitation", "invitationId");
  // tenantId in the filter: an id from another tenant matches nothing.
  const result = await db.invitation.updateMany({
    where: { id: invitationId, tenantId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (result.count === 0) throw new AppError("not_found_error", "invitation_not_found", "Invitation not found.");
  await recordAudit(db, { action: "invitation.revoked", tenantId, actorUserId, target: invitationId, ...context });
}
