import { isAllowed } from "@/lib/access/permissions";
import { sessionDownload } from "@/lib/api/session-download";
import { AppError } from "@/lib/errors/app-error";
import { toCsv } from "@/lib/format/csv";
import { listAuditEvents } from "@/lib/services/audit/list-audit-events";
import { ZAuditFilters } from "@/lib/validations/audit";

export const dynamic = "force-dynamic";

const EXPORT_LIMIT = 100_000;

/** CSV of the filtered audit log for admins and auditors (signed-in session). */
export const GET = sessionDownload<Record<string, never>>(async ({ db, actor, request }) => {
  if (!isAllowed(actor, "audit:read")) throw new AppError("FORBIDDEN", "you may not read the audit log");
  const parsed = ZAuditFilters.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new AppError("VALIDATION_FAILED", `invalid filter: ${parsed.error.issues[0]?.message}`);
  const events = await listAuditEvents(db, actor, parsed.data, EXPORT_LIMIT);
  const csv = toCsv(
    [
      "occurred_at",
      "actor_type",
      "actor",
      "action",
      "object_type",
      "object_id",
      "cluster",
      "outcome",
      "ip_address",
      "user_agent",
      "details",
    ],
    events.map((e) => [
      e.occurredAt.toISOString(),
      e.actorType,
      e.actorLabel,
      e.action,
      e.objectType,
      e.objectId,
      e.clusterName ?? e.clusterId,
      e.outcome,
      e.ipAddress,
      e.userAgent,
      JSON.stringify(e.details),
    ]),
  );
  return { body: csv, filename: `cluster-tls-audit-${new Date().toISOString().slice(0, 10)}.csv`, contentType: "text/csv; charset=utf-8" };
});
