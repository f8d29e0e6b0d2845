import "server-only";
import { createHash } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { schema, type Database } from "@/lib/db";
import { SYSTEM_ACTOR, type Actor } from "@/lib/access/actor";
import { splitChain } from "@/lib/pki";
import { getPublishedFile } from "@/lib/services/clusters/get-published-file";
import { AppError } from "@/lib/errors/app-error";
import { assertNodeActor } from "./authenticate-node-credential";
import { activeServerCertificateOf } from "@/lib/services/queries/node-certificates";

/** Everything an agent installs, in one answer, so an idle poll is one request and one 304. */
export type AgentState = {
  node: { id: string; hostname: string; clusterName: string; names: string[] };
  certificate: { serial: string; certificatePem: string; chainPem: string; notAfter: string } | null;
  rootPem: string;
  crlPem: string;
  crlNextUpdate: string | null;
  etags: { certificate: string | null; root: string; crl: string };
  renewalRequested: boolean;
};

const digest = (text: string) => `"${createHash("sha256").update(text).digest("base64url")}"`;

/**
 * The calling agent's own node — never another's: the node comes from the credential, not from
 * the request. root.crt and the CRLs (every trusted CA's, what ssl_crl_file needs) come from the
 * published-file cache with their ETags; the answer's ETag is the SHA-256 of the whole body.
 * Every idle agent asks this once a minute, so the node, its cluster, its active certificate, the
 * issuer's chain and the renewal flag are one query (five before: ~1 ms of CPU each on PGlite).
 */
export async function getAgentState(db: Database, actor: Actor): Promise<{ state: AgentState; body: string; etag: string }> {
  assertNodeActor(actor);
  const { node, cluster, certificate, chainPem, renewalRequestedAt } = await loadAgentNode(db, actor);
  const [root, crl] = await Promise.all([
    getPublishedFile(db, SYSTEM_ACTOR, cluster.id, "root.crt"),
    getPublishedFile(db, SYSTEM_ACTOR, cluster.id, "crl.pem"),
  ]);
  const state: AgentState = {
    node: {
      id: node.id,
      hostname: node.hostname,
      clusterName: cluster.name,
      names: [...new Set([node.hostname, ...node.dnsNames, ...cluster.sharedDnsNames, ...node.ipAddresses])],
    },
    certificate: certificate
      ? {
          serial: certificate.serialHex,
          certificatePem: certificate.certificatePem,
          chainPem,
          notAfter: certificate.notAfter.toISOString(),
        }
      : null,
    rootPem: Buffer.from(root.body).toString("utf8"),
    crlPem: Buffer.from(crl.body).toString("utf8"),
    crlNextUpdate: crl.expires?.toISOString() ?? null,
    etags: { certificate: certificate ? digest(certificate.certificatePem + chainPem) : null, root: root.etag, crl: crl.etag },
    renewalRequested: renewalRequestedAt != null,
  };
  const body = JSON.stringify(state);
  return { state, body, etag: digest(body) };
}

/**
 * The agent's live node with its cluster, its active server certificate and the intermediates
 * that go into server.crt after the leaf (none under a root CA: clients have it in root.crt).
 */
async function loadAgentNode(db: Database, actor: Extract<Actor, { type: "node" }>) {
  const { nodeAgents, nodes, clusters, certificates, certificateAuthorities: cas } = schema;
  const caCertificates = alias(certificates, "ca_certificate");
  const [row] = await db
    .select({
      node: { id: nodes.id, hostname: nodes.hostname, dnsNames: nodes.dnsNames, ipAddresses: nodes.ipAddresses },
      cluster: { id: clusters.id, name: clusters.name, sharedDnsNames: clusters.sharedDnsNames },
      renewalRequestedAt: nodeAgents.renewalRequestedAt,
      certificate: { serialHex: certificates.serialHex, certificatePem: certificates.certificatePem, notAfter: certificates.notAfter },
      ca: { kind: cas.kind, pem: caCertificates.certificatePem, externalChainPem: cas.externalChainPem },
    })
    .from(nodeAgents)
    .innerJoin(nodes, and(eq(nodes.id, nodeAgents.nodeId), isNull(nodes.removedAt)))
    .innerJoin(clusters, eq(clusters.id, nodes.clusterId))
    .leftJoin(certificates, activeServerCertificateOf(nodes.id))
    .leftJoin(cas, eq(cas.id, certificates.issuerCaId))
    .leftJoin(caCertificates, eq(caCertificates.id, cas.certificateId))
    .where(and(eq(nodeAgents.id, actor.id), eq(nodeAgents.nodeId, actor.nodeId)));
  if (!row) throw new AppError("NOT_FOUND", `node ${actor.nodeId} not found`);
  const chainPem =
    row.ca?.kind === "intermediate" && row.ca.pem ? [row.ca.pem, ...splitChain(row.ca.externalChainPem ?? "").intermediates].join("") : "";
  return { ...row, chainPem };
}
