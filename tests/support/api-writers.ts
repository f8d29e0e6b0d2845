import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { parseCertificate } from "@/lib/pki";
import { zipEntry, type Api } from "./api-client";

export type Issued = { serial: string; at: number };

type WritersOptions = {
  cluster: string;
  nodeIds: string[];
  writers: number;
  /** Also download node bundles (their server.key must match server.crt): reads of keys other writers stored. */
  nodeBundles?: boolean;
};

/**
 * API clients that keep re-issuing nodes (every fourth revoking the previous certificate) and
 * taking client bundles, optionally downloading node bundles too, until `stop`. Failures are
 * collected, not thrown, so a test can assert there were none.
 */
export function startWriters(api: Api, { cluster, nodeIds, writers, nodeBundles = false }: WritersOptions) {
  let running = true;
  const issued: Issued[] = [];
  const revoked: string[] = [];
  const failures: string[] = [];
  let bundlesRead = 0;
  const node = (w: number, i: number) => nodeIds[(w * 3 + i) % nodeIds.length]!;
  const writeOnce = async (w: number, i: number): Promise<string | null> => {
    if (i % 3 === 2) {
      const zip = new Uint8Array(
        await (await api(`/clusters/${cluster}/client-certificates`, { method: "POST", body: { databaseUser: `app${w}` } })).arrayBuffer(),
      );
      return (await parseCertificate(zipEntry(zip, "client.crt"))).serialHex;
    }
    if (nodeBundles && i % 3 === 1) {
      expectMatchingKey(new Uint8Array(await (await api(`/nodes/${node(w, i)}/bundle`)).arrayBuffer()));
      bundlesRead++;
      return null;
    }
    const revokePrevious = i % 4 === 0;
    const body = await (await api(`/nodes/${node(w, i)}/reissue`, { method: "POST", body: { revokePrevious } })).json();
    if (revokePrevious && body.previousSerial) revoked.push(body.previousSerial);
    return body.certificate.serial;
  };
  const workers = Array.from({ length: writers }, async (_, w) => {
    for (let i = 0; running; i++) {
      try {
        const serial = await writeOnce(w, i);
        if (serial) issued.push({ serial, at: Date.now() });
      } catch (error) {
        failures.push(String(error));
      }
    }
  });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    running = false;
    return (stopped ??= Promise.all(workers).then(() => undefined));
  };
  return { issued, revoked, failures, bundlesRead: () => bundlesRead, stop };
}
export type Writers = ReturnType<typeof startWriters>;

function expectMatchingKey(zip: Uint8Array): void {
  const certificate = new X509Certificate(zipEntry(zip, "server.crt"));
  const spki = (key: ReturnType<typeof createPublicKey>) => key.export({ type: "spki", format: "der" });
  if (!spki(createPublicKey(createPrivateKey(zipEntry(zip, "server.key")))).equals(spki(certificate.publicKey))) {
    throw new Error(`server.key does not match server.crt ${certificate.serialNumber}`);
  }
}
