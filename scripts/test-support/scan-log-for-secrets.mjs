#!/usr/bin/env node
// Fails when a log file holds key material or a secret token: PEM private keys, webhook secrets,
// whole API tokens. Usage: node scan-log-for-secrets.mjs <file>
import fs from "node:fs";

const file = process.argv[2];
if (!file || !fs.existsSync(file)) {
  console.error(`scan-log-for-secrets: no log at ${file} (did the e2e server run?)`);
  process.exit(1);
}
const text = fs.readFileSync(file, "utf8");
const PATTERNS = [
  ["a PEM private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["a webhook secret", /whsec_[A-Za-z0-9_-]{20,}/],
  ["an API token", /ctls_[A-Za-z0-9]+_[A-Za-z0-9_-]{20,}/],
];
const found = PATTERNS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
if (found.length > 0) {
  console.error(`${file} contains ${found.join(", ")}`);
  process.exit(1);
}
console.log(`${file}: ${text.split("\n").length} lines, no key material or secret tokens`);
