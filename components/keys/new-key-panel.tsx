"use client";
// A new key, shown once: the key with a copy button, and the middleware snippet with the
// key filled in (README, "Put it in front of your API").
import { CodeBlock } from "@/components/marketing/code-block";
import { CopyButton } from "@/components/marketing/copy-button";
import { buttonClass } from "@/components/ui/button-class";
import { formatUtc } from "@/lib/format/time";

export function NewKeyPanel({
  apiKey,
  mode,
  serviceUrl,
  oldKeyExpiresAt,
  dashboardMode,
}: {
  apiKey: string;
  mode: "test" | "live";
  serviceUrl: string;
  oldKeyExpiresAt?: string;
  dashboardMode: "test" | "live";
}) {
  const env = `# your API's environment (.env)\nTOLLBOOTH_API_KEY=${apiKey}\nTOLLBOOTH_URL=${serviceUrl}`;
  const code = `import { l402 } from "@tollbooth/l402";

app.use("/premium", l402({ apiKey: process.env.TOLLBOOTH_API_KEY, priceSats: 10 }));
app.get("/premium", (req, res) => res.json({ data: "paid content" }));`;
  return (
    <div className="space-y-4" data-testid="new-key">
      <div role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
        <p className="font-medium">Copy your new {mode} key now: it is shown only once.</p>
        <p className="mt-1 text-amber-900">Tollbooth keeps only a hash of it. If you lose it, rotate or create another.</p>
      </div>
      {oldKeyExpiresAt && (
        <p className="text-sm text-stone-700" data-testid="old-key-expiry">
          The old key keeps working until <strong>{formatUtc(new Date(oldKeyExpiresAt))}</strong>, then fails with{" "}
          <code className="rounded bg-stone-100 px-1">api_key_expired</code>.
        </p>
      )}
      <div className="flex flex-col gap-2 sm:flex-row">
        <input
          readOnly
          value={apiKey}
          aria-label="New API key"
          data-testid="new-key-value"
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-stone-300 bg-stone-50 px-3 py-2 font-mono text-xs"
        />
        <CopyButton text={apiKey} label="Copy key" className={buttonClass("primary")} />
      </div>
      {mode !== dashboardMode && (
        <p className="text-sm text-stone-600">
          This is a {mode} key: switch the dashboard to {mode} mode to see it in the list.
        </p>
      )}
      <div className="space-y-2">
        <p className="text-sm font-medium text-stone-800">Put it in front of your API</p>
        <CodeBlock code={env} lang="sh" caption=".env" copy />
        <CodeBlock code={code} lang="ts" caption="server.ts (Express)" copy />
        <p className="text-xs text-stone-500">
          Fetch-style handlers (Next.js, Hono, Workers) use <code>withL402(handler, options)</code> the same way.
        </p>
      </div>
    </div>
  );
}
