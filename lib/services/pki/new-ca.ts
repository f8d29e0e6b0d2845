import "server-only";
import { schema, type Transaction } from "@/lib/db";
import type { CaKind, CaOrigin, CaState, KeyAlgorithm, SubjectTemplate } from "@/lib/db/schema";
import type { Actor } from "@/lib/access/actor";
import { DAY_MS } from "@/lib/format/days";
import { buildCrl, createRootCa, parseCertificate, type ParsedCertificate } from "@/lib/pki";
import type { MasterKey } from "@/lib/secrets/master-key";
import { sealCaKey } from "./ca-signer";
import type { CheckedExternalCa } from "./check-external-ca";

const ROOT_CA_DAYS = 3650;

/** Everything a new CA row needs, made before the transaction that records it. */
export type PreparedCa = {
  kind: CaKind;
  origin: CaOrigin;
  commonName: string;
  certificatePem: string;
  parsed: ParsedCertificate;
  keyAlgorithm: KeyAlgorithm;
  privateKeyPem: string;
  /** The first CRL: root.crt and the CRL URL work from the start. */
  crl: { der: Uint8Array; crlNumber: bigint; thisUpdate: Date; nextUpdate: Date };
  externalChainPem: string;
  externalCrlPem: string;
  externalCrlNextUpdate: Date | null;
};

type PrepareParams = {
  commonName: string;
  subjectTemplate: SubjectTemplate;
  keyAlgorithm: KeyAlgorithm;
  crlDays: number;
  permittedNames: readonly string[];
  now?: Date;
};

/**
 * A new root CA made here, with its first (empty) CRL. RSA-4096 key generation takes seconds.
 * It signs leaves directly, so pathLen 0: a stolen admin session cannot mint an intermediate under
 * a root someone put in a system trust store. The cluster's permitted names become its critical
 * nameConstraints, which every validator (libpq included) enforces on what it signs.
 */
export async function prepareRootCa({
  commonName,
  subjectTemplate,
  keyAlgorithm,
  crlDays,
  permittedNames,
  now = new Date(),
}: PrepareParams): Promise<PreparedCa> {
  const ca = await createRootCa({
    subject: { ...subjectTemplate, CN: commonName },
    keyAlgorithm,
    days: ROOT_CA_DAYS,
    pathLen: 0,
    permittedNames,
    now,
  });
  return {
    kind: "root",
    origin: "generated",
    commonName,
    certificatePem: ca.certificatePem,
    parsed: await parseCertificate(ca.certificateDer),
    keyAlgorithm: ca.keyAlgorithm,
    privateKeyPem: ca.privateKeyPem,
    crl: await firstCrl(ca, 1n, crlDays, now),
    externalChainPem: "",
    externalCrlPem: "",
    externalCrlNextUpdate: null,
  };
}

/**
 * A CA that cluster-tls did not make (imported, or signed from our CSR by an external root),
 * already checked. Its CRL numbers start at the current Unix time: a CA that published CRLs
 * elsewhere before must not go back to number 1 (RFC 5280 §5.2.3: they only increase).
 */
export async function prepareExternalCa(
  checked: CheckedExternalCa,
  origin: CaOrigin,
  crlDays: number,
  now = new Date(),
): Promise<PreparedCa> {
  return {
    kind: checked.kind,
    origin,
    commonName: checked.parsed.subjectFields.CN ?? checked.parsed.subject,
    certificatePem: checked.certificatePem,
    parsed: checked.parsed,
    keyAlgorithm: checked.issuer.signer.algorithm,
    privateKeyPem: checked.privateKeyPem,
    crl: await firstCrl(checked.issuer, BigInt(Math.floor(now.getTime() / 1000)), crlDays, now),
    externalChainPem: checked.externalChainPem,
    externalCrlPem: checked.externalCrlPem,
    externalCrlNextUpdate: checked.externalCrlNextUpdate,
  };
}

async function firstCrl(
  issuer: Parameters<typeof buildCrl>[0]["issuer"],
  crlNumber: bigint,
  crlDays: number,
  now: Date,
): Promise<PreparedCa["crl"]> {
  const nextUpdate = new Date(now.getTime() + crlDays * DAY_MS);
  const crl = await buildCrl({ issuer, entries: [], crlNumber, thisUpdate: now, nextUpdate });
  return { der: crl.der, crlNumber, thisUpdate: now, nextUpdate };
}

type InsertParams = { clusterId: string; prepared: PreparedCa; state: CaState; actor: Actor; masterKey: MasterKey };

/** Records a prepared CA: its certificate, the CA row with the key encrypted, its first CRL. */
export async function insertCa(tx: Transaction, { clusterId, prepared, state, actor, masterKey }: InsertParams) {
  const { parsed } = prepared;
  const [certificate] = await tx
    .insert(schema.certificates)
    .values({
      clusterId,
      kind: "ca",
      serialHex: parsed.serialHex,
      subject: parsed.subject,
      commonName: prepared.commonName,
      keyAlgorithm: prepared.keyAlgorithm,
      notBefore: parsed.notBefore,
      notAfter: parsed.notAfter,
      fingerprintSha256: parsed.fingerprintSha256,
      certificatePem: prepared.certificatePem,
      issuedByUserId: actor.type === "user" ? actor.id : null,
      issuedByTokenId: actor.type === "token" ? actor.id : null,
    })
    .returning({ id: schema.certificates.id });
  const [authority] = await tx
    .insert(schema.certificateAuthorities)
    .values({
      clusterId,
      kind: prepared.kind,
      origin: prepared.origin,
      state,
      certificateId: certificate!.id,
      encryptedPrivateKey: sealCaKey(prepared.privateKeyPem, masterKey),
      nextCrlNumber: prepared.crl.crlNumber + 1n,
      externalChainPem: prepared.externalChainPem,
      externalCrlPem: prepared.externalCrlPem,
      externalCrlNextUpdate: prepared.externalCrlNextUpdate,
    })
    .returning({ id: schema.certificateAuthorities.id });
  const { crl } = prepared;
  await tx.insert(schema.crls).values({
    caId: authority!.id,
    crlNumber: crl.crlNumber,
    thisUpdate: crl.thisUpdate,
    nextUpdate: crl.nextUpdate,
    entryCount: 0,
    der: crl.der,
  });
  return { caId: authority!.id, certificateId: certificate!.id };
}
