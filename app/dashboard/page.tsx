import type { Metadata } from "next";
import { requireTenant } from "@/lib/auth/session";
import { Card, EmptyState } from "@/components/ui/card";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const { user, tenant, membership } = await requireTenant();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{tenant.name}</h1>
        <p className="mt-1 text-sm text-stone-600">
          Signed in as {user.email} · your role:{" "}
          <span className="font-medium" data-testid="role">
            {membership.role}
          </span>
        </p>
      </div>
      <Card
        title="Payments"
        description="Payment totals and history are coming soon to this page. Every payment is already recorded in the ledger."
      >
        <EmptyState title="Not shown here yet">
          Look a payment up by its payment hash with{" "}
          <code className="rounded bg-stone-100 px-1">GET /api/v1/invoices/&#123;paymentHash&#125;</code> and an API key.
        </EmptyState>
      </Card>
      <Card title="Get started">
        <ol className="list-decimal space-y-2 pl-5 text-sm text-stone-700">
          <li>Register the endpoints you want to charge for, with a price in sats.</li>
          <li>
            Create an API key and set it as <code className="rounded bg-stone-100 px-1">TOLLBOOTH_API_KEY</code> in your API.
          </li>
          <li>
            Add the middleware: unpaid calls get <code className="rounded bg-stone-100 px-1">402</code> and a Lightning invoice; paid calls
            pass.
          </li>
        </ol>
      </Card>
    </div>
  );
}
