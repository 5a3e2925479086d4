/**
 * What an alert is and what sending one did. The drift watcher and the reconciliation build an Alert; the sender
 * (index.ts) hands it to every configured channel: e-mail (email.ts) and, optionally, a chat webhook (chat.ts).
 */

/** One message to the integration owner. */
export interface Alert {
  /** What raised it, e.g. `schema-drift` or `reconciliation`: a header of the mail and a prefix of the chat line. */
  kind: string;
  /** Subject line (plain text). */
  subject: string;
  /** The whole message as plain text: the mail's text part and the chat message. */
  text: string;
  /** The same message as HTML (the mail's HTML part). Default: the text, escaped, in a <pre>. */
  html?: string;
}

/** What one channel did with an alert. Never holds a secret (no SMTP password, no webhook URL). */
export interface ChannelDelivery {
  channel: 'email' | 'chat';
  ok: boolean;
  /** e-mail: the SMTP message ID; chat: the HTTP status. */
  detail: string;
  /** e-mail: the recipients the SMTP server accepted. */
  accepted?: string[];
}

/** What sending an alert did, channel by channel. */
export interface AlertDelivery {
  deliveries: ChannelDelivery[];
}

/** A way to reach the integration owner. */
export interface AlertChannel {
  readonly name: ChannelDelivery['channel'];
  send(alert: Alert): Promise<ChannelDelivery>;
  close(): void;
}

/** Thrown when no configured channel accepted an alert; the message names each channel's failure, never a secret. */
export class AlertDeliveryError extends Error {
  constructor(readonly deliveries: ChannelDelivery[]) {
    super(`the alert reached no channel: ${deliveries.map((d) => `${d.channel}: ${d.detail}`).join('; ') || 'no channel is configured'}`);
    this.name = 'AlertDeliveryError';
  }
}

/** `<`, `>`, `&`, `"` and `'` as HTML entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
