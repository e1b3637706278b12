import Link from "next/link";
import type { Metadata } from "next";
import { SignUpForm } from "@/components/forms/sign-up-form";
import { safeCallback } from "@/lib/forms/callback";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">Create your account</h1>
      <p className="mt-1 text-sm text-stone-600">Start charging for API calls. Test mode is free and uses a simulated Lightning node.</p>
      <div className="mt-6">
        <SignUpForm callbackUrl={safeCallback(callbackUrl)} />
      </div>
      <p className="mt-6 text-sm text-stone-600">
        Already have an account?{" "}
        <Link
          className="font-medium text-brand-700 underline"
          href={`/sign-in${callbackUrl ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`}
        >
          Sign in
        </Link>
      </p>
    </>
  );
}
