import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { getDb } from "@/lib/db/client";
import { listEndpoints } from "@/lib/endpoints/registry";
import { formatUtc } from "@/lib/format/time";
import { parsePayerTokenFilters, payerTokenQuery, type SearchParams } from "@/lib/prepaid/filters";
import { listPayerTokens, prepaidSummary, type PayerTokenRow } from "@/lib/prepaid/queries/list";
import { maskTokenId, PAYER_TOKEN_STATUSES, STATUS_LABELS } from "@/lib/prepaid/queries/status";
import { Amount, AmountUnitToggle } from "@/components/ui/amount";
import { buttonClass } from "@/components/ui/button-class";
import { Card, EmptyState } from "@/components/ui/card";
import { CursorPager } from "@/components/ui/cursor-pager";
import { PayerTokenStatusBadge } from "@/components/payer-tokens/status-badge";

export const metadata: Metadata = { title: "Payer tokens" };

const PAGE_SIZE = 25;
const INPUT = "block w-full rounded-md border border-stone-300 bg-white px-2 py-2 text-base sm:text-sm";
const LABEL = "block text-xs font-medium text-stone-600";
const href = (row: PayerTokenRow) => `/dashboard/payer-tokens/${row.id}`;
const when = (iso: string | null) => (iso ? formatUtc(new Date(iso)) : "never");

export default async function PayerTokensPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { tenant } = await requireTenant();
  const mode = await getDashboardMode();
  const filters = parsePayerTokenFilters(await searchParams);
  const db = getDb();
  const [page, summary, endpoints] = await Promise.all([
    listPayerTokens(db, {
      tenantId: tenant.id,
      mode,
      search: filters.q,
      status: filters.status,
      endpoint: filters.endpoint,
      sort: filters.sort,
      cursor: filters.cursor,
      limit: PAGE_SIZE,
    }),
    prepaidSummary(db, tenant.id, mode),
    listEndpoints(db, tenant.id),
  ]);
  const metered = endpoints.filter((e) => e.pricingMode === "metered").map((e) => `${e.method} ${e.path}`);
  const filtered = Boolean(filters.q || filters.status || filters.endpoint);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">Payer tokens</h1>
          <p className="mt-1 text-sm text-stone-600">
            Prepaid balances on your metered endpoints, <strong>{mode}</strong> mode. Unspent balances are the payers&apos; money until a
            call is charged: <Amount msat={summary.outstandingMsat} /> outstanding on {summary.balances}{" "}
            {summary.balances === 1 ? "token" : "tokens"} ({summary.activeBalances} active), <Amount msat={summary.chargesMsat} /> charged
            in {summary.charges} calls.
          </p>
        </div>
        <a href={`/dashboard/payer-tokens/export${payerTokenQuery(filters)}`} className={buttonClass("secondary")} download>
          Download CSV
        </a>
      </div>

      <Form
        action="/dashboard/payer-tokens"
        className="grid grid-cols-2 gap-2 md:grid-cols-[minmax(0,2fr)_repeat(3,minmax(0,1fr))_auto] md:items-end"
        aria-label="Search and filter payer tokens"
      >
        <div className="col-span-2 space-y-1 md:col-span-1">
          <label htmlFor="q" className={LABEL}>
            Token id or payment hash
          </label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={filters.q}
            placeholder="pb_… or the first characters of a hash"
            autoComplete="off"
            spellCheck={false}
            className={`${INPUT} font-mono`}
          />
        </div>
        <div className="space-y-1">
          <label htmlFor="endpoint" className={LABEL}>
            Endpoint
          </label>
          <select id="endpoint" name="endpoint" defaultValue={filters.endpoint ?? ""} className={INPUT}>
            <option value="">All</option>
            {metered.map((label) => (
              <option key={label} value={label}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="status" className={LABEL}>
            Status
          </label>
          <select id="status" name="status" defaultValue={filters.status ?? ""} className={INPUT}>
            <option value="">All</option>
            {PAYER_TOKEN_STATUSES.map((status) => (
              <option key={status} value={status}>
                {STATUS_LABELS[status]}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="sort" className={LABEL}>
            Sort
          </label>
          <select id="sort" name="sort" defaultValue={filters.sort ?? "newest"} className={INPUT}>
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
            <option value="balance">Largest balance</option>
            <option value="last_used">Last used</option>
            <option value="spent">Most spent</option>
          </select>
        </div>
        <div className="flex items-end gap-3">
          <button type="submit" className={buttonClass("secondary")}>
            Apply
          </button>
          {filtered && (
            <Link href="/dashboard/payer-tokens" className="self-center text-sm text-stone-600 underline-offset-2 hover:underline">
              Clear
            </Link>
          )}
        </div>
      </Form>

      <Card>
        {page.data.length === 0 ? (
          filtered ? (
            <EmptyState title="No payer tokens match">
              <Link href="/dashboard/payer-tokens" className="text-stone-700 underline">
                Clear the filters
              </Link>
            </EmptyState>
          ) : (
            <EmptyState title={`No ${mode}-mode payer tokens yet`}>
              A payer token appears when a caller pays the deposit of a metered endpoint. Make an endpoint metered on the{" "}
              <Link href="/dashboard/endpoints" className="text-stone-700 underline">
                endpoints page
              </Link>
              .
            </EmptyState>
          )
        ) : (
          <>
            <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
              <p className="text-sm text-stone-600">
                {page.data.length} {page.data.length === 1 ? "token" : "tokens"}
                {filters.cursor ? " on this page" : ""}
              </p>
              <AmountUnitToggle />
            </div>
            <div className="hidden overflow-x-auto md:block">
              <table className="w-full text-left text-sm" data-testid="payer-tokens-table">
                <thead className="text-xs uppercase text-stone-500">
                  <tr>
                    <th className="py-2 pr-2">Token</th>
                    <th className="px-2 py-2">Endpoint</th>
                    <th className="px-2 py-2 text-right">Balance</th>
                    <th className="px-2 py-2">Created</th>
                    <th className="px-2 py-2">Last used</th>
                    <th className="px-2 py-2 text-right">Total spent</th>
                    <th className="py-2 pl-2">Status</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-stone-100">
                  {page.data.map((row) => (
                    <tr key={row.id} data-testid="payer-token-row">
                      <td className="py-2.5 pr-2 font-mono text-xs">
                        <Link href={href(row)} className="underline-offset-2 hover:underline" title={row.id}>
                          {maskTokenId(row.id)}
                        </Link>
                      </td>
                      <td className="max-w-48 truncate px-2" title={row.endpoint}>
                        {row.endpoint}
                      </td>
                      <td className="px-2 text-right">
                        <Amount msat={row.balanceMsat} />
                      </td>
                      <td className="whitespace-nowrap px-2 text-xs">{when(row.createdAt)}</td>
                      <td className="whitespace-nowrap px-2 text-xs">{when(row.lastUsedAt)}</td>
                      <td className="px-2 text-right">
                        <Amount msat={row.spentMsat} />
                      </td>
                      <td className="py-2.5 pl-2">
                        <PayerTokenStatusBadge status={row.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ul className="divide-y divide-stone-100 md:hidden" data-testid="payer-tokens-cards">
              {page.data.map((row) => (
                <li key={row.id}>
                  <Link href={href(row)} className="block space-y-1.5 py-3 hover:bg-stone-50">
                    <div className="flex items-start justify-between gap-2">
                      <span className="min-w-0 truncate font-medium">{row.endpoint}</span>
                      <Amount msat={row.balanceMsat} className="font-medium" />
                    </div>
                    <div className="flex items-center justify-between gap-2 text-xs text-stone-600">
                      <span className="font-mono">{maskTokenId(row.id)}</span>
                      <PayerTokenStatusBadge status={row.status} />
                    </div>
                    <div className="flex flex-wrap justify-between gap-2 text-xs text-stone-600">
                      <span>last used {when(row.lastUsedAt)}</span>
                      <span>
                        spent <Amount msat={row.spentMsat} />
                      </span>
                    </div>
                  </Link>
                </li>
              ))}
            </ul>
          </>
        )}
        <CursorPager
          firstHref={`/dashboard/payer-tokens${payerTokenQuery(filters)}`}
          nextHref={page.nextCursor ? `/dashboard/payer-tokens${payerTokenQuery(filters, page.nextCursor)}` : null}
          onFirstPage={!filters.cursor}
        />
      </Card>
    </div>
  );
}
