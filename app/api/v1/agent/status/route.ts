import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { recordAgentStatusOperation } from "@/lib/api/openapi/operations";
import { recordAgentStatus } from "@/lib/services/agents/record-agent-status";

export const dynamic = "force-dynamic";

/**
 * The agent's report after each poll: installed and served serial, CRLs, last install's result.
 * `npm start` answers it before Next.js (lib/api/agent-fast-path.ts) once the credential is good.
 */
export const POST = apiHandler(recordAgentStatusOperation, async ({ db, actor, input }) =>
  NextResponse.json(await recordAgentStatus(db, actor, input)),
);
