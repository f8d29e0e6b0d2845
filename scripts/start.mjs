#!/usr/bin/env node
// `npm start`: build when the sources changed since the last production build, then serve.
// Plain Node (no tsx) so a fresh clone needs nothing beyond `npm install`.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const stampFile = path.join(root, ".next", "cluster-tls-build-stamp");
const SOURCES = [
  "app",
  "components",
  "lib",
  "drizzle",
  "public",
  "instrumentation.ts",
  "next.config.js",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

/** A fingerprint of every source file's path, size and mtime: cheap, and changes on any edit. */
function sourceFingerprint() {
  const hash = createHash("sha256");
  const visit = (entry) => {
    const full = path.join(root, entry);
    if (!fs.existsSync(full)) return;
    const stat = fs.statSync(full);
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(full).sort()) visit(path.join(entry, child));
    } else {
      hash.update(`${entry}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
  };
  SOURCES.forEach(visit);
  return hash.digest("hex");
}

const fingerprint = sourceFingerprint();
const isBuilt = () =>
  fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === fingerprint;

/**
 * One build at a time per checkout: two `next build`s writing .next together corrupt it (test
 * suites start several servers at once). A lock directory holds the builder's pid; a lock left
 * by a dead process is taken over.
 */
function withBuildLock(work) {
  const lock = path.join(root, ".next-build.lock");
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      let owner = 0;
      try {
        owner = Number(fs.readFileSync(path.join(lock, "pid"), "utf8"));
      } catch {
        /* being created */
      }
      let alive = true;
      if (owner > 0) {
        try {
          process.kill(owner, 0);
        } catch {
          alive = false;
        }
      } else {
        try {
          alive = Date.now() - fs.statSync(lock).mtimeMs < 30_000;
        } catch {
          continue;
        }
      }
      if (!alive) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another build (pid ${owner}) has held ${lock} for 10 minutes`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    work();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

// The node agent (dist/cluster-tls.mjs, served at /api/v1/tools/cluster-tls.mjs): esbuild takes
// about a second, so it is rebuilt on every start rather than fingerprinted.
const tools = spawnSync(process.execPath, [path.join(root, "scripts", "build-tools.mjs")], { cwd: root, env, stdio: "inherit" });
if (tools.status !== 0) {
  console.error("[cluster-tls] cannot start: building the agent (scripts/build-tools.mjs) failed (see above)");
  process.exit(tools.status ?? 1);
}

if (!isBuilt()) {
  withBuildLock(() => {
    if (isBuilt()) return; // another process built it while we waited
    console.log("[cluster-tls] building the production bundle (first start or sources changed)…");
    const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, env, stdio: "inherit" });
    if (result.status !== 0) {
      console.error("[cluster-tls] cannot start: `next build` failed (see above)");
      process.exit(result.status ?? 1);
    }
    fs.writeFileSync(stampFile, fingerprint);
  });
}
if (process.argv.includes("--build-only")) process.exit(0);

// scripts/serve.mjs: Next.js as a custom server, with root.crt and the CRL answered before it.
// Signals are the app's (lib/runtime/start-server.ts closes the embedded database, then exits).
const server = spawn(
  process.execPath,
  [path.join(root, "scripts", "serve.mjs"), ...process.argv.slice(2).filter((a) => a !== "--build-only")],
  {
    cwd: root,
    env: { ...env, NEXT_MANUAL_SIG_HANDLE: "1" },
    stdio: "inherit",
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
