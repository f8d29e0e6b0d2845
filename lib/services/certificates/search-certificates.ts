import "server-only";
import { and, asc, count, desc, eq, gt, ilike, inArray, lte, notInArray, or, sql, type SQL } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { containsPattern } from "@/lib/db/like";
import type { Actor } from "@/lib/access/actor";
import { DAY_MS } from "@/lib/format/days";
import { visibleClusterIds } from "@/lib/services/access/visible-cluster-ids";
import { CERTIFICATES_PAGE_SIZE, type TCertificateFilters } from "@/lib/validations/certificate-filters";

const { certificates: c, clusters } = schema;

function statusCondition(status: TCertificateFilters["status"], now: Date): SQL | undefined {
  const soon = new Date(now.getTime() + 30 * DAY_MS);
  switch (status) {
    case "active":
      return and(eq(c.status, "active"), gt(c.notAfter, soon));
    case "expiring":
      return and(eq(c.status, "active"), gt(c.notAfter, now), lte(c.notAfter, soon));
    case "expired":
      return or(eq(c.status, "expired"), and(eq(c.status, "active"), lte(c.notAfter, now)));
    case "revoked":
    case "superseded":
      return eq(c.status, status);
    case "all":
      return undefined;
    default:
      // A re-issue leaves the superseded certificate behind: by default only current ones show.
      return notInArray(c.status, ["revoked", "superseded"]);
  }
}

function searchCondition(q: string | undefined): SQL | undefined {
  if (!q) return undefined;
  const pattern = containsPattern(q);
  const serial = q.replace(/:/g, "").toUpperCase();
  return or(
    ilike(c.commonName, pattern),
    ilike(c.databaseUser, pattern),
    sql`array_to_string(${c.dnsNames} || ${c.ipAddresses}, ' ') ILIKE ${pattern}`,
    /^[0-9A-F]+$/.test(serial) ? sql`${c.serialHex} LIKE ${`${serial}%`}` : undefined,
  );
}

const ORDER = {
  "days-left": [asc(c.notAfter), asc(c.id)],
  "-days-left": [desc(c.notAfter), asc(c.id)],
  issued: [asc(c.createdAt), asc(c.id)],
  "-issued": [desc(c.createdAt), asc(c.id)],
} as const;

/**
 * The Certificates page: every certificate the actor may see, filtered by cluster, kind, status
 * (expiring/expired derived from notAfter) and a search over names, users and serials, one page
 * at a time with the total, so a fleet of tens of thousands stays a cheap indexed query.
 */
export async function searchCertificates(db: Executor, actor: Actor, filters: TCertificateFilters, now = new Date()) {
  const visible = await visibleClusterIds(db, actor);
  const page = { page: filters.page, pageSize: CERTIFICATES_PAGE_SIZE };
  if (visible !== "all" && visible.length === 0) return { rows: [], total: 0, ...page };
  const where = and(
    visible === "all" ? undefined : inArray(c.clusterId, visible),
    filters.cluster ? eq(c.clusterId, filters.cluster) : undefined,
    filters.kind ? eq(c.kind, filters.kind) : undefined,
    statusCondition(filters.status, now),
    searchCondition(filters.q),
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: c.id,
        kind: c.kind,
        status: c.status,
        serialHex: c.serialHex,
        commonName: c.commonName,
        notAfter: c.notAfter,
        clusterId: c.clusterId,
        clusterName: clusters.name,
        nodeId: c.nodeId,
        databaseUser: c.databaseUser,
        revocationReason: c.revocationReason,
      })
      .from(c)
      .innerJoin(clusters, eq(clusters.id, c.clusterId))
      .where(where)
      .orderBy(...ORDER[filters.sort])
      .limit(CERTIFICATES_PAGE_SIZE)
      .offset((filters.page - 1) * CERTIFICATES_PAGE_SIZE),
    db.select({ n: count() }).from(c).where(where),
  ]);
  return { rows, total: total?.n ?? 0, ...page };
}

export type CertificateSearchRow = Awaited<ReturnType<typeof searchCertificates>>["rows"][number];
