"use server";
import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { currentRequestContext, requestOrigin, requireTenant } from "@/lib/auth/session";
import { createInvitation, revokeInvitation } from "@/lib/tenants/invitations";
import { changeRole } from "@/lib/tenants/members";
import { formAction } from "@/lib/forms/action";
import type { FormState } from "@/lib/forms/state";

export interface InviteState extends FormState {
  inviteUrl?: string;
}

export async function inviteAction(_previous: InviteState, formData: FormData): Promise<InviteState> {
  return formAction<InviteState>(formData, async (form) => {
    const { user, tenant } = await requireTenant("members:invite");
    const { path } = await createInvitation(
      getDb(),
      user.id,
      tenant.id,
      { email: form.get("email") ?? "", role: form.get("role") },
      await currentRequestContext(),
    );
    revalidatePath("/dashboard/team");
    return { ok: true, inviteUrl: `${await requestOrigin()}${path}` };
  });
}

export async function changeRoleAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async (form) => {
    const { user, tenant } = await requireTenant("members:manage");
    await changeRole(
      getDb(),
      user.id,
      tenant.id,
      { membershipId: form.get("membershipId"), role: form.get("role") },
      await currentRequestContext(),
    );
    revalidatePath("/dashboard/team");
    return { ok: true, message: "Role updated." };
  });
}

export async function revokeInvitationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async (form) => {
    const { user, tenant } = await requireTenant("members:invite");
    await revokeInvitation(getDb(), user.id, tenant.id, form.get("invitationId"), await currentRequestContext());
    revalidatePath("/dashboard/team");
    return { ok: true, message: "Invitation revoked." };
  });
}
