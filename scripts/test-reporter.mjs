/**
 * `npm test`'s reporter: Node's spec reporter, with each test file named above its results ("── test/…/x.test.ts"),
 * so a failure in CI's log reads with the file it is in. Loaded by scripts/run-tests.ts (`--test-reporter`); plain
 * JavaScript because Node loads reporters before tsx applies.
 */
import { relative } from 'node:path';
import { Transform } from 'node:stream';
import { spec as Spec } from 'node:test/reporters';

const spec = new Spec();
/** @type {string | undefined} */
let lastFile;

const reporter = new Transform({
  writableObjectMode: true,
  transform(event, _encoding, callback) {
    const file = event.data?.file;
    if (event.type === 'test:start' && event.data.nesting === 0 && file && file !== lastFile) {
      lastFile = file;
      this.push(`\n── ${relative(process.cwd(), file)}\n`);
    }
    spec.write(event, callback);
  },
  flush(callback) {
    spec.once('end', callback);
    spec.end();
  },
});
spec.on('data', (chunk) => reporter.push(chunk));

export default reporter;
