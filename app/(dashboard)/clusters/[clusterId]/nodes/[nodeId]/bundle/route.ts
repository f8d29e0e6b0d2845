import { sessionDownload } from "@/lib/api/session-download";
import { issueServerBundle } from "@/lib/services/nodes/issue-server-bundle";

export const dynamic = "force-dynamic";

/** "Download server bundle" for a signed-in admin (GET: a plain link; the download is audited). */
export const GET = sessionDownload<{ clusterId: string; nodeId: string }>(async ({ db, actor, keyRing, params }) => {
  const bundle = await issueServerBundle(db, actor, keyRing, params.nodeId);
  return { body: bundle.zip, filename: bundle.filename, contentType: "application/zip" };
});
