import "server-only";
import { AppError } from "@/lib/errors/app-error";
import {
  derToPem,
  isPkiError,
  loadIssuer,
  parseCertificate,
  parseCrl,
  pemToDerAll,
  verifyChain,
  verifyCrlSignature,
  type Issuer,
  type ParsedCertificate,
} from "@/lib/pki";
import type { CaKind } from "@/lib/db/schema";

export type ExternalCaInput = {
  certificatePem: string;
  privateKeyPem: string;
  /** Issuers above the CA, up to its self-signed root (intermediate CAs only). */
  chainPem?: string;
  /** The CRL of each of those issuers (intermediate CAs only). */
  crlPem?: string;
};

export type CheckedExternalCa = {
  kind: CaKind;
  issuer: Issuer;
  parsed: ParsedCertificate;
  certificatePem: string;
  privateKeyPem: string;
  externalChainPem: string;
  externalCrlPem: string;
  externalCrlNextUpdate: Date | null;
};

export type ExternalCaField = "certificatePem" | "privateKeyPem" | "chainPem" | "crlPem";
/** What the caller's form or API body calls each upload (cluster creation prefixes them with "ca"). */
export type FieldNames = Partial<Record<ExternalCaField, string>>;

/** A refusal naming the upload it is about, as forms and the API show it. */
function invalid(field: ExternalCaField, message: string, names: FieldNames = {}): AppError {
  const name = names[field] ?? field;
  return new AppError("VALIDATION_FAILED", `${name}: ${message}`, { [name]: [message] });
}

async function blame<T>(field: ExternalCaField, names: FieldNames, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isPkiError(error)) throw invalid(field, error.message, names);
    throw error;
  }
}

const LEGACY_KEY = /-----BEGIN (EC|RSA|ENCRYPTED) PRIVATE KEY-----/;

/**
 * Checks a CA that cluster-tls did not make before it signs anything: one CA certificate with
 * its (unencrypted PKCS#8) key, valid now. A self-signed one is a root. Anything else is an
 * intermediate, which needs its chain up to a self-signed root (PostgreSQL and libpq only trust
 * chains that reach one) and the CRL of every issuer in that chain: PostgreSQL checks each CA of
 * a client's chain against ssl_crl_file and refuses every client certificate when one is missing.
 * Each refusal names the field at fault.
 */
export async function checkExternalCa(
  input: ExternalCaInput,
  { now = new Date(), names = {} }: { now?: Date; names?: FieldNames } = {},
): Promise<CheckedExternalCa> {
  const certificates = await blame("certificatePem", names, () => pemToDerAll(input.certificatePem, "CERTIFICATE"));
  if (certificates.length !== 1)
    throw invalid(
      "certificatePem",
      `expected the CA's own certificate only, got ${certificates.length}; put its issuers in the chain`,
      names,
    );
  const certificatePem = derToPem(certificates[0]!, "CERTIFICATE");
  const parsed = await blame("certificatePem", names, () => parseCertificate(certificatePem));
  const legacy = LEGACY_KEY.exec(input.privateKeyPem);
  if (legacy) {
    throw invalid(
      "privateKeyPem",
      `this is a${legacy[1] === "ENCRYPTED" ? "n encrypted" : ` ${legacy[1]}`} key; upload it as unencrypted PKCS#8: openssl pkcs8 -topk8 -nocrypt -in ca.key`,
      names,
    );
  }
  const issuer = await loadIssuer({ certificatePem, privateKeyPem: input.privateKeyPem }, now).catch((error: unknown) => {
    if (isPkiError(error)) throw invalid(error.code === "ISSUER_INVALID" ? "certificatePem" : "privateKeyPem", error.message, names);
    throw error;
  });
  const privateKeyPem = input.privateKeyPem.trim() + "\n";

  const selfSigned =
    parsed.selfIssued &&
    (await verifyChain({ leafPem: certificatePem, trustedRootsPem: [certificatePem], now }).then(
      () => true,
      () => false,
    ));
  if (selfSigned)
    return {
      kind: "root",
      issuer,
      parsed,
      certificatePem,
      privateKeyPem,
      externalChainPem: "",
      externalCrlPem: "",
      externalCrlNextUpdate: null,
    };

  const chain = await checkChain(certificatePem, input.chainPem ?? "", now, names);
  const crls = await checkIssuerCrls([certificatePem, ...chain.map((c) => c.pem)], chain, input.crlPem ?? "", now, names);
  return {
    kind: "intermediate",
    issuer,
    parsed,
    certificatePem,
    privateKeyPem,
    externalChainPem: chain.map((c) => c.pem).join(""),
    externalCrlPem: crls.pem,
    externalCrlNextUpdate: crls.nextUpdate,
  };
}

type ChainCertificate = { pem: string; parsed: ParsedCertificate };

/** The issuers above `certificatePem`, checked link by link up to a self-signed root. */
async function checkChain(certificatePem: string, chainPem: string, now: Date, names: FieldNames = {}): Promise<ChainCertificate[]> {
  if (!chainPem.trim()) throw invalid("chainPem", "this CA is not self-signed: add its issuers up to the self-signed root CA", names);
  const pems = (await blame("chainPem", names, () => pemToDerAll(chainPem, "CERTIFICATE"))).map((der) => derToPem(der, "CERTIFICATE"));
  const chain = await blame("chainPem", names, () => Promise.all(pems.map(async (pem) => ({ pem, parsed: await parseCertificate(pem) }))));
  const roots = chain.filter((c) => c.parsed.selfIssued);
  if (roots.length === 0)
    throw invalid(
      "chainPem",
      "the chain must end with the self-signed root CA: PostgreSQL and libpq trust only a chain that reaches one",
      names,
    );
  await blame("chainPem", names, () =>
    verifyChain({
      leafPem: certificatePem,
      intermediatesPem: chain.filter((c) => !c.parsed.selfIssued).map((c) => c.pem),
      trustedRootsPem: roots.map((c) => c.pem),
      now,
    }),
  );
  return chain;
}

/**
 * The CRLs of the external issuers: one per issuer in the chain, signed by it, not expired, and
 * not revoking any certificate of the chain. Returns them as one PEM and the soonest nextUpdate.
 */
export async function checkIssuerCrls(
  subjectsPem: string[],
  issuers: ChainCertificate[],
  crlPem: string,
  now: Date,
  names: FieldNames = {},
): Promise<{ pem: string; nextUpdate: Date | null }> {
  if (!crlPem.trim()) {
    throw invalid(
      "crlPem",
      `add the CRL of ${issuers.map((i) => `"${i.parsed.subject}"`).join(" and ")}: PostgreSQL checks every CA of a client's chain against root.crl and refuses all client certificates without it`,
      names,
    );
  }
  const ders = await blame("crlPem", names, () => pemToDerAll(crlPem, "X509 CRL"));
  const crls = await blame("crlPem", names, () => ders.map((der) => ({ der, parsed: parseCrl(der) })));
  const serials = new Set(await Promise.all(subjectsPem.map(async (pem) => (await parseCertificate(pem)).serialHex)));
  let soonest: Date | null = null;
  for (const issuer of issuers) {
    let found = false;
    for (const crl of crls) {
      if (!(await verifyCrlSignature(crl.parsed, issuer.pem))) continue;
      found = true;
      const { nextUpdate } = crl.parsed;
      if (nextUpdate && nextUpdate <= now)
        throw invalid("crlPem", `the CRL of "${issuer.parsed.subject}" expired on ${nextUpdate.toISOString()}; fetch a fresh one`, names);
      const revoked = crl.parsed.entries.find((entry) => serials.has(entry.serialHex));
      if (revoked) throw invalid("crlPem", `"${issuer.parsed.subject}" has revoked certificate ${revoked.serialHex} of this chain`, names);
      if (nextUpdate && (!soonest || nextUpdate < soonest)) soonest = nextUpdate;
    }
    if (!found)
      throw invalid("crlPem", `no CRL signed by "${issuer.parsed.subject}" (each CRL must be the issuer's own, signature intact)`, names);
  }
  return { pem: crls.map((crl) => derToPem(crl.der, "X509 CRL")).join(""), nextUpdate: soonest };
}
