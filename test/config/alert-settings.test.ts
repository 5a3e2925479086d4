/** Alert and state-database settings: defaults, every problem named, and no URL (they carry credentials) echoed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadAlertSettings, stateDatabaseUrl } from '../../src/config';

describe('alert settings', () => {
  it('none configured → no channel; SMTP with owners and an optional chat webhook', () => {
    assert.deepEqual(loadAlertSettings({}), {});
    assert.deepEqual(
      loadAlertSettings({
        ALERT_SMTP_URL: 'smtps://u:p@smtp.example.com:465',
        ALERT_EMAIL_TO: 'a@shop.test, b@shop.test',
        ALERT_CHAT_WEBHOOK_URL: 'https://hooks.example.com/T/x',
      }),
      {
        email: { smtpUrl: 'smtps://u:p@smtp.example.com:465', from: 'woo-netsuite-sync <woo-netsuite-sync@localhost>', to: ['a@shop.test', 'b@shop.test'] },
        chat: { webhookUrl: 'https://hooks.example.com/T/x' },
      },
    );
  });

  it('refuses a bad setup naming every problem, without echoing the secret URLs', () => {
    assert.throws(
      () =>
        loadAlertSettings({ ALERT_SMTP_URL: 'http://u:s3cret@mail.example.com', ALERT_EMAIL_TO: 'owner', ALERT_CHAT_WEBHOOK_URL: 'ftp://hooks/s3cret-token' }),
      (error: Error) => {
        assert.match(error.message, /ALERT_SMTP_URL must use smtp:\/\/ or smtps:\/\//);
        assert.match(error.message, /ALERT_EMAIL_TO has "owner", which is not an e-mail address/);
        assert.match(error.message, /ALERT_CHAT_WEBHOOK_URL must be an http\(s\) URL/);
        assert.doesNotMatch(error.message, /s3cret/);
        return true;
      },
    );
    assert.throws(() => loadAlertSettings({ ALERT_SMTP_URL: 'smtp://mail.example.com' }), /ALERT_EMAIL_TO is required with ALERT_SMTP_URL/);
  });

  it('the state database defaults to the limiter database; a non-postgres URL is refused without its password', () => {
    assert.equal(stateDatabaseUrl({}), undefined);
    assert.equal(stateDatabaseUrl({ NETSUITE_LIMITER_URL: 'postgres://db/limits' }), 'postgres://db/limits');
    assert.equal(stateDatabaseUrl({ NETSUITE_LIMITER_URL: 'postgres://db/limits', STATE_DATABASE_URL: 'postgres://db/state' }), 'postgres://db/state');
    assert.throws(
      () => stateDatabaseUrl({ STATE_DATABASE_URL: 'mysql://u:hunter2@db/state' }),
      (error: Error) => /not a postgres:\/\/ URL/.test(error.message) && !error.message.includes('hunter2'),
    );
  });
});
