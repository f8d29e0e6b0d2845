import { ascii, derOid, tlv, TAG } from "./der";
import * as pkijs from "pkijs";
import { PkiError } from "./errors";
import { SUBJECT_FIELD_OIDS } from "./oids";

/** Distinguished-name fields cluster-tls writes, in the usual order C, ST, L, O, OU, CN. */
export type Subject = { C?: string; ST?: string; L?: string; O?: string; OU?: string; CN: string };

const ORDER = ["C", "ST", "L", "O", "OU", "CN"] as const;
const OID_TO_FIELD = new Map<string, string>(Object.entries(SUBJECT_FIELD_OIDS).map(([field, oid]) => [oid, field]));

/**
 * The Name as DER: one RDN (SET) per attribute, as OpenSSL and every CA write names. (pkijs would
 * put all attributes into one multi-valued RDN, "O = Acme + CN = db1".)
 */
export function buildNameDer(subject: Subject): Uint8Array {
  const rdns: Uint8Array[] = [];
  for (const field of ORDER) {
    const value = subject[field]?.trim();
    if (!value) continue;
    if (field === "C" && !/^[A-Z]{2}$/.test(value)) throw new PkiError("NAME_INVALID", `country "${value}" must be two upper-case letters (ISO 3166)`);
    if (value.length > 64 || /[\u0000-\u001f]/.test(value)) throw new PkiError("NAME_INVALID", `${field} "${value.slice(0, 70)}" is too long or has control characters`);
    // RFC 5280 §4.1.2.4: countryName is PrintableString; the rest UTF8String.
    const text = field === "C" ? tlv(0x13, ascii(value)) : tlv(0x0c, new TextEncoder().encode(value));
    rdns.push(tlv(TAG.SET, tlv(TAG.SEQUENCE, derOid(SUBJECT_FIELD_OIDS[field]), text)));
  }
  if (!subject.CN?.trim()) throw new PkiError("NAME_INVALID", "a certificate subject needs a common name (CN)");
  return tlv(TAG.SEQUENCE, ...rdns);
}

/** "CN=db1,O=Acme" as OpenSSL's -nameopt RFC2253 writes it (most specific first). */
export function formatName(name: pkijs.RelativeDistinguishedNames): string {
  return [...name.typesAndValues]
    .reverse()
    .map((tv) => `${OID_TO_FIELD.get(tv.type) ?? tv.type}=${String(tv.value.valueBlock.value).replace(/([,+"\\<>;])/g, "\\$1")}`)
    .join(",");
}

export function nameFields(name: pkijs.RelativeDistinguishedNames): Partial<Subject> {
  const fields: Partial<Subject> = {};
  for (const tv of name.typesAndValues) {
    const field = OID_TO_FIELD.get(tv.type) as keyof Subject | undefined;
    if (field) fields[field] = String(tv.value.valueBlock.value);
  }
  return fields;
}
