/**
 * Site time: WordPress stores every date twice, site-local (no offset) and GMT. The site time zone is an IANA name
 * (default 'UTC'); conversions use Intl so any zone with DST works.
 */

export interface SiteClock {
  /** Current epoch ms, truncated to whole seconds like MySQL DATETIME. */
  now(): number;
  /** `YYYY-MM-DDTHH:mm:ss` in the site time zone. */
  local(epochMs: number): string;
  /** `YYYY-MM-DDTHH:mm:ss` in UTC. */
  gmt(epochMs: number): string;
  /**
   * Parses an ISO 8601 filter value. A value with an explicit offset (`Z`, `+02:00`) is that instant; a value without
   * one is read as UTC when `asGmt`, else as site-local. Returns undefined for an unparseable value.
   */
  parse(value: string, asGmt: boolean): number | undefined;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function formatUtc(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function createSiteClock(timezone: string, source: () => number): SiteClock {
  const isUtc = timezone === 'UTC' || timezone === 'Etc/UTC';
  const formatter = isUtc
    ? undefined
    : new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });

  /** Offset of the zone at an instant, in ms (local = utc + offset). */
  const offsetAt = (ms: number): number => {
    if (!formatter) return 0;
    const parts: Record<string, number> = {};
    for (const part of formatter.formatToParts(new Date(ms))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    const asUtc = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
    return asUtc - Math.floor(ms / 1000) * 1000;
  };

  return {
    now: () => Math.floor(source() / 1000) * 1000,
    local: (ms) => formatUtc(ms + offsetAt(ms)),
    gmt: (ms) => formatUtc(ms),
    parse: (value, asGmt) => {
      const m = ISO.exec(value.trim());
      if (!m) return undefined;
      const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
      if (Number.isNaN(wall)) return undefined;
      const zone = m[7];
      if (zone) {
        if (zone === 'Z') return wall;
        const sign = zone.startsWith('-') ? -1 : 1;
        const digits = zone.slice(1).replace(':', '');
        return wall - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
      }
      if (asGmt) return wall;
      const guess = wall - offsetAt(wall);
      return wall - offsetAt(guess);
    },
  };
}
