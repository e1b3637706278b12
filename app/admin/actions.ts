"use server";
// The console's changes. Each action checks the operator first (requireOperator: 404 for
// anyone else), calls one function in lib/admin, which audits it with the operator as the
// actor, and answers its form.
import { revalidatePath } from "next/cache";
import { requireOperator } from "@/lib/admin/session";
import { retryFailedJob } from "@/lib/admin/jobs";
import { suspendTenant, unsuspendTenant } from "@/lib/admin/suspend";
import { setDashboardMode } from "@/lib/dashboard/mode";
import { getDb } from "@/lib/db/client";
import { formAction } from "@/lib/forms/action";
import type { FormState } from "@/lib/forms/state";

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

export async function setAdminModeAction(formData: FormData) {
  await requireOperator();
  await setDashboardMode(formData.get("mode") === "live" ? "live" : "test");
  revalidatePath("/admin", "layout");
}

export async function suspendTenantAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async (form) => {
    const { actor, context } = await requireOperator();
    const tenant = await suspendTenant(getDb(), text(form, "tenantId"), { reason: text(form, "reason") }, actor, context);
    revalidatePath("/admin", "layout");
    return { ok: true, message: `${tenant.name} is suspended.` };
  });
}

export async function unsuspendTenantAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async (form) => {
    const { actor, context } = await requireOperator();
    const tenant = await unsuspendTenant(getDb(), text(form, "tenantId"), actor, context);
    revalidatePath("/admin", "layout");
    return { ok: true, message: `${tenant.name} is active again.` };
  });
}

export async function retryJobAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async (form) => {
    const { actor, context } = await requireOperator();
    await retryFailedJob(getDb(), { queue: text(form, "queue"), id: text(form, "id") }, actor, context);
    revalidatePath("/admin/jobs");
    revalidatePath("/admin");
    return { ok: true, message: "Requeued." };
  });
}
