import { NextResponse, type NextRequest } from "next/server";
import { apiError } from "@/lib/api/api-handler";
import { assertCliCommand, runCliCommand } from "@/lib/cli/run-cli-command";
import { isValidCliSecret } from "@/lib/cli/server-channel";
import { AppError, isAppError } from "@/lib/errors/app-error";
import { describeError } from "@/lib/errors/describe-error";
import { getRuntime } from "@/lib/runtime/bootstrap";

export const dynamic = "force-dynamic";

/**
 * The CLI's way in while this server owns the embedded database (lib/cli/server-channel.ts). Not
 * part of the published API and not through apiHandler: its secret lives in the data dir and its
 * commands run against the whole runtime (backup, master keys), not a request context.
 */
export async function POST(request: NextRequest) {
  const runtime = await getRuntime();
  const secret = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1] ?? null;
  if (!isValidCliSecret(runtime.config.dataDir, secret)) return apiError(401, "UNAUTHENTICATED", "not the CLI of this server");
  try {
    // The parser's own message quotes the body and positions: the caller needs only what is wrong.
    const body: unknown = await request.json().catch(() => {
      throw new AppError("VALIDATION_FAILED", "the request body is not valid JSON");
    });
    const command = assertCliCommand(body);
    const label = request.headers.get("x-cluster-tls-cli-user") ?? "cli";
    return NextResponse.json(await runCliCommand(runtime, command, { type: "cli", label: label.slice(0, 100) }));
  } catch (error) {
    if (isAppError(error)) return apiError(error.httpStatus, error.code, error.message);
    console.error(`[cluster-tls] CLI command failed: ${describeError(error)}`);
    return apiError(500, "INTERNAL", describeError(error));
  }
}
