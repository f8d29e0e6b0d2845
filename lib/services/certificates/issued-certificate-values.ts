import "server-only";
import type { schema } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import type { IssuedLeaf } from "@/lib/pki";

type IssuedCertificateParams = {
  clusterId: string;
  caId: string;
  kind: "server" | "client";
  commonName: string;
  issued: IssuedLeaf;
  actor: Actor;
  /** Server keys and a node's own client key (its bundle hands it out); a person's client key is never stored. */
  encryptedPrivateKey?: string | null;
  nodeId?: string | null;
  databaseUser?: string | null;
  replacesCertificateId?: string | null;
  fromCsr?: boolean;
  /** The developer login that asked for it (`cluster-tls connect`). */
  deviceId?: string | null;
};

/** The certificates row for a leaf lib/pki just issued: one place that knows how it is recorded. */
export function issuedCertificateValues(p: IssuedCertificateParams): typeof schema.certificates.$inferInsert {
  return {
    clusterId: p.clusterId,
    issuerCaId: p.caId,
    kind: p.kind,
    serialHex: p.issued.serialHex,
    subject: p.issued.subject,
    commonName: p.commonName,
    dnsNames: p.issued.dnsNames,
    ipAddresses: p.issued.ipAddresses,
    keyAlgorithm: p.issued.keyAlgorithm,
    notBefore: p.issued.notBefore,
    notAfter: p.issued.notAfter,
    fingerprintSha256: p.issued.fingerprintSha256,
    certificatePem: p.issued.certificatePem,
    encryptedPrivateKey: p.encryptedPrivateKey ?? null,
    nodeId: p.nodeId ?? null,
    databaseUser: p.databaseUser ?? null,
    replacesCertificateId: p.replacesCertificateId ?? null,
    fromCsr: p.fromCsr ?? false,
    // A client certificate belongs to the person it was issued for (a developer token's developer).
    ownerUserId:
      p.kind !== "client"
        ? null
        : p.actor.type === "user"
          ? p.actor.id
          : p.actor.type === "token"
            ? (p.actor.userId ?? null)
            : p.actor.type === "device"
              ? p.actor.userId
              : null,
    issuedByUserId: p.actor.type === "user" ? p.actor.id : p.actor.type === "device" ? p.actor.userId : null,
    deviceId: p.deviceId ?? (p.actor.type === "device" ? p.actor.id : null),
    issuedByTokenId: p.actor.type === "token" ? p.actor.id : null,
  };
}
