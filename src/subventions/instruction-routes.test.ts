import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/app.ts';
import { decodeEntities, tags, textOf } from '../../test/html.ts';
import { TestClient } from '../../test/http-client.ts';
import { creerAssociation, creerCampagne, creerDossier, type CampagneInstruction } from '../../test/instruction-dossier.ts';
import { auditLog } from '../platform/audit/schema.ts';
import { describeEachDatabase } from '../platform/db/testing.ts';
import { contrat } from '../platform/tenancy/schema.ts';
import { dossier, financement, groupeInstruction, messageDossier } from './schema.ts';

// THE page of a file and the instruction over HTTP, on the default contract: the team of the file's
// arrondissement instructs it, another one may not; the association reads its file without anything
// private; a request for a correction and its answer; a step taken from an outdated page; the list.

function mainText(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
  return decodeEntities(main.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}
/** The body rows of the table with that caption, each as its cells' text. */
function rows(html: string, caption: RegExp): string[][] {
  const table = [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((m) => m[1]!).find((t) => caption.test(textOf(t, 'caption') ?? ''));
  if (!table) return [];
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => mainText(`<main>${c[1]!}</main>`)));
}
/** Where the forms of the page about the file post (the header's sign-out form left out). */
const actions = (html: string) => tags(html).filter((x) => x.name === 'form' && !x.closing && x.attrs.action?.startsWith('/dossiers/')).map((x) => x.attrs.action);
const textarea = (html: string, id: string) => decodeEntities(new RegExp(`<textarea[^>]*id="champ-${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1] ?? '');
const version = (html: string) => tags(html).find((x) => x.name === 'input' && x.attrs.name === 'version')?.attrs.value ?? '';

describeEachDatabase('instruction of a file', (kind) => {
  let t: TestApp;
  let c: CampagneInstruction;
  let asso: string;
  let id: string;
  let goutteDor: string;
  let arr18: string;
  let arr19: string;
  const annee = 2026;
  const db = () => t.database.db;
  const audit = (objectId: string) => db().select().from(auditLog).where(and(eq(auditLog.objectType, 'dossier'), eq(auditLog.objectId, objectId))).orderBy(asc(auditLog.id));

  beforeAll(async () => {
    t = await startTestApp(kind);
    const contratId = t.contrat.id;
    const qpv = await t.app.ctx.services.territoires.lister(contratId, 'qpv');
    const arr = await t.app.ctx.services.territoires.lister(contratId, 'arrondissement');
    goutteDor = qpv.find((q) => q.code === 'QP075012' && q.geographie === '2015')!.id;
    arr18 = arr.find((a) => a.code === '75118')!.id;
    arr19 = arr.find((a) => a.code === '75119')!.id;
    const [priorite] = await t.app.ctx.services.contrat.parNiveaux(contratId, ['priorite']);
    // A submitted file is complete: it serves one of its campaign's priorities.
    c = await creerCampagne(db(), contratId, annee, [goutteDor], [priorite!.ref]);
    await db().insert(groupeInstruction).values({ contratId, campagneId: c.id, nom: 'Équipe Nord (18e)', territoireIds: [goutteDor] });
    asso = await creerAssociation(db(), contratId, 'Lire à la Goutte', true);
    const autre = await creerAssociation(db(), contratId, 'Autre association');
    id = await creerDossier(db(), contratId, c, { organisationId: asso, titre: 'Ateliers de lecture', territoireIds: [goutteDor], noeudRefs: [priorite!.ref] });
    await accountWithRole(t, 'agent18@exemple.fr', 'agent_territorial', { kind: 'territoire', ref: arr18 });
    await accountWithRole(t, 'agent19@exemple.fr', 'agent_territorial', { kind: 'territoire', ref: arr19 });
    await accountWithRole(t, 'direction@exemple.fr', 'direction_projet');
    await accountWithRole(t, 'asso@exemple.fr', 'association', { kind: 'organisation', ref: asso });
    await accountWithRole(t, 'autre@exemple.fr', 'association', { kind: 'organisation', ref: autre });
  });
  afterAll(() => t?.close());

  async function as(email: string): Promise<TestClient> {
    const client = new TestClient(t.app);
    expect((await client.signIn(email, TEST_PASSWORD)).statusCode).toBe(302);
    return client;
  }

  describe('who opens the file', () => {
    it('shows the agent of the file’s arrondissement the whole file, with what instruction needs', async () => {
      const agent = await as('agent18@exemple.fr');
      const res = await agent.get(`/dossiers/${id}`);
      expect(res.statusCode).toBe(200);
      const [d] = await db().select().from(dossier).where(eq(dossier.id, id));
      const reference = `${annee}-${String(d!.numero).padStart(4, '0')}`;
      expect(textOf(res.body, 'h1')).toBe(`Dossier ${reference} — Ateliers de lecture`);
      const text = mainText(res.body);
      expect(text).toContain('Statut Déposé Association Lire à la Goutte fictive');
      // The file goes to the team whose territories include its QPV.
      expect(text).toContain('Équipe d’instruction Équipe Nord (18e)');
      expect(res.body).toContain(`href="/appels-a-projets/${annee}"`);
      expect(text).toContain('Quartiers Goutte d\'Or');
      expect(tags(res.body).some((x) => x.name === 'a' && x.attrs.href?.startsWith('/contrat/arbre/'))).toBe(true);
      // produits = other resources + each co-funder's line as account 74; the budget balances.
      expect(rows(res.body, /^Produits du projet$/)).toEqual([
        ['70', 'Participation des familles', '1 000,00 €'],
        ['87', 'Bénévolat', '500,00 €'],
        ['74', 'État (programme 147)', '5 000,00 €'],
        ['74', 'Ville de Paris', '3 000,00 €'],
        ['74', 'CAF de Paris', '1 000,00 €'],
      ]);
      expect(text).toContain('Le budget est équilibré : 10 000,00 € de charges et autant de produits.');
      expect(rows(res.body, /^Financements demandés$/)[0]).toEqual(['État (programme 147)', '5 000,00 €', 'non renseigné']);
      // The statuts valid on the day of submission, not the RIB that expired in 2016.
      expect(text).toContain('Statuts en vigueur, datés et signés (statuts.pdf)');
      expect(text).not.toContain('ancien-rib.pdf');
      for (const h of ['Avis par financeur', 'Annotations privées', 'Étapes', 'Échanges', 'Historique']) expect(text).toContain(h);
      expect(actions(res.body)).toEqual(expect.arrayContaining([`/dossiers/${id}/avis`, `/dossiers/${id}/annotations`, `/dossiers/${id}/etapes/instruire`, `/dossiers/${id}/messages`]));
      // Starting the instruction is the only step an agent may take on a submitted file.
      expect(actions(res.body).filter((a) => a?.includes('/etapes/'))).toEqual([`/dossiers/${id}/etapes/instruire`]);
    });

    it('refuses the file to an agent of another arrondissement and to another association, hides another contract’s', async () => {
      expect((await (await as('agent19@exemple.fr')).get(`/dossiers/${id}`)).statusCode).toBe(403);
      expect((await (await as('autre@exemple.fr')).get(`/dossiers/${id}`)).statusCode).toBe(403);
      const agent19 = await as('agent19@exemple.fr');
      expect((await agent19.post(`/dossiers/${id}/annotations`, { texte: 'Intrusion' })).statusCode).toBe(403);
      const anonyme = await new TestClient(t.app).get(`/dossiers/${id}`);
      expect(anonyme.statusCode).toBe(302);
      expect(anonyme.headers.location).toBe(`/connexion?retour=${encodeURIComponent(`/dossiers/${id}`)}`);

      const [ailleurs] = await db().insert(contrat).values({ slug: `ailleurs-${kind}`, nom: 'Contrat de Lyon', territoire: 'Lyon', debut: '2015-01-01', fin: '2020-12-31' }).returning();
      const c2 = await creerCampagne(db(), ailleurs!.id, annee, []);
      const asso2 = await creerAssociation(db(), ailleurs!.id, 'Association lyonnaise');
      const autreContrat = await creerDossier(db(), ailleurs!.id, c2, { organisationId: asso2, titre: 'Projet lyonnais', territoireIds: [] });
      const direction = await as('direction@exemple.fr');
      expect((await direction.get(`/dossiers/${autreContrat}`)).statusCode).toBe(404);
      expect((await direction.get('/dossiers/pas-un-identifiant')).statusCode).toBe(404);
    });
  });

  describe('the instruction, from both sides', () => {
    it('keeps opinions, proposed amounts and annotations from the association, and audits each', async () => {
      const agent = await as('agent18@exemple.fr');
      await agent.get(`/dossiers/${id}`);
      // A wrong amount: the page comes back with the message, what was typed kept.
      const faux = await agent.post(`/dossiers/${id}/avis`, { financeur: c.etat, avis: 'favorable', propose: 'beaucoup', commentaire: 'Projet solide, équipe aguerrie' });
      expect(faux.statusCode).toBe(400);
      expect(mainText(faux.body)).toContain('Montant proposé : Saisissez un montant en euros, par exemple 4 500 ou 4 500,50.');
      expect(textarea(faux.body, `avis-${c.etat}-commentaire`)).toBe('Projet solide, équipe aguerrie');
      expect(faux.body).toContain('value="beaucoup"');

      const ok = await agent.post(`/dossiers/${id}/avis`, { financeur: c.etat, avis: 'favorable', propose: '4 321', commentaire: 'Projet solide, équipe aguerrie' });
      expect(ok.statusCode).toBe(303);
      expect(mainText((await agent.get(ok.headers.location as string)).body)).toContain('Avis enregistré pour État (programme 147).');
      const [ligne] = await db().select().from(financement).where(and(eq(financement.dossierId, id), eq(financement.financeurId, c.etat)));
      expect(ligne!.proposeCentimes).toBe(432_100);
      expect((await agent.post(`/dossiers/${id}/annotations`, { texte: 'Le trésorier est aussi salarié : à vérifier.' })).statusCode).toBe(303);

      const vu = await agent.get(`/dossiers/${id}`);
      const text = mainText(vu.body);
      expect(text).toContain('Annotation ajoutée.');
      expect(text).toContain('Avis Favorable Montant proposé 4 321,00 € Commentaire Projet solide, équipe aguerrie Donné par agent18@exemple.fr');
      expect(text).toContain('Le trésorier est aussi salarié : à vérifier.');

      const association = await as('asso@exemple.fr');
      const page = await association.get(`/dossiers/${id}`);
      expect(page.statusCode).toBe(200);
      const sienne = mainText(page.body);
      expect(sienne).toContain('Ateliers de lecture');
      for (const prive of ['Annotations privées', 'Le trésorier est aussi salarié', 'Avis par financeur', 'Favorable', 'Projet solide', '4 321,00', 'Proposé']) expect(sienne).not.toContain(prive);
      expect(rows(page.body, /^Financements demandés$/)[0]).toEqual(['État (programme 147)', '5 000,00 €']);
      expect(actions(page.body)).toEqual([`/dossiers/${id}/messages`]);
      expect((await association.post(`/dossiers/${id}/annotations`, { texte: 'x' })).statusCode).toBe(403);
      expect((await association.post(`/dossiers/${id}/avis`, { financeur: c.etat, avis: 'favorable' })).statusCode).toBe(403);
      expect((await association.post(`/dossiers/${id}/etapes/instruire`, { version: version(page.body) })).statusCode).toBe(403);

      const journal = (await audit(id)).map((a) => [a.action, a.actorLabel]);
      expect(journal).toEqual(expect.arrayContaining([['dossier-avis', 'agent18@exemple.fr'], ['dossier-annotation', 'agent18@exemple.fr']]));
    });

    it('asks the association for a correction, which answers it: both messages, every step dated and audited', async () => {
      const agent = await as('agent18@exemple.fr');
      let page = await agent.get(`/dossiers/${id}`);
      expect((await agent.post(`/dossiers/${id}/etapes/instruire`, { version: version(page.body) })).statusCode).toBe(303);
      page = await agent.get(`/dossiers/${id}`);
      expect(mainText(page.body)).toContain('Commencer l’instruction : le dossier est maintenant « En instruction ».');

      // No message: refused, nothing moves.
      const vide = await agent.post(`/dossiers/${id}/etapes/demander_complement`, { version: version(page.body), commentaire: ' ' });
      expect(vide.statusCode).toBe(400);
      expect(mainText(vide.body)).toContain('Message à l’association : Écrivez à l’association ce qu’elle doit compléter ou corriger.');
      expect((await db().select().from(dossier).where(eq(dossier.id, id)))[0]!.statut).toBe('en_instruction');

      const demande = 'Joignez le devis des livres et précisez le nombre de séances.';
      expect((await agent.post(`/dossiers/${id}/etapes/demander_complement`, { version: version(page.body), commentaire: demande })).statusCode).toBe(303);

      const association = await as('asso@exemple.fr');
      const sienne = await association.get(`/dossiers/${id}`);
      const text = mainText(sienne.body);
      expect(text).toContain('Statut Complément demandé');
      expect(text).toContain(`L’équipe d’instruction vous demande un complément ${demande}`);
      expect(tags(sienne.body).some((x) => x.name === 'a' && x.attrs.href === `/dossiers/${id}/modifier`)).toBe(true);
      const sansReponse = await association.post(`/dossiers/${id}/etapes/completer`, { version: version(sienne.body), commentaire: '' });
      expect(sansReponse.statusCode).toBe(400);
      expect(mainText(sansReponse.body)).toContain('Votre réponse : Écrivez votre réponse à l’équipe d’instruction.');
      const reponse = 'Devis joint ; 30 séances de septembre à juin.';
      expect((await association.post(`/dossiers/${id}/etapes/completer`, { version: version(sienne.body), commentaire: reponse })).statusCode).toBe(303);

      const apres = await agent.get(`/dossiers/${id}`);
      expect(mainText(apres.body)).toContain('Statut En instruction');
      const messages = await db().select().from(messageDossier).where(eq(messageDossier.dossierId, id)).orderBy(asc(messageDossier.le));
      expect(messages.map((m) => [m.cote, m.texte, m.auteur])).toEqual([
        ['instruction', demande, 'agent18@exemple.fr'],
        ['association', reponse, 'asso@exemple.fr'],
      ]);
      const echanges = mainText(apres.body).split('Échanges')[1]!;
      expect(echanges).toContain(`Équipe d’instruction — agent18@exemple.fr, le`);
      expect(echanges).toContain(`Association — asso@exemple.fr, le`);
      expect(rows(apres.body, /^Historique du dossier$/).map((r) => [r[1], r[2], r[3], r[4]])).toEqual([
        ['Déposer la demande', 'Brouillon → Déposé', 'association@exemple.fr', ''],
        ['Commencer l’instruction', 'Déposé → En instruction', 'agent18@exemple.fr', ''],
        ['Demander un complément', 'En instruction → Complément demandé', 'agent18@exemple.fr', demande],
        ['Envoyer le complément', 'Complément demandé → En instruction', 'asso@exemple.fr', reponse],
      ]);
      const journal = (await audit(id)).map((a) => a.action);
      expect(journal).toEqual(expect.arrayContaining(['dossier-instruire', 'dossier-demander_complement', 'dossier-completer']));
      expect(journal.filter((a) => a === 'dossier-message')).toHaveLength(2);
    });

    it('lets both sides write messages, audited', async () => {
      const association = await as('asso@exemple.fr');
      await association.get(`/dossiers/${id}`);
      const vide = await association.post(`/dossiers/${id}/messages`, { texte: '' });
      expect(vide.statusCode).toBe(400);
      expect(mainText(vide.body)).toContain('Votre message : Écrivez votre message.');
      expect((await association.post(`/dossiers/${id}/messages`, { texte: 'Faut-il un devis signé ?' })).statusCode).toBe(303);
      const page = await association.get(`/dossiers/${id}`);
      expect(mainText(page.body)).toContain('Message envoyé.');
      expect(mainText(page.body)).toContain('Faut-il un devis signé ?');
      const [dernier] = (await audit(id)).slice(-1);
      expect(dernier).toMatchObject({ action: 'dossier-message', actorLabel: 'asso@exemple.fr', after: { cote: 'association', texte: 'Faut-il un devis signé ?' } });
    });

    it('refuses a step taken from an outdated page with a clear message, and keeps the text typed', async () => {
      const agent = await as('agent18@exemple.fr');
      const direction = await as('direction@exemple.fr');
      const vueAgent = await agent.get(`/dossiers/${id}`);
      const vueDirection = await direction.get(`/dossiers/${id}`);
      expect((await agent.post(`/dossiers/${id}/etapes/proposer`, { version: version(vueAgent.body) })).statusCode).toBe(303);
      const texte = 'Précisez le budget des sorties.';
      const tard = await direction.post(`/dossiers/${id}/etapes/demander_complement`, { version: version(vueDirection.body), commentaire: texte });
      expect(tard.statusCode).toBe(409);
      const text = mainText(tard.body);
      expect(text).toContain('« Demander un complément » n’est pas possible pour un dossier dans cet état.');
      expect(text).toContain(`Votre texte n’a pas été envoyé, le voici pour le reprendre : « ${texte} »`);
      expect(text).toContain('Statut Proposé au comité');
      expect((await db().select().from(dossier).where(eq(dossier.id, id)))[0]!.statut).toBe('propose');
    });

    it('leaves the decision to the committee’s table, then shows everyone the decision with its motif and the letter', async () => {
      const direction = await as('direction@exemple.fr');
      const page = await direction.get(`/dossiers/${id}`);
      expect(actions(page.body).filter((a) => a?.includes('/etapes/'))).toEqual([`/dossiers/${id}/etapes/classer`]);
      expect(mainText(page.body)).toContain('Le comité de programmation accepte ou refuse ce dossier, avec les montants accordés, sur le tableau de programmation');
      const motif = 'Le projet relève du droit commun de la bibliothèque.';
      // From the file's page, a decision without its granted amounts is refused.
      expect((await direction.post(`/dossiers/${id}/etapes/refuser`, { version: version(page.body), commentaire: motif })).statusCode).toBe(409);
      expect((await db().select().from(dossier).where(eq(dossier.id, id)))[0]!.statut).toBe('propose');
      await direction.get(`/appels-a-projets/${c.annee}/programmation`);
      const decision = await direction.post(`/appels-a-projets/${c.annee}/programmation/decisions`, { dossiers: id, [`v-${id}`]: version(page.body), decision: 'refuser', motif });
      expect(decision.statusCode).toBe(303);
      const association = await as('asso@exemple.fr');
      const sienne = await association.get(`/dossiers/${id}`);
      const text = mainText(sienne.body);
      expect(text).toMatch(/Décision Demande refusée ?, le \d+(er)? \p{L}+ \d{4}/u);
      expect(text).toContain(`Motif : ${motif}`);
      expect(tags(sienne.body).some((x) => x.name === 'a' && x.attrs.href === `/dossiers/${id}/lettre.pdf`)).toBe(true);
      expect(rows(sienne.body, /^Financements demandés$/)[0]).toEqual(['État (programme 147)', '5 000,00 €', '0,00 €']);
      expect(actions(sienne.body)).toEqual([`/dossiers/${id}/messages`]);
    });
  });

  describe('the instructors’ list', () => {
    it('lists the files of the agent’s territories, submitted only, with counts and filters', async () => {
      const contratId = t.contrat.id;
      const qpv = await t.app.ctx.services.territoires.lister(contratId, 'qpv');
      // A quartier of the 19th arrondissement only: its file goes to the 19th's team, not the 18th's.
      const du19 = qpv.find((q) => q.geographie === '2015' && q.parentIds.includes(arr19) && !q.parentIds.includes(arr18))!;
      await creerDossier(db(), contratId, c, { organisationId: asso, titre: 'Atelier théâtre', territoireIds: [goutteDor] });
      await creerDossier(db(), contratId, c, { organisationId: asso, titre: 'Brouillon pas encore déposé', territoireIds: [goutteDor], statut: 'brouillon' });
      await creerDossier(db(), contratId, c, { organisationId: asso, titre: 'Projet ailleurs', territoireIds: [du19.id] });

      const agent = await as('agent18@exemple.fr');
      const liste = await agent.get(`/appels-a-projets/${annee}/dossiers`);
      expect(liste.statusCode).toBe(200);
      expect(textOf(liste.body, 'h1')).toBe(`Dossiers à instruire — Appel à projets politique de la ville ${annee}`);
      const lignes = rows(liste.body, /^Dossiers à instruire/);
      expect(lignes.map((l) => l[2])).toEqual(['Ateliers de lecture', 'Atelier théâtre']);
      expect(lignes[0]!.slice(1)).toEqual(['Lire à la Goutte fictive', 'Ateliers de lecture', 'Goutte d\'Or', 'Refusé', '8 000,00 €', 'État (programme 147) : favorable']);
      expect(mainText(liste.body)).toContain('Par statut Déposé : 1 Refusé : 1');

      const filtre = await agent.get(`/appels-a-projets/${annee}/dossiers?statut=depose&qpv=&financeur=${c.ville}&texte=theatre`);
      expect(rows(filtre.body, /^Dossiers à instruire/).map((l) => l[2])).toEqual(['Atelier théâtre']);
      const faux = await agent.get(`/appels-a-projets/${annee}/dossiers?statut=brouillon`);
      expect(faux.statusCode).toBe(400);
      expect(mainText(faux.body)).toContain('Statut : Choisissez un statut de la liste.');

      const agent19 = await as('agent19@exemple.fr');
      const autre = await agent19.get(`/appels-a-projets/${annee}/dossiers`);
      expect(rows(autre.body, /^Dossiers à instruire/).map((l) => [l[2], l[3]])).toEqual([['Projet ailleurs', du19.nom]]);
      const direction = await as('direction@exemple.fr');
      expect(rows((await direction.get(`/appels-a-projets/${annee}/dossiers`)).body, /^Dossiers à instruire/).map((l) => l[2])).toEqual(['Ateliers de lecture', 'Atelier théâtre', 'Projet ailleurs']);
      expect((await (await as('asso@exemple.fr')).get(`/appels-a-projets/${annee}/dossiers`)).statusCode).toBe(403);
      expect((await direction.get('/appels-a-projets/1999/dossiers')).statusCode).toBe(404);
    });
  });
});
