"use client";
import { useActionState, useState } from "react";
import { inviteAction, type InviteState } from "@/app/dashboard/team/actions";
import { Field, FormError } from "@/components/ui/field";
import { SubmitButton, buttonClass } from "@/components/ui/button";

export function InviteForm({ canInviteOwner }: { canInviteOwner: boolean }) {
  const [state, action] = useActionState(inviteAction, { ok: false } as InviteState);
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-4">
      <form action={action} className="grid gap-3 sm:grid-cols-[1fr_auto_auto] sm:items-end" noValidate>
        <div className="sm:col-span-3">
          <FormError message={state.message} />
        </div>
        <Field
          label="Email (optional)"
          name="email"
          type="email"
          maxLength={254}
          placeholder="teammate@example.com"
          hint="Leave empty for a link anyone can use once."
          defaultValue={state.values?.email}
          error={state.fieldErrors?.email}
        />
        <div className="space-y-1">
          <label htmlFor="invite-role" className="block text-sm font-medium text-stone-700">
            Role
          </label>
          <select
            id="invite-role"
            name="role"
            defaultValue={state.values?.role ?? "viewer"}
            className="block w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-sm"
          >
            <option value="viewer">Viewer: sees everything, changes nothing</option>
            <option value="admin">Admin: manages endpoints, keys, invites</option>
            {canInviteOwner && <option value="owner">Owner: everything, including the team</option>}
          </select>
          {state.fieldErrors?.role && <span className="block text-sm text-red-700">{state.fieldErrors.role}</span>}
        </div>
        <SubmitButton pendingText="Creating…">Create invitation</SubmitButton>
      </form>
      {state.ok && state.inviteUrl && (
        <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm">
          <p className="font-medium text-emerald-900">Invitation link (valid 72 hours, shown once):</p>
          <div className="mt-2 flex flex-col gap-2 sm:flex-row">
            <input
              readOnly
              value={state.inviteUrl}
              data-testid="invite-url"
              aria-label="Invitation link"
              className="w-full rounded border border-emerald-300 bg-white px-2 py-1 font-mono text-xs"
              onFocus={(e) => e.currentTarget.select()}
            />
            <button
              type="button"
              className={buttonClass("secondary")}
              onClick={async () => {
                await navigator.clipboard?.writeText(state.inviteUrl!);
                setCopied(true);
              }}
            >
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
