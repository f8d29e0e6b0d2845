import "server-only";
import { eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { pgErrorCode, UNIQUE_VIOLATION } from "@/lib/db/errors";
import type { KeyAlgorithm, SubjectTemplate } from "@/lib/db/schema";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { createCsr, formatSubject } from "@/lib/pki";
import type { MasterKey } from "@/lib/secrets/master-key";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { sealCaKey } from "@/lib/services/pki/ca-signer";
import { checkExternalCa } from "@/lib/services/pki/check-external-ca";
import { insertCa, prepareExternalCa, prepareRootCa, type PreparedCa } from "@/lib/services/pki/new-ca";
import { validationError } from "@/lib/validations/field-errors";
import { ZCreateClusterInput, type TCreateClusterInput } from "@/lib/validations/clusters";

type Parsed = ReturnType<typeof ZCreateClusterInput.parse>;
/** The CA the new cluster starts with: ready to record, or an intermediate's request for an external root. */
type CaPlan =
  { prepared: PreparedCa } | { request: { subject: string; keyAlgorithm: KeyAlgorithm; csrPem: string; privateKeyPem: string } };

const CREATE_FIELDS = {
  certificatePem: "caCertificatePem",
  privateKeyPem: "caPrivateKeyPem",
  chainPem: "caChainPem",
  crlPem: "caCrlPem",
} as const;

/**
 * Creates a cluster with its CA and a first (empty) CRL, so root.crt and the CRL URL work from
 * the start. The CA is a new root (default), an imported CA with its key, or — `ca: "csr"` — an
 * intermediate whose CSR is returned for an external root to sign (see completeCaRequest). Key
 * generation and checks happen before the transaction; the rows, the encrypted CA key and the
 * audit row are written together or not at all.
 */
export async function createCluster(db: Database, actor: Actor, masterKey: MasterKey, input: TCreateClusterInput) {
  assertAllowed(actor, "cluster:manage");
  const parsed = ZCreateClusterInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid cluster");
  const { name, organization, ca: caSource, caCertificatePem, caPrivateKeyPem, caChainPem, caCrlPem, ...settings } = parsed.data;

  const [existing] = await db.select({ id: schema.clusters.id }).from(schema.clusters).where(eq(schema.clusters.name, name));
  if (existing) throw duplicate(name);

  const subjectTemplate: SubjectTemplate = organization ? { O: organization } : {};
  const plan = await planCa(parsed.data, subjectTemplate, {
    certificatePem: caCertificatePem,
    privateKeyPem: caPrivateKeyPem,
    chainPem: caChainPem,
    crlPem: caCrlPem,
  });

  try {
    return await db.transaction(async (tx) => {
      const [cluster] = await tx
        .insert(schema.clusters)
        .values({ name, subjectTemplate, ...settings })
        .returning();
      const clusterId = cluster!.id;
      if ("prepared" in plan) {
        await insertCa(tx, { clusterId, prepared: plan.prepared, state: "active", actor, masterKey });
      } else {
        const { privateKeyPem, ...request } = plan.request;
        await tx.insert(schema.caRequests).values({ clusterId, ...request, encryptedPrivateKey: sealCaKey(privateKeyPem, masterKey) });
      }
      const ca = "prepared" in plan ? plan.prepared : null;
      await recordAuditEvent(tx, actor, {
        action: "cluster.create",
        objectType: "cluster",
        objectId: clusterId,
        clusterId,
        details: {
          cluster: name,
          ca: caSource,
          keyAlgorithm: ca?.keyAlgorithm ?? settings.keyAlgorithm,
          ...(ca
            ? { caKind: ca.kind, caSerial: ca.parsed.serialHex, caFingerprint: ca.parsed.fingerprintSha256 }
            : { caRequest: "waiting for the external root to sign" }),
        },
      });
      return {
        id: clusterId,
        name: cluster!.name,
        caCertificatePem: ca?.certificatePem ?? null,
        caKind: ca?.kind ?? null,
        ...("request" in plan ? { caCsrPem: plan.request.csrPem } : {}),
      };
    });
  } catch (error) {
    // Two concurrent creations with the same name: the unique index decides.
    if (pgErrorCode(error) === UNIQUE_VIOLATION) throw duplicate(name);
    throw error;
  }
}

async function planCa(
  input: Parsed,
  subjectTemplate: SubjectTemplate,
  upload: { certificatePem: string; privateKeyPem: string; chainPem: string; crlPem: string },
): Promise<CaPlan> {
  if (input.ca === "import") {
    const checked = await checkExternalCa(upload, { names: CREATE_FIELDS });
    return { prepared: await prepareExternalCa(checked, "imported", input.crlDays) };
  }
  if (input.ca === "csr") {
    const subject = { ...subjectTemplate, CN: `${input.name} Intermediate CA` };
    const { csrPem, privateKeyPem } = await createCsr({
      subject,
      keyAlgorithm: input.keyAlgorithm,
      ca: true,
      permittedNames: input.permittedNames,
    });
    return { request: { subject: formatSubject(subject), keyAlgorithm: input.keyAlgorithm, csrPem, privateKeyPem } };
  }
  return {
    prepared: await prepareRootCa({
      commonName: `${input.name} Root CA`,
      subjectTemplate,
      keyAlgorithm: input.keyAlgorithm,
      crlDays: input.crlDays,
      permittedNames: input.permittedNames,
    }),
  };
}

function duplicate(name: string): AppError {
  return new AppError("CONFLICT", `a cluster named "${name}" already exists`, { name: ["Already in use"] });
}
