"use client";
// Add an endpoint, or change one's price, token lifetime, uses and description. Closes its
// dialog once saved; what was typed stays when the server says no.
import { useActionState, useEffect, useState } from "react";
import { createEndpointAction, updateEndpointAction } from "@/app/dashboard/endpoints/actions";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { HTTP_METHODS } from "@/lib/endpoints/schemas";
import { initialFormState } from "@/lib/forms/state";
import type { EndpointListRow } from "@/lib/endpoints/queries/endpoint-list";

const SELECT = "block w-full rounded-md border border-stone-300 bg-white px-2 py-2 text-base sm:text-sm";

export function EndpointForm({ endpoint, onDone }: { endpoint?: EndpointListRow; onDone: () => void }) {
  const [state, action] = useActionState(endpoint ? updateEndpointAction : createEndpointAction, initialFormState);
  useEffect(() => {
    if (state.ok) onDone();
  }, [state, onDone]);
  const values = state.values ?? {};
  const errors = state.fieldErrors ?? {};
  const value = (name: string, fallback: string | number | null | undefined) => values[name] ?? String(fallback ?? "");
  const [pricingMode, setPricingMode] = useState(value("pricingMode", endpoint?.pricingMode ?? "fixed"));
  const metered = pricingMode === "metered";
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormError message={state.ok ? undefined : state.message} />
      {endpoint ? (
        <input type="hidden" name="endpointId" value={endpoint.id} />
      ) : (
        <div className="grid grid-cols-[6.5rem_1fr] gap-3">
          <div className="space-y-1">
            <label htmlFor="method" className="block text-sm font-medium text-stone-700">
              Method
            </label>
            <select
              id="method"
              name="method"
              defaultValue={value("method", "GET")}
              className="block w-full rounded-md border border-stone-300 bg-white px-2 py-2 text-base sm:text-sm"
            >
              {HTTP_METHODS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
            {errors.method && <span className="block text-sm text-red-700">{errors.method}</span>}
          </div>
          <Field
            label="Path"
            name="path"
            required
            maxLength={300}
            placeholder="/premium"
            hint="Exact, /users/:id or /files/*"
            defaultValue={value("path", "")}
            error={errors.path}
          />
        </div>
      )}
      <div className="space-y-1">
        <label htmlFor="pricingMode" className="block text-sm font-medium text-stone-700">
          Pricing
        </label>
        <select
          id="pricingMode"
          name="pricingMode"
          value={pricingMode}
          onChange={(event) => setPricingMode(event.target.value)}
          className={SELECT}
        >
          <option value="fixed">Fixed price per call (or per N calls / time pass)</option>
          <option value="metered">Metered: a prepaid deposit, each call charged what it costs</option>
        </select>
        {endpoint?.dynamicPrice && endpoint.discovered && (
          <span className="block text-xs text-stone-500">
            The price is set by code (a priceSats function): each invoice carries its own.
          </span>
        )}
      </div>
      <div className="grid gap-3 sm:grid-cols-3">
        <Field
          label={metered ? "Deposit (sats)" : "Price (sats)"}
          name="priceSats"
          type="number"
          inputMode="numeric"
          min={1}
          required
          defaultValue={value("priceSats", endpoint?.priceSats ?? 10)}
          error={errors.priceSats}
        />
        <Field
          label="Token lifetime (s)"
          name="tokenLifetimeSeconds"
          type="number"
          inputMode="numeric"
          min={60}
          hint="3600 = 1 hour"
          defaultValue={value("tokenLifetimeSeconds", endpoint?.tokenLifetimeSeconds ?? 3600)}
          error={errors.tokenLifetimeSeconds}
        />
        {metered ? (
          <Field
            label="Max per call (sats)"
            name="maxCostPerCallSats"
            type="number"
            inputMode="numeric"
            min={1}
            hint="Reserved at each call; empty = the whole balance"
            defaultValue={value("maxCostPerCallSats", endpoint?.maxCostPerCallSats)}
            error={errors.maxCostPerCallSats}
          />
        ) : (
          <Field
            label="Calls per payment"
            name="usesPerPayment"
            type="number"
            inputMode="numeric"
            min={0}
            hint="0 = unlimited until the token expires"
            defaultValue={value("usesPerPayment", endpoint?.usesPerPayment ?? 1)}
            error={errors.usesPerPayment}
          />
        )}
      </div>
      {metered && (
        <div className="space-y-1">
          <label htmlFor="balanceExpiry" className="block text-sm font-medium text-stone-700">
            When the token expires
          </label>
          <select
            id="balanceExpiry"
            name="balanceExpiry"
            defaultValue={value("balanceExpiry", endpoint?.balanceExpiry ?? "owner")}
            className={SELECT}
          >
            <option value="owner">What is left is kept by you (posted as its own entry)</option>
            <option value="never">The balance never expires</option>
          </select>
          {errors.balanceExpiry && <span className="block text-sm text-red-700">{errors.balanceExpiry}</span>}
        </div>
      )}
      <Field
        label="Description (optional)"
        name="description"
        maxLength={500}
        placeholder="What the payer gets"
        defaultValue={value("description", endpoint?.description)}
        error={errors.description}
      />
      {endpoint?.discovered && (
        <p className="rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900">
          Saving makes this a registered endpoint: its price stops following the <code>priceSats</code> in your code.
        </p>
      )}
      <div className="flex justify-end gap-2">
        <SubmitButton pendingText="Saving…">{endpoint ? "Save changes" : "Add endpoint"}</SubmitButton>
      </div>
    </form>
  );
}
