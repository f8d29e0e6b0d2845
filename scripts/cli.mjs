#!/usr/bin/env node
// `npm run cli -- <command>`: runs the bundled CLI (dist/cli.mjs), building it first when it is
// missing or older than its sources, so a fresh clone needs no `npm run build`.
// `--build-only` (first argument) stops after that check, for tests that spawn the bundle.
import { pathToFileURL } from "node:url";
import { ensureCliBundle } from "./cli/bundle.mjs";

const bundle = await ensureCliBundle();
if (process.argv[2] !== "--build-only") await import(pathToFileURL(bundle).href);
