import type { Metadata } from "next";
import { getDb } from "@/lib/db/client";
import { requireTenant } from "@/lib/auth/session";
import { roleAllows } from "@/lib/tenants/permissions";
import { getEndpointList, type EndpointListRow } from "@/lib/endpoints/queries/endpoint-list";
import { formatDuration } from "@/lib/format/time";
import { Card, EmptyState } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { AddEndpointButton, EndpointActions } from "@/components/endpoints/endpoint-actions";

export const metadata: Metadata = { title: "Endpoints" };

const uses = (n: number) => (n === 0 ? "unlimited" : n === 1 ? "1 call" : `${n} calls`);
const sats = (n: number) => `${n.toLocaleString("en-US")} sats`;
/** A dynamic price is the code's, per request: the stored one is only the last seen. */
const price = (e: EndpointListRow) =>
  e.dynamicPrice && e.discovered ? "set by code" : e.pricingMode === "metered" ? `${sats(e.priceSats)} deposit` : sats(e.priceSats);
const callTerms = (e: EndpointListRow) =>
  e.pricingMode === "metered" ? (e.maxCostPerCallSats ? `metered, ≤ ${sats(e.maxCostPerCallSats)}` : "metered") : uses(e.usesPerPayment);

function Flags({ endpoint }: { endpoint: EndpointListRow }) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      {endpoint.discovered && (
        <Badge tone="sky" title="Registered by your middleware on a first call; its price follows the priceSats in your code">
          discovered
        </Badge>
      )}
      {endpoint.pricingMode === "metered" && (
        <Badge
          tone="amber"
          title={endpoint.balanceExpiry === "never" ? "Prepaid balance; never expires" : "Prepaid balance; what is left at expiry is yours"}
        >
          metered
        </Badge>
      )}
      {!endpoint.enabled && <Badge tone="stone">disabled</Badge>}
    </span>
  );
}

export default async function EndpointsPage() {
  const { tenant, membership } = await requireTenant();
  const endpoints = await getEndpointList(getDb(), tenant.id);
  const canEdit = roleAllows(membership.role, "endpoints:write");
  const discovered = endpoints.filter((e) => e.discovered).length;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">Endpoints</h1>
          <p className="mt-1 text-sm text-stone-600">What each call costs. Prices apply in test and live mode alike.</p>
        </div>
        {canEdit && endpoints.length > 0 && <AddEndpointButton />}
      </div>
      {!canEdit && (
        <p className="rounded-md border border-stone-200 bg-white px-3 py-2 text-sm text-stone-600">
          Your role ({membership.role}) can see endpoints but not change them.
        </p>
      )}
      {discovered > 0 && (
        <p className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900" data-testid="discovered-note">
          {discovered === 1 ? "1 endpoint was" : `${discovered} endpoints were`} discovered: your middleware registered{" "}
          {discovered === 1 ? "it" : "them"} on a first call, and the price follows the <code>priceSats</code> in your code. “Pin this
          price” keeps today’s price whatever the code says.
        </p>
      )}
      <Card>
        {endpoints.length === 0 ? (
          <EmptyState title="No endpoints yet">
            <p>Add one, or put the middleware in front of a route and it appears here on the first call.</p>
            {canEdit && (
              <div className="mt-4">
                <AddEndpointButton label="Add your first endpoint" />
              </div>
            )}
          </EmptyState>
        ) : (
          <>
            <div className="hidden md:block">
              <table className="w-full text-left text-sm" data-testid="endpoints-table">
                <thead className="text-xs uppercase text-stone-500">
                  <tr>
                    <th className="py-2 pr-2">Endpoint</th>
                    <th className="px-2 text-right">Price</th>
                    <th className="px-2">Token lifetime</th>
                    <th className="px-2">Per payment</th>
                    <th className="px-2">Status</th>
                    {canEdit && <th className="py-2 pl-2 text-right">Actions</th>}
                  </tr>
                </thead>
                <tbody className="divide-y divide-stone-100">
                  {endpoints.map((e) => (
                    <tr key={e.id} data-testid="endpoint-row" className={e.enabled ? "" : "text-stone-500"}>
                      <td className="max-w-64 py-3 pr-2">
                        <span className="font-mono text-xs font-semibold">{e.method}</span>{" "}
                        <span className="break-all font-mono">{e.path}</span>
                        {e.description && <span className="block truncate text-xs text-stone-500">{e.description}</span>}
                      </td>
                      <td className="whitespace-nowrap px-2 text-right tabular-nums">{price(e)}</td>
                      <td className="whitespace-nowrap px-2">{formatDuration(e.tokenLifetimeSeconds)}</td>
                      <td className="whitespace-nowrap px-2">{callTerms(e)}</td>
                      <td className="px-2">
                        {e.enabled ? <Badge tone="green">enabled</Badge> : null} <Flags endpoint={e} />
                      </td>
                      {canEdit && (
                        <td className="py-3 pl-2">
                          <EndpointActions endpoint={e} className="justify-end" />
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ul className="divide-y divide-stone-100 md:hidden" data-testid="endpoints-cards">
              {endpoints.map((e) => (
                <li key={e.id} className="space-y-2 py-3 first:pt-0 last:pb-0">
                  <div className="flex items-start justify-between gap-2">
                    <p className="min-w-0 break-all font-mono text-sm">
                      <span className="text-xs font-semibold">{e.method}</span> {e.path}
                    </p>
                    <p className="whitespace-nowrap text-sm font-medium tabular-nums">{price(e)}</p>
                  </div>
                  {e.description && <p className="text-xs text-stone-500">{e.description}</p>}
                  <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-stone-600">
                    <span>token {formatDuration(e.tokenLifetimeSeconds)}</span>
                    <span>{e.pricingMode === "metered" ? callTerms(e) : `${uses(e.usesPerPayment)} per payment`}</span>
                    {e.enabled ? <Badge tone="green">enabled</Badge> : null}
                    <Flags endpoint={e} />
                  </p>
                  {canEdit && <EndpointActions endpoint={e} />}
                </li>
              ))}
            </ul>
          </>
        )}
      </Card>
    </div>
  );
}
