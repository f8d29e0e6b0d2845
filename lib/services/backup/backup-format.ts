import { schema } from "@/lib/db";

export { BACKUP_FORMAT, BACKUP_VERSION, type BackupFile } from "./backup-file";

/**
 * Tables in foreign-key order: restore inserts them in this order, parents first; a table a file
 * holds that is not listed here (an older backup's sessions) is not restored. Not here:
 * - sessions and verifications: live credentials. A session token plus the auth secret signs a
 *   session cookie, a verification value resets a password; a stolen backup must give neither,
 *   so after a restore everyone signs in again. (API tokens stay: only their SHA-256 is stored,
 *   which cannot be presented as the token, and scripts using them must survive a restore.)
 * - app_instances, the heartbeats of the servers running now: restored elsewhere they would name
 *   processes that do not exist there, and its running server writes its own row into the database
 *   a restore requires to be empty.
 * - agent_enrollment_codes: single-use and valid for an hour, a restored one would be dead or a
 *   second use. node_agents is kept (only credential hashes), so agents keep polling.
 * - device_authorizations: RFC 8628 device codes live ten minutes; devices are kept (credential
 *   hashes only), so developers' logins survive a restore.
 */
export const BACKUP_TABLES = [
  schema.users,
  schema.accounts,
  schema.clusters,
  schema.clusterAccess,
  schema.apiTokens,
  schema.apiTokenClusters,
  schema.nodes,
  schema.nodeAgents,
  schema.devices,
  schema.certificates,
  schema.certificateAuthorities,
  schema.crls,
  schema.caRequests,
  schema.caRotations,
  schema.webhooks,
  schema.webhookDeliveries,
  schema.auditEvents,
] as const;
