import "server-only";
import type { Database } from "@/lib/db";
import { AccessRefused } from "@/lib/access/access-refused";
import type { Actor } from "@/lib/access/actor";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { signAndRecordClientCsr } from "@/lib/services/certificates/sign-and-record-client-csr";
import { getTrustedCrlsPem } from "@/lib/services/clusters/get-current-crl";
import { readTrustBundle } from "@/lib/services/clusters/get-trust-bundle";
import { assertScopeAllows, resolveClusterScope } from "@/lib/services/clusters/resolve-cluster-scope";
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
export async function issueLoginCertificate(
  db: Database,
  actor: Actor,
  keyRing: KeyRing,
  clusterRef: string,
  input: TLoginCertificateInput,
) {
  assertDeviceActor(actor);
  const scope = await resolveClusterScope(db, actor, clusterRef);
  const { cluster } = scope;
  const parsed = ZLoginCertificateInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid request");
  const { databaseUser, csrPem } = parsed.data;
  if (actor.role === "developer") {
    // Said plainly (the laptop prints it): which database users this person does have.
    const granted = scope.grants.find((g) => g.clusterId === cluster.id)?.databaseUsers ?? [];
    if (!granted.includes(databaseUser)) {
      const refusal = { permission: "client-bundle:issue" as const, clusterId: cluster.id, databaseUser };
      throw new AccessRefused(
        "FORBIDDEN",
        `${actor.label} may not log in as database user "${databaseUser}" on ${cluster.name}: not granted to this user (granted: ${granted.join(", ") || "none"})`,
        refusal,
      );
    }
  }
  assertScopeAllows(scope, "client-bundle:issue", { databaseUser });
  const hours = cluster.loginCertHours;
  const { issued, chainPem } = await signAndRecordClientCsr(db, scope, keyRing, {
    databaseUser,
    csrPem,
    lifetime: { hours },
    audit: { action: "certificate.issued", details: { hours, deviceId: actor.id, via: "device login" } },
  });
  const [{ pem: rootCertificatesPem }, { pem: crlPem }, connect] = await Promise.all([
    readTrustBundle(db, cluster),
    getTrustedCrlsPem(db, actor, cluster.id),
    connectTarget(db, cluster),
  ]);
  return {
    serial: issued.serialHex,
    certificatePem: issued.certificatePem + chainPem.join(""),
    notAfter: issued.notAfter.toISOString(),
    rootCertificatesPem,
    crlPem,
    connect: connect ? { ...connect, user: databaseUser } : null,
  };
}
