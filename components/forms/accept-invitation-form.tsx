"use client";
import { useActionState } from "react";
import { acceptInvitationAction } from "@/app/invite/[token]/actions";
import { FormError } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/button";
import { initialFormState } from "@/lib/forms/state";

export function AcceptInvitationForm({ token }: { token: string }) {
  const [state, action] = useActionState(acceptInvitationAction, initialFormState);
  return (
    <form action={action} className="space-y-3">
      <FormError message={state.message} />
      <input type="hidden" name="token" value={token} />
      <SubmitButton className="w-full" pendingText="Joining…">
        Accept invitation
      </SubmitButton>
    </form>
  );
}
