import { apiHandler } from "@/lib/api/api-handler";
import { getServerBundleOperation } from "@/lib/api/openapi/operations";
import { issueServerBundle } from "@/lib/services/nodes/issue-server-bundle";

export const dynamic = "force-dynamic";

export const GET = apiHandler(getServerBundleOperation, async ({ db, actor, keyRing, params }) => {
  const bundle = await issueServerBundle(db, actor, keyRing, params.node);
  return new Response(new Uint8Array(bundle.zip), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${bundle.filename}"`,
      "Cache-Control": "no-store",
    },
  });
});
