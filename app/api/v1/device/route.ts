import { apiHandler } from "@/lib/api/api-handler";
import { assertDeviceActor } from "@/lib/services/devices/authenticate-device-credential";
import { revokeDevice } from "@/lib/services/devices/revoke-device";

export const dynamic = "force-dynamic";

/** `cluster-tls logout`: the device revokes its own credential. */
export const DELETE = apiHandler(
  async ({ db, actor }) => {
    assertDeviceActor(actor);
    await revokeDevice(db, actor, actor.id);
    return new Response(null, { status: 204 });
  },
  { device: true },
);
