import { publishedFileResponse } from "@/lib/api/published-file-response";
import { attachmentDisposition } from "@/lib/api/attachment-disposition";
import { sessionDownload } from "@/lib/api/session-download";
import { getPublishedFile } from "@/lib/services/clusters/get-published-file";

export const dynamic = "force-dynamic";

/** root.crl in PEM, the form ssl_crl_file and the bundles use (every trusted CA's CRL). */
export const GET = sessionDownload<{ clusterId: string }>(async ({ db, actor, params, request }) => {
  const file = await getPublishedFile(db, actor, params.clusterId, "crl.pem");
  return publishedFileResponse(request, file, { "Content-Disposition": attachmentDisposition(`${file.clusterName}-root.crl`) });
});
