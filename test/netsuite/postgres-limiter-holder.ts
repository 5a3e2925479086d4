/**
 * A stand-in worker for postgres-limiter.test.ts: takes `permits` permits of the given lock space, prints "held <n>",
 * and keeps them until it is killed. Usage: node --import tsx postgres-limiter-holder.ts <connectionString> <lockSpace> <permits>
 */
import { createPostgresLimiter } from '../../src/netsuite/postgres-limiter';

async function main(): Promise<void> {
  const [connectionString, lockSpace, permits] = process.argv.slice(2);
  if (!connectionString || !lockSpace || !permits) throw new Error('usage: postgres-limiter-holder <connectionString> <lockSpace> <permits>');
  const limiter = createPostgresLimiter({ connectionString, lockSpace: Number(lockSpace), permits: Number(permits) });
  for (let i = 0; i < Number(permits); i++) await limiter.acquire();
  process.stdout.write(`held ${permits}\n`);
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
