import type { Metadata } from "next";
import { requireTenant } from "@/lib/auth/session";
import { roleAllows } from "@/lib/tenants/permissions";
import { Card } from "@/components/ui/card";
import { SettingsForm } from "@/components/forms/settings-form";
import { LightningAddressForm } from "@/components/forms/lightning-address-form";
import { simulatedLnurlHosts } from "@/lib/dev/tools";
import { payoutConfig } from "@/lib/payouts/config";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { tenant, membership } = await requireTenant();
  const [ownHost] = simulatedLnurlHosts();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <div id="lightning-address" className="scroll-mt-6">
        <Card
          title="Lightning address"
          description={
            tenant.lightningAddress
              ? "Where your payouts go. Payers pay Tollbooth; your share is sent here."
              : "Where your payouts go: set it before you take real payments."
          }
        >
          <LightningAddressForm
            canEdit={roleAllows(membership.role, "settings:write")}
            initial={tenant.lightningAddress ?? ""}
            example={ownHost ? `you@${ownHost} (the simulated LNURL-pay server)` : undefined}
            cooldownHours={payoutConfig().addressCooldownMs / 3_600_000}
          />
        </Card>
      </div>
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
