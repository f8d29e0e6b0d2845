import "server-only";
import { eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { pgErrorCode, UNIQUE_VIOLATION } from "@/lib/db/errors";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import type { MasterKey } from "@/lib/secrets/master-key";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { validationError } from "@/lib/validations/field-errors";
import { ZCreateClusterInput, type TCreateClusterInput } from "@/lib/validations/clusters";
import { insertRootCa, prepareRootCa } from "@/lib/services/pki/new-root-ca";

/**
 * Creates a cluster with its root CA and a first (empty) CRL, so root.crt and the CRL URL work
 * from the start. Key generation happens before the transaction (RSA-4096 takes seconds); the
 * rows, the encrypted CA key and the audit row are written together or not at all.
 */
export async function createCluster(db: Database, actor: Actor, masterKey: MasterKey, input: TCreateClusterInput) {
  assertAllowed(actor, "cluster:manage");
  const parsed = ZCreateClusterInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid cluster");
  const { name, organization, ...settings } = parsed.data;

  const [existing] = await db.select({ id: schema.clusters.id }).from(schema.clusters).where(eq(schema.clusters.name, name));
  if (existing) throw duplicate(name);

  const subjectTemplate = organization ? { O: organization } : {};
  const prepared = await prepareRootCa({ commonName: `${name} Root CA`, subjectTemplate, keyAlgorithm: settings.keyAlgorithm, crlDays: settings.crlDays });
  const { ca, parsed: parsedCa } = prepared;

  try {
    return await db.transaction(async (tx) => {
      const [cluster] = await tx.insert(schema.clusters).values({ name, subjectTemplate, ...settings }).returning();
      await insertRootCa(tx, { clusterId: cluster!.id, prepared, state: "active", actor, masterKey });
      await recordAuditEvent(tx, actor, {
        action: "cluster.create",
        objectType: "cluster",
        objectId: cluster!.id,
        clusterId: cluster!.id,
        details: { cluster: name, keyAlgorithm: ca.keyAlgorithm, caSerial: ca.serialHex, caFingerprint: parsedCa.fingerprintSha256 },
      });
      return { id: cluster!.id, name: cluster!.name, caCertificatePem: ca.certificatePem };
    });
  } catch (error) {
    // Two concurrent creations with the same name: the unique index decides.
    if (pgErrorCode(error) === UNIQUE_VIOLATION) throw duplicate(name);
    throw error;
  }
}

function duplicate(name: string): AppError {
  return new AppError("CONFLICT", `a cluster named "${name}" already exists`, { name: ["Already in use"] });
}
