"use client";
import { useActionState } from "react";
import { setLightningAddressAction } from "@/app/dashboard/settings/actions";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormError, Notice } from "@/components/ui/field";
import type { FormState } from "@/lib/forms/state";

export function LightningAddressForm({
  initial,
  canEdit,
  example,
  cooldownHours,
}: {
  initial: string;
  canEdit: boolean;
  example?: string;
  cooldownHours: number;
}) {
  const [state, action] = useActionState(setLightningAddressAction, { ok: false, values: { lightningAddress: initial } } as FormState);
  const value = state.values?.lightningAddress ?? initial;
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.ok && state.message ? <Notice>{state.message}</Notice> : <FormError message={state.message} />}
      <fieldset disabled={!canEdit} className="space-y-4">
        <Field
          label="Lightning address"
          name="lightningAddress"
          type="text"
          inputMode="email"
          autoComplete="off"
          spellCheck={false}
          maxLength={320}
          placeholder="you@getalby.com"
          hint={`Checked by looking up its LNURL-pay document before it is saved.${example ? ` In development, try ${example}.` : ""} Leave empty to remove.`}
          defaultValue={value}
          key={value}
          error={state.fieldErrors?.lightningAddress}
        />
        <Field
          label="Your password"
          name="password"
          type="password"
          autoComplete="current-password"
          hint={`Asked again because this decides where your money goes. After a change, payouts wait ${cooldownHours} hours.`}
          error={state.fieldErrors?.password}
        />
        {canEdit && <SubmitButton pendingText="Checking…">Save Lightning address</SubmitButton>}
      </fieldset>
      {!canEdit && <p className="text-sm text-stone-500">Viewers can see the Lightning address but not change it.</p>}
    </form>
  );
}
