import { derOid, tlv, TAG } from "../der";
import { OID } from "../oids";

const cache = new Map<number, Uint8Array>();

/** crlEntryExtensions holding one reasonCode: identical for every entry with that reason, so cached. */
export function reasonExtension(code: number): Uint8Array {
  let encoded = cache.get(code);
  if (!encoded) {
    encoded = tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, derOid(OID.cRLReason), tlv(TAG.OCTET_STRING, tlv(TAG.ENUMERATED, Uint8Array.of(code)))));
    cache.set(code, encoded);
  }
  return encoded;
}
