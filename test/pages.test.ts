import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Role } from '../src/platform/auth/policy.ts';
import { describeEachDatabase } from '../src/platform/db/testing.ts';
import { listTerritoires } from '../src/territoires/store.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from './app.ts';
import { tags, textOf } from './html.ts';
import { TestClient } from './http-client.ts';

// Every page a person can reach by following links from the home page, as each kind of person:
// it opens (a menu offers nothing the person may not open), and it has the structure every Pilotis
// page promises (French, one h1, skip link, labelled fields, not cached once signed in).

const MAX_DEPTH = 3;

/** Same-site pages a person follows: not the API, downloads or static files. */
function pageLinks(html: string): string[] {
  return tags(html)
    .filter((t) => t.name === 'a' && !t.closing && t.attrs.href?.startsWith('/') && !t.attrs.href.startsWith('//'))
    .map((t) => t.attrs.href!.split('#')[0]!)
    .filter((href) => !href.startsWith('/api/') && !href.startsWith('/static/') && !/\.(csv|json|xlsx|pdf|docx)(\?|$)/.test(href));
}

/** What is wrong with a page's structure; empty when nothing is. */
function pageProblems(html: string): string[] {
  const problems: string[] = [];
  const opening = tags(html).filter((t) => !t.closing);
  const named = (name: string) => opening.filter((t) => t.name === name);

  if (named('html')[0]?.attrs.lang !== 'fr') problems.push('<html> sans lang="fr"');
  const h1 = named('h1').length;
  if (h1 !== 1) problems.push(`${h1} titres <h1> au lieu d'un seul`);
  if (named('a')[0]?.attrs.href !== '#contenu') problems.push("le premier lien n'est pas le lien d'évitement vers #contenu");
  const main = named('main');
  if (main.length !== 1 || main[0]!.attrs.id !== 'contenu') problems.push('pas exactement un <main id="contenu">');
  const title = textOf(html, 'title');
  if (!title?.endsWith(' — Pilotis')) problems.push(`<title> « ${title ?? ''} » ne finit pas par « — Pilotis »`);

  const ids = opening.map((t) => t.attrs.id).filter((id): id is string => id !== undefined);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`id « ${id} » en double`);
  const labelled = new Set(named('label').map((t) => t.attrs.for));
  for (const field of opening.filter((t) => ['input', 'select', 'textarea'].includes(t.name))) {
    const type = (field.attrs.type ?? 'text').toLowerCase();
    if (field.name === 'input' && (type === 'hidden' || type === 'submit')) continue;
    if (field.inLabel > 0 || (field.attrs.id && labelled.has(field.attrs.id))) continue;
    problems.push(`champ <${field.name} name="${field.attrs.name ?? ''}"> sans étiquette (<label for> ou <label> autour)`);
  }
  return problems;
}

// The checks themselves, on a page made to pass them and one made to fail each.
it('the structure checks pass a well-formed page and name each fault of a broken one', () => {
  const good =
    '<!doctype html><html lang="fr"><head><title>Accueil — Pilotis</title></head><body><a href="#contenu">Aller au contenu</a>' +
    '<main id="contenu"><h1>Accueil</h1><form><input type="hidden" name="_csrf" value="x" /><label for="champ-q">Q</label>' +
    '<input id="champ-q" name="q" /><label>Actif <input type="checkbox" name="actif" /></label><button type="submit">OK</button></form></main></body></html>';
  expect(pageProblems(good)).toEqual([]);
  const bad = good
    .replace('lang="fr"', 'lang="en"')
    .replace('<h1>Accueil</h1>', '<h1>Accueil</h1><h1>Encore</h1>')
    .replace('Accueil — Pilotis', 'Accueil')
    .replace('href="#contenu"', 'href="/"')
    .replace('<main id="contenu">', '<main id="principal">')
    .replace('<label for="champ-q">Q</label>', '<select name="s"></select><textarea id="champ-q" name="t"></textarea>');
  expect(pageProblems(bad)).toEqual([
    '<html> sans lang="fr"',
    "2 titres <h1> au lieu d'un seul",
    "le premier lien n'est pas le lien d'évitement vers #contenu",
    'pas exactement un <main id="contenu">',
    '<title> « Accueil » ne finit pas par « — Pilotis »',
    'id « champ-q » en double',
    'champ <select name="s"> sans étiquette (<label for> ou <label> autour)',
    'champ <textarea name="t"> sans étiquette (<label for> ou <label> autour)',
    'champ <input name="q"> sans étiquette (<label for> ou <label> autour)',
  ]);
});

type Crawl = { statuses: Map<string, number>; problems: string[] };

/**
 * Pages of one kind (a commitment, an item of the tree, a sheet) share a shape: "/engagements/*" for
 * "/engagements/bilan2015-2". A few of each kind are opened, not the 1 200 items of the contract.
 */
const PAR_FAMILLE = 5;
const famille = (path: string) =>
  path
    .split('?')[0]!
    .split('/')
    .map((seg) => (/\d/.test(seg) ? '*' : seg))
    .join('/');

/** Breadth first from '/', so that each page is reached by its shortest path. */
async function crawl(c: TestClient, signedIn: boolean): Promise<Crawl> {
  const statuses = new Map<string, number>();
  const problems: string[] = [];
  const familles = new Map<string, number>();
  let frontier = [{ path: '/', from: '(départ)' }];
  for (let depth = 0; depth <= MAX_DEPTH && frontier.length; depth++) {
    const next: typeof frontier = [];
    for (const { path, from } of frontier) {
      if (statuses.has(path)) continue;
      const f = famille(path);
      if ((familles.get(f) ?? 0) >= PAR_FAMILLE) continue;
      familles.set(f, (familles.get(f) ?? 0) + 1);
      const res = await c.get(path);
      statuses.set(path, res.statusCode);
      const where = `${path} (lien sur ${from})`;
      const location = String(res.headers.location ?? '');
      // A page that needs an account may be linked for everyone: the visitor is asked to sign in, then comes back.
      if (!signedIn && res.statusCode === 302 && location === `/connexion?retour=${encodeURIComponent(path)}`) continue;
      if (res.statusCode !== 200) {
        problems.push(`${where} : statut ${res.statusCode}${location ? ` vers ${location}` : ''}`);
        continue;
      }
      if (!String(res.headers['content-type']).startsWith('text/html')) {
        problems.push(`${where} : pas une page HTML (${String(res.headers['content-type'])})`);
        continue;
      }
      for (const p of pageProblems(res.body)) problems.push(`${where} : ${p}`);
      if (signedIn && res.headers['cache-control'] !== 'no-store') {
        problems.push(`${where} : montrée à une personne connectée sans cache-control: no-store (${String(res.headers['cache-control'])})`);
      }
      if (depth < MAX_DEPTH) for (const href of pageLinks(res.body)) if (!statuses.has(href)) next.push({ path: href, from: path });
    }
    frontier = next;
  }
  return { statuses, problems };
}

type Person = {
  who: string;
  email: string | null;
  /** Pages the person must find in the menus and links. */
  reaches: string[];
  /** Pages the person must not be offered. */
  notOffered: string[];
};

const ADMIN_PAGES = ['/admin/comptes', '/admin/comptes/nouveau', '/admin/journal'];
const SIGNED_IN_PAGES = ['/', '/accessibilite', '/compte'];
const PEOPLE: Person[] = [
  { who: 'anonymous', email: null, reaches: ['/', '/accessibilite', '/connexion'], notOffered: ['/compte', ...ADMIN_PAGES] },
  { who: 'an admin', email: 'ada@exemple.fr', reaches: [...SIGNED_IN_PAGES, ...ADMIN_PAGES], notOffered: ['/connexion'] },
  { who: 'a direction de projet', email: 'diane@exemple.fr', reaches: SIGNED_IN_PAGES, notOffered: ['/connexion', ...ADMIN_PAGES] },
  { who: 'an agent territorial of 75118', email: 'nora@exemple.fr', reaches: SIGNED_IN_PAGES, notOffered: ['/connexion', ...ADMIN_PAGES] },
  { who: 'an account with no role', email: 'bastien@exemple.fr', reaches: SIGNED_IN_PAGES, notOffered: ['/connexion', ...ADMIN_PAGES] },
];
const ACCOUNT_PAGE = /^\/admin\/comptes\/[0-9a-f-]{36}$/;

describeEachDatabase('every page reachable from the home page', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    const roles: Record<string, Role | null> = {
      'ada@exemple.fr': 'admin',
      'diane@exemple.fr': 'direction_projet',
      'bastien@exemple.fr': null,
    };
    for (const [email, role] of Object.entries(roles)) await accountWithRole(t, email, role);
    const paris18 = (await listTerritoires(t.database.db, t.contrat.id)).find((x) => x.code === '75118')!;
    await accountWithRole(t, 'nora@exemple.fr', 'agent_territorial', { kind: 'territoire', ref: paris18.id });
  });
  afterAll(() => t.close());

  for (const person of PEOPLE) {
    it(`${person.who}: every page linked to depth ${MAX_DEPTH} opens, in French, with one h1, a skip link, labelled fields`, async () => {
      const c = new TestClient(t.app);
      if (person.email) expect((await c.signIn(person.email, TEST_PASSWORD)).statusCode).toBe(302);
      const { statuses, problems } = await crawl(c, person.email !== null);

      expect(problems).toEqual([]);
      const seen = [...statuses.keys()];
      expect(seen).toEqual(expect.arrayContaining(person.reaches));
      for (const path of person.notOffered) expect(seen, `${path} ne doit pas être proposé`).not.toContain(path);
      // The admin's list links every account's page; nobody else is offered one.
      expect(seen.filter((p) => ACCOUNT_PAGE.test(p))).toHaveLength(person.email === 'ada@exemple.fr' ? 4 : 0);
    });
  }
});
