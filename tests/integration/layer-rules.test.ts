import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * The layer rule lives in eslint.config.mjs: these lint a made-up file at a real path, so a rule
 * that is dropped or stops matching the way imports are written fails here, not in review.
 */
const root = path.resolve(import.meta.dirname, "../..");
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function refusedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages
    .filter((m) => m.ruleId === "no-restricted-imports")
    .sort((a, b) => a.line - b.line)
    .map((m) => m.message.split("'")[1]!);
}

describe("the layer rule", () => {
  it("keeps lib/pki pure: no other lib folder, framework or database, not even by a relative path", async () => {
    const code = [
      'import { getDb } from "@/lib/db";',
      'import { x } from "@/lib/services/nodes/list-nodes";',
      'import { useState } from "react";',
      'import { headers } from "next/headers";',
      'import { sql } from "drizzle-orm";',
      'import { y } from "../../services/z";',
      'import { parseCsr } from "@/lib/pki/csr";',
      'import { derToPem } from "./pem";',
      "export const all = [getDb, x, useState, headers, sql, y, parseCsr, derToPem];",
    ].join("\n");
    expect(await refusedImports("lib/pki/layer-probe.ts", code)).toEqual([
      "@/lib/db",
      "@/lib/services/nodes/list-nodes",
      "react",
      "next/headers",
      "drizzle-orm",
      "../../services/z",
    ]);
  });

  it("keeps services below jobs, runtime, auth, api, actions and the framework", async () => {
    const code = [
      'import { nudgeJob } from "@/lib/jobs/scheduler";',
      'import { getRuntime } from "@/lib/runtime/bootstrap";',
      'import { auth } from "@/lib/auth/auth";',
      'import { apiHandler } from "@/lib/api/api-handler";',
      'import { userAction } from "@/lib/actions/user-action";',
      'import { NextResponse } from "next/server";',
      'import { cache } from "react";',
      'import { eq } from "drizzle-orm";',
      'import { schema } from "@/lib/db";',
      'import { nudge } from "@/lib/services/jobs/job-nudge";',
      'import { createFailureWindow } from "@/lib/cache/failure-window";',
      "export const all = [nudgeJob, getRuntime, auth, apiHandler, userAction, NextResponse, cache, eq, schema, nudge, createFailureWindow];",
    ].join("\n");
    expect(await refusedImports("lib/services/nodes/layer-probe.ts", code)).toEqual([
      "@/lib/jobs/scheduler",
      "@/lib/runtime/bootstrap",
      "@/lib/auth/auth",
      "@/lib/api/api-handler",
      "@/lib/actions/user-action",
      "next/server",
      "react",
    ]);
  });

  it("refuses a relative climb out of lib/pki from its top level and from a subfolder", async () => {
    expect(
      await refusedImports("lib/pki/layer-probe.ts", 'import { a } from "../db";\nimport { b } from "./pem";\nexport const all = [a, b];'),
    ).toEqual(["../db"]);
    expect(
      await refusedImports(
        "lib/pki/crl/layer-probe.ts",
        'import { a } from "../../db";\nimport { b } from "../pem";\nexport const all = [a, b];',
      ),
    ).toEqual(["../../db"]);
  });

  it("keeps the folders below the services from importing them", async () => {
    const code = [
      'import { a } from "@/lib/services/audit/record-audit-event";',
      'import { b } from "@/lib/pki";',
      "export const all = [a, b];",
    ].join("\n");
    expect(await refusedImports("lib/db/layer-probe.ts", code)).toEqual(["@/lib/services/audit/record-audit-event"]);
  });

  it("keeps drizzle and the schema out of app/", async () => {
    const code = [
      'import { sql } from "drizzle-orm";',
      'import { nodes } from "@/lib/db/schema";',
      'import { listNodes } from "@/lib/services/nodes/list-nodes";',
      "export const all = [sql, nodes, listNodes];",
    ].join("\n");
    expect(await refusedImports("app/api/v1/layer-probe/route.ts", code)).toEqual(["drizzle-orm", "@/lib/db/schema"]);
  });

  it("keeps pages, routes and server actions on their wrapper's request context, not the runtime", async () => {
    const code = [
      'import { getRuntime } from "@/lib/runtime/bootstrap";',
      'import { x } from "../runtime/bootstrap";',
      'import { requireSessionContext } from "@/lib/auth/session-context";',
      "export const all = [getRuntime, x, requireSessionContext];",
    ].join("\n");
    for (const file of [
      "app/(dashboard)/layer-probe/page.tsx",
      "app/(dashboard)/layer-probe/route.ts",
      "app/(auth)/layer-probe/page.tsx",
      "app/api/v1/layer-probe/route.ts",
      "lib/actions/layer-probe.ts",
    ]) {
      expect(await refusedImports(file, code), file).toEqual(["@/lib/runtime/bootstrap", "../runtime/bootstrap"]);
    }
  });

  it("lets test files reach across layers", async () => {
    expect(await refusedImports("lib/pki/layer-probe.test.ts", 'import { getDb } from "@/lib/db";\nexport const all = [getDb];')).toEqual(
      [],
    );
  });
});
