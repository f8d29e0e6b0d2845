import { fingerprintSha256, parseCertificate, parseCrl, pemToDerAll } from "@/lib/pki";
import type { AgentMemory } from "./agent-state";
import type { AgentConfig } from "./config";
import { readLiveSet } from "./install-set";

const AGENT_VERSION = "0.1.0";

/** What is installed now, read from the live files (not from memory): the body of POST /api/v1/agent/status. */
export async function buildStatus(config: AgentConfig, memory: AgentMemory) {
  const live = readLiveSet(config);
  const leaf = live.certificate ? pemToDerAll(live.certificate, "CERTIFICATE")[0] : undefined;
  const installedSerial = leaf ? (await parseCertificate(leaf)).serialHex : null;
  const roots = live.root ? pemToDerAll(live.root, "CERTIFICATE") : [];
  const rootFingerprints = await Promise.all(roots.map(async (der) => (await fingerprintSha256(der)).hex.toUpperCase()));
  const crls = live.crl
    ? pemToDerAll(live.crl, "X509 CRL").map((der) => {
        const crl = parseCrl(der);
        return {
          issuer: Buffer.from(crl.issuerDer).toString("hex"),
          number: crl.crlNumber?.toString() ?? null,
          nextUpdate: crl.nextUpdate?.toISOString() ?? null,
        };
      })
    : [];
  return {
    agentVersion: AGENT_VERSION,
    installedSerial,
    servedSerial: memory.servedSerial,
    rootFingerprints,
    crls,
    lastInstall: memory.lastInstall,
    error: memory.lastError,
    pollIntervalSeconds: Math.max(1, Math.ceil(config.intervalSeconds)),
  };
}

/** The soonest nextUpdate of the installed CRLs: past it OpenSSL refuses every client certificate. */
export function installedCrlNextUpdate(config: AgentConfig): Date | null {
  const crl = readLiveSet(config).crl;
  if (!crl) return null;
  const times = pemToDerAll(crl, "X509 CRL").flatMap((der) => parseCrl(der).nextUpdate ?? []);
  return times.length ? new Date(Math.min(...times.map((t) => t.getTime()))) : null;
}
