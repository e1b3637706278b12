"use server";
// Endpoint changes from the dashboard. Each action checks the member may change endpoints
// (requireTenant; the domain function checks again), calls one function in lib/endpoints,
// and answers its form: errors come back as form state, never as a 500.
import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { currentRequestContext, requireTenant } from "@/lib/auth/session";
import { addEndpoint, editEndpoint, pinEndpointPrice, removeEndpoint, switchEndpoint } from "@/lib/endpoints/manage";
import { formAction } from "@/lib/forms/action";
import { numberField } from "@/lib/forms/fields";
import type { FormState } from "@/lib/forms/state";

const id = (formData: FormData) => String(formData.get("endpointId") ?? "");

function settings(formData: FormData) {
  return {
    priceSats: numberField(formData.get("priceSats")),
    tokenLifetimeSeconds: numberField(formData.get("tokenLifetimeSeconds")),
    usesPerPayment: numberField(formData.get("usesPerPayment")),
    pricingMode: formData.get("pricingMode") ?? undefined,
    // Metered only; empty means no maximum (a call may use the whole balance).
    ...(formData.get("pricingMode") === "metered"
      ? {
          maxCostPerCallSats: numberField(formData.get("maxCostPerCallSats")) ?? null,
          balanceExpiry: formData.get("balanceExpiry") ?? undefined,
        }
      : {}),
    // Empty clears the description.
    description: typeof formData.get("description") === "string" ? String(formData.get("description")) : undefined,
  };
}

async function done(message: string): Promise<FormState> {
  revalidatePath("/dashboard/endpoints");
  return { ok: true, message };
}

export async function createEndpointAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async () => {
    const { user, tenant } = await requireTenant("endpoints:write");
    const input = { method: formData.get("method") ?? "", path: formData.get("path") ?? "", ...settings(formData) };
    const endpoint = await addEndpoint(getDb(), user.id, tenant.id, input, await currentRequestContext());
    return done(`${endpoint.method} ${endpoint.path} added at ${endpoint.priceSats} sats.`);
  });
}

export async function updateEndpointAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async () => {
    const { user, tenant } = await requireTenant("endpoints:write");
    const endpoint = await editEndpoint(getDb(), user.id, tenant.id, id(formData), settings(formData), await currentRequestContext());
    return done(`${endpoint.method} ${endpoint.path} saved.`);
  });
}

export async function pinEndpointAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async () => {
    const { user, tenant } = await requireTenant("endpoints:write");
    const endpoint = await pinEndpointPrice(getDb(), user.id, tenant.id, id(formData), await currentRequestContext());
    return done(`${endpoint.method} ${endpoint.path} now keeps ${endpoint.priceSats} sats, whatever the code says.`);
  });
}

export async function toggleEndpointAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async () => {
    const { user, tenant } = await requireTenant("endpoints:write");
    const enabled = formData.get("enabled") === "true";
    const endpoint = await switchEndpoint(getDb(), user.id, tenant.id, id(formData), enabled, await currentRequestContext());
    return done(`${endpoint.method} ${endpoint.path} ${enabled ? "enabled" : "disabled"}.`);
  });
}

export async function deleteEndpointAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async () => {
    const { user, tenant } = await requireTenant("endpoints:write");
    const endpoint = await removeEndpoint(getDb(), user.id, tenant.id, id(formData), await currentRequestContext());
    return done(`${endpoint.method} ${endpoint.path} deleted.`);
  });
}
