import "server-only";
import { and, eq, gt } from "drizzle-orm";
import { schema, type Transaction } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { buildCrl, loadIssuer, type RevocationReasonName } from "@/lib/pki";
import { decryptSecret } from "@/lib/secrets/envelope";
import type { MasterKey } from "@/lib/secrets/master-key";
import { DAY_MS } from "@/lib/format/days";


/**
 * Re-signs a CA's CRL inside the caller's transaction. The CA row is locked so concurrent
 * revocations take CRL numbers one after another (RFC 5280 §5.2.3: strictly increasing).
 * Entries of certificates that have expired are dropped (§3.3 allows it; the list stays small).
 */
export async function regenerateCrl(tx: Transaction, caId: string, keys: readonly MasterKey[], now = new Date()) {
  const { certificateAuthorities: cas, certificates, clusters, crls } = schema;
  const [ca] = await tx
    .select({ envelope: cas.encryptedPrivateKey, nextCrlNumber: cas.nextCrlNumber, certificatePem: certificates.certificatePem, crlDays: clusters.crlDays })
    .from(cas)
    .innerJoin(certificates, eq(certificates.id, cas.certificateId))
    .innerJoin(clusters, eq(clusters.id, cas.clusterId))
    .where(eq(cas.id, caId))
    .for("update", { of: cas });
  if (!ca) throw new AppError("NOT_FOUND", `certificate authority ${caId} not found`);
  const revoked = await tx
    .select({ serialHex: certificates.serialHex, revokedAt: certificates.revokedAt, reason: certificates.revocationReason })
    .from(certificates)
    .where(and(eq(certificates.issuerCaId, caId), eq(certificates.status, "revoked"), gt(certificates.notAfter, now)));
  const issuer = await loadIssuer({ certificatePem: ca.certificatePem, privateKeyPem: decryptSecret(ca.envelope, keys).toString("utf8") });
  const nextUpdate = new Date(now.getTime() + ca.crlDays * DAY_MS);
  const crl = await buildCrl({
    issuer,
    entries: revoked.map((r) => ({ serialHex: r.serialHex, revokedAt: r.revokedAt!, reason: (r.reason ?? undefined) as RevocationReasonName | undefined })),
    crlNumber: ca.nextCrlNumber,
    thisUpdate: now,
    nextUpdate,
  });
  await tx.insert(crls).values({ caId, crlNumber: ca.nextCrlNumber, thisUpdate: now, nextUpdate, entryCount: revoked.length, der: crl.der });
  await tx.update(cas).set({ nextCrlNumber: ca.nextCrlNumber + 1n }).where(eq(cas.id, caId));
  return { crlNumber: ca.nextCrlNumber, entryCount: revoked.length };
}
