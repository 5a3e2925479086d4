/** The webhook receiver's listener: host, port, body limit and drain. */
import { z } from 'zod';
import { envValue, parseSettings, processEnv } from './env';

/** The webhook receiver's listener (zod over env). */
export const receiverSettingsSchema = z.object({
  WEBHOOK_HOST: envValue(z.string().min(1).default('0.0.0.0')).describe('Interface the webhook receiver listens on. Default 0.0.0.0.'),
  WEBHOOK_PORT: envValue(z.coerce.number().int().min(0).max(65535).default(8080)).describe('Port of the webhook receiver (0 = any free port). Default 8080.'),
  WEBHOOK_BODY_LIMIT_BYTES: envValue(z.coerce.number().int().min(1).default(1048576)).describe(
    'Largest webhook body accepted, in bytes; larger deliveries get 413. Default 1048576 (1 MiB).',
  ),
  WEBHOOK_DRAIN_SECONDS: envValue(z.coerce.number().min(0).default(10)).describe(
    "On SIGTERM, how long deliveries in flight may take before their connections are closed. Default 10 s; keep it below the pod's terminationGracePeriodSeconds.",
  ),
});

/** The webhook receiver's settings. */
export interface ReceiverSettings {
  /** Interface to listen on. Default 0.0.0.0. */
  host: string;
  /** TCP port. Default 8080. */
  port: number;
  /** Largest accepted body in bytes. Default 1048576. */
  bodyLimitBytes: number;
  /** How long a SIGTERM's drain waits for deliveries in flight. Default 10 s. */
  drainSeconds: number;
}

/** Reads WEBHOOK_HOST, WEBHOOK_PORT, WEBHOOK_BODY_LIMIT_BYTES and WEBHOOK_DRAIN_SECONDS (receiverSettingsSchema). */
export function loadReceiverSettings(env: NodeJS.ProcessEnv = processEnv()): ReceiverSettings {
  const settings = parseSettings(receiverSettingsSchema, env);
  return {
    host: settings.WEBHOOK_HOST,
    port: settings.WEBHOOK_PORT,
    bodyLimitBytes: settings.WEBHOOK_BODY_LIMIT_BYTES,
    drainSeconds: settings.WEBHOOK_DRAIN_SECONDS,
  };
}
