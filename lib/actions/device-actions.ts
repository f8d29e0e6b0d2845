"use server";

import { revalidatePath } from "next/cache";
import { decideDeviceAuthorization } from "@/lib/services/devices/decide-device-authorization";
import { revokeDevice } from "@/lib/services/devices/revoke-device";
import { ZDeviceDecisionInput, ZRevokeDeviceInput } from "@/lib/validations/devices";
import { userAction } from "./user-action";

const DEVICES_PAGE = "/settings/devices";

/** /device: Approve or Deny the login a user code names (cluster-tls login waits for it). */
export const decideDeviceAction = userAction("device.decide", ZDeviceDecisionInput, async (input, { db, actor }) =>
  // No revalidation: it would re-render /device, where the code is no longer pending, over the
  // "Approved" answer; My devices is rendered per request anyway.
  decideDeviceAuthorization(db, actor, input),
);

/** My devices: revoke a login (one's own; an admin anyone's). */
export const revokeDeviceAction = userAction("device.revoke", ZRevokeDeviceInput, async ({ deviceId }, { db, actor }) => {
  await revokeDevice(db, actor, deviceId);
  revalidatePath(DEVICES_PAGE);
  return undefined;
});
