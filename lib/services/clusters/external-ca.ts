import "server-only";
import { eq } from "drizzle-orm";
import { schema, type Database, type Executor } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { parseCertificate, parseCsr, splitChain } from "@/lib/pki";
import { toHex } from "@/lib/pki/bytes";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { openPendingCaKey } from "@/lib/services/pki/ca-signer";
import { checkExternalCa, checkIssuerCrls } from "@/lib/services/pki/check-external-ca";
import { insertCa, prepareExternalCa } from "@/lib/services/pki/new-ca";
import { getClusterOrThrow } from "./get-cluster";
import { activeCaOf } from "@/lib/services/queries/cluster-cas";

/** The intermediate CA request a cluster waits on (its CSR for the external root), or null. */
export async function getCaRequest(db: Executor, actor: Actor, clusterRef: string) {
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  const { caRequests } = schema;
  const [request] = await db
    .select({
      subject: caRequests.subject,
      keyAlgorithm: caRequests.keyAlgorithm,
      csrPem: caRequests.csrPem,
      createdAt: caRequests.createdAt,
    })
    .from(caRequests)
    .where(eq(caRequests.clusterId, cluster.id));
  return request ? { clusterId: cluster.id, clusterName: cluster.name, ...request } : null;
}

type SignedCaUpload = { certificatePem: string; chainPem?: string; crlPem?: string };

/**
 * The external root signed our intermediate's CSR: check the certificate is for our key, is a CA,
 * and chains to a self-signed root whose CRLs came along; then it becomes the cluster's active CA
 * (first CRL, request deleted, audit row) in one transaction. A second upload is a conflict.
 */
export async function completeCaRequest(db: Database, actor: Actor, keyRing: KeyRing, clusterRef: string, upload: SignedCaUpload) {
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  assertAllowed(actor, "cluster:manage", { clusterId: cluster.id });
  const { caRequests } = schema;
  const [request] = await db.select().from(caRequests).where(eq(caRequests.clusterId, cluster.id));
  if (!request) throw new AppError("CONFLICT", `${cluster.name} is not waiting for a CA certificate`);
  if (typeof upload.certificatePem !== "string" || !upload.certificatePem.trim()) {
    throw new AppError("VALIDATION_FAILED", "certificatePem: the intermediate CA certificate the external root signed is required", {
      certificatePem: ["Required"],
    });
  }
  await assertSameKey(upload.certificatePem, request.csrPem);
  const privateKeyPem = openPendingCaKey(request.encryptedPrivateKey, keyRing.all);
  const checked = await checkExternalCa({ ...upload, privateKeyPem });
  if (checked.kind !== "intermediate")
    throw new AppError("VALIDATION_FAILED", "certificatePem: this certificate is self-signed; upload the one the external root signed", {
      certificatePem: ["Self-signed"],
    });
  const prepared = await prepareExternalCa(checked, "external-csr", cluster.crlDays);

  return db.transaction(async (tx) => {
    // Two uploads at once: only the first finds the request.
    const [locked] = await tx.select({ id: caRequests.id }).from(caRequests).where(eq(caRequests.id, request.id)).for("update");
    if (!locked) throw new AppError("CONFLICT", `${cluster.name} already has its CA certificate`);
    const { caId } = await insertCa(tx, { clusterId: cluster.id, prepared, state: "active", actor, masterKey: keyRing.current });
    await tx.delete(caRequests).where(eq(caRequests.id, request.id));
    await recordAuditEvent(tx, actor, {
      action: "ca_request.complete",
      objectType: "cluster",
      objectId: cluster.id,
      clusterId: cluster.id,
      details: {
        cluster: cluster.name,
        caSerial: prepared.parsed.serialHex,
        issuer: prepared.parsed.issuer,
        externalCrlNextUpdate: prepared.externalCrlNextUpdate?.toISOString() ?? null,
      },
    });
    return {
      caId,
      clusterName: cluster.name,
      serial: prepared.parsed.serialHex,
      subject: prepared.parsed.subject,
      issuer: prepared.parsed.issuer,
      notAfter: prepared.parsed.notAfter,
    };
  });
}

async function assertSameKey(certificatePem: string, csrPem: string) {
  const certificate = await parseCertificate(certificatePem).catch((error: Error) => {
    throw new AppError("VALIDATION_FAILED", `certificatePem: ${error.message}`, { certificatePem: [error.message] });
  });
  const csr = await parseCsr(csrPem);
  if (toHex(certificate.publicKeySpki) !== toHex(csr.publicKeySpki)) {
    throw new AppError(
      "VALIDATION_FAILED",
      "certificatePem: this certificate is not for this cluster's key: it was signed from another CSR",
      { certificatePem: ["Not for this cluster's CSR"] },
    );
  }
}

/**
 * Replaces the CRLs of the external issuers above the active intermediate CA (they expire on the
 * external CA's schedule; root.crl is refused by PostgreSQL once any CRL in it is stale).
 */
export async function updateExternalCrl(db: Database, actor: Actor, clusterRef: string, crlPem: unknown, now = new Date()) {
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  assertAllowed(actor, "cluster:manage", { clusterId: cluster.id });
  if (typeof crlPem !== "string")
    throw new AppError("VALIDATION_FAILED", "crlPem: the PEM text of the external CRL(s) is required", { crlPem: ["Required"] });
  const { certificateAuthorities: cas, certificates } = schema;
  const [ca] = await db
    .select({ id: cas.id, certificatePem: certificates.certificatePem, externalChainPem: cas.externalChainPem })
    .from(cas)
    .innerJoin(certificates, eq(certificates.id, cas.certificateId))
    .where(activeCaOf(cluster.id));
  if (!ca?.externalChainPem) throw new AppError("CONFLICT", `${cluster.name}'s CA has no external issuer: its CRLs are all signed here`);
  const { intermediates, roots } = splitChain(ca.externalChainPem);
  const chain = await Promise.all([...intermediates, ...roots].map(async (pem) => ({ pem, parsed: await parseCertificate(pem) })));
  const crls = await checkIssuerCrls([ca.certificatePem, ...chain.map((c) => c.pem)], chain, crlPem, now);
  await db.transaction(async (tx) => {
    await tx.update(cas).set({ externalCrlPem: crls.pem, externalCrlNextUpdate: crls.nextUpdate }).where(eq(cas.id, ca.id));
    await recordAuditEvent(tx, actor, {
      action: "ca.external_crl_update",
      objectType: "cluster",
      objectId: cluster.id,
      clusterId: cluster.id,
      details: { cluster: cluster.name, nextUpdate: crls.nextUpdate?.toISOString() ?? null },
    });
  });
  return { clusterName: cluster.name, nextUpdate: crls.nextUpdate };
}
