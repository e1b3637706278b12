import Link from "next/link";
import type { Metadata } from "next";
import { SignInForm } from "@/components/forms/sign-in-form";
import { safeCallback } from "@/lib/forms/callback";

export const metadata: Metadata = { title: "Sign in" };

// next-auth redirects here with ?error=<code> for errors outside our form (a bad link,
// an expired CSRF token): turn its codes into sentences.
const NEXTAUTH_ERRORS: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  SessionRequired: "Please sign in to continue.",
  Default: "Sign-in failed. Please try again.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  const initialError = error ? (NEXTAUTH_ERRORS[error] ?? (error.length < 200 ? error : NEXTAUTH_ERRORS.Default)) : undefined;
  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
      <div className="mt-6">
        <SignInForm callbackUrl={safeCallback(callbackUrl)} initialError={initialError} />
      </div>
      <p className="mt-6 text-sm text-stone-600">
        New to Tollbooth?{" "}
        <Link
          className="font-medium text-brand-700 underline"
          href={`/sign-up${callbackUrl ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`}
        >
          Create an account
        </Link>
      </p>
    </>
  );
}
