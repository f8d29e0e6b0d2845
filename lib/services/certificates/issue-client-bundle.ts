import "server-only";
import { recordClientCertificate } from "./record-client-certificate";
import { and, asc, eq, isNull } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { clientReadme } from "@/lib/bundles/client-readme";
import { zipBundle, type BundleFile } from "@/lib/bundles/zip";
import { buildPkcs12, exportPrivateKeyPkcs8, importPrivateKey, issuancePolicyFor, issueClientCertificate } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { readTrustBundle } from "@/lib/services/clusters/get-trust-bundle";
import { assertScopeAllows, resolveClusterScope } from "@/lib/services/clusters/resolve-cluster-scope";
import { assertIssuancePolicy } from "@/lib/services/pki/apply-issuance-policy";
import { loadClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";
import { validationError } from "@/lib/validations/field-errors";
import { ZIssueClientBundleInput, type TIssueClientBundleInput } from "@/lib/validations/client-bundles";

/**
 * A client certificate for a database user, delivered once as a zip: client.crt, client.key
 * (0600), client.pk8, optional client.p12, root.crt and a README. The key is generated for this
 * download and never stored; the certificate is recorded (revocable) and so is the download.
 */
export async function issueClientBundle(db: Database, actor: Actor, keyRing: KeyRing, clusterRef: string, input: TIssueClientBundleInput) {
  const scope = await resolveClusterScope(db, actor, clusterRef);
  const { cluster } = scope;
  const parsed = ZIssueClientBundleInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid request");
  const { databaseUser, p12Password } = parsed.data;
  assertScopeAllows(scope, "client-bundle:issue", { databaseUser });
  const days = parsed.data.days ?? cluster.clientCertDays;
  const key = { generate: cluster.keyAlgorithm };
  assertIssuancePolicy(issuancePolicyFor(cluster), { kind: "client", days, key });

  const { caId, issuer, chainPem } = await loadClusterIssuer(db, cluster, keyRing.all);
  const issued = await issueClientCertificate({ issuer, days, databaseUser, subjectTemplate: cluster.subjectTemplate, key });
  const certificateWithChain = [issued.certificatePem, ...chainPem].join("");
  const { pem: rootPem } = await readTrustBundle(db, cluster);
  const pk8 = await exportPrivateKeyPkcs8((await importPrivateKey(issued.privateKeyPem!)).privateKey);
  const files: BundleFile[] = [
    { name: "client.crt", data: certificateWithChain },
    { name: "client.key", data: issued.privateKeyPem!, mode: 0o600 },
    { name: "client.pk8", data: pk8, mode: 0o600 },
    { name: "root.crt", data: rootPem },
  ];
  if (p12Password) {
    const p12 = await buildPkcs12({
      certificatePem: issued.certificatePem,
      privateKeyPem: issued.privateKeyPem!,
      caCertificatesPem: [...chainPem, rootPem],
      password: p12Password,
    });
    files.push({ name: "client.p12", data: p12, mode: 0o600 });
  }
  const host = cluster.sharedDnsNames[0] ?? (await firstNodeHostname(db, cluster.id)) ?? "db.example.internal";
  files.push({
    name: "README.md",
    data: clientReadme({
      clusterName: cluster.name,
      databaseUser,
      host,
      port: 5432,
      notAfter: issued.notAfter,
      withP12: Boolean(p12Password),
    }),
  });

  await recordClientCertificate(db, actor, {
    clusterId: cluster.id,
    caId,
    databaseUser,
    issued,
    fromCsr: false,
    audit: { action: "client_bundle.download", details: { days, formats: files.map((f) => f.name) } },
  });
  const folder = `${cluster.name}-${databaseUser}`.replace(/[^A-Za-z0-9._-]/g, "_");
  return { zip: zipBundle(folder, files), filename: `${folder}.zip`, serialHex: issued.serialHex };
}

/** Without shared names (VIP, service name), clients most likely dial the first node. */
async function firstNodeHostname(db: Database, clusterId: string): Promise<string | null> {
  const [node] = await db
    .select({ hostname: schema.nodes.hostname })
    .from(schema.nodes)
    .where(and(eq(schema.nodes.clusterId, clusterId), isNull(schema.nodes.removedAt)))
    .orderBy(asc(schema.nodes.createdAt))
    .limit(1);
  return node?.hostname ?? null;
}
