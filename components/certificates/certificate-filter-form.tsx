import { FILTER_INPUT, FilterActions, FilterSelect } from "@/components/ui/filter-actions";
import { CERTIFICATE_FILTER_STATUSES, type TCertificateFilters } from "@/lib/validations/certificate-filters";

const KINDS = [
  ["server", "Server"],
  ["client", "Client"],
  ["ca", "CA"],
] as const;

const STATUS_LABELS = {
  active: "Valid (30+ days)",
  expiring: "Expiring (< 30 days)",
  expired: "Expired",
  revoked: "Revoked",
  superseded: "Superseded",
  all: "Any, with revoked and superseded",
} as const;

type Props = { filters: Partial<TCertificateFilters>; clusters: { id: string; name: string }[]; invalid: boolean };

/** A plain GET form: the filtered list lives in the URL, so it can be bookmarked and shared. */
export function CertificateFilterForm({ filters, clusters, invalid }: Props) {
  return (
    <form
      method="get"
      aria-label="Filter certificates"
      className="grid grid-cols-2 items-end gap-3 rounded-xl border border-slate-200 bg-white p-4 lg:grid-cols-5"
    >
      <label className="col-span-2 text-xs font-medium text-slate-600 lg:col-span-1">
        Search
        <input type="search" name="q" defaultValue={filters.q} placeholder="host, user, SAN or serial" className={FILTER_INPUT} />
      </label>
      <FilterSelect
        label="Cluster"
        name="cluster"
        value={filters.cluster}
        anyLabel="All clusters"
        options={clusters.map((c) => [c.id, c.name] as const)}
      />
      <FilterSelect label="Kind" name="kind" value={filters.kind} anyLabel="All kinds" options={KINDS} />
      <FilterSelect
        label="Status"
        name="status"
        value={filters.status}
        anyLabel="Current (not revoked or superseded)"
        options={CERTIFICATE_FILTER_STATUSES.map((status) => [status, STATUS_LABELS[status]] as const)}
      />
      <FilterActions clearHref="/certificates">
        {filters.sort && filters.sort !== "days-left" ? <input type="hidden" name="sort" value={filters.sort} /> : null}
      </FilterActions>
      {invalid ? (
        <p className="col-span-full text-xs text-red-600">Some filters in the address were not understood and were ignored.</p>
      ) : null}
    </form>
  );
}
