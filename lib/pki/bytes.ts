// Byte helpers without Node's Buffer: lib/pki runs on WebCrypto alone, so it works in any runtime.

export function toHex(bytes: Uint8Array | ArrayBuffer): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = "";
  for (const byte of view) out += byte.toString(16).padStart(2, "0");
  return out;
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[:\s]/g, "");
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error(`not hex: ${hex.slice(0, 40)}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** "AB:CD:…" as `openssl x509 -fingerprint` prints it. */
export function colonHex(bytes: Uint8Array | ArrayBuffer): string {
  return toHex(bytes)
    .toUpperCase()
    .replace(/(..)(?=.)/g, "$1:");
}

const BASE64_ALPHABET = new TextEncoder().encode("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

/** Table-driven base64 into a byte buffer: ~10× faster than btoa over a binary string for big CRLs. */
export function toBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = BASE64_ALPHABET[n >> 18]!;
    out[o++] = BASE64_ALPHABET[(n >> 12) & 63]!;
    out[o++] = BASE64_ALPHABET[(n >> 6) & 63]!;
    out[o++] = BASE64_ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out[o++] = BASE64_ALPHABET[n >> 18]!;
    out[o++] = BASE64_ALPHABET[(n >> 12) & 63]!;
    out[o++] = rest === 2 ? BASE64_ALPHABET[(n >> 6) & 63]! : 0x3d;
    out[o++] = 0x3d; // "="
  }
  return new TextDecoder().decode(out);
}

export function fromBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** A fresh ArrayBuffer holding exactly these bytes (WebCrypto and asn1js want ArrayBuffers). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", toArrayBuffer(bytes)));
}
