import { apiHandler } from "@/lib/api/api-handler";
import { readAgentBundle } from "@/lib/api/agent-bundle-file";
import { getAgentFileOperation } from "@/lib/api/openapi/operations";

export const dynamic = "force-dynamic";

/** The agent, without sign-in: it holds no secret, and a node fetches it before it has a credential. */
export const GET = apiHandler(getAgentFileOperation, async () => {
  const { body, sha256 } = await readAgentBundle();
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Content-Disposition": 'attachment; filename="cluster-tls.mjs"',
      ETag: `"${sha256}"`,
      "Cache-Control": "no-cache",
    },
  });
});
