import "server-only";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { BoundedCache, processSingleton } from "@/lib/cache/bounded-cache";
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
type PublishedFileCache = { files: BoundedCache<string, Entry>; rendering: Map<string, Promise<PublishedFile>> };

// A 100,000-entry CRL is ~3.5 MB DER and ~4.7 MB PEM: the byte bound keeps the hottest clusters.
const MAX_ENTRIES = 3_000;
const MAX_BYTES = 128 * 1024 * 1024;

export function createPublishedFileCache(): PublishedFileCache {
  return { files: new BoundedCache({ maxEntries: MAX_ENTRIES, maxWeight: MAX_BYTES, weigh: (e: Entry) => e.file.body.byteLength }), rendering: new Map() };
}

function publishedFileCache(): PublishedFileCache {
  return processSingleton("published-file-cache", createPublishedFileCache);
}

/**
 * root.crt or a CRL of a cluster, rendered once and served from memory until the cluster's PKI
 * version changes (lib/db/schema/pki-versions.ts: bumped by database triggers on any change to
 * its CAs or CRLs, whoever made it).
 *
 * Freshness: one indexed lookup per request (cluster by id or name + its version), which the
 * request needs anyway to resolve the name and check access. Skipping it for a short TTL (≤ 1 s)
 * would save that query but serve a CRL up to a TTL late after a revocation on another instance,
 * and the whole point of a CRL is that a revoked certificate stops working now; measured, the
 * query costs little next to Next's own per-request work (bench `endpoints`), so every request
 * asks. The version is read before the file is rendered, so a render is never older than its tag:
 * at worst a change between the two makes the next request render again.
 */
export async function getPublishedFile(db: Database, actor: Actor, clusterRef: string, variant: PublishedFileVariant, cache: PublishedFileCache = publishedFileCache()): Promise<PublishedFile> {
  const { clusters, pkiVersions } = schema;
  const [cluster] = await db
    .select({ id: clusters.id, name: clusters.name, version: pkiVersions.version })
    .from(clusters)
    .leftJoin(pkiVersions, eq(pkiVersions.clusterId, clusters.id))
    .where(clusterRefCondition(clusterRef));
  if (!cluster) throw new AppError("NOT_FOUND", `cluster ${JSON.stringify(clusterRef)} not found`);
  await assertClusterVisible(db, actor, cluster.id, clusterRef);

  const version = cluster.version ?? 0n;
  const key = `${cluster.id}/${variant}`;
  const hit = cache.files.get(key);
  if (hit && hit.version === version && hit.file.clusterName === cluster.name) return hit.file;

  // Fifty pollers arriving together after a revocation share one render.
  const renderKey = `${key}@${version}`;
  let rendering = cache.rendering.get(renderKey);
  if (!rendering) {
    rendering = renderPublishedFile(db, actor, cluster.id, variant)
      .then((file) => {
        cache.files.set(key, { version, file });
        return file;
      })
      .finally(() => cache.rendering.delete(renderKey));
    cache.rendering.set(renderKey, rendering);
  }
  return rendering;
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

function published(clusterName: string, body: Uint8Array<ArrayBuffer>, contentType: string, lastModified: Date | null, expires: Date | null): PublishedFile {
  const etag = `"${createHash("sha256").update(body).digest("base64url")}"`;
  return { clusterName, body, etag, contentType, lastModified, expires };
}
