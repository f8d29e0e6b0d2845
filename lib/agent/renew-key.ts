import fs from "node:fs";
import net from "node:net";
import { createCsr, exportPublicKeySpki, importPrivateKey, parseCertificate } from "@/lib/pki";
import { submitCsr } from "./api-client";
import { pendingKeyPath } from "./agent-state";
import type { AgentConfig } from "./config";

/**
 * A new key made here, kept in the agent's state directory (0600) until its certificate is
 * installed, and a CSR for the node's names sent to the server: the key never leaves the node.
 */
export async function requestNewCertificate(config: AgentConfig, names: string[]): Promise<void> {
  const dnsNames = names.filter((n) => !net.isIP(n));
  const ipAddresses = names.filter((n) => net.isIP(n));
  const { csrPem, privateKeyPem } = await createCsr({ subject: { CN: dnsNames[0] ?? config.hostname }, dnsNames, ipAddresses });
  writePendingKey(config, privateKeyPem);
  await submitCsr(config.server, config.credential, csrPem);
}

export function writePendingKey(config: AgentConfig, privateKeyPem: string): void {
  fs.mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(pendingKeyPath(config.stateDir), privateKeyPem, { mode: 0o600 });
}

/**
 * The key on this node that belongs to `certificatePem`: the live one (a re-signed certificate
 * for the same key), or the pending one (a new key's certificate). Falls back to the live key, so
 * validation names the mismatch.
 */
export async function keyFor(certificatePem: string, liveKey: string | null, config: AgentConfig): Promise<string> {
  const pendingFile = pendingKeyPath(config.stateDir);
  const pending = fs.existsSync(pendingFile) ? fs.readFileSync(pendingFile, "utf8") : null;
  const wanted = Buffer.from((await parseCertificate(certificatePem)).publicKeySpki).toString("hex");
  for (const candidate of [liveKey, pending]) {
    if (!candidate) continue;
    const spki = await exportPublicKeySpki((await importPrivateKey(candidate)).publicKey).catch(() => null);
    if (spki && Buffer.from(spki).toString("hex") === wanted) return candidate;
  }
  return liveKey ?? pending ?? "";
}

export function dropPendingKey(config: AgentConfig, installedKey: string): void {
  const file = pendingKeyPath(config.stateDir);
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === installedKey) fs.rmSync(file);
}
