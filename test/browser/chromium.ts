/**
 * Debian's Chromium driven by playwright-core, for the browser tests: never a downloaded browser, and launch flags that
 * keep it off the network (this machine has none; without them Chromium waits on lookups for updates, sync and QUIC).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** The apt-installed browser. `CHROMIUM_PATH` points elsewhere (e.g. to show the missing-browser failure). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the browser tests keep their screenshots: `test-artifacts/browser/` at the repository root (git-ignored). */
export const ARTIFACTS_DIR = resolve(__dirname, '../../test-artifacts/browser');

/** Removes this test's screenshots of an earlier run (`<prefix>*.png`), so a stale failure picture never misleads. */
export function clearScreenshots(prefix: string): void {
  if (!existsSync(ARTIFACTS_DIR)) return;
  for (const name of readdirSync(ARTIFACTS_DIR)) if (name.startsWith(prefix) && name.endsWith('.png')) rmSync(join(ARTIFACTS_DIR, name), { force: true });
}

const OFFLINE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  page: Page;
  context: BrowserContext;
  /** Saves a full-page screenshot as `test-artifacts/browser/<name>.png`; returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Launches the system Chromium with a fresh profile. A missing browser is an error naming the fix, never a skip:
 * a test that silently skipped would prove nothing on a machine without it.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: run scripts/install-test-tools.sh (installs Debian's chromium with apt-get)`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'woo-netsuite-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: OFFLINE_ARGS,
    viewport: { width: 1400, height: 1000 },
    timeout: 60_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    context,
    async screenshot(name) {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const path = join(ARTIFACTS_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
