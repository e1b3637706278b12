// The audit log as both audit pages show it (an owner's workspace, the operator's every
// tenant): filters by who, action and dates (a plain GET form), a table on wide screens and
// cards on phones, cursor pages, and a CSV download of exactly what the filters select.
import { auditFilterQuery, type AuditFilterValues } from "@/lib/audit/filters";
import type { AuditRow } from "@/lib/audit/query";
import { shortUserAgent } from "@/lib/audit/user-agent";
import { formatUtc } from "@/lib/format/time";
import { buttonClass } from "@/components/ui/button-class";
import { Card, EmptyState } from "@/components/ui/card";
import { CursorPager } from "@/components/ui/cursor-pager";
import { AuditFilters } from "./audit-filters";

export interface AuditLogProps {
  rows: AuditRow[];
  values: AuditFilterValues;
  basePath: string;
  /** Where "Download CSV" goes (it keeps the filters); none: no download. */
  exportPath?: string;
  nextCursor: string | null;
  paged: boolean;
  problem?: string;
  /** The operator's view: a workspace column. */
  showTenant?: boolean;
  /** Which actions the select offers (default: every labelled one). */
  actions?: string[];
}

export function AuditLog({ rows, values, basePath, exportPath, nextCursor, paged, problem, showTenant, actions }: AuditLogProps) {
  const filtered = Object.keys(values).length > 0;
  return (
    <div className="space-y-4">
      <AuditFilters values={values} basePath={basePath} problem={problem} showTenant={showTenant} actions={actions} />

      <Card>
        {(rows.length > 0 || exportPath) && (
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm text-stone-600" data-testid="audit-count">
              {rows.length} {rows.length === 1 ? "event" : "events"}
              {paged || nextCursor ? " on this page" : ""}
            </p>
            {exportPath && (
              <a href={`${exportPath}${auditFilterQuery(values)}`} className={`${buttonClass("secondary")} px-3 py-1.5`} download>
                Download CSV
              </a>
            )}
          </div>
        )}
        {rows.length === 0 ? (
          <EmptyState title={filtered || paged ? "No events match these filters" : "Nothing recorded yet"}>
            {filtered ? "Try a wider date range or another action." : "Sign-ins and changes appear here as they happen."}
          </EmptyState>
        ) : (
          <>
            <div className="hidden overflow-x-auto md:block">
              <table className="w-full text-left text-sm" data-testid="audit-table">
                <thead className="text-xs uppercase text-stone-500">
                  <tr>
                    <th className="py-2 pr-2">When</th>
                    <th className="px-2 py-2">Who</th>
                    <th className="px-2 py-2">Action</th>
                    <th className="px-2 py-2">Target</th>
                    {showTenant && <th className="px-2 py-2">Workspace</th>}
                    <th className="px-2 py-2">IP</th>
                    <th className="py-2 pl-2">Device</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-stone-100">
                  {rows.map((row) => (
                    <tr key={row.id} data-testid="audit-row">
                      <td className="whitespace-nowrap py-2 pr-2 text-xs">{formatUtc(new Date(row.createdAt))}</td>
                      <td className="max-w-48 truncate px-2" title={row.who}>
                        {row.who}
                      </td>
                      <td className="px-2" title={row.action}>
                        {row.actionLabel}
                      </td>
                      <td className="max-w-40 truncate px-2 text-stone-600" title={row.target ?? ""}>
                        {row.target ?? "—"}
                      </td>
                      {showTenant && <td className="max-w-32 truncate px-2 text-stone-600">{row.tenant?.name ?? "—"}</td>}
                      <td className="whitespace-nowrap px-2 font-mono text-xs">{row.ip ?? "—"}</td>
                      <td className="py-2 pl-2 text-xs text-stone-500">
                        <UserAgent value={row.userAgent} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ul className="divide-y divide-stone-100 md:hidden" data-testid="audit-cards">
              {rows.map((row) => (
                <li key={row.id} className="space-y-1 py-3">
                  <div className="flex items-start justify-between gap-2">
                    <span className="min-w-0 font-medium">{row.actionLabel}</span>
                    <span className="whitespace-nowrap text-xs text-stone-500">{formatUtc(new Date(row.createdAt))}</span>
                  </div>
                  <p className="break-words text-sm text-stone-700">
                    {row.who}
                    {row.target ? <span className="text-stone-500"> · {row.target}</span> : null}
                  </p>
                  {showTenant && row.tenant && <p className="text-xs text-stone-500">Workspace: {row.tenant.name}</p>}
                  <div className="flex flex-wrap items-center gap-x-3 text-xs text-stone-500">
                    <span className="font-mono">{row.ip ?? "—"}</span>
                    <UserAgent value={row.userAgent} />
                  </div>
                </li>
              ))}
            </ul>
          </>
        )}
        <CursorPager
          firstHref={`${basePath}${auditFilterQuery(values)}`}
          nextHref={nextCursor ? `${basePath}${auditFilterQuery(values, nextCursor)}` : null}
          onFirstPage={!paged}
        />
      </Card>
    </div>
  );
}

/** Short ("Chrome 131 on macOS"), the whole string on hover or by opening it. */
function UserAgent({ value }: { value: string | null }) {
  if (!value) return <span>—</span>;
  return (
    <details className="group max-w-56">
      <summary className="cursor-pointer list-none truncate" title={value}>
        {shortUserAgent(value)}
      </summary>
      <span className="mt-1 block break-all font-mono text-[11px]">{value}</span>
    </details>
  );
}
