import { getSessionUser } from "@/lib/auth/current-user";
import { isAllowed } from "@/lib/access/permissions";
import { toCsv } from "@/lib/format/csv";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { listAuditEvents } from "@/lib/services/audit/list-audit-events";
import { ZAuditFilters } from "@/lib/validations/audit";

export const dynamic = "force-dynamic";

const EXPORT_LIMIT = 100_000;

/** CSV of the filtered audit log for admins and auditors (signed-in session). */
export async function GET(request: Request) {
  const user = await getSessionUser();
  if (!user) return new Response("sign in first\n", { status: 401 });
  if (!isAllowed(user, "audit:read")) return new Response("you may not read the audit log\n", { status: 403 });
  const parsed = ZAuditFilters.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return new Response(`invalid filter: ${parsed.error.issues[0]?.message}\n`, { status: 400 });
  const { database } = await getRuntime();
  const events = await listAuditEvents(database.db, user, parsed.data, EXPORT_LIMIT);
  const csv = toCsv(
    ["occurred_at", "actor_type", "actor", "action", "object_type", "object_id", "cluster", "outcome", "ip_address", "user_agent", "details"],
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
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="cluster-tls-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
