"use client";
// Suspend a tenant (with the reason its owners will see) or lift the suspension.
import { useActionState } from "react";
import { suspendTenantAction, unsuspendTenantAction } from "@/app/admin/actions";
import { SubmitButton } from "@/components/ui/button";
import { FormError, Notice } from "@/components/ui/field";
import { initialFormState } from "@/lib/forms/state";

export function SuspendForm({ tenantId, suspended }: { tenantId: string; suspended: boolean }) {
  const [state, formAction] = useActionState(suspended ? unsuspendTenantAction : suspendTenantAction, initialFormState);
  const error = state.ok ? undefined : (state.fieldErrors?.reason ?? state.message);
  return (
    <form action={formAction} className="space-y-3" data-testid={suspended ? "unsuspend-form" : "suspend-form"}>
      <input type="hidden" name="tenantId" value={tenantId} />
      {!suspended && (
        <div className="space-y-1">
          <label htmlFor="reason" className="block text-sm font-medium text-stone-700">
            Reason (shown to the tenant's members and in the audit log)
          </label>
          <textarea
            id="reason"
            name="reason"
            required
            minLength={3}
            maxLength={500}
            rows={2}
            defaultValue={state.ok ? "" : state.values?.reason}
            className="block w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-base sm:text-sm"
          />
        </div>
      )}
      <FormError message={error} />
      {state.ok && state.message && <Notice>{state.message}</Notice>}
      <SubmitButton variant={suspended ? "secondary" : "danger"} pendingText={suspended ? "Lifting…" : "Suspending…"}>
        {suspended ? "Unsuspend tenant" : "Suspend tenant"}
      </SubmitButton>
    </form>
  );
}
