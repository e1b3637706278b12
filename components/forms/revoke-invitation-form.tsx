"use client";
import { useActionState } from "react";
import { revokeInvitationAction } from "@/app/dashboard/team/actions";
import { formMessage, initialFormState } from "@/lib/forms/state";

export function RevokeInvitationForm({ invitationId }: { invitationId: string }) {
  const [state, action] = useActionState(revokeInvitationAction, initialFormState);
  const message = state.ok ? undefined : formMessage(state);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="invitationId" value={invitationId} />
      <button type="submit" className="text-sm text-red-700 underline-offset-2 hover:underline">
        Revoke
      </button>
      {message && (
        <span role="alert" className="text-xs text-red-700">
          {message}
        </span>
      )}
    </form>
  );
}
