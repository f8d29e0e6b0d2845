import { webcrypto } from "node:crypto";
import { CryptoEngine, setEngine } from "pkijs";

/**
 * Node 18 (Debian 12's nodejs) has no global `crypto` unless started with
 * --experimental-global-webcrypto (unflagged from Node 19). lib/pki calls `crypto.subtle` and
 * pkijs picks its engine from globalThis: give both node:crypto's WebCrypto. Imported first by the
 * agent's entry so it runs before any other module.
 */
if (!globalThis.crypto) Object.defineProperty(globalThis, "crypto", { value: webcrypto, configurable: true, writable: true });
setEngine("nodejs", new CryptoEngine({ name: "nodejs", crypto: globalThis.crypto }));
