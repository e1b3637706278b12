import Link from "next/link";
import type { Metadata } from "next";
import { getDb } from "@/lib/db/client";
import { getSessionUser } from "@/lib/auth/session";
import { findOpenInvitation } from "@/lib/tenants/invitations";
import { AppError } from "@/lib/errors";
import { buttonClass } from "@/components/ui/button-class";
import { FormError } from "@/components/ui/field";
import { AcceptInvitationForm } from "@/components/forms/accept-invitation-form";

export const metadata: Metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const user = await getSessionUser();
  let content: React.ReactNode;
  try {
    const invitation = await findOpenInvitation(getDb(), token);
    const back = encodeURIComponent(`/invite/${token}`);
    content = (
      <>
        <h1 className="text-2xl font-semibold tracking-tight">Join {invitation.tenant.name}</h1>
        <p className="mt-2 text-sm text-stone-600">
          You have been invited as <strong>{invitation.role}</strong>
          {invitation.email ? <> ({invitation.email})</> : null}.
        </p>
        <div className="mt-6">
          {user ? (
            <>
              <p className="mb-3 text-sm text-stone-600">Signed in as {user.email}.</p>
              <AcceptInvitationForm token={token} />
            </>
          ) : (
            <div className="flex flex-col gap-2">
              <Link className={buttonClass()} href={`/sign-up?callbackUrl=${back}`}>
                Create an account to join
              </Link>
              <Link className={buttonClass("secondary")} href={`/sign-in?callbackUrl=${back}`}>
                I already have an account
              </Link>
            </div>
          )}
        </div>
      </>
    );
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    content = (
      <>
        <h1 className="text-2xl font-semibold tracking-tight">Invitation</h1>
        <div className="mt-4">
          <FormError message={error.message} />
        </div>
      </>
    );
  }
  return <main className="mx-auto w-full max-w-sm px-4 py-16">{content}</main>;
}
