"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createApiToken } from "@/lib/services/tokens/create-api-token";
import { revokeApiToken } from "@/lib/services/tokens/revoke-api-token";
import { ZApiTokenFields } from "@/lib/validations/tokens";
import { userAction } from "./user-action";

const TOKENS_PAGE = "/settings/tokens";

// Forms send "" for "never expires" and a single cluster as a string. The service checks the
// rest (a developer token names its developer) and its field errors reach the form.
const ZCreateTokenForm = ZApiTokenFields.extend({
  clusters: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean)),
  days: z.preprocess((v) => (v === "" || v === "never" ? null : v), ZApiTokenFields.shape.days),
});

/** Returns the plaintext token: the only time anyone sees it. */
export const createTokenAction = userAction("api_token.create", ZCreateTokenForm, async (input, { db, actor }) => {
  const { token, record } = await createApiToken(db, actor, input);
  revalidatePath(TOKENS_PAGE);
  return { token, prefix: record.prefix, name: record.name };
});

export const revokeTokenAction = userAction(
  "api_token.revoke",
  z.object({ tokenId: z.string().uuid() }),
  async ({ tokenId }, { db, actor }) => {
    await revokeApiToken(db, actor, tokenId);
    revalidatePath(TOKENS_PAGE);
    return undefined;
  },
);
