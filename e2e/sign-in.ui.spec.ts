import { expect, test, type Page } from "@playwright/test";
import { ADMIN } from "./support/accounts";

// These tests sign in themselves: start from an empty browser state.
test.use({ storageState: { cookies: [], origins: [] } });

/** Submits the form and waits for the server action's answer (the message may be the same as last time). */
async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/sign-in")),
    page.getByRole("button", { name: "Sign in", exact: true }).click(),
  ]);
}

test("anonymous visitors are sent to the sign-in page", async ({ page }) => {
  await page.goto("/clusters");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

test("a wrong password is refused with a clear message; the right one signs in; sign-out ends the session", async ({ page }) => {
  await page.goto("/sign-in");
  await signIn(page, ADMIN.email, "not the password at all");
  await expect(page.getByText("Email or password is incorrect.")).toBeVisible();

  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("ten failures in a minute lock the account out with a retry time", async ({ page }) => {
  // A client address of its own (the e2e server trusts X-Forwarded-For as behind a proxy), so this
  // lockout does not throttle other tests' sign-ins.
  await page.setExtraHTTPHeaders({ "x-forwarded-for": "203.0.113.10" });
  await page.goto("/sign-in");
  const email = "mallory@example.com";
  for (let attempt = 1; attempt <= 10; attempt++) {
    await signIn(page, email, `guess number ${attempt}!`);
    await expect(page.getByText("Email or password is incorrect.")).toBeVisible();
  }
  await signIn(page, email, "guess number 11!");
  await expect(page.getByText(/Too many failed sign-ins\. Try again in \d+ seconds\./)).toBeVisible();
});

test("session fixation: a session cookie planted before sign-in is not the one signing in, and grants nothing", async ({
  page,
  context,
  baseURL,
}) => {
  const planted = { name: "cluster-tls.session_token", value: "planted-by-an-attacker.c2lnbmF0dXJl", url: baseURL! };
  await context.addCookies([planted]);
  await page.goto("/sign-in");
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  const session = (await context.cookies()).find((c) => c.name === planted.name);
  expect(session?.value).toBeTruthy();
  expect(session!.value).not.toBe(planted.value);
  expect(session!.httpOnly).toBe(true);
  // The attacker's copy of the planted value opens nothing.
  await context.clearCookies();
  await context.addCookies([planted]);
  await page.goto("/clusters");
  await expect(page).toHaveURL(/\/sign-in$/);
});
