#!/usr/bin/env node
// Bundles the node agent (tools/cluster-tls.ts) into dist/cluster-tls.mjs: one ESM file that runs
// on Node ≥ 18 (Debian 12's nodejs) with no npm install on the node. `npm run build`,
// `npm start` (scripts/start.mjs) and `npm test` run it; the dashboard serves the result at
// GET /api/v1/tools/cluster-tls.mjs. It also bundles the operations CLI into dist/cli.mjs
// (scripts/cli/bundle.mjs).
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { buildCliBundle } from "./cli/bundle.mjs";

const root = path.resolve(import.meta.dirname, "..");
const outfile = path.join(root, "dist", "cluster-tls.mjs");

/** The agent runs on a database host: nothing that needs the dashboard's server, database or Next.js. */
const forbidden = {
  name: "agent-boundary",
  setup(b) {
    b.onResolve({ filter: /^(server-only|next(\/.*)?|@\/lib\/db(\/.*)?|drizzle-orm.*|pg|@electric-sql\/.*)$/ }, (args) => ({
      errors: [{ text: `${args.importer} imports ${args.path}: the agent bundle may use lib/pki, lib/probe and lib/agent only` }],
    }));
  },
};

const temporary = `${outfile}.tmp-${process.pid}`;
fs.mkdirSync(path.dirname(outfile), { recursive: true });
await build({
  entryPoints: [path.join(root, "tools", "cluster-tls.ts")],
  outfile: temporary,
  bundle: true,
  platform: "node",
  target: "node18",
  format: "esm",
  tsconfig: path.join(root, "tsconfig.json"),
  plugins: [forbidden],
  // Bundled CommonJS dependencies may call require(): give the ESM file one.
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as __ctlsCreateRequire } from "node:module";\nconst require = __ctlsCreateRequire(import.meta.url);',
  },
  legalComments: "none",
  logLevel: "warning",
});
// Renamed into place: servers starting together never serve a half-written file.
fs.renameSync(temporary, outfile);
fs.chmodSync(outfile, 0o755);
console.log(`[cluster-tls] built ${path.relative(root, outfile)} (${Math.round(fs.statSync(outfile).size / 1024)} KiB)`);
const cli = await buildCliBundle();
console.log(`[cluster-tls] built ${path.relative(root, cli)} (${Math.round(fs.statSync(cli).size / 1024)} KiB)`);
