// The operator console's frame. The gate is here, above every loading boundary, so anyone
// who is not an operator (or not on ADMIN_ALLOWED_IPS) gets a real 404; each page and
// action checks again.
import type { Metadata } from "next";
import Link from "next/link";
import { requireOperator } from "@/lib/admin/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { AdminNav } from "@/components/admin/admin-nav";
import { ModeSwitch, TestModeBanner } from "@/components/mode-switch";
import { SignOutButton } from "@/components/sign-out-button";
import { setAdminModeAction } from "./actions";

export const metadata: Metadata = { title: { template: "%s · Operator console", default: "Operator console" }, robots: { index: false } };

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const { user } = await requireOperator();
  const mode = await getDashboardMode();
  return (
    <div className="min-h-dvh">
      {mode === "test" ? <TestModeBanner /> : null}
      <header className="border-b border-stone-200 bg-stone-900 text-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3 px-4 py-3">
          <Link href="/admin" className="font-semibold tracking-tight">
            Toll<span className="text-brand-500">booth</span> <span className="font-normal text-stone-300">operator</span>
          </Link>
          <div className="ml-auto flex flex-wrap items-center gap-2">
            <ModeSwitch mode={mode} action={setAdminModeAction} />
            <Link href="/dashboard" className="text-sm text-stone-300 underline-offset-2 hover:underline">
              Dashboard
            </Link>
            <span className="hidden text-sm text-stone-400 sm:inline">{user.email}</span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <div className="border-b border-stone-200 bg-white">
        <div className="mx-auto max-w-6xl px-4 py-2">
          <AdminNav />
        </div>
      </div>
      <main className="mx-auto max-w-6xl px-4 py-6 sm:py-8">{children}</main>
    </div>
  );
}
