import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, temporalLogger } from '../src/logger';

function capture(level = 'trace') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines, text: () => JSON.stringify(lines) };
}

describe('logging', () => {
  it('secrets in logged objects are redacted, the rest is kept', () => {
    const { logger, lines, text } = capture();
    logger.info(
      {
        webhook: { id: 7, secret: 'whsec-do-not-log' },
        netsuite: { accountId: '1234567_SB1', privateKeyPem: '-----BEGIN PRIVATE KEY-----abc', access_token: 'tok-123' },
        store: { consumerKey: 'ck_visible_id', consumerSecret: 'cs_do_not_log' },
        request: { client_assertion: 'eyJhbGciOi.jwt', authorization: 'Bearer tok-456' },
      },
      'configured',
    );
    for (const secret of ['whsec-do-not-log', 'BEGIN PRIVATE KEY', 'tok-123', 'cs_do_not_log', 'eyJhbGciOi', 'tok-456']) {
      assert.ok(!text().includes(secret), `${secret} leaked: ${text()}`);
    }
    const line = lines[0] as { webhook: { id: number; secret: string }; netsuite: { accountId: string }; store: { consumerKey: string } };
    assert.equal(line.webhook.id, 7);
    assert.equal(line.webhook.secret, '[redacted]');
    assert.equal(line.netsuite.accountId, '1234567_SB1');
    assert.equal(line.store.consumerKey, 'ck_visible_id');
  });

  it('the Temporal adapter maps each SDK level to the pino level and keeps the metadata', () => {
    const { logger, lines } = capture();
    const adapter = temporalLogger(logger);
    adapter.warn('slow poll', { taskQueue: 'q' });
    adapter.log('ERROR', 'failed', { workflowId: 'w' });
    adapter.debug('detail');
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg]),
      [
        [40, 'slow poll'],
        [50, 'failed'],
        [20, 'detail'],
      ],
    );
    assert.equal(lines[0]?.taskQueue, 'q');
    assert.equal(lines[1]?.workflowId, 'w');
  });
});
