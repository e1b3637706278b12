import type { Metadata } from "next";
import { getDb } from "@/lib/db/client";
import { requireTenant } from "@/lib/auth/session";
import { listMembers } from "@/lib/tenants/members";
import { listPendingInvitations } from "@/lib/tenants/invitations";
import { roleAllows } from "@/lib/tenants/permissions";
import { Card, EmptyState } from "@/components/ui/card";
import { InviteForm } from "@/components/forms/invite-form";
import { RoleSelect } from "@/components/forms/role-select";
import { RevokeInvitationForm } from "@/components/forms/revoke-invitation-form";

export const metadata: Metadata = { title: "Team" };

export default async function TeamPage() {
  const { user, tenant, membership } = await requireTenant();
  const db = getDb();
  const members = await listMembers(db, user.id, tenant.id);
  const canInvite = roleAllows(membership.role, "members:invite");
  const canManage = roleAllows(membership.role, "members:manage");
  const invitations = canInvite ? await listPendingInvitations(db, user.id, tenant.id) : [];

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Team</h1>
      <Card title="Members" description={canManage ? "Owners can change roles. A workspace always keeps at least one owner." : undefined}>
        <ul className="divide-y divide-stone-100" data-testid="members">
          {members.map((m) => (
            <li key={m.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
              <div className="min-w-0">
                <p className="truncate text-sm font-medium">
                  {m.user.name || m.user.email}
                  {m.userId === user.id && <span className="text-stone-500"> (you)</span>}
                </p>
                <p className="truncate text-xs text-stone-500">{m.user.email}</p>
              </div>
              {canManage ? (
                <RoleSelect membershipId={m.id} role={m.role} email={m.user.email} />
              ) : (
                <span className="text-sm text-stone-600">{m.role}</span>
              )}
            </li>
          ))}
        </ul>
      </Card>
      {canInvite && (
        <Card title="Invite a teammate" description="No email is sent: copy the link and share it yourself.">
          <InviteForm canInviteOwner={canManage} />
        </Card>
      )}
      {canInvite && (
        <Card title="Pending invitations">
          {invitations.length === 0 ? (
            <EmptyState title="No pending invitations" />
          ) : (
            <ul className="divide-y divide-stone-100">
              {invitations.map((inv) => (
                <li key={inv.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                  <span>
                    {inv.email ?? "Anyone with the link"} · {inv.role} · expires{" "}
                    {inv.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC
                  </span>
                  <RevokeInvitationForm invitationId={inv.id} />
                </li>
              ))}
            </ul>
          )}
        </Card>
      )}
    </div>
  );
}
