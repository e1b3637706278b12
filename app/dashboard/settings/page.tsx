import type { Metadata } from "next";
import { requireTenant } from "@/lib/auth/session";
import { roleAllows } from "@/lib/tenants/permissions";
import { Card } from "@/components/ui/card";
import { SettingsForm } from "@/components/forms/settings-form";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { tenant, membership } = await requireTenant();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <Card
        title="Workspace and payment page"
        description={
          <>
            Your public discovery document: <code className="rounded bg-stone-100 px-1">/api/public/tenants/{tenant.slug}/l402.json</code>
          </>
        }
      >
        <SettingsForm
          canEdit={roleAllows(membership.role, "settings:write")}
          initial={{ name: tenant.name, logoUrl: tenant.logoUrl ?? "", accentColor: tenant.accentColor ?? "" }}
        />
      </Card>
    </div>
  );
}
