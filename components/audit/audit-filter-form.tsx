import type { TAuditFilters } from "@/lib/validations/audit";

const INPUT = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm";

/** A plain GET form: filters live in the URL, so a filtered view can be bookmarked and shared. */
export function AuditFilterForm({ filters, invalid }: { filters: TAuditFilters; invalid: boolean }) {
  return (
    <form method="get" aria-label="Filter audit events" className="grid grid-cols-2 items-end gap-3 rounded-xl border border-slate-200 bg-white p-4 lg:grid-cols-6">
      <label className="text-xs font-medium text-slate-600">
        Actor
        <input name="actor" defaultValue={filters.actor} placeholder="email or token" className={INPUT} />
      </label>
      <label className="text-xs font-medium text-slate-600">
        Cluster
        <input name="cluster" defaultValue={filters.cluster} placeholder="orders-prod" className={INPUT} />
      </label>
      <label className="text-xs font-medium text-slate-600">
        Action
        <input name="action" defaultValue={filters.action} placeholder="certificate." className={INPUT} />
      </label>
      <label className="text-xs font-medium text-slate-600">
        From (UTC)
        <input type="date" name="from" defaultValue={filters.from} className={INPUT} />
      </label>
      <label className="text-xs font-medium text-slate-600">
        To (UTC)
        <input type="date" name="to" defaultValue={filters.to} className={INPUT} />
      </label>
      <div className="flex gap-2">
        <button type="submit" className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500">
          Filter
        </button>
        <a href="/audit" className="rounded-md px-3 py-2 text-sm font-medium text-slate-600 hover:bg-slate-100">
          Clear
        </a>
      </div>
      {invalid ? <p className="col-span-full text-xs text-red-600">Some filters were not understood (dates are YYYY-MM-DD) and were ignored.</p> : null}
    </form>
  );
}
