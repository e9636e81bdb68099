import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../platform/db/testing.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/app.ts';
import { decodeEntities, tags, textOf } from '../../test/html.ts';
import { TestClient } from '../../test/http-client.ts';
import { SYSTEM } from '../defaults.ts';
import { LIBELLES_NATURE, sourcesDivergentes } from './model.ts';
import { listerEngagements, ouvrirCampagne } from './store.ts';
import type { FastifyInstance } from 'fastify';

// The commitments' pages, CSV and API on the default contract: its commitments and the 2015 campaign
// as loaded from the documents, and a 2016 campaign opened here to check who sees a sheet in progress.

/** The text of the page's <main>, tags dropped, spaces collapsed. */
function mainText(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
  return decodeEntities(main.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

const texte = (html: string) => decodeEntities(html.replace(/<br\s*\/?>/g, ' ').replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();

/** The body rows of the table with that caption, each as its cells' text. */
function rows(html: string, caption: RegExp): string[][] {
  const table = [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((m) => m[1]!).find((t) => caption.test(texte(/<caption>([\s\S]*?)<\/caption>/.exec(t)?.[1] ?? '')));
  if (!table) throw new Error(`Aucun tableau « ${caption} »`);
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => texte(c[1]!)));
}

/** The fields of one CSV line (`;`-separated, quoted fields unquoted). */
const champs = (ligne: string) => [...ligne.matchAll(/("(?:[^"]|"")*"|[^;]*)(?:;|$)/g)].slice(0, -1).map((m) => m[1]!.replace(/^"([\s\S]*)"$/, '$1').replaceAll('""', '"'));

const links = (html: string) => tags(html).filter((t) => t.name === 'a' && !t.closing).map((t) => t.attrs.href!);

describeEachDatabase('engagements: the commitments’ pages, export and API', (kind) => {
  let t: TestApp;
  let app: FastifyInstance;
  let tous: Awaited<ReturnType<typeof listerEngagements>>;
  const divergents = () => tous.filter((e) => sourcesDivergentes(e.sources).length > 0);
  const organisationId = async (nom: string) => (await app.ctx.scopes.organisation(t.database.db, t.contrat.id)).find((o) => o.label === nom)!.id;

  beforeAll(async () => {
    t = await startTestApp(kind);
    app = t.app;
    tous = await listerEngagements(t.database.db, t.contrat.id);
    await accountWithRole(t, 'direction@exemple.fr', 'direction_projet');
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists every commitment with its owner, kind of target, direction, target and sources, disagreements marked', async () => {
    expect(tous.length).toBeGreaterThan(100);
    const res = await app.inject({ method: 'GET', url: '/engagements' });
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body, 'h1')).toBe('Les engagements du contrat');
    expect(mainText(res.body)).toContain(`${tous.length} engagements affichés sur ${tous.length}.`);
    const table = rows(res.body, /engagements affichés$/);
    expect(table).toHaveLength(tous.length);
    const deux = table.find((r) => r[0]!.endsWith('bilan2015-2'))!;
    expect(deux.slice(1)).toEqual(['DIRECCTE', 'Part des habitants des QPV parmi les bénéficiaires', 'Plus c’est haut, mieux c’est', '13%', '3 sources Sources divergentes']);
    expect(table.filter((r) => r[5]!.includes('Sources divergentes'))).toHaveLength(divergents().length);
    expect(links(res.body)).toContain('/engagements/bilan2015-2');

    // The counts by kind of target add up to the list, each matching the rows of that kind.
    const comptes = rows(res.body, /par nature de cible/);
    for (const [libelle, n] of comptes) expect(Number(n), libelle).toBe(table.filter((r) => r[2] === libelle).length);
    expect(comptes.reduce((s, [, n]) => s + Number(n), 0)).toBe(tous.length);
  });

  it('filters by owner, kind of target, text and disagreement, and keeps the filters in the form and the CSV link', async () => {
    const direccte = await organisationId('DIRECCTE');
    const parPorteur = rows((await app.inject({ method: 'GET', url: `/engagements?organisation=${direccte}` })).body, /engagements affichés$/);
    expect(parPorteur.length).toBe(tous.filter((e) => e.organisationId === direccte).length);
    expect(new Set(parPorteur.map((r) => r[1]))).toEqual(new Set(['DIRECCTE']));

    const parNature = rows((await app.inject({ method: 'GET', url: '/engagements?nature=part_qpv' })).body, /engagements affichés$/);
    expect(parNature.length).toBeGreaterThan(0);
    expect(new Set(parNature.map((r) => r[2]))).toEqual(new Set([LIBELLES_NATURE.part_qpv]));

    const parTexte = rows((await app.inject({ method: 'GET', url: `/engagements?texte=${encodeURIComponent('Emplois d’avenir')}` })).body, /engagements affichés$/);
    expect(parTexte.map((r) => r[0]!.split(' ').at(-1))).toContain('bilan2015-1');

    const res = await app.inject({ method: 'GET', url: `/engagements?divergences=oui&nature=part_qpv&organisation=${direccte}&texte=` });
    const divergentes = rows(res.body, /engagements affichés$/);
    const attendus = divergents().filter((e) => e.nature === 'part_qpv' && e.organisationId === direccte);
    expect(divergentes.map((r) => r[0]!.split(' ').at(-1)).sort()).toEqual(attendus.map((e) => e.ref).sort());
    expect(divergentes.every((r) => r[5]!.includes('Sources divergentes'))).toBe(true);
    const checkbox = tags(res.body).find((x) => x.name === 'input' && x.attrs.name === 'divergences')!;
    expect(checkbox.attrs.checked).toBeDefined();
    expect(links(res.body)).toContain(`/engagements/export.csv?organisation=${direccte}&nature=part_qpv&divergences=oui`);
  });

  it('answers an invalid filter with the form, its errors in French, and no list', async () => {
    const res = await app.inject({ method: 'GET', url: '/engagements?nature=tout&organisation=DIRECCTE' });
    expect(res.statusCode).toBe(400);
    const text = mainText(res.body);
    expect(text).toContain('Le formulaire contient 2 erreurs');
    expect(text).toContain('Nature de la cible : Choisissez une nature de cible dans la liste.');
    expect(text).toContain('Porteur : Choisissez un porteur dans la liste.');
    expect(text).toContain('Corrigez le filtre pour afficher les engagements.');
    expect(res.body).not.toContain('<caption>');
  });

  it('shows one commitment: what is measured, the tree items, every source, both figures when they disagree, its follow-up', async () => {
    const res = await app.inject({ method: 'GET', url: '/engagements/bilan2015-2' });
    expect(res.statusCode).toBe(200);
    const e = tous.find((x) => x.ref === 'bilan2015-2')!;
    expect(textOf(res.body, 'h1')).toBe(e.intitule);
    const text = mainText(res.body);
    expect(text).toContain('Nature de la cible Part des habitants des QPV parmi les bénéficiaires Sens Plus c’est haut, mieux c’est');
    expect(text).toContain(`Valeur de référence ${e.reference ?? 'Non imprimée'} Cible 13%`);

    // The disagreement: each figure with the sources that print it, none preferred.
    expect(text).toContain('Les sources divergent');
    expect(text).toContain('13% selon Bilan 2015 (document 004), l. 2522');
    expect(text).toContain('15% chacun selon Contrat de ville (document 002), l. 2940-2946 ; Livret des dispositifs de droit commun (document 004), l. 147-149, 151-154');
    expect(text).toContain('Sources (3)');
    for (const s of e.sources) expect(text).toContain(decodeEntities(s.texte).replace(/\s+/g, ' '));

    expect(links(res.body)).toEqual(expect.arrayContaining(['/contrat/arbre/1.2', '/contrat/arbre/1.2.3/P1/OO1/A1/L3', '/suivi/2015/fiches/2']));
    const [suivi2015] = rows(res.body, /campagne par campagne/);
    expect(suivi2015!.slice(0, 5)).toEqual(['2015', 'Fiche n° 2 Validée', '13%', '20,3%(avril 2016)', '113%']);
    expect(suivi2015![5]).toMatch(/^156,2 % résultat ÷ cible/);
    expect(suivi2015![6]).toContain('Le taux déclaré ne découle pas des chiffres : déclaré 113 %, calculé 156,2 %.');
    expect(suivi2015![6]).toContain('Résultat identique à celui d’une autre fiche');
  });

  it('shows a commitment of the contract that no sheet follows, with its one source and no disagreement', async () => {
    const e = tous.find((x) => x.ref.startsWith('contrat-') && x.sources.length === 1)!;
    const res = await app.inject({ method: 'GET', url: `/engagements/${e.ref}` });
    expect(res.statusCode).toBe(200);
    const text = mainText(res.body);
    expect(text).toContain(`Sources (1) Contrat de ville (document 002), l. `);
    expect(text).not.toContain('Les sources divergent');
    expect(text).toContain('Aucune fiche de suivi publiée ne suit encore cet engagement.');
    expect(res.body).not.toContain('campagne par campagne');
  });

  it('says in French that a commitment does not exist', async () => {
    for (const url of ['/engagements/bilan2015-999', '/engagements/%3Cscript%3E']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(mainText(res.body)).toContain('Aucun engagement ne porte cette référence.');
    }
  });

  it('exports the selected commitments as CSV, with every source cited and the disagreement said', async () => {
    const res = await app.inject({ method: 'GET', url: '/engagements/export.csv?divergences=oui' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [entete, ...lignes] = res.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n').map(champs);
    expect(entete).toEqual([
      'Référence',
      'Intitulé',
      'Indicateur',
      'Unité',
      'Porteur',
      'Dispositif',
      'Thématique',
      'Nature de la cible',
      'Sens',
      'Valeur de référence',
      'Cible',
      'Échéance',
      'Éléments de l’arbre du contrat',
      'Nombre de sources',
      'Sources',
      'Sources divergentes',
    ]);
    expect(lignes).toHaveLength(divergents().length);
    const deux = lignes.find((l) => l[0] === 'bilan2015-2')!;
    expect(deux.slice(4)).toEqual([
      'DIRECCTE',
      'Contrat unique d’insertion – contrat initiative emploi (CUI-CIE, secteur marchand)',
      'Emploi',
      'Part des habitants des QPV parmi les bénéficiaires',
      'Plus c’est haut, mieux c’est',
      // Sheet 2's first column is the 2015 result, not a baseline: none is printed.
      '',
      '13%',
      '',
      '1.2, 1.2.3/P1/OO1/A1/L3, 1.2.3/P1/OO1/A1/L13',
      '3',
      'Bilan 2015 (document 004), l. 2522 : 13% | Contrat de ville (document 002), l. 2940-2946 : 15% chacun | Livret des dispositifs de droit commun (document 004), l. 147-149, 151-154 : 15%',
      'oui',
    ]);
    expect((await app.inject({ method: 'GET', url: '/engagements/export.csv?nature=x' })).statusCode).toBe(400);
  });

  it('serves the commitments through the API, with the same filters, sources and follow-up', async () => {
    const liste = await app.inject({ method: 'GET', url: '/api/v1/engagements?divergences=oui' });
    expect(liste.statusCode).toBe(200);
    const { engagements } = liste.json() as { engagements: { ref: string; divergences: { valeur: string; sources: string[] }[] }[] };
    expect(engagements.map((e) => e.ref).sort()).toEqual(divergents().map((e) => e.ref).sort());
    expect(engagements.find((e) => e.ref === 'bilan2015-2')!.divergences).toEqual([
      { valeur: '13%', sources: ['Bilan 2015 (document 004), l. 2522'] },
      { valeur: '15% chacun', sources: ['Contrat de ville (document 002), l. 2940-2946', 'Livret des dispositifs de droit commun (document 004), l. 147-149, 151-154'] },
    ]);

    const un = await app.inject({ method: 'GET', url: '/api/v1/engagements/bilan2015-2' });
    expect(un.statusCode).toBe(200);
    expect(un.json()).toMatchObject({
      ref: 'bilan2015-2',
      nature: 'part_qpv',
      sens: 'hausse',
      cible: '13%',
      noeuds: ['1.2', '1.2.3/P1/OO1/A1/L3', '1.2.3/P1/OO1/A1/L13'],
      sources: [{ document: '004', lignes: [2522], origine: 'fiche', valeur: '13%', citation: 'Bilan 2015 (document 004), l. 2522' }, {}, {}],
      suivi: [{ annee: 2015, fiche: 2, url: '/suivi/2015/fiches/2', statut: 'validee', resultat: '20,3%(avril 2016)', tauxDeclare: '113%', tauxCalcule: 156.2 }],
    });

    const inconnu = await app.inject({ method: 'GET', url: '/api/v1/engagements/bilan2015-999' });
    expect(inconnu.statusCode).toBe(404);
    expect(inconnu.json()).toMatchObject({ erreur: 'Page introuvable', message: 'Aucun engagement ne porte la référence « bilan2015-999 ».' });
    const invalide = await app.inject({ method: 'GET', url: '/api/v1/engagements?nature=tout' });
    expect(invalide.statusCode).toBe(400);
    expect(invalide.json()).toMatchObject({ details: [{ champ: 'nature', message: 'Choisissez une nature de cible dans la liste.' }] });
  });

  it('shows a sheet of a campaign in progress to those who follow it, never to the public', async () => {
    const ouverte = await ouvrirCampagne(t.database.db, SYSTEM, t.contrat.id, 2016, '2017-03-31');
    expect(ouverte.ok).toBe(true);
    const annees = (html: string) => rows(html, /campagne par campagne/).map((r) => r[0]);

    const publique = await app.inject({ method: 'GET', url: '/engagements/bilan2015-2' });
    expect(annees(publique.body)).toEqual(['2015']);
    expect(mainText(publique.body)).toContain('1 fiche d’une campagne en cours n’est pas affichée');
    const api = (await app.inject({ method: 'GET', url: '/api/v1/engagements/bilan2015-2' })).json() as { suivi: { annee: number }[] };
    expect(api.suivi.map((s) => s.annee)).toEqual([2015]);

    const direction = new TestClient(app);
    await direction.signIn('direction@exemple.fr', TEST_PASSWORD);
    const vue = await direction.get('/engagements/bilan2015-2');
    expect(annees(vue.body)).toEqual(['2015', '2016']);
    expect(rows(vue.body, /campagne par campagne/)[1]!.slice(1, 4)).toEqual(['Fiche n° 2 À remplir', '13%', 'Non renseigné']);
    expect(mainText(vue.body)).not.toContain('n’est pas affichée');

    // A partner's referent sees its own organisation's sheet in progress, not another's.
    const direccte = await organisationId('DIRECCTE');
    const autre = tous.find((e) => e.ref.startsWith('bilan2015-') && e.organisationId && e.organisationId !== direccte)!;
    await accountWithRole(t, 'referent@exemple.fr', 'referent_partenaire', { kind: 'organisation', ref: direccte });
    const referent = new TestClient(app);
    await referent.signIn('referent@exemple.fr', TEST_PASSWORD);
    expect(annees((await referent.get('/engagements/bilan2015-2')).body)).toEqual(['2015', '2016']);
    expect(annees((await referent.get(`/engagements/${autre.ref}`)).body)).toEqual(['2015']);
  });
});
