import { FileBadge2 } from "lucide-react";
import type { Metadata } from "next";
import { connection } from "next/server";
import { CertificateFilterForm } from "@/components/certificates/certificate-filter-form";
import { CertificatesTable } from "@/components/certificates/certificates-table";
import { AppHeader } from "@/components/shell/app-header";
import { ButtonLink } from "@/components/ui/button-link";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { requireSessionContext } from "@/lib/auth/session-context";
import { searchCertificates } from "@/lib/services/certificates/search-certificates";
import { listClusters } from "@/lib/services/clusters/list-clusters";
import { ZCertificateFilters } from "@/lib/validations/certificate-filters";

export const metadata: Metadata = { title: "Certificates" };

type CertificatesPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CertificatesPage({ searchParams }: CertificatesPageProps) {
  await connection();
  const { db, actor: user } = await requireSessionContext();
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = ZCertificateFilters.safeParse(raw);
  const filters = parsed.success ? parsed.data : ZCertificateFilters.parse({});
  const [result, clusters] = await Promise.all([searchCertificates(db, user, filters), listClusters(db, user)]);
  const filtered = Boolean(filters.cluster || filters.kind || filters.status || filters.q);

  const hrefFor = (change: Record<string, string | number | undefined>) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...filters, ...change })) {
      if (value === undefined || value === "" || (key === "sort" && value === "days-left") || (key === "page" && value === 1)) continue;
      query.set(key, String(value));
    }
    return query.size ? `/certificates?${query}` : "/certificates";
  };

  return (
    <>
      <AppHeader title="Certificates" description="Every CA, server and client certificate you may see, soonest expiry first." />
      <div className="space-y-6 px-4 sm:px-8 py-8">
        <CertificateFilterForm filters={filters} clusters={clusters} invalid={!parsed.success} />
        {result.total === 0 ? (
          filtered ? (
            <EmptyState
              icon={FileBadge2}
              title="No certificates match these filters"
              action={
                <ButtonLink href="/certificates" variant="secondary">
                  Clear filters
                </ButtonLink>
              }
            >
              Try another status or a shorter search term.
            </EmptyState>
          ) : (
            <EmptyState
              icon={FileBadge2}
              title="No certificates yet"
              action={<ButtonLink href="/clusters/new">Create a cluster</ButtonLink>}
            >
              Certificates appear here as soon as a cluster has its CA and its first nodes.
            </EmptyState>
          )
        ) : (
          <>
            <CertificatesTable rows={result.rows} sort={filters.sort} hrefFor={hrefFor} />
            <Pagination
              page={result.page}
              pageSize={result.pageSize}
              total={result.total}
              hrefFor={(page) => hrefFor({ page })}
              noun="certificates"
            />
          </>
        )}
      </div>
    </>
  );
}
