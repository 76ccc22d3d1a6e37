import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/** The repository root; `../shared` beside it holds the conformance vectors. */
export const repoRoot = dirname(fileURLToPath(import.meta.url));
export const vectorsDir = resolve(repoRoot, '../shared/vectors');

const chromiumCandidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The system Chromium used for browser-mode tests, or undefined when none is installed. */
export function findChromium(): string | undefined {
  return chromiumCandidates.find((path): path is string => !!path && existsSync(path));
}

export interface PackageTestOptions {
  /** Per-test timeout in milliseconds (default 20 s). */
  testTimeout?: number;
  /** Node-side setup files run once before both projects (e.g. a ws server the browser tests reach). */
  globalSetup?: string[];
}

/**
 * One Vitest config for every package: the same `test/**\/*.test.ts` files run in Node and in
 * headless Chromium; files named `*.node.test.ts` need Node APIs (sockets, fs) and run in Node only.
 * Set WA_TEST_BROWSER=0 to skip the browser project (scripts/prepare-browser.mjs does so, loudly,
 * when no Chromium can be installed).
 */
export function packageTestConfig(packageDir: string, options: PackageTestOptions = {}): ViteUserConfig {
  const chromium = findChromium();
  const wantBrowser = process.env.WA_TEST_BROWSER !== '0';
  if (wantBrowser && !chromium) {
    throw new Error(
      'Browser tests need Chromium (/usr/bin/chromium). Install it (apt-get install chromium) or set WA_TEST_BROWSER=0.',
    );
  }
  const shared = {
    root: packageDir,
    resolve: { alias: { '@vectors': vectorsDir } },
    server: { fs: { allow: [repoRoot, vectorsDir] } },
  };
  const testTimeout = options.testTimeout ?? 20_000;
  const globalSetup = options.globalSetup ?? [];
  const projects: NonNullable<NonNullable<ViteUserConfig['test']>['projects']> = [
    {
      ...shared,
      test: { name: 'node', environment: 'node', include: ['test/**/*.test.ts'], testTimeout, globalSetup },
    },
  ];
  if (wantBrowser && chromium) {
    projects.push({
      ...shared,
      test: {
        name: 'browser',
        include: ['test/**/*.test.ts'],
        exclude: ['test/**/*.node.test.ts'],
        testTimeout,
        globalSetup,
        browser: {
          enabled: true,
          headless: true,
          screenshotFailures: false,
          provider: playwright({
            launchOptions: {
              executablePath: chromium,
              args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
            },
          }),
          instances: [{ browser: 'chromium' }],
        },
      },
    });
  }
  return defineConfig({ ...shared, test: { projects } });
}
