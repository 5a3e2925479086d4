/** The webhook receiver's listener: host, port, body limit and drain. */
import { z } from 'zod';
import { envValue, parseSettings, processEnv, settingsGroup } from './env';

/** The webhook receiver's listener (zod over env). */
export const receiverSettingsSchema = settingsGroup(
  z.object({
    WEBHOOK_HOST: envValue(z.string().min(1).default('0.0.0.0')).describe('Interface the webhook receiver listens on.'),
    WEBHOOK_PORT: envValue(z.coerce.number().int().min(0).max(65535).default(8080)).describe('Port of the webhook receiver (0 = any free port).'),
    WEBHOOK_BODY_LIMIT_BYTES: envValue(z.coerce.number().int().min(1).default(1048576)).describe(
      'Largest webhook body accepted, in bytes (1048576 = 1 MiB); larger deliveries get 413.',
    ),
    WEBHOOK_DRAIN_SECONDS: envValue(z.coerce.number().min(0).default(10)).describe(
      "On SIGTERM, how long (seconds) deliveries in flight may take before their connections are closed; keep it below the pod's terminationGracePeriodSeconds.",
    ),
  }),
  {
    title: 'Webhook receiver',
    description:
      "The webhook receiver's listener (`npm run receiver`): where WooCommerce's deliveries arrive, how large they may be, and the drain on SIGTERM.",
  },
);

/** The webhook receiver's settings. */
export interface ReceiverSettings {
  /** Interface to listen on (WEBHOOK_HOST). */
  host: string;
  /** TCP port (WEBHOOK_PORT). */
  port: number;
  /** Largest accepted body in bytes (WEBHOOK_BODY_LIMIT_BYTES). */
  bodyLimitBytes: number;
  /** Seconds a SIGTERM's drain waits for deliveries in flight (WEBHOOK_DRAIN_SECONDS). */
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
