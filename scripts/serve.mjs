#!/usr/bin/env node
// The production server `npm start` runs (scripts/start.mjs builds first): Next.js through its
// custom-server API, with one exception. GETs of root.crt and the CRL — what every node and client
// polls — are offered first to the handler the app installs at start-up
// (lib/api/published-file-fast-path.ts), which answers from memory without Next's per-request
// pipeline (~0.7 ms of CPU per request on the 2-core machine, 60× a bare Node handler). Whatever it
// does not answer, errors included, goes to Next.js as before, through an admission gate
// (scripts/admission-gate.mjs): CLUSTER_TLS_MAX_IN_FLIGHT requests at once, the rest queued in order.
import http from "node:http";
import path from "node:path";
import { createAdmissionGate, passesGate } from "./admission-gate.mjs";

process.env.NODE_ENV = "production";
const root = path.resolve(import.meta.dirname, "..");

/** `next start`'s -p/--port and -H/--hostname, so existing command lines keep working. */
function option(names, fallback) {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split("=", 2);
    if (names.includes(flag)) return inline ?? args[i + 1];
  }
  return fallback;
}
const port = Number(option(["-p", "--port"], process.env.PORT ?? 3000));
// Like `next start`: every interface unless -H says otherwise (HOSTNAME is a container's name, not ours).
const hostname = option(["-H", "--hostname"], undefined);
process.env.PORT = String(port); // the CLI channel (data/server.json) advertises it

// Settings are checked before anything starts: a bad value stops start-up with one line naming it.
/** A whole number ≥ 0 from the environment. */
function countSetting(name, fallback) {
  const value = process.env[name]?.trim();
  if (!value) return fallback;
  if (!/^\d+$/.test(value)) {
    console.error(`[cluster-tls] cannot start: ${name} must be a whole number (0 turns the limit off), not "${value}"`);
    process.exit(1);
  }
  return Number(value);
}

const LOG_LEVELS = ["info", "debug"];
const logLevel = process.env.CLUSTER_TLS_LOG_LEVEL?.trim() || "info";
if (!LOG_LEVELS.includes(logLevel)) {
  console.error(`[cluster-tls] cannot start: CLUSTER_TLS_LOG_LEVEL must be ${LOG_LEVELS.join(" or ")}, not "${logLevel}"`);
  process.exit(1);
}

// Measured on 2 cores, 220 clients (`npm run bench -- load postgres`): 8 in flight served 7% more
// than 4 at the same memory; 16 served 7% more again but held 615 MB instead of 465 with a longer p99.
const gate = createAdmissionGate({ limit: countSetting("CLUSTER_TLS_MAX_IN_FLIGHT", 8), maxQueue: countSetting("CLUSTER_TLS_MAX_QUEUED", 2000) });
globalThis[Symbol.for("cluster-tls.admission-gate")] = gate; // /api/health reports its counts (lib/runtime/admission-stats.ts)

const { default: next } = await import("next");
const app = next({ dev: false, dir: root, port, hostname });
// prepare() runs instrumentation.ts: database, migrations, jobs, shutdown handlers, fast path.
await app.prepare();
const handle = app.getRequestHandler();
const FAST_PATH = Symbol.for("cluster-tls.published-file-fast-path");

/**
 * A TLS-terminating proxy in front while BETTER_AUTH_URL says http: session cookies go out without
 * Secure (lib/auth/auth.ts decides by that URL). Said once, with the fix.
 */
let warnedAboutHttps = false;
function warnIfHttpsWithoutSecureCookies(req) {
  if (warnedAboutHttps || req.headers["x-forwarded-proto"] !== "https" || process.env.BETTER_AUTH_URL?.startsWith("https://")) return;
  warnedAboutHttps = true;
  console.warn(`[cluster-tls] requests arrive over HTTPS (X-Forwarded-Proto) but BETTER_AUTH_URL is ${process.env.BETTER_AUTH_URL ? `"${process.env.BETTER_AUTH_URL}"` : "unset"}: session cookies are not marked Secure; set BETTER_AUTH_URL to the https:// address users open`);
}

/** At debug, one line per request once answered: the path without its query (which may carry a search), status, time. */
function logRequest(req, res, started) {
  if (logLevel !== "debug") return;
  res.once("close", () => {
    const pathname = (req.url ?? "/").split("?", 1)[0];
    console.log(`[http] ${req.method} ${pathname} ${res.writableFinished ? res.statusCode : "client left"} ${Math.round(performance.now() - started)} ms`);
  });
}

/** Next's handler behind the gate: a slot is held until the response has finished or the client left. */
async function handleBehindGate(req, res) {
  const clientLeft = new AbortController();
  res.once("close", () => clientLeft.abort());
  const release = await gate.enter(clientLeft.signal);
  if (!release) {
    if (clientLeft.signal.aborted) return; // gone while queued: nothing to render for
    res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "2", "Cache-Control": "no-store" });
    res.end("cluster-tls is busy; try again in a moment.\n");
    return;
  }
  if (clientLeft.signal.aborted) return release();
  res.once("close", release);
  await handle(req, res);
}

const server = http.createServer(async (req, res) => {
  logRequest(req, res, performance.now());
  warnIfHttpsWithoutSecureCookies(req);
  try {
    const fastPath = globalThis[FAST_PATH];
    if (fastPath && (await fastPath(req, res))) return;
    if (passesGate(req.url)) await handleBehindGate(req, res);
    else await handle(req, res);
  } catch (error) {
    console.error(`[cluster-tls] request ${req.method} ${req.url} failed:`, error);
    if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
    res.end("Internal Server Error\n");
  }
});
server.on("error", (error) => {
  console.error(`[cluster-tls] cannot start: cannot listen on ${hostname ?? "*"}:${port} (${error.code ?? error.message})`);
  process.exit(1);
});
server.listen(port, hostname, () => console.log(`[cluster-tls] ready on http://${hostname ?? "localhost"}:${port}`));
