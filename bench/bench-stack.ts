/**
 * What a benchmark runs against: a dev server of its own and the whole stack on it (both simulators, PostgreSQL, the
 * receiver), no webhooks subscribed, quiet, with the catalog's default mapping. `close()` stops both.
 */
import pino from 'pino';
import { defaultMapping, startSyncStack, temporalOf, type SyncStack, type SyncStackOptions } from '../dev/sync-stack';
import { startDevServer, type DevServer } from '../dev/temporal-dev-server';
import type { SeedCatalog } from '../simulators/seed';

export interface BenchStack {
  server: DevServer;
  stack: SyncStack;
  close(): Promise<void>;
}

export async function startBenchStack(catalog: SeedCatalog, options: Partial<Omit<SyncStackOptions, 'temporal' | 'catalog'>> = {}): Promise<BenchStack> {
  const server = await startDevServer({ ui: false });
  try {
    const stack = await startSyncStack({
      temporal: temporalOf(server),
      catalog,
      store: 'bench',
      topics: [],
      logger: pino({ level: 'silent' }),
      mapping: defaultMapping(catalog),
      ...options,
    });
    return {
      server,
      stack,
      async close() {
        await stack.close();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
