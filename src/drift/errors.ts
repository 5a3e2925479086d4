/**
 * The fixture the drift watcher compares against cannot be used: missing, not JSON, the wrong shape, or without a
 * record type the watcher reads. Nothing a retry would fix — the owner runs `npm run drift:snapshot` (or fixes the path).
 */
export class DriftFixtureError extends Error {
  constructor(
    message: string,
    /** The fixture file, as configured. */
    readonly file: string,
  ) {
    super(message);
    this.name = 'DriftFixtureError';
  }
}
