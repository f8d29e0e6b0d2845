import "server-only";
import { and, count, desc, eq, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import { alias, type AnyPgColumn } from "drizzle-orm/pg-core";
import { Counter, Gauge, Registry } from "prom-client";
import { schema, type Executor } from "@/lib/db";
import { TRUSTED_CA_STATES } from "@/lib/db/schema/enums";
import { admissionStats } from "@/lib/services/metrics/admission-stats";
import { installedCrlNextUpdate, installsIssued, type AgentLastStatus } from "@/lib/services/agents/agent-verdict";
import { activeServerCertificateOf } from "@/lib/services/queries/node-certificates";

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * Prometheus text for the clusters in `clusterIds` ("all" for the metrics token): when every
 * active certificate expires and every CA's CRL must be re-signed (alert on these), how many
 * certificates were issued and revoked, and how the scheduled jobs fare. Computed from the
 * database at scrape time, so every app instance reports the same numbers — except the
 * admission gate's, which are this instance's own.
 */
export async function renderMetrics(db: Executor, clusterIds: string[] | "all") {
  const { certificates: c, clusters, nodes, crls, certificateAuthorities: cas, jobRuns, nodeAgents: agents } = schema;
  const registry = new Registry();
  // An empty scope matches nothing (a token whose clusters are all gone).
  const scope = (column: AnyPgColumn) => (clusterIds === "all" ? undefined : clusterIds.length ? inArray(column, clusterIds) : sql`false`);
  const caCertificate = alias(c, "ca_certificate");

  const [active, latestCrls, issued, revoked, runs, lastRuns, probes, agentRows] = await Promise.all([
    db
      .select({
        cluster: clusters.name,
        kind: c.kind,
        commonName: c.commonName,
        hostname: nodes.hostname,
        databaseUser: c.databaseUser,
        serial: c.serialHex,
        notAfter: c.notAfter,
      })
      .from(c)
      .innerJoin(clusters, eq(clusters.id, c.clusterId))
      .leftJoin(nodes, eq(nodes.id, c.nodeId))
      .where(and(eq(c.status, "active"), isNull(clusters.archivedAt), scope(c.clusterId))),
    db
      .selectDistinctOn([crls.caId], { cluster: clusters.name, ca: caCertificate.commonName, nextUpdate: crls.nextUpdate })
      .from(crls)
      .innerJoin(cas, eq(cas.id, crls.caId))
      .innerJoin(caCertificate, eq(caCertificate.id, cas.certificateId))
      .innerJoin(clusters, eq(clusters.id, cas.clusterId))
      .where(and(inArray(cas.state, TRUSTED_CA_STATES), scope(cas.clusterId)))
      .orderBy(crls.caId, desc(crls.crlNumber)),
    db
      .select({ cluster: clusters.name, kind: c.kind, n: count() })
      .from(c)
      .innerJoin(clusters, eq(clusters.id, c.clusterId))
      .where(and(ne(c.kind, "ca"), scope(c.clusterId)))
      .groupBy(clusters.name, c.kind),
    db
      .select({ cluster: clusters.name, kind: c.kind, n: count() })
      .from(c)
      .innerJoin(clusters, eq(clusters.id, c.clusterId))
      .where(and(eq(c.status, "revoked"), scope(c.clusterId)))
      .groupBy(clusters.name, c.kind),
    db
      .select({ job: jobRuns.job, outcome: jobRuns.outcome, n: count() })
      .from(jobRuns)
      .where(inArray(jobRuns.outcome, ["succeeded", "failed"]))
      .groupBy(jobRuns.job, jobRuns.outcome),
    db
      .selectDistinctOn([jobRuns.job], { job: jobRuns.job, startedAt: jobRuns.startedAt, durationMs: jobRuns.durationMs })
      .from(jobRuns)
      .where(eq(jobRuns.outcome, "succeeded"))
      .orderBy(jobRuns.job, desc(jobRuns.startedAt)),
    db
      .select({ cluster: clusters.name, node: nodes.hostname, status: nodes.lastProbeStatus, at: nodes.lastProbedAt })
      .from(nodes)
      .innerJoin(clusters, eq(clusters.id, nodes.clusterId))
      .where(and(isNull(nodes.removedAt), isNull(clusters.archivedAt), isNotNull(nodes.lastProbedAt), scope(nodes.clusterId))),
    db
      .select({
        cluster: clusters.name,
        node: nodes.hostname,
        lastStatus: agents.lastStatus,
        lastStatusAt: agents.lastStatusAt,
        issuedSerial: c.serialHex,
      })
      .from(agents)
      .innerJoin(nodes, eq(nodes.id, agents.nodeId))
      .innerJoin(clusters, eq(clusters.id, nodes.clusterId))
      .leftJoin(c, activeServerCertificateOf(nodes.id))
      .where(and(isNull(nodes.removedAt), isNull(clusters.archivedAt), scope(nodes.clusterId))),
  ]);

  const expiry = new Gauge({
    name: "cluster_tls_certificate_expiry_timestamp_seconds",
    help: "notAfter of each active certificate (Unix seconds)",
    labelNames: ["cluster", "kind", "name", "serial"],
    registers: [registry],
  });
  for (const cert of active) {
    const name =
      cert.kind === "server"
        ? (cert.hostname ?? cert.commonName)
        : cert.kind === "client"
          ? (cert.databaseUser ?? cert.commonName)
          : cert.commonName;
    expiry.set({ cluster: cert.cluster, kind: cert.kind, name, serial: cert.serial }, seconds(cert.notAfter));
  }
  const crlNext = new Gauge({
    name: "cluster_tls_crl_next_update_timestamp_seconds",
    help: "nextUpdate of each CA's current CRL (Unix seconds); PostgreSQL refuses client certificates after it",
    labelNames: ["cluster", "ca"],
    registers: [registry],
  });
  for (const crl of latestCrls) crlNext.set({ cluster: crl.cluster, ca: crl.ca }, seconds(crl.nextUpdate));
  const issuedTotal = new Counter({
    name: "cluster_tls_certificates_issued_total",
    help: "Server and client certificates issued",
    labelNames: ["cluster", "kind"],
    registers: [registry],
  });
  for (const row of issued) issuedTotal.inc({ cluster: row.cluster, kind: row.kind }, row.n);
  const revokedTotal = new Counter({
    name: "cluster_tls_certificates_revoked_total",
    help: "Certificates revoked",
    labelNames: ["cluster", "kind"],
    registers: [registry],
  });
  for (const row of revoked) revokedTotal.inc({ cluster: row.cluster, kind: row.kind }, row.n);
  const runsTotal = new Counter({
    name: "cluster_tls_job_runs_total",
    help: "Scheduled job runs by outcome, across instances",
    labelNames: ["job", "outcome"],
    registers: [registry],
  });
  for (const row of runs) runsTotal.inc({ job: row.job, outcome: row.outcome }, row.n);
  const lastSuccess = new Gauge({
    name: "cluster_tls_job_last_success_timestamp_seconds",
    help: "When each job last succeeded (Unix seconds)",
    labelNames: ["job"],
    registers: [registry],
  });
  const lastDuration = new Gauge({
    name: "cluster_tls_job_last_duration_seconds",
    help: "Duration of each job's last successful run",
    labelNames: ["job"],
    registers: [registry],
  });
  for (const run of lastRuns) {
    lastSuccess.set({ job: run.job }, seconds(run.startedAt));
    lastDuration.set({ job: run.job }, (run.durationMs ?? 0) / 1000);
  }
  const probe = new Gauge({
    name: "cluster_tls_node_probe_ok",
    help: "1 when the node last served the current certificate, 0 otherwise (see the status label)",
    labelNames: ["cluster", "node", "status"],
    registers: [registry],
  });
  const probedAt = new Gauge({
    name: "cluster_tls_node_probe_timestamp_seconds",
    help: "When each node was last probed",
    labelNames: ["cluster", "node"],
    registers: [registry],
  });
  for (const row of probes) {
    probe.set({ cluster: row.cluster, node: row.node, status: row.status ?? "unknown" }, row.status === "current" ? 1 : 0);
    probedAt.set({ cluster: row.cluster, node: row.node }, seconds(row.at!));
  }
  const agentSeen = new Gauge({
    name: "cluster_tls_agent_last_seen_timestamp_seconds",
    help: "When each node's agent last reported (Unix seconds); alert when older than a few poll intervals",
    labelNames: ["cluster", "node"],
    registers: [registry],
  });
  const agentCurrent = new Gauge({
    name: "cluster_tls_agent_installed_current",
    help: "1 when the node's agent installed and serves the certificate issued now, 0 otherwise",
    labelNames: ["cluster", "node"],
    registers: [registry],
  });
  const agentCrl = new Gauge({
    name: "cluster_tls_agent_crl_next_update_timestamp_seconds",
    help: "Soonest nextUpdate of the CRLs installed on the node (Unix seconds); PostgreSQL refuses client certificates after it",
    labelNames: ["cluster", "node"],
    registers: [registry],
  });
  for (const row of agentRows) {
    const labels = { cluster: row.cluster, node: row.node };
    const status = row.lastStatus as AgentLastStatus | null;
    if (row.lastStatusAt) agentSeen.set(labels, seconds(row.lastStatusAt));
    agentCurrent.set(labels, installsIssued(status, row.issuedSerial) ? 1 : 0);
    const crlNextUpdate = installedCrlNextUpdate(status);
    if (crlNextUpdate) agentCrl.set(labels, seconds(crlNextUpdate));
  }
  // This process's admission gate (scripts/serve.mjs), when it runs behind one: per instance, unlike the rest.
  const gate = admissionStats();
  if (gate) {
    new Gauge({
      name: "cluster_tls_http_requests_in_flight",
      help: "Requests this instance is working on (at most the limit)",
      registers: [registry],
    }).set(gate.running);
    new Gauge({
      name: "cluster_tls_http_requests_queued",
      help: "Requests this instance holds back until a slot frees",
      registers: [registry],
    }).set(gate.queued);
    new Gauge({
      name: "cluster_tls_http_requests_limit",
      help: "CLUSTER_TLS_MAX_IN_FLIGHT of this instance (0: no limit)",
      registers: [registry],
    }).set(gate.limit);
  }
  return { contentType: registry.contentType, body: await registry.metrics() };
}
