import { expect, test } from "@playwright/test";

test("GET /api/health reports the embedded database as reachable", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({ status: "ok", database: { kind: "pglite", reachable: true } });
});

test("unknown pages render the not-found page with a way back", async ({ request }) => {
  const response = await request.get("/no-such-page");
  expect(response.status()).toBe(404);
  expect(await response.text()).toContain("Page not found");
});
