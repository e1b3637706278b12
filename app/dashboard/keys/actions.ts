"use server";
// API-key changes from the dashboard. Each action checks the member may change keys
// (requireTenant; the domain function checks again), calls one function in lib/keys, and
// answers its form: errors come back as form state, never as a 500. A new key travels back
// in the action's answer only: it is shown once and never stored.
import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { currentRequestContext, requestOrigin, requireTenant } from "@/lib/auth/session";
import { issueApiKey, revokeKey, rotateKey } from "@/lib/keys/manage";
import { formAction } from "@/lib/forms/action";
import { endOfDayUtcField, listField, numberField } from "@/lib/forms/fields";
import { formValues, type FormState } from "@/lib/forms/state";

export interface NewKeyState extends FormState {
  /** The whole key: shown once. */
  key?: string;
  keyId?: string;
  mode?: "test" | "live";
  /** The service URL for the middleware snippet. */
  serviceUrl?: string;
  /** After a rotation: when the old key stops working (ISO). */
  oldKeyExpiresAt?: string;
}

const GRACE_UNIT_SECONDS: Record<string, number> = { minutes: 60, hours: 3600, days: 86_400 };

export async function createKeyAction(_previous: NewKeyState, formData: FormData): Promise<NewKeyState> {
  return formAction(
    formData,
    async () => {
      const { user, tenant } = await requireTenant("keys:write");
      const { key, record } = await issueApiKey(
        getDb(),
        user.id,
        tenant.id,
        {
          name: formData.get("name") ?? "",
          mode: formData.get("mode") ?? undefined,
          scopes: formData.getAll("scopes"),
          allowedIps: listField(formData.get("allowedIps")),
          expiresAt: endOfDayUtcField(formData.get("expiresAt")),
        },
        await currentRequestContext(),
      );
      // No revalidatePath here: re-rendering the page could unmount the dialog that shows the
      // key (its button sits in the empty state, or in the row of a key that is no longer
      // active). The dialog refreshes the page when it closes.
      return {
        ok: true,
        key,
        keyId: record.id,
        mode: record.mode,
        serviceUrl: await requestOrigin(),
        message: `Key “${record.name}” created.`,
      };
    },
    // All ticked scopes (formValues keeps one value per name), so a form sent back keeps them.
    { values: (form) => ({ ...formValues(form), scopes: form.getAll("scopes").join(",") }) },
  );
}

export async function rotateKeyAction(_previous: NewKeyState, formData: FormData): Promise<NewKeyState> {
  return formAction(formData, async () => {
    const { user, tenant } = await requireTenant("keys:write");
    const amount = numberField(formData.get("graceAmount"));
    const unit = GRACE_UNIT_SECONDS[String(formData.get("graceUnit"))] ?? 3600;
    const rotated = await rotateKey(
      getDb(),
      user.id,
      tenant.id,
      { keyId: String(formData.get("keyId") ?? ""), graceSeconds: amount === undefined ? undefined : amount * unit },
      await currentRequestContext(),
    );
    // Refreshed when the dialog closes (see createKeyAction).
    return {
      ok: true,
      key: rotated.key,
      keyId: rotated.record.id,
      mode: rotated.record.mode,
      serviceUrl: await requestOrigin(),
      oldKeyExpiresAt: rotated.oldKeyExpiresAt.toISOString(),
      message: "Key rotated.",
    };
  });
}

export async function revokeKeyAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async () => {
    const { user, tenant } = await requireTenant("keys:write");
    await revokeKey(getDb(), user.id, tenant.id, String(formData.get("keyId") ?? ""), await currentRequestContext());
    revalidatePath("/dashboard/keys", "layout");
    return { ok: true, message: "Key revoked: it stops working within a few seconds." };
  });
}
