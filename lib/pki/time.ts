import * as pkijs from "pkijs";

/** The first instant RFC 5280 §4.1.2.5 requires GeneralizedTime for. */
const Y2050 = Date.UTC(2050, 0, 1);

/** Whole seconds: OpenSSL rejects fractional seconds in certificate and CRL times. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** UTCTime before 2050, GeneralizedTime from 2050 on (pkijs defaults to UTCTime, which breaks then). */
export function toPkijsTime(date: Date): pkijs.Time {
  const value = wholeSeconds(date);
  return new pkijs.Time({ type: value.getTime() >= Y2050 ? pkijs.TimeType.GeneralizedTime : pkijs.TimeType.UTCTime, value });
}
