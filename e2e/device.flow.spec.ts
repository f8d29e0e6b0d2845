import { expect, test, type APIRequestContext } from "@playwright/test";
import { DEVELOPER } from "./support/accounts";

// `cluster-tls login` as the laptop does it (RFC 8628 over the production server), with the
// approval done by a developer in Chromium: the device code from the API, sign-in on the way to
// /device?code=…, Approve; the token call then gets the device credential; My devices lists the
// login, and revoking it (after a confirmation) makes the credential a 401.
test.describe.configure({ mode: "serial" });

const deviceName = `e2e-laptop-${Date.now().toString(36)}`;
const GRANT = "urn:ietf:params:oauth:grant-type:device_code";
type DeviceCode = { device_code: string; user_code: string; verification_uri: string; verification_uri_complete: string; interval: number };

/** Polls the token endpoint as a client must: every `interval` seconds, 5 s more after each slow_down. */
async function pollForToken(request: APIRequestContext, code: DeviceCode) {
  let interval = code.interval;
  for (let attempt = 0; attempt < 10; attempt++) {
    const response = await request.post("/api/v1/device/token", {
      form: { grant_type: GRANT, device_code: code.device_code, client_id: "cluster-tls-cli" },
    });
    const body = (await response.json()) as { error?: string; access_token?: string; device_id?: string };
    if (response.ok()) return body;
    if (body.error === "slow_down") interval += 5;
    else if (body.error !== "authorization_pending") throw new Error(`token endpoint: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, interval * 1000));
  }
  throw new Error("never approved");
}

test("a developer approves a device login at /device; My devices lists it and revokes it", async ({ browser, request, baseURL }) => {
  test.setTimeout(120_000);
  const started = await request.post("/api/v1/device/code", { form: { client_id: "cluster-tls-cli", device_name: deviceName } });
  expect(started.status(), await started.text()).toBe(200);
  const code = (await started.json()) as DeviceCode;
  expect(code.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
  expect(code.verification_uri).toBe(`${baseURL}/device`);
  const pending = await request.post("/api/v1/device/token", {
    form: { grant_type: GRANT, device_code: code.device_code, client_id: "cluster-tls-cli" },
  });
  expect(await pending.json()).toMatchObject({ error: "authorization_pending" });

  // Not signed in yet: the link leads through sign-in and back to the code.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(code.verification_uri_complete);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByLabel("Email").fill(DEVELOPER.email);
  await page.getByLabel("Password").fill(DEVELOPER.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Approve a device login" })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(code.user_code)).toBeVisible();
  await expect(page.getByText(deviceName)).toBeVisible();
  await expect(page.getByText("every cluster you may use")).toBeVisible();
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByRole("status")).toContainText(`Approved. ${deviceName} is logged in`);

  const token = await pollForToken(request, code);
  expect(token.access_token).toMatch(/^ctlsd_/);
  const access = await request.get("/api/v1/device/access", { headers: { Authorization: `Bearer ${token.access_token}` } });
  expect(access.status()).toBe(200);
  expect(await access.json()).toMatchObject({ user: { email: DEVELOPER.email, role: "developer" }, device: { name: deviceName } });

  // A wrong code names the problem.
  await page.goto("/device?code=BCDF-GHJK");
  await expect(page.getByRole("alert").filter({ hasText: "no login is waiting for code BCDF-GHJK" })).toBeVisible();

  await page.goto("/settings/devices");
  const row = page.getByRole("row", { name: new RegExp(deviceName) });
  await expect(row).toBeVisible();
  await expect(row.getByText("Active")).toBeVisible();
  await row.getByRole("button", { name: "Revoke" }).click();
  const dialog = page.getByRole("dialog", { name: `Revoke “${deviceName}”?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Revoke device" }).click();
  await expect(page.getByText(`Revoked ${deviceName}`)).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(deviceName) }).getByText("Revoked")).toBeVisible();

  const refused = await request.get("/api/v1/device/access", { headers: { Authorization: `Bearer ${token.access_token}` } });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.message).toMatch(/was revoked on/);
  await context.close();
});
