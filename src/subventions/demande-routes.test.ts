import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/app.ts';
import { decodeEntities, tags } from '../../test/html.ts';
import { TestClient } from '../../test/http-client.ts';
import { auditLog } from '../platform/audit/schema.ts';
import { describeEachDatabase } from '../platform/db/testing.ts';
import { organisation } from '../contrat/schema.ts';
import { aujourdhuiParis } from './acces.ts';
import { campagneAap, documentStructure, dossier, financement, financeurAap, structure } from './schema.ts';

// An association fills its request over HTTP: its own files only, drafts that lose nothing typed, a
// submission refused while the budget does not balance or once the campaign is closed, last year's
// request taken up again in the open campaign.

/** Years no real campaign uses, so that the demonstration campaigns of the default never collide. */
const ANNEE_PASSEE = 2098;
const ANNEE = 2099;

const decale = (jours: number) => {
  const d = new Date(`${aujourdhuiParis()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + jours);
  return d.toISOString().slice(0, 10);
};

function mainText(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
  return decodeEntities(main.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}
/** The value of an input or textarea as the page shows it. */
function champ(html: string, name: string): string | undefined {
  const area = new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  if (area) return decodeEntities(area[1]!);
  return tags(html).find((t) => t.name === 'input' && t.attrs.name === name && t.attrs.type !== 'checkbox')?.attrs.value;
}
const location = (res: { headers: Record<string, unknown> }) => String(res.headers.location);

describeEachDatabase('subventions: an association fills and submits its request', (kind) => {
  let t: TestApp;
  const db = () => t.database.db;
  const ids = { asso: '', autre: '', campagne: '', passee: '', etat: '', ville: '', etatPasse: '', qpv: [] as string[], priorites: [] as string[] };

  async function association(nom: string, email: string): Promise<string> {
    const [o] = await db().insert(organisation).values({ contratId: t.contrat.id, nom, type: 'association' }).returning();
    await db().insert(structure).values({ contratId: t.contrat.id, organisationId: o!.id, siret: '73282932000074', adresse: '1 rue de la Goutte d’Or, 75018 Paris' });
    for (const type of ['statuts', 'rib', 'comptes', 'rapport_activite']) {
      await db()
        .insert(documentStructure)
        .values({ contratId: t.contrat.id, organisationId: o!.id, type, nomFichier: `${type}.pdf`, typeMime: 'application/pdf', taille: 4, sha256: 'x', contenu: Buffer.from('%PDF'), valideDu: '2020-01-01', deposePar: email });
    }
    await accountWithRole(t, email, 'association', { kind: 'organisation', ref: o!.id });
    return o!.id;
  }

  async function campagne(annee: number, ouverture: string, cloture: string, territoireIds: string[]): Promise<{ id: string; etat: string; ville: string }> {
    const [c] = await db()
      .insert(campagneAap)
      .values({ contratId: t.contrat.id, annee, titre: `Appel à projets ${annee}`, ouverture, cloture, prioriteRefs: ids.priorites, territoireIds, thematiques: ['Emploi', 'Numérique'] })
      .returning();
    const [etat, ville] = await db()
      .insert(financeurAap)
      .values([
        { contratId: t.contrat.id, campagneId: c!.id, code: 'etat-147', nom: 'État (programme 147)', ordre: 1 },
        { contratId: t.contrat.id, campagneId: c!.id, code: 'ville', nom: 'Ville de Paris', ordre: 2 },
      ])
      .returning();
    return { id: c!.id, etat: etat!.id, ville: ville!.id };
  }

  beforeAll(async () => {
    t = await startTestApp(kind);
    const qpv = (await t.app.ctx.services.territoires.lister(t.contrat.id, 'qpv')).filter((q) => q.geographie === '2015');
    ids.qpv = qpv.slice(0, 3).map((q) => q.id);
    ids.priorites = (await t.app.ctx.services.contrat.parNiveaux(t.contrat.id, ['priorite'])).slice(0, 2).map((p) => p.ref);
    expect(ids.qpv).toHaveLength(3);
    expect(ids.priorites).toHaveLength(2);
    const passee = await campagne(ANNEE_PASSEE, decale(-400), decale(-300), ids.qpv);
    ids.passee = passee.id;
    ids.etatPasse = passee.etat;
    // The open campaign leaves out the third QPV of the past one: a duplicated request loses it.
    const ouverte = await campagne(ANNEE, decale(-10), decale(30), ids.qpv.slice(0, 2));
    Object.assign(ids, { campagne: ouverte.id, etat: ouverte.etat, ville: ouverte.ville });
    ids.asso = await association('Association des Ateliers (test)', 'asso@exemple.fr');
    ids.autre = await association('Autre association (test)', 'autre@exemple.fr');
  });
  afterAll(() => t?.close());

  async function as(email: string): Promise<TestClient> {
    const c = new TestClient(t.app);
    expect((await c.signIn(email, TEST_PASSWORD)).statusCode).toBe(302);
    return c;
  }

  async function nouvelleDemande(c: TestClient, titre: string): Promise<string> {
    await c.get('/mes-dossiers');
    const res = await c.post(`/appels-a-projets/${ANNEE}/demandes`, { titre });
    expect(res.statusCode).toBe(303);
    const id = /\/dossiers\/([0-9a-f-]{36})\/modifier/.exec(location(res))![1]!;
    return id;
  }

  /** Every field of a complete, balanced request: 10 000 € of charges against 4 000 + 5 000 + 1 000 € of produits. */
  function complet(version: string): Record<string, string | string[]> {
    return {
      version,
      titre: 'Ateliers numériques du samedi',
      objectifs: 'Rendre les jeunes autonomes dans leurs démarches en ligne',
      description: 'Deux ateliers par semaine au centre social',
      dateDebut: `${ANNEE}-01-05`,
      dateFin: `${ANNEE}-12-15`,
      lieux: 'Centre social',
      publicNombre: '120',
      publicAges: '16-25 ans',
      publicFemmes: '60',
      publicHommes: '60',
      publicPartQpv: '80',
      publicDescription: 'Jeunes du quartier',
      territoires: [ids.qpv[0]!],
      noeuds: [ids.priorites[0]!],
      thematique: 'Numérique',
      charge60: '3 000,00',
      charge64: '7 000',
      [`financeur-${ids.etat}`]: '4 000',
      [`financeur-${ids.ville}`]: '5 000',
      autre1Libelle: 'Fondation de France',
      autre1Montant: '1 000',
    };
  }
  const version = (html: string) => champ(html, 'version')!;

  it('lists the association’s files and creates a draft in the open campaign', async () => {
    const c = await as('asso@exemple.fr');
    const vide = await c.post(`/appels-a-projets/${ANNEE}/demandes`, { titre: '  ' });
    expect(vide.statusCode).toBe(400);
    expect(mainText(vide.body)).toContain('Donnez un titre au projet pour créer la demande.');
    const id = await nouvelleDemande(c, 'Jardin partagé');
    const page = await c.get(`/dossiers/${id}/modifier`);
    expect(page.statusCode).toBe(200);
    expect(mainText(page.body)).toMatch(new RegExp(`Demande ${ANNEE}-\\d{4} créée`));
    expect(mainText(page.body)).toContain('Ce qui manque pour déposer');
    const liste = await c.get('/mes-dossiers');
    const texte = mainText(liste.body);
    expect(texte).toMatch(new RegExp(`${ANNEE}-\\d{4} Jardin partagé ${ANNEE} Brouillon 0,00`));
    expect(liste.body).toContain(`href="/dossiers/${id}/modifier"`);
    const [d] = await db().select().from(dossier).where(eq(dossier.id, id));
    expect(d).toMatchObject({ statut: 'brouillon', organisationId: ids.asso, campagneId: ids.campagne });
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.objectType, 'dossier'), eq(auditLog.objectId, id)));
    expect(audits.map((a) => a.action)).toEqual(['dossier-creation']);
  });

  it('numbers the drafts of a campaign one after the other, even created at the same moment', async () => {
    const c = await as('asso@exemple.fr');
    const crees = await Promise.all([1, 2, 3, 4].map((i) => nouvelleDemande(c, `Projet simultané ${i}`)));
    const rows = await db().select().from(dossier).where(eq(dossier.campagneId, ids.campagne));
    expect(new Set(rows.map((r) => r.numero)).size).toBe(rows.length);
    expect(crees.every((id) => rows.some((r) => r.id === id))).toBe(true);
  });

  it('refuses another association’s file', async () => {
    const id = await nouvelleDemande(await as('asso@exemple.fr'), 'Projet confidentiel');
    const autre = await as('autre@exemple.fr');
    expect((await autre.get(`/dossiers/${id}/modifier`)).statusCode).toBe(403);
    await autre.get('/mes-dossiers');
    expect((await autre.post(`/dossiers/${id}/deposer`, { version: '1', titre: 'Volé' })).statusCode).toBe(403);
    expect((await autre.post(`/dossiers/${id}/dupliquer`, { annee: String(ANNEE) })).statusCode).toBe(403);
    expect(mainText((await autre.get('/mes-dossiers')).body)).not.toContain('Projet confidentiel');
    const [d] = await db().select().from(dossier).where(eq(dossier.id, id));
    expect(d!.titre).toBe('Projet confidentiel');
  });

  it('saves what parses and keeps an amount that does not, with its error', async () => {
    const c = await as('asso@exemple.fr');
    const id = await nouvelleDemande(c, 'Brouillon');
    const page = await c.get(`/dossiers/${id}/modifier`);
    const res = await c.post(`/dossiers/${id}/modifier`, { ...complet(version(page.body)), charge60: '3 OOO' });
    expect(res.statusCode).toBe(400);
    expect(champ(res.body, 'charge60')).toBe('3 OOO');
    expect(champ(res.body, 'objectifs')).toBe('Rendre les jeunes autonomes dans leurs démarches en ligne');
    expect(mainText(res.body)).toContain('Charges, 60 Achats : Saisissez un montant en euros, par exemple 12 500,50.');
    const [d] = await db().select().from(dossier).where(eq(dossier.id, id));
    expect(d!.titre).toBe('Ateliers numériques du samedi');
    expect(d!.charges).toEqual([{ compte: '64', libelle: 'Charges de personnel', montantCentimes: 700_000 }]);
    const lignes = await db().select().from(financement).where(eq(financement.dossierId, id));
    expect(lignes.map((l) => [l.financeurId, l.demandeCentimes]).sort()).toEqual(
      [
        [ids.etat, 400_000],
        [ids.ville, 500_000],
        [null, 100_000],
      ].sort(),
    );
    // The live totals are those saved: 7 000 € of charges against 10 000 € of produits.
    expect(mainText(res.body)).toMatch(/Total des charges 7 000,00 € Total des produits 10 000,00 €/);
  });

  it('refuses to submit an unbalanced budget, showing the gap, and loses nothing typed', async () => {
    const c = await as('asso@exemple.fr');
    const id = await nouvelleDemande(c, 'Déséquilibré');
    const page = await c.get(`/dossiers/${id}/modifier`);
    const res = await c.post(`/dossiers/${id}/deposer`, { ...complet(version(page.body)), charge64: '8 000' });
    expect(res.statusCode).toBe(400);
    const texte = mainText(res.body);
    expect(texte).toContain('La demande n’a pas été déposée');
    expect(texte).toContain('Le budget n’est pas équilibré : les charges font 11 000,00 €, les produits 10 000,00 € (écart de 1 000,00 €).');
    expect(champ(res.body, 'charge64')).toBe('8 000');
    expect(champ(res.body, 'autre1Libelle')).toBe('Fondation de France');
    const [d] = await db().select().from(dossier).where(eq(dossier.id, id));
    expect(d).toMatchObject({ statut: 'brouillon', titre: 'Ateliers numériques du samedi', deposeLe: null });
    expect(d!.charges.find((l) => l.compte === '64')!.montantCentimes).toBe(800_000);
  });

  it('submits a complete request, which then no longer changes', async () => {
    const c = await as('asso@exemple.fr');
    const id = await nouvelleDemande(c, 'Complet');
    const page = await c.get(`/dossiers/${id}/modifier`);
    const res = await c.post(`/dossiers/${id}/deposer`, complet(version(page.body)));
    expect(res.statusCode).toBe(303);
    expect(location(res)).toBe(`/dossiers/${id}`);
    const [d] = await db().select().from(dossier).where(eq(dossier.id, id));
    expect(d!.statut).toBe('depose');
    expect(d!.deposeLe).toBeInstanceOf(Date);
    const apres = await c.get(`/dossiers/${id}/modifier`);
    expect(apres.statusCode).toBe(409);
    expect(mainText(apres.body)).toContain('Cette demande ne se modifie plus');
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.objectType, 'dossier'), eq(auditLog.objectId, id)));
    expect(audits.map((a) => a.action).sort()).toEqual(['dossier-creation', 'dossier-deposer', 'dossier-enregistrement']);
  });

  it('refuses a save made from an outdated page, keeping what was typed', async () => {
    const c = await as('asso@exemple.fr');
    const id = await nouvelleDemande(c, 'Conflit');
    const page = await c.get(`/dossiers/${id}/modifier`);
    const v = version(page.body);
    expect((await c.post(`/dossiers/${id}/modifier`, { ...complet(v), titre: 'Premier onglet' })).statusCode).toBe(303);
    const res = await c.post(`/dossiers/${id}/modifier`, { ...complet(v), titre: 'Second onglet' });
    expect(res.statusCode).toBe(409);
    expect(champ(res.body, 'titre')).toBe('Second onglet');
    expect(Number(version(res.body))).toBe(Number(v) + 1);
    const [d] = await db().select().from(dossier).where(eq(dossier.id, id));
    expect(d!.titre).toBe('Premier onglet');
  });

  it('refuses a submission once the campaign is closed, keeping the draft', async () => {
    const c = await as('asso@exemple.fr');
    const id = await nouvelleDemande(c, 'Trop tard');
    const page = await c.get(`/dossiers/${id}/modifier`);
    await db().update(campagneAap).set({ cloture: decale(-1) }).where(eq(campagneAap.id, ids.campagne));
    try {
      const res = await c.post(`/dossiers/${id}/deposer`, complet(version(page.body)));
      expect(res.statusCode).toBe(400);
      expect(mainText(res.body)).toContain(`l’appel à projets ${ANNEE} est clos`);
      const [d] = await db().select().from(dossier).where(eq(dossier.id, id));
      expect(d).toMatchObject({ statut: 'brouillon', titre: 'Ateliers numériques du samedi' });
    } finally {
      await db().update(campagneAap).set({ cloture: decale(30) }).where(eq(campagneAap.id, ids.campagne));
    }
  });

  it('sends a complement asked by the instructors after the closing day', async () => {
    const c = await as('asso@exemple.fr');
    const id = await nouvelleDemande(c, 'Complément');
    const page = await c.get(`/dossiers/${id}/modifier`);
    expect((await c.post(`/dossiers/${id}/modifier`, complet(version(page.body)))).statusCode).toBe(303);
    await db().update(dossier).set({ statut: 'complement_demande' }).where(eq(dossier.id, id));
    await db().update(campagneAap).set({ cloture: decale(-1) }).where(eq(campagneAap.id, ids.campagne));
    try {
      const formulaire = await c.get(`/dossiers/${id}/modifier`);
      expect(mainText(formulaire.body)).toContain('Envoyer le complément');
      const res = await c.post(`/dossiers/${id}/deposer`, { ...complet(version(formulaire.body)), lieux: 'Centre social et médiathèque' });
      expect(res.statusCode).toBe(303);
      const [d] = await db().select().from(dossier).where(eq(dossier.id, id));
      expect(d).toMatchObject({ statut: 'en_instruction', lieux: 'Centre social et médiathèque' });
    } finally {
      await db().update(campagneAap).set({ cloture: decale(30) }).where(eq(campagneAap.id, ids.campagne));
    }
  });

  it('takes last year’s request up again in the open campaign, saying what was not carried over', async () => {
    const [source] = await db()
      .insert(dossier)
      .values({
        contratId: t.contrat.id,
        campagneId: ids.passee,
        organisationId: ids.asso,
        numero: 1,
        statut: 'accepte',
        titre: 'Ateliers de l’an passé',
        objectifs: 'Les mêmes',
        dateDebut: `${ANNEE_PASSEE}-02-01`,
        dateFin: `${ANNEE_PASSEE}-06-30`,
        public: { nombre: 50, ages: '6-11 ans', femmes: null, hommes: null, partQpv: 90, description: 'Enfants' },
        territoireIds: [ids.qpv[0]!, ids.qpv[2]!],
        noeudRefs: [ids.priorites[0]!],
        charges: [{ compte: '60', libelle: 'Achats', montantCentimes: 200_000 }],
        creePar: 'asso@exemple.fr',
      })
      .returning();
    await db().insert(financement).values({ contratId: t.contrat.id, dossierId: source!.id, financeurId: ids.etatPasse, libelle: 'État', demandeCentimes: 200_000, accordeCentimes: 150_000 });
    const c = await as('asso@exemple.fr');
    const liste = await c.get('/mes-dossiers');
    expect(mainText(liste.body)).toContain(`Reprendre cette demande pour ${ANNEE} : Ateliers de l’an passé`);
    const res = await c.post(`/dossiers/${source!.id}/dupliquer`, { annee: String(ANNEE) });
    expect(res.statusCode).toBe(303);
    const id = /\/dossiers\/([0-9a-f-]{36})\/modifier/.exec(location(res))![1]!;
    const page = await c.get(location(res));
    const texte = mainText(page.body);
    expect(texte).toContain(`à partir de la demande ${ANNEE_PASSEE}-0001`);
    expect(texte).toMatch(/Non repris : le quartier .+ \(QP\w+\), qui n’est pas dans l’appel 2099/);
    const [d] = await db().select().from(dossier).where(eq(dossier.id, id));
    expect(d).toMatchObject({ campagneId: ids.campagne, statut: 'brouillon', titre: 'Ateliers de l’an passé', dupliqueDeId: source!.id, territoireIds: [ids.qpv[0]], dateDebut: `${ANNEE}-02-01` });
    const lignes = await db().select().from(financement).where(eq(financement.dossierId, id));
    expect(lignes).toMatchObject([{ financeurId: ids.etat, demandeCentimes: 200_000, accordeCentimes: null }]);
    expect(champ(page.body, `financeur-${ids.etat}`)).toBe('2 000,00');
    // Taken up once: the list shows the copy instead of offering it again.
    const apres = mainText((await c.get('/mes-dossiers')).body);
    expect(apres).not.toContain(`Reprendre cette demande pour ${ANNEE} : Ateliers de l’an passé`);
    expect(apres).toContain(`Ateliers de l’an passé : déjà reprise pour ${ANNEE} dans la demande ${ANNEE}-`);
    // Posted again (an old tab), it leads to the copy instead of making a second one.
    const encore = await c.post(`/dossiers/${source!.id}/dupliquer`, { annee: String(ANNEE) });
    expect(location(encore)).toBe(`/dossiers/${id}`);
    expect(await db().select().from(dossier).where(eq(dossier.dupliqueDeId, source!.id))).toHaveLength(1);
  });
});
