import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { disconnectAgentOperation } from "@/lib/api/openapi/operations";
import { disconnectAgent } from "@/lib/services/agents/disconnect-agent";

export const dynamic = "force-dynamic";

/** Disconnects the node's agent: its node credential stops working; the files on the node stay. */
export const DELETE = apiHandler(disconnectAgentOperation, async ({ db, actor, params }) =>
  NextResponse.json(await disconnectAgent(db, actor, params.node)),
);
