"use server";
import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { recordAudit } from "@/lib/audit/record";
import { currentRequestContext, requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { getDb } from "@/lib/db/client";
import { formatMsat } from "@/lib/format/amount";
import { formAction } from "@/lib/forms/action";
import type { FormState } from "@/lib/forms/state";
import { requestPayout } from "@/lib/payouts/request";
import { updatePayoutSettings } from "@/lib/payouts/settings";

/** "Pay out now": the form carries an idempotency key made when the page rendered, so a
 *  double click or a resent form makes one payout. */
export async function payOutNowAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async (form) => {
    const { user, tenant } = await requireTenant("settings:write");
    const mode = await getDashboardMode();
    const key = form.get("idempotencyKey");
    const { payout, created } = await requestPayout(getDb(), {
      tenantId: tenant.id,
      mode,
      trigger: "manual",
      body: {},
      idempotencyKey: typeof key === "string" && key ? key : randomUUID(),
      createdByUserId: user.id,
    });
    if (created) {
      await recordAudit(getDb(), {
        action: "payout.requested",
        tenantId: tenant.id,
        actorUserId: user.id,
        target: payout.destination,
        metadata: { payoutId: payout.id, mode, amountMsat: payout.amountMsat.toString() },
        ...(await currentRequestContext()),
      });
    }
    revalidatePath("/dashboard/payouts");
    return { ok: true, message: `Paying ${formatMsat(payout.amountMsat)} to ${payout.destination}. It shows below when it is done.` };
  });
}

export async function updatePayoutSettingsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async (form, values) => {
    const { user, tenant } = await requireTenant("settings:write");
    await updatePayoutSettings(
      getDb(),
      user.id,
      tenant.id,
      { thresholdSats: values.thresholdSats ?? "", autoPayouts: form.get("autoPayouts") === "on" },
      await currentRequestContext(),
    );
    revalidatePath("/dashboard/payouts");
    return { ok: true, message: "Payout settings saved.", values };
  });
}
