"use server";

import { hashPassword } from "better-auth/crypto";
import { revalidatePath } from "next/cache";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { createUser } from "@/lib/services/users/create-user";
import { grantClusterAccess, revokeClusterAccess } from "@/lib/services/users/set-cluster-access";
import { updateUser } from "@/lib/services/users/update-user";
import { ZGrantClusterAccessInput, ZRevokeClusterAccessInput, ZUpdateUserInput } from "@/lib/validations/access";
import { ZCreateUserInput } from "@/lib/validations/users";
import { userAction } from "./user-action";

const USERS_PAGE = "/settings/users";

export const createUserAction = userAction(ZCreateUserInput, async (input, user) => {
  const { database } = await getRuntime();
  const created = await createUser({ db: database.db, actor: user, input, hashPassword });
  revalidatePath(USERS_PAGE);
  return { email: created.email };
});

export const updateUserAction = userAction(ZUpdateUserInput, async (input, user) => {
  const { database } = await getRuntime();
  const updated = await updateUser(database.db, user, input);
  revalidatePath(USERS_PAGE);
  return { email: updated.email };
});

export const grantClusterAccessAction = userAction(ZGrantClusterAccessInput, async (input, user) => {
  const { database } = await getRuntime();
  await grantClusterAccess(database.db, user, input);
  revalidatePath(USERS_PAGE);
  return undefined;
});

export const revokeClusterAccessAction = userAction(ZRevokeClusterAccessInput, async (input, user) => {
  const { database } = await getRuntime();
  await revokeClusterAccess(database.db, user, input);
  revalidatePath(USERS_PAGE);
  return undefined;
});
