import { z } from "zod";
import { pemText } from "./pem-text";

/** Bodies of the agent endpoints (/api/v1/agent/*) and of "Connect agent". */

const serialHex = z
  .string()
  .regex(/^[0-9A-F]{1,40}$/, "upper-case hex serial without colons")
  .nullable();

export const ZCreateEnrollmentCodeInput = z.object({ nodeId: z.string().trim().min(1, "Which node?") });
export type TCreateEnrollmentCodeInput = z.input<typeof ZCreateEnrollmentCodeInput>;

export const ZEnrollAgentInput = z.object({
  code: z.string().trim().min(1, "the enrollment code from the node page is required").max(200),
  csrPem: pemText("certificate request"),
});
export type TEnrollAgentInput = z.infer<typeof ZEnrollAgentInput>;

export const ZAgentCsrInput = z.object({ csrPem: pemText("certificate request") });

const isoDate = z.iso.datetime({ offset: true });

/** What every poll reports: versions, what is installed and served, and the last install's outcome. */
export const ZAgentStatusInput = z.object({
  agentVersion: z.string().min(1).max(40),
  installedSerial: serialHex,
  servedSerial: serialHex,
  rootFingerprints: z
    .array(z.string().regex(/^[0-9A-F]{64}$/, "SHA-256 fingerprint in upper-case hex"))
    .max(20)
    .default([]),
  crls: z
    .array(
      z.object({
        issuer: z.string().max(1000),
        number: z
          .string()
          .regex(/^\d{1,50}$/)
          .nullable(),
        nextUpdate: isoDate.nullable(),
      }),
    )
    .max(20)
    .default([]),
  lastInstall: z
    .object({ at: isoDate, ok: z.boolean(), error: z.string().max(4000).nullable().default(null) })
    .nullable()
    .default(null),
  error: z.string().max(4000).nullable().default(null),
  // How often the agent polls: three intervals without a report make it stale (agent.stale).
  pollIntervalSeconds: z.number().int("whole seconds").min(1, "at least 1 second").max(86_400, "at most a day").default(60),
});
export type TAgentStatusInput = z.infer<typeof ZAgentStatusInput>;
