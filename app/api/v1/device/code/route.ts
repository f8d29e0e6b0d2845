import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { oauthErrorResponse, readOAuthParameters } from "@/lib/api/read-oauth-parameters";
import { requestInfoFrom } from "@/lib/auth/request-info";
import { requestOrigin } from "@/lib/auth/request-origin.mjs";
import { requestDeviceCode } from "@/lib/services/devices/request-device-code";
import { isOAuthError } from "@/lib/services/devices/oauth-error";

export const dynamic = "force-dynamic";

/**
 * RFC 8628 §3.1 device authorization request (`cluster-tls login`): `client_id`, optional
 * `device_name` and `scope` (cluster names) → device_code, user_code and where to approve it.
 * No credential: the laptop is not signed in yet.
 */
export const POST = apiHandler(
  async ({ request, db }) => {
    try {
      const parameters = await readOAuthParameters(request);
      const answer = await requestDeviceCode(db, parameters, requestInfoFrom(request.headers), requestOrigin(request.headers, request.nextUrl.protocol));
      return NextResponse.json(answer, { headers: { "Cache-Control": "no-store" } });
    } catch (error) {
      if (isOAuthError(error)) return oauthErrorResponse(error);
      throw error;
    }
  },
  { anonymous: true },
);
