import "server-only";
import { eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { SYSTEM_ACTOR, type Actor } from "@/lib/access/actor";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { getNodeOrThrow } from "@/lib/services/nodes/get-node";
import { reissueLoadedNode } from "@/lib/services/nodes/reissue-node-certificate";
import { validationError } from "@/lib/validations/field-errors";
import { ZAgentCsrInput } from "@/lib/validations/agent";
import { assertNodeActor } from "./authenticate-node-credential";

/**
 * An agent's CSR for its own node (a new key it made on the node): signed for the node's names
 * only (issueForNode refuses any other), the previous certificate superseded, not revoked — it is
 * still served until the agent has installed and proven the new one. Clears "renewal requested".
 */
export async function signAgentCsr(db: Database, actor: Actor, keyRing: KeyRing, input: unknown) {
  assertNodeActor(actor);
  const parsed = ZAgentCsrInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid CSR");
  const context = await getNodeOrThrow(db, SYSTEM_ACTOR, actor.nodeId);
  return reissueLoadedNode(db, actor, keyRing, context, {
    csrPem: parsed.data.csrPem,
    reason: "agent",
    alongside: async (tx) => {
      await tx.update(schema.nodeAgents).set({ renewalRequestedAt: null }).where(eq(schema.nodeAgents.id, actor.id));
    },
  });
}
