import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { hasPaymentFilters, parsePaymentFilters, paymentFiltersQuery, type SearchParams } from "@/lib/dashboard/payment-filters";
import { getDb } from "@/lib/db/client";
import { listEndpoints } from "@/lib/endpoints/registry";
import { formatUtc } from "@/lib/format/time";
import { listPayments } from "@/lib/stats";
import type { PaymentRow } from "@/lib/stats/types";
import { Amount, AmountUnitToggle } from "@/components/ui/amount";
import { buttonClass } from "@/components/ui/button-class";
import { Card, EmptyState } from "@/components/ui/card";
import { CursorPager } from "@/components/ui/cursor-pager";
import { FormError } from "@/components/ui/field";
import { ShortHash } from "@/components/ui/hash";
import { PaymentStatus } from "@/components/payments/payment-status";

export const metadata: Metadata = { title: "Payments" };

const PAGE_SIZE = 25;
const INPUT = "block w-full rounded-md border border-stone-300 bg-white px-2 py-2 text-base sm:text-sm";
const LABEL = "block text-xs font-medium text-stone-600";

const paymentHref = (row: PaymentRow) => `/dashboard/payments/${row.paymentHash}`;

export default async function PaymentsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { tenant } = await requireTenant();
  const mode = await getDashboardMode();
  const { values, filters, cursor, problem } = parsePaymentFilters(await searchParams);
  const db = getDb();
  const [page, endpoints] = await Promise.all([
    listPayments(db, { tenantId: tenant.id, mode, ...filters, cursor, limit: PAGE_SIZE }),
    listEndpoints(db, tenant.id),
  ]);
  const endpointLabels = endpoints.map((e) => `${e.method} ${e.path}`);
  if (values.endpoint && !endpointLabels.includes(values.endpoint)) endpointLabels.push(values.endpoint);
  const filtered = hasPaymentFilters(values);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">Payments</h1>
          <p className="mt-1 text-sm text-stone-600">
            Settled <strong>{mode}</strong>-mode payments, straight from the ledger. Times are UTC.
          </p>
        </div>
        <a href={`/dashboard/payments/export${paymentFiltersQuery(values)}`} className={buttonClass("secondary")} download>
          Download CSV
        </a>
      </div>

      <Form
        action="/dashboard/payments"
        className="grid grid-cols-2 gap-2 md:grid-cols-3 lg:grid-cols-[minmax(0,2fr)_repeat(5,minmax(0,1fr))_auto] lg:items-end"
        aria-label="Search and filter payments"
      >
        <div className="col-span-2 space-y-1 md:col-span-3 lg:col-span-1">
          <label htmlFor="paymentHash" className={LABEL}>
            Payment hash
          </label>
          <input
            id="paymentHash"
            name="paymentHash"
            type="search"
            defaultValue={values.paymentHash}
            placeholder="The hash or its first characters"
            autoComplete="off"
            spellCheck={false}
            className={`${INPUT} font-mono`}
          />
        </div>
        <div className="contents">
          <div className="space-y-1">
            <label htmlFor="endpoint" className={LABEL}>
              Endpoint
            </label>
            <select id="endpoint" name="endpoint" defaultValue={values.endpoint ?? ""} className={INPUT}>
              <option value="">All</option>
              {endpointLabels.map((label) => (
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
            <select id="status" name="status" defaultValue={values.status ?? ""} className={INPUT}>
              <option value="">All</option>
              <option value="redeemed">Redeemed</option>
              <option value="unredeemed">Not used yet</option>
              <option value="failed">With failed calls</option>
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor="from" className={LABEL}>
              From (UTC)
            </label>
            <input id="from" name="from" type="date" defaultValue={values.from?.slice(0, 10)} className={INPUT} />
          </div>
          <div className="space-y-1">
            <label htmlFor="to" className={LABEL}>
              To (UTC, included)
            </label>
            <input id="to" name="to" type="date" defaultValue={values.to?.slice(0, 10)} className={INPUT} />
          </div>
          <div className="space-y-1">
            <label htmlFor="sort" className={LABEL}>
              Sort
            </label>
            <select id="sort" name="sort" defaultValue={values.sort ?? "newest"} className={INPUT}>
              <option value="newest">Newest first</option>
              <option value="oldest">Oldest first</option>
            </select>
          </div>
        </div>
        <div className="flex items-end gap-3">
          <button type="submit" className={buttonClass("secondary")}>
            Apply
          </button>
          {filtered && (
            <Link href="/dashboard/payments" className="self-center text-sm text-stone-600 underline-offset-2 hover:underline">
              Clear filters
            </Link>
          )}
        </div>
      </Form>
      <FormError message={problem ? `${problem.message} (left out)` : undefined} />

      <Card>
        {page.data.length === 0 ? (
          <PaymentsEmpty mode={mode} filtered={filtered} paged={Boolean(cursor)} />
        ) : (
          <>
            <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
              <p className="text-sm text-stone-600" data-testid="payments-count">
                {page.data.length} {page.data.length === 1 ? "payment" : "payments"}
                {cursor ? " on this page" : page.hasMore ? `: the ${values.sort === "oldest" ? "oldest" : "latest"} ${PAGE_SIZE}` : ""}
              </p>
              <AmountUnitToggle />
            </div>
            <div className="hidden overflow-x-auto md:block">
              <table className="w-full text-left text-sm" data-testid="payments-table">
                <thead className="text-xs uppercase text-stone-500">
                  <tr>
                    <th className="py-2 pr-2">Settled</th>
                    <th className="px-2 py-2">Payment hash</th>
                    <th className="px-2 py-2">Endpoint</th>
                    <th className="px-2 py-2 text-right">Amount</th>
                    <th className="px-2 py-2 text-right">Fee</th>
                    <th className="px-2 py-2 text-right">Net to you</th>
                    <th className="py-2 pl-2">Status</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-stone-100">
                  {page.data.map((row) => (
                    <tr key={row.paymentHash} data-testid="payment-row">
                      <td className="whitespace-nowrap py-2.5 pr-2 text-xs">{formatUtc(new Date(row.settledAt))}</td>
                      <td className="px-2">
                        <Link href={paymentHref(row)} className="underline-offset-2 hover:underline">
                          <ShortHash value={row.paymentHash} />
                        </Link>
                      </td>
                      <td className="max-w-48 truncate px-2" title={row.endpoint}>
                        {row.endpoint}
                      </td>
                      <td className="px-2 text-right">
                        <Amount msat={row.amountMsat} />
                      </td>
                      <td className="px-2 text-right text-stone-500">
                        <Amount msat={row.feeMsat} />
                      </td>
                      <td className="px-2 text-right">
                        <Amount msat={row.netMsat} />
                      </td>
                      <td className="py-2.5 pl-2">
                        <PaymentStatus payment={row} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ul className="divide-y divide-stone-100 md:hidden" data-testid="payments-cards">
              {page.data.map((row) => (
                <li key={row.paymentHash}>
                  <Link href={paymentHref(row)} className="block space-y-1.5 py-3 hover:bg-stone-50">
                    <div className="flex items-start justify-between gap-2">
                      <span className="min-w-0 truncate font-medium">{row.endpoint}</span>
                      <Amount msat={row.amountMsat} className="font-medium" />
                    </div>
                    <div className="flex items-center justify-between gap-2 text-xs text-stone-600">
                      <ShortHash value={row.paymentHash} />
                      <span className="whitespace-nowrap">{formatUtc(new Date(row.settledAt))}</span>
                    </div>
                    <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-stone-600">
                      <PaymentStatus payment={row} />
                      <span>
                        fee <Amount msat={row.feeMsat} /> · net <Amount msat={row.netMsat} />
                      </span>
                    </div>
                  </Link>
                </li>
              ))}
            </ul>
          </>
        )}
        <CursorPager
          firstHref={`/dashboard/payments${paymentFiltersQuery(values)}`}
          nextHref={page.nextCursor ? `/dashboard/payments${paymentFiltersQuery(values, page.nextCursor)}` : null}
          onFirstPage={!cursor}
        />
      </Card>
    </div>
  );
}

function PaymentsEmpty({ mode, filtered, paged }: { mode: string; filtered: boolean; paged: boolean }) {
  if (paged) return <EmptyState title="No more payments">That was the last page.</EmptyState>;
  if (filtered)
    return (
      <EmptyState title="No payments match these filters">
        <Link href="/dashboard/payments" className="text-stone-700 underline">
          Clear the filters
        </Link>{" "}
        or widen the dates.
      </EmptyState>
    );
  return (
    <EmptyState title={`No ${mode}-mode payments yet`}>
      <p>
        A payment appears here once a caller pays the invoice in a 402 from your API.{" "}
        {mode === "test" ? (
          <>
            Make a test call: ask for an invoice with a <code>tb_test_</code> key and pay it in the{" "}
            <Link href="/dev/wallet" className="text-stone-700 underline">
              dev wallet
            </Link>
            .
          </>
        ) : (
          <>Live payments need a live key; switch to test mode above to see test payments.</>
        )}
      </p>
    </EmptyState>
  );
}
