import { apiHandler } from "@/lib/api/api-handler";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { issueServerBundle } from "@/lib/services/nodes/issue-server-bundle";

export const dynamic = "force-dynamic";

export const GET = apiHandler<{ node: string }>(async ({ db, actor, params }) => {
  const { keyRing } = await getRuntime();
  const bundle = await issueServerBundle(db, actor, keyRing, params.node);
  return new Response(new Uint8Array(bundle.zip), {
    headers: { "Content-Type": "application/zip", "Content-Disposition": `attachment; filename="${bundle.filename}"`, "Cache-Control": "no-store" },
  });
});
