import { apiHandler } from "@/lib/api/api-handler";
import { publishedFileResponse } from "@/lib/api/published-file-response";
import { attachmentDisposition } from "@/lib/api/session-download";
import { getPublishedFile } from "@/lib/services/clusters/get-published-file";

export const dynamic = "force-dynamic";

/** The CA certificates clients must trust (old + new during a rotation), PEM; If-None-Match → 304. */
export const GET = apiHandler<{ cluster: string }>(async ({ request, db, actor, params }) => {
  const file = await getPublishedFile(db, actor, params.cluster, "root.crt");
  return publishedFileResponse(request, file, { "Content-Disposition": attachmentDisposition(`${file.clusterName}-root.crt`) });
});
