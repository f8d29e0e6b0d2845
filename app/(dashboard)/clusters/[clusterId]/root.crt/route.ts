import { publishedFileResponse } from "@/lib/api/published-file-response";
import { attachmentDisposition } from "@/lib/api/attachment-disposition";
import { sessionDownload } from "@/lib/api/session-download";
import { getPublishedFile } from "@/lib/services/clusters/get-published-file";

export const dynamic = "force-dynamic";

export const GET = sessionDownload<{ clusterId: string }>(async ({ db, actor, params, request }) => {
  const file = await getPublishedFile(db, actor, params.clusterId, "root.crt");
  return publishedFileResponse(request, file, { "Content-Disposition": attachmentDisposition(`${file.clusterName}-root.crt`) });
});
