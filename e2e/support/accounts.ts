import path from "node:path";

const stateDir = path.join(import.meta.dirname, "..", "..", ".tmp", "e2e-auth");

/** The first admin, created through the one-time /setup page by auth.setup.ts. */
export const ADMIN = { name: "Ada Admin", email: "ada@example.com", password: "correct horse battery staple", role: "admin" };
/** Created by the admin on the Users page in auth.setup.ts. */
export const DEVELOPER = { name: "Dev Eloper", email: "dev@example.com", password: "developer password 1", role: "developer" };
export const AUDITOR = { name: "Audrey Auditor", email: "audit@example.com", password: "auditor password 12", role: "auditor" };

export const STORAGE_STATE = {
  admin: path.join(stateDir, "admin.json"),
  developer: path.join(stateDir, "developer.json"),
  auditor: path.join(stateDir, "auditor.json"),
};
