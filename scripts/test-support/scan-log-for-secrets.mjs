#!/usr/bin/env node
// Fails when a log file holds key material or a secret: PEM or bare base64 PKCS#8 private keys,
// webhook secrets, whole API tokens, and the secret files of the server's data directory (master
// key, session secret, CLI secret) when given. A log written at info would prove little, so the
// log must hold debug lines (every request and audit event; CLUSTER_TLS_LOG_LEVEL=debug).
// Usage: node scan-log-for-secrets.mjs <log file> [<data dir>]
import fs from "node:fs";
import path from "node:path";

const [file, dataDir] = process.argv.slice(2);
if (!file || !fs.existsSync(file)) {
  console.error(`scan-log-for-secrets: no log at ${file} (did the e2e server run?)`);
  process.exit(1);
}
const text = fs.readFileSync(file, "utf8");
const PATTERNS = [
  ["a PEM private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  // The DER openings of PKCS#8 EC P-256 / P-384 and RSA keys, base64-encoded without PEM armour.
  ["a base64 PKCS#8 EC key", /MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHB|MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiB/],
  ["a base64 PKCS#8 RSA key", /MII[A-Za-z0-9+/]{2}IBADANBgkqhkiG9w0BAQEFAASC/],
  ["a webhook secret", /whsec_[A-Za-z0-9_-]{20,}/],
  ["an API token", /ctls_[A-Za-z0-9]+_[A-Za-z0-9_-]{20,}/],
];
const found = PATTERNS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
for (const secretFile of ["master.key", "auth.secret", "cli.secret"]) {
  const where = dataDir && path.join(dataDir, secretFile);
  const secret = where && fs.existsSync(where) ? fs.readFileSync(where, "utf8").trim() : "";
  if (secret && text.includes(secret)) found.push(`the content of ${secretFile}`);
}
if (found.length > 0) {
  console.error(`${file} contains ${found.join(", ")}`);
  process.exit(1);
}
const requests = text.match(/^\[http\] /gm)?.length ?? 0;
const auditEvents = text.match(/^\[audit\] /gm)?.length ?? 0;
if (requests === 0 || auditEvents === 0) {
  console.error(
    `${file} has ${requests} request and ${auditEvents} audit lines: run the server with CLUSTER_TLS_LOG_LEVEL=debug, or this scan proves nothing`,
  );
  process.exit(1);
}
console.log(
  `${file}: ${text.split("\n").length} lines (${requests} requests, ${auditEvents} audit events at debug), no key material or secrets`,
);
