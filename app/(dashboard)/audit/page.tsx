import { ScrollText } from "lucide-react";
import type { Metadata } from "next";
import { connection } from "next/server";
import { AppHeader } from "@/components/shell/app-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Forbidden } from "@/components/ui/forbidden";
import { isAllowed } from "@/lib/access/permissions";
import { requireSessionUser } from "@/lib/auth/current-user";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { listRecentAuditEvents } from "@/lib/services/list-recent-audit-events";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditLogPage() {
  await connection();
  const user = await requireSessionUser();
  if (!isAllowed(user, "audit:read")) {
    return (
      <>
        <AppHeader title="Audit log" />
        <div className="px-8 py-8">
          <Forbidden what="the audit log" />
        </div>
      </>
    );
  }
  const { database } = await getRuntime();
  const events = await listRecentAuditEvents(database.db);

  return (
    <>
      <AppHeader title="Audit log" description="Who did what, to which object, from where — append-only." />
      <div className="px-8 py-8">
        {events.length === 0 ? (
          <EmptyState icon={ScrollText} title="No audit events yet">
            Every change and every private-key download is recorded here, in the same transaction as the change.
          </EmptyState>
        ) : (
          <ol className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
            {events.map((event) => (
              <li key={event.id.toString()} className="flex flex-wrap gap-x-4 px-5 py-3 text-sm">
                <time className="tabular-nums text-slate-500" dateTime={event.occurredAt.toISOString()}>
                  {event.occurredAt.toISOString().replace("T", " ").slice(0, 19)}
                </time>
                <span className="font-medium">{event.actorLabel}</span>
                <span>{event.action}</span>
                <span className="text-slate-500">{event.outcome}</span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </>
  );
}
