/** Time-zone names. Pure: the schedules file's validation and the reconciliation workflow's input check share it. */

/** true when `timeZone` is an IANA zone name this runtime knows (e.g. Europe/Berlin, UTC). */
export function isKnownTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
