"use server";
// Webhook endpoint changes from the dashboard: each checks the member may manage webhooks
// (owners and admins), acts in the dashboard's mode, calls one function in lib/webhooks
// and answers its form. A new signing secret travels back in the answer only (shown once).
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { currentRequestContext, requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { formAction } from "@/lib/forms/action";
import { formValues, type FormState } from "@/lib/forms/state";
import { createWebhookEndpoint, deleteWebhookEndpoint, rotateWebhookSecret, setWebhookEndpointEnabled } from "@/lib/webhooks/endpoints";
import { redeliver, sendTestEvent } from "@/lib/webhooks/manual";

export interface SecretState extends FormState {
  /** The signing secret: shown once. */
  secret?: string;
  endpointId?: string;
  /** After a rotation: until when the old secret still signs (ISO). */
  previousSecretExpiresAt?: string;
}

async function context() {
  const { user, tenant } = await requireTenant("webhooks:write");
  const scope = { tenantId: tenant.id, mode: await getDashboardMode() };
  return { scope, actor: { actorUserId: user.id, ...(await currentRequestContext()) } };
}

const field = (form: FormData, name: string) => String(form.get(name) ?? "");

export async function createWebhookAction(_previous: SecretState, formData: FormData): Promise<SecretState> {
  return formAction(
    formData,
    async (form) => {
      const { scope, actor } = await context();
      const { endpoint, secret } = await createWebhookEndpoint(
        getDb(),
        scope,
        { url: field(form, "url"), description: field(form, "description"), events: form.getAll("events") },
        actor,
      );
      // The page refreshes when the dialog closes, so the secret stays on screen until then.
      return { ok: true, secret, endpointId: endpoint.id, message: "Endpoint added." };
    },
    { values: (form) => ({ ...formValues(form), events: form.getAll("events").join(",") }) },
  );
}

export async function rotateWebhookSecretAction(_previous: SecretState, formData: FormData): Promise<SecretState> {
  return formAction(formData, async (form) => {
    const { scope, actor } = await context();
    const { endpoint, secret } = await rotateWebhookSecret(
      getDb(),
      scope,
      field(form, "endpointId"),
      { graceHours: field(form, "graceHours") || undefined },
      actor,
    );
    return {
      ok: true,
      secret,
      endpointId: endpoint.id,
      previousSecretExpiresAt: endpoint.previousSecretExpiresAt?.toISOString(),
      message: "Secret rotated.",
    };
  });
}

export async function setWebhookEnabledAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async (form) => {
    const { scope, actor } = await context();
    const enabled = field(form, "enabled") === "true";
    await setWebhookEndpointEnabled(getDb(), scope, field(form, "endpointId"), enabled, actor);
    revalidatePath("/dashboard/webhooks", "layout");
    return { ok: true, message: enabled ? "Endpoint enabled." : "Endpoint disabled." };
  });
}

export async function deleteWebhookAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async (form) => {
    const { scope, actor } = await context();
    await deleteWebhookEndpoint(getDb(), scope, field(form, "endpointId"), actor);
    revalidatePath("/dashboard/webhooks", "layout");
    redirect("/dashboard/webhooks");
  });
}

export async function sendTestEventAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async (form) => {
    const { scope, actor } = await context();
    const { event } = await sendTestEvent(getDb(), scope, field(form, "endpointId"), field(form, "type"), actor);
    revalidatePath("/dashboard/webhooks", "layout");
    return { ok: true, message: `Test ${event.type} event queued.` };
  });
}

export async function redeliverAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async (form) => {
    const { scope, actor } = await context();
    await redeliver(getDb(), scope, field(form, "deliveryId"), actor);
    revalidatePath("/dashboard/webhooks", "layout");
    return { ok: true, message: "Redelivery queued." };
  });
}
