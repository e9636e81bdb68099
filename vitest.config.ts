import { existsSync } from 'node:fs';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { loadConfig } from './src/config.ts';

// Browser journeys need the Debian Chromium. Without it they are left out, loudly — except in CI,
// where the project stays so that the missing browser fails the run.
const chromiumPath = loadConfig({ CHROMIUM_PATH: process.env.CHROMIUM_PATH }).chromiumPath;
const chromiumMissing = !existsSync(chromiumPath);
const inCi = Boolean(process.env.CI);
// The config is evaluated several times in one process: one banner is enough.
const shown = globalThis as { pilotisChromiumBanner?: boolean };
if (chromiumMissing && !shown.pilotisChromiumBanner) {
  shown.pilotisChromiumBanner = true;
  const line = '!'.repeat(100);
  const message = inCi
    ? `Chromium introuvable à ${chromiumPath} : CI est défini, les parcours navigateur vont ÉCHOUER. apt-get install chromium`
    : `Chromium introuvable à ${chromiumPath} : les parcours navigateur ne sont PAS exécutés. apt-get install chromium`;
  process.stderr.write(`\n${line}\n!! ${message}\n${line}\n\n`);
}
const e2eProject: TestProjectInlineConfiguration = {
  extends: true,
  test: {
    name: 'e2e',
    include: ['e2e/**/*.test.{ts,tsx}'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Each journey file starts a server and a browser: two cores do not carry more at once.
    fileParallelism: false,
  },
};

export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      ...(chromiumMissing && !inCi ? [] : [e2eProject]),
    ],
  },
});
