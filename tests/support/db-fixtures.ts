import { randomBytes } from "node:crypto";
import { schema, type Executor } from "@/lib/db";
import { DAY_MS } from "@/lib/format/days";

export function randomSerialHex(): string {
  return randomBytes(16).toString("hex").toUpperCase();
}

type CertificateOverrides = Partial<typeof schema.certificates.$inferInsert>;

/** A certificate row with plausible values; the PEM is a placeholder (these tests are about SQL). */
export function certificateRow(clusterId: string, overrides: CertificateOverrides = {}) {
  const now = Date.now();
  return {
    clusterId,
    kind: "server" as const,
    serialHex: randomSerialHex(),
    subject: "CN=db1.example.internal",
    commonName: "db1.example.internal",
    keyAlgorithm: "ecdsa-p256" as const,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 90 * DAY_MS),
    fingerprintSha256: randomBytes(32).toString("hex"),
    certificatePem: "-----BEGIN CERTIFICATE-----\n(placeholder)\n-----END CERTIFICATE-----\n",
    ...overrides,
  } satisfies typeof schema.certificates.$inferInsert;
}

/** A cluster with a root CA (its certificate row + authority row), as create-cluster will write them. */
export async function insertClusterWithCa(db: Executor, name: string) {
  const [cluster] = await db.insert(schema.clusters).values({ name }).returning();
  if (!cluster) throw new Error("cluster insert returned nothing");
  const [caCert] = await db
    .insert(schema.certificates)
    .values(certificateRow(cluster.id, { kind: "ca", subject: `CN=${name} Root CA`, commonName: `${name} Root CA` }))
    .returning();
  const [ca] = await db
    .insert(schema.certificateAuthorities)
    .values({ clusterId: cluster.id, kind: "root", certificateId: caCert!.id, encryptedPrivateKey: "ctls1.test.AAAA.AAAA" })
    .returning();
  return { cluster, caCertificate: caCert!, ca: ca! };
}
