"use client";
import { useActionState } from "react";
import { createTenantAction } from "@/app/dashboard/actions";
import { Field, FormError } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/button";
import { initialFormState } from "@/lib/forms/state";

export function CreateTenantForm() {
  const [state, action] = useActionState(createTenantAction, initialFormState);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormError message={state.message} />
      <Field label="Workspace name" name="name" required maxLength={80} defaultValue={state.values?.name} error={state.fieldErrors?.name} />
      <SubmitButton className="w-full" pendingText="Creating…">
        Create workspace
      </SubmitButton>
    </form>
  );
}
