import Link from "next/link";
import { requireTenant } from "@/lib/auth/session";
import { DashboardNav } from "@/components/dashboard-nav";
import { SignOutButton } from "@/components/sign-out-button";
import { TenantSwitcher } from "@/components/tenant-switcher";
import { ModeSwitch, TestModeBanner } from "@/components/mode-switch";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { CommandPalette } from "@/components/command-palette";
import { SuspendedBanner } from "@/components/suspended-banner";
import { isOperatorEmail } from "@/lib/admin/access";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const { user, tenant, memberships } = await requireTenant();
  const mode = await getDashboardMode();
  return (
    <div className="min-h-dvh">
      {tenant.suspendedAt ? <SuspendedBanner reason={tenant.suspendedReason} /> : null}
      {mode === "test" ? <TestModeBanner /> : null}
      <header className="border-b border-stone-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-3 px-4 py-3">
          <Link href="/dashboard" className="font-semibold tracking-tight">
            Toll<span className="text-brand-600">booth</span>
          </Link>
          <span className="truncate text-sm text-stone-500" data-testid="active-tenant">
            {tenant.name}
          </span>
          <div className="ml-auto flex flex-wrap items-center gap-2">
            <CommandPalette mode={mode} />
            <ModeSwitch mode={mode} />
            <TenantSwitcher activeTenantId={tenant.id} tenants={memberships.map((m) => ({ id: m.tenant.id, name: m.tenant.name }))} />
            <Link href="/onboarding" className="text-sm text-stone-600 underline-offset-2 hover:underline">
              New workspace
            </Link>
            {isOperatorEmail(user.email) && (
              <Link href="/admin" className="text-sm text-stone-600 underline-offset-2 hover:underline">
                Operator console
              </Link>
            )}
            <span className="hidden text-sm text-stone-500 sm:inline">{user.email}</span>
            <SignOutButton />
          </div>
        </div>
        <div className="mx-auto max-w-5xl px-4 pb-2">
          <DashboardNav />
        </div>
      </header>
      <main className="mx-auto max-w-5xl px-4 py-6 sm:py-8">{children}</main>
    </div>
  );
}
