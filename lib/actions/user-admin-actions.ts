"use server";

import { hashPassword } from "better-auth/crypto";
import { revalidatePath } from "next/cache";
import { createUser } from "@/lib/services/users/create-user";
import { grantClusterAccess, revokeClusterAccess } from "@/lib/services/users/set-cluster-access";
import { updateUser } from "@/lib/services/users/update-user";
import { ZGrantClusterAccessInput, ZRevokeClusterAccessInput, ZUpdateUserInput } from "@/lib/validations/access";
import { ZCreateUserInput } from "@/lib/validations/users";
import { userAction } from "./user-action";

const USERS_PAGE = "/settings/users";

export const createUserAction = userAction("user.create", ZCreateUserInput, async (input, { db, actor }) => {
  const created = await createUser({ db, actor, input, hashPassword });
  revalidatePath(USERS_PAGE);
  return { email: created.email };
});

export const updateUserAction = userAction("user.update", ZUpdateUserInput, async (input, { db, actor }) => {
  const updated = await updateUser(db, actor, input);
  revalidatePath(USERS_PAGE);
  return { email: updated.email };
});

export const grantClusterAccessAction = userAction("user.grant_cluster_access", ZGrantClusterAccessInput, async (input, { db, actor }) => {
  await grantClusterAccess(db, actor, input);
  revalidatePath(USERS_PAGE);
  return undefined;
});

export const revokeClusterAccessAction = userAction(
  "user.revoke_cluster_access",
  ZRevokeClusterAccessInput,
  async (input, { db, actor }) => {
    await revokeClusterAccess(db, actor, input);
    revalidatePath(USERS_PAGE);
    return undefined;
  },
);
