"use client";
// Adding an endpoint and rotating its secret: each opens a dialog with its form, and on
// success the same dialog shows the signing secret once (closing it forgets the secret and
// refreshes the page).
import { useRouter } from "next/navigation";
import { useActionState, useCallback, useState } from "react";
import { createWebhookAction, rotateWebhookSecretAction, type SecretState } from "@/app/dashboard/webhooks/actions";
import { CopyButton } from "@/components/marketing/copy-button";
import { SubmitButton } from "@/components/ui/button";
import { buttonClass } from "@/components/ui/button-class";
import { Dialog } from "@/components/ui/dialog";
import { Field, FormError } from "@/components/ui/field";
import { formatUtc } from "@/lib/format/time";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/event-types";

export const EVENT_HELP: Record<(typeof WEBHOOK_EVENT_TYPES)[number], string> = {
  "payment.settled": "a payment settled and was credited to you",
  "payment.failed_call": "a paid call failed and its use was given back",
  "payout.succeeded": "a payout reached your Lightning address",
  "payout.failed": "a payout failed (with the reason)",
  "balance.low": "a prepaid balance ran low",
  "key.expiring": "an API key expires within 7 days or 1 day",
};

function useSecretDialog() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const close = useCallback(() => {
    setOpen(false);
    router.refresh();
  }, [router]);
  return { open, show: () => setOpen(true), close };
}

export function AddWebhookButton({ mode, label = "Add endpoint" }: { mode: "test" | "live"; label?: string }) {
  const { open, show, close } = useSecretDialog();
  return (
    <>
      <button type="button" className={buttonClass("primary")} onClick={show}>
        {label}
      </button>
      <Dialog
        open={open}
        onClose={close}
        title={`Add a ${mode} webhook endpoint`}
        description="Tollbooth POSTs signed JSON events to this URL."
      >
        <AddWebhookForm onDone={close} />
      </Dialog>
    </>
  );
}

function AddWebhookForm({ onDone }: { onDone: () => void }) {
  const [state, action] = useActionState(createWebhookAction, { ok: false } as SecretState);
  if (state.ok && state.secret) return <SecretPanel state={state} onDone={onDone} />;
  const values = state.values ?? {};
  const errors = state.fieldErrors ?? {};
  const chosen = new Set(values.events === undefined ? ["payment.settled"] : values.events.split(","));
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormError message={state.message} />
      <Field
        label="Endpoint URL"
        name="url"
        type="url"
        required
        placeholder="https://api.example.com/webhooks/tollbooth"
        defaultValue={values.url}
        error={errors.url}
      />
      <Field
        label="Description (optional)"
        name="description"
        maxLength={200}
        defaultValue={values.description}
        error={errors.description}
      />
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-stone-700">Events</legend>
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <label key={type} className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="events" value={type} defaultChecked={chosen.has(type)} className="mt-1" />
            <span>
              <code className="font-mono text-xs">{type}</code> <span className="text-stone-500">{EVENT_HELP[type]}</span>
            </span>
          </label>
        ))}
        {errors.events && <span className="block text-sm text-red-700">{errors.events}</span>}
      </fieldset>
      <div className="flex justify-end">
        <SubmitButton pendingText="Adding…">Add endpoint</SubmitButton>
      </div>
    </form>
  );
}

export function RotateSecretButton({ endpointId }: { endpointId: string }) {
  const { open, show, close } = useSecretDialog();
  return (
    <>
      <button type="button" className={`${buttonClass("secondary")} px-3 py-1.5`} onClick={show}>
        Rotate secret
      </button>
      <Dialog
        open={open}
        onClose={close}
        title="Rotate the signing secret"
        description="Events are signed with the new secret at once. During the grace period they carry a second signature made with the old one, so your receiver keeps verifying while you deploy the new secret."
      >
        <RotateForm endpointId={endpointId} onDone={close} />
      </Dialog>
    </>
  );
}

function RotateForm({ endpointId, onDone }: { endpointId: string; onDone: () => void }) {
  const [state, action] = useActionState(rotateWebhookSecretAction, { ok: false } as SecretState);
  if (state.ok && state.secret) return <SecretPanel state={state} onDone={onDone} />;
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormError message={state.message} />
      <input type="hidden" name="endpointId" value={endpointId} />
      <Field
        label="Old secret keeps signing for (hours)"
        name="graceHours"
        type="number"
        inputMode="numeric"
        min={0}
        max={168}
        defaultValue={state.values?.graceHours ?? "24"}
        hint="0 to 168 hours; 24 unless you choose otherwise. 0 stops the old secret at once."
        error={state.fieldErrors?.graceHours}
      />
      <div className="flex justify-end">
        <SubmitButton pendingText="Rotating…">Rotate secret</SubmitButton>
      </div>
    </form>
  );
}

function SecretPanel({ state, onDone }: { state: SecretState; onDone: () => void }) {
  const secret = state.secret ?? "";
  return (
    <div className="space-y-4" data-testid="webhook-secret">
      <div role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
        <p className="font-medium">Copy the signing secret now: it is shown only once.</p>
        <p className="mt-1 text-amber-900">Verify each event with it (verifyWebhook in @tollbooth/l402). Lost it? Rotate.</p>
      </div>
      {state.previousSecretExpiresAt && (
        <p className="text-sm text-stone-700">
          The old secret also signs until <strong>{formatUtc(new Date(state.previousSecretExpiresAt))}</strong>.
        </p>
      )}
      <div className="flex flex-col gap-2 sm:flex-row">
        <input
          readOnly
          value={secret}
          aria-label="Signing secret"
          data-testid="webhook-secret-value"
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-stone-300 bg-stone-50 px-3 py-2 font-mono text-xs"
        />
        <CopyButton text={secret} label="Copy secret" className={buttonClass("primary")} />
      </div>
      <div className="flex justify-end">
        <button type="button" className={buttonClass("secondary")} onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
