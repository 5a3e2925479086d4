/**
 * Prebuilds the workflow bundle the production image loads (`WORKFLOW_BUNDLE_PATH`, Worker `workflowBundle: { codePath }`):
 * the worker then starts without webpack, and every replica runs byte-identical workflow code.
 * The OpenTelemetry workflow interceptors are compiled in (src/tracing.ts), so tracing can be turned on by configuration.
 *
 *   npm run build                                   (tsc, then this) → dist/workflow-bundle.js
 *   tsx scripts/build-workflow-bundle.ts [OUT]      this step alone
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../src/codec/data-converter';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../src/tracing';

export const DEFAULT_BUNDLE_PATH = 'dist/workflow-bundle.js';

export async function buildWorkflowBundle(out: string): Promise<{ path: string; bytes: number }> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../src/workflows'),
    workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES],
    // Failure messages go into an encoded payload, so the payload codec (when keys are configured) encrypts them too.
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: (m) => console.warn(m),
      error: (m) => console.error(m),
    },
  });
  const path = resolve(out);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, code);
  return { path, bytes: Buffer.byteLength(code) };
}

if (require.main === module) {
  buildWorkflowBundle(process.argv[2] ?? DEFAULT_BUNDLE_PATH).then(
    ({ path, bytes }) => console.log(`workflow bundle: ${path} (${(bytes / 1024).toFixed(0)} KiB)`),
    (error: unknown) => {
      console.error(`could not build the workflow bundle: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
