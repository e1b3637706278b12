"use server";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { currentRequestContext, requireUser, setActiveTenant } from "@/lib/auth/session";
import { acceptInvitation } from "@/lib/tenants/invitations";
import { failure, type FormState } from "@/lib/forms/state";

export async function acceptInvitationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const token = String(formData.get("token") ?? "");
  const user = await requireUser(`/invite/${token}`);
  let tenantId: string;
  try {
    const { tenant } = await acceptInvitation(getDb(), user.id, token, await currentRequestContext());
    tenantId = tenant.id;
  } catch (error) {
    return failure(error);
  }
  await setActiveTenant(tenantId);
  redirect("/dashboard");
}
