"use server";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { ACTIVE_TENANT_COOKIE, currentRequestContext, requireUser } from "@/lib/auth/session";
import { acceptInvitation } from "@/lib/tenants/invitations";
import { failure, type FormState } from "@/lib/forms/state";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/auth/options";

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
  (await cookies()).set(ACTIVE_TENANT_COOKIE, tenantId, { httpOnly: true, sameSite: "lax", path: "/", maxAge: SESSION_MAX_AGE_SECONDS });
  redirect("/dashboard");
}
