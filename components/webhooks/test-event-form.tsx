"use client";
// "Send test event": pick a type, queue a test-flagged event to this endpoint only.
import { useActionState } from "react";
import { sendTestEventAction } from "@/app/dashboard/webhooks/actions";
import { SubmitButton } from "@/components/ui/button";
import { initialFormState } from "@/lib/forms/state";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/event-types";

export function TestEventForm({ endpointId, events }: { endpointId: string; events: string[] }) {
  const [state, action] = useActionState(sendTestEventAction, initialFormState);
  const types = WEBHOOK_EVENT_TYPES.filter((type) => events.includes(type));
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="endpointId" value={endpointId} />
      <label htmlFor="test-type" className="sr-only">
        Event type
      </label>
      <select id="test-type" name="type" className="rounded-md border border-stone-300 bg-white px-2 py-1.5 text-base sm:text-sm">
        {(types.length ? types : WEBHOOK_EVENT_TYPES).map((type) => (
          <option key={type} value={type}>
            {type}
          </option>
        ))}
      </select>
      <SubmitButton variant="secondary" pendingText="Sending…" className="px-3 py-1.5">
        Send test event
      </SubmitButton>
      {state.message && (
        <span role={state.ok ? "status" : "alert"} className={`text-xs ${state.ok ? "text-emerald-700" : "text-red-700"}`}>
          {state.message}
        </span>
      )}
    </form>
  );
}
