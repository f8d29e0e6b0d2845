#!/usr/bin/env node
// The production server `npm start` runs (scripts/start.mjs builds first): Next.js through its
// custom-server API, with one exception. GETs of root.crt and the CRL — what every node and client
// polls — are offered first to the handler the app installs at start-up
// (lib/api/published-file-fast-path.ts), which answers from memory without Next's per-request
// pipeline (~0.7 ms of CPU per request on the 2-core machine, 60× a bare Node handler). Whatever it
// does not answer, errors included, goes to Next.js as before, through an admission gate
// (scripts/admission-gate.mjs): CLUSTER_TLS_MAX_IN_FLIGHT requests at once, the rest queued in order.
// Before any of that, every request gets its client address (scripts/client-address.mjs), and a
// form post from a page of another site is refused with 403 (lib/auth/request-origin.mjs).
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { createAdmissionGate, passesGate } from "./admission-gate.mjs";
import { CLIENT_ADDRESS_HEADER, stampClientAddress } from "./client-address.mjs";
import { invalidTrustedOrigin, isTrustedOrigin } from "../lib/auth/request-origin.mjs";

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
// Like `next start`: every interface unless -H or HOST says otherwise (HOSTNAME is a container's
// name, not ours). Start-up prints where it listens.
const hostname = option(["-H", "--hostname"], process.env.HOST?.trim() || undefined);
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

// Client addresses come from the socket unless a reverse proxy in front is the only way in.
const trustProxySetting = process.env.CLUSTER_TLS_TRUST_PROXY?.trim() || "0";
if (!["0", "1"].includes(trustProxySetting)) {
  console.error(
    `[cluster-tls] cannot start: CLUSTER_TLS_TRUST_PROXY must be 1 (a reverse proxy appends the client to X-Forwarded-For) or 0, not "${trustProxySetting}"`,
  );
  process.exit(1);
}
const trustProxy = trustProxySetting === "1";
globalThis[Symbol.for("cluster-tls.client-address-header")] = CLIENT_ADDRESS_HEADER; // lib/auth/request-info.ts reads it

const badOrigin = invalidTrustedOrigin();
if (badOrigin) {
  console.error(
    `[cluster-tls] cannot start: CLUSTER_TLS_TRUSTED_ORIGINS must list origins (scheme://host[:port], comma-separated), not "${badOrigin}"`,
  );
  process.exit(1);
}

// Measured on 2 cores, 220 clients (`npm run bench -- load postgres`): 8 in flight served 7% more
// than 4 at the same memory; 16 served 7% more again but held 615 MB instead of 465 with a longer p99.
const gate = createAdmissionGate({
  limit: countSetting("CLUSTER_TLS_MAX_IN_FLIGHT", 8),
  maxQueue: countSetting("CLUSTER_TLS_MAX_QUEUED", 2000),
});
globalThis[Symbol.for("cluster-tls.admission-gate")] = gate; // /api/health reports its counts (lib/services/metrics/admission-stats.ts)

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
  console.warn(
    `[cluster-tls] requests arrive over HTTPS (X-Forwarded-Proto) but BETTER_AUTH_URL is ${process.env.BETTER_AUTH_URL ? `"${process.env.BETTER_AUTH_URL}"` : "unset"}: session cookies are not marked Secure; set BETTER_AUTH_URL to the https:// address users open`,
  );
}

/** At debug, one line per request once answered: the path without its query (which may carry a search), status, time. */
function logRequest(req, res, started) {
  if (logLevel !== "debug") return;
  res.once("close", () => {
    const pathname = (req.url ?? "/").split("?", 1)[0];
    console.log(
      `[http] ${req.method} ${pathname} ${res.writableFinished ? res.statusCode : "client left"} ${Math.round(performance.now() - started)} ms`,
    );
  });
}

/**
 * A POST (or other writing method) outside /api carries the user's cookies to a server action or
 * a form download: from another site's page it is refused here with 403 (CSRF), where Next.js
 * would answer a server action's failed origin check with 500. /api takes bearer tokens, not cookies.
 */
function isCrossSiteFormPost(req) {
  if (["GET", "HEAD", "OPTIONS"].includes(req.method) || /^\/api(\/|$|\?)/.test(req.url ?? "/")) return false;
  return !isTrustedOrigin({ get: (name) => [req.headers[name]].flat()[0] ?? null });
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
  stampClientAddress(req, { trustProxy }); // before anything reads the request, the fast path included
  logRequest(req, res, performance.now());
  warnIfHttpsWithoutSecureCookies(req);
  try {
    const fastPath = globalThis[FAST_PATH];
    if (fastPath && (await fastPath(req, res))) return;
    if (isCrossSiteFormPost(req)) {
      res.writeHead(403, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
      res.end("cross-site request refused\n");
      return;
    }
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
/** Where the server can be reached: the bound address, or for every interface the machine's own addresses. */
function listeningOn({ address, port: bound }) {
  const url = (ip) => `http://${ip.includes(":") ? `[${ip}]` : ip}:${bound}`;
  if (address !== "::" && address !== "0.0.0.0") return `listening on ${url(address)}`;
  const own = Object.values(os.networkInterfaces())
    .flat()
    .filter((i) => i && !i.internal && !(i.family === "IPv6" && /^fe80:/i.test(i.address))) // link-local needs a zone to open
    .map((i) => url(i.address));
  return `listening on every interface, port ${bound}: ${[`http://localhost:${bound}`, ...own].join(", ")} (HOST or -H picks one)`;
}
server.listen(port, hostname, () => console.log(`[cluster-tls] ${listeningOn(server.address())}`));
