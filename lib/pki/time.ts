/** Whole seconds: OpenSSL rejects fractional seconds in certificate and CRL times (der.ts writes the UTCTime/GeneralizedTime switch at 2050). */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
