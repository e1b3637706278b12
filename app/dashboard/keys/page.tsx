import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/lib/db/client";
import { requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { roleAllows } from "@/lib/tenants/permissions";
import { getKeyTable, parseKeyTableParams, type KeySort, type KeyTableParams, type KeyTableRow } from "@/lib/keys/queries/key-table";
import { KEY_STATUSES } from "@/lib/keys/status";
import { formatRelative, formatUtc } from "@/lib/format/time";
import { Card, EmptyState } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button-class";
import { ConfirmButton } from "@/components/ui/action-button";
import { KeyStatusBadge } from "@/components/keys/key-status-badge";
import { CreateKeyButton, RotateKeyButton } from "@/components/keys/key-dialogs";
import { revokeKeyAction } from "./actions";

export const metadata: Metadata = { title: "API keys" };

const SORT_LABELS: Record<KeySort, string> = {
  created: "Created",
  name: "Name",
  last_used: "Last used",
  calls: "Calls this month",
  sats: "Sats this month",
  status: "Status",
};

function query(params: KeyTableParams, changes: Partial<KeyTableParams> = {}) {
  const merged = { ...params, ...changes };
  const search = new URLSearchParams();
  if (merged.q) search.set("q", merged.q);
  if (merged.status !== "all") search.set("status", merged.status);
  if (merged.sort !== "created") search.set("sort", merged.sort);
  if (merged.dir !== "desc") search.set("dir", merged.dir);
  const text = search.toString();
  return text ? `?${text}` : "";
}

function SortHeader({ sort, params, className = "" }: { sort: KeySort; params: KeyTableParams; className?: string }) {
  const active = params.sort === sort;
  const dir = active && params.dir === "desc" ? "asc" : "desc";
  return (
    <th className={`px-2 py-2 ${className}`} aria-sort={active ? (params.dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link href={`/dashboard/keys${query(params, { sort, dir })}`} className="hover:text-stone-900">
        {SORT_LABELS[sort]}
        {active ? (params.dir === "asc" ? " ↑" : " ↓") : ""}
      </Link>
    </th>
  );
}

function KeyActions({ row, mode }: { row: KeyTableRow; mode: "test" | "live" }) {
  if (row.status === "revoked" || row.status === "expired") return null;
  return (
    <div className="flex flex-wrap gap-2">
      {row.status === "active" && <RotateKeyButton keyId={row.id} keyName={row.name} dashboardMode={mode} />}
      <ConfirmButton
        action={revokeKeyAction}
        fields={{ keyId: row.id }}
        label="Revoke"
        pendingLabel="Revoking…"
        title={`Revoke “${row.name}”?`}
        confirmLabel="Revoke key"
      >
        <p>
          <span className="font-mono">{row.maskedKey}</span> stops working within a few seconds: every call with it gets{" "}
          <code>401 api_key_revoked</code>. This cannot be undone.
        </p>
      </ConfirmButton>
    </div>
  );
}

const lastUsed = (row: KeyTableRow) => (row.lastUsedAt ? formatRelative(row.lastUsedAt) : "never");

export default async function KeysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { tenant, membership } = await requireTenant();
  const mode = await getDashboardMode();
  const params = parseKeyTableParams(await searchParams);
  const rows = await getKeyTable(getDb(), tenant.id, mode, params);
  const canEdit = roleAllows(membership.role, "keys:write");
  const filtered = params.q !== "" || params.status !== "all";
  // No keys at all: the empty state says what to do; search, sort and CSV would be noise.
  const none = rows.length === 0 && !filtered;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
          <p className="mt-1 text-sm text-stone-600">
            Showing <strong>{mode}</strong> keys (<code>tb_{mode}_</code>). Calls and sats count paid calls since the 1st (UTC).
          </p>
        </div>
        {!none && (
          <div className="flex flex-wrap gap-2">
            <a href={`/dashboard/keys/export${query(params)}`} className={buttonClass("secondary")} download>
              Download CSV
            </a>
            {canEdit && <CreateKeyButton dashboardMode={mode} />}
          </div>
        )}
      </div>
      {!canEdit && (
        <p className="rounded-md border border-stone-200 bg-white px-3 py-2 text-sm text-stone-600">
          Your role ({membership.role}) can see keys but not create, rotate or revoke them.
        </p>
      )}

      {!none && (
        <form method="get" className="grid gap-2 sm:grid-cols-[1fr_auto_auto_auto] sm:items-end" aria-label="Search and filter keys">
          <div className="space-y-1">
            <label htmlFor="q" className="block text-xs font-medium text-stone-600">
              Search
            </label>
            <input
              id="q"
              name="q"
              type="search"
              defaultValue={params.q}
              placeholder="Name, prefix or last four"
              className="block w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-base sm:text-sm"
            />
          </div>
          <div className="grid grid-cols-2 gap-2 sm:contents">
            <div className="space-y-1">
              <label htmlFor="status" className="block text-xs font-medium text-stone-600">
                Status
              </label>
              <select
                id="status"
                name="status"
                defaultValue={params.status}
                className="block w-full rounded-md border border-stone-300 bg-white px-2 py-2 text-base sm:text-sm"
              >
                <option value="all">All</option>
                {KEY_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </div>
            <div className="space-y-1">
              <label htmlFor="sort" className="block text-xs font-medium text-stone-600">
                Sort by
              </label>
              <select
                id="sort"
                name="sort"
                defaultValue={params.sort}
                className="block w-full rounded-md border border-stone-300 bg-white px-2 py-2 text-base sm:text-sm"
              >
                {Object.entries(SORT_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <input type="hidden" name="dir" value={params.dir} />
          <button type="submit" className={buttonClass("secondary")}>
            Apply
          </button>
        </form>
      )}

      <Card>
        {rows.length === 0 ? (
          filtered ? (
            <EmptyState title="No keys match">
              <Link href="/dashboard/keys" className="text-stone-700 underline">
                Clear the search and filter
              </Link>
            </EmptyState>
          ) : (
            <EmptyState title={`No ${mode} keys yet`}>
              <p>
                Create one, set it as <code>TOLLBOOTH_API_KEY</code> in your API, and put the middleware in front of a route: unpaid calls
                get a 402 with an invoice.
              </p>
              {canEdit && (
                <div className="mt-4">
                  <CreateKeyButton dashboardMode={mode} label={`Create your first ${mode} key`} />
                </div>
              )}
            </EmptyState>
          )
        ) : (
          <>
            <div className="hidden overflow-x-auto md:block">
              <table className="w-full text-left text-sm" data-testid="keys-table">
                <thead className="text-xs uppercase text-stone-500">
                  <tr>
                    <SortHeader sort="name" params={params} className="pl-0" />
                    <th className="px-2 py-2">Key</th>
                    <SortHeader sort="status" params={params} />
                    <SortHeader sort="created" params={params} />
                    <SortHeader sort="last_used" params={params} />
                    <SortHeader sort="calls" params={params} className="text-right" />
                    <SortHeader sort="sats" params={params} className="text-right" />
                    {canEdit && <th className="py-2 pl-2 text-right">Actions</th>}
                  </tr>
                </thead>
                <tbody className="divide-y divide-stone-100">
                  {rows.map((row) => (
                    <tr key={row.id} data-testid="key-row">
                      <td className="max-w-40 truncate py-3 pr-2">
                        <Link href={`/dashboard/keys/${row.id}`} className="font-medium underline-offset-2 hover:underline">
                          {row.name}
                        </Link>
                      </td>
                      <td className="whitespace-nowrap px-2 font-mono text-xs">{row.maskedKey}</td>
                      <td className="px-2">
                        <KeyStatusBadge status={row.status} expiresAt={row.expiresAt} />
                      </td>
                      <td className="whitespace-nowrap px-2 text-xs" title={formatUtc(row.createdAt)}>
                        {row.createdAt.toISOString().slice(0, 10)}
                      </td>
                      <td className="whitespace-nowrap px-2 text-xs" title={formatUtc(row.lastUsedAt, "never")}>
                        {lastUsed(row)}
                      </td>
                      <td className="px-2 text-right tabular-nums">{row.callsThisMonth.toLocaleString("en-US")}</td>
                      <td className="px-2 text-right tabular-nums">{row.satsThisMonth.toLocaleString("en-US")}</td>
                      {canEdit && (
                        <td className="py-3 pl-2">
                          <div className="flex justify-end">
                            <KeyActions row={row} mode={mode} />
                          </div>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ul className="divide-y divide-stone-100 md:hidden" data-testid="keys-cards">
              {rows.map((row) => (
                <li key={row.id} className="space-y-2 py-3 first:pt-0 last:pb-0">
                  <div className="flex items-start justify-between gap-2">
                    <Link href={`/dashboard/keys/${row.id}`} className="min-w-0 truncate font-medium underline-offset-2 hover:underline">
                      {row.name}
                    </Link>
                    <KeyStatusBadge status={row.status} expiresAt={row.expiresAt} />
                  </div>
                  <p className="break-all font-mono text-xs text-stone-600">{row.maskedKey}</p>
                  <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-xs">
                    <dt className="text-stone-500">Created</dt>
                    <dd>{row.createdAt.toISOString().slice(0, 10)}</dd>
                    <dt className="text-stone-500">Last used</dt>
                    <dd>{lastUsed(row)}</dd>
                    <dt className="text-stone-500">This month</dt>
                    <dd className="tabular-nums">
                      {row.callsThisMonth.toLocaleString("en-US")} calls · {row.satsThisMonth.toLocaleString("en-US")} sats
                    </dd>
                  </dl>
                  {canEdit && <KeyActions row={row} mode={mode} />}
                </li>
              ))}
            </ul>
          </>
        )}
      </Card>
    </div>
  );
}
