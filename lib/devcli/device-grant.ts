import { DeviceApiError, requestDeviceCode, requestDeviceToken, type DeviceCode, type DeviceToken } from "./device-api";

/** RFC 8628 §3.5: a client with no interval uses 5 s, and adds 5 s to it on each slow_down. */
const DEFAULT_INTERVAL_S = 5;
const SLOW_DOWN_S = 5;

export type GrantIo = {
  print: (line: string) => void;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
};

const realIo: GrantIo = { print: (line) => console.log(line), sleep: (ms) => new Promise((r) => setTimeout(r, ms)), now: () => Date.now() };

/** What each RFC 8628 §3.5 error means for the person at the terminal. */
function plainFailure(error: DeviceApiError, code: DeviceCode): Error {
  const minutes = Math.round(code.expires_in / 60);
  switch (error.oauthError) {
    case "access_denied":
      return new Error("the request was denied in the browser: nothing was stored");
    case "expired_token":
      return new Error(`the code expired after ${minutes} minutes without an approval: run login again`);
    case "invalid_grant":
      return new Error("the server no longer knows this login request (its code was already used or is unknown): run login again");
    case "invalid_client":
      return new Error("the server does not accept this client (client_id cluster-tls-cli): is this a cluster-tls server?");
    default:
      return new Error(`the server refused the login: ${error.message}`);
  }
}

/**
 * The device authorization grant (RFC 8628): ask for a code, show it, then poll the token
 * endpoint at the interval the server gave until the person approves or denies in the browser.
 */
export async function runDeviceGrant(server: string, deviceName: string, io: GrantIo = realIo): Promise<DeviceToken> {
  const code = await requestDeviceCode(server, deviceName);
  const userCode = code.user_code;
  io.print(`To approve this login, open\n\n  ${code.verification_uri_complete ?? code.verification_uri}\n`);
  io.print(`and check that the page shows the code ${userCode} (or go to ${code.verification_uri} and enter it).`);
  io.print(`Waiting for the approval (the code expires in ${Math.round(code.expires_in / 60)} minutes)…`);
  let interval = code.interval && code.interval > 0 ? code.interval : DEFAULT_INTERVAL_S;
  const deadline = io.now() + code.expires_in * 1000;
  for (;;) {
    await io.sleep(interval * 1000);
    try {
      return await requestDeviceToken(server, code.device_code);
    } catch (error) {
      if (!(error instanceof DeviceApiError)) throw error;
      if (error.oauthError === "authorization_pending") {
        if (io.now() >= deadline) throw plainFailure(new DeviceApiError(400, "expired_token", "expired_token"), code);
        continue;
      }
      if (error.oauthError === "slow_down") {
        interval += SLOW_DOWN_S;
        continue;
      }
      if (error.status === 0 && io.now() < deadline) {
        // A network blip while the person is still in the browser: keep the code and try again.
        io.print(`${error.message}; trying again`);
        continue;
      }
      throw plainFailure(error, code);
    }
  }
}
