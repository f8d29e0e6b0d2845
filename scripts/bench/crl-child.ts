// Builds one CRL in a fresh process so its peak RSS is the CRL's, not the benchmark's.
import { createRootCa } from "@/lib/pki";
import { buildCrl } from "@/lib/pki/crl";
import { benchEntries } from "./entries";
import { longestBlockMs } from "./measure";

const count = Number(process.argv[2]);
const ca = await createRootCa({ subject: { CN: "Bench CRL CA" }, days: 30 });
const entries = benchEntries(count);
const now = new Date();
await buildCrl({
  issuer: ca,
  entries: entries.slice(0, 1000),
  crlNumber: 1,
  thisUpdate: now,
  nextUpdate: new Date(now.getTime() + 7 * 86_400_000),
}); // warm-up
const { ms, blockMs } = await longestBlockMs(() =>
  buildCrl({ issuer: ca, entries, crlNumber: 2, thisUpdate: now, nextUpdate: new Date(now.getTime() + 7 * 86_400_000) }),
);
console.log(JSON.stringify({ ms, blockMs, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
