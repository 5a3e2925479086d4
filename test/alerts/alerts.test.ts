/**
 * The alert sender over real SMTP (smtp-server on loopback, with AUTH) and a real HTTP chat webhook: the mail arrives
 * multipart with both parts, a dead channel does not stop the other, no channel → AlertDeliveryError, and no failure
 * text carries the SMTP password or the webhook URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startChatSink, type ChatSink } from '../../dev/chat-sink';
import { startMailSink, type MailSink } from '../../dev/mail-sink';
import { AlertDeliveryError, createAlertSender } from '../../src/alerts';

describe('alerts', () => {
  let mail: MailSink;
  let chat: ChatSink;
  before(async () => {
    mail = await startMailSink({ user: 'alerts', password: 'pa55-w0rd-secret' });
    chat = await startChatSink();
  });
  after(async () => {
    await mail.close();
    await chat.close();
  });

  it('mails text and HTML to the owner and posts the chat line', async () => {
    const sender = createAlertSender({ email: { smtpUrl: mail.url, from: 'sync@shop.test', to: ['owner@shop.test'] }, chat: { webhookUrl: chat.url } });
    try {
      const delivery = await sender.send({
        kind: 'test-alert',
        subject: 'Drift: 2 changes',
        text: 'custbody_x vanished <b>',
        html: '<p>custbody_x vanished</p>',
      });
      assert.deepEqual(
        delivery.deliveries.map((d) => [d.channel, d.ok]),
        [
          ['email', true],
          ['chat', true],
        ],
      );
      const received = await mail.waitFor((m) => m.subject === 'Drift: 2 changes');
      assert.deepEqual(received.to, ['owner@shop.test']);
      assert.equal(received.alertKind, 'test-alert');
      assert.match(received.text, /custbody_x vanished <b>/);
      assert.match(received.html, /<p>custbody_x vanished<\/p>/);
      assert.equal(chat.posts.length, 1);
      assert.match(chat.posts[0]?.text ?? '', /^\*Drift: 2 changes\*\ncustbody_x vanished/);
    } finally {
      sender.close();
    }
  });

  it('a dead chat webhook does not stop the mail; a wrong SMTP password fails without echoing it', async () => {
    const dead = `http://127.0.0.1:1/hooks/secret-token-in-url`;
    const sender = createAlertSender({ email: { smtpUrl: mail.url, from: 'sync@shop.test', to: ['owner@shop.test'] }, chat: { webhookUrl: dead } });
    const delivery = await sender.send({ kind: 'k', subject: 'only mail', text: 't' });
    sender.close();
    assert.deepEqual(
      delivery.deliveries.map((d) => [d.channel, d.ok]),
      [
        ['email', true],
        ['chat', false],
      ],
    );
    assert.doesNotMatch(JSON.stringify(delivery), /secret-token-in-url/);

    const wrong = mail.url.replace('pa55-w0rd-secret', 'not-the-password');
    const failing = createAlertSender({ email: { smtpUrl: wrong, from: 'sync@shop.test', to: ['owner@shop.test'] } });
    const error = await failing.send({ kind: 'k', subject: 's', text: 't' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    failing.close();
    assert.ok(error instanceof AlertDeliveryError, String(error));
    assert.match(error.message, /email: EAUTH, server answered 535/);
    assert.doesNotMatch(error.message, /not-the-password|pa55/);
  });

  it('with no channel configured, sending is an error rather than a silent drop', async () => {
    const sender = createAlertSender({});
    await assert.rejects(sender.send({ kind: 'k', subject: 's', text: 't' }), /reached no channel: no channel is configured/);
  });
});
