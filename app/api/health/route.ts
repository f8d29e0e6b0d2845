import { NextResponse } from "next/server";
import { admissionStats } from "@/lib/services/metrics/admission-stats";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { pingDatabase } from "@/lib/services/instances/ping-database";

export const dynamic = "force-dynamic";

/**
 * Liveness + database reachability for load balancers and monitors; 503 when the database is down.
 * `requests`: what the admission gate is working on and holding back (scripts/serve.mjs).
 */
export async function GET() {
  const startedAt = performance.now();
  try {
    const { database } = await getRuntime();
    await pingDatabase(database.db);
    return NextResponse.json({
      status: "ok",
      database: { kind: database.kind, reachable: true, latencyMs: Math.round(performance.now() - startedAt) },
      requests: admissionStats(),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return NextResponse.json(
      { status: "unavailable", database: { reachable: false, error: message } },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
}
