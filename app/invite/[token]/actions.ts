"use server";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { currentRequestContext, requireUser, setActiveTenant } from "@/lib/auth/session";
import { acceptInvitation } from "@/lib/tenants/invitations";
import { formAction } from "@/lib/forms/action";
import type { FormState } from "@/lib/forms/state";

export async function acceptInvitationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async (form) => {
    const token = String(form.get("token") ?? "");
    const user = await requireUser(`/invite/${token}`);
    const { tenant } = await acceptInvitation(getDb(), user.id, token, await currentRequestContext());
    await setActiveTenant(tenant.id);
    redirect("/dashboard");
  });
}
