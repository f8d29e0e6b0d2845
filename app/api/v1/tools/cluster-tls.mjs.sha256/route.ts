import { apiHandler } from "@/lib/api/api-handler";
import { readAgentBundle } from "@/lib/api/agent-bundle-file";
import { getAgentFileChecksumOperation } from "@/lib/api/openapi/operations";

export const dynamic = "force-dynamic";

/** `sha256sum -c` input for the agent file: `<hex>  cluster-tls.mjs`. */
export const GET = apiHandler(getAgentFileChecksumOperation, async () => {
  const { sha256 } = await readAgentBundle();
  return new Response(`${sha256}  cluster-tls.mjs\n`, {
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-cache" },
  });
});
