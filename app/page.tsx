import Link from "next/link";
import { ButtonLink } from "@/components/marketing/button-link";
import { CodeBlock } from "@/components/marketing/code-block";
import { SiteFooter } from "@/components/marketing/site-footer";
import { SiteHeader } from "@/components/marketing/site-header";

const MIDDLEWARE = `import { l402 } from "@tollbooth/l402";
app.use("/premium", l402({ apiKey: process.env.TOLLBOOTH_API_KEY, priceSats: 10 }));
app.get("/premium", (req, res) => res.json({ data: "paid content" }));`;

const CHALLENGE = `HTTP/1.1 402 Payment Required
WWW-Authenticate: L402 macaroon="AgEJdG9sbGJvb3RoAkIAAPQmv1aYbQ...", invoice="lnbc100n1pn..."
Cache-Control: no-store
Content-Type: application/json

{
  "error": "Payment Required",
  "priceSats": 10,
  "invoice": "lnbc100n1pn...",
  "macaroon": "AgEJdG9sbGJvb3Ro...",
  "paymentHash": "9c41...",
  "expiresAt": "..."
}`;

const RETRY = `GET /premium HTTP/1.1
Authorization: L402 AgEJdG9sbGJvb3RoAkIAAPQmv1aYbQ...:367d86ebab62d3d6...

HTTP/1.1 200 OK
Content-Type: application/json

{"data":"paid content"}`;

const STEPS: { title: string; body: React.ReactNode }[] = [
  {
    title: "The caller gets a 402",
    body: (
      <>
        An unpaid request never reaches your handler. The middleware asks Tollbooth for an invoice at your price and answers{" "}
        <C>402 Payment Required</C> with a Lightning invoice and a macaroon in <C>WWW-Authenticate</C>.
      </>
    ),
  },
  {
    title: "They pay with any Lightning wallet",
    body: (
      <>
        The invoice is a standard BOLT11 invoice. Paying it returns a preimage, which is the proof of payment. Nobody needs an account with
        you or with us.
      </>
    ),
  },
  {
    title: "They retry with the proof",
    body: (
      <>
        Same request, one extra header: <C>Authorization: L402 &lt;macaroon&gt;:&lt;preimage&gt;</C>. The middleware checks the preimage
        against the payment hash locally before asking the service.
      </>
    ),
  },
  {
    title: "Tollbooth verifies once and credits you",
    body: (
      <>
        The token is redeemed exactly once; a replay gets a fresh 402. The payment goes to your balance in a double-entry ledger, minus a
        0.3% platform fee. Payouts to your Lightning address are coming soon.
      </>
    ),
  },
];

const PAYERS: { title: string; body: React.ReactNode }[] = [
  {
    title: "People",
    body: (
      <>
        A browser gets a payment page with a QR code: scan it with any Lightning wallet and the answer appears on the page. Other clients
        get the invoice as plain JSON.
      </>
    ),
  },
  {
    title: "Scripts",
    body: (
      <>
        <C>@tollbooth/l402</C> includes a <C>fetch</C> wrapper with a wallet interface and spending limits, plus a small CLI. Pay and retry
        in one call.
      </>
    ),
  },
  {
    title: "AI agents",
    body: (
      <>
        Any L402 client works unchanged: Lightning Labs&rsquo; tools, Alby&rsquo;s <C>fetchWithL402</C>, or ours. No API key to provision,
        no card on file, a budget set in sats.
      </>
    ),
  },
];

// Promised, not built yet: listed as such until they exist.
const COMING_SOON = ["Payouts to your Lightning address", "Webhooks"];

export default function HomePage() {
  return (
    <div className="flex min-h-dvh flex-col overflow-x-clip">
      <SiteHeader />

      <main id="main" className="flex-1">
        {/* Hero */}
        <section aria-labelledby="hero-title" className="border-b border-stone-200">
          <div className="mx-auto grid max-w-6xl grid-cols-1 gap-10 px-4 py-14 sm:px-6 sm:py-20 lg:grid-cols-[minmax(0,5fr)_minmax(0,6fr)] lg:items-center lg:gap-12">
            <div className="min-w-0">
              <p className="text-sm font-medium text-brand-700">L402: HTTP 402 + Lightning invoice + macaroon</p>
              <h1 id="hero-title" className="mt-3 text-4xl font-semibold tracking-tight text-balance text-stone-900 sm:text-5xl">
                Charge per API call, in bitcoin.
              </h1>
              <p className="mt-5 max-w-xl text-lg text-pretty text-stone-600">
                Add three lines of middleware and an API key. Unpaid requests get a Lightning invoice, paid ones reach your handler, and
                Tollbooth checks each payment once and keeps the books.
              </p>
              <div className="mt-8 flex flex-wrap gap-3">
                <ButtonLink href="/sign-up" className="px-5 py-2.5">
                  Start free
                </ButtonLink>
                <a
                  href="#how-it-works"
                  className="inline-flex items-center justify-center rounded-md border border-stone-300 bg-white px-5 py-2.5 text-sm font-medium text-stone-900 transition hover:bg-stone-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2"
                >
                  How it works
                </a>
              </div>
              <p className="mt-4 text-sm text-stone-500">Test keys run on a simulated Lightning node. No monthly fee.</p>
            </div>

            <div className="min-w-0 space-y-3">
              <CodeBlock code="$ npm install @tollbooth/l402" lang="sh" copy caption="terminal" />
              <CodeBlock code={MIDDLEWARE} lang="ts" copy caption="server.ts (Express)" />
              <p className="text-sm text-stone-600">
                Fetch-style handlers (Next.js route handlers, Hono, Workers) work too: wrap the handler with <C>withL402</C>. Until the
                package is on the npm registry, install it from a Tollbooth checkout: <C>npm install ./packages/l402</C>.
              </p>
            </div>
          </div>
        </section>

        {/* How it works */}
        <section id="how-it-works" aria-labelledby="how-title" className="scroll-mt-20 border-b border-stone-200 bg-white">
          <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6 sm:py-20">
            <SectionHeading id="how-title" kicker="How it works" title="What happens on each call">
              You set a price per endpoint. The protocol and the bookkeeping are ours.
            </SectionHeading>
            <ol className="mt-10 grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
              {STEPS.map((step, i) => (
                <li key={step.title} className="min-w-0 rounded-xl border border-stone-200 bg-stone-50 p-5">
                  <span
                    aria-hidden
                    className="flex size-7 items-center justify-center rounded-full bg-stone-900 font-mono text-xs font-semibold text-brand-500"
                  >
                    {i + 1}
                  </span>
                  <h3 className="mt-4 font-semibold text-stone-900">{step.title}</h3>
                  <p className="mt-2 text-sm leading-6 text-stone-600">{step.body}</p>
                </li>
              ))}
            </ol>
          </div>
        </section>

        {/* On the wire */}
        <section aria-labelledby="wire-title" className="border-b border-stone-200">
          <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6 sm:py-20">
            <SectionHeading id="wire-title" kicker="On the wire" title="Plain HTTP, standard L402">
              The challenge uses the <C>macaroon=&quot;…&quot;, invoice=&quot;…&quot;</C> form that existing L402 clients parse. The same
              invoice is in the JSON body for clients that read bodies, not headers.
            </SectionHeading>
            <div className="mt-10 grid grid-cols-1 gap-6 lg:grid-cols-2">
              <div className="min-w-0">
                <h3 className="mb-3 text-sm font-medium text-stone-700">1. An unpaid call</h3>
                <CodeBlock code={CHALLENGE} lang="http" caption="402 response" />
              </div>
              <div className="min-w-0">
                <h3 className="mb-3 text-sm font-medium text-stone-700">2. After paying the invoice</h3>
                <CodeBlock code={RETRY} lang="http" caption="retry with the preimage" />
              </div>
            </div>
            <p className="mt-6 max-w-3xl text-sm text-stone-600">
              Expired, revoked, already-used or malformed credentials get a fresh 402 with a JSON reason, so a client always knows what to
              do next. <C>LSAT</C> credentials from older clients are accepted too.
            </p>
          </div>
        </section>

        {/* Who pays */}
        <section aria-labelledby="payers-title" className="border-b border-stone-200 bg-white">
          <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6 sm:py-20">
            <SectionHeading id="payers-title" kicker="Who pays" title="Anyone with a Lightning wallet">
              No sign-up form between a caller and your endpoint. The payment is the credential.
            </SectionHeading>
            <ul className="mt-10 grid grid-cols-1 gap-4 md:grid-cols-3">
              {PAYERS.map((p) => (
                <li key={p.title} className="min-w-0 rounded-xl border border-stone-200 bg-stone-50 p-5">
                  <h3 className="font-semibold text-stone-900">{p.title}</h3>
                  <p className="mt-2 text-sm leading-6 text-stone-600">{p.body}</p>
                </li>
              ))}
            </ul>
          </div>
        </section>

        {/* Pricing */}
        <section id="pricing" aria-labelledby="pricing-title" className="scroll-mt-20">
          <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6 sm:py-20">
            <div className="grid grid-cols-1 gap-10 lg:grid-cols-2 lg:items-center">
              <SectionHeading id="pricing-title" kicker="Pricing" title="0.3% of each payment. Nothing else.">
                The fee is taken when a payment settles, in millisatoshis, rounded down in your favour. On a 100 sat call you keep 99.7
                sats.
              </SectionHeading>
              <div className="min-w-0 rounded-2xl border border-stone-200 bg-white p-6 shadow-sm sm:p-8">
                <p className="flex items-baseline gap-2">
                  <span className="text-5xl font-semibold tracking-tight text-stone-900">0.3%</span>
                  <span className="text-stone-600">per payment</span>
                </p>
                <ul className="mt-6 space-y-3 text-sm text-stone-700">
                  <Check>No monthly fee and no minimum fee.</Check>
                  <Check>Test keys with a simulated Lightning node: build and test the whole flow without moving real sats.</Check>
                  <Check>Every payment in a double-entry ledger, with a stats API, payment lists and CSV export.</Check>
                  <Check>
                    A dashboard: totals, charts and live payments, endpoints and keys, payment history and your balance, test and live
                    apart.
                  </Check>
                </ul>
                <p className="mt-6 text-xs font-medium tracking-wide text-stone-500 uppercase" id="coming-soon">
                  Coming soon
                </p>
                <ul aria-labelledby="coming-soon" className="mt-2 space-y-2 text-sm text-stone-500">
                  {COMING_SOON.map((item) => (
                    <Soon key={item}>{item}</Soon>
                  ))}
                </ul>
                <ButtonLink href="/sign-up" className="mt-8 w-full py-2.5">
                  Start free
                </ButtonLink>
                <p className="mt-3 text-center text-xs text-stone-500">
                  Already have an account?{" "}
                  <Link href="/sign-in" className="font-medium text-stone-700 underline underline-offset-2 hover:text-stone-900">
                    Sign in
                  </Link>
                </p>
              </div>
            </div>
          </div>
        </section>
      </main>

      <SiteFooter />
    </div>
  );
}

function SectionHeading({ id, kicker, title, children }: { id: string; kicker: string; title: string; children?: React.ReactNode }) {
  return (
    <div className="min-w-0 max-w-2xl">
      <p className="text-sm font-medium text-brand-700">{kicker}</p>
      <h2 id={id} className="mt-2 text-3xl font-semibold tracking-tight text-balance text-stone-900">
        {title}
      </h2>
      {children && <p className="mt-4 text-base text-pretty text-stone-600">{children}</p>}
    </div>
  );
}

/** Inline code that may break anywhere, so long tokens never push the page wider than the phone. */
function C({ children }: { children: React.ReactNode }) {
  return <code className="rounded bg-stone-200/60 px-1 py-0.5 font-mono text-[0.875em] text-stone-900 wrap-anywhere">{children}</code>;
}

function Soon({ children }: { children: React.ReactNode }) {
  return (
    <li className="flex gap-3">
      <svg
        aria-hidden
        viewBox="0 0 20 20"
        className="mt-0.5 size-4 shrink-0 text-stone-400"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.75"
      >
        <circle cx="10" cy="10" r="7.25" />
        <path d="M10 6v4l2.5 2" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span>{children}</span>
    </li>
  );
}

function Check({ children }: { children: React.ReactNode }) {
  return (
    <li className="flex gap-3">
      <svg aria-hidden viewBox="0 0 20 20" className="mt-0.5 size-4 shrink-0 text-brand-600" fill="currentColor">
        <path
          fillRule="evenodd"
          d="M16.7 5.3a1 1 0 0 1 0 1.4l-7.5 7.5a1 1 0 0 1-1.4 0L3.3 9.7a1 1 0 1 1 1.4-1.4l3.8 3.8 6.8-6.8a1 1 0 0 1 1.4 0Z"
          clipRule="evenodd"
        />
      </svg>
      <span>{children}</span>
    </li>
  );
}
