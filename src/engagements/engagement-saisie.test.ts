import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/app.ts';
import { decodeEntities, tags, textOf } from '../../test/html.ts';
import { TestClient } from '../../test/http-client.ts';
import { auditLog } from '../platform/audit/schema.ts';
import { describeEachDatabase } from '../platform/db/testing.ts';
import { SYSTEM } from '../defaults.ts';
import { saisieDeEngagement } from './engagement-form.ts';
import { engagementParRef, listerEngagements, modifierEngagement } from './store.ts';

// The direction de projet records commitments and maintains them over HTTP, on the default contract:
// a new commitment from the form to the list and its page, errors that lose nothing typed, a commitment
// from the documents whose printed figures stay as printed, a save from an outdated page, and who may do it.

/** The text of the page's <main>, tags dropped, spaces collapsed. */
function mainText(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
  return decodeEntities(main.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}
/** The value of a form field as the page shows it: text input, textarea, checked radio, selected option. */
function champ(html: string, name: string): string | undefined {
  const area = new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  if (area) return decodeEntities(area[1]!);
  const select = new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  if (select) return tags(select[1]!).find((t) => t.name === 'option' && 'selected' in t.attrs)?.attrs.value ?? '';
  const inputs = tags(html).filter((t) => t.name === 'input' && t.attrs.name === name);
  const input = inputs.length > 1 ? inputs.find((t) => 'checked' in t.attrs) : inputs[0];
  return input?.attrs.value;
}
const champs = (html: string) => new Set(tags(html).filter((t) => ['input', 'select', 'textarea'].includes(t.name) && !t.closing).map((t) => t.attrs.name!));
/** The body rows of the table with that caption, each as its cells' text. */
function rows(html: string, caption: string): string[][] {
  const table = [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((m) => m[1]!).find((t) => t.includes(`<caption>${caption}</caption>`));
  if (!table) return [];
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => mainText(`<main>${c[1]!}</main>`)));
}
const jourParis = () => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date());

describeEachDatabase('engagements: the direction records and maintains commitments', (kind) => {
  let t: TestApp;
  let direccte: string;
  let caf: string;
  const db = () => t.database.db;
  const audits = (objectId: string) => db().select().from(auditLog).where(and(eq(auditLog.objectType, 'engagement'), eq(auditLog.objectId, objectId))).orderBy(asc(auditLog.at));

  beforeAll(async () => {
    t = await startTestApp(kind);
    const orgs = await t.app.ctx.scopes.organisation(db(), t.contrat.id);
    direccte = orgs.find((o) => o.label === 'DIRECCTE')!.id;
    caf = orgs.find((o) => o.label === 'CAF de Paris')!.id;
    await accountWithRole(t, 'direction@exemple.fr', 'direction_projet');
    await accountWithRole(t, 'referente@exemple.fr', 'referent_partenaire', { kind: 'organisation', ref: caf });
  });
  afterAll(() => t?.close());

  async function as(email: string): Promise<TestClient> {
    const c = new TestClient(t.app);
    expect((await c.signIn(email, TEST_PASSWORD)).statusCode).toBe(302);
    return c;
  }

  const nouveau = {
    intitule: 'Ouvrir trois maisons de santé pluriprofessionnelles en QPV',
    organisation: '',
    dispositif: 'Maisons de santé',
    thematique: 'Santé',
    indicateur: 'Nombre de maisons de santé ouvertes en QPV',
    unite: 'nombre',
    sens: 'hausse',
    nature: 'nombre',
    reference: '0 en 2015',
    cible: '3',
    echeance: '2020',
    noeuds: '1.2, 1.2.3/P1/OO1/A1/L3',
    jalons: '2018-12-31 : 2\n2017-06-30 : 1',
    source: 'Décision du comité de pilotage du 12 mai 2016',
  };

  it('lets the direction record a commitment, which then appears in the list and on its own page, audited', async () => {
    const d = await as('direction@exemple.fr');
    const liste = await d.get('/engagements');
    expect(tags(liste.body).some((x) => x.name === 'a' && x.attrs.href === '/engagements/nouveau')).toBe(true);
    const form = await d.get('/engagements/nouveau');
    expect(form.statusCode).toBe(200);
    expect(textOf(form.body, 'h1')).toBe('Enregistrer un engagement');
    expect(form.body).toContain(`<option value="${direccte}">DIRECCTE</option>`);
    expect(champ(form.body, 'sens')).toBe('hausse');

    const res = await d.post('/engagements/nouveau', { ...nouveau, organisation: direccte });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/engagements/saisie-1');

    const page = await d.get('/engagements/saisie-1');
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body, 'h1')).toBe(nouveau.intitule);
    const text = mainText(page.body);
    expect(text).toContain('Engagement saisie-1 enregistré.');
    expect(text).toContain('Engagement saisie-1, porté par DIRECCTE.');
    expect(text).toContain('Valeur de référence 0 en 2015 Cible 3 Échéance 2020');
    expect(rows(page.body, 'Jalons de l’engagement')).toEqual([
      ['30 juin 2017', '1'],
      ['31 décembre 2018', '2'],
    ]);
    expect(page.body).toContain('href="/contrat/arbre/1.2.3/P1/OO1/A1/L3"');
    expect(text).toContain(`Saisi dans Pilotis le ${jourParis()} par la direction de projet Décision du comité de pilotage du 12 mai 2016 Cible saisie : 3`);
    expect(text).not.toContain('direction@exemple.fr');
    expect(tags(page.body).some((x) => x.name === 'a' && x.attrs.href === '/engagements/saisie-1/modifier')).toBe(true);

    const apres = await d.get(`/engagements?organisation=${direccte}&texte=maisons`);
    expect(mainText(apres.body)).toContain(`${nouveau.intitule} saisie-1 DIRECCTE Nombre`);

    const e = (await engagementParRef(db(), t.contrat.id, 'saisie-1'))!;
    expect(e).toMatchObject({ organisationId: direccte, porteur: 'DIRECCTE', noeudRefs: ['1.2', '1.2.3/P1/OO1/A1/L3'], sources: [{ document: 'Pilotis', lignes: [], texte: nouveau.source, valeur: '3', origine: 'saisie' }] });
    const journal = await audits(e.id);
    expect(journal.map((a) => [a.action, a.actorLabel])).toEqual([['creation', 'direction@exemple.fr']]);
    expect(journal[0]!.after).toMatchObject({ ref: 'saisie-1', cible: '3' });

    // The next one takes the next number; without a source text, Pilotis is the source.
    const second = await d.post('/engagements/nouveau', { intitule: 'Un second engagement', sens: 'baisse', nature: 'qualitatif' });
    expect(second.headers.location).toBe('/engagements/saisie-2');
    expect((await engagementParRef(db(), t.contrat.id, 'saisie-2'))!.sources).toEqual([{ document: 'Pilotis', lignes: [], texte: 'Saisi dans Pilotis', valeur: null, origine: 'saisie' }]);
  });

  it('answers a wrong form with a 400 page that names each error in French, keeps everything typed and records nothing', async () => {
    const d = await as('direction@exemple.fr');
    await d.get('/engagements/nouveau');
    const avant = (await listerEngagements(db(), t.contrat.id)).length;
    const typed = { ...nouveau, intitule: '', organisation: caf, sens: 'baisse', jalons: '2017-06-30 : 1\nfin 2018 : 2', noeuds: '1.2\n9.9.9, 8.8' };
    const res = await d.post('/engagements/nouveau', typed);
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body, 'title')).toMatch(/^Erreur — Enregistrer un engagement/);
    const text = mainText(res.body);
    expect(text).toContain('Le formulaire contient 3 erreurs');
    expect(text).toContain('Intitulé : Saisissez l’intitulé de l’engagement.');
    expect(text).toContain('Jalons : Ligne 2 : écrivez la date puis la valeur, par exemple « 2017-12-31 : 50 % ».');
    expect(text).toContain('Éléments de l’arbre du contrat : L’arbre du contrat n’a pas d’éléments « 9.9.9 », « 8.8 ».');
    expect(tags(res.body).find((x) => x.name === 'textarea' && x.attrs.name === 'jalons')!.attrs['aria-invalid']).toBe('true');
    for (const [name, value] of Object.entries(typed)) expect(champ(res.body, name), name).toBe(value);
    expect((await listerEngagements(db(), t.contrat.id)).length).toBe(avant);
  });

  it('refuses an unknown item of the tree on its own, naming it', async () => {
    const d = await as('direction@exemple.fr');
    await d.get('/engagements/nouveau');
    const res = await d.post('/engagements/nouveau', { ...nouveau, noeuds: '1.2\n1.2.3/P1/OO9' });
    expect(res.statusCode).toBe(400);
    expect(mainText(res.body)).toContain('Le formulaire contient une erreur Éléments de l’arbre du contrat : L’arbre du contrat n’a pas d’élément « 1.2.3/P1/OO9 ».');
    expect(champ(res.body, 'noeuds')).toBe('1.2\n1.2.3/P1/OO9');
  });

  it('keeps the forms and their links from a référent and from the public, to read or to write', async () => {
    const nombre = async () => (await listerEngagements(db(), t.contrat.id)).length;
    const avant = await nombre();
    const publicPage = await t.app.inject({ url: '/engagements/bilan2015-2' });
    expect(publicPage.body).not.toContain('/modifier"');
    expect((await t.app.inject({ url: '/engagements' })).body).not.toContain('href="/engagements/nouveau"');
    const anonyme = await t.app.inject({ url: '/engagements/nouveau' });
    expect(anonyme.statusCode).toBe(302);
    expect(anonyme.headers.location).toBe('/connexion?retour=%2Fengagements%2Fnouveau');
    expect((await t.app.inject({ url: '/engagements/bilan2015-2/modifier' })).headers.location).toBe('/connexion?retour=%2Fengagements%2Fbilan2015-2%2Fmodifier');
    const public_ = new TestClient(t.app);
    await public_.get('/connexion');
    expect((await public_.post('/engagements/nouveau', nouveau)).statusCode).toBe(302);

    const r = await as('referente@exemple.fr');
    const page = await r.get('/engagements/bilan2015-2');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('/modifier"');
    expect((await r.get('/engagements')).body).not.toContain('href="/engagements/nouveau"');
    expect((await r.get('/engagements/nouveau')).statusCode).toBe(403);
    expect((await r.get('/engagements/bilan2015-2/modifier')).statusCode).toBe(403);
    expect((await r.post('/engagements/nouveau', nouveau)).statusCode).toBe(403);
    const e = (await engagementParRef(db(), t.contrat.id, 'bilan2015-2'))!;
    expect((await r.post('/engagements/bilan2015-2/modifier', { avant: saisieDeEngagement(e).avant, jalons: '2017-12-31 : 1' })).statusCode).toBe(403);
    expect(await nombre()).toBe(avant);
    expect((await engagementParRef(db(), t.contrat.id, 'bilan2015-2'))!.jalons).toEqual([]);
  });

  it('changes a document’s commitment’s owner, items and milestones only: a forged target or title is ignored', async () => {
    const d = await as('direction@exemple.fr');
    const avant = (await engagementParRef(db(), t.contrat.id, 'bilan2015-2'))!;
    const form = await d.get('/engagements/bilan2015-2/modifier');
    expect(form.statusCode).toBe(200);
    expect(textOf(form.body, 'h1')).toBe('Modifier l’engagement bilan2015-2');
    expect(mainText(form.body)).toContain('Les chiffres de cet engagement et ses sources sont ceux que les documents du contrat impriment : ils ne se modifient pas');
    expect(champs(form.body)).toEqual(new Set(['_csrf', 'avant', 'organisation', 'noeuds', 'jalons']));
    expect(champ(form.body, 'organisation')).toBe(direccte);
    expect(champ(form.body, 'noeuds')).toBe(avant.noeudRefs.join('\n'));

    const res = await d.post('/engagements/bilan2015-2/modifier', {
      avant: champ(form.body, 'avant')!,
      organisation: direccte,
      noeuds: `${avant.noeudRefs.join(', ')}, 2.1`,
      jalons: '2017-12-31 : 14 %',
      cible: '99 %',
      intitule: 'Intitulé forgé',
      source: 'Source forgée',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/engagements/bilan2015-2');
    const apres = (await engagementParRef(db(), t.contrat.id, 'bilan2015-2'))!;
    expect(apres.jalons).toEqual([{ date: '2017-12-31', valeur: '14 %' }]);
    expect(apres.noeudRefs).toEqual([...avant.noeudRefs, '2.1']);
    expect({ ...apres, jalons: avant.jalons, noeudRefs: avant.noeudRefs }).toEqual(avant);

    const page = await d.get('/engagements/bilan2015-2');
    expect(mainText(page.body)).toContain('Engagement modifié.');
    expect(rows(page.body, 'Jalons de l’engagement')).toEqual([['31 décembre 2017', '14 %']]);
    expect(mainText(page.body)).toContain('Cible imprimée : 13%');

    const journal = await audits(avant.id);
    expect(journal.map((a) => a.action)).toEqual(['modification']);
    expect(journal[0]!.before).toMatchObject({ jalons: [], cible: '13%' });
    expect(journal[0]!.after).toMatchObject({ jalons: [{ date: '2017-12-31', valeur: '14 %' }], cible: '13%' });
  });

  it('changes every field of a commitment recorded in Pilotis, its source stating the new target', async () => {
    const d = await as('direction@exemple.fr');
    await d.post('/engagements/nouveau', { ...nouveau, intitule: 'À modifier', source: '' });
    const ref = (await listerEngagements(db(), t.contrat.id)).filter((e) => e.intitule === 'À modifier')[0]!.ref;
    const form = await d.get(`/engagements/${ref}/modifier`);
    expect(champ(form.body, 'cible')).toBe('3');
    expect(champ(form.body, 'source')).toBe('');
    const res = await d.post(`/engagements/${ref}/modifier`, {
      ...nouveau,
      avant: champ(form.body, 'avant')!,
      intitule: 'Modifié',
      organisation: caf,
      cible: '4',
      nature: 'niveau',
      noeuds: '',
      jalons: '',
      source: 'Comité de pilotage du 3 mars 2017',
    });
    expect(res.statusCode).toBe(303);
    const e = (await engagementParRef(db(), t.contrat.id, ref))!;
    expect(e).toMatchObject({ intitule: 'Modifié', organisationId: caf, porteur: 'CAF de Paris', cible: '4', nature: 'niveau', noeudRefs: [], jalons: [] });
    expect(e.sources).toEqual([{ document: 'Pilotis', lignes: [], texte: 'Comité de pilotage du 3 mars 2017', valeur: '4', origine: 'saisie' }]);
    expect(e.recherche).toContain('modifié');
    expect((await audits(e.id)).map((a) => a.action)).toEqual(['creation', 'modification']);
  });

  it('refuses a save made from an outdated page with a 409 that shows the current values and keeps what was typed', async () => {
    const d = await as('direction@exemple.fr');
    const form = await d.get('/engagements/bilan2015-3/modifier');
    const avantPage = champ(form.body, 'avant')!;
    // Someone else changes the milestones meanwhile.
    const lu = (await engagementParRef(db(), t.contrat.id, 'bilan2015-3'))!;
    const autre = await modifierEngagement(db(), SYSTEM, { contratId: t.contrat.id, ref: 'bilan2015-3', avant: avantPage, champs: { organisationId: lu.organisationId, noeudRefs: lu.noeudRefs, jalons: [{ date: '2016-12-31', valeur: 'Premier bilan' }] } });
    expect(autre.ok).toBe(true);

    const res = await d.post('/engagements/bilan2015-3/modifier', { avant: avantPage, organisation: lu.organisationId ?? '', noeuds: lu.noeudRefs.join('\n'), jalons: '2018-06-30 : 20 %' });
    expect(res.statusCode).toBe(409);
    expect(textOf(res.body, 'title')).toMatch(/^Erreur — Modifier l’engagement bilan2015-3/);
    const text = mainText(res.body);
    expect(text).toContain('Cet engagement a été modifié depuis que vous avez ouvert la page');
    expect(rows(res.body, 'Les valeurs actuelles de l’engagement et votre saisie, non enregistrée')).toEqual([['Jalons', '2016-12-31 : Premier bilan', '2018-06-30 : 20 %']]);
    expect(champ(res.body, 'jalons')).toBe('2018-06-30 : 20 %');
    const actuel = (await engagementParRef(db(), t.contrat.id, 'bilan2015-3'))!;
    expect(actuel.jalons).toEqual([{ date: '2016-12-31', valeur: 'Premier bilan' }]);
    expect(champ(res.body, 'avant')).toBe(saisieDeEngagement(actuel).avant);

    // Saved again from the 409 page, knowingly, it goes through.
    const encore = await d.post('/engagements/bilan2015-3/modifier', { avant: champ(res.body, 'avant')!, organisation: lu.organisationId ?? '', noeuds: lu.noeudRefs.join('\n'), jalons: '2018-06-30 : 20 %' });
    expect(encore.statusCode).toBe(303);
    expect((await engagementParRef(db(), t.contrat.id, 'bilan2015-3'))!.jalons).toEqual([{ date: '2018-06-30', valeur: '20 %' }]);
    expect((await audits(lu.id)).map((a) => [a.action, a.actorLabel])).toEqual([
      ['modification', SYSTEM.label],
      ['modification', 'direction@exemple.fr'],
    ]);
  });

  it('answers 404 for a commitment that does not exist', async () => {
    const d = await as('direction@exemple.fr');
    expect((await d.get('/engagements/inconnu-1/modifier')).statusCode).toBe(404);
  });
});
