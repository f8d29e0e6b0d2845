import {
  derToPem,
  exportPublicKeySpki,
  importPrivateKey,
  matchHost,
  parseCertificate,
  parseCrl,
  pemToDerAll,
  verifyChain,
  verifyCrlSignature,
} from "@/lib/pki";

/** The four files the agent installs, as text. */
export type FileSet = { certificate: string; key: string; root: string; crl: string };
export type InstalledCrl = { issuer: string; number: string | null; nextUpdate: string | null };

const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/**
 * Everything checked before a live file is touched (a broken set must never reach the server,
 * which would keep serving the old one or, on restart, not start): the key matches the
 * certificate; the chain verifies to the new root.crt; the certificate names cover the node and
 * the verify address; it is valid now; every CRL is signed by a CA in root.crt or the chain, is
 * not past nextUpdate (OpenSSL refuses every client certificate then) and its number is not
 * below the one installed. Throws naming the first problem; returns the CRLs' numbers.
 */
export async function validateSet(
  set: FileSet,
  expect: { names: string[]; verifyHost: string; installedCrlNumbers: Record<string, string>; now?: Date },
): Promise<{ serial: string; crls: InstalledCrl[] }> {
  const now = expect.now ?? new Date();
  const [leafDer, ...intermediatesDer] = pemToDerAll(set.certificate, "CERTIFICATE");
  if (!leafDer) throw new Error("server.crt holds no certificate");
  const leaf = await parseCertificate(leafDer);
  const keySpki = await exportPublicKeySpki((await importPrivateKey(set.key)).publicKey);
  if (!equalBytes(keySpki, leaf.publicKeySpki)) throw new Error(`the private key does not match certificate ${leaf.serialHex}`);
  const intermediatesPem = intermediatesDer.map((der) => derToPem(der, "CERTIFICATE"));
  const rootsPem = pemToDerAll(set.root, "CERTIFICATE").map((der) => derToPem(der, "CERTIFICATE"));
  try {
    await verifyChain({ leafPem: derToPem(leafDer, "CERTIFICATE"), intermediatesPem, trustedRootsPem: rootsPem, now });
  } catch (error) {
    throw new Error(`certificate ${leaf.serialHex} does not verify to the new root.crt: ${(error as Error).message}`);
  }
  if (leaf.notBefore > now || leaf.notAfter <= now)
    throw new Error(`certificate ${leaf.serialHex} is not valid now (${leaf.notBefore.toISOString()} – ${leaf.notAfter.toISOString()})`);
  const sans = { dnsNames: leaf.dnsNames, ipAddresses: leaf.ipAddresses };
  for (const name of [...expect.names, expect.verifyHost]) {
    const match = matchHost(sans, name);
    if (!match.ok) throw new Error(`certificate ${leaf.serialHex} does not cover ${name}: ${match.reason}`);
  }
  return { serial: leaf.serialHex, crls: await validateCrls(set.crl, [...rootsPem, ...intermediatesPem], expect.installedCrlNumbers, now) };
}

async function validateCrls(crlPem: string, casPem: string[], installed: Record<string, string>, now: Date): Promise<InstalledCrl[]> {
  const crls = pemToDerAll(crlPem, "X509 CRL");
  if (crls.length === 0) throw new Error("root.crl holds no CRL");
  const cas = await Promise.all(casPem.map(async (pem) => ({ pem, subject: (await parseCertificate(pem)).subject })));
  const result: InstalledCrl[] = [];
  for (const der of crls) {
    const crl = parseCrl(der);
    // A handful of CAs at most (two during a rotation): try each rather than match names.
    let signer: (typeof cas)[number] | undefined;
    for (const ca of cas) if (!signer && (await verifyCrlSignature(crl, ca.pem).catch(() => false))) signer = ca;
    if (!signer) throw new Error(`a CRL in root.crl is not signed by any CA in root.crt or the chain`);
    if (!crl.nextUpdate || crl.nextUpdate <= now)
      throw new Error(`the CRL of ${signer.subject} is past its nextUpdate (${crl.nextUpdate?.toISOString() ?? "none"})`);
    const number = crl.crlNumber?.toString() ?? null;
    const key = hex(crl.issuerDer);
    const before = installed[key];
    if (before !== undefined && number !== null && BigInt(number) < BigInt(before))
      throw new Error(`the CRL of ${signer.subject} has number ${number}, below the installed ${before}`);
    result.push({ issuer: key, number, nextUpdate: crl.nextUpdate.toISOString() });
  }
  return result;
}
