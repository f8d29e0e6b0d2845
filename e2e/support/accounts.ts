import path from "node:path";

/** The first admin, created through the one-time /setup page by auth.setup.ts. */
export const ADMIN = { name: "Ada Admin", email: "ada@example.com", password: "correct horse battery staple" };

export const STORAGE_STATE = {
  admin: path.join(import.meta.dirname, "..", "..", ".tmp", "e2e-auth", "admin.json"),
};
