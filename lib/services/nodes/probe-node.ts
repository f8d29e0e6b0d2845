import "server-only";
import { and, eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { assertAllowed } from "@/lib/access/permissions";
import { parseCertificate } from "@/lib/pki";
import { fetchServedCertificate } from "@/lib/probe/fetch-served-certificate";
import { getNodeOrThrow } from "./get-node";

export type ProbeStatus = "current" | "older" | "foreign" | "unreachable" | "tls-off" | "handshake-failed";
export type ProbeResult = {
  status: ProbeStatus;
  detail: string;
  served?: { serialHex: string; subject: string; issuer: string; notAfter: string };
};

/** The served serial a stored "current" or "older" verdict names (its detail says "(serial …"): what the rotation evidence reads back. */
export function probedSerial(detail: string | null): string | null {
  return /\(serial ([0-9A-F]+)[,)]/.exec(detail ?? "")?.[1] ?? null;
}

/**
 * Connects to the node as a client would (SSLRequest, or direct TLS) and compares the
 * certificate it serves with what cluster-tls issued: the current one, an older one (installed
 * but not reloaded, or not installed yet), or one we never issued. Only the node's configured
 * host and port are dialed: nothing user-supplied (no SSRF).
 * Admins only: it opens a connection from this server into the network and writes the verdict;
 * readers see the verdicts the probe job records every 15 minutes.
 */
export async function probeNode(db: Executor, actor: Actor, nodeId: string, now = new Date()): Promise<ProbeResult> {
  const { node, cluster, certificate } = await getNodeOrThrow(db, actor, nodeId);
  assertAllowed(actor, "node:probe", { clusterId: cluster.id });
  const result = await probe(db, node, certificate);
  // The verdict stays on the node for the node page and /api/metrics.
  await db
    .update(schema.nodes)
    .set({ lastProbeStatus: result.status, lastProbeDetail: result.detail, lastProbedAt: now })
    .where(eq(schema.nodes.id, node.id));
  return result;
}

async function probe(
  db: Executor,
  node: { id: string; hostname: string; port: number },
  certificate: { fingerprintSha256: string } | null,
): Promise<ProbeResult> {
  const served = await fetchServedCertificate(node.hostname, node.port);
  if (!served.ok) {
    const status: ProbeStatus =
      served.problem === "unreachable" ? "unreachable" : served.problem === "tls-off" ? "tls-off" : "handshake-failed";
    return { status, detail: served.detail };
  }
  const parsed = await parseCertificate(served.der);
  const summary = { serialHex: parsed.serialHex, subject: parsed.subject, issuer: parsed.issuer, notAfter: parsed.notAfter.toISOString() };
  if (certificate && parsed.fingerprintSha256 === certificate.fingerprintSha256) {
    return { status: "current", detail: `serving the current certificate (serial ${parsed.serialHex})`, served: summary };
  }
  const { certificates } = schema;
  const [known] = await db
    .select({ serialHex: certificates.serialHex, status: certificates.status })
    .from(certificates)
    .where(and(eq(certificates.nodeId, node.id), eq(certificates.fingerprintSha256, parsed.fingerprintSha256)));
  if (known) {
    return {
      status: "older",
      detail: `serving an older certificate (serial ${known.serialHex}, ${known.status}): install the current bundle and reload PostgreSQL`,
      served: summary,
    };
  }
  return {
    status: "foreign",
    detail: `serving a certificate cluster-tls did not issue (${parsed.subject}, issued by ${parsed.issuer})`,
    served: summary,
  };
}
