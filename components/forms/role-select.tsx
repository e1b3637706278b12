"use client";
import { useActionState } from "react";
import { changeRoleAction } from "@/app/dashboard/team/actions";
import { SubmitButton } from "@/components/ui/button";
import { initialFormState } from "@/lib/forms/state";

export function RoleSelect({ membershipId, role, email }: { membershipId: string; role: string; email: string }) {
  const [state, action] = useActionState(changeRoleAction, initialFormState);
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="membershipId" value={membershipId} />
      <label className="sr-only" htmlFor={`role-${membershipId}`}>
        Role for {email}
      </label>
      <select
        id={`role-${membershipId}`}
        name="role"
        defaultValue={role}
        className="rounded-md border border-stone-300 bg-white px-2 py-1 text-sm"
      >
        <option value="owner">owner</option>
        <option value="admin">admin</option>
        <option value="viewer">viewer</option>
      </select>
      <SubmitButton variant="secondary" className="px-2 py-1" pendingText="Saving…">
        Save
      </SubmitButton>
      {state.message && (
        <span role={state.ok ? "status" : "alert"} className={`text-xs ${state.ok ? "text-emerald-700" : "text-red-700"}`}>
          {state.message}
        </span>
      )}
      {state.fieldErrors?.role && (
        <span role="alert" className="text-xs text-red-700">
          {state.fieldErrors.role}
        </span>
      )}
    </form>
  );
}
