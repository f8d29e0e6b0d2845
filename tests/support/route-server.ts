import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { NextRequest } from "next/server";

type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Route = { pattern: RegExp; names: string[]; file: string };

/** Every app/api/v1 route file as a URL pattern ([param] → a path segment). */
function routes(dir = "app/api/v1"): Route[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routes(full);
    if (entry.name !== "route.ts") return [];
    const segments = path.relative("app", dir).split(path.sep);
    const names: string[] = [];
    const source = segments.map((s) => (s.startsWith("[") ? (names.push(s.slice(1, -1)), "([^/]+)") : s.replace(/[.]/g, "\\.")));
    return [{ pattern: new RegExp(`^/${source.join("/")}$`), names, file: path.resolve(full) }];
  });
}

/**
 * The /api/v1 route handlers behind a plain HTTP server in this process: what an agent talks to,
 * without building and starting the production server. Same handlers, same database (getRuntime).
 */
export async function startRouteServer(port = 0): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  const table = routes();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const route = table.find((r) => r.pattern.test(url.pathname));
    if (!route) return void res.writeHead(404).end();
    const match = route.pattern.exec(url.pathname)!;
    const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const handler = ((await import(/* @vite-ignore */ route.file)) as Record<string, Handler>)[req.method ?? "GET"];
    if (!handler) return void res.writeHead(405).end();
    const headers = Object.fromEntries(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])));
    const response = await handler(new NextRequest(url, { method: req.method, headers, body }), { params: Promise.resolve(params) });
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
