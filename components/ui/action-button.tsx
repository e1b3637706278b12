"use client";
// A one-click change (enable, pin, revoke…): a small form posting hidden fields to a server
// action, a spinner while it runs, and the answer next to the button. With `confirm`, the
// click first opens a dialog that says what will happen.
import { useActionState, useEffect, useState } from "react";
import { SubmitButton } from "./button";
import { buttonClass, type ButtonVariant } from "./button-class";
import { Dialog } from "./dialog";
import { FormError } from "./field";
import { initialFormState, type FormState } from "@/lib/forms/state";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

interface ActionButtonProps {
  action: Action;
  fields: Record<string, string>;
  label: string;
  pendingLabel: string;
  variant?: ButtonVariant;
  className?: string;
}

export function ActionButton({ action, fields, label, pendingLabel, variant = "secondary", className = "" }: ActionButtonProps) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="inline-flex flex-wrap items-center gap-2">
      <HiddenFields fields={fields} />
      <SubmitButton variant={variant} pendingText={pendingLabel} className={`px-3 py-1.5 ${className}`}>
        {label}
      </SubmitButton>
      {!state.ok && state.message && (
        <span role="alert" className="text-xs text-red-700">
          {state.message}
        </span>
      )}
    </form>
  );
}

export function ConfirmButton({
  title,
  children,
  confirmLabel,
  ...props
}: ActionButtonProps & { title: string; children: React.ReactNode; confirmLabel: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={`${buttonClass(props.variant ?? "danger")} px-3 py-1.5 ${props.className ?? ""}`}
        onClick={() => setOpen(true)}
      >
        {props.label}
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={title}>
        <ConfirmForm {...props} confirmLabel={confirmLabel} onDone={() => setOpen(false)}>
          {children}
        </ConfirmForm>
      </Dialog>
    </>
  );
}

function ConfirmForm({
  action,
  fields,
  pendingLabel,
  confirmLabel,
  children,
  onDone,
}: ActionButtonProps & { confirmLabel: string; children: React.ReactNode; onDone: () => void }) {
  const [state, formAction] = useActionState(action, initialFormState);
  useEffect(() => {
    if (state.ok) onDone();
  }, [state, onDone]);
  return (
    <form action={formAction} className="space-y-4">
      <HiddenFields fields={fields} />
      <div className="text-sm text-stone-700">{children}</div>
      <FormError message={state.ok ? undefined : (state.message ?? Object.values(state.fieldErrors ?? {})[0])} />
      <div className="flex flex-wrap justify-end gap-2">
        <button type="button" className={buttonClass("secondary")} onClick={onDone}>
          Cancel
        </button>
        <SubmitButton variant="danger" pendingText={pendingLabel}>
          {confirmLabel}
        </SubmitButton>
      </div>
    </form>
  );
}

export function HiddenFields({ fields }: { fields: Record<string, string> }) {
  return Object.entries(fields).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
}
