// Types of request-origin.mjs (plain JS, so `npm start`'s server uses it without a build step).
type Env = Record<string, string | undefined>;
export function trustedOrigins(env?: Env): string[];
export function invalidTrustedOrigin(env?: Env): string | null;
export function isTrustedOrigin(headers: Pick<Headers, "get">, env?: Env): boolean;
export function requestOrigin(headers: Pick<Headers, "get">, fallbackProtocol?: string): string;
