import "server-only";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { pkiChangeFeed, type PkiChangeFeed } from "@/lib/db/pki-change-feed";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { BoundedCache } from "@/lib/cache/bounded-cache";
import { processSingleton } from "@/lib/cache/process-singleton";
import { assertClusterVisible, clusterRefCondition } from "./get-cluster";
import { getCurrentCrl, getTrustedCrlsPem } from "./get-current-crl";
import { getTrustBundle } from "./get-trust-bundle";

/** What nodes and clients poll: root.crt, the signing CA's CRL (DER), every trusted CRL (PEM). */
export type PublishedFileVariant = "root.crt" | "crl" | "crl.pem";

export type PublishedFile = {
  clusterName: string;
  body: Uint8Array<ArrayBuffer>;
  /** Strong validator (RFC 9110 §8.8.3): SHA-256 of the body, so equal bodies — on any instance — match. */
  etag: string;
  contentType: string;
  lastModified: Date | null;
  expires: Date | null;
};

type Entry = { version: bigint; file: PublishedFile };
type ClusterVersion = { id: string; name: string; version: bigint };
type PublishedFileCache = {
  files: BoundedCache<string, Entry>;
  rendering: Map<string, Promise<PublishedFile>>;
  /** Embedded database only: cluster ref → id, name and PKI version, until a change notice. */
  versions: BoundedCache<string, ClusterVersion & { epoch: number }>;
  /** Change notices: a counter, and the count at each cluster's latest notice. */
  notices: { epoch: number; byCluster: Map<string, number>; feeds: WeakSet<PkiChangeFeed> };
};

// A 100,000-entry CRL is ~3.5 MB DER and ~4.7 MB PEM: the byte bound keeps the hottest clusters.
const MAX_ENTRIES = 3_000;
const MAX_BYTES = 128 * 1024 * 1024;
/** Even with change notices, the embedded database's version is re-read this often (a safety net). */
export const VERSION_RECHECK_MS = 1_000;

export function createPublishedFileCache({ now }: { now?: () => number } = {}): PublishedFileCache {
  return {
    files: new BoundedCache({ maxEntries: MAX_ENTRIES, maxWeight: MAX_BYTES, weigh: (e: Entry) => e.file.body.byteLength }),
    rendering: new Map(),
    versions: new BoundedCache({ maxEntries: 10_000, ttlMs: VERSION_RECHECK_MS, now }),
    notices: { epoch: 0, byCluster: new Map(), feeds: new WeakSet() },
  };
}

function publishedFileCache(): PublishedFileCache {
  return processSingleton("published-file-cache", createPublishedFileCache);
}

/**
 * root.crt or a CRL of a cluster, rendered once and served from memory until the cluster's PKI
 * version changes (lib/db/schema/pki-versions.ts: bumped by database triggers on any change to
 * its CAs or CRLs, whoever made it).
 *
 * Freshness — the trade-off, measured on the 2-core machine (bench `endpoints`):
 * - PostgreSQL, where several instances write: one indexed lookup per request (cluster by id or
 *   name + version), which the request needs anyway to resolve the name. It costs this process
 *   ~0.2–0.3 ms of CPU (drizzle + pg), which caps one instance at a few thousand such requests
 *   per second; instances scale out on the shared database. A TTL (≤ 1 s) would save it but serve
 *   a CRL up to a TTL late after a revocation on another instance, and a CRL exists so that a
 *   revoked certificate stops working now — so every request asks.
 * - The embedded PGlite: only this process can write it, and its change notices arrive before the
 *   writing call returns (lib/db/pki-change-feed.ts), so the version is known without asking —
 *   exact, like the lookup, but free. That matters: a PGlite query costs ~0.3–0.6 ms of this
 *   process's own CPU, ten times the rest of a cached request. The version is still re-read every
 *   VERSION_RECHECK_MS in case a notice is ever lost.
 * The version is read before the file is rendered, so a render is never older than its tag: at
 * worst a change between the two makes the next request render again.
 */
export async function getPublishedFile(
  db: Database,
  actor: Actor,
  clusterRef: string,
  variant: PublishedFileVariant,
  cache: PublishedFileCache = publishedFileCache(),
): Promise<PublishedFile> {
  const cluster = await findClusterVersion(db, clusterRef, cache);
  if (!cluster) throw new AppError("NOT_FOUND", `cluster ${JSON.stringify(clusterRef)} not found`);
  await assertClusterVisible(db, actor, cluster.id, clusterRef);

  const key = `${cluster.id}/${cluster.name}/${variant}`;
  const hit = cache.files.get(key);
  if (hit && hit.version === cluster.version) return hit.file;

  // Fifty pollers arriving together after a revocation share one render.
  const renderKey = `${key}@${cluster.version}`;
  let rendering = cache.rendering.get(renderKey);
  if (!rendering) {
    rendering = renderPublishedFile(db, actor, cluster.id, variant)
      .then((file) => {
        cache.files.set(key, { version: cluster.version, file });
        return file;
      })
      .finally(() => cache.rendering.delete(renderKey));
    cache.rendering.set(renderKey, rendering);
  }
  return rendering;
}

async function findClusterVersion(db: Database, clusterRef: string, cache: PublishedFileCache): Promise<ClusterVersion | undefined> {
  const { notices } = cache;
  const feed = pkiChangeFeed(db);
  if (feed) {
    if (!notices.feeds.has(feed)) {
      notices.feeds.add(feed);
      feed.subscribe((clusterId) => notices.byCluster.set(clusterId, ++notices.epoch));
    }
    const known = cache.versions.get(clusterRef);
    if (known && (notices.byCluster.get(known.id) ?? 0) <= known.epoch) return known;
  }
  // Taken before the query: a notice that arrives while it runs makes the answer stale at once.
  const epoch = notices.epoch;
  const { clusters, pkiVersions } = schema;
  const [row] = await db
    .select({ id: clusters.id, name: clusters.name, version: pkiVersions.version })
    .from(clusters)
    .leftJoin(pkiVersions, eq(pkiVersions.clusterId, clusters.id))
    .where(clusterRefCondition(clusterRef));
  if (!row) return undefined; // never remembered: a cluster created later must be found
  const cluster = { id: row.id, name: row.name, version: row.version ?? 0n };
  if (feed) cache.versions.set(clusterRef, { ...cluster, epoch });
  return cluster;
}

async function renderPublishedFile(db: Database, actor: Actor, clusterId: string, variant: PublishedFileVariant): Promise<PublishedFile> {
  if (variant === "crl") {
    const crl = await getCurrentCrl(db, actor, clusterId);
    return published(crl.clusterName, new Uint8Array(crl.der), "application/pkix-crl", crl.thisUpdate, crl.nextUpdate);
  }
  if (variant === "crl.pem") {
    const crls = await getTrustedCrlsPem(db, actor, clusterId);
    return published(crls.clusterName, utf8(crls.pem), "application/x-pem-file", null, crls.nextUpdate);
  }
  const bundle = await getTrustBundle(db, actor, clusterId);
  return published(bundle.clusterName, utf8(bundle.pem), "application/x-pem-file", null, null);
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));

function published(
  clusterName: string,
  body: Uint8Array<ArrayBuffer>,
  contentType: string,
  lastModified: Date | null,
  expires: Date | null,
): PublishedFile {
  const etag = `"${createHash("sha256").update(body).digest("base64url")}"`;
  return { clusterName, body, etag, contentType, lastModified, expires };
}
