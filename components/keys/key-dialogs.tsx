"use client";
// Creating and rotating keys: each opens a dialog with its form, and on success the same
// dialog shows the new key once (closing it forgets the key).
import { useRouter } from "next/navigation";
import { useActionState, useCallback, useState } from "react";
import { createKeyAction, rotateKeyAction, type NewKeyState } from "@/app/dashboard/keys/actions";
import { SubmitButton } from "@/components/ui/button";
import { buttonClass } from "@/components/ui/button-class";
import { Dialog } from "@/components/ui/dialog";
import { Field, FormError } from "@/components/ui/field";
import { API_SCOPES, DEFAULT_API_SCOPES } from "@/lib/keys/scopes";
import { NewKeyPanel } from "./new-key-panel";

type Mode = "test" | "live";

const SCOPE_HELP: Record<(typeof API_SCOPES)[number], string> = {
  "invoices:write": "issue invoices and verify payments (what the middleware needs)",
  "stats:read": "read the stats API",
  "payments:read": "list and export payments",
  "endpoints:write": "register and change endpoints",
  "webhooks:write": "manage webhook endpoints and redeliver events",
  "payouts:read": "list payouts",
  "payouts:write": "pay out the balance now (to your own Lightning address)",
};

/** Open state of a dialog that may have shown a new key: closing it re-renders the page
 *  (the actions do not, so the key stays on screen until then). */
function useKeyDialog() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const close = useCallback(() => {
    setOpen(false);
    router.refresh();
  }, [router]);
  return { open, show: () => setOpen(true), close };
}

export function CreateKeyButton({ dashboardMode, label = "Create key" }: { dashboardMode: Mode; label?: string }) {
  const { open, show, close } = useKeyDialog();
  return (
    <>
      <button type="button" className={buttonClass("primary")} onClick={show}>
        {label}
      </button>
      <Dialog open={open} onClose={close} title="Create an API key">
        <CreateKeyForm dashboardMode={dashboardMode} onDone={close} />
      </Dialog>
    </>
  );
}

function CreateKeyForm({ dashboardMode, onDone }: { dashboardMode: Mode; onDone: () => void }) {
  const [state, action] = useActionState(createKeyAction, { ok: false } as NewKeyState);
  if (state.ok && state.key) return <Shown state={state} dashboardMode={dashboardMode} onDone={onDone} />;
  const values = state.values ?? {};
  const errors = state.fieldErrors ?? {};
  // The default scopes until the form comes back; then what was ticked.
  const chosenScopes = new Set<string>(values.scopes === undefined ? DEFAULT_API_SCOPES : values.scopes.split(","));
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormError message={state.message} />
      <Field
        label="Name"
        name="name"
        required
        maxLength={80}
        placeholder="production server"
        hint="What uses it, so you know which key to rotate."
        defaultValue={values.name}
        error={errors.name}
      />
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-stone-700">Mode</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          {(["test", "live"] as const).map((mode) => (
            <label key={mode} className="flex items-center gap-2">
              <input type="radio" name="mode" value={mode} defaultChecked={(values.mode ?? dashboardMode) === mode} />
              {mode === "test" ? "Test (tb_test_, simulated Lightning)" : "Live (tb_live_, real sats)"}
            </label>
          ))}
        </div>
        {errors.mode && <span className="block text-sm text-red-700">{errors.mode}</span>}
      </fieldset>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-stone-700">Scopes</legend>
        {API_SCOPES.map((scope) => (
          <label key={scope} className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="scopes" value={scope} defaultChecked={chosenScopes.has(scope)} className="mt-1" />
            <span>
              <code className="font-mono text-xs">{scope}</code> <span className="text-stone-500">{SCOPE_HELP[scope]}</span>
            </span>
          </label>
        ))}
        {errors.scopes && <span className="block text-sm text-red-700">{errors.scopes}</span>}
      </fieldset>
      <Field
        label="Expires (optional)"
        name="expiresAt"
        type="date"
        hint="The key stops working at the end of this day (UTC). Empty: never."
        defaultValue={values.expiresAt}
        error={errors.expiresAt}
      />
      <div className="space-y-1">
        <label htmlFor="allowedIps" className="block text-sm font-medium text-stone-700">
          Allowed client IPs (optional)
        </label>
        <textarea
          id="allowedIps"
          name="allowedIps"
          rows={2}
          placeholder={"203.0.113.7\n2001:db8::/32"}
          defaultValue={values.allowedIps}
          aria-invalid={errors.allowedIps ? true : undefined}
          className={`block w-full rounded-md border bg-white px-3 py-2 font-mono text-sm ${errors.allowedIps ? "border-red-400" : "border-stone-300"}`}
        />
        {errors.allowedIps ? (
          <span className="block text-sm text-red-700">{errors.allowedIps}</span>
        ) : (
          <span className="block text-xs text-stone-500">Addresses or CIDR ranges, one per line. Empty: any address.</span>
        )}
      </div>
      <div className="flex justify-end">
        <SubmitButton pendingText="Creating…">Create key</SubmitButton>
      </div>
    </form>
  );
}

export function RotateKeyButton({ keyId, keyName, dashboardMode }: { keyId: string; keyName: string; dashboardMode: Mode }) {
  const { open, show, close } = useKeyDialog();
  return (
    <>
      <button type="button" className={`${buttonClass("secondary")} px-3 py-1.5`} onClick={show} aria-label={`Rotate ${keyName}`}>
        Rotate
      </button>
      <Dialog
        open={open}
        onClose={close}
        title={`Rotate “${keyName}”`}
        description="You get a new key with the same mode, scopes and allowed IPs. The old key keeps working for the grace period, so you can deploy the new one without downtime."
      >
        <RotateForm keyId={keyId} dashboardMode={dashboardMode} onDone={close} />
      </Dialog>
    </>
  );
}

function RotateForm({ keyId, dashboardMode, onDone }: { keyId: string; dashboardMode: Mode; onDone: () => void }) {
  const [state, action] = useActionState(rotateKeyAction, { ok: false } as NewKeyState);
  if (state.ok && state.key) return <Shown state={state} dashboardMode={dashboardMode} onDone={onDone} />;
  const values = state.values ?? {};
  const error = state.fieldErrors?.graceSeconds ?? state.fieldErrors?.keyId;
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormError message={state.message} />
      <input type="hidden" name="keyId" value={keyId} />
      <div className="space-y-1">
        <label htmlFor="graceAmount" className="block text-sm font-medium text-stone-700">
          Old key keeps working for
        </label>
        <div className="flex gap-2">
          <input
            id="graceAmount"
            name="graceAmount"
            type="number"
            inputMode="numeric"
            min={1}
            defaultValue={values.graceAmount ?? "24"}
            aria-invalid={error ? true : undefined}
            className={`block w-24 rounded-md border bg-white px-3 py-2 text-base sm:text-sm ${error ? "border-red-400" : "border-stone-300"}`}
          />
          <label htmlFor="graceUnit" className="sr-only">
            Unit
          </label>
          <select
            id="graceUnit"
            name="graceUnit"
            defaultValue={values.graceUnit ?? "hours"}
            className="block rounded-md border border-stone-300 bg-white px-2 py-2 text-base sm:text-sm"
          >
            <option value="minutes">minutes</option>
            <option value="hours">hours</option>
            <option value="days">days</option>
          </select>
        </div>
        {error ? (
          <span className="block text-sm text-red-700">{error}</span>
        ) : (
          <span className="block text-xs text-stone-500">1 minute to 30 days; 24 hours unless you choose otherwise.</span>
        )}
      </div>
      <div className="flex justify-end">
        <SubmitButton pendingText="Rotating…">Rotate key</SubmitButton>
      </div>
    </form>
  );
}

function Shown({ state, dashboardMode, onDone }: { state: NewKeyState; dashboardMode: Mode; onDone: () => void }) {
  return (
    <div className="space-y-4">
      <NewKeyPanel
        apiKey={state.key!}
        mode={state.mode ?? dashboardMode}
        serviceUrl={state.serviceUrl ?? ""}
        oldKeyExpiresAt={state.oldKeyExpiresAt}
        dashboardMode={dashboardMode}
      />
      <div className="flex justify-end">
        <button type="button" className={buttonClass("secondary")} onClick={onDone}>
          I have stored it: close
        </button>
      </div>
    </div>
  );
}
