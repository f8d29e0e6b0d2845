import { derOid, derSmallInteger, derTime, tlv, TAG } from "../der";
import { PkiError } from "../errors";
import { loadIssuer, type Issuer, type IssuerInput } from "../load-issuer";
import { OID } from "../oids";
import { derToPem } from "../pem";
import { signatureAlgorithmDer, signDer } from "../signing";
import { wholeSeconds } from "../time";
import { encodeRevokedList } from "./encode-revoked-list";
import type { RevocationReasonName } from "./reasons";

export type CrlEntry = { serialHex: string; revokedAt: Date; reason?: RevocationReasonName };

export type BuildCrlParams = {
  issuer: IssuerInput | Issuer;
  entries: CrlEntry[];
  crlNumber: bigint | number;
  thisUpdate: Date;
  nextUpdate: Date;
};

/** `pem` is computed on first use: a 100,000-entry CRL is served as DER far more often than as PEM. */
export type BuiltCrl = { der: Uint8Array; readonly pem: string; entryCount: number };

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * A v2 CRL (RFC 5280 §5) with CRL number and authority key identifier, signed by the CA. The
 * revoked list is written directly as DER (encode-revoked-list.ts), yielding to the event loop
 * between chunks, so 100,000 entries neither block requests nor build an ASN.1 tree.
 */
export async function buildCrl({ issuer: issuerInput, entries, crlNumber, thisUpdate, nextUpdate }: BuildCrlParams): Promise<BuiltCrl> {
  if (!(nextUpdate > thisUpdate))
    throw new PkiError("CRL_INVALID", `nextUpdate ${nextUpdate.toISOString()} must be after thisUpdate ${thisUpdate.toISOString()}`);
  if (BigInt(crlNumber) < 0n) throw new PkiError("CRL_INVALID", `CRL number must not be negative (got ${crlNumber})`);
  const issuer = await loadIssuer(issuerInput, thisUpdate);

  const revoked = await encodeRevokedList(entries);

  const signatureAlgorithm = signatureAlgorithmDer(issuer.signer.algorithm);
  const extensions = tlv(
    TAG.CONTEXT_0,
    tlv(
      TAG.SEQUENCE,
      tlv(TAG.SEQUENCE, derOid(OID.authorityKeyIdentifier), tlv(TAG.OCTET_STRING, tlv(TAG.SEQUENCE, tlv(0x80, issuer.keyId)))),
      tlv(TAG.SEQUENCE, derOid(OID.cRLNumber), tlv(TAG.OCTET_STRING, derSmallInteger(crlNumber))),
    ),
  );
  const tbs = tlv(
    TAG.SEQUENCE,
    derSmallInteger(1), // v2
    signatureAlgorithm,
    issuer.nameDer, // the CA's subject, byte for byte
    derTime(wholeSeconds(thisUpdate)),
    derTime(wholeSeconds(nextUpdate)),
    ...(entries.length > 0 ? [tlv(TAG.SEQUENCE, revoked)] : []), // RFC 5280: omit when empty
    extensions,
  );
  await yieldToEventLoop();
  const signature = await signDer(issuer.signer, tbs);
  const der = tlv(TAG.SEQUENCE, tbs, signatureAlgorithm, tlv(TAG.BIT_STRING, Uint8Array.of(0), signature));
  let pem: string | undefined;
  return {
    der,
    get pem() {
      return (pem ??= derToPem(der, "X509 CRL"));
    },
    entryCount: entries.length,
  };
}
