"use client";
// What an owner or admin can do to one endpoint: edit, switch off/on, pin a discovered
// price, delete (after a confirmation that says what deleting does).
import { useCallback, useState } from "react";
import { deleteEndpointAction, pinEndpointAction, toggleEndpointAction } from "@/app/dashboard/endpoints/actions";
import { ActionButton, ConfirmButton } from "@/components/ui/action-button";
import { buttonClass } from "@/components/ui/button-class";
import { Dialog } from "@/components/ui/dialog";
import type { EndpointListRow } from "@/lib/endpoints/queries/endpoint-list";
import { EndpointForm } from "./endpoint-form";

export function AddEndpointButton({ label = "Add endpoint" }: { label?: string }) {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  return (
    <>
      <button type="button" className={buttonClass("primary")} onClick={() => setOpen(true)}>
        {label}
      </button>
      <Dialog
        open={open}
        onClose={close}
        title="Add an endpoint"
        description="Callers pay this price, in sats, for each call (or for a pass of several)."
      >
        <EndpointForm onDone={close} />
      </Dialog>
    </>
  );
}

export function EndpointActions({ endpoint, className = "" }: { endpoint: EndpointListRow; className?: string }) {
  const [editing, setEditing] = useState(false);
  const close = useCallback(() => setEditing(false), []);
  const label = `${endpoint.method} ${endpoint.path}`;
  const fields = { endpointId: endpoint.id };
  return (
    <div className={`flex flex-wrap items-center gap-2 ${className}`}>
      {endpoint.discovered && (
        <ActionButton action={pinEndpointAction} fields={fields} label="Pin this price" pendingLabel="Pinning…" variant="primary" />
      )}
      <button
        type="button"
        className={`${buttonClass("secondary")} px-3 py-1.5`}
        onClick={() => setEditing(true)}
        aria-label={`Edit ${label}`}
      >
        Edit
      </button>
      <ActionButton
        action={toggleEndpointAction}
        fields={{ ...fields, enabled: String(!endpoint.enabled) }}
        label={endpoint.enabled ? "Disable" : "Enable"}
        pendingLabel={endpoint.enabled ? "Disabling…" : "Enabling…"}
      />
      <ConfirmButton
        action={deleteEndpointAction}
        fields={fields}
        label="Delete"
        pendingLabel="Deleting…"
        title={`Delete ${label}?`}
        confirmLabel="Delete endpoint"
      >
        <p>
          Tokens already sold for <strong className="font-mono">{label}</strong> stop working, and new calls are no longer priced by it.
          Past payments stay in your books.
        </p>
        <p className="mt-2">If your code still protects this route with a price, the next call registers it again as discovered.</p>
      </ConfirmButton>
      <Dialog open={editing} onClose={close} title={`Edit ${label}`}>
        <EndpointForm endpoint={endpoint} onDone={close} />
      </Dialog>
    </div>
  );
}
