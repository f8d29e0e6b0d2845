import { apiHandler } from "@/lib/api/api-handler";
import { getRootCertificateOperation } from "@/lib/api/openapi/operations";
import { apiPublishedFileHeaders, publishedFileResponse } from "@/lib/api/published-file-response";
import { getPublishedFile } from "@/lib/services/clusters/get-published-file";

export const dynamic = "force-dynamic";

/**
 * The CA certificates clients must trust (old + new during a rotation), PEM; If-None-Match → 304.
 * `npm start` serves the successful GETs before Next.js (lib/api/published-file-fast-path.ts) with
 * the same functions; this handler answers everything else, errors included.
 */
export const GET = apiHandler(getRootCertificateOperation, async ({ request, db, actor, params }) => {
  const file = await getPublishedFile(db, actor, params.cluster, "root.crt");
  return publishedFileResponse(request, file, apiPublishedFileHeaders("root.crt", file));
});
