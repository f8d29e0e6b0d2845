import { NextResponse } from "next/server";
import { getHealthOperation } from "@/lib/api/openapi/operations";
import { admissionStats } from "@/lib/services/metrics/admission-stats";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { pingDatabase } from "@/lib/services/instances/ping-database";

export const dynamic = "force-dynamic";

/**
 * Liveness + database reachability for load balancers and monitors; 503 when the database is down.
 * `requests`: what the admission gate is working on and holding back (scripts/serve.mjs).
 * Not through apiHandler: the request context it builds needs the database this route reports on,
 * so the route reaches for the runtime itself and turns its failure into the 503.
 */
async function health() {
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

export const GET = Object.assign(health, { operation: getHealthOperation });
