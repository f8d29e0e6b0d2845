import "server-only";
import { and, eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { derToPem, matchHost, parseCrl, pemToDerAll, verifyChain } from "@/lib/pki";
import { describeError } from "@/lib/errors/describe-error";
import { getCurrentCrl } from "@/lib/services/clusters/get-current-crl";
import { readTrustBundle } from "@/lib/services/clusters/get-trust-bundle";
import { getNodeOrThrow } from "./get-node";

export type VerifyFullCheck = { check: "certificate" | "name" | "chain" | "validity" | "revocation"; ok: boolean; detail: string };

/**
 * "Will a client at sslmode=verify-full, dialing `host` with this cluster's root.crt, accept
 * this node?" — the checks libpq makes, against the certificate cluster-tls issued (the live
 * probe says whether the node actually serves it): name in the SANs, chain to a trusted root,
 * within its validity, not on the CRL. Each check says why it failed.
 */
export async function checkVerifyFull(db: Executor, actor: Actor, nodeId: string, host: string, now = new Date()) {
  const { node, cluster, certificate } = await getNodeOrThrow(db, actor, nodeId);
  if (!certificate)
    return {
      host,
      pass: false,
      checks: [{ check: "certificate", ok: false, detail: `${node.hostname} has no active server certificate` }] as VerifyFullCheck[],
    };
  const checks: VerifyFullCheck[] = [];

  const name = matchHost(certificate, host);
  checks.push({ check: "name", ok: name.ok, detail: name.ok ? `${host} matches ${name.matched}` : name.reason });

  const { certificateAuthorities: cas, certificates } = schema;
  const intermediates = await db
    .select({ pem: certificates.certificatePem, external: cas.externalChainPem })
    .from(cas)
    .innerJoin(certificates, eq(certificates.id, cas.certificateId))
    .where(and(eq(cas.clusterId, cluster.id), eq(cas.kind, "intermediate")));
  const { pem: trusted } = await readTrustBundle(db, cluster);
  const roots = pemToDerAll(trusted, "CERTIFICATE").map((der) => derToPem(der, "CERTIFICATE"));
  try {
    await verifyChain({
      leafPem: certificate.certificatePem,
      intermediatesPem: intermediates.flatMap((i) => [i.pem, ...(i.external ? [i.external] : [])]),
      trustedRootsPem: roots,
      now,
    });
    checks.push({ check: "chain", ok: true, detail: "chains to a CA in the cluster's root.crt" });
  } catch (error) {
    checks.push({ check: "chain", ok: false, detail: describeError(error) });
  }

  const valid = certificate.notBefore <= now && now < certificate.notAfter;
  checks.push({
    check: "validity",
    ok: valid,
    detail: valid
      ? `valid until ${certificate.notAfter.toISOString()}`
      : certificate.notAfter <= now
        ? `expired ${certificate.notAfter.toISOString()}`
        : `not valid before ${certificate.notBefore.toISOString()}`,
  });

  const crl = await getCurrentCrl(db, actor, cluster.id).catch(() => null);
  const listed = crl ? parseCrl(crl.der).entries.some((entry) => entry.serialHex === certificate.serialHex) : false;
  checks.push({
    check: "revocation",
    ok: !listed,
    detail: listed
      ? `serial ${certificate.serialHex} is on CRL ${crl!.crlNumber}`
      : crl
        ? `not on CRL ${crl.crlNumber}`
        : "no CRL published",
  });

  return { host, pass: checks.every((c) => c.ok), checks };
}
