import { apiHandler } from "@/lib/api/api-handler";
import { openApiDocumentText } from "@/lib/api/openapi/build-document";
import { getOpenApiDocumentOperation } from "@/lib/api/openapi/operations";

export const dynamic = "force-dynamic";

/**
 * The REST reference (OpenAPI 3.1), generated from the contracts the routes enforce. Public: it
 * describes the API, holds nothing about this instance's clusters. It changes only with the code,
 * so clients may cache it and revalidate with its ETag.
 */
export const GET = apiHandler(getOpenApiDocumentOperation, async ({ request }) => {
  const { text, etag } = openApiDocumentText();
  const headers = { ETag: etag, "Cache-Control": "public, max-age=300, must-revalidate", "X-Content-Type-Options": "nosniff" };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(text, { headers: { ...headers, "Content-Type": "application/json" } });
});
