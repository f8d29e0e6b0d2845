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

test("every response carries the security headers: no framing, no foreign scripts, no referrer leaks", async ({ request }) => {
  for (const path of ["/sign-in", "/api/health", "/no-such-page"]) {
    const headers = (await request.get(path)).headers();
    expect(headers["content-security-policy"], path).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    expect(headers["content-security-policy"], path).not.toContain("unsafe-eval");
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["referrer-policy"], path).toBe("same-origin");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
  }
});
