import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDeviceGrant, type GrantIo } from "./device-grant";

/** A token endpoint that answers from a script, recording each request body (RFC 8628 §3.4 form fields). */
let script: Array<{ status: number; body: unknown }> = [];
const tokenRequests: URLSearchParams[] = [];
let codeRequest: URLSearchParams | null = null;
let server: http.Server;
let base = "";

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    request.on("end", () => {
      const form = new URLSearchParams(raw);
      const send = (status: number, body: unknown) =>
        response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (request.url === "/api/v1/device/code") {
        codeRequest = form;
        return send(200, {
          device_code: "dc-1",
          user_code: "BCDF-GHJK",
          verification_uri: `${base}/device`,
          verification_uri_complete: `${base}/device?code=BCDF-GHJK`,
          expires_in: 600,
          interval: 5,
        });
      }
      tokenRequests.push(form);
      const next = script.shift() ?? { status: 500, body: "script exhausted" };
      send(next.status, next.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function fakeIo() {
  const waits: number[] = [];
  const printed: string[] = [];
  let clock = 0;
  const io: GrantIo = { print: (line) => printed.push(line), sleep: async (ms) => void (waits.push(ms), (clock += ms)), now: () => clock };
  return { io, waits, printed };
}
const oauth = (error: string) => ({ status: 400, body: { error, error_description: `${error} (test)` } });
const granted = { status: 200, body: { access_token: "ctlsd_x", token_type: "Bearer", expires_in: 2_592_000, device_id: "dev-1" } };

describe("device authorization grant, laptop side (RFC 8628)", () => {
  it("sends the RFC's form fields, shows the code, waits `interval`, adds 5 s per slow_down, returns the token", async () => {
    script = [oauth("authorization_pending"), oauth("slow_down"), oauth("authorization_pending"), oauth("slow_down"), granted];
    tokenRequests.length = 0;
    const { io, waits, printed } = fakeIo();
    const token = await runDeviceGrant(base, "laptop-7", io);
    expect(token).toMatchObject({ access_token: "ctlsd_x", device_id: "dev-1" });
    expect(codeRequest?.get("client_id")).toBe("cluster-tls-cli");
    expect(codeRequest?.get("device_name")).toBe("laptop-7");
    expect(tokenRequests[0]!.get("grant_type")).toBe("urn:ietf:params:oauth:grant-type:device_code");
    expect(tokenRequests[0]!.get("device_code")).toBe("dc-1");
    expect(waits).toEqual([5000, 5000, 10_000, 10_000, 15_000]);
    expect(printed.join("\n")).toContain(`${base}/device?code=BCDF-GHJK`);
    expect(printed.join("\n")).toContain("BCDF-GHJK");
  });

  it.each([
    ["access_denied", /denied in the browser/],
    ["expired_token", /expired after 10 minutes.*run login again/],
    ["invalid_grant", /already used or is unknown\): run login again/],
  ])("%s ends the login with a plain sentence", async (error, message) => {
    script = [oauth("authorization_pending"), oauth(error)];
    await expect(runDeviceGrant(base, "laptop", fakeIo().io)).rejects.toThrow(message);
  });

  it("stops by itself when expires_in passes while the server still says authorization_pending", async () => {
    script = Array.from({ length: 200 }, () => oauth("authorization_pending"));
    const { io, waits } = fakeIo();
    await expect(runDeviceGrant(base, "laptop", io)).rejects.toThrow(/expired after 10 minutes/);
    expect(waits.length).toBe(120); // 600 s / 5 s
  });
});
