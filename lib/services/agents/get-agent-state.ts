import "server-only";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { SYSTEM_ACTOR, type Actor } from "@/lib/access/actor";
import { splitChain } from "@/lib/pki";
import { getPublishedFile } from "@/lib/services/clusters/get-published-file";
import { getNodeOrThrow } from "@/lib/services/nodes/get-node";
import { assertNodeActor } from "./authenticate-node-credential";

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
 */
export async function getAgentState(db: Database, actor: Actor): Promise<{ state: AgentState; body: string; etag: string }> {
  assertNodeActor(actor);
  const { node, cluster, certificate } = await getNodeOrThrow(db, SYSTEM_ACTOR, actor.nodeId);
  const [root, crl, agent] = await Promise.all([
    getPublishedFile(db, SYSTEM_ACTOR, cluster.id, "root.crt"),
    getPublishedFile(db, SYSTEM_ACTOR, cluster.id, "crl.pem"),
    db.select({ renewalRequestedAt: schema.nodeAgents.renewalRequestedAt }).from(schema.nodeAgents).where(eq(schema.nodeAgents.id, actor.id)),
  ]);
  const chainPem = certificate ? await chainOf(db, certificate.issuerCaId) : "";
  const state: AgentState = {
    node: { id: node.id, hostname: node.hostname, clusterName: cluster.name, names: [...new Set([node.hostname, ...node.dnsNames, ...cluster.sharedDnsNames, ...node.ipAddresses])] },
    certificate: certificate ? { serial: certificate.serialHex, certificatePem: certificate.certificatePem, chainPem, notAfter: certificate.notAfter.toISOString() } : null,
    rootPem: Buffer.from(root.body).toString("utf8"),
    crlPem: Buffer.from(crl.body).toString("utf8"),
    crlNextUpdate: crl.expires?.toISOString() ?? null,
    etags: { certificate: certificate ? digest(certificate.certificatePem + chainPem) : null, root: root.etag, crl: crl.etag },
    renewalRequested: agent[0]?.renewalRequestedAt != null,
  };
  const body = JSON.stringify(state);
  return { state, body, etag: digest(body) };
}

/** Intermediates that go into server.crt after the leaf: none under a root CA (clients have it in root.crt). */
async function chainOf(db: Database, issuerCaId: string | null): Promise<string> {
  if (!issuerCaId) return "";
  const { certificateAuthorities: cas, certificates } = schema;
  const [ca] = await db
    .select({ kind: cas.kind, pem: certificates.certificatePem, externalChainPem: cas.externalChainPem })
    .from(cas)
    .innerJoin(certificates, eq(certificates.id, cas.certificateId))
    .where(eq(cas.id, issuerCaId));
  if (!ca || ca.kind !== "intermediate") return "";
  return [ca.pem, ...splitChain(ca.externalChainPem).intermediates].join("");
}
