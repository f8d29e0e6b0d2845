import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { schema, type Database } from "@/lib/db";
import { ACCEPTED_REVOCATION_REASONS } from "@/lib/db/schema/enums";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { serialFromHex, serialToHex } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { visibleClusterIds } from "@/lib/services/access/visible-cluster-ids";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { regenerateCrl } from "@/lib/services/pki/regenerate-crl";

const ZReason = z.enum(ACCEPTED_REVOCATION_REASONS, { message: `reason must be one of ${ACCEPTED_REVOCATION_REASONS.join(", ")}` });

/**
 * Revokes a certificate by serial (hex as `openssl x509 -serial` prints it; any case, colons
 * allowed) and re-signs its CA's CRL at once, in one transaction.
 */
export async function revokeCertificate(
  db: Database,
  actor: Actor,
  keyRing: KeyRing,
  serialInput: string,
  reasonInput: string = "unspecified",
) {
  const serialHex = serialToHex(serialFromHex(serialInput));
  const reason = ZReason.safeParse(reasonInput);
  if (!reason.success) throw new AppError("VALIDATION_FAILED", reason.error.issues[0]!.message, { reason: ["Unknown reason"] });
  const visible = await visibleClusterIds(db, actor);
  const notFound = new AppError("NOT_FOUND", `no certificate with serial ${serialHex}`);
  if (visible !== "all" && visible.length === 0) throw notFound;
  const { certificates } = schema;
  const matches = await db
    .select()
    .from(certificates)
    .where(and(eq(certificates.serialHex, serialHex), visible === "all" ? undefined : inArray(certificates.clusterId, visible)));
  if (matches.length === 0) throw notFound;
  if (matches.length > 1)
    throw new AppError("CONFLICT", `serial ${serialHex} matches certificates of several CAs; revoke it from its cluster page`);
  const certificate = matches[0]!;
  assertAllowed(actor, "cluster:manage", { clusterId: certificate.clusterId });
  if (certificate.kind === "ca") throw new AppError("UNPROCESSABLE", "a CA certificate is retired through CA rotation, not revoked here");
  if (certificate.status === "revoked")
    throw new AppError("CONFLICT", `certificate ${serialHex} is already revoked (${certificate.revocationReason})`);

  return db.transaction(async (tx) => {
    const now = new Date();
    await tx
      .update(certificates)
      .set({ status: "revoked", revokedAt: now, revocationReason: reason.data })
      .where(eq(certificates.id, certificate.id));
    const crl = await regenerateCrl(tx, certificate.issuerCaId!, keyRing.all, now);
    await recordAuditEvent(tx, actor, {
      action: "certificate.revoke",
      objectType: "certificate",
      objectId: certificate.id,
      clusterId: certificate.clusterId,
      details: { name: certificate.commonName, serial: serialHex, reason: reason.data, crlNumber: crl.crlNumber.toString() },
    });
    return {
      serial: serialHex,
      status: "revoked" as const,
      reason: reason.data,
      revokedAt: now.toISOString(),
      crlNumber: Number(crl.crlNumber),
    };
  });
}
