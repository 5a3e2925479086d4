/** Where the drift watcher and the reconciliation send their alerts: mail (SMTP) and a chat webhook. */
import { z } from 'zod';
import type { AlertSettings } from '../alerts';
import { ConfigError, envValue, parseSettings, processEnv, secretSetting, settingsGroup, splitList } from './env';

/** Where the drift watcher and the reconciliation send their mail and chat messages (zod over env). */
export const alertSettingsSchema = settingsGroup(
  z.object({
    ALERT_SMTP_URL: secretSetting(envValue(z.string().optional())).describe(
      'smtp:// or smtps:// URL of the mail server, credentials included, e.g. smtps://user:password@smtp.example.com:465. Unset: no mail.',
    ),
    ALERT_EMAIL_FROM: envValue(z.string().default('woo-netsuite-sync <woo-netsuite-sync@localhost>')).describe('Sender of the alert mails.'),
    ALERT_EMAIL_TO: envValue(z.string().optional()).describe("The integration owner's addresses, comma-separated. Required with ALERT_SMTP_URL."),
    ALERT_CHAT_WEBHOOK_URL: secretSetting(envValue(z.string().optional())).describe(
      'Chat incoming-webhook URL (Slack-compatible `{"text"}` body). Unset: no chat message.',
    ),
  }),
  { title: 'Alerts', description: 'Where the drift watcher and the reconciliation send their alerts: mail (SMTP) and a chat webhook.' },
);

/** Reads ALERT_SMTP_URL, ALERT_EMAIL_FROM, ALERT_EMAIL_TO and ALERT_CHAT_WEBHOOK_URL; never echoes a URL (they hold credentials). */
export function loadAlertSettings(env: NodeJS.ProcessEnv = processEnv()): AlertSettings {
  const settings = parseSettings(alertSettingsSchema, env);
  const problems: string[] = [];
  const result: AlertSettings = {};
  if (settings.ALERT_SMTP_URL !== undefined) {
    let protocol = '';
    try {
      protocol = new URL(settings.ALERT_SMTP_URL).protocol;
    } catch {
      problems.push('ALERT_SMTP_URL is not a URL (expected smtp://user:password@host:587 or smtps://…:465)');
    }
    if (protocol && protocol !== 'smtp:' && protocol !== 'smtps:') problems.push(`ALERT_SMTP_URL must use smtp:// or smtps://, not ${protocol}//`);
    const to = splitList(settings.ALERT_EMAIL_TO);
    if (to.length === 0) problems.push("ALERT_EMAIL_TO is required with ALERT_SMTP_URL: the integration owner's address(es), comma-separated");
    for (const address of to) if (!/^[^\s@]+@[^\s@]+$/.test(address)) problems.push(`ALERT_EMAIL_TO has "${address}", which is not an e-mail address`);
    result.email = { smtpUrl: settings.ALERT_SMTP_URL, from: settings.ALERT_EMAIL_FROM, to };
  }
  if (settings.ALERT_CHAT_WEBHOOK_URL !== undefined) {
    if (!/^https?:\/\//.test(settings.ALERT_CHAT_WEBHOOK_URL)) problems.push('ALERT_CHAT_WEBHOOK_URL must be an http(s) URL');
    result.chat = { webhookUrl: settings.ALERT_CHAT_WEBHOOK_URL };
  }
  if (problems.length > 0) throw new ConfigError(`invalid alert settings — ${problems.join('; ')}`, problems);
  return result;
}
