import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/app.ts';
import { decodeEntities, tags, textOf } from '../../test/html.ts';
import { TestClient } from '../../test/http-client.ts';
import { auditLog } from '../platform/audit/schema.ts';
import { describeEachDatabase } from '../platform/db/testing.ts';
import { organisation } from '../contrat/schema.ts';
import { aujourdhuiParis } from './acces.ts';
import { campagneAap, dossier, financement, financeurAap, groupeInstruction } from './schema.ts';

// The direction de projet creates a call for projects and configures it over HTTP; everybody reads it.

function mainText(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
  return decodeEntities(main.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}
/** The value of a text field as the page shows it, or of a textarea. */
function valeur(html: string, name: string): string | undefined {
  const area = new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  if (area) return decodeEntities(area[1]!);
  return tags(html).find((t) => t.name === 'input' && t.attrs.name === name)?.attrs.value;
}
const cochees = (html: string, name: string) => tags(html).filter((t) => t.name === 'input' && t.attrs.name === name && 'checked' in t.attrs).map((t) => t.attrs.value);

/** A day relative to today in Paris, AAAA-MM-JJ. */
function jour(decalage: number): string {
  const d = new Date(`${aujourdhuiParis()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + decalage);
  return d.toISOString().slice(0, 10);
}

describeEachDatabase('subventions: the campaigns of the call for projects', (kind) => {
  let t: TestApp;
  const db = () => t.database.db;
  let annee: number;
  /** The campaign these tests create (the default contract also ships a demonstration one). */
  const la = async () => (await db().select().from(campagneAap).where(eq(campagneAap.annee, annee)))[0];

  beforeAll(async () => {
    t = await startTestApp(kind);
    await accountWithRole(t, 'direction@exemple.fr', 'direction_projet');
    await accountWithRole(t, 'agent@exemple.fr', 'agent_territorial', { kind: 'territoire', ref: (await t.app.ctx.services.territoires.lister(t.contrat.id, 'qpv'))[0]!.id });
    // A year no demonstration campaign of the default contract takes.
    annee = Math.max(Number(aujourdhuiParis().slice(0, 4)), ...(await db().select().from(campagneAap)).map((c) => c.annee)) + 1;
  });
  afterAll(() => t?.close());

  async function as(email: string): Promise<TestClient> {
    const c = new TestClient(t.app);
    expect((await c.signIn(email, TEST_PASSWORD)).statusCode).toBe(302);
    return c;
  }

  it('refuses bad dates with every typed value kept, then creates the campaign, audited, and lists it for everybody', async () => {
    const d = await as('direction@exemple.fr');
    expect((await d.get('/appels-a-projets/nouvelle')).statusCode).toBe(200);
    const saisie = { annee: String(annee), titre: 'Appel à projets politique de la ville', ouverture: jour(10), cloture: jour(5), presentation: 'Des actions pour les habitants.' };
    const refus = await d.post('/appels-a-projets/nouvelle', saisie);
    expect(refus.statusCode).toBe(400);
    expect(mainText(refus.body)).toContain('Clôture des dépôts : La clôture des dépôts doit être le jour de l’ouverture ou après.');
    for (const [k, v] of Object.entries(saisie)) expect(valeur(refus.body, k)).toBe(v);
    expect(await la()).toBeUndefined();

    const cree = await d.post('/appels-a-projets/nouvelle', { ...saisie, ouverture: jour(-5), cloture: jour(30) });
    expect(cree.statusCode).toBe(303);
    expect(cree.headers.location).toBe(`/appels-a-projets/${annee}/configuration`);
    const c = await la();
    expect(c).toMatchObject({ annee, titre: saisie.titre, ouverture: jour(-5), cloture: jour(30), version: 1 });
    const journal = await db().select().from(auditLog).where(and(eq(auditLog.objectType, 'campagne_aap'), eq(auditLog.objectId, c!.id)));
    expect(journal.map((a) => [a.action, a.actorLabel])).toEqual([['creation', 'direction@exemple.fr']]);

    // The same year twice is refused on the year's field.
    const double = await d.post('/appels-a-projets/nouvelle', { ...saisie, ouverture: jour(-5), cloture: jour(30) });
    expect(double.statusCode).toBe(400);
    expect(mainText(double.body)).toContain(`Un appel à projets existe déjà pour ${annee}`);

    const publique = new TestClient(t.app);
    const liste = await publique.get('/appels-a-projets');
    expect(liste.statusCode).toBe(200);
    expect(mainText(liste.body)).toContain(`${annee} ${saisie.titre} du`);
    expect(mainText(liste.body)).toContain('Ouverte aux demandes');
    expect(liste.body).not.toContain('Nouvel appel à projets');
    expect(tags((await d.get('/appels-a-projets')).body).some((x) => x.name === 'a' && x.attrs.href === '/appels-a-projets/nouvelle')).toBe(true);
  });

  it('keeps the configuration to the direction: others get 403, visitors are sent to sign in', async () => {
    const agent = await as('agent@exemple.fr');
    expect((await agent.get(`/appels-a-projets/${annee}/configuration`)).statusCode).toBe(403);
    expect((await agent.post(`/appels-a-projets/${annee}/configuration/thematiques`, { thematiques: 'Sport', version: '1' })).statusCode).toBe(403);
    expect((await agent.get('/appels-a-projets/nouvelle')).statusCode).toBe(403);
    const visiteur = await new TestClient(t.app).get(`/appels-a-projets/${annee}/configuration`);
    expect(visiteur.statusCode).toBe(302);
    expect(visiteur.headers.location).toMatch(/^\/connexion/);
    expect((await la())!.thematiques).toEqual([]);
  });

  it('configures priorities, territories, themes, funders and a team, which the public page then shows', async () => {
    const d = await as('direction@exemple.fr');
    const config = await d.get(`/appels-a-projets/${annee}/configuration`);
    expect(config.statusCode).toBe(200);
    const c = await la();
    const qpv = (await t.app.ctx.services.territoires.lister(t.contrat.id, 'qpv')).find((x) => x.code === 'QP075012')!;
    const qva = (await t.app.ctx.services.territoires.lister(t.contrat.id, 'qva'))[0]!;

    expect((await d.post(`/appels-a-projets/${annee}/configuration/priorites`, { version: String(c!.version), priorites: ['2.1.1/P1', '1.1.1/P2'] })).statusCode).toBe(303);
    let v = (await la())!;
    expect(v.prioriteRefs).toEqual(['1.1.1/P2', '2.1.1/P1']);
    expect((await d.post(`/appels-a-projets/${annee}/configuration/territoires`, { version: String(v.version), territoires: [qpv.id, qva.id] })).statusCode).toBe(303);
    v = (await la())!;
    expect((await d.post(`/appels-a-projets/${annee}/configuration/thematiques`, { version: String(v.version), thematiques: 'Éducation\n\nSanté\nÉducation' })).statusCode).toBe(303);

    // A wrong SIRET and an amount that is not one: both named, the typed values kept.
    const mauvais = { code: 'etat-p147', nom: 'État — programme 147', service: 'Préfecture de Paris', siret: '12345678901234', enveloppe: 'beaucoup' };
    const refus = await d.post(`/appels-a-projets/${annee}/configuration/financeurs`, mauvais);
    expect(refus.statusCode).toBe(400);
    expect(mainText(refus.body)).toMatch(/SIRET : .*clé de contrôle|SIRET : Les 9 premiers chiffres/);
    expect(mainText(refus.body)).toContain('Enveloppe (en euros) : Saisissez l’enveloppe en euros');
    expect(valeur(refus.body, 'nom')).toBe(mauvais.nom);
    expect(valeur(refus.body, 'enveloppe')).toBe('beaucoup');

    expect((await d.post(`/appels-a-projets/${annee}/configuration/financeurs`, { ...mauvais, siret: '', enveloppe: '1 500 000' })).statusCode).toBe(303);
    expect((await d.post(`/appels-a-projets/${annee}/configuration/financeurs`, { code: 'ville', nom: 'Ville de Paris', service: 'DDCT', siret: '', enveloppe: '2 250 000,50' })).statusCode).toBe(303);
    const pris = await d.post(`/appels-a-projets/${annee}/configuration/financeurs`, { code: 'ville', nom: 'Autre', service: '', siret: '', enveloppe: '1' });
    expect(pris.statusCode).toBe(400);
    expect(mainText(pris.body)).toContain('Ce code est déjà celui d’un autre financeur');

    // A team needs territories among the eligible ones.
    const sansTerritoire = await d.post(`/appels-a-projets/${annee}/configuration/groupes`, { nomGroupe: 'Équipe Nord', membres: 'Jeanne Martin, cheffe de projet' });
    expect(sansTerritoire.statusCode).toBe(400);
    expect(valeur(sansTerritoire.body, 'nomGroupe')).toBe('Équipe Nord');
    expect((await d.post(`/appels-a-projets/${annee}/configuration/groupes`, { nomGroupe: 'Équipe Nord', territoiresGroupe: qpv.id, membres: 'Jeanne Martin, cheffe de projet\nPaul Durand, délégué du préfet' })).statusCode).toBe(303);

    const page = await new TestClient(t.app).get(`/appels-a-projets/${annee}`);
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body, 'h1')).toBe('Appel à projets politique de la ville');
    // (mainText turns the amounts' no-break spaces into plain ones.)
    const texte = mainText(page.body);
    expect(texte).toContain('Ouverte aux demandes');
    expect(texte).toContain('Axe 1 — Accompagner les parcours et prévenir les ruptures Priorité 2 de l’objectif 1.1.1 : Mobiliser et remobiliser');
    expect(page.body).toContain('href="/contrat/arbre/2.1.1/P1"');
    expect(texte).toContain("Goutte d'Or (QP075012)");
    expect(texte).toContain(`${qva.nom} (${qva.code})`);
    expect(texte).toContain('Thématiques Éducation Santé');
    expect(texte).toContain('État — programme 147 Préfecture de Paris 1 500 000,00 €');
    expect(texte).toContain('Ville de Paris DDCT 2 250 000,50 €');
    expect(texte).toContain('Total 3 750 000,50 €');
    expect(texte).toContain("Équipe Nord Goutte d'Or (QP075012) Jeanne Martin, cheffe de projet Paul Durand, délégué du préfet");
    // A visitor is invited to sign the association up; the open-data file is linked.
    expect(tags(page.body).some((x) => x.name === 'a' && x.attrs.href === '/inscription/association')).toBe(true);
    expect(tags(page.body).some((x) => x.name === 'a' && x.attrs.href === `/appels-a-projets/${annee}/subventions.csv`)).toBe(true);

    const journal = await db().select().from(auditLog).where(eq(auditLog.actorLabel, 'direction@exemple.fr')).orderBy(asc(auditLog.id));
    expect(journal.filter((a) => a.objectType !== 'session').map((a) => [a.action, a.objectType])).toEqual([
      ['creation', 'campagne_aap'],
      ['modification', 'campagne_aap'],
      ['modification', 'campagne_aap'],
      ['modification', 'campagne_aap'],
      ['creation', 'financeur_aap'],
      ['creation', 'financeur_aap'],
      ['creation', 'groupe_instruction'],
    ]);
  });

  it('refuses a general save made from an outdated page (409), keeping what was typed', async () => {
    const d = await as('direction@exemple.fr');
    const avant = (await la())!;
    const perime = { version: String(avant.version - 1), titre: 'Titre saisi sur une page périmée', ouverture: avant.ouverture, cloture: avant.cloture, presentation: 'Texte périmé' };
    const r = await d.post(`/appels-a-projets/${annee}/configuration/general`, perime);
    expect(r.statusCode).toBe(409);
    expect(mainText(r.body)).toContain('modifié par quelqu’un d’autre depuis que vous avez ouvert la page');
    expect(valeur(r.body, 'titre')).toBe(perime.titre);
    expect(valeur(r.body, 'presentation')).toBe(perime.presentation);
    expect(valeur(r.body, 'version')).toBe(String(avant.version));
    expect((await la())).toEqual(avant);

    // Saved again from that page (it now carries the current version), it goes through.
    expect((await d.post(`/appels-a-projets/${annee}/configuration/general`, { ...perime, version: String(avant.version) })).statusCode).toBe(303);
    expect((await la())!.titre).toBe(perime.titre);
    // The page shows the priorities as saved, ticked.
    const page = await d.get(`/appels-a-projets/${annee}/configuration`);
    expect(cochees(page.body, 'priorites')).toEqual(['1.1.1/P2', '2.1.1/P1']);
  });

  it('shows each person the way in that fits them, and marks the demonstration campaigns', async () => {
    const org = (await t.app.ctx.scopes.organisation(db(), t.contrat.id))[0]!.id;
    await accountWithRole(t, 'asso@exemple.fr', 'association', { kind: 'organisation', ref: org });
    const liens = (html: string) => tags(html).filter((x) => x.name === 'a').map((x) => x.attrs.href);
    const travail = [`/appels-a-projets/${annee}/dossiers`, `/appels-a-projets/${annee}/programmation`];

    const asso = await as('asso@exemple.fr');
    expect(liens((await asso.get('/appels-a-projets')).body)).toContain('/mes-dossiers');
    const pageAsso = await asso.get(`/appels-a-projets/${annee}`);
    expect(mainText(pageAsso.body)).toContain('Déposer une demande');
    expect(liens(pageAsso.body)).toContain('/mes-dossiers');
    expect(liens(pageAsso.body)).not.toContain('/inscription/association');
    expect(liens(pageAsso.body)).not.toContain(travail[0]);

    const agent = await as('agent@exemple.fr');
    const listeAgent = liens((await agent.get('/appels-a-projets')).body);
    expect(listeAgent).toContain(travail[0]);
    expect(listeAgent).not.toContain(travail[1]);
    expect(liens((await (await as('direction@exemple.fr')).get('/appels-a-projets')).body)).toEqual(expect.arrayContaining([...travail, `/appels-a-projets/${annee}`]));

    // The default contract ships demonstration campaigns: the list says so on each of their rows.
    const demos = (await db().select().from(campagneAap)).filter((c) => c.demonstration);
    const liste = await new TestClient(t.app).get('/appels-a-projets');
    expect(demos.length).toBeGreaterThan(0);
    for (const c of demos) expect(mainText(liste.body)).toContain(`${c.annee} ${c.titre} démonstration`);
    expect(mainText((await new TestClient(t.app).get(`/appels-a-projets/${demos[0]!.annee}`)).body)).toContain('Appel à projets de démonstration');
  });

  it('changes a funder and a team, and refuses to remove a funder a file relies on', async () => {
    const d = await as('direction@exemple.fr');
    const c = (await la())!;
    const [etat, ville] = await db().select().from(financeurAap).where(eq(financeurAap.campagneId, c.id)).orderBy(asc(financeurAap.ordre));
    const edition = await d.get(`/appels-a-projets/${annee}/configuration/financeurs/${ville!.id}`);
    expect(valeur(edition.body, 'enveloppe')).toBe('2\u00a0250\u00a0000,50\u00a0€');
    expect((await d.post(`/appels-a-projets/${annee}/configuration/financeurs/${ville!.id}`, { code: 'ville', nom: 'Ville de Paris', service: 'DDCT — SPV', siret: '', enveloppe: '2 000 000' })).statusCode).toBe(303);
    expect((await db().select().from(financeurAap).where(eq(financeurAap.id, ville!.id)))[0]).toMatchObject({ serviceInstructeur: 'DDCT — SPV', enveloppeCentimes: 200_000_000 });

    const [asso] = await db().insert(organisation).values({ contratId: t.contrat.id, nom: 'Association des tests', type: 'association' }).returning();
    const [f] = await db()
      .insert(dossier)
      .values({ contratId: t.contrat.id, campagneId: c.id, organisationId: asso!.id, numero: 9001, titre: 'Un projet', public: { nombre: null, ages: '', femmes: null, hommes: null, partQpv: null, description: '' }, creePar: 'test' })
      .returning();
    await db().insert(financement).values({ contratId: t.contrat.id, dossierId: f!.id, financeurId: etat!.id, libelle: 'État', demandeCentimes: 100_000 });
    const refus = await d.post(`/appels-a-projets/${annee}/configuration/financeurs/${etat!.id}/retirer`, {});
    expect(refus.statusCode).toBe(409);
    expect(mainText(refus.body)).toContain('Le financeur « État — programme 147 » ne peut pas être retiré');
    expect(await db().select().from(financeurAap).where(eq(financeurAap.campagneId, c.id))).toHaveLength(2);

    const [g] = await db().select().from(groupeInstruction).where(eq(groupeInstruction.campagneId, c.id));
    expect((await d.post(`/appels-a-projets/${annee}/configuration/groupes/${g!.id}/retirer`, {})).statusCode).toBe(303);
    expect(await db().select().from(groupeInstruction).where(eq(groupeInstruction.campagneId, c.id))).toEqual([]);
    const retraits = await db().select().from(auditLog).where(and(eq(auditLog.action, 'retrait'), eq(auditLog.actorLabel, 'direction@exemple.fr')));
    expect(retraits.map((a) => [a.objectType, a.objectId])).toEqual([['groupe_instruction', g!.id]]);
  });
});
