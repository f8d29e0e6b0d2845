// Makes tests/fixtures/upgrade/: databases written by an EARLIER cluster-tls, for the upgrade test
// (tests/integration/upgrade-fixture.test.ts) to open and migrate with the current code.
// Run once, commit the output: npx tsx scripts/make-upgrade-fixture.ts [commit]
// The commit predates migrations 0009–0012, so opening the fixture runs them on real data.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startPostgres } from "@/scripts/test-harness/postgres-server";

const FIXTURE_COMMIT = process.argv[2] ?? "554a3a0";
/** The fixed test master key the fixture's private keys are encrypted under (never a real one). */
const FIXTURE_MASTER_KEY = Buffer.alloc(32, 7).toString("base64");

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(root, "tests", "fixtures", "upgrade");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-upgrade-fixture-"));
const checkout = path.join(work, "checkout");

execFileSync("git", ["worktree", "add", "--detach", checkout, FIXTURE_COMMIT], { cwd: root, stdio: "inherit" });
try {
  fs.symlinkSync(path.join(root, "node_modules"), path.join(checkout, "node_modules"));
  fs.copyFileSync(
    path.join(root, "scripts", "upgrade-fixture", "populate.ts"),
    path.join(checkout, "scripts", "upgrade-fixture-populate.ts"),
  );
  const populate = (...args: string[]) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        [
          path.join(root, "node_modules", "tsx", "dist", "cli.mjs"),
          "--conditions=react-server",
          "scripts/upgrade-fixture-populate.ts",
          ...args,
        ],
        {
          cwd: checkout,
          env: { ...process.env, FIXTURE_MASTER_KEY },
          encoding: "utf8",
        },
      )
        .trim()
        .split("\n")
        .at(-1)!,
    ) as unknown;
  fs.mkdirSync(out, { recursive: true });

  const dataDir = path.join(work, "pglite");
  const pgliteExpected = populate("pglite", dataDir);
  execFileSync("tar", ["-czf", path.join(out, "pglite-datadir.tar.gz"), "-C", dataDir, "."]);

  const pg = await startPostgres({ databases: ["upgrade"] });
  try {
    const postgresExpected = populate("postgres", pg.url.replace(/\/postgres$/, "/upgrade"));
    const dump = execFileSync(
      "runuser",
      [
        "-u",
        "postgres",
        "--",
        "/usr/lib/postgresql/15/bin/pg_dump",
        "-h",
        pg.socketDir,
        "-p",
        String(pg.port),
        "--no-owner",
        "--no-privileges",
        "upgrade",
      ],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    fs.writeFileSync(path.join(out, "postgres.sql"), dump);
    fs.writeFileSync(
      path.join(out, "expected.json"),
      JSON.stringify(
        {
          commit: execFileSync("git", ["rev-parse", FIXTURE_COMMIT], { cwd: root, encoding: "utf8" }).trim(),
          masterKey: FIXTURE_MASTER_KEY,
          pglite: pgliteExpected,
          postgres: postgresExpected,
        },
        null,
        2,
      ) + "\n",
    );
  } finally {
    await pg.stop();
  }
} finally {
  execFileSync("git", ["worktree", "remove", "--force", checkout], { cwd: root, stdio: "inherit" });
  fs.rmSync(work, { recursive: true, force: true });
}
console.error(`wrote ${out}`);
