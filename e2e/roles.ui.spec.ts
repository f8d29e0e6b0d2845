import { expect, test } from "@playwright/test";
import { AUDITOR, DEVELOPER, STORAGE_STATE } from "./support/accounts";

test.describe("as an auditor", () => {
  test.use({ storageState: STORAGE_STATE.auditor });

  test("reads the audit log, including sign-ins, and can export it", async ({ page }) => {
    await page.goto("/audit");
    await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
    await expect(page.getByRole("cell", { name: "auth.sign_in" }).first()).toBeVisible();
    await page.getByLabel("Actor").fill(AUDITOR.email);
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/actor=audit%40example\.com/);
    const rows = page.getByRole("row");
    await expect(rows.nth(1)).toContainText(AUDITOR.email);

    const download = await page.request.get("/audit/export?action=auth.");
    expect(download.status()).toBe(200);
    expect(download.headers()["content-type"]).toContain("text/csv");
    const csv = await download.text();
    expect(csv.split("\r\n")[0]).toBe(
      "occurred_at,actor_type,actor,action,object_type,object_id,cluster,outcome,ip_address,user_agent,details",
    );
    expect(csv).toContain("auth.sign_in");
    expect(csv).not.toContain("user.create"); // the action filter applied
  });

  test("sees no user or token management and no mutating buttons", async ({ page }) => {
    await page.goto("/settings");
    await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Users" })).toHaveCount(0);
    await page.goto("/settings/users");
    await expect(page.getByRole("heading", { name: "You don't have access to user management" })).toBeVisible();
    await page.goto("/settings/tokens");
    await expect(page.getByRole("heading", { name: "You don't have access to API tokens" })).toBeVisible();
    for (const path of ["/", "/clusters", "/certificates", "/audit"]) {
      await page.goto(path);
      await expect(page.getByRole("button", { name: /revoke|disable|re-issue|delete|create token|add user/i })).toHaveCount(0);
    }
  });
});

test.describe("as a developer", () => {
  test.use({ storageState: STORAGE_STATE.developer });

  test("starts on their own page, which says who grants clusters while they have none", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Your database access" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "No clusters granted to you yet" })).toBeVisible();
    await expect(page.getByText(/Ask an admin to grant you a cluster/)).toBeVisible();
    await expect(page.getByRole("heading", { name: "Client certificates you hold" })).toBeVisible();
    // Not the admin overview: no fleet-wide counts or timeline.
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toHaveCount(0);
    await expect(page.getByRole("region", { name: "Expiry timeline" })).toHaveCount(0);
  });

  test("has no audit log and no administration", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByText(`${DEVELOPER.email} · Developer`)).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" })).toHaveCount(0);
    await page.goto("/audit");
    await expect(page.getByRole("heading", { name: "You don't have access to the audit log" })).toBeVisible();
    expect((await page.request.get("/audit/export")).status()).toBe(403);
    await page.goto("/settings/users");
    await expect(page.getByRole("heading", { name: "You don't have access to user management" })).toBeVisible();
  });
});

test.describe("as an admin", () => {
  test.use({ storageState: STORAGE_STATE.admin });

  test("a new user changes their password: the current one is checked, other sessions end", async ({ page, browser }) => {
    // A user of its own: changing a password signs out that user's other (stored) sessions.
    await page.goto("/settings/users");
    const form = page.getByRole("form", { name: "Add user" });
    await form.getByLabel("Name").fill("Pat Password");
    await form.getByLabel("Email").fill("pat@example.com");
    await form.getByLabel("Initial password").fill("initial password 1");
    await form.getByLabel("Role").selectOption("auditor");
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(page.getByRole("cell", { name: /pat@example\.com/ })).toBeVisible();

    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const pat = await context.newPage();
    await pat.goto("/sign-in");
    await pat.getByLabel("Email").fill("pat@example.com");
    await pat.getByLabel("Password").fill("initial password 1");
    await pat.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(pat.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await pat.goto("/settings");
    const change = async (current: string, next: string) => {
      await pat.getByLabel("Current password").fill(current);
      await pat.getByLabel("New password", { exact: true }).fill(next);
      await pat.getByLabel("Confirm new password").fill(next);
      await pat.getByRole("button", { name: "Change password" }).click();
    };
    await change("not my password", "a brand new password");
    await expect(pat.getByText("Incorrect password")).toBeVisible();
    await change("initial password 1", "a brand new password");
    await expect(pat.getByText("Password changed. Your other sessions were signed out.")).toBeVisible();
    await pat.goto("/audit"); // still signed in with the rotated session
    await expect(pat.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
    await context.close();
  });

  test("creates an API token that is shown once and works on the API, then revokes it", async ({ page, request }) => {
    await page.goto("/settings/tokens");
    const form = page.getByRole("form", { name: "Create API token" });
    await form.getByLabel("Name").fill("e2e automation");
    await form.getByLabel("Role").selectOption("auditor");
    await form.getByRole("button", { name: "Create token" }).click();
    const token = (await page.getByTestId("new-token").textContent())!.trim();
    expect(token).toMatch(/^ctls_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);

    const ok = await request.get("/api/v1/clusters", { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status()).toBe(200);

    await page.reload();
    await expect(page.getByText(token)).toHaveCount(0); // never shown again
    const row = page.getByRole("row", { name: /e2e automation/ });
    await row.getByRole("button", { name: "Revoke" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke “e2e automation”?" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Revoke token" }).click();
    await expect(page.getByText("Revoked e2e automation")).toBeVisible();
    await expect(row.getByText("Revoked", { exact: true })).toBeVisible();

    const refused = await request.get("/api/v1/clusters", { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status()).toBe(401);
    expect((await refused.json()).error.message).toMatch(/was revoked/);
  });

  test("cannot demote the last admin", async ({ page }) => {
    await page.goto("/settings/users");
    await page.getByLabel("Role of ada@example.com").selectOption("auditor");
    await page
      .getByRole("row", { name: /ada@example\.com/ })
      .getByRole("button", { name: "Save role" })
      .click();
    await page.getByRole("dialog", { name: "Make ada@example.com an auditor?" }).getByRole("button", { name: "Change role" }).click();
    await expect(page.getByText("ada@example.com is the last active admin; make someone else admin first")).toBeVisible();
    await expect(page.getByLabel("Role of ada@example.com")).toHaveValue("admin");
  });

  test("a role changes only on Save, after a confirmation naming the user and the new role", async ({ page }) => {
    await page.goto("/settings/users");
    const form = page.getByRole("form", { name: "Add user" });
    await form.getByLabel("Name").fill("Rosa Role");
    await form.getByLabel("Email").fill("rosa@example.com");
    await form.getByLabel("Initial password").fill("initial password 1");
    await form.getByLabel("Role").selectOption("developer");
    await form.getByRole("button", { name: "Add user" }).click();
    const role = page.getByLabel("Role of rosa@example.com");
    await expect(role).toHaveValue("developer");

    // A stray arrow key on the focused select changes the choice, not the account.
    await role.focus();
    await page.keyboard.press("ArrowUp");
    await expect(role).toHaveValue("admin");
    await page.reload();
    await expect(role).toHaveValue("developer");

    const row = page.getByRole("row", { name: /rosa@example\.com/ });
    await role.selectOption("admin");
    await row.getByRole("button", { name: "Save role" }).click();
    const promote = page.getByRole("dialog", { name: "Make rosa@example.com an admin?" });
    await expect(promote).toContainText("changes from developer to admin");
    await promote.getByRole("button", { name: "Cancel" }).click();
    await page.reload();
    await expect(role).toHaveValue("developer");

    await role.selectOption("auditor");
    await row.getByRole("button", { name: "Save role" }).click();
    await page.getByRole("dialog", { name: "Make rosa@example.com an auditor?" }).getByRole("button", { name: "Change role" }).click();
    await expect(page.getByText("rosa@example.com is now an auditor")).toBeVisible();
    await expect(row.getByRole("button", { name: "Save role" })).toHaveCount(0);
    await page.reload();
    await expect(role).toHaveValue("auditor");
  });
});
