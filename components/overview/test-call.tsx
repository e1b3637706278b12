"use client";
// "Make a test call": runs the whole L402 round trip on the server (runTestCallAction) and
// shows each step: the 402 with its invoice, the dev wallet's payment with the preimage,
// the 200 with the handler's answer. Then the page refreshes, so the numbers move.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { runTestCallAction, type TestCallState } from "@/app/dashboard/test-call-actions";
import { buttonClass, Spinner } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";

interface EndpointOption {
  id: string;
  method: string;
  path: string;
  priceSats: number;
}

const short = (value: string, keep = 18) => (value.length > keep * 2 + 1 ? `${value.slice(0, keep)}…${value.slice(-8)}` : value);

export function TestCallPanel({ endpoints, canRun }: { endpoints: EndpointOption[]; canRun: boolean }) {
  const router = useRouter();
  const [endpointId, setEndpointId] = useState(endpoints[0]?.id ?? "");
  const [state, setState] = useState<TestCallState>();
  const [pending, startTransition] = useTransition();

  if (!canRun) return <p className="text-sm text-stone-500">Viewers can see test calls but not make them.</p>;
  if (endpoints.length === 0) {
    return (
      <p className="text-sm text-stone-600">
        Add an endpoint first: a test call pays for one of your endpoints, at its price.{" "}
        <a href="/dashboard/endpoints" className="font-medium text-brand-700 underline-offset-2 hover:underline">
          Add an endpoint
        </a>
      </p>
    );
  }

  function run() {
    setState(undefined);
    startTransition(async () => {
      const outcome = await runTestCallAction({ endpointId });
      setState(outcome);
      if (outcome.ok) router.refresh();
    });
  }

  const result = state?.ok ? state.result : undefined;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        {endpoints.length > 1 && (
          <label className="w-full min-w-0 space-y-1 text-sm sm:w-auto">
            <span className="block font-medium text-stone-700">Endpoint</span>
            <select
              value={endpointId}
              onChange={(e) => setEndpointId(e.target.value)}
              className="block w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-base shadow-sm sm:w-72 sm:text-sm"
            >
              {endpoints.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.method} {e.path} · {e.priceSats} sats
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" onClick={run} disabled={pending} aria-busy={pending} className={buttonClass()} data-testid="test-call-button">
          {pending && <Spinner />}
          {pending ? "Calling…" : result ? "Make another test call" : "Make a test call"}
        </button>
      </div>
      {state && !state.ok && <FormError message={state.message} />}
      {(pending || result) && (
        <ol className="space-y-3" aria-live="polite" data-testid="test-call-steps">
          <Step n={1} title="402 Payment Required" pending={pending} testId="test-call-step-402">
            {result && (
              <>
                <p>
                  {result.endpoint} (called as <code>{result.path}</code>) asked for <strong>{result.challenge.amountSats} sats</strong>.
                </p>
                <p className="break-all font-mono text-xs text-stone-500" title={result.challenge.invoice}>
                  invoice {short(result.challenge.invoice, 24)}
                </p>
              </>
            )}
          </Step>
          <Step n={2} title="Paid with the dev wallet" pending={pending} testId="test-call-step-paid">
            {result && (
              <p className="break-all font-mono text-xs text-stone-500" title={result.payment.preimage}>
                preimage {short(result.payment.preimage)}
              </p>
            )}
          </Step>
          <Step n={3} title={result ? `${result.answer.status} OK` : "200 OK"} pending={pending} testId="test-call-step-200">
            {result && (
              <>
                <pre className="overflow-x-auto rounded-md bg-stone-900 p-3 text-xs text-stone-100">
                  {JSON.stringify(result.answer.body, null, 2)}
                </pre>
                <p className="text-xs text-stone-500">
                  Settled in the test book: payment{" "}
                  <a href={`/dashboard/payments/${result.payment.paymentHash}`} className="font-mono underline-offset-2 hover:underline">
                    {short(result.payment.paymentHash, 8)}
                  </a>
                  .
                </p>
              </>
            )}
          </Step>
        </ol>
      )}
    </div>
  );
}

function Step({
  n,
  title,
  pending,
  testId,
  children,
}: {
  n: number;
  title: string;
  pending: boolean;
  testId: string;
  children?: React.ReactNode;
}) {
  return (
    <li className="flex gap-3" data-testid={testId} data-state={pending ? "pending" : "done"}>
      <span
        aria-hidden
        className={`flex size-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${pending ? "bg-stone-100 text-stone-500" : "bg-emerald-600 text-white"}`}
      >
        {pending ? <Spinner /> : n}
      </span>
      <div className="min-w-0 flex-1 space-y-1 text-sm text-stone-700">
        <p className="font-medium text-stone-900">{title}</p>
        {children}
      </div>
    </li>
  );
}
