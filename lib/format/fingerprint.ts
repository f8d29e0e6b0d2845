/** "AB:CD:…": how `openssl x509 -fingerprint -sha256` prints it, so people can compare by eye. */
export function formatFingerprint(hex: string): string {
  return hex.toUpperCase().replace(/(..)(?=.)/g, "$1:");
}
