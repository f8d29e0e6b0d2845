import { Download, ScrollText } from "lucide-react";
import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { connection } from "next/server";
import { AppHeader } from "@/components/shell/app-header";
import { AuditFilterForm } from "@/components/audit/audit-filter-form";
import { AuditTable } from "@/components/audit/audit-table";
import { ButtonLink } from "@/components/ui/button-link";
import { EmptyState } from "@/components/ui/empty-state";
import { isAllowed } from "@/lib/access/permissions";
import { requireSessionContext } from "@/lib/auth/session-context";
import { listAuditEvents } from "@/lib/services/audit/list-audit-events";
import { ZAuditFilters } from "@/lib/validations/audit";

export const metadata: Metadata = { title: "Audit log" };

type AuditPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditLogPage({ searchParams }: AuditPageProps) {
  await connection();
  const { db, actor: user } = await requireSessionContext();
  if (!isAllowed(user, "audit:read")) forbidden();
  const raw = await searchParams;
  const parsed = ZAuditFilters.safeParse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const filters = parsed.success ? parsed.data : {};
  const events = await listAuditEvents(db, user, filters);
  const query = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));

  return (
    <>
      <AppHeader
        title="Audit log"
        description="Who did what, to which object, from where — append-only."
        actions={
          <ButtonLink href={`/audit/export?${query}`} variant="secondary" prefetch={false}>
            <Download aria-hidden className="size-4" /> Export CSV
          </ButtonLink>
        }
      />
      <div className="space-y-6 px-4 sm:px-8 py-8">
        <AuditFilterForm filters={filters} invalid={!parsed.success} />
        {events.length === 0 ? (
          <EmptyState icon={ScrollText} title={query.size > 0 ? "No events match these filters" : "No audit events yet"}>
            Every change and every private-key download is recorded here, in the same transaction as the change.
          </EmptyState>
        ) : (
          <AuditTable events={events} />
        )}
      </div>
    </>
  );
}
