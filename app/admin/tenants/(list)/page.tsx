import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { requireOperator } from "@/lib/admin/session";
import { listTenants, tenantSearchSchema, type AdminTenantRow } from "@/lib/admin/tenants";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { getDb } from "@/lib/db/client";
import { Amount } from "@/components/ui/amount";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button-class";
import { Card, EmptyState } from "@/components/ui/card";
import { CursorPager } from "@/components/ui/cursor-pager";
import { FormError } from "@/components/ui/field";

export const metadata: Metadata = { title: "Tenants" };

type SearchParams = Record<string, string | string[] | undefined>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;
const balance = (row: AdminTenantRow) => (BigInt(row.availableMsat) + BigInt(row.pendingPayoutMsat)).toString();

export default async function TenantsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireOperator();
  const mode = await getDashboardMode();
  const params = await searchParams;
  const parsed = tenantSearchSchema.safeParse({ q: first(params.q), cursor: first(params.cursor) });
  const query = parsed.success ? parsed.data : { limit: 25 };
  const q = parsed.success ? parsed.data.q : undefined;
  const page = await listTenants(getDb(), mode, query);
  const href = (cursor?: string | null) => {
    const search = new URLSearchParams();
    if (q) search.set("q", q);
    if (cursor) search.set("cursor", cursor);
    return `/admin/tenants${search.size ? `?${search}` : ""}`;
  };
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Tenants</h1>
        <p className="mt-1 text-sm text-stone-600">
          Newest first, with volume and what each is owed in the <strong>{mode}</strong> book.
        </p>
      </div>
      <Form action="/admin/tenants" className="flex flex-wrap items-end gap-2" aria-label="Search tenants">
        <div className="min-w-0 flex-1 space-y-1">
          <label htmlFor="q" className="block text-xs font-medium text-stone-600">
            Search
          </label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={q}
            placeholder="Name, slug or owner email"
            autoComplete="off"
            className="block w-full rounded-md border border-stone-300 bg-white px-2 py-2 text-base sm:text-sm"
          />
        </div>
        <button type="submit" className={buttonClass("secondary")}>
          Search
        </button>
        {q && (
          <Link href="/admin/tenants" className="self-center text-sm text-stone-600 underline-offset-2 hover:underline">
            Clear
          </Link>
        )}
      </Form>
      <FormError message={parsed.success ? undefined : parsed.error.issues[0].message} />
      <Card>
        {page.data.length === 0 ? (
          <EmptyState title={q ? `No tenant matches “${q}”` : "No tenants yet"} />
        ) : (
          <ul className="divide-y divide-stone-100" data-testid="tenant-list">
            {page.data.map((row) => (
              <li key={row.id} data-testid="tenant-row">
                <Link
                  href={`/admin/tenants/${row.id}`}
                  className="flex flex-col gap-1 py-3 hover:bg-stone-50 sm:flex-row sm:items-center sm:gap-4"
                >
                  <div className="min-w-0 flex-1">
                    <p className="flex flex-wrap items-center gap-2 font-medium">
                      <span className="truncate">{row.name}</span>
                      {row.suspendedAt && <Badge tone="red">suspended</Badge>}
                    </p>
                    <p className="truncate text-xs text-stone-500">
                      {row.slug} · {row.ownerEmails.join(", ") || "no owner"}
                    </p>
                  </div>
                  <div className="flex gap-4 text-sm sm:text-right">
                    <span>
                      <span className="block text-xs text-stone-500">Volume</span>
                      <Amount msat={row.volumeMsat} />
                    </span>
                    <span>
                      <span className="block text-xs text-stone-500">Owed</span>
                      <Amount msat={balance(row)} />
                    </span>
                  </div>
                </Link>
              </li>
            ))}
          </ul>
        )}
        <CursorPager firstHref={href()} nextHref={page.nextCursor ? href(page.nextCursor) : null} onFirstPage={!query.cursor} />
      </Card>
    </div>
  );
}
