import { timingSafeEqual } from "node:crypto";
import { apiHandler } from "@/lib/api/api-handler";
import { getMetricsOperation } from "@/lib/api/openapi/operations";
import { visibleClusterIds } from "@/lib/services/access/visible-cluster-ids";
import { renderMetrics } from "@/lib/services/metrics/render-metrics";

export const dynamic = "force-dynamic";

/** True when the request carries CLUSTER_TLS_METRICS_TOKEN (a scrape-only secret for Prometheus). */
function isScrapeToken(request: Request): boolean {
  const expected = process.env.CLUSTER_TLS_METRICS_TOKEN;
  const given = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!expected || !given) return false;
  const [a, b] = [Buffer.from(expected), Buffer.from(given)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Prometheus text format. The scrape token sees every cluster; an API token (any role) sees the
 * clusters it may read. Host names and database users are in the labels, so it is never public.
 */
export const GET = apiHandler(
  getMetricsOperation,
  async ({ db, actor }) => {
    const scope = actor.type === "system" ? "all" : await visibleClusterIds(db, actor);
    const { contentType, body } = await renderMetrics(db, scope);
    return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
  },
  { alternativeAuth: (request) => (isScrapeToken(request) ? { type: "system", label: "system" } : null) },
);
