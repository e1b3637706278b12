// The onboarding checklist on the overview: from sign-up to the first paid call. Every
// step is ticked from the tenant's own data, never from a flag someone has to remember.
import type { Db } from "../db/client";
import type { KeyMode } from "../keys/api-keys";

export type ChecklistStepId = "lightning_address" | "endpoint" | "api_key" | "test_call" | "seen";

export interface ChecklistStep {
  id: ChecklistStepId;
  title: string;
  done: boolean;
  href: string;
}

export interface OnboardingChecklist {
  steps: ChecklistStep[];
  doneCount: number;
  complete: boolean;
}

export async function getOnboardingChecklist(
  db: Db,
  { tenantId, mode }: { tenantId: string; mode: KeyMode },
): Promise<OnboardingChecklist> {
  const [tenant, endpoint, apiKey, testPayment, paymentInMode] = await Promise.all([
    db.tenant.findUnique({ where: { id: tenantId }, select: { lightningAddress: true } }),
    db.endpoint.findFirst({ where: { tenantId }, select: { id: true } }),
    // The dashboard's own test-call key is not one the owner created.
    db.apiKey.findFirst({ where: { tenantId, internal: false }, select: { id: true } }),
    db.invoice.findFirst({ where: { tenantId, mode: "test", state: "paid" }, select: { paymentHash: true } }),
    db.invoice.findFirst({ where: { tenantId, mode, state: "paid" }, select: { paymentHash: true } }),
  ]);
  const steps: ChecklistStep[] = [
    {
      id: "lightning_address",
      title: "Set your Lightning address",
      done: Boolean(tenant?.lightningAddress),
      href: "/dashboard/settings#lightning-address",
    },
    { id: "endpoint", title: "Add an endpoint", done: Boolean(endpoint), href: "/dashboard/endpoints" },
    { id: "api_key", title: "Create an API key", done: Boolean(apiKey), href: "/dashboard/keys" },
    { id: "test_call", title: "Make a test call", done: Boolean(testPayment), href: "/dashboard#test-call" },
    // The overview lists the mode's payments: seen once one is there.
    { id: "seen", title: "See it on the overview", done: Boolean(paymentInMode), href: "/dashboard#recent-payments" },
  ];
  const doneCount = steps.filter((s) => s.done).length;
  return { steps, doneCount, complete: doneCount === steps.length };
}
