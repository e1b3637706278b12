"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { currentRequestContext, requireUser, setActiveTenant } from "@/lib/auth/session";
import { requireMembership } from "@/lib/tenants/permissions";
import { createTenantForUser } from "@/lib/tenants/accounts";
import { tenantIdSchema } from "@/lib/tenants/schemas";
import { parseInput } from "@/lib/errors";
import { formAction } from "@/lib/forms/action";
import type { FormState } from "@/lib/forms/state";
import { setDashboardMode } from "@/lib/dashboard/mode";

export async function switchTenantAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async (form) => {
    const user = await requireUser();
    const tenantId = parseInput(tenantIdSchema, form.get("tenantId"), "invalid_tenant", "tenantId");
    // Membership is checked here and again on every page load; the cookie is only a choice.
    await requireMembership(getDb(), user.id, tenantId);
    await setActiveTenant(tenantId);
    redirect("/dashboard");
  });
}

export async function createTenantAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async (form) => {
    const user = await requireUser();
    const tenant = await createTenantForUser(getDb(), user.id, form.get("name") ?? "", await currentRequestContext());
    await setActiveTenant(tenant.id);
    redirect("/dashboard");
  });
}

/** The test/live switch: only a view choice, so any signed-in member may flip it. */
export async function setModeAction(formData: FormData) {
  await requireUser();
  await setDashboardMode(formData.get("mode") === "live" ? "live" : "test");
  revalidatePath("/dashboard", "layout");
}
