"use server";
import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { currentRequestContext, requestOrigin, requireTenant } from "@/lib/auth/session";
import { createInvitation, revokeInvitation } from "@/lib/tenants/invitations";
import { changeRole } from "@/lib/tenants/members";
import { failure, formValues, type FormState } from "@/lib/forms/state";

export interface InviteState extends FormState {
  inviteUrl?: string;
}

export async function inviteAction(_previous: InviteState, formData: FormData): Promise<InviteState> {
  const { user, tenant } = await requireTenant("members:invite");
  const values = formValues(formData);
  try {
    const { path } = await createInvitation(
      getDb(),
      user.id,
      tenant.id,
      { email: formData.get("email") ?? "", role: formData.get("role") },
      await currentRequestContext(),
    );
    revalidatePath("/dashboard/team");
    return { ok: true, inviteUrl: `${await requestOrigin()}${path}` };
  } catch (error) {
    return failure(error, values);
  }
}

export async function changeRoleAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { user, tenant } = await requireTenant("members:manage");
  try {
    await changeRole(
      getDb(),
      user.id,
      tenant.id,
      { membershipId: formData.get("membershipId"), role: formData.get("role") },
      await currentRequestContext(),
    );
    revalidatePath("/dashboard/team");
    return { ok: true, message: "Role updated." };
  } catch (error) {
    return failure(error);
  }
}

export async function revokeInvitationAction(formData: FormData) {
  const { user, tenant } = await requireTenant("members:invite");
  await revokeInvitation(getDb(), user.id, tenant.id, String(formData.get("invitationId") ?? ""), await currentRequestContext());
  revalidatePath("/dashboard/team");
}
