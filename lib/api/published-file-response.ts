import type { PublishedFile, PublishedFileVariant } from "@/lib/services/clusters/get-published-file";
import { attachmentDisposition } from "./attachment-disposition";

/**
 * `no-cache` (store, but ask every time) rather than a max-age: a CRL changes the moment a
 * certificate is revoked, and a copy believed for even a minute keeps a revoked client working
 * that long. Asking is cheap — an If-None-Match with the last ETag gets a bodiless 304 while
 * nothing changed. `private`: answers depend on the caller's token or session (scopes), so shared
 * caches must not hand one caller's copy to another.
 */
const PUBLISHED_FILE_CACHE_CONTROL = "private, no-cache";

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored; `*` matches. */
export function matchesIfNoneMatch(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((candidate) => {
    const tag = candidate.trim();
    return tag === "*" || (tag.startsWith("W/") ? tag.slice(2) : tag) === etag;
  });
}

export type PublishedFileAnswer = { status: 200 | 304; headers: Record<string, string>; body: Uint8Array<ArrayBuffer> | null };

/** The file as a 200, or a 304 without body when the caller already holds this exact version. */
export function answerPublishedFile(
  ifNoneMatch: string | null,
  file: PublishedFile,
  extraHeaders: Record<string, string> = {},
): PublishedFileAnswer {
  // RFC 9110 §15.4.5: a 304 repeats ETag, Cache-Control and Expires so caches can update them.
  // nosniff here too: the fast path answers before next.config.js's headers are applied.
  const validators: Record<string, string> = {
    ETag: file.etag,
    "Cache-Control": PUBLISHED_FILE_CACHE_CONTROL,
    "X-Content-Type-Options": "nosniff",
  };
  if (file.expires) validators.Expires = file.expires.toUTCString();
  if (file.lastModified) validators["Last-Modified"] = file.lastModified.toUTCString();
  if (matchesIfNoneMatch(ifNoneMatch, file.etag)) return { status: 304, headers: validators, body: null };
  // Content-Length: the body is whole in memory (Next.js recomputes framing; the fast path keeps it).
  const representation = { "Content-Type": file.contentType, "Content-Length": String(file.body.byteLength) };
  return { status: 200, headers: { ...validators, ...representation, ...extraHeaders }, body: file.body };
}

export function publishedFileResponse(request: Request, file: PublishedFile, extraHeaders: Record<string, string> = {}): Response {
  const { status, headers, body } = answerPublishedFile(request.headers.get("if-none-match"), file, extraHeaders);
  return new Response(body, { status, headers });
}

/** What the REST API adds per file: root.crt downloads under the cluster's name. */
export function apiPublishedFileHeaders(variant: PublishedFileVariant, file: PublishedFile): Record<string, string> {
  return variant === "root.crt" ? { "Content-Disposition": attachmentDisposition(`${file.clusterName}-root.crt`) } : {};
}
