import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { clusters } from "./clusters";
import { createdAt, id, updatedAt } from "./columns";
import { USER_ROLES, inList, type UserRole } from "./enums";

/**
 * People who sign in. Column names follow better-auth's core `user` model (text id, email,
 * emailVerified, name, image) so its Drizzle adapter can use this table directly.
 */
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    role: text("role").$type<UserRole>().notNull().default("developer"),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(sql`lower(${t.email})`), check("users_role_check", sql.raw(`role IN (${inList(USER_ROLES)})`))],
);

/** Which clusters a developer sees, and which database users they may request client bundles for. */
export const clusterAccess = pgTable(
  "cluster_access",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    clusterId: uuid("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "cascade" }),
    databaseUsers: text("database_users")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.clusterId] })],
);

/** Bearer tokens for /api/v1: only a SHA-256 hash is stored; the token is shown once. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: id(),
    name: text("name").notNull(),
    // Short public prefix so a token can be recognised in the UI without revealing it.
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull(),
    role: text("role").$type<UserRole>().notNull(),
    /**
     * The developer a developer token acts for: it carries that person's cluster grants (now and
     * later), narrowed by its cluster scope. Null for admin and auditor tokens (and for developer
     * tokens made before tokens had owners, which read their scoped clusters and nothing more).
     */
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    createdByUserId: text("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("api_tokens_hash_key").on(t.tokenHash),
    check("api_tokens_role_check", sql.raw(`role IN (${inList(USER_ROLES)})`)),
    check("api_tokens_user_role_check", sql`${t.userId} IS NULL OR ${t.role} = 'developer'`),
    index("api_tokens_user_idx").on(t.userId),
  ],
);

/** A token's cluster scope; a token with no rows here is scoped to every cluster its role may see. */
export const apiTokenClusters = pgTable(
  "api_token_clusters",
  {
    tokenId: uuid("token_id")
      .notNull()
      .references(() => apiTokens.id, { onDelete: "cascade" }),
    clusterId: uuid("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.tokenId, t.clusterId] })],
);

/** better-auth sessions (cookie-backed). */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    token: text("token").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("sessions_token_key").on(t.token), index("sessions_user_idx").on(t.userId)],
);

/** better-auth credential accounts (the password hash lives here, hashed by better-auth). */
export const accounts = pgTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    password: text("password"),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    scope: text("scope"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("accounts_user_idx").on(t.userId)],
);

/** better-auth verification values (password reset and the like). */
export const verifications = pgTable("verifications", {
  id: text("id").primaryKey(),
  identifier: text("identifier").notNull(),
  value: text("value").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
