import Link from "next/link";
import type { OnboardingChecklist } from "@/lib/onboarding/checklist";

const DETAILS: Record<string, string> = {
  lightning_address: "Where your payouts go. Checked against its LNURL-pay document.",
  endpoint: "The route you charge for, with its price in sats.",
  api_key: "Your API's key for the middleware. Shown once, with the snippet to paste.",
  test_call: "A real 402 → pay → 200 round trip, paid by the dev wallet.",
  seen: "The payment in your totals, charts and recent payments.",
};

export function Checkmark({ done }: { done: boolean }) {
  return done ? (
    <span aria-hidden className="flex size-6 shrink-0 items-center justify-center rounded-full bg-emerald-600 text-white">
      <svg viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="2.5" aria-hidden>
        <path d="M3.5 8.5l3 3 6-7" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
    </span>
  ) : (
    <span aria-hidden className="size-6 shrink-0 rounded-full border-2 border-stone-300 bg-white" />
  );
}

export function OnboardingChecklistCard({ checklist }: { checklist: OnboardingChecklist }) {
  const total = checklist.steps.length;
  return (
    <section
      className="rounded-xl border border-stone-200 bg-white p-5 shadow-sm sm:p-6"
      aria-labelledby="onboarding-title"
      data-testid="onboarding"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="onboarding-title" className="text-base font-semibold text-stone-900">
          Get to your first paid call
        </h2>
        <p className="text-sm text-stone-500" data-testid="onboarding-progress">
          {checklist.doneCount} of {total} done
        </p>
      </div>
      <div className="mt-3 h-1.5 overflow-hidden rounded-full bg-stone-100" aria-hidden>
        <div className="h-full rounded-full bg-emerald-600 transition-all" style={{ width: `${(checklist.doneCount / total) * 100}%` }} />
      </div>
      <ol className="mt-4 divide-y divide-stone-100">
        {checklist.steps.map((step, index) => (
          <li key={step.id} data-testid={`step-${step.id}`} data-done={step.done}>
            <Link href={step.href} className="-mx-2 flex items-start gap-3 rounded-lg px-2 py-3 hover:bg-stone-50">
              <Checkmark done={step.done} />
              <span className="min-w-0 flex-1">
                <span
                  className={`block text-sm font-medium ${step.done ? "text-stone-500 line-through decoration-stone-300" : "text-stone-900"}`}
                >
                  {index + 1}. {step.title}
                  <span className="sr-only">{step.done ? " (done)" : " (to do)"}</span>
                </span>
                <span className="block text-sm text-stone-500">{DETAILS[step.id]}</span>
              </span>
              <span aria-hidden className="mt-0.5 text-stone-400">
                →
              </span>
            </Link>
          </li>
        ))}
      </ol>
    </section>
  );
}
