"use client";
import { useActionState } from "react";
import { updateSettingsAction } from "@/app/dashboard/settings/actions";
import { Field, FormError, Notice } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/button";
import type { FormState } from "@/lib/forms/state";

export function SettingsForm({ initial, canEdit }: { initial: { name: string; logoUrl: string; accentColor: string }; canEdit: boolean }) {
  const [state, action] = useActionState(updateSettingsAction, { ok: false, values: initial } as FormState);
  const values = state.values ?? initial;
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.ok && state.message ? <Notice>{state.message}</Notice> : <FormError message={state.message} />}
      <fieldset disabled={!canEdit} className="space-y-4">
        <Field label="Workspace name" name="name" required maxLength={80} defaultValue={values.name} error={errors.name} />
        <Field
          label="Logo URL"
          name="logoUrl"
          type="url"
          maxLength={500}
          placeholder="https://example.com/logo.svg"
          hint="Shown on the payment page payers see in a browser."
          defaultValue={values.logoUrl}
          error={errors.logoUrl}
        />
        <Field
          label="Accent colour"
          name="accentColor"
          maxLength={7}
          placeholder="#f59e0b"
          hint="Hex colour for buttons on the payment page."
          defaultValue={values.accentColor}
          error={errors.accentColor}
        />
        {canEdit && <SubmitButton pendingText="Saving…">Save settings</SubmitButton>}
      </fieldset>
      {!canEdit && <p className="text-sm text-stone-500">Viewers can see settings but not change them.</p>}
    </form>
  );
}
