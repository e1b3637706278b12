// The audit pages' filters: who, action, workspace (the operator's pages), dates. A plain GET
// form, so each filtered view is a URL; a filter the server could not read is shown above
// the list, which then leaves it out.
import Form from "next/form";
import Link from "next/link";
import type { AuditFilterValues } from "@/lib/audit/filters";
import { ACTION_LABELS } from "@/lib/audit/labels";
import { buttonClass } from "@/components/ui/button-class";
import { FormError } from "@/components/ui/field";

const INPUT = "block w-full rounded-md border border-stone-300 bg-white px-2 py-2 text-base sm:text-sm";
const LABEL = "block text-xs font-medium text-stone-600";

export function AuditFilters({
  values,
  basePath,
  problem,
  showTenant,
  actions,
}: {
  values: AuditFilterValues;
  basePath: string;
  problem?: string;
  showTenant?: boolean;
  /** Which actions the select offers (default: every labelled one). */
  actions?: string[];
}) {
  const filtered = Object.keys(values).length > 0;
  const options = actions ?? Object.keys(ACTION_LABELS);
  return (
    <>
      <Form action={basePath} className="grid grid-cols-2 gap-2 md:flex md:flex-wrap md:items-end" aria-label="Filter the audit log">
        <div className="col-span-2 space-y-1 md:min-w-36 md:flex-1">
          <label htmlFor="actor" className={LABEL}>
            Who
          </label>
          <input
            id="actor"
            name="actor"
            type="search"
            defaultValue={values.actor}
            placeholder="Name or email"
            autoComplete="off"
            className={INPUT}
          />
        </div>
        <div className="col-span-2 space-y-1 md:min-w-36 md:flex-1">
          <label htmlFor="action" className={LABEL}>
            Action
          </label>
          <select id="action" name="action" defaultValue={values.action ?? ""} className={INPUT}>
            <option value="">All actions</option>
            {options.map((action) => (
              <option key={action} value={action}>
                {ACTION_LABELS[action] ?? action}
              </option>
            ))}
          </select>
        </div>
        {showTenant && (
          <div className="col-span-2 space-y-1 md:min-w-36 md:flex-1">
            <label htmlFor="tenant" className={LABEL}>
              Workspace (slug)
            </label>
            <input id="tenant" name="tenant" type="search" defaultValue={values.tenant} autoComplete="off" className={INPUT} />
          </div>
        )}
        <div className="space-y-1 md:w-40">
          <label htmlFor="from" className={LABEL}>
            From (UTC)
          </label>
          <input id="from" name="from" type="date" defaultValue={values.from} className={INPUT} />
        </div>
        <div className="space-y-1 md:w-40">
          <label htmlFor="to" className={LABEL}>
            To (UTC, included)
          </label>
          <input id="to" name="to" type="date" defaultValue={values.to} className={INPUT} />
        </div>
        <div className="col-span-2 flex flex-wrap items-end gap-3">
          <button type="submit" className={buttonClass("secondary")}>
            Apply
          </button>
          {filtered && (
            <Link href={basePath} className="self-center text-sm text-stone-600 underline-offset-2 hover:underline">
              Clear
            </Link>
          )}
        </div>
      </Form>
      <FormError message={problem ? `${problem} (filters left out)` : undefined} />
    </>
  );
}
