import { switchTenantAction } from "@/app/dashboard/actions";

/** Server-rendered workspace picker; works without JavaScript (a select and a button). */
export function TenantSwitcher({ activeTenantId, tenants }: { activeTenantId: string; tenants: { id: string; name: string }[] }) {
  if (tenants.length < 2) return null;
  return (
    <form action={switchTenantAction} className="flex items-center gap-2">
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
    </form>
  );
}
