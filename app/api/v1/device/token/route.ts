import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { oauthErrorResponse, readOAuthParameters } from "@/lib/api/read-oauth-parameters";
import { requestInfoFrom } from "@/lib/auth/request-info";
import { exchangeDeviceCode } from "@/lib/services/devices/exchange-device-code";
import { isOAuthError } from "@/lib/services/devices/oauth-error";

export const dynamic = "force-dynamic";

/**
 * RFC 8628 §3.4 device access token request: the laptop polls with its device code until the
 * user approved (→ the device credential, once), denied, or the code expired. Errors in the
 * OAuth shape (RFC 6749 §5.2).
 */
export const POST = apiHandler(
  async ({ request, db }) => {
    try {
      const parameters = await readOAuthParameters(request);
      const answer = await exchangeDeviceCode(db, parameters, requestInfoFrom(request.headers));
      return NextResponse.json(answer, { headers: { "Cache-Control": "no-store", Pragma: "no-cache" } });
    } catch (error) {
      if (isOAuthError(error)) return oauthErrorResponse(error);
      throw error;
    }
  },
  { anonymous: true },
);
