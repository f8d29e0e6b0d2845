import { FILTER_INPUT, FilterActions } from "@/components/ui/filter-actions";
import type { TAuditFilters } from "@/lib/validations/audit";

/** A plain GET form: filters live in the URL, so a filtered view can be bookmarked and shared. */
export function AuditFilterForm({ filters, invalid }: { filters: TAuditFilters; invalid: boolean }) {
  return (
    <form
      method="get"
      aria-label="Filter audit events"
      className="grid grid-cols-2 items-end gap-3 rounded-xl border border-slate-200 bg-white p-4 lg:grid-cols-6"
    >
      <label className="text-xs font-medium text-slate-600">
        Actor
        <input name="actor" defaultValue={filters.actor} placeholder="email or token" className={FILTER_INPUT} />
      </label>
      <label className="text-xs font-medium text-slate-600">
        Cluster
        <input name="cluster" defaultValue={filters.cluster} placeholder="orders-prod" className={FILTER_INPUT} />
      </label>
      <label className="text-xs font-medium text-slate-600">
        Action
        <input name="action" defaultValue={filters.action} placeholder="certificate." className={FILTER_INPUT} />
      </label>
      <label className="text-xs font-medium text-slate-600">
        From (UTC)
        <input type="date" name="from" defaultValue={filters.from} className={FILTER_INPUT} />
      </label>
      <label className="text-xs font-medium text-slate-600">
        To (UTC)
        <input type="date" name="to" defaultValue={filters.to} className={FILTER_INPUT} />
      </label>
      <FilterActions clearHref="/audit" />
      {invalid ? (
        <p className="col-span-full text-xs text-red-600">Some filters were not understood (dates are YYYY-MM-DD) and were ignored.</p>
      ) : null}
    </form>
  );
}
