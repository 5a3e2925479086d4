/**
 * The schedules file (SCHEDULES_FILE, default config/schedules.json; src/config/files.ts schedulesFilePath): when each scheduled job runs, in which time zone,
 * and the input it runs with. `schedules apply` turns it into Temporal Schedules (definitions.ts, apply.ts).
 *
 *   { "timeZone": "Europe/Berlin",                        the owner's time zone (IANA), default UTC
 *     "inventory":      { "every": "15m" },               an interval…
 *     "schema-drift":   { "cron": "0 10 * * TUE" },       …or a cron expression, read in the time zone
 *     "reconciliation": { "cron": "0 7 * * *", "input": { "thresholds": {…} } },
 *     "catch-up":       { "every": "5m", "paused": false, "jitter": "30s", "input": { "overlapMinutes": 10 } },
 *     "fulfilment":     { "every": "5m", "input": { "overlapMinutes": 10 } } }
 *
 * A job left out runs with its default; `"enabled": false` registers no schedule for it (and `apply` removes one).
 */
import { readJsonFile } from '../json-file';
import { z } from 'zod';
import type { ScheduleKind } from '../api';
import { isKnownTimeZone } from '../time-zone';

const duration = z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 30s, 5m, 1h or 1d');

const timeZone = z.string().refine(isKnownTimeZone, { message: 'an IANA time zone such as UTC, Europe/Berlin or America/New_York' });

export const jobScheduleSchema = z
  .strictObject({
    every: duration.optional().describe('Run at this interval (e.g. 15m).'),
    cron: z.string().min(9).optional().describe('Run on this cron expression (minute hour day-of-month month day-of-week), read in timeZone.'),
    timeZone: timeZone.optional().describe("This job's time zone; default the file's timeZone."),
    jitter: duration.optional().describe('Start up to this much later, at random, so replicas of many stores do not all fire at once.'),
    paused: z.boolean().optional().describe('Register the schedule paused. Default: keep whatever pause state an operator set.'),
    enabled: z.boolean().default(true).describe('false: no schedule for this job.'),
    input: z.record(z.string(), z.unknown()).default({}).describe("Extra fields of the workflow's input (the store is added for per-store jobs)."),
  })
  .refine((job) => (job.every === undefined) !== (job.cron === undefined), { message: 'give exactly one of "every" and "cron"' });

export type JobSchedule = z.output<typeof jobScheduleSchema>;

/** When each job runs if the file does not say. */
export const DEFAULT_JOB_SCHEDULES: Record<ScheduleKind, z.input<typeof jobScheduleSchema>> = {
  inventory: { every: '15m' },
  'catch-up': { every: '5m' },
  fulfilment: { every: '5m' },
  'schema-drift': { cron: '0 10 * * TUE' },
  reconciliation: { cron: '0 7 * * *' },
};

export const schedulesFileSchema = z.strictObject({
  timeZone: timeZone.default('UTC'),
  inventory: jobScheduleSchema.optional(),
  'catch-up': jobScheduleSchema.optional(),
  fulfilment: jobScheduleSchema.optional(),
  'schema-drift': jobScheduleSchema.optional(),
  reconciliation: jobScheduleSchema.optional(),
});

export interface SchedulesConfig {
  timeZone: string;
  jobs: Record<ScheduleKind, JobSchedule>;
}

export class SchedulesConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchedulesConfigError';
  }
}

export function parseSchedulesConfig(json: unknown, file = 'schedules'): SchedulesConfig {
  const result = schedulesFileSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new SchedulesConfigError(`${file} is invalid — ${problems.join('; ')}`);
  }
  const jobs = {} as Record<ScheduleKind, JobSchedule>;
  for (const kind of Object.keys(DEFAULT_JOB_SCHEDULES) as ScheduleKind[]) {
    jobs[kind] = result.data[kind] ?? jobScheduleSchema.parse(DEFAULT_JOB_SCHEDULES[kind]);
  }
  return { timeZone: result.data.timeZone, jobs };
}

export function loadSchedulesConfig(path: string): SchedulesConfig {
  const read = readJsonFile(path);
  if (!read.ok && read.problem === 'unreadable') throw new SchedulesConfigError(`cannot read the schedules file ${path}: ${read.message}`);
  if (!read.ok) throw new SchedulesConfigError(`${path} is not valid JSON: ${read.message}`);
  return parseSchedulesConfig(read.json, path);
}
