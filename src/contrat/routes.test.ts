import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../platform/db/testing.ts';
import { CliError } from '../platform/cli/model.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/app.ts';
import { TestClient, type Response } from '../../test/http-client.ts';
import { decodeEntities, tags, textOf } from '../../test/html.ts';
import { compterParNiveau, descendantsDe, listerNoeuds } from './store.ts';
import { exportContratCommand } from './export.ts';

// The contract's pages, export and API over HTTP on the default contract (the Paris tree), on both
// databases: browsing, search, the action tables, the CSV, and amendments drafted by the direction.

/** The text of some HTML as read: inline tags vanish, block tags separate words. */
const texte = (html: string) =>
  decodeEntities(html.replace(/<\/?(a|mark|small|span|strong|q)\b[^>]*>/g, '').replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
const main = (r: Response) => texte(/<main[^>]*>([\s\S]*)<\/main>/.exec(r.body)![1]!);
const liens = (html: string) => tags(html).filter((t) => t.name === 'a' && !t.closing).map((t) => t.attrs.href);
const count = (html: string, name: string) => tags(html).filter((t) => t.name === name && !t.closing).length;

describeEachDatabase('the contract’s pages', (kind) => {
  let t: TestApp;
  let visiteur: TestClient;

  beforeAll(async () => {
    t = await startTestApp(kind);
    visiteur = new TestClient(t.app);
    await accountWithRole(t, 'direction@exemple.fr', 'direction_projet');
    await accountWithRole(t, 'association@exemple.fr', null);
  });
  afterAll(() => t.close());

  it('shows the contract: its axes, orientations and objectifs, computed counts, priorities, signatories, search and export', async () => {
    const r = await visiteur.get('/contrat');
    expect(r.statusCode).toBe(200);
    expect(count(r.body, 'h1')).toBe(1);
    expect(textOf(r.body, 'h1')).toBe('Contrat de ville parisien 2015-2020');
    const comptes = await compterParNiveau(t.database.db, t.contrat.id);
    const m = main(r);
    expect(m).toContain(`${comptes.axe} axes, ${comptes.orientation} orientations, ${comptes.objectif} objectifs, déclinés en ${comptes.action} actions et ${comptes.levier} leviers d’actions`);
    expect([comptes.axe, comptes.orientation, comptes.objectif]).toEqual([3, 7, 24]);
    expect(m).toContain(`Leviers d’actions ${comptes.levier}`);
    expect(liens(r.body)).toEqual(expect.arrayContaining(['/contrat/arbre/1', '/contrat/arbre/1.1', '/contrat/arbre/1.1.1', '/contrat/arbre/3.2', '/contrat/avenants', '/contrat/export.csv']));
    expect(m).toContain('Objectif 1.1.1 — Lutter contre le décrochage scolaire et favoriser la réussite éducative Contrat de ville, l. 1559');
    expect(m).toContain('La jeunesse Contrat de ville, l. 997');
    expect(m).toContain('La lutte contre les discriminations Contrat de ville, l. 999');
    expect(m).toMatch(/CAF de Paris \(aussi nommé : [^)]*Caisse d’allocations familiales[^)]*\) Contrat de ville, l\. 310/);
    expect(m).toContain('4ème pilier du contrat de Ville relatif aux valeurs de la République et à la citoyenneté');
    expect(r.body).toContain('<nav aria-label="Fil d’Ariane" class="fil-ariane">');
    expect(r.body).toMatch(/<form method="get" action="\/contrat\/recherche"/);
  });

  it('shows an objectif with its action tables: every action and levier below it, each with its source', async () => {
    const r = await visiteur.get('/contrat/arbre/1.1.1');
    expect(r.statusCode).toBe(200);
    expect(textOf(r.body, 'h1')).toBe('Objectif 1.1.1 — Lutter contre le décrochage scolaire et favoriser la réussite éducative');
    const fil = texte(/<nav aria-label="Fil d’Ariane"[^>]*>([\s\S]*?)<\/nav>/.exec(r.body)![1]!);
    expect(fil).toBe('Accueil Le contrat Axe 1 Orientation 1.1 Objectif 1.1.1');
    const captions = [...r.body.matchAll(/<caption>([^<]*)<\/caption>/g)].map((c) => decodeEntities(c[1]!));
    expect(captions).toEqual([
      'Priorité 1 — Donner goût aux apprentissages : objectifs opérationnels, actions et leviers d’actions',
      'Priorité 2 — Mobiliser et remobiliser : objectifs opérationnels, actions et leviers d’actions',
    ]);
    expect(r.body).toContain('<th scope="col" id="tableau0-oo">Objectif opérationnel</th>');
    const dessous = await descendantsDe(t.database.db, t.contrat.id, '1.1.1');
    const actions = dessous.filter((n) => n.niveau === 'action' || n.niveau === 'levier');
    expect(actions.length).toBeGreaterThan(50);
    const presents = new Set(liens(r.body));
    expect(actions.filter((n) => !presents.has(`/contrat/arbre/${n.ref}`)).map((n) => n.ref)).toEqual([]);
    // A levier cell names its objectif opérationnel and its action for screen readers.
    expect(r.body).toContain('headers="tableau0-leviers tableau0-oo0 tableau0-oo0-a0"><a href="/contrat/arbre/1.1.1/P1/OO1/A1/L1">');
    expect(main(r)).toContain('L2 S\'appuyer sur le PRE Contrat de ville, l. 1595');

    // A priorité's page is its own table; leviers printed under an empty Actions cell stay in it.
    const p1 = await visiteur.get('/contrat/arbre/1.1.1/P1');
    expect([...p1.body.matchAll(/<caption>([^<]*)<\/caption>/g)].map((c) => decodeEntities(c[1]!))).toEqual([
      'Priorité 1 — Donner goût aux apprentissages : objectifs opérationnels, actions et leviers d’actions',
    ]);
    expect(main(p1)).toMatch(/OO3 Diversifier les méthodes et outils pour apprendre Contrat de ville, l\. [\d, -]+ —Pas d’action L1 /);
  });

  it('shows an orientation’s plan of action, citizen contribution and quantified targets', async () => {
    const r = await visiteur.get('/contrat/arbre/1.1');
    const m = main(r);
    for (const titre of ['Les priorités de l’orientation', 'Contribution citoyenne', 'Déclinaison du plan d’actions', 'Acteurs', 'Publics cibles', 'Dispositifs', 'Interdépendances', 'Objectifs chiffrés']) {
      expect(m).toContain(titre);
    }
    expect(m).toContain('Ville de Paris Contrat de ville, l. 1460');
    expect(m).toContain('L’école est le pilier fondamental de la réussite');
    expect(m).toContain('Taux de jeunes considérés comme décrocheurs Voir l’élément 1.1.1 5 % 2020 6,6 % l’académie');
    expect(liens(r.body)).toEqual(expect.arrayContaining(['/contrat/arbre/1.1.1', '/contrat/arbre/1.1.2', '/contrat/arbre/1.1.3']));
  });

  it('shows the summary’s wording when it differs, and the transcription note', async () => {
    expect(main(await visiteur.get('/contrat/arbre/1.1.3'))).toMatch(/Libellé au sommaire : Accompagner les parents dans leur rôle de co-éducateur \(l\. \d+\)/);
    expect(main(await visiteur.get('/contrat/arbre/1.1.1'))).not.toContain('Libellé au sommaire');
    const levier = await visiteur.get('/contrat/arbre/1.1.1/P1/OO1/A1/L1');
    expect(textOf(levier.body, 'h1')).toBe('Levier d’action L1 — Flécher en totalité les postes affectés à la scolarisation des moins de trois ans vers les quartiers prioritaires');
    expect(main(levier)).toContain('Note de transcription : Les actions A1 et A2 sont imprimées avant leurs leviers');
    expect(main(levier)).toContain('1.1.1 · Priorité 1 · OO1 · A1 · L1');
    expect(main(levier)).toContain('Aucun avenant n’a modifié cet élément');
  });

  it('answers 404 in French for an unknown or malformed reference', async () => {
    for (const url of ['/contrat/arbre/9.9', '/contrat/arbre/1.1.1/P9', '/contrat/arbre/%3Cscript%3E', '/contrat/arbre/']) {
      const r = await visiteur.get(url);
      expect(r.statusCode, url).toBe(404);
      expect(main(r), url).toContain('Aucun élément du contrat ne porte cette référence');
    }
  });

  it('searches in French, highlights the words found and shows where each item sits', async () => {
    const r = await visiteur.get(`/contrat/recherche?q=${encodeURIComponent('décrochages')}`);
    expect(r.statusCode).toBe(200);
    const m = main(r);
    expect(m).toMatch(/\d+ résultats pour « décrochages »/);
    expect(r.body).toContain('<a href="/contrat/arbre/1.1.1">Objectif 1.1.1 — Lutter contre le <mark>décrochage</mark> scolaire');
    expect(m).toContain('Dans : Axe 1 Accompagner les parcours et prévenir les ruptures › Orientation 1.1 Construire des trajectoires scolaires et éducatives positives');
    expect(r.body).toContain('value="décrochages"');

    expect(main(await visiteur.get('/contrat/recherche'))).toContain('Saisissez un ou plusieurs mots');
    expect(main(await visiteur.get('/contrat/recherche?q=le'))).toContain('Saisissez au moins 3 lettres ou chiffres.');
    expect(main(await visiteur.get('/contrat/recherche?q=zzzyyyxxx'))).toContain('Aucun résultat pour « zzzyyyxxx »');
    const long = await visiteur.get(`/contrat/recherche?q=${'a'.repeat(201)}`);
    expect(long.statusCode).toBe(400);
    expect(main(long)).toContain('La recherche est limitée à 200 caractères.');
  });

  it('exports the tree as CSV, from the page and from the command line, one row per item', async () => {
    const r = await visiteur.get('/contrat/export.csv');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toBe('attachment; filename="arbre-paris-2015-2020.csv"');
    const lignes = r.body.split('\r\n');
    expect(lignes[0]).toBe('\uFEFFniveau;numero;libelle;parent;source;ref');
    const noeuds = await listerNoeuds(t.database.db, t.contrat.id);
    expect(lignes.filter(Boolean)).toHaveLength(noeuds.length + 1);
    expect(lignes).toContain('objectif;1.1.1;Lutter contre le décrochage scolaire et favoriser la réussite éducative;1.1;002 l.1559;1.1.1');
    expect(lignes).toContain('axe;1;Accompagner les parcours et prévenir les ruptures;;002 l.1187-1188;1');

    let sortie = '';
    expect(await exportContratCommand(t.database.db, t.contrat.id, 'csv', { stdout: { write: (s: string) => (sortie += s) } })).toBe('');
    expect(sortie).toBe(r.body);
    const dir = mkdtempSync(join(tmpdir(), 'pilotis-export-'));
    try {
      const fichier = join(dir, 'arbre.csv');
      const message = await exportContratCommand(t.database.db, t.contrat.id, 'csv', { sortie: fichier, stdout: { write: () => expect.fail('rien sur la sortie standard') } });
      expect(message).toBe(`Arbre du contrat exporté : ${noeuds.length} éléments dans ${fichier}.`);
      expect(readFileSync(fichier, 'utf8')).toBe(r.body);
    } finally {
      rmSync(dir, { recursive: true });
    }
    await expect(exportContratCommand(t.database.db, t.contrat.id, 'xlsx', { stdout: process.stdout })).rejects.toThrow(new CliError('Format inconnu : « xlsx ». Format possible : csv.'));
  });

  it('serves the tree, an item and the search through the API, documented in OpenAPI', async () => {
    const arbre = await visiteur.get('/api/v1/contrat/arbre');
    expect(arbre.statusCode).toBe(200);
    const { noeuds } = arbre.json() as { noeuds: { ref: string; niveau: string; source: string; parent: string | null }[] };
    expect(noeuds).toHaveLength((await listerNoeuds(t.database.db, t.contrat.id)).length);
    expect(noeuds.find((n) => n.ref === '1.1.1')).toMatchObject({ niveau: 'objectif', source: '002 l.1559', parent: '1.1' });

    const p1 = await visiteur.get(`/api/v1/contrat/arbre/${encodeURIComponent('1.1.1/P1')}`);
    expect(p1.statusCode).toBe(200);
    const d = p1.json() as { libelle: string; chemin: { ref: string }[]; enfants: { ref: string }[]; historique: unknown[] };
    expect(d.libelle).toBe('Donner goût aux apprentissages');
    expect(d.chemin.map((c) => c.ref)).toEqual(['1', '1.1', '1.1.1']);
    expect(d.enfants.map((c) => c.ref)).toEqual(['1.1.1/P1/OO1', '1.1.1/P1/OO2', '1.1.1/P1/OO3', '1.1.1/P1/OO4']);
    const inconnu = await visiteur.get('/api/v1/contrat/arbre/9.9');
    expect(inconnu.statusCode).toBe(404);
    expect(inconnu.json()).toMatchObject({ erreur: 'Page introuvable' });

    const s = (await visiteur.get('/api/v1/contrat/recherche?q=d%C3%A9crochages')).json() as { total: number; resultats: { ref: string; chemin: { ref: string }[] }[] };
    expect(s.resultats.find((x) => x.ref === '1.1.1')?.chemin.map((c) => c.ref)).toEqual(['1', '1.1']);
    expect(s.total).toBe(s.resultats.length);
    expect((await visiteur.get('/api/v1/contrat/recherche?q=le')).statusCode).toBe(400);

    const doc = (await visiteur.get('/api/v1/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/contrat/arbre', '/api/v1/contrat/arbre/{ref}', '/api/v1/contrat/recherche']));
  });

  it('lets neither the public nor an account without role draft an amendment', async () => {
    expect(main(await visiteur.get('/contrat/avenants'))).not.toContain('Préparer un avenant');
    // With a form's token, as a browser has: the policy answers, not the CSRF check.
    await visiteur.get('/connexion');
    const anonyme = await visiteur.post('/contrat/avenants', { titre: 'x', objet: 'y' });
    expect(anonyme.statusCode).toBe(302);
    expect(anonyme.headers.location).toBe('/connexion?retour=%2Fcontrat%2Favenants');
    const sansRole = new TestClient(t.app);
    await sansRole.signIn('association@exemple.fr', TEST_PASSWORD);
    await sansRole.get('/contrat/avenants');
    expect((await sansRole.post('/contrat/avenants', { titre: 'x', objet: 'y' })).statusCode).toBe(403);
    expect(main(await visiteur.get('/contrat/avenants'))).toContain('Aucun avenant n’a encore été enregistré.');
  });

  it('lets the direction de projet add a fourth axe by amendment, adopt it, and find it with its history', async () => {
    const direction = new TestClient(t.app);
    await direction.signIn('direction@exemple.fr', TEST_PASSWORD);
    const liste = await direction.get('/contrat/avenants');
    expect(main(liste)).toContain('Préparer un avenant');

    const vide = await direction.post('/contrat/avenants', { titre: '', objet: 'Quatrième axe' });
    expect(vide.statusCode).toBe(400);
    expect(vide.body).toContain('class="error-summary"');
    expect(main(vide)).toContain('Titre : Indiquez le titre de l’avenant.');
    expect(vide.body).toContain('value="Quatrième axe"');

    const cree = await direction.post('/contrat/avenants', { titre: 'Valeurs de la République', objet: 'Quatrième axe du contrat' });
    expect(cree.statusCode).toBe(303);
    expect(cree.headers.location).toBe('/contrat/avenants/1');
    // A draft is the direction's work: the public does not see it yet.
    expect((await visiteur.get('/contrat/avenants/1')).statusCode).toBe(404);

    const projet = await direction.get('/contrat/avenants/1');
    expect(main(projet)).toContain('Adopter l’avenant');
    const refuse = await direction.post('/contrat/avenants/1/changements', { type: 'ajout', parentRef: '9', niveau: 'orientation', libelle: 'Orientation perdue' });
    expect(refuse.statusCode).toBe(400);
    expect(main(refuse)).toContain('9.1 : parent 9 introuvable');
    expect(refuse.body).toContain('value="Orientation perdue"');

    await direction.get('/contrat/avenants/1');
    const ajout = await direction.post('/contrat/avenants/1/changements', { type: 'ajout', parentRef: '', niveau: 'axe', libelle: 'Valeurs de la République et citoyenneté' });
    expect(ajout.statusCode).toBe(303);
    expect(main(await direction.get('/contrat/avenants/1'))).toContain('1 Ajout 4 — Valeurs de la République et citoyenneté');
    // A change added by mistake is taken back (the last one only: later changes may rest on earlier ones).
    await direction.post('/contrat/avenants/1/changements', { type: 'ajout', parentRef: '4', niveau: 'orientation', libelle: 'Orientation de trop' });
    expect(main(await direction.get('/contrat/avenants/1'))).toContain('Retirer le dernier changement (n° 2)');
    expect((await direction.post('/contrat/avenants/1/changements/dernier/retrait', {})).statusCode).toBe(303);
    const reprise = main(await direction.get('/contrat/avenants/1'));
    expect(reprise).not.toContain('Orientation de trop');
    expect(reprise).toContain('Retirer le dernier changement (n° 1)');
    expect((await visiteur.post('/contrat/avenants/1/changements/dernier/retrait', {})).statusCode).not.toBe(303);
    expect((await direction.get('/contrat/arbre/4')).statusCode).toBe(404);

    const adoption = await direction.post('/contrat/avenants/1/adoption', { adopteLe: '2016-03-01' });
    expect(adoption.statusCode).toBe(303);
    const adopte = await visiteur.get('/contrat/avenants/1');
    expect(adopte.statusCode).toBe(200);
    expect(main(adopte)).toContain('Adopté le 1er mars 2016');
    expect(main(adopte)).not.toContain('Ajouter un élément');

    const contrat = await visiteur.get('/contrat');
    expect(main(contrat)).toContain('Axe 4 — Valeurs de la République et citoyenneté Avenant n° 1');
    expect(main(contrat)).toContain('4 axes');
    expect(main(contrat)).toContain('Avenant n° 1 — Valeurs de la République, adopté le 1er mars 2016');
    const axe = await visiteur.get('/contrat/arbre/4');
    expect(main(axe)).toContain('Ajouté par l’avenant n° 1 (Valeurs de la République)');
    expect(main(axe)).toContain('Avenant n° 1 adopté le 1er mars 2016 Ajout — Valeurs de la République et citoyenneté');

    // Adopted, it is read only.
    await direction.get('/contrat/avenants/1');
    const tard = await direction.post('/contrat/avenants/1/changements', { type: 'retrait', refRetiree: '4' });
    expect(tard.statusCode).toBe(400);
    expect(main(tard)).toContain('Cet avenant est déjà adopté : il ne peut plus changer.');
  });

  it('renames and withdraws items by amendment; a withdrawn item says so and keeps its history', async () => {
    const direction = new TestClient(t.app);
    await direction.signIn('direction@exemple.fr', TEST_PASSWORD);
    await direction.get('/contrat/avenants');
    expect((await direction.post('/contrat/avenants', { titre: 'Révision', objet: 'Un levier retiré, un libellé précisé' })).headers.location).toBe('/contrat/avenants/2');
    await direction.get('/contrat/avenants/2');
    expect((await direction.post('/contrat/avenants/2/changements', { type: 'modification', ref: '1.1.1/P1/OO1/A1', nouveauLibelle: 'Accompagner l’entrée à l’école' })).statusCode).toBe(303);
    expect((await direction.post('/contrat/avenants/2/changements', { type: 'retrait', refRetiree: '1.1.1/P1/OO1/A1/L2' })).statusCode).toBe(303);
    expect((await direction.post('/contrat/avenants/2/adoption', { adopteLe: '2017-01-15' })).statusCode).toBe(303);

    const action = main(await visiteur.get('/contrat/arbre/1.1.1/P1/OO1/A1'));
    expect(action).toContain('Action A1 — Accompagner l’entrée à l’école');
    // The source still names the contract's lines, and says the wording was amended since.
    expect(action).toContain('Contrat de ville, l. 1576-1585 — libellé modifié depuis par l’avenant n° 2 (Révision)');
    expect(action).toMatch(/Avenant n° 2 adopté le 15 janvier 2017 Modification du libellé Accompagner l'entrée à l'école par des passerelles .* Accompagner l’entrée à l’école/);
    expect(action).not.toContain('S\'appuyer sur le PRE');
    const retire = await visiteur.get('/contrat/arbre/1.1.1/P1/OO1/A1/L2');
    expect(retire.statusCode).toBe(200);
    expect(main(retire)).toContain('Cet élément a été retiré du contrat par l’avenant n° 2 (Révision), adopté le 15 janvier 2017.');
    expect(main(retire)).toContain('Retrait S\'appuyer sur le PRE —');
    expect(liens((await visiteur.get('/contrat/arbre/1.1.1')).body)).not.toContain('/contrat/arbre/1.1.1/P1/OO1/A1/L2');
  });
});
