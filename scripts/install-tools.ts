/**
 * `npm run tools:install`: finds or installs the pinned tools the deploy tests use, and prints where each one is —
 * kustomize (built once with `go install` into the cache, like the Temporal CLI) and the Compose Specification schema
 * (from the pinned compose-go module in Go's module cache). CI runs it before the tests so a cold machine builds
 * kustomize up front instead of inside a test.
 */
import { KUSTOMIZE, resolveComposeSpecSchema, resolveGoTool } from '../dev/go-tools';

async function main(): Promise<void> {
  const kustomize = await resolveGoTool(KUSTOMIZE);
  console.log(`kustomize ${KUSTOMIZE.version} (${kustomize.source}): ${kustomize.path}`);
  const schema = await resolveComposeSpecSchema();
  console.log(`Compose Specification schema: ${schema}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
