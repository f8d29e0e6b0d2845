import { ascii, derOid, tlv, TAG } from "./der";
import * as pkijs from "pkijs";
import { PkiError } from "./errors";
import { SUBJECT_FIELD_OIDS } from "./oids";

/** Distinguished-name fields cluster-tls writes, in the usual order C, ST, L, O, OU, CN. */
export type Subject = { C?: string; ST?: string; L?: string; O?: string; OU?: string; CN: string };

const ORDER = ["C", "ST", "L", "O", "OU", "CN"] as const;
const OID_TO_FIELD = new Map<string, string>(Object.entries(SUBJECT_FIELD_OIDS).map(([field, oid]) => [oid, field]));
/** RFC 5280 Appendix A upper bounds (ub-common-name 64, ub-state-name 128, …), in characters. */
const MAX_LENGTH: Record<keyof Subject, number> = { C: 2, ST: 128, L: 128, O: 64, OU: 64, CN: 64 };

/**
 * Checks and trims subject fields: C is two upper-case letters (ISO 3166, PrintableString in RFC
 * 5280 §4.1.2.4), every field within its RFC 5280 upper bound and free of control characters, CN
 * present. Empty optional fields are dropped. Bad values are NAME_INVALID naming the field.
 */
export function validateSubject(subject: Subject): Subject {
  if (!subject || typeof subject !== "object") throw new PkiError("NAME_INVALID", "a certificate subject is required");
  const out: Partial<Subject> = {};
  for (const field of ORDER) {
    const raw: unknown = subject[field];
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== "string") throw new PkiError("NAME_INVALID", `subject ${field} must be text (got ${typeof raw})`);
    const value = raw.trim();
    if (!value) continue;
    const shown = JSON.stringify(value.length > 70 ? `${value.slice(0, 70)}…` : value);
    if (field === "C" && !/^[A-Z]{2}$/.test(value))
      throw new PkiError("NAME_INVALID", `country ${shown} must be two upper-case letters (ISO 3166)`);
    if ([...value].length > MAX_LENGTH[field])
      throw new PkiError("NAME_INVALID", `subject ${field} ${shown} is longer than ${MAX_LENGTH[field]} characters (RFC 5280)`);
    if (/[\u0000-\u001f\u007f]/.test(value)) throw new PkiError("NAME_INVALID", `subject ${field} ${shown} contains control characters`);
    out[field] = value;
  }
  if (!out.CN) throw new PkiError("NAME_INVALID", "a certificate subject needs a common name (CN)");
  return out as Subject;
}

/**
 * The Name as DER: one RDN (SET) per attribute, as OpenSSL and every CA write names. (pkijs would
 * put all attributes into one multi-valued RDN, "O = Acme + CN = db1".)
 */
export function buildNameDer(subject: Subject): Uint8Array {
  const valid = validateSubject(subject);
  const rdns: Uint8Array[] = [];
  for (const field of ORDER) {
    const value = valid[field];
    if (!value) continue;
    // RFC 5280 §4.1.2.4: countryName is PrintableString; the rest UTF8String.
    const text = field === "C" ? tlv(0x13, ascii(value)) : tlv(0x0c, new TextEncoder().encode(value));
    rdns.push(tlv(TAG.SET, tlv(TAG.SEQUENCE, derOid(SUBJECT_FIELD_OIDS[field]), text)));
  }
  return tlv(TAG.SEQUENCE, ...rdns);
}

/** "CN=db1,O=Acme" as OpenSSL's -nameopt RFC2253 writes it (most specific first). */
export function formatName(name: pkijs.RelativeDistinguishedNames): string {
  return formatPairs(
    [...name.typesAndValues].map((tv) => [OID_TO_FIELD.get(tv.type) ?? tv.type, String(tv.value?.valueBlock?.value ?? "")]),
  );
}

/** The same text for a subject we are about to write (buildNameDer's order), without parsing DER. */
export function formatSubject(subject: Subject): string {
  const valid = validateSubject(subject);
  return formatPairs(ORDER.flatMap((field) => (valid[field] ? [[field, valid[field]] as [string, string]] : [])));
}

function formatPairs(pairs: [string, string][]): string {
  return pairs
    .reverse()
    .map(([field, value]) => `${field}=${value.replace(/([,+"\\<>;])/g, "\\$1")}`)
    .join(",");
}

export function nameFields(name: pkijs.RelativeDistinguishedNames): Partial<Subject> {
  const fields: Partial<Subject> = {};
  for (const tv of name.typesAndValues) {
    const field = OID_TO_FIELD.get(tv.type) as keyof Subject | undefined;
    if (field) fields[field] = String(tv.value?.valueBlock?.value ?? "");
  }
  return fields;
}
