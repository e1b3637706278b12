import Link from "next/link";
import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import { CreateTenantForm } from "@/components/forms/create-tenant-form";

export const metadata: Metadata = { title: "New workspace" };

export default async function OnboardingPage() {
  const user = await requireUser("/onboarding");
  return (
    <main className="mx-auto w-full max-w-sm px-4 py-16">
      <Link href="/dashboard" className="text-sm text-stone-600 hover:underline">
        ← Dashboard
      </Link>
      <h1 className="mt-4 text-2xl font-semibold tracking-tight">New workspace</h1>
      <p className="mt-1 text-sm text-stone-600">
        A workspace holds one API&apos;s endpoints, keys and payouts. You ({user.email}) will be its owner.
      </p>
      <div className="mt-6">
        <CreateTenantForm />
      </div>
    </main>
  );
}
