// Start-up: from spawning `npm start` (already built) on an existing, seeded data dir to the first
// 200 of /api/health and the first rendered sign-in page, on each backend, and the same for a
// bare Next.js app (one page, one route handler) as the framework's floor.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, launchApp, type AppProcess } from "@/tests/support/app-process";
import { seedFleet, startFleetDatabase, type Backend } from "./fleet";

const root = path.resolve(import.meta.dirname, "..", "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

/** Milestones of one start, in ms since the spawn. */
export type StartTimes = {
  /** The HTTP server listens: serve.mjs's "listening on" (after the app is prepared), bare Next's "Ready in". */
  listening: number | null;
  /** The app's "ready" line: register() done (database open, migrated, analyzed; key checked). */
  appReady: number | null;
  /** What the app reports opening the database took (inside register()). */
  databaseOpen: number | null;
  health: number;
  signIn: number;
};

/** Polls `url` until it answers 200 with `expect` in the body; ms since `t0`. */
async function firstOk(url: string, expect: string, t0: number, isAlive: () => boolean): Promise<number> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`server exited while waiting for ${url}`);
    try {
      const response = await fetch(url);
      const body = await response.text();
      if (response.status === 200 && body.includes(expect)) return performance.now() - t0;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${url} did not answer 200 within 120 s`);
}

/** Timestamps the first stdout line matching each pattern. */
function watchOutput(stream: NodeJS.ReadableStream, t0: number, patterns: Record<string, RegExp>) {
  const seen: Record<string, number> = {};
  stream.on("data", (chunk: Buffer) => {
    const now = performance.now() - t0;
    for (const [name, pattern] of Object.entries(patterns))
      if (seen[name] === undefined && pattern.test(chunk.toString())) seen[name] = now;
  });
  return seen;
}

async function timeOneStart(launch: () => Promise<{ app: AppProcess; t0: number }>, signInPath: string): Promise<StartTimes> {
  const { app, t0 } = await launch();
  // serve.mjs prints "listening on <url>" once it listens (after the app is prepared); bare next start "Ready in".
  const seen = watchOutput(app.child.stdout!, t0, {
    listening: /Ready in|\[cluster-tls\] listening on /,
    appReady: /\[cluster-tls\] ready \d/,
  });
  const alive = () => app.child.exitCode === null;
  try {
    const health = await firstOk(`${app.url}/api/health`, '"status":"ok"', t0, alive);
    const signIn = await firstOk(`${app.url}${signInPath}`, "Sign in", t0, alive);
    const opened = app.output().match(/opened in (\d+) ms/);
    return {
      listening: seen.listening ?? null,
      appReady: seen.appReady ?? null,
      databaseOpen: opened ? Number(opened[1]) : null,
      health,
      signIn,
    };
  } finally {
    await app.stop();
  }
}

/** One unmeasured start (page cache, PGlite's first ANALYZE of the seeded fleet), then `runs` measured. */
async function timeStarts(launch: () => Promise<{ app: AppProcess; t0: number }>, signInPath: string, runs: number): Promise<StartTimes[]> {
  await timeOneStart(launch, signInPath);
  const results: StartTimes[] = [];
  for (let i = 0; i < runs; i++) results.push(await timeOneStart(launch, signInPath));
  return results;
}

/** `npm start` builds when the sources changed; the build is not start-up, so do it first. */
export function ensureBuilt(): void {
  const result = spawnSync(process.execPath, [path.join(root, "scripts", "start.mjs"), "--build-only"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error("the production build failed");
}

export async function appStartup(backend: Backend, runs = 3): Promise<StartTimes[]> {
  const database = await startFleetDatabase(backend);
  try {
    await seedFleet(database);
    return await timeStarts(
      async () => {
        const t0 = performance.now();
        return { app: await launchApp(database.appEnv), t0 };
      },
      "/sign-in",
      runs,
    );
  } finally {
    await database.stop();
  }
}

/**
 * The framework's floor: `next start` of a one-page app built from the same node_modules (~6 s
 * build, not timed). It is built in a temp dir: inside the project Next picked up the project's
 * instrumentation.ts. Turbopack resolves packages only inside its root, hence root "/".
 */
export async function bareNextStartup(runs = 3): Promise<StartTimes[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-bench-bare-next-"));
  try {
    writeBareApp(dir);
    const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" };
    const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: dir, env, stdio: "inherit" });
    if (build.status !== 0) throw new Error("building the bare Next.js app failed");
    return await timeStarts(
      async () => {
        const port = await freePort();
        const t0 = performance.now();
        const child = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
          cwd: dir,
          env,
          stdio: ["ignore", "pipe", "pipe"],
        });
        const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
        const app: AppProcess = {
          url: `http://127.0.0.1:${port}`,
          child,
          output: () => "",
          exited,
          stop: async () => {
            if (child.exitCode === null) child.kill("SIGTERM");
            return exited;
          },
        };
        return { app, t0 };
      },
      "/",
      runs,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function writeBareApp(dir: string): void {
  const files: Record<string, string> = {
    "next.config.mjs": `export default { turbopack: { root: "/" }, outputFileTracingRoot: "/" };\n`,
    "app/layout.js": `export default function Layout({ children }) { return <html lang="en"><body>{children}</body></html>; }\n`,
    "app/page.js": `import { connection } from "next/server";\nexport default async function Page() { await connection(); return <main><h1>Sign in</h1></main>; }\n`,
    "app/api/health/route.js": `export const dynamic = "force-dynamic";\nexport function GET() { return Response.json({ status: "ok" }); }\n`,
  };
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
