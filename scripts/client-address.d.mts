// Types of client-address.mjs (plain JS, so `npm start` runs it without a build step).
import type { IncomingMessage } from "node:http";

export const CLIENT_ADDRESS_HEADER: string;
export function clientAddress(request: {
  remoteAddress?: string | null;
  forwardedFor?: string | string[] | null;
  trustProxy: boolean;
}): string | null;
export function stampClientAddress(req: IncomingMessage, options: { trustProxy: boolean }): void;
