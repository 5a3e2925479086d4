/**
 * The alert sender: one Alert to every configured channel. It succeeds when at least one channel took the alert and
 * throws AlertDeliveryError when none did, so the activity that sends it is retried rather than the alert lost.
 */
import type { Logger } from 'pino';
import { AlertDeliveryError, type Alert, type AlertChannel, type AlertDelivery } from './alert';
import { createChatChannel } from './chat';
import { createEmailChannel } from './email';

export * from './alert';
export { createEmailChannel, type EmailChannelOptions } from './email';
export { createChatChannel, type ChatChannelOptions } from './chat';

/** Where alerts go (src/config/alerts.ts loadAlertSettings reads them from ALERT_* variables). */
export interface AlertSettings {
  email?: { smtpUrl: string; from: string; to: string[] };
  chat?: { webhookUrl: string };
}

export interface AlertSender {
  /** The configured channels, e.g. ['email', 'chat']. */
  readonly channels: readonly string[];
  /** Sends to every channel; throws AlertDeliveryError when none accepted it (or none is configured). */
  send(alert: Alert): Promise<AlertDelivery>;
  close(): void;
}

export function createAlertSender(settings: AlertSettings, logger?: Logger): AlertSender {
  const channels: AlertChannel[] = [];
  if (settings.email) channels.push(createEmailChannel(settings.email));
  if (settings.chat) channels.push(createChatChannel(settings.chat));
  return {
    channels: channels.map((c) => c.name),
    async send(alert) {
      const deliveries = await Promise.all(channels.map((channel) => channel.send(alert)));
      for (const delivery of deliveries) {
        logger?.[delivery.ok ? 'info' : 'warn']({ kind: alert.kind, channel: delivery.channel, ok: delivery.ok, detail: delivery.detail }, 'alert sent');
      }
      if (!deliveries.some((d) => d.ok)) throw new AlertDeliveryError(deliveries);
      return { deliveries };
    },
    close() {
      for (const channel of channels) channel.close();
    },
  };
}
