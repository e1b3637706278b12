"use server";
// Disabling (or enabling again) a payer token from its page.
import { revalidatePath } from "next/cache";
import { currentRequestContext, requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { getDb } from "@/lib/db/client";
import { formAction } from "@/lib/forms/action";
import type { FormState } from "@/lib/forms/state";
import { setPayerTokenDisabled } from "@/lib/prepaid/manage";

export async function setPayerTokenDisabledAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async () => {
    const { user, tenant } = await requireTenant("endpoints:write");
    const id = String(formData.get("id") ?? "");
    const disabled = formData.get("disabled") === "true";
    const mode = await getDashboardMode();
    await setPayerTokenDisabled(getDb(), { userId: user.id, tenantId: tenant.id, mode }, id, disabled, await currentRequestContext());
    revalidatePath(`/dashboard/payer-tokens/${id}`);
    return { ok: true, message: disabled ? "Token disabled: it serves no more calls." : "Token enabled again." };
  });
}
