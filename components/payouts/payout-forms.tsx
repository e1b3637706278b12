"use client";
// The payouts page's two forms: "Pay out now" and the automatic payout settings.
import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import { payOutNowAction, updatePayoutSettingsAction } from "@/app/dashboard/payouts/actions";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormError, Notice } from "@/components/ui/field";
import { initialFormState, type FormState } from "@/lib/forms/state";

export function PayOutNowForm({ idempotencyKey, disabled, label }: { idempotencyKey: string; disabled: boolean; label: string }) {
  const [state, action] = useActionState(payOutNowAction, initialFormState);
  const router = useRouter();
  // The payout runs in the worker within seconds: look again a few times.
  useEffect(() => {
    if (!state.ok) return;
    const timers = [1500, 4000, 8000].map((ms) => setTimeout(() => router.refresh(), ms));
    return () => timers.forEach(clearTimeout);
  }, [state, router]);
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      {state.ok && state.message ? (
        <Notice>{state.message}</Notice>
      ) : (
        <FormError message={state.message ?? state.fieldErrors?.amountSats} />
      )}
      <fieldset disabled={disabled}>
        <SubmitButton pendingText="Starting payout…">{label}</SubmitButton>
      </fieldset>
    </form>
  );
}

export function PayoutSettingsForm({
  thresholdSats,
  autoPayouts,
  canEdit,
}: {
  thresholdSats: number;
  autoPayouts: boolean;
  canEdit: boolean;
}) {
  const [state, action] = useActionState(updatePayoutSettingsAction, {
    ok: false,
    values: { thresholdSats: String(thresholdSats), autoPayouts: autoPayouts ? "on" : "" },
  } as FormState);
  const values = state.values ?? {};
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.ok && state.message ? <Notice>{state.message}</Notice> : <FormError message={state.message} />}
      <fieldset disabled={!canEdit} className="space-y-4">
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="autoPayouts" defaultChecked={values.autoPayouts === "on"} className="mt-1" />
          <span>
            <span className="font-medium text-stone-800">Pay out automatically</span>
            <span className="block text-stone-500">When the available balance reaches the threshold (checked every minute).</span>
          </span>
        </label>
        <Field
          label="Threshold (sats)"
          name="thresholdSats"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          defaultValue={values.thresholdSats}
          key={values.thresholdSats}
          hint="Never below the smallest payment your Lightning address takes."
          error={state.fieldErrors?.thresholdSats}
        />
        {canEdit && <SubmitButton pendingText="Saving…">Save payout settings</SubmitButton>}
      </fieldset>
      {!canEdit && <p className="text-sm text-stone-500">Viewers can see the payout settings but not change them.</p>}
    </form>
  );
}
