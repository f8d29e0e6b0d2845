import "server-only";
import { schema, type Database } from "@/lib/db";
import { AccessRefused } from "@/lib/access/access-refused";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { signCsr } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { loadGrants } from "@/lib/services/access/load-grants";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { issuedCertificateValues } from "@/lib/services/certificates/issued-certificate-values";
import { getTrustedCrlsPem } from "@/lib/services/clusters/get-current-crl";
import { getClusterOrThrow } from "@/lib/services/clusters/get-cluster";
import { getTrustBundle } from "@/lib/services/clusters/get-trust-bundle";
import { loadClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";
import { validationError } from "@/lib/validations/field-errors";
import { ZLoginCertificateInput, type TLoginCertificateInput } from "@/lib/validations/devices";
import { assertDeviceActor } from "./authenticate-device-credential";
import { connectTarget } from "./connect-target";

/**
 * `cluster-tls connect`: a short-lived client certificate (the cluster's login certificate
 * lifetime, in hours) for the laptop's own key — the CSR carries only its public key, so this
 * server never sees a private key and stores none. CN = the database user, which the device's
 * user must be granted. Returns what libpq needs besides the key: the certificate with any
 * intermediates, root.crt, root.crl and where to connect.
 */
export async function issueLoginCertificate(db: Database, actor: Actor, keyRing: KeyRing, clusterRef: string, input: TLoginCertificateInput) {
  assertDeviceActor(actor);
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  const parsed = ZLoginCertificateInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid request");
  const { databaseUser, csrPem } = parsed.data;
  const grants = await loadGrants(db, actor);
  if (actor.role === "developer") {
    const granted = grants.find((g) => g.clusterId === cluster.id)?.databaseUsers ?? [];
    if (!granted.includes(databaseUser)) {
      const refusal = { permission: "client-bundle:issue" as const, clusterId: cluster.id, databaseUser };
      throw new AccessRefused("FORBIDDEN", `${actor.label} may not log in as database user "${databaseUser}" on ${cluster.name}: not granted to this user (granted: ${granted.join(", ") || "none"})`, refusal);
    }
  }
  assertAllowed(actor, "client-bundle:issue", { clusterId: cluster.id, databaseUser, grants });
  const hours = cluster.loginCertHours;
  const { caId, issuer, chainPem } = await loadClusterIssuer(db, cluster.id, keyRing.all);
  const issued = await signCsr({
    csr: csrPem,
    issuer,
    kind: "client",
    hours,
    subjectTemplate: cluster.subjectTemplate,
    policy: { allowedCommonNames: [databaseUser], maxDays: Math.ceil(hours / 24), minRsaBits: 2048 },
  });
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(schema.certificates)
      .values(issuedCertificateValues({ clusterId: cluster.id, caId, kind: "client", commonName: databaseUser, issued, actor, databaseUser, fromCsr: true }))
      .returning({ id: schema.certificates.id });
    await recordAuditEvent(tx, actor, {
      action: "certificate.issued",
      objectType: "certificate",
      objectId: row!.id,
      clusterId: cluster.id,
      details: { name: databaseUser, serial: issued.serialHex, hours, deviceId: actor.id, via: "device login" },
    });
  });
  const [{ pem: rootCertificatesPem }, { pem: crlPem }, connect] = await Promise.all([getTrustBundle(db, actor, cluster.id), getTrustedCrlsPem(db, actor, cluster.id), connectTarget(db, cluster)]);
  return {
    serial: issued.serialHex,
    certificatePem: issued.certificatePem + chainPem.join(""),
    notAfter: issued.notAfter.toISOString(),
    rootCertificatesPem,
    crlPem,
    connect: connect ? { ...connect, user: databaseUser } : null,
  };
}
