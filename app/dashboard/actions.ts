"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { currentRequestContext, requireUser, setActiveTenant } from "@/lib/auth/session";
import { requireMembership } from "@/lib/tenants/permissions";
import { createTenantForUser } from "@/lib/tenants/accounts";
import { tenantIdSchema } from "@/lib/tenants/schemas";
import { failure, formValues, type FormState } from "@/lib/forms/state";
import { setDashboardMode } from "@/lib/dashboard/mode";

export async function switchTenantAction(formData: FormData) {
  const user = await requireUser();
  const tenantId = tenantIdSchema.parse(formData.get("tenantId"));
  // Membership is checked here and again on every page load; the cookie is only a choice.
  await requireMembership(getDb(), user.id, tenantId);
  await setActiveTenant(tenantId);
  redirect("/dashboard");
}

export async function createTenantAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  const values = formValues(formData);
  let tenantId: string;
  try {
    const tenant = await createTenantForUser(getDb(), user.id, formData.get("name") ?? "", await currentRequestContext());
    tenantId = tenant.id;
  } catch (error) {
    return failure(error, values);
  }
  await setActiveTenant(tenantId);
  redirect("/dashboard");
}

/** The test/live switch: only a view choice, so any signed-in member may flip it. */
export async function setModeAction(formData: FormData) {
  await requireUser();
  await setDashboardMode(formData.get("mode") === "live" ? "live" : "test");
  revalidatePath("/dashboard", "layout");
}
