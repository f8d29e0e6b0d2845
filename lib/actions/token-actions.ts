"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { createApiToken } from "@/lib/services/tokens/create-api-token";
import { revokeApiToken } from "@/lib/services/tokens/revoke-api-token";
import { ZApiTokenFields } from "@/lib/validations/tokens";
import { userAction } from "./user-action";

const TOKENS_PAGE = "/settings/tokens";

// Forms send "" for "never expires" and a single cluster as a string. The service checks the
// rest (a developer token names its developer) and its field errors reach the form.
const ZCreateTokenForm = ZApiTokenFields.extend({
  clusters: z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean)),
  days: z.preprocess((v) => (v === "" || v === "never" ? null : v), ZApiTokenFields.shape.days),
});

/** Returns the plaintext token: the only time anyone sees it. */
export const createTokenAction = userAction(ZCreateTokenForm, async (input, user) => {
  const { database } = await getRuntime();
  const { token, record } = await createApiToken(database.db, user, input);
  revalidatePath(TOKENS_PAGE);
  return { token, prefix: record.prefix, name: record.name };
});

export const revokeTokenAction = userAction(z.object({ tokenId: z.string().uuid() }), async ({ tokenId }, user) => {
  const { database } = await getRuntime();
  await revokeApiToken(database.db, user, tokenId);
  revalidatePath(TOKENS_PAGE);
  return undefined;
});
