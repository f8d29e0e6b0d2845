import path from "node:path";
import { unzipSync } from "fflate";
import type { AppProcess } from "./app-process";

/** A bearer-token client for /api/v1 that throws on any non-2xx answer, naming the route and body. */
export function apiClient(app: AppProcess, token: string) {
  return async (route: string, init: { method?: string; body?: unknown } = {}): Promise<Response> => {
    const response = await fetch(`${app.url}/api/v1${route}`, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw new Error(`${init.method ?? "GET"} ${route}: ${response.status} ${await response.text()}`);
    return response;
  };
}
export type Api = ReturnType<typeof apiClient>;

/** One file of a downloaded bundle, by base name, as text. */
export function zipEntry(zip: Uint8Array, name: string): string {
  const entry = Object.entries(unzipSync(zip)).find(([file]) => path.basename(file) === name);
  if (!entry) throw new Error(`the bundle has no ${name}`);
  return Buffer.from(entry[1]).toString("utf8");
}

/** Polls `condition` every 50 ms; throws naming `what` after `ms`. */
export async function waitFor(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
