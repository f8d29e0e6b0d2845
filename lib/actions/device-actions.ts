"use server";

import { revalidatePath } from "next/cache";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { decideDeviceAuthorization } from "@/lib/services/devices/decide-device-authorization";
import { revokeDevice } from "@/lib/services/devices/revoke-device";
import { ZDeviceDecisionInput, ZRevokeDeviceInput } from "@/lib/validations/devices";
import { userAction } from "./user-action";

const DEVICES_PAGE = "/settings/devices";

/** /device: Approve or Deny the login a user code names (cluster-tls login waits for it). */
export const decideDeviceAction = userAction(ZDeviceDecisionInput, async (input, user) => {
  const { database } = await getRuntime();
  const result = await decideDeviceAuthorization(database.db, user, input);
  revalidatePath(DEVICES_PAGE);
  return result;
});

/** My devices: revoke a login (one's own; an admin anyone's). */
export const revokeDeviceAction = userAction(ZRevokeDeviceInput, async ({ deviceId }, user) => {
  const { database } = await getRuntime();
  await revokeDevice(database.db, user, deviceId);
  revalidatePath(DEVICES_PAGE);
  return undefined;
});
