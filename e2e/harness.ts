import { createServer as createNetServer } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { loadConfig } from '../src/config.ts';
import type { Role, ScopeKind } from '../src/platform/auth/policy.ts';
import { listTerritoires } from '../src/territoires/store.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../test/app.ts';

// Browser journeys: the real server on a free port of 127.0.0.1, on a fresh embedded PGlite database
// (what people get by default), driven by the Debian Chromium. Never `npx playwright install`.

export { TEST_PASSWORD };

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Every document a page loads, and whether expectAccessible looked at it. */
type Visit = { url: string; checked: boolean };
const visits = new WeakMap<Page, Visit[]>();

function track(page: Page): void {
  const list: Visit[] = [];
  visits.set(page, list);
  page.on('load', () => list.push({ url: page.url(), checked: false }));
}

function formatViolations(url: string, violations: Awaited<ReturnType<AxeBuilder['analyze']>>['violations']): string {
  const lines = violations.map((v) => {
    const nodes = v.nodes.map((n) => `      ${n.target.join(' ')}${n.failureSummary ? `\n        ${n.failureSummary.replace(/\n/g, '\n        ')}` : ''}`);
    return `  [${v.impact ?? '?'}] ${v.id} — ${v.help}\n    ${v.helpUrl}\n${nodes.join('\n')}`;
  });
  return `${violations.length} violation(s) WCAG 2.1 A/AA sur ${url} :\n${lines.join('\n')}`;
}

/**
 * Runs axe (WCAG 2.0/2.1 A and AA) on the page as it is now and fails with a readable list of violations.
 * Call it on every page a journey visits: `Journey.done()` fails if a loaded page was never checked.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  const url = page.url();
  const violations = await analyze(page);
  if (violations.length) throw new Error(formatViolations(url, violations));
  const list = visits.get(page);
  const last = list?.at(-1);
  if (last) last.checked = true;
}

/**
 * axe runs as a script in the page. In a context without JavaScript, the same document (its HTML, at its
 * URL, so the same stylesheet and the same relative links) is checked in a scratch page that runs scripts.
 */
async function analyze(page: Page) {
  const checker = scriptless.get(page.context());
  if (!checker) return (await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()).violations;
  const url = page.url().split('#')[0]!;
  const html = await page.content();
  const scratch = await checker.newPage();
  try {
    await scratch.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await scratch.goto(url);
    return (await new AxeBuilder({ page: scratch }).withTags(WCAG_TAGS).analyze()).violations;
  } finally {
    await scratch.close();
  }
}

/** For each context without JavaScript, a context with it where axe can run. */
const scriptless = new WeakMap<BrowserContext, BrowserContext>();

/** Waits until the element is the one with keyboard focus (works without JavaScript in the page). */
export async function expectFocused(locator: Locator): Promise<void> {
  await locator.and(locator.page().locator(':focus')).waitFor();
}

export type Journey = {
  context: BrowserContext;
  page: Page;
  /** Opens a path of the server, checks the page's accessibility, and gives the HTTP status of the page shown. */
  visit(path: string): Promise<number>;
  /** Signs in through the real form (each page on the way is checked). */
  signIn(email: string, password?: string): Promise<void>;
  /** Fails if a page was loaded without expectAccessible, then closes the browser context. */
  done(): Promise<void>;
};

export type Harness = {
  baseUrl: string;
  browser: Browser;
  testApp: TestApp;
  /** An account with one role (or none), scoped to a territory given by its code or to an organisation id. */
  account(email: string, role: Role | null, scope?: { kind: ScopeKind; ref: string }): Promise<{ id: string; email: string; displayName: string }>;
  territoireId(code: string): Promise<string>;
  journey(options?: { javaScriptEnabled?: boolean }): Promise<Journey>;
  close(): Promise<void>;
};

export type HarnessOptions = {
  /**
   * Extra configuration of the server (an identity provider, say). With it, PUBLIC_URL is the server's
   * real address, so that what Pilotis gives out as its own address (a redirect URI) leads back to it.
   */
  env?: Record<string, string>;
};

/** A port of 127.0.0.1 free right now: the server's address must be known before its configuration is. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (address && typeof address !== 'string' ? resolve(address.port) : reject(new Error('Aucun port libre'))));
    });
  });
}

async function listening(env: Record<string, string> | undefined): Promise<{ testApp: TestApp; baseUrl: string }> {
  for (let attempt = 1; ; attempt++) {
    const port = env ? await freePort() : 0;
    const testApp = await startTestApp('pglite', env ? { ...env, PUBLIC_URL: `http://127.0.0.1:${port}` } : {});
    try {
      await testApp.app.listen({ host: '127.0.0.1', port });
      const address = testApp.app.server.address();
      if (!address || typeof address === 'string') throw new Error("Le serveur n'écoute pas sur un port TCP");
      return { testApp, baseUrl: `http://127.0.0.1:${address.port}` };
    } catch (e) {
      await testApp.close();
      // Another process took the port between the probe and now: only then is another one tried.
      if (!env || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 3) throw e;
    }
  }
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const config = loadConfig();
  const { testApp, baseUrl } = await listening(options.env);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: config.chromiumPath, args: CHROMIUM_ARGS });
    const b = browser;
    const contexts: BrowserContext[] = [];

    const harness: Harness = {
      baseUrl,
      browser: b,
      testApp,
      account: (email, role, scope) => accountWithRole(testApp, email, role, scope ?? null),
      territoireId: async (code) => {
        const found = (await listTerritoires(testApp.database.db, testApp.contrat.id)).find((t) => t.code === code);
        if (!found) throw new Error(`Territoire ${code} absent du contrat par défaut`);
        return found.id;
      },
      journey: async (options = {}) => {
        const javaScriptEnabled = options.javaScriptEnabled ?? true;
        const context = await b.newContext({ baseURL: baseUrl, javaScriptEnabled, locale: 'fr-FR' });
        contexts.push(context);
        if (!javaScriptEnabled) {
          const checker = await b.newContext({ baseURL: baseUrl, locale: 'fr-FR' });
          contexts.push(checker);
          scriptless.set(context, checker);
        }
        // A missing element fails the journey in seconds rather than at the test timeout.
        context.setDefaultTimeout(15_000);
        const page = await context.newPage();
        track(page);
        const journey: Journey = {
          context,
          page,
          visit: async (path) => {
            const response = await page.goto(path);
            await expectAccessible(page);
            if (!response) throw new Error(`Aucune réponse pour ${path}`);
            return response.status();
          },
          signIn: async (email, password = TEST_PASSWORD) => {
            await journey.visit('/connexion');
            await page.getByLabel('Adresse électronique', { exact: true }).fill(email);
            await page.getByLabel('Mot de passe', { exact: true }).fill(password);
            await page.getByRole('main').getByRole('button', { name: 'Se connecter' }).click();
            await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
            await expectAccessible(page);
          },
          done: async () => {
            const unchecked = (visits.get(page) ?? []).filter((v) => !v.checked).map((v) => v.url);
            await context.close();
            await scriptless.get(context)?.close();
            expect(unchecked, 'pages chargées sans vérification expectAccessible').toEqual([]);
          },
        };
        return journey;
      },
      close: async () => {
        for (const c of contexts) await c.close().catch(() => undefined);
        await b.close();
        await testApp.close();
      },
    };
    return harness;
  } catch (e) {
    await browser?.close();
    await testApp.close();
    throw e;
  }
}
