/**
 * `npm run drift:snapshot`: writes the schema fixture the drift watcher diffs against (config/netsuite-schema.json) —
 * the normalised metadata catalog of the record types the mapping writes, one line per field, keys sorted, so the
 * commit that updates it shows exactly the fields that changed.
 *
 *   npm run drift:snapshot                       the account NETSUITE_ENVIRONMENT names (NS_SANDBOX_* / NS_PROD_*)
 *   npm run drift:snapshot -- --simulator        a NetSuite simulator seeded with generateCatalog({seed: 1}): how the
 *                                                committed fixture is made (test/drift checks it is not stale)
 *
 * Without `--simulator` the NetSuite settings are required (the same ones and the same guard as the worker's): a
 * machine without them never silently snapshots a simulator into the file a production watcher reads.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_CONFIG } from '../src/boot';
import { ConfigError, loadNetSuiteSettings } from '../src/config';
import { DEFAULT_FIXTURE_FILE, MAPPED_RECORD_TYPES, takeSnapshot, writeFixture, type SchemaFixture } from '../src/drift';
import { createNetSuiteClient, type NetSuiteClient } from '../src/netsuite/client';
import { createLimiter } from '../src/netsuite/limiter-factory';
import { startNetSuiteSimulator } from '../simulators/netsuite';
import { generateCatalog } from '../simulators/seed';
import { simulatorCredentials } from '../dev/simulator-credentials';

const HELP = `usage: npm run drift:snapshot -- [options]
  (no option)            snapshot the NetSuite account of NETSUITE_ENVIRONMENT (NS_SANDBOX_* or NS_PROD_* settings)
  --simulator            snapshot a NetSuite simulator seeded with generateCatalog({seed}) instead (the committed fixture)
  --seed N               the simulator's catalog seed (default 1)
  --out FILE             where to write it (default ${DEFAULT_FIXTURE_FILE}, relative to the working directory)
  --record-types A,B     record types to snapshot (default ${MAPPED_RECORD_TYPES.join(',')}: the ones the mapping writes)`;

/** Runs the command; returns the exit code (0 written, 1 usage or failure, 78 NetSuite settings refused). */
export async function runDriftSnapshot(argv: string[], print: (line: string) => void = console.log, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        simulator: { type: 'boolean', default: false },
        seed: { type: 'string', default: '1' },
        out: { type: 'string', default: DEFAULT_FIXTURE_FILE },
        'record-types': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    print(`${error instanceof Error ? error.message : String(error)}\n${HELP}`);
    return 1;
  }
  if (values.help) {
    print(HELP);
    return 0;
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) {
    print(`--seed must be a whole number, got ${values.seed}`);
    return 1;
  }
  const recordTypes = values['record-types']
    ? values['record-types']
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
    : [...MAPPED_RECORD_TYPES];
  const out = resolve(process.cwd(), values.out);

  let fixture: SchemaFixture;
  try {
    fixture = values.simulator ? await fromSimulator(seed, recordTypes) : await fromAccount(env, recordTypes);
  } catch (error) {
    if (error instanceof ConfigError) {
      print(`NetSuite settings refused — set NETSUITE_ENVIRONMENT and its NS_* settings, or pass --simulator:\n${error.message}`);
      return EXIT_CONFIG;
    }
    print(`snapshot failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  writeFixture(out, fixture);
  const counts = Object.entries(fixture.recordTypes).map(([type, fields]) => {
    const all = Object.values(fields);
    return `${type} ${all.length} fields (${all.filter((f) => f.custom).length} custom)`;
  });
  print(`wrote ${values.out}: account ${fixture.account ?? '?'}, ${counts.join(', ')}; review the diff and commit it`);
  return 0;
}

/** The account the NetSuite settings name, through a client with the worker's limiter (its permits are shared). */
async function fromAccount(env: NodeJS.ProcessEnv, recordTypes: string[]): Promise<SchemaFixture> {
  const settings = loadNetSuiteSettings(env);
  const limiter = createLimiter(settings.limiter, settings.permits);
  try {
    const client = createNetSuiteClient({ credentials: settings.credentials, limiter, requestTimeoutMs: settings.requestTimeoutMs });
    return await takeSnapshot(client, recordTypes);
  } finally {
    await limiter.close();
  }
}

/** A simulator of this process, seeded like the demo's and the tests' (generateCatalog({seed})). */
async function fromSimulator(seed: number, recordTypes: string[]): Promise<SchemaFixture> {
  const sim = await startNetSuiteSimulator({ catalog: generateCatalog({ seed }) });
  try {
    const client: NetSuiteClient = createNetSuiteClient({
      credentials: simulatorCredentials(sim),
    });
    return await takeSnapshot(client, recordTypes);
  } finally {
    await sim.close();
  }
}

if (require.main === module) {
  runDriftSnapshot(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
