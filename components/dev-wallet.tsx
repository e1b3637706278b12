"use client";
import { useState, useTransition } from "react";
import { buttonClass, Spinner } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";

interface Paid {
  preimage: string;
  paymentHash: string;
  amountSats: number;
  alreadyPaid: boolean;
  authorization?: string;
}

// Accepts a bare BOLT11 invoice or a whole WWW-Authenticate challenge; with a challenge
// the result includes the Authorization header to retry with.
function parseInput(text: string): { invoice: string; macaroon?: string } {
  const challenge = text.match(/(?:L402|LSAT)\s+(?:macaroon|token)="([^"]+)",\s*invoice="([^"]+)"/i);
  if (challenge) return { macaroon: challenge[1], invoice: challenge[2] };
  return { invoice: text.trim().replace(/^lightning:/i, "") };
}

export function DevWallet() {
  const [input, setInput] = useState("");
  const [error, setError] = useState<string>();
  const [paid, setPaid] = useState<Paid>();
  const [pending, startTransition] = useTransition();

  function pay(event: React.FormEvent) {
    event.preventDefault();
    setError(undefined);
    setPaid(undefined);
    const { invoice, macaroon } = parseInput(input);
    startTransition(async () => {
      const response = await fetch("/api/dev/pay", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ invoice }),
      });
      const body = await response.json();
      if (!response.ok) {
        setError(body.error?.message ?? "Payment failed.");
        return;
      }
      setPaid({ ...body, authorization: macaroon ? `L402 ${macaroon}:${body.preimage}` : undefined });
    });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={pay} className="space-y-3">
        <label htmlFor="invoice" className="block text-sm font-medium text-stone-700">
          Invoice or WWW-Authenticate challenge
        </label>
        <textarea
          id="invoice"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          rows={5}
          required
          placeholder={'lntb100n1… or L402 macaroon="…", invoice="lntb…"'}
          className="block w-full rounded-md border border-stone-300 bg-white px-3 py-2 font-mono text-xs shadow-sm outline-none focus:ring-2 focus:ring-brand-500"
        />
        <button type="submit" disabled={pending || !input.trim()} aria-busy={pending} className={buttonClass()}>
          {pending && <Spinner />}
          {pending ? "Paying…" : "Pay with the simulated node"}
        </button>
      </form>
      <FormError message={error} />
      {paid && (
        <div role="status" className="space-y-3 rounded-lg border border-emerald-200 bg-emerald-50 p-4 text-sm">
          <p className="font-medium text-emerald-900">
            {paid.alreadyPaid ? "Already paid earlier" : "Paid"} {paid.amountSats.toLocaleString()} sats (simulated).
          </p>
          <Output label="Preimage (proof of payment)" value={paid.preimage} testId="preimage" />
          {paid.authorization && (
            <Output label="Retry your request with this header" value={`Authorization: ${paid.authorization}`} testId="authorization" />
          )}
        </div>
      )}
    </div>
  );
}

function Output({ label, value, testId }: { label: string; value: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div>
      <p className="text-xs font-medium text-emerald-900">{label}</p>
      <div className="mt-1 flex flex-col gap-2 sm:flex-row">
        <code
          data-testid={testId}
          className="block min-w-0 flex-1 break-all rounded border border-emerald-300 bg-white px-2 py-1 font-mono text-xs"
        >
          {value}
        </code>
        <button
          type="button"
          className={buttonClass("secondary")}
          onClick={async () => {
            await navigator.clipboard?.writeText(value);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}
