import { describe, expect, it } from "vitest";
import { createAdmissionGate, passesGate } from "./admission-gate.mjs";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("admission gate", () => {
  it("runs `limit` at once and admits the queued in arrival order as slots free", async () => {
    const gate = createAdmissionGate({ limit: 2, maxQueue: 10 });
    const first = (await gate.enter())!;
    const second = (await gate.enter())!;
    const order: string[] = [];
    const third = gate.enter().then((release) => (order.push("third"), release));
    const fourth = gate.enter().then((release) => (order.push("fourth"), release));
    await tick();
    expect(gate.stats()).toEqual({ running: 2, queued: 2, limit: 2 });
    expect(order).toEqual([]);

    first();
    await tick();
    expect(order).toEqual(["third"]);
    second();
    await tick();
    expect(order).toEqual(["third", "fourth"]);
    (await third)!();
    (await fourth)!();
    expect(gate.stats()).toEqual({ running: 0, queued: 0, limit: 2 });
  });

  it("frees a slot once even when released twice (a response that finishes and then closes)", async () => {
    const gate = createAdmissionGate({ limit: 1, maxQueue: 10 });
    const release = (await gate.enter())!;
    release();
    release();
    expect(gate.stats()).toEqual({ running: 0, queued: 0, limit: 1 });
    expect(await gate.enter()).toBeTypeOf("function");
    expect(gate.stats().running).toBe(1);
  });

  it("refuses when the queue is full, and drops a waiter whose client left", async () => {
    const gate = createAdmissionGate({ limit: 1, maxQueue: 1 });
    const running = (await gate.enter())!;
    const left = new AbortController();
    const abandoned = gate.enter(left.signal);
    expect(await gate.enter()).toBeNull(); // queue of one is full
    left.abort();
    expect(await abandoned).toBeNull();
    expect(gate.stats()).toEqual({ running: 1, queued: 0, limit: 1 });
    const next = gate.enter();
    running();
    expect(await next).toBeTypeOf("function");
  });

  it("admits everything when the limit is 0 (gate off)", async () => {
    const gate = createAdmissionGate({ limit: 0, maxQueue: 0 });
    const releases = await Promise.all(Array.from({ length: 50 }, () => gate.enter()));
    expect(releases.every((release) => typeof release === "function")).toBe(true);
  });
});

describe("passesGate", () => {
  it("holds pages, RSC navigations, server actions and the API; not the health check, metrics or static files", () => {
    for (const url of ["/", "/clusters/abc?timeline=all", "/certificates?_rsc=1x2", "/settings/jobs", "/api/v1/clusters/x/certificates"])
      expect(passesGate(url), url).toBe(true);
    for (const url of ["/api/health", "/api/metrics", "/_next/static/chunks/a.js", "/favicon.ico", "/icon.svg"])
      expect(passesGate(url), url).toBe(false);
  });
});
