/**
 * The optional chat channel: `POST <ALERT_CHAT_WEBHOOK_URL>` with `{"text": "…"}`, the body Slack's, Mattermost's and
 * Google Chat's incoming webhooks accept. The URL is itself the credential, so it never appears in a result or error.
 */
import axios from 'axios';
import type { Alert, AlertChannel, ChannelDelivery } from './alert';

export interface ChatChannelOptions {
  webhookUrl: string;
  /** Default 10 s. */
  timeoutSeconds?: number;
}

/** Chat messages are short: the subject, then the text cut at this many characters. */
export const CHAT_TEXT_LIMIT = 3500;

export function createChatChannel(options: ChatChannelOptions): AlertChannel {
  return {
    name: 'chat',
    async send(alert: Alert): Promise<ChannelDelivery> {
      const body = alert.text.length > CHAT_TEXT_LIMIT ? `${alert.text.slice(0, CHAT_TEXT_LIMIT)}\n… (cut; the e-mail has it all)` : alert.text;
      try {
        const response = await axios.post(
          options.webhookUrl,
          { text: `*${alert.subject}*\n${body}` },
          {
            timeout: (options.timeoutSeconds ?? 10) * 1000,
            validateStatus: () => true,
            maxRedirects: 0,
          },
        );
        return { channel: 'chat', ok: response.status >= 200 && response.status < 300, detail: `HTTP ${response.status}` };
      } catch (error) {
        const code = axios.isAxiosError(error) ? error.code : undefined;
        return { channel: 'chat', ok: false, detail: code ?? 'request failed' };
      }
    },
    close() {},
  };
}
