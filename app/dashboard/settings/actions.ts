"use server";
import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { currentRequestContext, requireTenant } from "@/lib/auth/session";
import { updateTenantSettings } from "@/lib/tenants/settings";
import { setLightningAddress } from "@/lib/tenants/lightning-address";
import { formatMsat } from "@/lib/format/amount";
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
  return formAction(formData, async (_form, values) => {
    const { user, tenant } = await requireTenant("settings:write");
    const { payRequest } = await setLightningAddress(
      getDb(),
      user.id,
      tenant.id,
      { lightningAddress: values.lightningAddress ?? "" },
      await currentRequestContext(),
    );
    revalidatePath("/dashboard", "layout");
    const message = payRequest
      ? `Saved: ${payRequest.address} resolved. It takes ${formatMsat(payRequest.minSendableMsat)} to ${formatMsat(payRequest.maxSendableMsat)} per payment.`
      : "Lightning address removed.";
    return { ok: true, message, values: { lightningAddress: payRequest?.address ?? "" } };
  });
}
