import "server-only";
import { signAndRecordClientCsr } from "./sign-and-record-client-csr";
import type { Database } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { issuancePolicyFor } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { readTrustBundle } from "@/lib/services/clusters/get-trust-bundle";
import { assertScopeAllows, resolveClusterScope, type ClusterScope } from "@/lib/services/clusters/resolve-cluster-scope";
import { zipBundle } from "@/lib/bundles/zip";
import { assertIssuancePolicy } from "@/lib/services/pki/apply-issuance-policy";
import { ZSignClientCsrInput, type TSignClientCsrInput } from "@/lib/validations/client-bundles";
import { validationError } from "@/lib/validations/field-errors";

/** A client certificate for a CSR: the private key never leaves the requester. CN must be the database user. */
export async function signClientCsr(db: Database, actor: Actor, keyRing: KeyRing, clusterRef: string, input: TSignClientCsrInput) {
  return signClientCsrIn(db, await resolveClusterScope(db, actor, clusterRef), keyRing, input);
}

/** The signing itself, in a cluster scope the caller resolved. */
async function signClientCsrIn(db: Database, scope: ClusterScope, keyRing: KeyRing, input: TSignClientCsrInput) {
  const { cluster } = scope;
  const parsed = ZSignClientCsrInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid request");
  const { databaseUser } = parsed.data;
  assertScopeAllows(scope, "client-bundle:issue", { databaseUser });
  const policy = issuancePolicyFor(cluster);
  const days = parsed.data.days ?? policy.maxDays.client;
  // The lifetime is known before the CSR is read: refused first, as for any bad field.
  assertIssuancePolicy(policy, { kind: "client", days });
  const { issued, chainPem } = await signAndRecordClientCsr(db, scope, keyRing, {
    databaseUser,
    csrPem: parsed.data.csrPem,
    lifetime: { days },
    audit: { action: "client_certificate.sign_csr", details: { days } },
  });
  return {
    clusterName: cluster.name,
    databaseUser: databaseUser,
    serial: issued.serialHex,
    certificatePem: issued.certificatePem,
    chainPem: chainPem.join(""),
    notBefore: issued.notBefore.toISOString(),
    notAfter: issued.notAfter.toISOString(),
    fingerprintSha256: issued.fingerprintSha256,
  };
}

/**
 * The browser's CSR path of "Download client bundle": the signed certificate (with any
 * intermediates) and root.crt as a zip. There is no key in it: the requester kept theirs.
 */
export async function csrClientBundle(db: Database, actor: Actor, keyRing: KeyRing, clusterRef: string, input: TSignClientCsrInput) {
  const scope = await resolveClusterScope(db, actor, clusterRef);
  const signed = await signClientCsrIn(db, scope, keyRing, input);
  const { pem: rootPem } = await readTrustBundle(db, scope.cluster);
  const folder = `${signed.clusterName}-${signed.databaseUser}`.replace(/[^A-Za-z0-9._-]/g, "_");
  const readme = `# Client certificate for ${signed.databaseUser} on ${signed.clusterName}\n\nSigned from your CSR: your private key never left your machine. Serial ${signed.serial}, valid until ${signed.notAfter}.\n\n- client.crt  certificate (CN = ${signed.databaseUser}) and any intermediates\n- root.crt    the cluster's CA certificate(s)\n\npsql "host=HOST dbname=DBNAME user=${signed.databaseUser} sslmode=verify-full sslrootcert=root.crt sslcert=client.crt sslkey=YOUR_KEY"\n`;
  const zip = zipBundle(folder, [
    { name: "client.crt", data: signed.certificatePem + signed.chainPem },
    { name: "root.crt", data: rootPem },
    { name: "README.md", data: readme },
  ]);
  return { zip, filename: `${folder}.zip`, serial: signed.serial };
}
