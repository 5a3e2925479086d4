/**
 * The date a report is for, in the integration owner's time zone: a reconciliation run at 06:30 in Berlin on the
 * 23rd is the 23rd's report even though it is still the 22nd somewhere else. Pure (Intl only).
 */

/** `instant` (ISO) as YYYY-MM-DD in the IANA `timeZone`. Throws a RangeError for an unknown zone or a bad instant. */
export function reportDateIn(timeZone: string, instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO instant: ${JSON.stringify(instant)}`);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}
