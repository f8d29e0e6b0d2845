import { describe, expect, it } from "vitest";
import type { Actor } from "./actor";
import { assertAllowed, isAllowed, type Permission } from "./permissions";

const user = (role: "admin" | "developer" | "auditor"): Actor => ({ type: "user", id: role, label: `${role}@example.com`, role });
const grants = [{ clusterId: "c1", databaseUsers: ["app"] }];
const ALL: Permission[] = [
  "cluster:read",
  "cluster:manage",
  "client-bundle:issue",
  "node:probe",
  "audit:read",
  "users:manage",
  "tokens:manage",
];

describe("permission model", () => {
  it("lets admins do everything", () => {
    for (const p of ALL) expect(isAllowed(user("admin"), p, { clusterId: "c1" })).toBe(true);
  });

  it("keeps auditors read-only", () => {
    const allowed = ALL.filter((p) => isAllowed(user("auditor"), p, { clusterId: "c1" }));
    expect(allowed).toEqual(["cluster:read", "audit:read"]);
  });

  it("limits developers to granted clusters and allowed database users", () => {
    const dev = user("developer");
    expect(isAllowed(dev, "cluster:read", { clusterId: "c1", grants })).toBe(true);
    expect(isAllowed(dev, "cluster:read", { clusterId: "c2", grants })).toBe(false);
    expect(isAllowed(dev, "client-bundle:issue", { clusterId: "c1", databaseUser: "app", grants })).toBe(true);
    expect(isAllowed(dev, "client-bundle:issue", { clusterId: "c1", databaseUser: "postgres", grants })).toBe(false);
    expect(isAllowed(dev, "client-bundle:issue", { clusterId: "c2", databaseUser: "app", grants })).toBe(false);
    for (const p of ["cluster:manage", "node:probe", "audit:read", "users:manage", "tokens:manage"] as const) {
      expect(isAllowed(dev, p, { clusterId: "c1", grants })).toBe(false);
    }
  });

  it("confines a cluster-scoped token to its clusters, whatever its role", () => {
    const token: Actor = { type: "token", id: "t", label: "token deploy-bot", role: "admin", clusterIds: ["c1"] };
    expect(isAllowed(token, "cluster:manage", { clusterId: "c1" })).toBe(true);
    expect(isAllowed(token, "cluster:manage", { clusterId: "c2" })).toBe(false);
  });

  it("refuses a cluster-scoped token anything instance-wide (a check that names no cluster)", () => {
    const scoped: Actor = { type: "token", id: "t", label: "token deploy-bot", role: "admin", clusterIds: ["c1"] };
    const unscoped: Actor = { ...scoped, clusterIds: [] };
    for (const p of ["cluster:manage", "users:manage", "tokens:manage", "audit:read"] as const) {
      expect(isAllowed(scoped, p), p).toBe(false);
      expect(isAllowed(unscoped, p), p).toBe(true);
    }
    expect(() => assertAllowed(scoped, "cluster:manage")).toThrow("token deploy-bot is scoped to clusters and acts only inside them");
  });

  it("keeps probing (an outbound connection and a write) to admins", () => {
    expect(isAllowed(user("admin"), "node:probe", { clusterId: "c1" })).toBe(true);
    expect(isAllowed(user("auditor"), "node:probe", { clusterId: "c1" })).toBe(false);
    expect(isAllowed(user("developer"), "node:probe", { clusterId: "c1", grants })).toBe(false);
  });

  it("explains a refusal with the actor, role and what was refused", () => {
    expect(() => assertAllowed(user("developer"), "client-bundle:issue", { clusterId: "c1", databaseUser: "postgres", grants })).toThrow(
      'developer@example.com (developer) may not download a client bundle for database user "postgres"',
    );
  });
});
