import { z } from "zod";

/** The PEM text of a `label` (a CSR is a few KiB; a corporate CRL can be megabytes). */
export const pemText = (label: string, maxBytes = 64 * 1024) =>
  z
    .string({ message: `the PEM text of a ${label} is required` })
    .trim()
    .min(1, `the PEM text of a ${label} is required`)
    .max(maxBytes, `a ${label} is at most ${Math.round(maxBytes / 1024)} KiB`);
