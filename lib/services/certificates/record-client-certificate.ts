import "server-only";
import { schema, type Database } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import type { IssuedLeaf } from "@/lib/pki";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { issuedCertificateValues } from "./issued-certificate-values";

type ClientCertificateRecord = {
  clusterId: string;
  caId: string;
  databaseUser: string;
  issued: IssuedLeaf;
  /** Signed from the requester's CSR: its key was never here. */
  fromCsr: boolean;
  /** The audit row's action and what it adds to name and serial (lifetime, formats, device). */
  audit: { action: string; details: Record<string, unknown> };
};

/**
 * A person's client certificate and its audit row, in one transaction: the certificate is never
 * recorded without saying who got it (and a download of its key never happens unaudited).
 */
export async function recordClientCertificate(db: Database, actor: Actor, record: ClientCertificateRecord): Promise<void> {
  const { clusterId, caId, databaseUser, issued, fromCsr, audit } = record;
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(schema.certificates)
      .values(issuedCertificateValues({ clusterId, caId, kind: "client", commonName: databaseUser, issued, actor, databaseUser, fromCsr }))
      .returning({ id: schema.certificates.id });
    await recordAuditEvent(tx, actor, {
      action: audit.action,
      objectType: "certificate",
      objectId: row!.id,
      clusterId,
      details: { name: databaseUser, serial: issued.serialHex, ...audit.details },
    });
  });
}
