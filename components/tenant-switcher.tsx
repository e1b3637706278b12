"use client";
import { useActionState } from "react";
import { switchTenantAction } from "@/app/dashboard/actions";
import { formMessage, initialFormState } from "@/lib/forms/state";

/** Workspace picker; works without JavaScript too (a select and a button). */
export function TenantSwitcher({ activeTenantId, tenants }: { activeTenantId: string; tenants: { id: string; name: string }[] }) {
  const [state, action] = useActionState(switchTenantAction, initialFormState);
  if (tenants.length < 2) return null;
  const message = formMessage(state);
  return (
    <form action={action} className="flex items-center gap-2">
      <label htmlFor="tenantId" className="sr-only">
        Workspace
      </label>
      <select
        id="tenantId"
        name="tenantId"
        defaultValue={activeTenantId}
        className="max-w-44 rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm"
      >
        {tenants.map((tenant) => (
          <option key={tenant.id} value={tenant.id}>
            {tenant.name}
          </option>
        ))}
      </select>
      <button type="submit" className="rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm hover:bg-stone-100">
        Switch
      </button>
      {message && (
        <span role="alert" className="text-xs text-red-700">
          {message}
        </span>
      )}
    </form>
  );
}
