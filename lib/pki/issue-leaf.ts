import { buildCertificate } from "./build-certificate";
import { BACKDATE_MS, checkDays } from "./create-root-ca";
import {
  authorityKeyIdentifier,
  basicConstraints,
  extendedKeyUsage,
  keyUsage,
  subjectAltName,
  subjectKeyIdentifier,
  type EncodedExtension,
  type KeyUsageName,
} from "./extensions";
import { PkiError } from "./errors";
import type { KeyAlgorithm } from "./key-algorithms";
import { exportPrivateKeyPem, exportPublicKeySpki, generateKeyPair } from "./keys";
import { MAX_SERVER_CERT_DAYS } from "./lifetimes";
import { describeCertificate, loadIssuer, type Issuer, type IssuerInput } from "./load-issuer";
import { assertNamesPermitted, commonNameAsDnsName, nameConstraintsFor, readNameConstraints } from "./name-constraints";
import { normalizeDnsName, normalizeIpAddress, validateDatabaseUser } from "./names";
import { describeSpki, fingerprintSha256, keyIdentifier, rsaAlgorithmForBits } from "./public-key";
import { randomSerial } from "./serial";
import { buildNameDer, formatSubject, type Subject } from "./subject";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

type LeafCommon = {
  issuer: IssuerInput | Issuer;
  days: number;
  /** A lifetime in whole hours instead of `days` (short-lived login certificates). */
  hours?: number;
  /** Subject fields other than CN (the cluster's template). */
  subjectTemplate?: Omit<Subject, "CN">;
  /** New key of this algorithm, or the public key (SPKI DER) from a CSR. */
  key: { generate: KeyAlgorithm } | { publicKeySpki: Uint8Array };
  now?: Date;
};

/** What a cluster lets its server certificates name: wildcards (off by default), and the permitted names (empty = any). */
export type NamePolicy = { allowWildcards?: boolean; permittedNames?: readonly string[] };
export type IssueServerParams = LeafCommon & { dnsNames: string[]; ipAddresses?: string[]; namePolicy?: NamePolicy };
export type IssueClientParams = LeafCommon & { databaseUser: string };

export type IssuedLeaf = {
  certificatePem: string;
  certificateDer: Uint8Array;
  /** Present when the key was generated here (not for CSRs). */
  privateKeyPem?: string;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  keyAlgorithm: KeyAlgorithm;
  /** True when the requested lifetime was cut to the issuer's notAfter. */
  clamped: boolean;
  /** What parseCertificate would read back, known without parsing (bulk issuance records 1,000s). */
  subject: string;
  dnsNames: string[];
  ipAddresses: string[];
  fingerprintSha256: string;
};

/** A server certificate: CN = first DNS name, SAN for every name and IP, EKU serverAuth. */
export async function issueServerCertificate(params: IssueServerParams): Promise<IssuedLeaf> {
  const dnsNames = [...new Set((params.dnsNames ?? []).map(normalizeDnsName))];
  const ipAddresses = [...new Set((params.ipAddresses ?? []).map(normalizeIpAddress))];
  if (dnsNames.length === 0) throw new PkiError("NAME_INVALID", "a server certificate needs at least one DNS name");
  // CN is at most 64 characters (RFC 5280 ub-common-name); libpq matches the SANs anyway, so a
  // longer primary name stays in the SAN and the CN takes the first name that fits.
  const commonName = dnsNames.find((name) => name.length <= 64);
  if (!commonName) throw new PkiError("NAME_INVALID", `no DNS name fits the 64-character common name (first: "${dnsNames[0]}")`);
  const wildcards = dnsNames.filter((name) => name.startsWith("*."));
  if (wildcards.length > 0 && !params.namePolicy?.allowWildcards) {
    // A wildcard's key serves every host under the name: one stolen key impersonates them all.
    throw new PkiError(
      "NAME_NOT_PERMITTED",
      `${wildcards.join(", ")}: wildcard names are not allowed in this cluster (allow them in its settings)`,
    );
  }
  const permitted = nameConstraintsFor(params.namePolicy?.permittedNames ?? []);
  if (permitted) assertNamesPermitted(permitted, { dnsNames, ipAddresses }, "the cluster's permitted names");
  if (params.days > MAX_SERVER_CERT_DAYS)
    throw new PkiError(
      "LIFETIME_INVALID",
      `server certificates may last at most ${MAX_SERVER_CERT_DAYS} days (CA/Browser Forum limit); ${params.days} requested`,
    );
  return issueLeaf(params, commonName, "serverAuth", { dnsNames, ipAddresses });
}

/** A client certificate: CN = the PostgreSQL user it logs in as (pg_hba `cert`), EKU clientAuth. */
export async function issueClientCertificate(params: IssueClientParams): Promise<IssuedLeaf> {
  return issueLeaf(params, validateDatabaseUser(params.databaseUser), "clientAuth", { dnsNames: [], ipAddresses: [] });
}

type LeafNames = { dnsNames: string[]; ipAddresses: string[] };

async function issueLeaf(
  params: LeafCommon,
  commonName: string,
  purpose: "serverAuth" | "clientAuth",
  names: LeafNames,
): Promise<IssuedLeaf> {
  if (params.hours === undefined) checkDays(params.days, "certificate");
  else if (!Number.isInteger(params.hours) || params.hours < 1 || params.hours > 24 * 36_500)
    throw new PkiError("LIFETIME_INVALID", `certificate lifetime must be a whole number of hours (got ${params.hours})`);
  const now = params.now ?? new Date();
  // Everything that can be refused is checked before an (RSA: slow) key is generated.
  const subjectFields: Subject = { ...params.subjectTemplate, CN: commonName };
  const subject = buildNameDer(subjectFields);
  const extra: EncodedExtension[] =
    names.dnsNames.length || names.ipAddresses.length ? [subjectAltName(names.dnsNames, names.ipAddresses)] : [];
  const issuer = await loadIssuer(params.issuer, now);
  // A CA whose own nameConstraints refuse a name would sign a certificate no validator accepts.
  const constraints = readNameConstraints(issuer.certificate);
  const clientCn = purpose === "clientAuth" ? commonNameAsDnsName(commonName) : null;
  if (constraints)
    assertNamesPermitted(
      constraints,
      clientCn ? { dnsNames: [clientCn], ipAddresses: [] } : names,
      `the nameConstraints of CA "${describeCertificate(issuer.certificate)}"`,
    );
  const generated = "generate" in params.key ? await generateKeyPair({ algorithm: params.key.generate }) : null;
  const spki = generated ? await exportPublicKeySpki(generated.publicKey) : (params.key as { publicKeySpki: Uint8Array }).publicKeySpki;
  const described = describeSpki(spki);
  if (!described.algorithm) {
    if (described.name.startsWith("RSA")) rsaAlgorithmForBits(described.bits, "the public key");
    throw new PkiError("KEY_UNSUPPORTED", `unsupported public key: ${described.name}`);
  }

  // A leaf never outlives its issuer: validators reject the chain once the CA expires anyway, and
  // a notAfter past the CA's hides the real expiry from the dashboard.
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  const requested = new Date(now.getTime() + (params.hours !== undefined ? params.hours * HOUR_MS : params.days * DAY_MS));
  // The backdating must not push a server certificate past the 398-day validity period.
  const longest = purpose === "serverAuth" ? new Date(notBefore.getTime() + MAX_SERVER_CERT_DAYS * DAY_MS - 1000) : requested;
  const notAfter = [requested, issuer.notAfter, longest].reduce((a, b) => (b < a ? b : a));
  // keyEncipherment only for RSA (TLS 1.2 RSA key exchange); EC and Ed25519 keys only sign.
  const usages: KeyUsageName[] = described.algorithm.startsWith("rsa") ? ["digitalSignature", "keyEncipherment"] : ["digitalSignature"];

  const built = await buildCertificate({
    serial: randomSerial(),
    subject,
    issuer: issuer.nameDer,
    subjectPublicKey: spki,
    notBefore,
    notAfter,
    extensions: [
      basicConstraints(false),
      keyUsage(usages),
      extendedKeyUsage([purpose]),
      ...extra,
      subjectKeyIdentifier(await keyIdentifier(spki)),
      authorityKeyIdentifier(issuer.keyId),
    ],
    signer: issuer.signer,
  });
  return {
    certificatePem: built.pem,
    certificateDer: built.der,
    privateKeyPem: generated ? await exportPrivateKeyPem(generated.privateKey) : undefined,
    serialHex: built.serialHex,
    notBefore: built.notBefore,
    notAfter: built.notAfter,
    keyAlgorithm: described.algorithm,
    clamped: requested > issuer.notAfter,
    subject: formatSubject(subjectFields),
    ...names,
    fingerprintSha256: (await fingerprintSha256(built.der)).hex,
  };
}
