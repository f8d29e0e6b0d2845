import "server-only";
import { schema, type Transaction } from "@/lib/db";
import type { CaState, KeyAlgorithm, SubjectTemplate } from "@/lib/db/schema";
import type { Actor } from "@/lib/access/actor";
import { DAY_MS } from "@/lib/format/days";
import { buildCrl, createRootCa, parseCertificate, type IssuedCa, type ParsedCertificate } from "@/lib/pki";
import { encryptSecret } from "@/lib/secrets/envelope";
import type { MasterKey } from "@/lib/secrets/master-key";

const ROOT_CA_DAYS = 3650;

export type PreparedRootCa = { ca: IssuedCa; parsed: ParsedCertificate; commonName: string; crlDer: Uint8Array; thisUpdate: Date; nextUpdate: Date };

type PrepareParams = { commonName: string; subjectTemplate: SubjectTemplate; keyAlgorithm: KeyAlgorithm; crlDays: number; now?: Date };

/**
 * A new root CA with its first (empty) CRL, so root.crt and the CRL URL work from the start.
 * Called before the transaction that records it: RSA-4096 key generation takes seconds.
 */
export async function prepareRootCa({ commonName, subjectTemplate, keyAlgorithm, crlDays, now = new Date() }: PrepareParams): Promise<PreparedRootCa> {
  const ca = await createRootCa({ subject: { ...subjectTemplate, CN: commonName }, keyAlgorithm, days: ROOT_CA_DAYS, pathLen: 1, now });
  const nextUpdate = new Date(now.getTime() + crlDays * DAY_MS);
  const crl = await buildCrl({ issuer: ca, entries: [], crlNumber: 1, thisUpdate: now, nextUpdate });
  return { ca, parsed: await parseCertificate(ca.certificateDer), commonName, crlDer: crl.der, thisUpdate: now, nextUpdate };
}

type InsertParams = { clusterId: string; prepared: PreparedRootCa; state: CaState; actor: Actor; masterKey: MasterKey };

/** Records a prepared root CA: its certificate, the CA row with the key encrypted, CRL number 1. */
export async function insertRootCa(tx: Transaction, { clusterId, prepared, state, actor, masterKey }: InsertParams) {
  const { ca, parsed } = prepared;
  const [certificate] = await tx
    .insert(schema.certificates)
    .values({
      clusterId,
      kind: "ca",
      serialHex: ca.serialHex,
      subject: parsed.subject,
      commonName: prepared.commonName,
      keyAlgorithm: ca.keyAlgorithm,
      notBefore: ca.notBefore,
      notAfter: ca.notAfter,
      fingerprintSha256: parsed.fingerprintSha256,
      certificatePem: ca.certificatePem,
      issuedByUserId: actor.type === "user" ? actor.id : null,
      issuedByTokenId: actor.type === "token" ? actor.id : null,
    })
    .returning({ id: schema.certificates.id });
  const [authority] = await tx
    .insert(schema.certificateAuthorities)
    .values({ clusterId, kind: "root", state, certificateId: certificate!.id, encryptedPrivateKey: encryptSecret(ca.privateKeyPem, masterKey), nextCrlNumber: 2n })
    .returning({ id: schema.certificateAuthorities.id });
  await tx.insert(schema.crls).values({ caId: authority!.id, crlNumber: 1n, thisUpdate: prepared.thisUpdate, nextUpdate: prepared.nextUpdate, entryCount: 0, der: prepared.crlDer });
  return { caId: authority!.id, certificateId: certificate!.id };
}
