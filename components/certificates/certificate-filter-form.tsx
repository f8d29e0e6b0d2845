import { CERTIFICATE_FILTER_STATUSES, type TCertificateFilters } from "@/lib/validations/certificate-filters";

const INPUT = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm";
const KINDS = [
  ["server", "Server"],
  ["client", "Client"],
  ["ca", "CA"],
] as const;

const STATUS_LABELS = { active: "Valid (30+ days)", expiring: "Expiring (< 30 days)", expired: "Expired", revoked: "Revoked", superseded: "Superseded" } as const;

type Props = { filters: Partial<TCertificateFilters>; clusters: { id: string; name: string }[]; invalid: boolean };

/** A plain GET form: the filtered list lives in the URL, so it can be bookmarked and shared. */
export function CertificateFilterForm({ filters, clusters, invalid }: Props) {
  return (
    <form method="get" aria-label="Filter certificates" className="grid grid-cols-2 items-end gap-3 rounded-xl border border-slate-200 bg-white p-4 lg:grid-cols-5">
      <label className="col-span-2 text-xs font-medium text-slate-600 lg:col-span-1">
        Search
        <input type="search" name="q" defaultValue={filters.q} placeholder="host, user, SAN or serial" className={INPUT} />
      </label>
      <label className="text-xs font-medium text-slate-600">
        Cluster
        <select name="cluster" defaultValue={filters.cluster ?? ""} className={INPUT}>
          <option value="">All clusters</option>
          {clusters.map((cluster) => (
            <option key={cluster.id} value={cluster.id}>
              {cluster.name}
            </option>
          ))}
        </select>
      </label>
      <label className="text-xs font-medium text-slate-600">
        Kind
        <select name="kind" defaultValue={filters.kind ?? ""} className={INPUT}>
          <option value="">All kinds</option>
          {KINDS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="text-xs font-medium text-slate-600">
        Status
        <select name="status" defaultValue={filters.status ?? ""} className={INPUT}>
          <option value="">Any status</option>
          {CERTIFICATE_FILTER_STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </label>
      <div className="flex gap-2">
        {filters.sort && filters.sort !== "days-left" ? <input type="hidden" name="sort" value={filters.sort} /> : null}
        <button type="submit" className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500">
          Filter
        </button>
        <a href="/certificates" className="rounded-md px-3 py-2 text-sm font-medium text-slate-600 hover:bg-slate-100">
          Clear
        </a>
      </div>
      {invalid ? <p className="col-span-full text-xs text-red-600">Some filters in the address were not understood and were ignored.</p> : null}
    </form>
  );
}
