import * as pkijs from 'pkijs';

/**
 * A certificate's or CRL's time as RFC 5280 wants it (§4.1.2.5, §5.1.2.4): UTCTime for 1950-2049, GeneralizedTime
 * outside, in whole seconds (DER allows no fractional seconds in either, and a strict reader refuses them).
 */
export function x509Time(date: Date): pkijs.Time {
  const year = date.getUTCFullYear();
  const value = new Date(Math.floor(date.getTime() / 1000) * 1000);
  return new pkijs.Time({ type: year >= 1950 && year < 2050 ? pkijs.TimeType.UTCTime : pkijs.TimeType.GeneralizedTime, value });
}
