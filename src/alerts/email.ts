/**
 * The e-mail channel: nodemailer over SMTP (`ALERT_SMTP_URL`, e.g. `smtps://user:password@smtp.example.com:465`).
 * Every alert goes out as a multipart message, text and HTML. The SMTP URL carries the password, so nothing of it
 * reaches an error or a log: a failure is reported by its SMTP response code and nodemailer's error code only.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { escapeHtml, type Alert, type AlertChannel, type ChannelDelivery } from './alert';

export interface EmailChannelOptions {
  /** smtp:// or smtps:// URL, credentials included. */
  smtpUrl: string;
  /** Sender address, e.g. `woo-netsuite-sync <sync@example.com>`. */
  from: string;
  /** The integration owner's addresses. */
  to: string[];
  /** Seconds to wait for the SMTP server at each step. Default 30. */
  timeoutSeconds?: number;
}

export function createEmailChannel(options: EmailChannelOptions): AlertChannel {
  const timeout = (options.timeoutSeconds ?? 30) * 1000;
  const url = new URL(options.smtpUrl);
  // A loopback server (tests, a local relay) may speak plain SMTP with a self-signed STARTTLS certificate.
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  const transport: Transporter = nodemailer.createTransport({
    url: options.smtpUrl,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    ...(loopback ? { tls: { rejectUnauthorized: false } } : {}),
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    name: 'email',
    async send(alert: Alert): Promise<ChannelDelivery> {
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: options.to,
          subject: alert.subject,
          text: alert.text,
          html: alert.html ?? `<pre>${escapeHtml(alert.text)}</pre>`,
          headers: { 'X-Woo-NetSuite-Alert': alert.kind },
        });
        const accepted = ((info.accepted ?? []) as (string | { address: string })[]).map((a) => (typeof a === 'string' ? a : a.address));
        return { channel: 'email', ok: accepted.length > 0, detail: String(info.messageId ?? ''), accepted };
      } catch (error) {
        return { channel: 'email', ok: false, detail: describeSmtpError(error) };
      }
    },
    close() {
      transport.close();
    },
  };
}

/** An SMTP failure in words that carry no credential: nodemailer's code, the server's response code and command. */
function describeSmtpError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'SMTP failed';
  const { code, responseCode, command } = error as { code?: unknown; responseCode?: unknown; command?: unknown };
  const parts = [
    typeof code === 'string' ? code : 'SMTP failed',
    typeof responseCode === 'number' ? `server answered ${responseCode}` : undefined,
    typeof command === 'string' ? `to ${command.split(' ')[0]}` : undefined,
  ];
  return parts.filter((p) => p !== undefined).join(', ');
}
