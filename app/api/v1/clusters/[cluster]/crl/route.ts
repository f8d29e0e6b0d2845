import { apiHandler } from "@/lib/api/api-handler";
import { getCrlOperation } from "@/lib/api/openapi/operations";
import { publishedFileResponse } from "@/lib/api/published-file-response";
import { getPublishedFile } from "@/lib/services/clusters/get-published-file";

export const dynamic = "force-dynamic";

/**
 * The current CRL: DER (application/pkix-crl, RFC 5280 §4.2.1.13) of the signing CA, or with
 * ?format=pem what ssl_crl_file needs — the CRL of every trusted CA (two during a rotation).
 * Served from memory while the cluster's PKI is unchanged; If-None-Match → 304. `npm start` serves
 * the successful GETs before Next.js (lib/api/published-file-fast-path.ts) with the same functions.
 */
export const GET = apiHandler(getCrlOperation, async ({ request, db, actor, params, query }) => {
  const variant = query.format === "pem" ? "crl.pem" : "crl";
  return publishedFileResponse(request, await getPublishedFile(db, actor, params.cluster, variant));
});
