"use server";
import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { currentRequestContext, requireTenant } from "@/lib/auth/session";
import { updateTenantSettings } from "@/lib/tenants/settings";
import { setLightningAddress } from "@/lib/tenants/lightning-address";
import { formatMsat } from "@/lib/format/amount";
import { formatUtc } from "@/lib/format/time";
import { formAction } from "@/lib/forms/action";
import type { FormState } from "@/lib/forms/state";

export async function updateSettingsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async (_form, values) => {
    const { user, tenant } = await requireTenant("settings:write");
    await updateTenantSettings(
      getDb(),
      user.id,
      tenant.id,
      { name: values.name ?? "", logoUrl: values.logoUrl ?? "", accentColor: values.accentColor ?? "" },
      await currentRequestContext(),
    );
    revalidatePath("/dashboard", "layout");
    return { ok: true, message: "Settings saved.", values };
  });
}

export async function setLightningAddressAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async (form, values) => {
    const { user, tenant } = await requireTenant("settings:write");
    const password = form.get("password");
    const { payRequest, payoutsHeldUntil } = await setLightningAddress(
      getDb(),
      user.id,
      tenant.id,
      { lightningAddress: values.lightningAddress ?? "", password: typeof password === "string" ? password : undefined },
      await currentRequestContext(),
    );
    revalidatePath("/dashboard", "layout");
    const held = payoutsHeldUntil ? ` Payouts are on hold until ${formatUtc(payoutsHeldUntil)} (UTC), as the address changed.` : "";
    const message = payRequest
      ? `Saved: ${payRequest.address} resolved. It takes ${formatMsat(payRequest.minSendableMsat)} to ${formatMsat(payRequest.maxSendableMsat)} per payment.${held}`
      : `Lightning address removed.${held}`;
    return { ok: true, message, values: { lightningAddress: payRequest?.address ?? "" } };
  });
}
